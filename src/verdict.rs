//! The plain results of checking an exercise. Output is kept as captured data (compiler
//! diagnostics keep rustc's colours); reporters decide how to show it.

use serde::{Deserialize, Serialize};

/// What happened to one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    CompileError,
    TestsFailed,
    RunFailed,
    ClippyFailed,
    TimedOut,
    /// The exercise file does not exist (grading a learner tree).
    Missing,
    /// The exercise file cannot be read, is not UTF-8 or is too large (grading).
    Unreadable,
    /// The source breaks a rule of the verdict rule book (`engine::rules`): a crate attribute
    /// such as `#![cfg(not(test))]`, or code that ends the process; it was not built.
    Rejected,
}

impl Status {
    pub fn is_pass(self) -> bool {
        self == Status::Passed
    }

    /// Short human label, as shown in lists and summaries.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::CompileError => "compile error",
            Status::TestsFailed => "tests failed",
            Status::RunFailed => "run failed",
            Status::ClippyFailed => "clippy failed",
            Status::TimedOut => "timed out",
            Status::Missing => "missing",
            Status::Unreadable => "unreadable",
            Status::Rejected => "rejected",
        }
    }

    /// The machine name used in JSON and other reports.
    pub fn key(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::CompileError => "compile_error",
            Status::TestsFailed => "tests_failed",
            Status::RunFailed => "run_failed",
            Status::ClippyFailed => "clippy_failed",
            Status::TimedOut => "timed_out",
            Status::Missing => "missing",
            Status::Unreadable => "unreadable",
            Status::Rejected => "rejected",
        }
    }
}

/// Captured text, capped in size; `truncated` says whether anything was cut.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Captured {
    pub text: String,
    pub truncated: bool,
}

impl Captured {
    pub fn new(text: impl Into<String>) -> Self {
        Captured {
            text: text.into(),
            truncated: false,
        }
    }

    /// Appends `more`, keeping the total under `cap` bytes (cut on a character boundary).
    pub fn append(&mut self, more: &Captured, cap: usize) {
        self.truncated |= more.truncated;
        let room = cap.saturating_sub(self.text.len());
        if more.text.len() <= room {
            self.text.push_str(&more.text);
        } else {
            let mut end = room;
            while !more.text.is_char_boundary(end) {
                end -= 1;
            }
            self.text.push_str(&more.text[..end]);
            self.truncated = true;
        }
    }

    /// The text without ANSI escape codes, for files and machine-readable reports.
    pub fn plain(&self) -> String {
        // A full escape-sequence parser (the one terminals use): test output also holds charset
        // switches such as `ESC ( B`, and on `screen`/tmux terminals libtest's colour reset ends
        // with a shift-in (0x0f), which is no escape sequence but still not text.
        let mut parser: anstyle_parse::Parser = anstyle_parse::Parser::default();
        let mut plain = Plain(String::with_capacity(self.text.len()));
        for byte in self.text.bytes() {
            parser.advance(&mut plain, byte);
        }
        plain.0
    }
}

/// Collects what a terminal would show of captured text, as lines.
struct Plain(String);

impl anstyle_parse::Perform for Plain {
    fn print(&mut self, c: char) {
        // C1 control codes arrive as characters; they are no text either.
        if !('\u{80}'..='\u{9f}').contains(&c) {
            self.0.push(c);
        }
    }

    /// Control characters other than line ends (tabs and carriage returns among them) are
    /// left out, as they always were in reports.
    fn execute(&mut self, byte: u8) {
        if byte == b'\n' {
            self.0.push('\n');
        }
    }
}

/// The verdict on one exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    /// Names of the failing tests (`tests_failed`), e.g. `tests::rejects_empty`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing_tests: Vec<String>,
    /// Compiler diagnostics followed by the program's or tests' output.
    pub output: Captured,
    /// Why the verdict is not a pass where the output alone does not say; reporters put it
    /// into words (`report::explained_output`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    pub duration_ms: u64,
}

