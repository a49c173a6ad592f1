//! Command-line flags. Thin: clap validates every flag (value parsers, relations between
//! flags, and [`Cli::check`] for the few relations clap cannot state), and each command's flags
//! become the plain configuration its module owns. No other module sees clap.

use std::path::PathBuf;
use std::time::Duration;

use clap::error::ErrorKind;
use clap::{ArgGroup, Args, CommandFactory, Parser, Subcommand};

use crate::grade::isolation::Level as IsolationLevel;
use crate::report::model::Partition;
use crate::report::{Outputs, is_stdout};
use crate::{commands, grade, report, watch};

#[derive(Debug, Parser)]
#[command(
    name = "backendlings",
    version,
    about = "Learn the backend developer roadmap in Rust: fix small exercises until they compile and their tests pass.",
    long_about = "backendlings runs a course of small Rust exercises. With no command it starts watch mode: \
                  edit the current exercise in your editor and see the verdict on every save."
)]
pub struct Cli {
    /// The course folder, for the commands that read one (default: the nearest folder upwards
    /// that holds an info.toml)
    #[arg(long, value_name = "DIR")]
    course: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--course`, on each command that reads a course. `backendlings --course DIR <command>`
/// (the README's form) also works: [`Cli::into_parts`] takes either.
#[derive(Debug, Args, Default)]
pub struct CourseFlag {
    /// The course folder (default: the nearest folder upwards that holds an info.toml)
    #[arg(long = "course", value_name = "DIR")]
    pub dir: Option<PathBuf>,
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
        #[command(flatten)]
        course: CourseFlag,
    },
    /// Check one exercise (default: the current one); exit 0 if it passes, 1 if not
    Run {
        /// Exercise name
        name: Option<String>,
        #[command(flatten)]
        course: CourseFlag,
    },
    /// Show the hint of an exercise (default: the current one)
    Hint {
        /// Exercise name
        name: Option<String>,
        #[command(flatten)]
        course: CourseFlag,
    },
    /// Restore an exercise to its original content and mark it not done
    Reset {
        /// Exercise name
        name: String,
        #[command(flatten)]
        course: CourseFlag,
    },
    /// Check every exercise in one batch; exit 0 only if all pass
    Verify(VerifyArgs),
    /// Show progress per section and in total
    Progress {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        course: CourseFlag,
    },
    /// Create a ready learner workspace with the course built into this binary
    Init {
        /// Where to create it (default: ./backendlings, or ./backendlings-python)
        dir: Option<PathBuf>,
        /// Which course: `rust` (the default) or `python` (the Python track)
        #[arg(long, value_name = "TRACK", default_value = "rust", value_parser = ["rust", "python"])]
        track: String,
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
    /// Internal: `grade` prepares each learner's sandbox in a process of its own, so that no
    /// learner file can crash the grader (a stack overflow is not a panic)
    #[command(name = "grade-prepare", hide = true)]
    GradePrepare {
        #[arg(long)]
        learner: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        result: PathBuf,
        #[command(flatten)]
        course: CourseFlag,
    },
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
        #[arg(long, value_name = "N", default_value_t = 5.0, value_parser = minutes)]
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
        /// Also generate mutants from every passing solution; each must be killed or listed as
        /// [[equivalent]] in the exercise's mutants file
        #[arg(long)]
        mutate: bool,
        /// Check only these exercises (names) or sections (folder names); the course's files
        /// and mutants files are still checked whole
        #[arg(value_name = "EXERCISE|SECTION")]
        only: Vec<String>,
        #[command(flatten)]
        course: CourseFlag,
    },
    /// Create a new, empty, valid course at PATH
    New {
        /// The folder to create
        path: PathBuf,
        /// The course's toolchain: `rust` (the default) or `python` (modules graded by pytest)
        #[arg(long, value_name = "TOOLCHAIN", default_value = "rust", value_parser = ["rust", "python"])]
        toolchain: String,
    },
    /// Regenerate the exercise package's bin list from info.toml
    Update {
        #[command(flatten)]
        course: CourseFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Combine the JSON reports of `grade --partition K/N` runs into the reports one run writes
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
// A merge that writes nothing is a mistake.
#[command(group(ArgGroup::new("outputs").args(["json", "junit", "csv", "html"]).required(true).multiple(true)))]
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
// Learners named one by one, a cohort folder, or both.
#[command(group(ArgGroup::new("who").args(["learners", "cohort"]).required(true).multiple(true)))]
pub struct GradeArgs {
    /// Learner trees to grade (clones of the course or workspaces made by `init`)
    #[arg(value_name = "LEARNER_DIR")]
    pub learners: Vec<PathBuf>,
    /// Grade every subfolder of DIR as a learner named after the folder
    #[arg(long, value_name = "DIR")]
    pub cohort: Option<PathBuf>,
    /// Grade the last commit at or before this time (RFC 3339) in git learner trees
    #[arg(long, value_name = "DEADLINE", value_parser = rfc3339)]
    pub at: Option<jiff::Timestamp>,
    /// Learners graded in parallel (default: the number of cores)
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Seconds each exercise may run (overrides timeout_secs)
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub timeout: Option<Duration>,
    #[command(flatten)]
    pub reports: ReportFiles,
    /// Exit 1 unless every learner scores at least PERCENT
    #[arg(long, value_name = "PERCENT", value_parser = percentage)]
    pub fail_under: Option<f64>,
    /// Seconds one learner's build may take (compiling is learner code too)
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    pub build_timeout: Duration,
    /// Fail instead of grading under weaker isolation than LEVEL: `bubblewrap` (the default),
    /// or `uid` to also accept learner code under users of its own (a grader running as root
    /// where namespaces are forbidden, as in Docker and on Gradescope)
    #[arg(long, value_name = "LEVEL", num_args = 0..=1, default_missing_value = "bubblewrap",
          value_parser = isolation_level, conflicts_with = "no_sandbox")]
    pub require_sandbox: Option<IsolationLevel>,
    /// Use only this isolation: `bubblewrap`, `uid` (users of their own; the grader must be
    /// root) or `none`; by default the strongest that works here
    #[arg(long, value_name = "MODE", value_parser = isolation_level, conflicts_with = "no_sandbox")]
    pub isolation: Option<IsolationLevel>,
    /// Grade without the sandbox even where bubblewrap works (reports say `isolation: none`)
    #[arg(long)]
    pub no_sandbox: bool,
    /// First user id learner code runs as when the grader is root (two per parallel learner)
    #[arg(long, value_name = "UID", default_value_t = grade::users::DEFAULT_BASE)]
    pub learner_uid: u32,
    /// Grade only part K of N of the learners (1 <= K <= N), for N parallel CI jobs; merge
    /// their JSON reports with `backendlings report merge`
    #[arg(long, value_name = "K/N")]
    pub partition: Option<Partition>,
    /// Write Gradescope's results.json for the one learner graded to FILE (`-` for stdout)
    #[arg(long, value_name = "FILE", conflicts_with = "partition")]
    pub gradescope: Option<PathBuf>,
    #[command(flatten)]
    pub course: CourseFlag,
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
    #[arg(long, value_name = "URL", requires = "name", value_parser = crate::classroom::join_url)]
    pub join: Option<String>,
    /// Your name as the instructor sees it (with --join)
    #[arg(long = "as", value_name = "NAME", requires = "join", value_parser = crate::classroom::learner_name)]
    pub name: Option<String>,
    /// Leave the classroom: stop sending and forget the saved join URL and queued events
    #[arg(long, conflicts_with = "join")]
    pub leave: bool,
    #[command(flatten)]
    pub course: CourseFlag,
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
    #[command(flatten)]
    pub course: CourseFlag,
}

impl Cli {
    /// The command line, checked: on a usage error clap prints it and exits with 2.
    pub fn parse_checked() -> Cli {
        let cli = Cli::parse();
        if let Err(err) = cli.check() {
            err.exit();
        }
        cli
    }

    /// What clap's relations cannot state: `--course` before a command that reads no course
    /// (clap sees it on the top level, where it is valid for the others), `--course` given
    /// twice, and two reports sent to stdout.
    fn check(&self) -> Result<(), clap::Error> {
        if let (Some(_), Some(command)) = (&self.course, &self.command) {
            match command.course_flag() {
                Err(name) => {
                    let path: Vec<&str> = name.split(' ').collect();
                    return Err(usage_error(
                        &path,
                        ErrorKind::ArgumentConflict,
                        format!(
                            "the argument '--course <DIR>' cannot be used with '{name}': it reads no course"
                        ),
                    ));
                }
                Ok(CourseFlag { dir: Some(_) }) => {
                    return Err(usage_error(
                        &[],
                        ErrorKind::ArgumentConflict,
                        "the argument '--course <DIR>' was given twice, before and after the command",
                    ));
                }
                Ok(_) => {}
            }
        }
        let (path, to_stdout): (&[&str], usize) = match &self.command {
            Some(Command::Grade(args)) => (
                &["grade"],
                args.reports.to_stdout()
                    + usize::from(args.gradescope.as_deref().is_some_and(is_stdout)),
            ),
            Some(Command::Report(ReportCommand::Merge(args))) => {
                (&["report", "merge"], args.reports.to_stdout())
            }
            _ => return Ok(()),
        };
        if to_stdout > 1 {
            return Err(usage_error(
                path,
                ErrorKind::ArgumentConflict,
                "only one report can go to stdout (`-`); write the others to files",
            ));
        }
        Ok(())
    }

    /// The course folder named with `--course` (before or after the command), and the command
    /// (watch mode when none is named).
    pub fn into_parts(self) -> (Option<PathBuf>, Command) {
        let command = self
            .command
            .unwrap_or_else(|| Command::Watch(WatchArgs::default()));
        let after = command.course_flag().ok().and_then(|flag| flag.dir.clone());
        (self.course.or(after), command)
    }
}

impl Command {
    /// The `--course` flag of a command that reads a course, or the name of one that reads
    /// none (it creates one, or works on other files).
    fn course_flag(&self) -> Result<&CourseFlag, &'static str> {
        match self {
            Command::Watch(args) => Ok(&args.course),
            Command::Verify(args) => Ok(&args.course),
            Command::Grade(args) => Ok(&args.course),
            Command::GradePrepare { course, .. } => Ok(course),
            Command::List { course, .. }
            | Command::Run { course, .. }
            | Command::Hint { course, .. }
            | Command::Reset { course, .. }
            | Command::Progress { course, .. }
            | Command::Dev(DevCommand::Check { course, .. })
            | Command::Dev(DevCommand::Update { course }) => Ok(course),
            Command::Init { .. } => Err("init"),
            Command::Dev(DevCommand::New { .. }) => Err("dev new"),
            Command::Classroom(ClassroomCommand::Serve { .. }) => Err("classroom serve"),
            Command::Report(ReportCommand::Merge(_)) => Err("report merge"),
        }
    }
}

/// A usage error of the command at `path` (`[]` is the top level, `["report", "merge"]` a
/// subcommand), formatted by clap like its own, with that command's usage line.
fn usage_error(path: &[&str], kind: ErrorKind, message: impl std::fmt::Display) -> clap::Error {
    let mut top = Cli::command();
    // Gives subcommands their full names (`backendlings report merge`) for the usage line.
    top.build();
    let mut command = &mut top;
    for name in path {
        command = command
            .find_subcommand_mut(name)
            .expect("a subcommand of this command line");
    }
    command.error(kind, message)
}

impl ReportFiles {
    /// How many of the reports go to stdout.
    fn to_stdout(&self) -> usize {
        [&self.json, &self.junit, &self.csv, &self.html]
            .into_iter()
            .flatten()
            .filter(|path| is_stdout(path))
            .count()
    }
}

impl From<ReportFiles> for Outputs {
    fn from(files: ReportFiles) -> Outputs {
        Outputs {
            json: files.json,
            junit: files.junit,
            csv: files.csv,
            html: files.html,
        }
    }
}

impl From<WatchArgs> for watch::Settings {
    fn from(args: WatchArgs) -> watch::Settings {
        watch::Settings {
            poll: args.poll,
            manual_run: args.manual_run,
            join: args.join,
            name: args.name,
            leave: args.leave,
        }
    }
}

impl From<VerifyArgs> for commands::VerifySettings {
    fn from(args: VerifyArgs) -> commands::VerifySettings {
        commands::VerifySettings {
            json: args.json,
            jobs: args.jobs,
            no_cache: args.no_cache,
        }
    }
}

impl From<GradeArgs> for grade::Config {
    fn from(args: GradeArgs) -> grade::Config {
        let isolation = grade::isolation::Policy {
            only: if args.no_sandbox {
                Some(IsolationLevel::None)
            } else {
                args.isolation
            },
            require: args.require_sandbox,
            users: grade::users::LearnerUsers {
                base: args.learner_uid,
            },
            slots: 1,
        };
        grade::Config {
            learners: args.learners,
            cohort: args.cohort,
            deadline: args.at,
            jobs: args.jobs,
            timeout: args.timeout,
            build_timeout: args.build_timeout,
            isolation,
            partition: args.partition,
            outputs: args.reports.into(),
            gradescope: args.gradescope,
            fail_under: args.fail_under,
        }
    }
}

impl From<MergeArgs> for report::merge::Config {
    fn from(args: MergeArgs) -> report::merge::Config {
        report::merge::Config {
            parts: args.parts,
            outputs: args.reports.into(),
        }
    }
}

/// A deadline: an RFC 3339 time, with its offset.
fn rfc3339(value: &str) -> Result<jiff::Timestamp, String> {
    value.parse().map_err(|_| {
        "not an RFC 3339 time; write e.g. 2025-06-01T23:59:00Z or 2025-06-01T23:59:00+02:00"
            .to_string()
    })
}

/// A time limit in whole seconds; 0 would stop everything at once.
fn isolation_level(text: &str) -> Result<IsolationLevel, String> {
    match text {
        "bubblewrap" => Ok(IsolationLevel::Bubblewrap),
        "uid" => Ok(IsolationLevel::Uid),
        "none" => Ok(IsolationLevel::None),
        _ => Err("expected `bubblewrap`, `uid` or `none`".into()),
    }
}

fn seconds(value: &str) -> Result<Duration, String> {
    match value.parse::<u64>() {
        Ok(0) => Err("must be at least 1 second".into()),
        Ok(n) => Ok(Duration::from_secs(n)),
        Err(_) => Err(format!("`{value}` is not a whole number of seconds")),
    }
}

/// A score threshold, in percent.
fn percentage(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err("takes a percentage between 0 and 100".into()),
    }
}

/// A duration in minutes, as the classroom server takes it.
fn minutes(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(m) if m.is_finite() && m >= 0.0 => Ok(m),
        _ => Err("not a number of minutes".into()),
    }
}

/// A count flag that means nothing at 0.
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{value}` is not a whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        let cli = Cli::try_parse_from(std::iter::once("backendlings").chain(args.iter().copied()))?;
        cli.check()?;
        Ok(cli)
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_exit_with_the_documented_code() {
        let err = parse(&["--course", "c", "init"]).unwrap_err();
        assert_eq!(err.exit_code(), i32::from(crate::errors::USAGE));
        let err = parse(&["grade", ".", "--timeout", "0"]).unwrap_err();
        assert_eq!(err.exit_code(), i32::from(crate::errors::USAGE));
    }

