//! `dev check --repeat N`: telling a program whose verdict depends on luck (timing, scheduling,
//! leftover files) from one that is deterministic, by comparing its outcomes over N runs.
//! A flaky test is worse than none: learners who did it right see it fail, and a wrong
//! solution passes some of the time.

use std::collections::{BTreeMap, BTreeSet};

use crate::verdict::{Status, Verdict};

/// What one run of a program showed: its verdict and which tests failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    status: Status,
    failing: BTreeSet<String>,
}

impl Outcome {
    pub(super) fn of(verdict: &Verdict) -> Outcome {
        Outcome {
            // Repeated runs are not linted: clippy's verdict is the same on every run anyway,
            // and it says the tests passed.
            status: match verdict.status {
                Status::ClippyFailed => Status::Passed,
                status => status,
            },
            failing: verdict.failing_tests.iter().cloned().collect(),
        }
    }
}

impl Outcome {
    /// A mutant's run counts only as killed or survived: which tests catch it may vary (a race
    /// it loses at different points), as long as one always does; a learner with that wrong
    /// solution then always fails.
    pub(super) fn of_mutant(verdict: &Verdict) -> Outcome {
        let killed = matches!(
            verdict.status,
            Status::TestsFailed | Status::RunFailed | Status::TimedOut
        );
        Outcome {
            status: if killed {
                Status::TestsFailed
            } else {
                Status::Passed
            },
            failing: BTreeSet::new(),
        }
    }
}

/// How a program's outcomes changed over its runs, in words; `None` when they did not.
pub(super) fn describe(runs: &[Outcome]) -> Option<String> {
    let first = runs.first()?;
    if runs.iter().all(|run| run == first) {
        return None;
    }
    let total = runs.len();
    let mut parts = Vec::new();
    let mut failures: BTreeMap<&str, usize> = BTreeMap::new();
    for run in runs {
        for test in &run.failing {
            *failures.entry(test).or_default() += 1;
        }
    }
    for (test, count) in failures {
        if count < total {
            parts.push(format!("{test} failed in {count} of {total} runs"));
        }
    }
    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for run in runs {
        *statuses.entry(run.status.label()).or_default() += 1;
    }
    if statuses.len() > 1 {
        let counts: Vec<String> = statuses
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        parts.push(format!("verdicts over {total} runs: {}", counts.join(", ")));
    }
    Some(parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(status: Status, failing: &[&str]) -> Outcome {
        Outcome {
            status,
            failing: failing.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn the_same_outcome_every_run_is_not_flaky() {
        let failed = outcome(Status::TestsFailed, &["tests::a"]);
        assert_eq!(describe(&[failed.clone(), failed.clone(), failed]), None);
        assert_eq!(describe(&[]), None);
    }

    #[test]
    fn names_the_tests_that_changed_and_the_verdicts() {
        let runs = [
            outcome(Status::Passed, &[]),
            outcome(Status::TestsFailed, &["tests::race", "tests::always"]),
            outcome(Status::TestsFailed, &["tests::always"]),
        ];
        let text = describe(&runs).unwrap();
        assert!(text.contains("tests::race failed in 1 of 3 runs"), "{text}");
        assert!(
            text.contains("tests::always failed in 2 of 3 runs"),
            "{text}"
        );
        assert!(text.contains("passed 1, tests failed 2"), "{text}");
    }

    #[test]
    fn a_changed_set_of_failing_tests_is_flaky_too() {
        let runs = [
            outcome(Status::TestsFailed, &["tests::a"]),
            outcome(Status::TestsFailed, &["tests::b"]),
        ];
        let text = describe(&runs).unwrap();
        assert!(text.contains("tests::a failed in 1 of 2 runs"), "{text}");
        assert!(!text.contains("verdicts"), "{text}");
    }

    #[test]
    fn clippy_failures_count_as_passing_runs() {
        let mut verdict = Verdict::new(Status::ClippyFailed, Default::default());
        let clippy = Outcome::of(&verdict);
        verdict.status = Status::Passed;
        assert_eq!(describe(&[clippy, Outcome::of(&verdict)]), None);
    }
}
