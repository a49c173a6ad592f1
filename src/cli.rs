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
