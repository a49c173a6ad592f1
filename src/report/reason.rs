//! The reasons of verdicts put into words: the engine says *what* it saw
//! ([`Reason`]), reports say it to people. Every report shows the same sentence after the output.

use crate::verdict::{Captured, Reason, Verdict};

/// The output of `verdict` with its reason, if any, put into words after it: what every report
/// shows (colours kept; `Captured::plain` strips them).
pub fn explained_output(verdict: &Verdict) -> Captured {
    let Some(reason) = &verdict.reason else {
        return verdict.output.clone();
    };
    let mut output = verdict.output.clone();
    if !output.text.is_empty() {
        output.text.push_str("\n\n");
    }
    output.text.push_str(&explain(reason));
    output.text.push('\n');
    output
}

/// One reason in words.
pub fn explain(reason: &Reason) -> String {
    match reason {
        Reason::FileMissing { path } => format!(
            "{path} is missing (deleted or renamed?). Press x in watch mode, or use the reset \
             command, to restore it as shipped."
        ),
        Reason::Refused { problems } => {
            let mut text = String::from("This exercise cannot be checked as it is:\n");
            for problem in problems {
                text.push_str("  ");
                text.push_str(problem);
                text.push('\n');
            }
            text.push_str(
                "Exercises are checked by their tests running to the end; code that changes how \
                 it is compiled, reaches into the tests' machinery or ends the process itself is \
                 refused everywhere, and in grading.",
            );
            text
        }
        Reason::BuildTimedOut { secs } => format!(
            "The build did not finish in {secs} s and was stopped (an endless `const` evaluation, or a gigantic constant?)"
        ),
        Reason::TimedOut { secs } => format!(
            "Stopped after {secs} s: the exercise did not finish in time (an endless loop, or a wait that never ends?)"
        ),
        Reason::NoSummary => {
            "The tests did not report their results: the program ended before they finished.".into()
        }
        Reason::ManySummaries { count } => format!(
            "The output holds {count} test summaries where libtest prints one: something other than the tests printed one."
        ),
        Reason::FailuresWithSuccess => {
            "The test summary reports failures, yet the program exited with 0.".into()
        }
        Reason::FilteredOut { count } => {
            format!("{count} tests were filtered out: every test must run.")
        }
        Reason::NothingSelected => "No test of this program was selected to run.".into(),
        Reason::UnknownTestCount => "Nobody can say how many tests this exercise has (a macro generates them and the course does not declare `tests`), so no run passes.".into(),
        Reason::Contract => "Graded files must keep the exercise's contract with its tests.".into(),
        Reason::Syntax => "The file does not parse (the output says where), so it was not run.".into(),
        Reason::TestCount { passed, expected } => format!(
            "The tests reported {passed} passed, but the exercise has {expected}: every test must run and pass."
        ),
        Reason::EndedEarly => {
            "The tests did not run to the end (a crash before or between them?).".into()
        }
        Reason::CollectionFailed => {
            "The tests could not start: importing the exercise failed (the error is above).".into()
        }
        Reason::ForgedResults => {
            "The test results were not written by the runner's harness, so they count for nothing.".into()
        }
        Reason::ExitCode { code } => {
            format!("The program exited with code {code}; it must exit with 0.")
        }
        Reason::Signal { signal } => {
            format!("The program was killed by {}.", signal_name(*signal))
        }
        Reason::RunnerFailed => {
            "The runner itself failed while checking this program: a bug in backendlings, please report it.".into()
        }
        Reason::ServiceMissing { service } => match crate::course::Service::from_key(service) {
            Some(known) => crate::engine::python::services::install_message(known),
            None => format!("This exercise needs the server `{service}`, which is not installed."),
        },
        Reason::ServiceFailed { service, message } => format!(
            "This exercise needs the server `{service}`, which is installed but could not serve the check (not a problem with your code):\n{message}"
        ),
        Reason::EnvironmentFailed { message } => format!(
            "The Python environment of the course's package lock could not be built (not a problem with your code):\n{message}"
        ),
    }
}

fn signal_name(signal: i32) -> String {
    #[cfg(unix)]
    {
        let name = nix::sys::signal::Signal::try_from(signal)
            .map_or_else(|_| format!("signal {signal}"), |s| s.as_str().to_string());
        match name.as_str() {
            "SIGABRT" => format!("{name} (a panic with `panic = \"abort\"`, or an abort)"),
            "SIGKILL" => format!("{name} (out of memory, or stopped from outside)"),
            _ => name,
        }
    }
    #[cfg(not(unix))]
    {
        format!("signal {signal}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    #[test]
    fn the_reason_follows_the_output() {
        let mut verdict = Verdict::new(Status::TimedOut, Captured::new("running 1 test\n"));
        assert_eq!(explained_output(&verdict).text, "running 1 test\n");
        verdict.reason = Some(Reason::TimedOut { secs: 7 });
        let text = explained_output(&verdict).text;
        assert!(
            text.starts_with("running 1 test\n\n\nStopped after 7 s:"),
            "{text}"
        );
        assert!(text.ends_with("?)\n"), "{text}");
        let refused = Verdict {
            reason: Some(Reason::Refused {
                problems: vec!["exercises/a.rs:1: `#![no_main]`".into()],
            }),
            ..Verdict::new(Status::Rejected, Captured::default())
        };
        let text = explained_output(&refused).text;
        assert!(
            text.starts_with("This exercise cannot be checked as it is:\n  exercises/a.rs:1:"),
            "{text}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn signals_are_named() {
        assert!(explain(&Reason::Signal { signal: 9 }).contains("SIGKILL (out of memory"));
    }
}
