//! Command-line flags. Thin: flags become plain values that the commands consume.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "backendlings",
    version,
    about = "Learn the backend developer roadmap in Rust: fix small exercises until they compile and their tests pass.",
    long_about = "backendlings runs a course of small Rust exercises. With no command it starts watch mode: \
                  edit the current exercise in your editor and see the verdict on every save."
)]
pub struct Cli {
    /// The course folder (default: the nearest folder upwards that holds an info.toml)
    #[arg(long, global = true, value_name = "DIR")]
    pub course: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Watch the current exercise and re-check it on every save (the default)
    Watch(WatchArgs),
    /// List the exercises by section with their status
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Check one exercise (default: the current one); exit 0 if it passes, 1 if not
    Run {
        /// Exercise name
        name: Option<String>,
    },
    /// Show the hint of an exercise (default: the current one)
    Hint {
        /// Exercise name
        name: Option<String>,
    },
    /// Restore an exercise to its original content and mark it not done
    Reset {
        /// Exercise name
        name: String,
    },
    /// Check every exercise in one batch; exit 0 only if all pass
    Verify(VerifyArgs),
    /// Show progress per section and in total
    Progress {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Create a ready learner workspace with the course built into this binary
    Init {
        /// Where to create it (default: ./backendlings)
        dir: Option<PathBuf>,
    },
    /// Grade learner trees against the course's own tests (for bootcamps and CI)
    Grade(GradeArgs),
    /// Commands for course authors
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Validate the course: format, files, manifest, exercises fail and solutions pass
    Check {
        /// A missing solution is an error
        #[arg(long)]
        require_solutions: bool,
        /// Every graded exercise (test = true) needs at least N mutants
        #[arg(long, value_name = "N", value_parser = at_least_one)]
        require_mutants: Option<usize>,
        /// Run every solution and mutant N times and report tests whose verdict changes
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = at_least_one)]
        repeat: usize,
        /// Programs to run in parallel (default: the number of cores)
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
    },
    /// Create a new, empty, valid course at PATH
    New {
        /// The folder to create
        path: PathBuf,
    },
    /// Regenerate the exercise package's bin list from info.toml
    Update,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Learner trees to grade (clones of the course or workspaces made by `init`)
    #[arg(value_name = "LEARNER_DIR")]
    pub learners: Vec<PathBuf>,
    /// Grade every subfolder of DIR as a learner named after the folder
    #[arg(long, value_name = "DIR")]
    pub cohort: Option<PathBuf>,
    /// Grade the last commit at or before this time (RFC 3339) in git learner trees
    #[arg(long, value_name = "DEADLINE")]
    pub at: Option<String>,
    /// Learners graded in parallel (default: the number of cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds each exercise may run (overrides timeout_secs)
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Write the JSON report to FILE (`-` for stdout)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a JUnit XML report to FILE (`-` for stdout)
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a CSV roster to FILE (`-` for stdout)
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write a self-contained HTML overview to FILE
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Exit 1 unless every learner scores at least PERCENT
    #[arg(long, value_name = "PERCENT")]
    pub fail_under: Option<f64>,
}

#[derive(Debug, Args, Default)]
pub struct WatchArgs {
    /// Poll the files for changes (for WSL on /mnt/c, network file systems, some containers)
    #[arg(long)]
    pub poll: bool,
    /// Do not watch files; press `r` to re-check
    #[arg(long, conflicts_with = "poll")]
    pub manual_run: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Print the verdicts as JSON (see README.md for the format)
    #[arg(long)]
    pub json: bool,
    /// Programs to run in parallel (default: the number of cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Ignore cached verdicts and check everything again
    #[arg(long)]
    pub no_cache: bool,
}

/// A count flag that means nothing at 0.
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{value}` is not a whole number")),
    }
}
