//! Reporters: they consume the course, progress and verdicts (or a cohort's grades) and render
//! them. Nothing here runs anything.

pub mod cohort;
pub mod csv;
pub mod gradescope;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
pub mod model;
mod printable;
pub mod terminal;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::cli::ReportFiles;
use crate::fsutil::write_atomic;
use model::GradeReport;
pub use printable::printable;

/// The cohort report formats `grade` and `report merge` write.

#[derive(Clone, Copy, Debug)]
pub enum Format {
    Json,
    Junit,
    Csv,
    Html,
}

/// The reports asked for, with their destinations (`-` is stdout, for one of them at most).
pub fn outputs(files: &ReportFiles) -> Result<Vec<(Format, PathBuf)>> {
    let outputs: Vec<(Format, PathBuf)> = [
        (Format::Json, &files.json),
        (Format::Junit, &files.junit),
        (Format::Csv, &files.csv),
        (Format::Html, &files.html),
    ]
    .into_iter()
    .filter_map(|(format, path)| path.clone().map(|p| (format, p)))
    .collect();
    if outputs.iter().filter(|(_, p)| p.as_os_str() == "-").count() > 1 {
        bail!("only one report can go to stdout (`-`); write the others to files");
    }
    Ok(outputs)
}

pub fn write_reports(report: &GradeReport, outputs: &[(Format, PathBuf)]) -> Result<()> {
    for (format, path) in outputs {
        let bytes = match format {
            Format::Json => cohort::json(report)?,
            Format::Junit => junit::render(report)?,
            Format::Csv => csv::render(report)?,
            Format::Html => html::render(report),
        }
        .into_bytes();
        write_to(path, &bytes)?;
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically, or to stdout for `-`.
pub fn write_to(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes).context("cannot write to stdout")?;
        return stdout.flush().context("cannot write to stdout");
    }
    write_atomic(path, bytes)
}

/// A one-learner cohort report for the reporters' unit tests: the learner is named `name`, fails
/// its only exercise and printed `output`.
#[cfg(test)]
pub(crate) fn sample_report(name: &str, output: &str) -> crate::report::model::GradeReport {
    use crate::report::model::{
        CourseInfo, ExerciseGrade, ExerciseInfo, GradeReport, LearnerGrade, SectionInfo,
    };
    let course = CourseInfo {
        id: "course".into(),
        info_digest: "0".into(),
        max_score: 1,
        sections: vec![SectionInfo {
            dir: "basics".into(),
            title: "Basics".into(),
            max_score: 1,
        }],
        exercises: vec![ExerciseInfo {
            name: "add".into(),
            section: "basics".into(),
            points: 1,
        }],
    };
    let exercise = ExerciseGrade {
        name: "add".into(),
        section: "basics".into(),
        status: crate::verdict::Status::TestsFailed,
        tests_modified: false,
        locked_modified: false,
        score: 0,
        max_score: 1,
        duration_ms: 5,
        failing_tests: vec![format!("tests::{name}")],
        output: output.into(),
        output_truncated: false,
    };
    let learner = LearnerGrade::graded(
        name.into(),
        format!("/cohort/{name}"),
        None,
        &course,
        vec![exercise],
    );
    GradeReport {
        version: crate::report::model::REPORT_VERSION,
        graded_at: "2026-01-01T00:00:00Z".into(),
        deadline: None,
        deadline_note: None,
        isolation: "bubblewrap".into(),
        partition: None,
        course,
        learners: vec![learner],
    }
}
