//! Command-line flags. Thin: flags become plain values that the commands consume.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::model::Partition;

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
#[allow(
    clippy::large_enum_variant,
    reason = "parsed once per process; paths are larger on Windows, where this would fire"
)]
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
    /// Work with grade reports (combine the parts of a cohort graded in parallel)
    #[command(subcommand)]
    Report(ReportCommand),
    /// Commands for course authors
    #[command(subcommand)]
    Dev(DevCommand),
    /// The live classroom view for instructors
    #[command(subcommand)]
    Classroom(ClassroomCommand),
}

#[derive(Debug, Subcommand)]
pub enum ClassroomCommand {
    /// Run the classroom server (built apart: `cargo build --release -p backendlings-classroom`)
    Serve {
        /// Address to bind; 0.0.0.0:8077 lets a classroom network in
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8077")]
        listen: String,
        /// SQLite file that keeps the room across restarts
        #[arg(long, value_name = "FILE", default_value = "classroom.db")]
        db: PathBuf,
        /// The same failure for this many minutes marks a learner stuck
        #[arg(long, value_name = "N", default_value_t = 5.0)]
        stuck_minutes: f64,
    },
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

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Combine the JSON reports of `grade --partition K/N` runs into the reports one run writes
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports written by `grade --partition K/N --json FILE`, one per part
    #[arg(value_name = "PART.json", required = true)]
    pub parts: Vec<PathBuf>,
    #[command(flatten)]
    pub reports: ReportFiles,
}

/// Where the cohort's reports go; shared by `grade` and `report merge`.
#[derive(Debug, Args, Default)]
pub struct ReportFiles {
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
    #[command(flatten)]
    pub reports: ReportFiles,
    /// Exit 1 unless every learner scores at least PERCENT
    #[arg(long, value_name = "PERCENT")]
    pub fail_under: Option<f64>,
    /// Seconds one learner's build may take (compiling is learner code too)
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub build_timeout: u64,
    /// Fail instead of grading without a sandbox when bubblewrap is not available
    #[arg(long, conflicts_with = "no_sandbox")]
    pub require_sandbox: bool,
    /// Grade without the sandbox even where bubblewrap works (reports say `isolation: none`)
    #[arg(long)]
    pub no_sandbox: bool,
    /// Grade only part K of N of the learners (1 <= K <= N), for N parallel CI jobs; merge
    /// their JSON reports with `backendlings report merge`
    #[arg(long, value_name = "K/N")]
    pub partition: Option<Partition>,
    /// Write Gradescope's results.json for the one learner graded to FILE (`-` for stdout)
    #[arg(long, value_name = "FILE", conflicts_with = "partition")]
    pub gradescope: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct WatchArgs {
    /// Poll the files for changes (for WSL on /mnt/c, network file systems, some containers)
    #[arg(long)]
    pub poll: bool,
    /// Do not watch files; press `r` to re-check
    #[arg(long, conflicts_with = "poll")]
    pub manual_run: bool,
    /// Join the instructor's classroom (the URL the instructor shows); remembered for next time
    #[arg(long, value_name = "URL", requires = "name")]
    pub join: Option<String>,
    /// Your name as the instructor sees it (with --join)
    #[arg(long = "as", value_name = "NAME", requires = "join")]
    pub name: Option<String>,
    /// Leave the classroom: stop sending and forget the saved join URL and queued events
    #[arg(long, conflicts_with = "join")]
    pub leave: bool,
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
