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
pub mod reason;
pub mod terminal;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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

/// Where each cohort report asked for goes; shared by `grade` and `report merge`. `-` is
/// stdout, for one report at most (the command line refuses more, since they would mix).
#[derive(Debug, Default)]
pub struct Outputs {
    pub json: Option<PathBuf>,
    pub junit: Option<PathBuf>,
    pub csv: Option<PathBuf>,
    pub html: Option<PathBuf>,
}

impl Outputs {
    /// The reports asked for, in a fixed order, with their destinations.
    pub fn iter(&self) -> impl Iterator<Item = (Format, &Path)> {
        [
            (Format::Json, &self.json),
            (Format::Junit, &self.junit),
            (Format::Csv, &self.csv),
            (Format::Html, &self.html),
        ]
        .into_iter()
        .filter_map(|(format, path)| path.as_deref().map(|p| (format, p)))
    }

    /// Whether a report goes to stdout, where the human summary then must not go.
    pub fn uses_stdout(&self) -> bool {
        self.iter().any(|(_, path)| is_stdout(path))
    }
}

/// `-`, the destination that means stdout.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub fn write_reports(report: &GradeReport, outputs: &Outputs) -> Result<()> {
    for (format, path) in outputs.iter() {
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
    if is_stdout(path) {
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
        title: "course".into(),
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
        reason: None,
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
