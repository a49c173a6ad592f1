//! `backendlings report merge`: the JSON reports of a cohort graded in N parts
//! (`grade --partition K/N`) become the reports one run over the whole cohort would have written.
//!
//! Parts are only combined when they can be: same report version, same course (the digest of
//! its `info.toml`), same deadline and every other top-level field equal, no learner in two
//! parts, and, for partial reports, every part present. Each check names the files involved,
//! because the person reading the message is looking at a CI job's artifacts.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;

use super::{Outputs, write_reports};
use crate::report::cohort;
use crate::report::model::{GradeReport, LearnerGrade, REPORT_VERSION};
use crate::stdout::out;

/// Top-level fields that differ between parts by nature; every other one must agree.
const PER_PART_FIELDS: [&str; 3] = ["graded_at", "partition", "learners"];

/// One part as read: its file, its JSON (to compare fields this binary may not model) and the
/// report.
pub struct Part {
    pub path: PathBuf,
    pub json: Value,
    pub report: GradeReport,
}

/// What to merge and where the merged reports go, from the command line.
#[derive(Debug)]
pub struct Config {
    /// The parts' JSON reports, in the order given.
    pub parts: Vec<PathBuf>,
    /// At least one report (the command line requires it: a merge that writes nothing is a
    /// mistake).
    pub outputs: Outputs,
}

pub fn run(config: &Config) -> Result<ExitCode> {
    let parts = config
        .parts
        .iter()
        .map(|path| read_part(path))
        .collect::<Result<Vec<Part>>>()?;
    let report = merge(parts)?;
    write_reports(&report, &config.outputs)?;
    let summary = cohort::summary(&report);
    if config.outputs.uses_stdout() {
        eprint!("{summary}");
    } else {
        out!("{summary}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads one part; a file that is not a report of a version this binary reads is an error.
pub fn read_part(path: &Path) -> Result<Part> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the report {}", path.display()))?;
    let json: Value = serde_json::from_str(&text).map_err(|err| {
        anyhow!(
            "{} is not JSON (line {}, column {}): {err}\n  help: pass the files written by `grade --json`",
            path.display(),
            err.line(),
            err.column()
        )
    })?;
    let version = json
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            anyhow!(
                "{} is not a backendlings grade report: it has no `version` field\n  help: pass the files written by `grade --json`",
                path.display()
            )
        })?;
    if version != u64::from(REPORT_VERSION) {
        bail!(
            "{} is a version {version} report, and this backendlings reads version {REPORT_VERSION}\n  help: merge with the backendlings release that graded the parts",
            path.display()
        );
    }
    let report: GradeReport = serde_json::from_value(json.clone()).map_err(|err| {
        anyhow!(
            "{} is not a backendlings grade report: {err}",
            path.display()
        )
    })?;
    Ok(Part {
        path: path.to_path_buf(),
        json,
        report,
    })
}

/// The report one run over the whole cohort would have written, from its parts.
pub fn merge(parts: Vec<Part>) -> Result<GradeReport> {
    let Some(first) = parts.first() else {
        bail!("no reports to merge");
    };
    for part in &parts[1..] {
        agree(first, part)?;
    }

    let cohort = partial_reports(&parts)?;
    // A learner graded in two parts: the cohort was split twice, or a report was passed twice.
    let mut owner: HashMap<&str, &Path> = HashMap::new();
    for part in &parts {
        for learner in &part.report.learners {
            if let Some(other) = owner.insert(&learner.name, &part.path) {
                bail!(
                    "learner {:?} is in both {} and {}\n  help: merge the parts of one run, each once",
                    learner.name,
                    other.display(),
                    part.path.display()
                );
            }
        }
    }

    let learners = match cohort {
        Some(cohort) => in_cohort_order(&parts, &cohort)?,
        // Whole reports: their learners, in the order the files were given.
        None => parts
            .iter()
            .flat_map(|p| p.report.learners.iter().cloned())
            .collect(),
    };
    let graded_at = parts
        .iter()
        .map(|p| p.report.graded_at.as_str())
        .max_by_key(|at| at.parse::<jiff::Timestamp>().ok())
        .unwrap_or_default()
        .to_string();
    let mut report = parts.into_iter().next().expect("checked above").report;
    report.graded_at = graded_at;
    report.partition = None;
    report.learners = learners;
    Ok(report)
}

