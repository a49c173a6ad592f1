//! `backendlings init`: a learner workspace anywhere. (In progress.)

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};

pub fn run(_dir: Option<&Path>) -> Result<ExitCode> {
    bail!("`init` is not available yet")
}
