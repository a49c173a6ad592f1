//! A learner's sandbox: a temporary folder laid out as a stand-alone course, holding the course's
//! `info.toml`, manifest and lock file and, for each exercise, the learner's files with the
//! course's tests assembled in (`contract`). The learner's tree is only ever read.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use toml_edit::{DocumentMut, Item, Value};

use crate::contract::{Prepared, exercise};
use crate::course::{Course, INFO_FILE};
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

/// Builds the sandbox of the learner tree at `learner_root`; the cargo package is named
/// `package` (unique per learner, so that executables in a shared build folder never collide).
pub fn prepare(course: &Course, learner_root: &Path, package: &str) -> Result<Sandbox> {
    let dir = tempfile::Builder::new()
        .prefix("backendlings-grade-")
        .tempdir()
        .context("cannot create a temporary folder for the sandbox")?;
    let root = dir.path();
    let learner_root = fs::canonicalize(learner_root)
        .with_context(|| format!("cannot resolve {}", learner_root.display()))?;

    let exercises: Vec<Prepared> = course
        .exercises
        .iter()
        .map(|exercise| {
            match exercise::prepare(&course.root, exercise, &learner_root, root) {
                Ok(ready) => Prepared::Ready(ready),
                Err(problem) => {
                    // Leave nothing half-written behind for an exercise that is not compiled.
                    let _ = fs::remove_dir_all(root.join(exercise.rel_path()));
                    Prepared::Skipped(problem)
                }
            }
        })
        .collect();

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

