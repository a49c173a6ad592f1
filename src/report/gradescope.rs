//! Gradescope's `results.json` (`grade --gradescope FILE`) for one submission: one test per
//! exercise, worth its points, in curriculum order, so the submission page lists the course the
//! way the learner sees it. Format: Gradescope's autograder specification
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>); Gradescope computes
//! nothing itself when a top-level `score` is given, so the score is exactly ours.

use std::time::Duration;

use anyhow::{Result, bail};
use serde::Serialize;

use super::printable;
use crate::report::model::{ExerciseGrade, GradeReport};

/// Output kept per test. Gradescope shows each test's output in a page that a learner scrolls;
/// a compiler error's first screens say what matters, and the whole file stays small.
pub const TEST_OUTPUT_CAP: usize = 8 * 1024;

#[derive(Serialize)]
struct Results {
    score: f64,
    /// Seconds, from the start of `grade` to the report.
    execution_time: u64,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    score: f64,
    max_score: f64,
    /// "passed" or "failed".
    status: &'static str,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
}

/// Renders the report of a one-learner run; an error names why it cannot.
pub fn render(report: &GradeReport, elapsed: Duration) -> Result<String> {
    let [learner] = report.learners.as_slice() else {
        bail!(
            "Gradescope's results.json holds one submission, but {} learners were graded",
            report.learners.len()
        );
    };
    let course = &report.course;
    let section_title = |dir: &str| {
        course
            .sections
            .iter()
            .find(|s| s.dir == dir)
            .map_or(dir, |s| s.title.as_str())
            .to_string()
    };
    let tests = course
        .exercises
        .iter()
        .enumerate()
        .map(|(i, exercise)| {
            let name = format!("{}: {}", section_title(&exercise.section), exercise.name);
            match learner.exercises.get(i) {
                Some(grade) => Test {
                    name,
                    score: f64::from(grade.score),
                    max_score: f64::from(grade.max_score),
                    status: if grade.status.is_pass() {
                        "passed"
                    } else {
                        "failed"
                    },
                    output: test_output(grade),
                    output_format: "text",
                    visibility: "visible",
                },
                None => Test {
                    name,
                    score: 0.0,
                    max_score: f64::from(exercise.points),
                    status: "failed",
                    output:
                        "Not graded: the submission could not be graded (see the top of this page)."
                            .into(),
                    output_format: "text",
                    visibility: "visible",
                },
            }
        })
        .collect();
    let mut output = format!(
        "{} of {} points ({:.2}%) on {}: {} of {} exercises pass.\n",
        learner.score,
        learner.max_score,
        learner.percent,
        course.name(),
        learner
            .exercises
            .iter()
            .filter(|e| e.status.is_pass())
            .count(),
        course.exercises.len()
    );
    if learner.status.is_error() {
        output = format!(
            "This submission could not be graded: {}\n",
            printable(learner.error.as_deref().unwrap_or("unknown error"))
        );
    }
    let results = Results {
        score: f64::from(learner.score),
        execution_time: elapsed.as_secs_f64().round() as u64,
        output,
        output_format: "text",
        visibility: "visible",
        tests,
    };
    let mut text = serde_json::to_string_pretty(&results)?;
    text.push('\n');
    Ok(text)
}

/// What a learner reads under one exercise: the verdict, then the captured output, capped.
fn test_output(grade: &ExerciseGrade) -> String {
    let mut text = String::new();
    if !grade.status.is_pass() {
        let label = grade.status.label();
        let mut chars = label.chars();
        if let Some(first) = chars.next() {
            text.extend(first.to_uppercase());
            text.push_str(chars.as_str());
        }
        text.push('\n');
        if !grade.failing_tests.is_empty() {
            text.push_str(&format!(
                "Failing tests: {}\n",
                grade.failing_tests.join(", ")
            ));
        }
    }
    if grade.tests_modified {
        text.push_str(
            "Your copy of this exercise's tests differs from the course's; it was graded against the course's tests.\n",
        );
    }
    if !grade.status.is_pass() && !grade.output.is_empty() {
        text.push('\n');
        text.push_str(&printable(cap(&grade.output, TEST_OUTPUT_CAP)));
        if grade.output.len() > TEST_OUTPUT_CAP || grade.output_truncated {
            text.push_str("\n[output truncated]\n");
        }
    }
    text
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn cap(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_at_a_character_boundary() {
        assert_eq!(cap("héllo", 2), "h");
        assert_eq!(cap("héllo", 3), "hé");
        assert_eq!(cap("abc", 10), "abc");
    }
}
