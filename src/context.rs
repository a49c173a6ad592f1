//! Finding the course a command works on and assembling what checking it needs.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::course::{Course, INFO_FILE};
use crate::engine::cache::Cache;
use crate::engine::cargo::Cargo;
use crate::engine::{Engine, Options};
use crate::manifest::{self, ManifestState};

/// The runner's own build folder inside the course, apart from the `target/` an editor uses.
pub const TARGET_SUBDIR: &str = "target/backendlings";

/// Finds the course folder: `--course` when given, otherwise the nearest folder upwards from the
/// current one that holds an `info.toml`. Always absolute: cargo runs in other folders than
/// this process, and file events name absolute paths.
pub fn course_root(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        if !dir.join(INFO_FILE).is_file() {
            bail!(
                "{} has no {INFO_FILE}; is --course pointing at a course folder?",
                dir.display()
            );
        }
        return std::path::absolute(dir)
            .with_context(|| format!("cannot resolve the course folder {}", dir.display()));
    }
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    for dir in cwd.ancestors() {
        if dir.join(INFO_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    bail!(
        "no {INFO_FILE} found in {} or any folder above it\n  help: run backendlings inside a course, pass --course DIR, or create one with `backendlings init DIR`",
        cwd.display()
    )
}

/// Keeps the exercise package's `bin` list in step with `info.toml`, regenerating it when an
/// author changed the course. Says so on stderr, since it writes a file.
pub fn ensure_manifest(course: &Course) -> Result<()> {
    match manifest::sync_state(course)? {
        ManifestState::Current | ManifestState::MissingSolutions => Ok(()),
        state => {
            manifest::update(course)?;
            let path = manifest::manifest_path(&course.root);
            let why = if state == ManifestState::Missing {
                "was missing"
            } else {
                "was out of date with info.toml"
            };
            eprintln!(
                "note: {} {why}; its bin list was regenerated",
                path.display()
            );
            Ok(())
        }
    }
}

/// The cargo toolchain for a learner's own course (their environment, the course's folder).
pub fn cargo_for(course: &Course) -> Cargo {
    let target_dir = course.root.join(TARGET_SUBDIR);
    let mut cargo = Cargo::new(
        &course.root,
        manifest::manifest_path(&course.root),
        target_dir.join("pkg"),
        target_dir,
    );
    cargo.forbid_unsafe = course.forbid_unsafe;
    cargo
}

/// An engine over a learner's own course, with the verdict cache unless `no_cache`.
pub fn engine(course: &Course, options: Options, no_cache: bool) -> Result<Engine<'_>> {
    ensure_manifest(course)?;
    let cache = (!no_cache).then(|| {
        Cache::open(
            course.root.join(TARGET_SUBDIR).join("verdicts.json"),
            course,
            &manifest::manifest_path(&course.root),
        )
    });
    Ok(Engine::new(
        course,
        Box::new(cargo_for(course)),
        options,
        cache,
    ))
}