/// What the rule book saw that the output does not show: plain data, no sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The exercise's crate root is not there (deleted or renamed): `missing`.
    FileMissing { path: String },
    /// The source was refused before the build (`rejected`); one line per problem found.
    Refused { problems: Vec<String> },
    /// The build did not finish within its time limit.
    BuildTimedOut { secs: u64 },
    /// The run was stopped at its time limit.
    TimedOut { secs: u64 },
    /// The tests exited with 0 but printed no summary.
    NoSummary,
    /// More than one libtest summary was printed.
    ManySummaries { count: usize },
    /// The summary reports failures, yet the exit code was 0.
    FailuresWithSuccess,
    /// Tests were filtered out of a run that must run them all.
    FilteredOut { count: usize },
    /// A run of a shared binary selected none of the program's tests.
    NothingSelected,
    /// Fewer or more tests passed than the source (or, in grading, the course) declares.
    TestCount { passed: usize, expected: usize },
    /// Nobody can say how many tests must pass (a macro generates them and the course does not
    /// declare `tests`): no run passes.
    UnknownTestCount,
    /// The learner's file breaks the exercise's contract with its tests (grading; the output
    /// says how).
    Contract,
    /// The learner's file is not Rust syntax (grading; the output says where).
    Syntax,
    /// The tests failed without naming a failing test (a crash before or between them).
    EndedEarly,
    /// Python: the tests could not be collected (importing the exercise or its tests failed).
    CollectionFailed,
    /// Python: the results were not the ones the runner's harness writes (missing their
    /// run's secret, or written twice): code other than the harness wrote them.
    ForgedResults,
    /// `main` exited with a code other than 0.
    ExitCode { code: i32 },
    /// The program was killed by a signal.
    Signal { signal: i32 },
    /// The runner itself failed while checking the program (a bug in the runner).
    RunnerFailed,
    /// A server the exercise needs (`postgres`, `redis`) is not installed: not the learner's
    /// failure; reports say what to install.
    ServiceMissing { service: String },
    /// A server the exercise needs is installed but did not start or answer.
    ServiceFailed { service: String, message: String },
    /// Python: the environment of the course's package lock could not be built (the lock
    /// changed during a session and building its environment failed).
    EnvironmentFailed { message: String },
}

impl Reason {
    /// Whether the verdict says something about the machine, not about the learner's code:
    /// never cached, never a learner's failure.
    pub fn is_environment(&self) -> bool {
        matches!(
            self,
            Reason::ServiceMissing { .. }
                | Reason::ServiceFailed { .. }
                | Reason::EnvironmentFailed { .. }
        )
    }

    /// The reason's name in reports (its `kind`).
    pub fn key(&self) -> &'static str {
        match self {
            Reason::FileMissing { .. } => "file_missing",
            Reason::Refused { .. } => "refused",
            Reason::BuildTimedOut { .. } => "build_timed_out",
            Reason::TimedOut { .. } => "timed_out",
            Reason::NoSummary => "no_summary",
            Reason::ManySummaries { .. } => "many_summaries",
            Reason::FailuresWithSuccess => "failures_with_success",
            Reason::FilteredOut { .. } => "filtered_out",
            Reason::NothingSelected => "nothing_selected",
            Reason::TestCount { .. } => "test_count",
            Reason::UnknownTestCount => "unknown_test_count",
            Reason::Contract => "contract",
            Reason::Syntax => "syntax",
            Reason::EndedEarly => "ended_early",
            Reason::CollectionFailed => "collection_failed",
            Reason::ForgedResults => "forged_results",
            Reason::ExitCode { .. } => "exit_code",
            Reason::Signal { .. } => "signal",
            Reason::RunnerFailed => "runner_failed",
            Reason::ServiceMissing { .. } => "service_missing",
            Reason::ServiceFailed { .. } => "service_failed",
            Reason::EnvironmentFailed { .. } => "environment_failed",
        }
    }
}

impl Verdict {
    pub fn new(status: Status, output: Captured) -> Self {
        Verdict {
            status,
            failing_tests: Vec::new(),
            output,
            reason: None,
            duration_ms: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        Captured::new(text).plain()
    }

    #[test]
    fn colours_charset_switches_and_shifts_are_no_text() {
        // libtest on a colour terminal; under screen/tmux the reset ends with a shift-in.
        assert_eq!(
            plain("test a ... \x1b[31mFAILED\x1b(B\x1b[m\nok \x1b[32mok\x1b[m\x0f\x0e!\n"),
            "test a ... FAILED\nok ok!\n"
        );
        assert_eq!(
            plain("see \x1b]8;;file:///x.rs\x1b\\x.rs\x1b]8;;\x07 é 漢"),
            "see x.rs é 漢"
        );
    }
}
