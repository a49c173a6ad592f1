//! The grade report as JSON (`--json`, schema in `docs/report-schema.md`) and the short roster
//! printed after grading.

use anyhow::Result;

use crate::grade::model::{GradeReport, LearnerStatus};

/// The versioned JSON report.
pub fn json(report: &GradeReport) -> Result<String> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}

/// One line per learner: score, percent, and what stands out.
pub fn summary(report: &GradeReport) -> String {
    let width = report
        .learners
        .iter()
        .map(|l| l.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let mut out = String::new();
    for learner in &report.learners {
        let detail = match learner.status {
            LearnerStatus::Error => format!("error: {}", learner.error.as_deref().unwrap_or("")),
            LearnerStatus::Graded => {
                let passed = learner
                    .exercises
                    .iter()
                    .filter(|e| e.status.is_pass())
                    .count();
                let modified = learner
                    .exercises
                    .iter()
                    .filter(|e| e.tests_modified)
                    .count();
                let locked = learner
                    .exercises
                    .iter()
                    .filter(|e| e.locked_modified)
                    .count();
                let mut detail = format!("{passed}/{} exercises pass", learner.exercises.len());
                if modified > 0 {
                    detail.push_str(&format!(", tests modified in {modified}"));
                }
                if locked > 0 {
                    detail.push_str(&format!(", locked code modified in {locked}"));
                }
                if let Some(commit) = &learner.commit {
                    detail.push_str(&format!(", commit {}", &commit[..commit.len().min(12)]));
                }
                detail
            }
        };
        out.push_str(&format!(
            "{:<width$}  {:>4}/{:<4} {:>6.2}%  {detail}\n",
            learner.name, learner.score, learner.max_score, learner.percent
        ));
    }
    let graded = report
        .learners
        .iter()
        .filter(|l| l.status == LearnerStatus::Graded)
        .count();
    out.push_str(&format!(
        "{graded}/{} learners graded against {} ({} exercises)\n",
        report.learners.len(),
        report.course.id,
        report.course.exercises.len()
    ));
    out
}
