//! The CSV roster (`--csv`): one row per learner, a score column per section, then total,
//! maximum and percent. Written with the `csv` crate, so names with commas or quotes stay in
//! their cell; a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed
//! with `'` so that a spreadsheet does not run it as a formula (a learner names their own folder).

use anyhow::Result;

use super::printable;
use crate::report::model::{GradeReport, LearnerStatus};

pub fn render(report: &GradeReport) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "learner".to_string(),
        "status".to_string(),
        "commit".to_string(),
    ];
    header.extend(report.course.sections.iter().map(|s| cell(&s.title)));
    header.extend(["score", "max_score", "percent"].map(String::from));
    writer.write_record(&header)?;
    for learner in &report.learners {
        let mut row = vec![
            cell(&learner.name),
            match learner.status {
                LearnerStatus::Graded => "graded".to_string(),
                LearnerStatus::Error => "error".to_string(),
                LearnerStatus::GraderError => "grader_error".to_string(),
            },
            cell(learner.commit.as_deref().unwrap_or_default()),
        ];
        row.extend(learner.sections.iter().map(|s| s.score.to_string()));
        row.push(learner.score.to_string());
        row.push(learner.max_score.to_string());
        row.push(format!("{:.2}", learner.percent));
        writer.write_record(&row)?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// A text cell no spreadsheet takes for a formula. Numbers are written as they are: scores are
/// never negative.
fn cell(text: &str) -> String {
    let text = printable(text);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    #[test]
    fn cells_that_start_a_formula_are_guarded() {
        for (name, shown) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("ada, \"the\" first", "ada, \"the\" first"),
            ("bob=1", "bob=1"),
        ] {
            let text = render(&sample_report(name, "")).unwrap();
            let mut reader = csv::Reader::from_reader(text.as_bytes());
            let row = reader.records().next().unwrap().unwrap();
            assert_eq!(&row[0], shown, "{name:?}");
            assert_eq!(&row[3], "0");
        }
    }
}
