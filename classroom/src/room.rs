//! The room as the instructor sees it: a fold over the stored events. Kept in memory (rebuilt
//! from SQLite at start) so the page never queries the database while the class is busy.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

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
    /// The verdict's status key (`pass`, `test_failure`, `compile_error`, ...): verdicts only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The failing tests' names: verdicts only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<String>,
    /// Seconds on this exercise so far.
    #[serde(default)]
    pub seconds: u64,
    /// The exercise's place in the course (0-based), to order the grid like the course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Opened,
    Verdict,
    Hint,
    Time,
}

/// Limits on what one event may carry; the request is refused with the reason otherwise.
pub const MAX_ID: usize = 64;
pub const MAX_EXERCISE: usize = 100;
pub const MAX_TEST_NAME: usize = 200;
pub const MAX_FAILING: usize = 50;

impl Event {
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
        if self.status.as_ref().is_some_and(|s| s.len() > 40) {
            return Err("a verdict status must have at most 40 bytes".into());
        }
        Ok(())
    }
}

#[derive(Debug, Default, Clone)]
pub struct Learner {
    pub name: String,
    pub exercise: Option<String>,
    /// The last verdict's status on the current exercise.
    pub status: Option<String>,
    pub failing: Vec<String>,
    /// Since when the same failing verdict repeats (ms): the stuck clock.
    pub failing_since: Option<i64>,
    pub hints: u32,
    pub seconds: u64,
    pub last_seen: i64,
    pub passed: BTreeSet<String>,
}

impl Learner {
    pub fn passing(&self) -> bool {
        self.status.as_deref() == Some("pass")
    }

    /// Stuck: the same failing verdict (same tests, or same non-test failure) for `after_ms`.
    pub fn stuck_for(&self, now: i64, after_ms: i64) -> Option<i64> {
        let since = self.failing_since?;
        (now - since >= after_ms).then_some(now - since)
    }

