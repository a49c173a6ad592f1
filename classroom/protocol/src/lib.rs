//! The classroom protocol: what the learner's watch mode (`backendlings`, `src/classroom/`) and
//! the classroom server (`backendlings-classroom`) send each other. Both sides compile these
//! types, so a field or a status spelled differently on the two sides is a compile error, not an
//! instructor page that never counts a pass.
//!
//! Learner API, every request with [`VERSION_HEADER`] and [`CODE_HEADER`]:
//! `POST` [`JOIN`] with a [`JoinRequest`] → [`JoinAnswer`]; `POST` [`EVENTS`] with an
//! [`EventsRequest`] and [`LEARNER_HEADER`] → [`EventsAnswer`]; `GET` [`NOTE`] → [`NoteAnswer`].
//! A refusal is an [`ErrorAnswer`] with a status code.

use serde::{Deserialize, Serialize};

/// The runner's version (`major.minor.patch`): client and server must share `major.minor`.
pub const VERSION_HEADER: &str = "x-backendlings-version";
/// The room's join code, from the join URL.
pub const CODE_HEADER: &str = "x-classroom-code";
/// The learner's token, from [`JoinAnswer`].
pub const LEARNER_HEADER: &str = "x-classroom-learner";

pub const JOIN: &str = "/api/join";
pub const EVENTS: &str = "/api/events";
pub const NOTE: &str = "/api/note";
/// The join URL's path is `/join/CODE`.
pub const JOIN_PREFIX: &str = "/join/";

/// Limits on what one event may carry; the server refuses the request with the reason.
pub const MAX_ID: usize = 64;
pub const MAX_EXERCISE: usize = 100;
pub const MAX_TEST_NAME: usize = 200;
pub const MAX_FAILING: usize = 50;
/// Events per request.
pub const MAX_EVENTS_PER_REQUEST: usize = 200;
/// A learner's name, in characters.
pub const MAX_NAME: usize = 40;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JoinAnswer {
    /// The learner's token, sent with every later request.
    pub learner: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventsRequest {
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EventsAnswer {
    /// Events the room holds in all.
    pub stored: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NoteAnswer {
    /// The instructor's message; empty when there is none.
    pub note: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// Why the request was refused, in words for the learner.
    pub error: String,
}

/// One thing a learner's watch mode reports. Never the learner's code.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Chosen by the client, unique per learner: a resent event is stored once.
    pub id: String,
    pub kind: Kind,
    pub exercise: String,
    /// When it happened on the learner's machine (Unix milliseconds): queued events keep their
    /// time when they arrive late.
    pub at: i64,
    /// The verdict: [`Kind::Verdict`] only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The failing tests' names: [`Kind::Verdict`] only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<String>,
    /// Seconds on this exercise so far.
    #[serde(default)]
    pub seconds: u64,
    /// The exercise's place in the course (0-based), to order the page like the course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The learner is now on this exercise.
    Opened,
    /// A check of this exercise ended with `status`.
    Verdict,
    /// The learner opened the hint.
    Hint,
    /// Still on this exercise (a heartbeat, for the time on it).
    Time,
    /// Passed before the learner joined: counts as passed, does not move the learner.
    Done,
}

/// A verdict's status, as the runner's `verdict::Status` names it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    CompileError,
    TestsFailed,
    RunFailed,
    ClippyFailed,
    TimedOut,
    Missing,
    Unreadable,
    Rejected,
    /// A status of a newer runner of the same series: a failure the page names generically.
    #[serde(other)]
    Other,
}

impl Status {
    pub fn is_pass(self) -> bool {
        self == Status::Passed
    }

    /// In words, for the instructor's page.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::CompileError => "compile error",
            Status::TestsFailed => "tests failed",
            Status::RunFailed => "run failed",
            Status::ClippyFailed => "clippy failed",
            Status::TimedOut => "timed out",
            Status::Missing => "file missing",
            Status::Unreadable => "file unreadable",
            Status::Rejected => "rejected",
            Status::Other => "failed",
        }
    }
}

impl Event {
    /// Whether the server takes this event; the reason otherwise.
    pub fn validate(&self) -> Result<(), String> {
        if self.id.is_empty() || self.id.len() > MAX_ID {
            return Err(format!("an event id must have 1 to {MAX_ID} bytes"));
        }
        if self.exercise.is_empty() || self.exercise.len() > MAX_EXERCISE {
            return Err(format!(
                "an exercise name must have 1 to {MAX_EXERCISE} bytes"
            ));
        }
        if self.failing.len() > MAX_FAILING {
            return Err(format!("at most {MAX_FAILING} failing tests per verdict"));
        }
        if self.failing.iter().any(|t| t.len() > MAX_TEST_NAME) {
            return Err(format!(
                "a test name must have at most {MAX_TEST_NAME} bytes"
            ));
        }
        if self.kind == Kind::Verdict && self.status.is_none() {
            return Err("a verdict needs a status".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_the_runners_keys_and_unknown_ones_are_failures() {
        let parse = |s: &str| serde_json::from_str::<Status>(&format!("\"{s}\"")).unwrap();
        assert_eq!(parse("passed"), Status::Passed);
        assert_eq!(parse("tests_failed"), Status::TestsFailed);
        assert_eq!(parse("some_new_status"), Status::Other);
        assert!(!Status::Other.is_pass());
    }
}