    #[test]
    fn course_flag_before_or_after_the_command() {
        for args in [
            &["--course", "c", "verify"][..],
            &["verify", "--course", "c"],
        ] {
            let (course, command) = parse(args).unwrap().into_parts();
            assert_eq!(
                course.as_deref(),
                Some(std::path::Path::new("c")),
                "{args:?}"
            );
            assert!(matches!(command, Command::Verify(_)));
        }
        let (course, command) = parse(&["--course", "c"]).unwrap().into_parts();
        assert_eq!(course.as_deref(), Some(std::path::Path::new("c")));
        assert!(
            matches!(command, Command::Watch(_)),
            "watch mode by default"
        );
        let (course, _) = parse(&["dev", "check", "--course", "c"])
            .unwrap()
            .into_parts();
        assert!(course.is_some());
        for refused in [
            &["--course", "c", "init"][..],
            &["--course", "c", "dev", "new", "p"],
            &["--course", "c", "report", "merge", "p.json", "--csv", "x"],
            &["--course", "c", "classroom", "serve"],
            &["--course", "c", "list", "--course", "d"],
        ] {
            let err = parse(refused).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ArgumentConflict, "{refused:?}");
        }
    }

    #[test]
    fn grade_flags_become_its_configuration() {
        let Some(Command::Grade(args)) = parse(&[
            "grade",
            "--cohort",
            "class",
            "--at",
            "2025-06-01T23:59:00+02:00",
            "--timeout",
            "7",
            "--fail-under",
            "50",
            "--no-sandbox",
            "--json",
            "-",
            "--gradescope",
            "g.json",
        ])
        .unwrap()
        .command
        else {
            panic!("grade parses as grade");
        };
        let config = grade::Config::from(args);
        assert_eq!(
            config.cohort.as_deref(),
            Some(std::path::Path::new("class"))
        );
        assert_eq!(
            config.deadline.map(|d| d.to_string()).as_deref(),
            Some("2025-06-01T21:59:00Z")
        );
        assert_eq!(config.timeout, Some(Duration::from_secs(7)));
        assert_eq!(config.build_timeout, Duration::from_secs(300));
        assert_eq!(config.fail_under, Some(50.0));
        assert_eq!(config.isolation.only, Some(IsolationLevel::None));
        assert_eq!(config.isolation.require, None);
        for (flag, level) in [
            (None, IsolationLevel::Bubblewrap),
            (Some("uid"), IsolationLevel::Uid),
        ] {
            let mut words = vec!["grade", "x"];
            words.extend(flag.map_or(vec!["--require-sandbox"], |f| vec!["--require-sandbox", f]));
            let Some(Command::Grade(args)) = parse(&words).unwrap().command else {
                panic!("grade parses as grade");
            };
            assert_eq!(grade::Config::from(args).isolation.require, Some(level));
        }
        assert!(config.outputs.uses_stdout());
    }
}
