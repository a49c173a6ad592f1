//! `backendlings grade`: cohorts of learner trees. (In progress.)

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::GradeArgs;
use crate::course::Course;

pub fn run(_course: &Course, _args: &GradeArgs) -> Result<ExitCode> {
    bail!("`grade` is not available yet")
}
