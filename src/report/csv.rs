//! The CSV roster (`--csv`): one row per learner, a score column per section, then total,
//! maximum and percent. Written with the `csv` crate, so names with commas or quotes stay in
//! their cell; a learner name starting with `=`, `+`, `-` or `@` is prefixed with `'` so a
//! spreadsheet does not take it for a formula.

use anyhow::Result;

use super::printable;
use crate::grade::model::{GradeReport, LearnerStatus};

pub fn render(report: &GradeReport) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "learner".to_string(),
        "status".to_string(),
        "commit".to_string(),
    ];
    header.extend(report.course.sections.iter().map(|s| s.title.clone()));
    header.extend(["score", "max_score", "percent"].map(String::from));
    writer.write_record(&header)?;
    for learner in &report.learners {
        let mut row = vec![
            cell(&learner.name),
            match learner.status {
                LearnerStatus::Graded => "graded".to_string(),
                LearnerStatus::Error => "error".to_string(),
            },
            learner.commit.clone().unwrap_or_default(),
        ];
        row.extend(learner.sections.iter().map(|s| s.score.to_string()));
        row.push(learner.score.to_string());
        row.push(learner.max_score.to_string());
        row.push(format!("{:.2}", learner.percent));
        writer.write_record(&row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn cell(text: &str) -> String {
    let text = printable(text);
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text
    }
}
