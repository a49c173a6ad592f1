//! A learner's sandbox: a temporary folder laid out as a stand-alone course, holding the course's
//! `info.toml`, manifest and lock file and, for each exercise, the learner's files with the
//! course's tests assembled in (`contract`). The learner's tree is only ever read.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use toml_edit::{DocumentMut, Item, Value};

use crate::contract::{Prepared, exercise};
use crate::course::{Course, INFO_FILE};
use crate::engine::process::{Exit, Limits, Supervisor};
use crate::manifest;

pub struct Sandbox {
    /// Removed when dropped.
    pub dir: tempfile::TempDir,
    /// The canonical course, rooted at the sandbox.
    pub course: Course,
    /// One entry per course exercise, in curriculum order.
    pub exercises: Vec<Prepared>,
}

impl Sandbox {
    /// Indices of the exercises that are ready to compile.
    pub fn ready(&self) -> Vec<usize> {
        (0..self.exercises.len())
            .filter(|&i| matches!(self.exercises[i], Prepared::Ready { .. }))
            .collect()
    }
}

/// The grader could not read a learner's files: the process that prepares their sandbox
/// crashed or hung (a stack overflow on pathologically nested code is not a panic, and would
/// take the whole cohort down in-process). The learner is a `grader_error`.
#[derive(Debug)]
pub struct Crashed(pub String);

impl std::fmt::Display for Crashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Crashed {}

/// How long reading and assembling one learner's files may take (milliseconds of work for a
/// real tree; the limit is for the pathological ones).
const PREPARE_TIMEOUT: Duration = Duration::from_secs(120);
/// Memory for that work.
const PREPARE_MEMORY: u64 = 4 * 1024 * 1024 * 1024;
/// The stack that work runs on: far less than [`super::cohort::WORKER_STACK`].
const PREPARE_STACK: usize = 8 * 1024 * 1024;

/// Builds the sandbox of the learner tree at `learner_root`; the cargo package is named
/// `package` (unique per learner, so that executables in a shared build folder never collide).
/// The learner's files are read, parsed and assembled by `backendlings grade-prepare`, a
/// process of its own under `supervisor` ([`prepare_here`]).
pub fn prepare(
    course: &Course,
    learner_root: &Path,
    package: &str,
    supervisor: &Supervisor,
) -> Result<Sandbox> {
    let dir = tempfile::Builder::new()
        .prefix("backendlings-grade-")
        .tempdir()
        .context("cannot create a temporary folder for the sandbox")?;
    let root = dir.path();
    let learner_root = fs::canonicalize(learner_root)
        .with_context(|| format!("cannot resolve {}", learner_root.display()))?;
    let result = tempfile::NamedTempFile::new().context("cannot create a temporary file")?;

    let mut cmd = Command::new(own_program()?);
    cmd.arg("grade-prepare")
        .arg("--course")
        .arg(&course.root)
        .arg("--learner")
        .arg(&learner_root)
        .arg("--out")
        .arg(root)
        .arg("--result")
        .arg(result.path())
        .stdin(Stdio::null());
    let limits = Limits {
        memory_bytes: Some(PREPARE_MEMORY),
        ..Limits::new(PREPARE_TIMEOUT, 16 * 1024)
    };
    let finished = supervisor
        .run(cmd, &limits)
        .context("cannot start the grader's file reader")?;
    let crashed = |why: String| {
        Crashed(format!(
            "the grader could not read this learner's files: {why}. The other learners were graded; keep this tree to report it."
        ))
    };
    match finished.exit {
        Exit::Code(0) => {}
        Exit::TimedOut => {
            return Err(crashed(format!(
                "reading them took over {} s",
                PREPARE_TIMEOUT.as_secs()
            ))
            .into());
        }
        Exit::Code(code) => {
            let said = finished.output.plain();
            return Err(crashed(format!(
                "its reader exited with {code}: {}",
                said.trim().lines().last().unwrap_or_default()
            ))
            .into());
        }
        Exit::Signal(signal) => {
            return Err(crashed(format!(
                "its reader was killed by signal {signal} (deeply nested code overflows the parser's stack)"
            ))
            .into());
        }
    }
    let exercises: Vec<Prepared> = serde_json::from_slice(
        &fs::read(result.path()).context("cannot read what the grader's file reader found")?,
    )
    .context("the grader's file reader wrote something unreadable")?;
    if exercises.len() != course.exercises.len() {
        bail!(
            "the grader's file reader prepared {} exercises of {}",
            exercises.len(),
            course.exercises.len()
        );
    }

    let ready: Vec<&str> = course
        .exercises
        .iter()
        .zip(&exercises)
        .filter(|(_, p)| matches!(p, Prepared::Ready { .. }))
        .map(|(e, _)| e.name.as_str())
        .collect();
    fs::write(
        root.join("Cargo.toml"),
        standalone_manifest(course, package, &ready)?,
    )
    .context("cannot write the sandbox manifest")?;
    let lock = manifest::lock_path(&course.root);
    if lock.is_file() {
        fs::copy(&lock, root.join("Cargo.lock")).context("cannot copy the course's Cargo.lock")?;
    }
    fs::copy(course.root.join(INFO_FILE), root.join(INFO_FILE))
        .context("cannot copy the course's info.toml")?;

    let mut sandbox_course = course.clone();
    sandbox_course.root = root.to_path_buf();
    Ok(Sandbox {
        dir,
        course: sandbox_course,
        exercises,
    })
}

