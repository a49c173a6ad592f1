//! The one place a verdict becomes the learner's progress and, after a pass, a revealed
//! reference solution. `run`, `verify` and watch mode all hand their verdicts here, so a pass
//! counts the same way whichever command saw it.

use anyhow::Result;

use crate::course::Course;
use crate::progress::Progress;
use crate::solutions;
use crate::verdict::Verdict;

/// What recording could not do, for the caller to show its own way (an error for `run`, a
/// notice on the watch screen). A solution that cannot be written never undoes a pass.
#[must_use]
pub struct Recorded {
    pub saved: Result<()>,
    pub revealed: Result<()>,
}

/// Marks each exercise (by index) done or not by its verdict, saves the progress, and reveals
/// the solutions of the ones that passed.
pub fn record<'v>(
    course: &Course,
    progress: &mut Progress,
    verdicts: impl IntoIterator<Item = (usize, &'v Verdict)>,
) -> Recorded {
    let mut passed = Vec::new();
    for (index, verdict) in verdicts {
        let pass = verdict.status.is_pass();
        progress.set_done(&course.exercises[index].name, pass);
        if pass {
            passed.push(index);
        }
    }
    let saved = progress.save();
    let revealed = solutions::reveal(course, &passed).map(|_| ());
    Recorded { saved, revealed }
}
