//! Grading a Python course: each learner's modules, and nothing else of theirs, next to the
//! course's tests, run by the Python toolchain inside the jail.
//!
//! A learner's sandbox holds `exercises/<dir>/<name>.py` copied from their tree (a regular
//! file, UTF-8, at most [`MAX_FILE`] bytes), and beside it the course's own test file and
//! support modules; the course's shipped exercise goes to `.shipped/` for the rule book (which
//! lets a learner keep the special methods the course itself wrote). Nothing is parsed in the
//! grader's process: the rule book runs in the jail like everything else. A folder exercise is a
//! package `exercises/<dir>/<name>/`: its regular `.py` files are copied, nothing else.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::sandbox::Sandbox;
use crate::contract::exercise::{Prepared, Problem, Ready};
use crate::course::{Course, Exercise, Shape};
use crate::engine::jail::{self, Jail, Mount};
use crate::engine::python::{MAX_MODULE_BYTES, Python, PythonEnv, package_files};

/// The largest learner module graded.
const MAX_FILE: u64 = 1024 * 1024;
/// Where the course's shipped exercises go in a sandbox.
pub const SHIPPED: &str = ".shipped";
/// Where the run folders are made in a sandbox (one per exercise).
const RUNS: &str = ".run";

/// The sandbox of one learner: their modules, the course's tests.
pub fn prepare(course: &Course, learner_root: &Path) -> Result<Sandbox> {
    let dir = tempfile::Builder::new()
        .prefix("backendlings-grade-")
        .tempdir()
        .context("cannot create a temporary folder for the sandbox")?;
    let root = dir.path();
    let exercises = course
        .exercises
        .iter()
        .map(|exercise| prepare_one(course, exercise, learner_root, root))
        .collect::<Result<Vec<_>>>()?;
    let mut sandbox_course = course.clone();
    sandbox_course.root = root.to_path_buf();
    Ok(Sandbox {
        dir,
        course: sandbox_course,
        exercises,
    })
}

fn prepare_one(
    course: &Course,
    exercise: &Exercise,
    learner_root: &Path,
    root: &Path,
) -> Result<Prepared> {
    if exercise.shape == Shape::Dir {
        return prepare_package(course, exercise, learner_root, root);
    }
    let rel = exercise.rel_main_file();
    let shown = rel.display().to_string();
    let from = learner_root.join(&rel);
    // No folder on the way may be a link either (red team round 9: `exercises/00_basics ->
    // ../../alice/exercises/00_basics` made the grader copy a classmate's file, or the
    // course's solution, as the learner's); and where the file really is must be inside the
    // learner's tree, as the Rust track's reader requires.
    if let Some(problem) = linked_on_the_way(learner_root, &rel, &shown) {
        return Ok(Prepared::Skipped(problem));
    }
    let problem = match fs::symlink_metadata(&from) {
        Err(_) => Some(Problem::Missing(format!("{shown} is missing"))),
        Ok(meta) if !meta.is_file() => Some(Problem::Unreadable(format!(
            "{shown} is not a regular file (a link or a folder)"
        ))),
        Ok(meta) if meta.len() > MAX_FILE => Some(Problem::Unreadable(format!(
            "{shown} is larger than {} KiB",
            MAX_FILE / 1024
        ))),
        Ok(_) => None,
    };
    if let Some(problem) = problem {
        return Ok(Prepared::Skipped(problem));
    }
    let Ok(bytes) = fs::read(&from) else {
        return Ok(Prepared::Skipped(Problem::Unreadable(format!(
            "{shown} cannot be read"
        ))));
    };
    if std::str::from_utf8(&bytes).is_err() {
        return Ok(Prepared::Skipped(Problem::Unreadable(format!(
            "{shown} is not UTF-8 text"
        ))));
    }
    write(root, &rel, &bytes)?;
    write(root, &shipped_path(exercise), &from_course(course, &rel)?)?;
    course_companions(course, exercise, root)
}

/// Writes `bytes` to `rel` in the sandbox at `root`.
fn write(root: &Path, rel: &Path, bytes: &[u8]) -> Result<()> {
    let to = root.join(rel);
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    fs::write(&to, bytes).with_context(|| format!("cannot write {}", to.display()))
}

fn from_course(course: &Course, rel: &Path) -> Result<Vec<u8>> {
    let path = course.root.join(rel);
    fs::read(&path).with_context(|| format!("cannot read the course's {}", path.display()))
}

/// The course's test file and support modules of `exercise`, written to the sandbox.
fn course_companions(course: &Course, exercise: &Exercise, root: &Path) -> Result<Prepared> {
    let tests = exercise.rel_test_file();
    write(root, &tests, &from_course(course, &tests)?)?;
    for file in &exercise.support {
        let rel = exercise.rel_in_folder(file);
        write(root, &rel, &from_course(course, &rel)?)?;
    }
    Ok(Prepared::Ready(Ready {
        modified: Default::default(),
        tests: exercise.tests,
    }))
}

