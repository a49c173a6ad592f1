//! Watch mode. (In progress: until it lands, this checks the current exercise once.)

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::WatchArgs;
use crate::commands;
use crate::course::Course;

pub fn run(course: &Course, _args: &WatchArgs) -> Result<ExitCode> {
    commands::default(course)
}
