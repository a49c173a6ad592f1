//! The checker thread: it owns the engine and runs one [`Job`] at a time, so keys and file
//! events stay responsive during a check.

use std::sync::mpsc::{Receiver, Sender};
use std::thread::{Scope, ScopedJoinHandle};

use crate::engine::{Engine, Event};
use crate::verdict::Verdict;

use super::Msg;
use super::state::Job;

/// What the checker reports back: the engine's events as they happen, then the job's end.
pub enum Report {
    Engine(Event),
    /// The job ended: verdicts in the job's order (one for `Job::One`, all for `Job::All`),
    /// or why it could not run.
    Done {
        job: Job,
        result: Result<Vec<Verdict>, String>,
    },
}

/// Starts the checker on `scope`. It ends when `jobs` is closed.
pub fn spawn<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    mut engine: Engine<'env>,
    jobs: Receiver<Job>,
    reports: Sender<Msg>,
) -> ScopedJoinHandle<'scope, ()> {
    scope.spawn(move || {
        for job in jobs {
            let indices: Vec<usize> = match job {
                Job::One(index) => vec![index],
                Job::All { .. } => (0..engine.course().exercises.len()).collect(),
            };
            let result = engine
                .check(&indices, &mut |event| {
                    let _ = reports.send(Msg::Report(Report::Engine(event)));
                })
                .map_err(|err| format!("{err:#}"));
            if reports
                .send(Msg::Report(Report::Done { job, result }))
                .is_err()
            {
                break;
            }
        }
    })
}
