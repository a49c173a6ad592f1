//! Whether the learner's copy of an exercise still holds the course's tests and locked items,
//! and keeps its contract with the tests (shipped signatures and comparisons), for the warning
//! of `run` and watch mode. Grading puts the course's back whatever the
//! learner did, so a learner who edited them should hear it from us before their grade says so.

use std::fs;

use crate::contract::{self, Problem};
use crate::course::{Course, Exercise};
use crate::pristine;

/// The warning for `exercise` when its tests or locked items differ from the version the course
/// shipped, found the way grading finds it; `None` when they match, or when the shipped version
/// or the learner's files cannot be read (a warning is not worth an error).
pub fn notice(course: &Course, exercise: &Exercise) -> Option<String> {
    let (files, _) = pristine::original(course, exercise).ok()?;
    let shipped = tempfile::tempdir().ok()?;
    for (path, bytes) in files {
        let path = shipped.path().join(path);
        fs::create_dir_all(path.parent()?).ok()?;
        fs::write(path, bytes).ok()?;
    }
    match contract::exercise::modified(shipped.path(), exercise, &course.root) {
        Ok(modified) => message(modified.tests, &modified.locked),
        // The contract with the tests (`contract`): say now what grading will refuse.
        Err(Problem::Rejected(why)) => Some(format!(
            "The grader will refuse this exercise (status `rejected`): {why}"
        )),
        Err(_) => None,
    }
}

fn message(tests: bool, locked: &[String]) -> Option<String> {
    let names = locked
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let what = match (tests, names.is_empty()) {
        (false, true) => return None,
        (true, true) => "the tests".to_string(),
        (false, false) => names,
        (true, false) => format!("the tests and of {names}"),
    };
    Some(format!(
        "Your copy of {what} differs from the course's; you will be graded with the course's."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_what_differs() {
        assert_eq!(message(false, &[]), None);
        assert_eq!(
            message(true, &[]).unwrap(),
            "Your copy of the tests differs from the course's; you will be graded with the course's."
        );
        let locked = ["query_plan".to_string(), "Counter".to_string()];
        assert!(
            message(false, &locked)
                .unwrap()
                .starts_with("Your copy of `query_plan`, `Counter` differs")
        );
        assert!(
            message(true, &locked[..1])
                .unwrap()
                .starts_with("Your copy of the tests and of `query_plan` differs")
        );
    }
}
