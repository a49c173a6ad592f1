//! What a failed command exits with: the one place errors become exit codes (README, "Exit
//! codes"). Commands return `anyhow` errors with context for the message; their kind decides
//! the code.

use std::process::ExitCode;

use crate::course::CourseErrors;
use crate::engine::Cancelled;

// 0 is success and 1 "did not pass" (an exercise, `verify`, a learner under `--fail-under`):
// commands return those themselves as `ExitCode::SUCCESS` and `ExitCode::FAILURE`.

/// The command was called wrongly, or the course (or an input file) is not valid.
pub const USAGE: u8 = 2;
/// The runner could not do its work: a program it needs (cargo, git) or a file or folder it
/// reads or writes failed.
pub const FAILURE: u8 = 3;
/// Ctrl-C, SIGTERM or SIGHUP stopped the command (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// The exit code for `err`.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    ExitCode::from(code(err))
}

fn code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<Cancelled>().is_some() {
        INTERRUPTED
    } else if err.downcast_ref::<CourseErrors>().is_some() {
        USAGE
    } else if err.chain().any(|cause| cause.is::<std::io::Error>()) {
        // Every operating-system failure reaches us as an I/O error: a missing cargo, a
        // read-only folder, a full disk. Mistakes in flags and inputs are ours to describe.
        FAILURE
    } else {
        USAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::{Context, anyhow};

    #[test]
    fn kinds_of_errors_map_to_their_codes() {
        assert_eq!(code(&anyhow!("--timeout must be at least 1 second")), USAGE);
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let io: anyhow::Error = Err::<(), _>(missing)
            .context("cannot run cargo")
            .unwrap_err();
        assert_eq!(code(&io), FAILURE);
        assert_eq!(code(&anyhow::Error::new(Cancelled)), INTERRUPTED);
        assert_eq!(code(&anyhow::Error::new(CourseErrors(Vec::new()))), USAGE);
    }
}
