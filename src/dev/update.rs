//! `dev update`: regenerates the exercise package's `bin` list from `info.toml`, and records
//! the working tree as the shipped course in `course.lock`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::course::{Course, Language};
use crate::course_lock;
use crate::fsutil::write_atomic;
use crate::manifest;
use crate::stdout::outln;

pub fn update(course: &Course) -> Result<ExitCode> {
    // A Python course has no exercise package: its packages are in its lock file.
    if course.language == Language::Rust {
        let changed = manifest::update(course)?;
        let path = manifest::manifest_path(&course.root);
        outln!(
            "{} {}",
            path.display(),
            if changed { "updated" } else { "is up to date" }
        )?;
    }
    let changed = write_lock(&course.root)?;
    outln!(
        "{} {}",
        course.root.join(course_lock::LOCK_FILE).display(),
        if changed { "updated" } else { "is up to date" }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `course.lock` from the working tree: what an author runs `dev` on is what ships.
/// Returns whether the file changed.
pub fn write_lock(root: &Path) -> Result<bool> {
    let manifest = manifest::manifest_path(root);
    let manifest = manifest.strip_prefix(root).unwrap_or(&manifest);
    let manifest = manifest.to_string_lossy().replace('\\', "/");
    let entries = course_lock::from_working_tree(root, &manifest)
        .with_context(|| format!("cannot read the course in {}", root.display()))?;
    let text = course_lock::render(&entries);
    let path = root.join(course_lock::LOCK_FILE);
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    write_atomic(&path, text.as_bytes())?;
    Ok(true)
}
