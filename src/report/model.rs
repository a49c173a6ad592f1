//! The results of grading a cohort, as plain data. Every grade reporter (JSON, JUnit, CSV,
//! HTML, terminal) renders these; the JSON report is their serialization, documented in
//! `docs/report-schema.md`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::verdict::Status;

/// Said in every report graded with `--at`: the deadline is only as good as commit dates.
pub const DEADLINE_NOTE: &str = "commits are picked by committer date, which the learner's own \
machine sets: a date can be forged, so a late commit can pass for an early one; where it matters, \
check when the commits reached your server (push or CI logs)";

/// Version of the JSON report; bumped on any change a consumer could notice.
pub const REPORT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GradeReport {
    pub version: u32,
    /// When grading finished (RFC 3339, UTC).
    pub graded_at: String,
    /// The `--at` deadline, when given (RFC 3339).
    pub deadline: Option<String>,
    /// How learner code was confined: `bubblewrap`, or `none` (it ran with the grader's
    /// rights; see docs/grading-security.md).
    pub isolation: String,
    /// With `--at`: what the deadline cannot prove (commit dates are set by the learner).
    pub deadline_note: Option<String>,
    pub course: CourseInfo,
    /// Set in a partial report (`grade --partition K/N`) only, for `report merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<PartInfo>,
    pub learners: Vec<LearnerGrade>,
}

/// Part `index` of `count` of a cohort graded in parts (`grade --partition K/N`; which learners
/// a part takes is `grade::partition`'s business) (1-based, `1 <= index <= count`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: u32,
    pub count: u32,
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Partition, String> {
        let usage = "write K/N with 1 <= K <= N, e.g. 2/4 for the second of four parts";
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?} is not K/N: {usage}"))?;
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("{what} {s:?} is not a whole number: {usage}"))
        };
        let index = number(k, "K")?;
        let count = number(n, "N")?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("{text} is out of range: {usage}"));
        }
        Ok(Partition { index, count })
    }
}

