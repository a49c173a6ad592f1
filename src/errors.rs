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

/// Marks an error as the runner failing (a program it needs would not run), not the user:
/// `.with_context(|| Failure(format!("cannot run cargo for {}", ...)))`.
#[derive(Debug)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Failure {}

/// The exit code for `err`.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    ExitCode::from(code(err))
}

fn code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<Cancelled>().is_some() {
        INTERRUPTED
    } else if err.downcast_ref::<CourseErrors>().is_some() {
        USAGE
    } else if err.downcast_ref::<Failure>().is_some() || err.chain().any(is_system_failure) {
        FAILURE
    } else {
        USAGE
    }
}

/// An operating-system failure that is not about a path the user named: a read-only folder,
/// a full disk, a refused permission. A missing file is usually a mistyped argument.
fn is_system_failure(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause
        .downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() != std::io::ErrorKind::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::{Context, anyhow};

    #[test]
    fn kinds_of_errors_map_to_their_codes() {
        assert_eq!(code(&anyhow!("--timeout must be at least 1 second")), USAGE);
        let missing = || std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let cargo: anyhow::Error = Err::<(), _>(missing())
            .context(Failure("cannot run cargo".into()))
            .unwrap_err();
        assert_eq!(code(&cargo), FAILURE);
        let input = Err::<(), _>(missing())
            .context("cannot read r.json")
            .unwrap_err();
        assert_eq!(code(&input), USAGE, "a path the user named");
        let denied = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let write = Err::<(), _>(denied)
            .context("cannot write r.json")
            .unwrap_err();
        assert_eq!(code(&write), FAILURE);
        assert_eq!(code(&anyhow::Error::new(Cancelled)), INTERRUPTED);
        assert_eq!(code(&anyhow::Error::new(CourseErrors(Vec::new()))), USAGE);
    }
}
