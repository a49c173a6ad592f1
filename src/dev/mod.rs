//! Course authoring commands: `dev check`, `dev new`, `dev update`. (In progress.)

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::course::Course;
use crate::manifest;

pub fn check(_course: &Course, _require_solutions: bool, _jobs: Option<usize>) -> Result<ExitCode> {
    bail!("`dev check` is not available yet")
}

pub fn new(_path: &Path) -> Result<ExitCode> {
    bail!("`dev new` is not available yet")
}

pub fn update(course: &Course) -> Result<ExitCode> {
    let changed = manifest::update(course)?;
    let path = manifest::manifest_path(&course.root);
    println!(
        "{} {}",
        path.display(),
        if changed { "updated" } else { "is up to date" }
    );
    Ok(ExitCode::SUCCESS)
}
