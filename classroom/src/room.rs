//! The room as the instructor sees it: a fold over the stored events. Kept in memory (rebuilt
//! from SQLite at start) so the page never queries the database while the class is busy.

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use backendlings_classroom_protocol::{Event, Kind, Status};

#[derive(Debug, Default, Clone)]
pub struct Learner {
    pub name: String,
    pub exercise: Option<String>,
    /// The last verdict's status on the current exercise.
    pub status: Option<Status>,
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
        self.status.is_some_and(Status::is_pass)
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
        match (self.failing.first(), self.status) {
            (Some(test), _) => Some(test.clone()),
            (None, Some(status)) => Some(status.label().to_string()),
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
        if event.kind == Kind::Done {
            // Passed before joining: counted, but the learner is elsewhere now.
            if learner.passed.insert(event.exercise.clone()) {
                self.passes += 1;
                self.progress.push((event.at, self.passes));
            }
            return;
        }
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
            Kind::Opened | Kind::Time | Kind::Done => {}
            Kind::Hint => learner.hints += 1,
            Kind::Verdict => {
                let status = event.status.unwrap_or(Status::Other);
                if status.is_pass() {
                    learner.failing.clear();
                    learner.failing_since = None;
                    if learner.passed.insert(event.exercise.clone()) {
                        self.passes += 1;
                        self.progress.push((event.at, self.passes));
                    }
                } else {
                    let same = learner.status == Some(status) && learner.failing == event.failing;
                    if !same || learner.failing_since.is_none() {
                        learner.failing_since = Some(event.at);
                    }
                    learner.failing = event.failing.clone();
                    let counts = self.failures.entry(event.exercise.clone()).or_default();
                    if event.failing.is_empty() {
                        *counts.entry(format!("({})", status.label())).or_default() += 1;
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
    use backendlings_classroom_protocol::MAX_TEST_NAME;

    fn verdict(id: &str, exercise: &str, at: i64, status: Status, failing: &[&str]) -> Event {
        Event {
            id: id.into(),
            kind: Kind::Verdict,
            exercise: exercise.into(),
            at,
            status: Some(status),
            failing: failing.iter().map(|s| s.to_string()).collect(),
            seconds: 0,
            position: None,
        }
    }

    #[test]
    fn the_same_failing_test_starts_the_stuck_clock_once() {
        let mut room = Room::default();
        room.add_learner(1, "ada".into());
        room.apply(
            1,
            &verdict("a", "http1", 1_000, Status::TestsFailed, &["t1"]),
        );
        room.apply(
            1,
            &verdict("b", "http1", 5_000, Status::TestsFailed, &["t1"]),
        );
        let ada = &room.learners[&1];
        assert_eq!(ada.failing_since, Some(1_000));
        assert_eq!(ada.stuck_for(301_000, 300_000), Some(300_000));
        assert_eq!(ada.stuck_for(300_999, 300_000), None);
        // Another failing test restarts the clock; a pass stops it.
        room.apply(
            1,
            &verdict("c", "http1", 9_000, Status::TestsFailed, &["t2"]),
        );
        assert_eq!(room.learners[&1].failing_since, Some(9_000));
        room.apply(1, &verdict("d", "http1", 10_000, Status::Passed, &[]));
        assert_eq!(room.learners[&1].failing_since, None);
        assert_eq!(room.passes, 1);
        assert_eq!(
            room.top_failures("http1", 5),
            [("t1".into(), 2), ("t2".into(), 1)]
        );
    }

    /// What the runner sends after a pass, parsed as the server parses it.
    #[test]
    fn the_runners_pass_counts_and_is_never_stuck() {
        let mut room = Room::default();
        room.add_learner(1, "ada".into());
        room.apply(
            1,
            &verdict("a", "http1", 1_000, Status::TestsFailed, &["t1"]),
        );
        let pass: Event = serde_json::from_str(
            r#"{"id":"b","kind":"verdict","exercise":"http1","at":2000,"status":"passed"}"#,
        )
        .unwrap();
        room.apply(1, &pass);
        let ada = &room.learners[&1];
        assert!(ada.passing());
        assert_eq!(ada.stuck_for(10_000_000, 1), None);
        assert_eq!(room.passes, 1);
        assert_eq!(room.top_failures("http1", 5), [("t1".into(), 1)]);
        // Passed before joining: counted once, and ada stays where she is.
        let done = Event {
            kind: Kind::Done,
            id: "c".into(),
            status: None,
            ..verdict("c", "intro", 3_000, Status::Passed, &[])
        };
        room.apply(1, &done);
        room.apply(
            1,
            &Event {
                id: "d".into(),
                ..done.clone()
            },
        );
        assert_eq!(room.passes, 2);
        assert_eq!(room.learners[&1].exercise.as_deref(), Some("http1"));
    }

    #[test]
    fn a_new_exercise_resets_hints_and_status() {
        let mut room = Room::default();
        room.add_learner(1, "ada".into());
        room.apply(1, &verdict("a", "http1", 1, Status::CompileError, &[]));
        let hint = Event {
            kind: Kind::Hint,
            id: "h".into(),
            ..verdict("x", "http1", 2, Status::Passed, &[])
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
            ..verdict("x", "http2", 3, Status::Passed, &[])
        };
        room.apply(1, &opened);
        let ada = &room.learners[&1];
        assert_eq!((ada.hints, ada.status), (0, None));
        assert_eq!(
            room.top_failures("http1", 1),
            [("(compile error)".into(), 1)]
        );
    }

    #[test]
    fn oversized_events_are_refused_with_the_reason() {
        let mut event = verdict("a", "http1", 1, Status::Passed, &[]);
        assert_eq!(event.validate(), Ok(()));
        event.failing = vec!["x".repeat(MAX_TEST_NAME + 1)];
        assert!(event.validate().unwrap_err().contains("test name"));
        event.failing = vec![];
        event.exercise = String::new();
        assert!(event.validate().unwrap_err().contains("exercise name"));
    }
}
