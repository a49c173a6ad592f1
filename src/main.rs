//! backendlings: an auto-graded exercise runner. `main` only parses flags and dispatches.

mod classroom;
mod cli;
mod commands;
mod context;
mod contract;
mod course;
mod course_lock;
mod dev;
mod embedded;
mod engine;
mod errors;
mod fsutil;
mod grade;
mod init;
mod invocation;
mod manifest;
mod pristine;
mod progress;
mod protected;
mod recorder;
mod report;
mod solutions;
mod stdout;
mod verdict;
mod watch;

use std::process::ExitCode;

use cli::{ClassroomCommand, Cli, Command, DevCommand, ReportCommand};
use course::Course;

fn main() -> ExitCode {
    let cli = Cli::parse_checked();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
    let code = dispatch(cli).unwrap_or_else(|err| errors::report(&err));
    // The session's PostgreSQL server, if a check started one.
    engine::python::services::shutdown();
    code
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let (course_dir, command) = cli.into_parts();
    let course_root = || context::course_root(course_dir.as_deref());
    let load = || -> anyhow::Result<Course> { Ok(Course::load(&course_root()?)?) };
    match command {
        Command::Watch(args) => watch::run(&load()?, &args.into()),
        // Commands that create a course need none to start from.
        Command::Init { dir, track } => init::run(dir.as_deref(), track == "python"),
        Command::Dev(DevCommand::New { path, toolchain }) => dev::new(&path, toolchain == "python"),
        Command::Classroom(ClassroomCommand::Serve {
            listen,
            db,
            stuck_minutes,
        }) => classroom::serve(&listen, &db, stuck_minutes),
        // Merging reads reports only: a CI merge job has no course checked out.
        Command::Report(ReportCommand::Merge(args)) => report::merge::run(&args.into()),
        // `dev check` reports a course that does not load along with every other problem it
        // finds.
        Command::Dev(DevCommand::Check {
            require_solutions,
            require_mutants,
            repeat,
            jobs,
            mutate,
            only,
            course: _,
        }) => {
            let options = dev::CheckOptions {
                require_solutions,
                require_mutants,
                repeat,
                jobs,
                mutate,
                only,
            };
            dev::check(&course_root()?, &options)
        }
        Command::Dev(DevCommand::Update { .. }) => dev::update(&load()?),
        Command::Grade(args) => grade::run(&load()?, &args.into()),
        Command::GradePrepare {
            learner,
            out,
            result,
            ..
        } => grade::sandbox::prepare_here(&load()?, &learner, &out, &result),
        Command::List { json, .. } => commands::list(&load()?, json),
        Command::Run { name, .. } => commands::run(&load()?, name.as_deref()),
        Command::Hint { name, .. } => commands::hint(&load()?, name.as_deref()),
        Command::Reset { name, .. } => commands::reset(&load()?, &name),
        Command::Verify(args) => commands::verify(&load()?, &args.into()),
        Command::Progress { json, .. } => commands::show_progress(&load()?, json),
    }
}
