//! What a failed command prints and exits with: the one place errors become exit codes
//! (README, "Exit codes"). Commands return `anyhow` errors with context for the message; their
//! [`Kind`] decides the code. Wrong flags never get here: clap refuses them with
//! [`USAGE`] itself (see `cli.rs`).

use std::process::ExitCode;

use console::style;

use crate::course::CourseErrors;

// 0 is success and 1 "did not pass" (an exercise, `verify`, a learner under `--fail-under`):
// commands return those themselves as `ExitCode::SUCCESS` and `ExitCode::FAILURE`.

/// The command was called wrongly, or the course (or an input file) is not valid. Also clap's
/// exit code for a wrong flag.
pub const USAGE: u8 = 2;
/// The runner could not do its work: a program it needs (cargo, git) or a file or folder it
/// reads or writes failed.
pub const FAILURE: u8 = 3;
/// Ctrl-C, SIGTERM or SIGHUP stopped the command (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;
/// Standard output's reader went away (`list | head -1`): 128 + SIGPIPE, what a shell reports
/// for any program stopped that way, without a message.
pub const STDOUT_CLOSED: u8 = 141;

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

/// A check was cancelled (Ctrl-C, SIGTERM, or watch mode quitting mid-check); the verdicts
/// of programs killed on the way are not trustworthy, so none is returned or cached.
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted: every program this command started was stopped")
    }
}

impl std::error::Error for Cancelled {}

/// Whose problem an error is, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The user's to fix: a wrong argument, an unknown exercise, an invalid course or report,
    /// a file they named that is not there. [`USAGE`].
    Usage,
    /// The machine's: a program the runner needs would not run, or the system refused a read
    /// or write. [`FAILURE`].
    Failure,
    /// A signal stopped the command. [`INTERRUPTED`].
    Interrupted,
}

impl Kind {
    /// The kind of `err`: cancelled, a [`Failure`] or a system error anywhere in its chain;
    /// otherwise a usage error, since every other error the runner raises is its own check of
    /// what it was given (a course that does not load, a name that matches nothing).
    pub fn of(err: &anyhow::Error) -> Kind {
        if err.downcast_ref::<Cancelled>().is_some() {
            Kind::Interrupted
        } else if err.downcast_ref::<CourseErrors>().is_some() {
            Kind::Usage
        } else if err.downcast_ref::<Failure>().is_some() || err.chain().any(is_system_failure) {
            Kind::Failure
        } else {
            Kind::Usage
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Kind::Usage => USAGE,
            Kind::Failure => FAILURE,
            Kind::Interrupted => INTERRUPTED,
        }
    }
}

/// Prints `err` on stderr the way its kind reads best, and returns its exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if err.downcast_ref::<crate::stdout::Closed>().is_some() {
        return ExitCode::from(STDOUT_CLOSED);
    }
    let kind = Kind::of(err);
    if kind == Kind::Interrupted {
        eprintln!("{} {err}", style("stopped:").yellow().bold());
    } else if let Some(errors) = err.downcast_ref::<CourseErrors>() {
        // Every problem of the course, one per line, so an author fixes them in one go.
        for error in &errors.0 {
            eprintln!("{} {error}", style("error:").red().bold());
        }
    } else {
        eprintln!("{} {err:#}", style("error:").red().bold());
    }
    ExitCode::from(kind.code())
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
        let code = |err: &anyhow::Error| Kind::of(err).code();
        assert_eq!(code(&anyhow!("no exercise named `x`")), USAGE);
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
