//! `dev update`: regenerates the exercise package's `bin` list from `info.toml`.

use std::process::ExitCode;

use anyhow::Result;

use crate::course::Course;
use crate::manifest;

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
