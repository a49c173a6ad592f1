//! backendlings: an auto-graded exercise runner. `main` only parses flags and dispatches.

mod classroom;
mod cli;
mod commands;
mod context;
mod course;
mod course_lock;
mod dev;
mod embedded;
mod engine;
mod errors;
mod fsutil;
mod grade;
mod init;
mod manifest;
mod pristine;
mod progress;
mod protected;
mod recorder;
mod report;
mod solutions;
mod verdict;
mod watch;

use std::process::ExitCode;

use clap::Parser;
use console::style;

use cli::{ClassroomCommand, Cli, Command, DevCommand, ReportCommand, WatchArgs};
use course::{Course, CourseErrors};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        console::set_colors_enabled(false);
        console::set_colors_enabled_stderr(false);
    }
    match dispatch(cli) {
        Ok(code) => code,
        Err(err) if err.downcast_ref::<engine::Cancelled>().is_some() => {
            eprintln!("{} {err}", style("stopped:").yellow().bold());
            errors::exit_code(&err)
        }
        Err(err) => {
            if let Some(errors) = err.downcast_ref::<CourseErrors>() {
                for error in &errors.0 {
                    eprintln!("{} {error}", style("error:").red().bold());
                }
            } else {
                eprintln!("{} {err:#}", style("error:").red().bold());
            }
            errors::exit_code(&err)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    // Commands that create a course need none to start from.
    match &cli.command {
        Some(Command::Init { dir }) => return init::run(dir.as_deref()),
        Some(Command::Dev(DevCommand::New { path })) => return dev::new(path),
        Some(Command::Classroom(ClassroomCommand::Serve {
            listen,
            db,
            stuck_minutes,
        })) => return classroom::serve(listen, db, *stuck_minutes),
        // Merging reads reports only: a CI merge job has no course checked out.
        Some(Command::Report(ReportCommand::Merge(args))) => return report::merge::run(args),
        _ => {}
    }
    let root = context::course_root(cli.course.as_deref())?;
    // `dev check` reports a course that does not load along with every other problem it finds.
    if let Some(Command::Dev(DevCommand::Check {
        require_solutions,
        require_mutants,
        repeat,
        jobs,
    })) = cli.command
    {
        let options = dev::CheckOptions {
            require_solutions,
            require_mutants,
            repeat,
            jobs,
        };
        return dev::check(&root, &options);
    }
    let course = Course::load(&root)?;
    match cli.command {
        None => watch::run(&course, &WatchArgs::default()),
        Some(Command::Watch(args)) => watch::run(&course, &args),
        Some(Command::Init { .. })
        | Some(Command::Dev(DevCommand::New { .. }))
        | Some(Command::Dev(DevCommand::Check { .. }))
        | Some(Command::Report(_))
        | Some(Command::Classroom(_)) => {
            unreachable!("handled above")
        }
        Some(Command::Dev(DevCommand::Update)) => dev::update(&course),
        Some(Command::Grade(args)) => grade::run(&course, &args),
        Some(Command::List { json }) => commands::list(&course, json),
        Some(Command::Run { name }) => commands::run(&course, name.as_deref()),
        Some(Command::Hint { name }) => commands::hint(&course, name.as_deref()),
        Some(Command::Reset { name }) => commands::reset(&course, &name),
        Some(Command::Verify(args)) => commands::verify(&course, &args),
        Some(Command::Progress { json }) => commands::show_progress(&course, json),
    }
}
