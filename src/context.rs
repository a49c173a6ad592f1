//! Finding the course a command works on and assembling what checking it needs.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::course::{Course, INFO_FILE, Language};
use crate::engine::cache::Cache;
use crate::engine::cargo::Cargo;
use crate::engine::python::{Python, PythonEnv};
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
    cargo.lazy_features = course.lazy_features();
    cargo
}

/// How many checks an engine is for: warm workers pay for themselves only over several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// One check (`run`).
    Once,
    /// A session or a batch (watch mode, `verify`).
    Many,
}

/// The Python toolchain for a learner's own course: the environment (built on first use,
/// with progress on stderr), run folders in the runner's build folder, and for `Use::Many`
/// warm workers that follow the course's lock (a changed lock switches environments).
pub fn python_for(course: &Course, runs: Use) -> Result<Python> {
    let env = PythonEnv::ensure(&course.root, &mut |step| eprintln!("python: {step}"))?;
    let work_dir = course.root.join(TARGET_SUBDIR).join("python");
    let python = Python::new(env, work_dir);
    Ok(match runs {
        Use::Once => python,
        Use::Many => python.with_workers().following_lock(course.root.clone()),
    })
}

/// An engine over a learner's own course, with the verdict cache unless `no_cache`.
pub fn engine(course: &Course, options: Options, no_cache: bool, runs: Use) -> Result<Engine<'_>> {
    if course.language == Language::Python {
        let python = python_for(course, runs)?;
        let cache = (!no_cache).then(|| {
            let id = format!("python {} {}", python.env().version, python.env().lock_hash);
            Cache::open_with(
                course.root.join(TARGET_SUBDIR).join("verdicts.json"),
                vec![course.root.join(crate::engine::python::env::LOCK_FILE)],
                id.as_bytes(),
            )
        });
        return Ok(Engine::new(course, Box::new(python), options, cache));
    }
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