/// Checks that `part` can be merged with `first`: same course, same settings.
fn agree(first: &Part, part: &Part) -> Result<()> {
    let (a, b) = (&first.report.course, &part.report.course);
    if a.info_digest != b.info_digest {
        bail!(
            "{} and {} were graded against different courses (info.toml digest {} and {})\n  help: grade every part with the same commit of the course",
            first.path.display(),
            part.path.display(),
            short(&a.info_digest),
            short(&b.info_digest)
        );
    }
    let fields = |json: &Value| json.as_object().cloned().unwrap_or_default();
    let (mine, theirs) = (fields(&first.json), fields(&part.json));
    let mut keys: Vec<&String> = mine.keys().chain(theirs.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if PER_PART_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let (x, y) = (mine.get(key), theirs.get(key));
        if x != y {
            bail!(
                "{} and {} disagree on `{key}`: {} and {}\n  help: grade every part with the same course, flags and backendlings",
                first.path.display(),
                part.path.display(),
                brief(x),
                brief(y)
            );
        }
    }
    Ok(())
}

/// For partial reports, the whole cohort in grading order, once every part is known to be of
/// the same split and present; `None` when the reports are whole runs.
fn partial_reports(parts: &[Part]) -> Result<Option<Vec<String>>> {
    let first = &parts[0];
    let whole: Vec<&Part> = parts
        .iter()
        .filter(|p| p.report.partition.is_none())
        .collect();
    if whole.len() == parts.len() {
        return Ok(None);
    }
    if let Some(w) = whole.first() {
        let p = parts
            .iter()
            .find(|p| p.report.partition.is_some())
            .expect("some part is partial");
        bail!(
            "{} is part {} of a cohort, but {} is a whole report\n  help: merge either the parts of one `grade --partition` run or whole reports",
            p.path.display(),
            p.report.partition.as_ref().expect("partial").part,
            w.path.display()
        );
    }
    let info = |p: &Part| p.report.partition.clone().expect("every part is partial");
    let first_info = info(first);
    let count = part_count(&first.path, &first_info.part)?;
    let mut seen: HashMap<u32, &Path> = HashMap::new();
    for part in parts {
        let this = info(part);
        let (index, n) = part_numbers(&part.path, &this.part)?;
        if n != count {
            bail!(
                "{} is part {} but {} is part {}: they come from different splits\n  help: grade every part with the same N in --partition K/N",
                first.path.display(),
                first_info.part,
                part.path.display(),
                this.part
            );
        }
        if this.cohort != first_info.cohort {
            bail!(
                "{} and {} were split from different cohorts ({} and {} learners, or other names)\n  help: grade every part from the same cohort folder",
                first.path.display(),
                part.path.display(),
                first_info.cohort.len(),
                this.cohort.len()
            );
        }
        if let Some(other) = seen.insert(index, &part.path) {
            bail!(
                "{} and {} are both part {}\n  help: merge each part once",
                other.display(),
                part.path.display(),
                this.part
            );
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "part {} of the cohort {} missing: {} report(s) given for {count} parts\n  help: pass every part's JSON report (a failed CI job writes none)",
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" },
            parts.len()
        );
    }
    Ok(Some(first_info.cohort))
}

/// The learners of every part, in the cohort's order; a part listing a learner outside the
/// cohort, or a cohort learner no part graded, means a report was edited or truncated.
fn in_cohort_order(parts: &[Part], cohort: &[String]) -> Result<Vec<LearnerGrade>> {
    let members: HashSet<&str> = cohort.iter().map(String::as_str).collect();
    let mut by_name: HashMap<&str, &LearnerGrade> = HashMap::new();
    for part in parts {
        for learner in &part.report.learners {
            if !members.contains(learner.name.as_str()) {
                bail!(
                    "{} grades {:?}, who is not in its own cohort list: the report was edited",
                    part.path.display(),
                    learner.name
                );
            }
            by_name.insert(&learner.name, learner);
        }
    }
    cohort
        .iter()
        .map(|name| {
            by_name.get(name.as_str()).map(|l| (*l).clone()).ok_or_else(|| {
                anyhow!(
                    "no part graded learner {name:?}, though every part is present\n  help: grade every part with the same backendlings; reports that were edited cannot be merged"
                )
            })
        })
        .collect()
}

fn part_numbers(path: &Path, part: &str) -> Result<(u32, u32)> {
    let parsed: crate::report::model::Partition = part
        .parse()
        .map_err(|err| anyhow!("{}: `partition.part` {err}", path.display()))?;
    Ok((parsed.index, parsed.count))
}

fn part_count(path: &Path, part: &str) -> Result<u32> {
    part_numbers(path, part).map(|(_, n)| n)
}

fn short(digest: &str) -> &str {
    &digest[..digest.len().min(12)]
}

/// A JSON value short enough for an error message.
fn brief(value: Option<&Value>) -> String {
    let text = value.map_or_else(|| "absent".to_string(), Value::to_string);
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}