/// What `report merge` needs to know about one part of a cohort graded in N parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartInfo {
    /// `K/N`.
    pub part: String,
    /// Every learner of the whole cohort, in the order one run would grade them: merging puts
    /// the learners back in this order and checks that no part is missing.
    pub cohort: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CourseInfo {
    /// The course folder's name.
    pub id: String,
    /// The course's `title` (its folder's name when it has none): what people read.
    #[serde(default)]
    pub title: String,
    /// BLAKE3 of the course's `info.toml` (hex): which version of the course graded this.
    pub info_digest: String,
    pub max_score: u32,
    pub sections: Vec<SectionInfo>,
    /// Exercises in curriculum order.
    pub exercises: Vec<ExerciseInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionInfo {
    pub dir: String,
    pub title: String,
    pub max_score: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseInfo {
    pub name: String,
    pub section: String,
    pub points: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearnerStatus {
    Graded,
    /// The learner's tree could not be graded (unreadable, no commit before the deadline...).
    Error,
    /// The grader itself failed on this learner (a bug in backendlings): everyone else is
    /// graded regardless.
    GraderError,
}

impl LearnerStatus {
    /// Not graded, whoever is to blame.
    pub fn is_error(self) -> bool {
        self != LearnerStatus::Graded
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LearnerGrade {
    pub name: String,
    pub path: String,
    pub status: LearnerStatus,
    /// Why the learner could not be graded (`status = error`).
    pub error: Option<String>,
    /// The commit graded (with `--at` on a git tree).
    pub commit: Option<String>,
    pub score: u32,
    pub max_score: u32,
    /// `score / max_score` in percent, rounded to two decimals.
    pub percent: f64,
    pub sections: Vec<SectionScore>,
    /// In curriculum order; empty when `status = error`.
    pub exercises: Vec<ExerciseGrade>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionScore {
    pub dir: String,
    pub title: String,
    pub score: u32,
    pub max_score: u32,
    pub passed: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExerciseGrade {
    pub name: String,
    pub section: String,
    pub status: Status,
    pub tests_modified: bool,
    /// The learner's copy of the exercise's locked items (`locked` in `info.toml`) differs from
    /// the course's; it was graded with the course's.
    pub locked_modified: bool,
    pub score: u32,
    pub max_score: u32,
    pub duration_ms: u64,
    pub failing_tests: Vec<String>,
    /// Why the verdict is what it is, when the output alone does not say (`Reason::key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Compiler and program output, ANSI codes stripped, capped.
    pub output: String,
    pub output_truncated: bool,
}

impl CourseInfo {
    /// The course's title, or its folder's name in reports written before titles.
    pub fn name(&self) -> &str {
        if self.title.is_empty() {
            &self.id
        } else {
            &self.title
        }
    }

    pub fn of(course: &Course, info_digest: String) -> CourseInfo {
        let id = std::fs::canonicalize(&course.root)
            .unwrap_or_else(|_| course.root.clone())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        CourseInfo {
            title: course.title.clone().unwrap_or_else(|| id.clone()),
            id,
            info_digest,
            max_score: course.max_points(),
            sections: course
                .sections
                .iter()
                .enumerate()
                .map(|(s, section)| SectionInfo {
                    dir: section.dir.clone(),
                    title: section.title.clone(),
                    max_score: course
                        .section_exercises(s)
                        .map(|i| course.exercises[i].points)
                        .sum(),
                })
                .collect(),
            exercises: course
                .exercises
                .iter()
                .map(|e| ExerciseInfo {
                    name: e.name.clone(),
                    section: course.sections[e.section].dir.clone(),
                    points: e.points,
                })
                .collect(),
        }
    }
}

impl LearnerGrade {
    /// A learner the grader failed on (it panicked): zero of everything, and why.
    pub fn grader_error(
        name: String,
        path: String,
        course: &CourseInfo,
        error: String,
    ) -> LearnerGrade {
        LearnerGrade {
            status: LearnerStatus::GraderError,
            ..LearnerGrade::error(name, path, course, error)
        }
    }

    /// A learner that could not be graded at all: zero of everything.
    pub fn error(name: String, path: String, course: &CourseInfo, error: String) -> LearnerGrade {
        LearnerGrade {
            name,
            path,
            status: LearnerStatus::Error,
            error: Some(error),
            commit: None,
            score: 0,
            max_score: course.max_score,
            percent: 0.0,
            sections: course
                .sections
                .iter()
                .map(|s| SectionScore {
                    dir: s.dir.clone(),
                    title: s.title.clone(),
                    score: 0,
                    max_score: s.max_score,
                    passed: 0,
                    total: course
                        .exercises
                        .iter()
                        .filter(|e| e.section == s.dir)
                        .count(),
                })
                .collect(),
            exercises: Vec::new(),
        }
    }

    /// A graded learner; section and total scores are summed from `exercises`.
    pub fn graded(
        name: String,
        path: String,
        commit: Option<String>,
        course: &CourseInfo,
        exercises: Vec<ExerciseGrade>,
    ) -> LearnerGrade {
        let sections: Vec<SectionScore> = course
            .sections
            .iter()
            .map(|s| {
                let members = exercises.iter().filter(|e| e.section == s.dir);
                SectionScore {
                    dir: s.dir.clone(),
                    title: s.title.clone(),
                    score: members.clone().map(|e| e.score).sum(),
                    max_score: s.max_score,
                    passed: members.clone().filter(|e| e.status.is_pass()).count(),
                    total: members.count(),
                }
            })
            .collect();
        let score = exercises.iter().map(|e| e.score).sum();
        LearnerGrade {
            name,
            path,
            status: LearnerStatus::Graded,
            error: None,
            commit,
            score,
            max_score: course.max_score,
            percent: percent(score, course.max_score),
            sections,
            exercises,
        }
    }
}

/// `score / max` in percent, two decimals; a course worth nothing counts as fully done.
pub fn percent(score: u32, max: u32) -> f64 {
    if max == 0 {
        return 100.0;
    }
    (f64::from(score) * 10000.0 / f64::from(max)).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_to_two_decimals() {
        assert_eq!(percent(1, 3), 33.33);
        assert_eq!(percent(0, 0), 100.0);
        assert_eq!(percent(5, 5), 100.0);
    }
}