    /// What fails, in one phrase: the first failing test, or the status.
    pub fn failing_label(&self) -> Option<String> {
        if self.passing() {
            return None;
        }
        match (self.failing.first(), &self.status) {
            (Some(test), _) => Some(test.clone()),
            (None, Some(status)) => Some(status.replace('_', " ")),
            (None, None) => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct Room {
    /// By database id.
    pub learners: BTreeMap<i64, Learner>,
    pub positions: HashMap<String, u32>,
    /// Per exercise, per failing test (or failure kind), how many failing verdicts named it.
    pub failures: HashMap<String, HashMap<String, u32>>,
    /// (time, exercises passed in the whole room so far), one point per first pass.
    pub progress: Vec<(i64, u32)>,
    pub passes: u32,
    pub events: u64,
    pub note: String,
}

impl Room {
    pub fn add_learner(&mut self, id: i64, name: String) {
        self.learners.entry(id).or_default().name = name;
    }

    pub fn apply(&mut self, learner_id: i64, event: &Event) {
        self.events += 1;
        if let Some(position) = event.position {
            self.positions.insert(event.exercise.clone(), position);
        }
        let Some(learner) = self.learners.get_mut(&learner_id) else {
            return;
        };
        learner.last_seen = learner.last_seen.max(event.at);
        if learner.exercise.as_deref() != Some(&event.exercise) {
            learner.exercise = Some(event.exercise.clone());
            learner.status = None;
            learner.failing.clear();
            learner.failing_since = None;
            learner.hints = 0;
            learner.seconds = 0;
        }
        learner.seconds = learner.seconds.max(event.seconds);
        match event.kind {
            Kind::Opened | Kind::Time => {}
            Kind::Hint => learner.hints += 1,
            Kind::Verdict => {
                let status = event.status.clone().unwrap_or_else(|| "unknown".into());
                if status == "pass" {
                    learner.failing.clear();
                    learner.failing_since = None;
                    if learner.passed.insert(event.exercise.clone()) {
                        self.passes += 1;
                        self.progress.push((event.at, self.passes));
                    }
                } else {
                    let same = learner.status.as_deref() == Some(&status)
                        && learner.failing == event.failing;
                    if !same || learner.failing_since.is_none() {
                        learner.failing_since = Some(event.at);
                    }
                    learner.failing = event.failing.clone();
                    let counts = self.failures.entry(event.exercise.clone()).or_default();
                    if event.failing.is_empty() {
                        *counts
                            .entry(format!("({})", status.replace('_', " ")))
                            .or_default() += 1;
                    }
                    for test in &event.failing {
                        *counts.entry(test.clone()).or_default() += 1;
                    }
                }
                learner.status = Some(status);
            }
        }
    }

    /// The exercises someone is on, in course order (unknown positions last, by name).
    pub fn exercises_in_use(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .learners
            .values()
            .filter_map(|l| l.exercise.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        names.sort_by_key(|n| {
            (
                self.positions.get(n).copied().unwrap_or(u32::MAX),
                n.clone(),
            )
        });
        names
    }

    /// The `n` failures named most often on `exercise`, most frequent first.
    pub fn top_failures(&self, exercise: &str, n: usize) -> Vec<(String, u32)> {
        let mut all: Vec<(String, u32)> = self
            .failures
            .get(exercise)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(id: &str, exercise: &str, at: i64, status: &str, failing: &[&str]) -> Event {
        Event {
            id: id.into(),
            kind: Kind::Verdict,
            exercise: exercise.into(),
            at,
            status: Some(status.into()),
            failing: failing.iter().map(|s| s.to_string()).collect(),
            seconds: 0,
            position: None,
        }
    }

    #[test]
    fn the_same_failing_test_starts_the_stuck_clock_once() {
        let mut room = Room::default();
        room.add_learner(1, "ada".into());
        room.apply(1, &verdict("a", "http1", 1_000, "test_failure", &["t1"]));
        room.apply(1, &verdict("b", "http1", 5_000, "test_failure", &["t1"]));
        let ada = &room.learners[&1];
        assert_eq!(ada.failing_since, Some(1_000));
        assert_eq!(ada.stuck_for(301_000, 300_000), Some(300_000));
        assert_eq!(ada.stuck_for(300_999, 300_000), None);
        // Another failing test restarts the clock; a pass stops it.
        room.apply(1, &verdict("c", "http1", 9_000, "test_failure", &["t2"]));
        assert_eq!(room.learners[&1].failing_since, Some(9_000));
        room.apply(1, &verdict("d", "http1", 10_000, "pass", &[]));
        assert_eq!(room.learners[&1].failing_since, None);
        assert_eq!(room.passes, 1);
        assert_eq!(
            room.top_failures("http1", 5),
            [("t1".into(), 2), ("t2".into(), 1)]
        );
    }

    #[test]
    fn a_new_exercise_resets_hints_and_status() {
        let mut room = Room::default();
        room.add_learner(1, "ada".into());
        room.apply(1, &verdict("a", "http1", 1, "compile_error", &[]));
        let hint = Event {
            kind: Kind::Hint,
            id: "h".into(),
            ..verdict("x", "http1", 2, "", &[])
        };
        room.apply(1, &hint);
        assert_eq!(room.learners[&1].hints, 1);
        assert_eq!(
            room.learners[&1].failing_label().as_deref(),
            Some("compile error")
        );
        let opened = Event {
            kind: Kind::Opened,
            id: "o".into(),
            ..verdict("x", "http2", 3, "", &[])
        };
        room.apply(1, &opened);
        let ada = &room.learners[&1];
        assert_eq!((ada.hints, ada.status.clone()), (0, None));
        assert_eq!(
            room.top_failures("http1", 1),
            [("(compile error)".into(), 1)]
        );
    }

    #[test]
    fn oversized_events_are_refused_with_the_reason() {
        let mut event = verdict("a", "http1", 1, "pass", &[]);
        assert_eq!(event.validate(), Ok(()));
        event.failing = vec!["x".repeat(MAX_TEST_NAME + 1)];
        assert!(event.validate().unwrap_err().contains("test name"));
        event.failing = vec![];
        event.exercise = String::new();
        assert!(event.validate().unwrap_err().contains("exercise name"));
    }
}