/// A folder exercise: the learner's package `exercises/<dir>/<name>/`, of which only its
/// regular `.py` files directly in the folder are copied (no link is followed, nothing else of
/// theirs comes along), at most [`crate::engine::python::MAX_PACKAGE_FILES`] of them, each UTF-8 and at most
/// [`MAX_MODULE_BYTES`]; the course's shipped package goes to `.shipped/` for the rule book.
fn prepare_package(
    course: &Course,
    exercise: &Exercise,
    learner_root: &Path,
    root: &Path,
) -> Result<Prepared> {
    let rel = exercise.rel_path();
    let shown = rel.display().to_string();
    let main = exercise.rel_main_file();
    let from = learner_root.join(&rel);
    // The package's own folder is checked below; no folder on the way to it may be a link.
    if let Some(problem) = linked_on_the_way(learner_root, &rel, &shown) {
        return Ok(Prepared::Skipped(problem));
    }
    let problem = match fs::symlink_metadata(&from) {
        Err(_) => Some(Problem::Missing(format!("{shown} is missing"))),
        Ok(meta) if !meta.is_dir() => Some(Problem::Unreadable(format!(
            "{shown} is not a folder (a link or a file)"
        ))),
        Ok(_) => match fs::symlink_metadata(learner_root.join(&main)) {
            Ok(meta) if meta.is_file() => None,
            Ok(_) => Some(Problem::Unreadable(format!(
                "{} is not a regular file (a link or a folder)",
                main.display()
            ))),
            Err(_) => Some(Problem::Missing(format!("{} is missing", main.display()))),
        },
    };
    if let Some(problem) = problem {
        return Ok(Prepared::Skipped(problem));
    }
    let files = match package_files(&from) {
        Ok(files) => files,
        Err(why) => {
            let why = why.replace(&from.display().to_string(), &shown);
            return Ok(Prepared::Skipped(Problem::Unreadable(why)));
        }
    };
    let mut modules = Vec::with_capacity(files.len());
    for file in files {
        let name = PathBuf::from(file.file_name().unwrap_or_default());
        let shown = rel.join(&name).display().to_string();
        let Ok(bytes) = fs::read(&file) else {
            return Ok(Prepared::Skipped(Problem::Unreadable(format!(
                "{shown} cannot be read"
            ))));
        };
        if bytes.len() as u64 > MAX_MODULE_BYTES || std::str::from_utf8(&bytes).is_err() {
            return Ok(Prepared::Skipped(Problem::Unreadable(format!(
                "{shown} is not UTF-8 text of at most {} KiB",
                MAX_MODULE_BYTES / 1024
            ))));
        }
        modules.push((name, bytes));
    }
    for (name, bytes) in modules {
        write(root, &rel.join(name), &bytes)?;
    }
    let shipped = Path::new(SHIPPED).join(&rel);
    let course_files = package_files(&course.root.join(&rel))
        .map_err(|why| anyhow::anyhow!("the course's package: {why}"))?;
    for file in course_files {
        let name = file.file_name().unwrap_or_default();
        let bytes = fs::read(&file)
            .with_context(|| format!("cannot read the course's {}", file.display()))?;
        write(root, &shipped.join(name), &bytes)?;
    }
    course_companions(course, exercise, root)
}

/// Why `rel` below `learner_root` may not be read: a folder on the way (or the file) is a
/// link, or the path resolves outside the learner's tree. `None` when it may be read (or does
/// not exist: the caller says it is missing).
fn linked_on_the_way(learner_root: &Path, rel: &Path, shown: &str) -> Option<Problem> {
    let mut at = learner_root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Err(_) => return None,
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = at
                    .strip_prefix(learner_root)
                    .unwrap_or(&at)
                    .display()
                    .to_string();
                return Some(Problem::Unreadable(format!(
                    "{shown}: {link} is a link; links in the learner's tree are not followed"
                )));
            }
            Ok(_) => {}
        }
    }
    let (Ok(real), Ok(tree)) = (
        fs::canonicalize(learner_root.join(rel)),
        fs::canonicalize(learner_root),
    ) else {
        return None;
    };
    if !real.starts_with(&tree) {
        return Some(Problem::Unreadable(format!(
            "{shown} is outside the learner's tree; it was not followed"
        )));
    }
    None
}

/// The course's shipped exercise in a sandbox, relative to its root.
pub fn shipped_path(exercise: &Exercise) -> PathBuf {
    Path::new(SHIPPED).join(exercise.rel_main_file())
}

/// The toolchain for one learner's sandbox at `root`: run folders inside it, every process in
/// `jail` when there is one, with the environment, the interpreter and the sandbox read-only,
/// the command's own run folder the only writable place, a private `/tmp`, no network and no
/// `/proc` (nothing of the process's own memory or descriptors to read).
pub fn toolchain(env: &PythonEnv, root: &Path, jail: Option<&Jail>) -> Python {
    // One PostgreSQL server per learner: a check that fills a server's lock table, memory or
    // disk fails only its own learner's checks.
    let python = Python::new(env.clone(), root.join(RUNS)).with_own_postgres();
    let Some(jail) = jail.cloned() else {
        return python;
    };
    // The private `/tmp` first: what is mounted after it may live below the host's `/tmp`.
    let mut mounts = vec![Mount::Tmpfs {
        at: "/tmp".into(),
        bytes: 256 * 1024 * 1024,
    }];
    mounts.extend(jail::system_mounts(false));
    for path in env.read_only_paths() {
        mounts.push(Mount::ReadOnly(path));
    }
    // The sandbox read-only: one exercise's run may not touch another's files (its tests, its
    // secret, its results); each command may write its own run folder only.
    mounts.push(Mount::ReadOnly(root.to_path_buf()));
    let runs = root.join(RUNS);
    python.confined(move |cmd, folder, extra| {
        let mut mounts = mounts.clone();
        // The exercise's servers: `redis-server` to start, PostgreSQL's socket folder.
        mounts.extend(extra.iter().cloned().map(Mount::ReadOnly));
        if folder.starts_with(&runs) && folder != runs {
            mounts.push(Mount::Writable(folder.to_path_buf()));
        }
        *cmd = jail.wrap(cmd, &mounts);
    })
}