/// This very program, to start its reader. On Linux through `/proc/self/exe`, which still
/// works when the file was replaced while grading runs (a `cargo build` or `cargo install`).
fn own_program() -> Result<std::path::PathBuf> {
    let proc_self = Path::new("/proc/self/exe");
    if cfg!(target_os = "linux") && proc_self.exists() {
        return Ok(proc_self.to_path_buf());
    }
    std::env::current_exe().context("cannot find the grader's own program")
}

/// `backendlings grade-prepare`: prepares every exercise of the learner tree at `learner` into
/// `out`, and writes what it found to `result` as JSON. Run by [`prepare`], never by people.
pub fn prepare_here(
    course: &Course,
    learner: &Path,
    out: &Path,
    result: &Path,
) -> Result<ExitCode> {
    let learner_root = fs::canonicalize(learner)
        .with_context(|| format!("cannot resolve {}", learner.display()))?;
    let prepare_all = || -> Vec<Prepared> {
        course
            .exercises
            .iter()
            .map(|exercise| {
                match exercise::prepare(&course.root, exercise, &learner_root, out) {
                    Ok(ready) => Prepared::Ready(ready),
                    Err(problem) => {
                        // Leave nothing half-written behind for an exercise that is not compiled.
                        let _ = fs::remove_dir_all(out.join(exercise.rel_path()));
                        Prepared::Skipped(problem)
                    }
                }
            })
            .collect()
    };
    // A smaller stack than the grader's own threads have (`cohort::WORKER_STACK`): whatever
    // parses here also parses there, where the printed files are read again.
    let exercises = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(PREPARE_STACK)
            .spawn_scoped(scope, prepare_all)
            .map(|worker| worker.join())
    })
    .context("cannot start a thread")?
    .map_err(|_| anyhow::anyhow!("preparing the learner's files panicked"))?;
    fs::write(result, serde_json::to_vec(&exercises)?)
        .with_context(|| format!("cannot write {}", result.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// The course's stand-alone manifest, renamed to `package`, listing only the `ready` exercises
/// (cargo refuses a manifest whose binaries' files are missing).
pub fn standalone_manifest(course: &Course, package: &str, ready: &[&str]) -> Result<String> {
    let mut doc: DocumentMut = manifest::standalone(course, false)?
        .parse()
        .context("the course's exercise manifest is not valid TOML")?;
    doc["package"]["name"] = toml_edit::value(package);
    if let Some(Item::Value(Value::Array(bins))) = doc.get_mut("bin") {
        bins.retain(|bin| {
            bin.as_inline_table()
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                .is_some_and(|name| ready.contains(&name))
        });
    }
    Ok(doc.to_string())
}
