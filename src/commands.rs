//! The learner's commands: `list`, `run`, `hint`, `reset`, `verify`, `progress`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use console::style;

use crate::cli::VerifyArgs;
use crate::context;
use crate::course::Course;
use crate::engine::Options;
use crate::pristine;
use crate::progress::Progress;
use crate::protected;
use crate::report::{json, terminal};
use crate::solutions;
use crate::verdict::Verdict;

/// Loads the learner's progress, printing a warning when the state file was damaged.
pub fn load_progress(course: &Course) -> Progress {
    let (progress, warning) = Progress::load(&course.root);
    if let Some(warning) = warning {
        eprintln!("{} {warning}", style("warning:").yellow().bold());
    }
    progress
}

/// Resolves an exercise name (or the current exercise) to its index.
pub fn resolve(course: &Course, progress: &Progress, name: Option<&str>) -> Result<usize> {
    match name {
        None => match progress.current(course) {
            Some(index) => Ok(index),
            None => bail!(
                "every exercise is done; name one, e.g. `backendlings run {}`",
                course.exercises[0].name
            ),
        },
        Some(name) => course.find(name).ok_or_else(|| {
            let closest = course.closest_names(name);
            if closest.is_empty() {
                anyhow::anyhow!("no exercise named `{name}`; `backendlings list` shows them all")
            } else {
                anyhow::anyhow!(
                    "no exercise named `{name}`; did you mean {}?",
                    quote_list(&closest)
                )
            }
        }),
    }
}

fn quote_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}

pub fn list(course: &Course, as_json: bool) -> Result<ExitCode> {
    let progress = load_progress(course);
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json::progress(course, &progress, true))?
        );
    } else {
        print!("{}", terminal::list(course, &progress));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show_progress(course: &Course, as_json: bool) -> Result<ExitCode> {
    let progress = load_progress(course);
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json::progress(course, &progress, false))?
        );
    } else {
        print!("{}", terminal::progress(course, &progress));
        let unknown: Vec<&str> = progress.unknown_names(course).collect();
        if !unknown.is_empty() {
            println!(
                "(kept {} done exercise(s) this course does not have: {})",
                unknown.len(),
                unknown.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn hint(course: &Course, name: Option<&str>) -> Result<ExitCode> {
    let progress = load_progress(course);
    let index = resolve(course, &progress, name)?;
    let exercise = &course.exercises[index];
    println!(
        "{} {}\n{}",
        style("Hint for").bold(),
        style(&exercise.name).bold(),
        exercise.hint
    );
    Ok(ExitCode::SUCCESS)
}

pub fn reset(course: &Course, name: &str) -> Result<ExitCode> {
    let mut progress = load_progress(course);
    let index = resolve(course, &progress, Some(name))?;
    let exercise = &course.exercises[index];
    let source = pristine::restore(course, exercise)?;
    progress.set_done(&exercise.name, false);
    progress.save()?;
    println!("{} restored from {source}", exercise.rel_path().display());
    Ok(ExitCode::SUCCESS)
}

/// Checks one exercise and records the result, for `run`.
pub fn check_one(course: &Course, progress: &mut Progress, index: usize) -> Result<Verdict> {
    let mut engine = context::engine(course, Options::default(), false)?;
    engine.supervisor().cancel_on_signals();
    let mut bar = terminal::BuildBar::new(1, true);
    let verdict = engine
        .check(&[index], &mut |event| bar.on_event(&event))?
        .remove(0);
    bar.finish();
    progress.set_done(&course.exercises[index].name, verdict.status.is_pass());
    progress.save()?;
    if verdict.status.is_pass() {
        reveal_solutions(course, &[index]);
    }
    Ok(verdict)
}

/// Prints a verdict the way `run` shows it: output, verdict line, and what to do next.
pub fn print_verdict(course: &Course, progress: &Progress, index: usize, verdict: &Verdict) {
    let exercise = &course.exercises[index];
    println!(
        "{} {} ({})",
        style("Checking").bold(),
        exercise.rel_path().display(),
        terminal::section_position(course, progress, index)
    );
    print!("{}", terminal::output_text(verdict));
    println!("{}", terminal::verdict_line(course, index, verdict));
    if verdict.status.is_pass() {
        let solution = exercise.rel_solution_path();
        if course.show_solutions && course.root.join(&solution).exists() {
            println!("A reference solution is in {}", solution.display());
        }
    } else {
        println!("Stuck? `backendlings hint {}`", exercise.name);
    }
}

pub fn run(course: &Course, name: Option<&str>) -> Result<ExitCode> {
    let mut progress = load_progress(course);
    let index = resolve(course, &progress, name)?;
    let verdict = check_one(course, &mut progress, index)?;
    print_verdict(course, &progress, index, &verdict);
    if let Some(notice) = protected::notice(course, &course.exercises[index]) {
        eprintln!("{} {notice}", style("warning:").yellow().bold());
    }
    Ok(if verdict.status.is_pass() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Checks every exercise in one batch; records what is done.
pub fn verify_all(course: &Course, args: &VerifyArgs, show_bar: bool) -> Result<Vec<Verdict>> {
    let mut options = Options::default();
    if let Some(jobs) = args.jobs {
        options.jobs = jobs.max(1);
    }
    let mut engine = context::engine(course, options, args.no_cache)?;
    engine.supervisor().cancel_on_signals();
    let all: Vec<usize> = (0..course.exercises.len()).collect();
    let mut bar = terminal::BuildBar::new(all.len(), show_bar);
    let verdicts = engine.check(&all, &mut |event| bar.on_event(&event))?;
    bar.finish();
    let mut progress = load_progress(course);
    for (exercise, verdict) in course.exercises.iter().zip(&verdicts) {
        progress.set_done(&exercise.name, verdict.status.is_pass());
    }
    progress.save()?;
    let passed: Vec<usize> = (0..verdicts.len())
        .filter(|&i| verdicts[i].status.is_pass())
        .collect();
    reveal_solutions(course, &passed);
    Ok(verdicts)
}

/// Writes the solutions of newly passed exercises (see [`solutions::reveal`]). A solution that
/// cannot be written must not turn a pass into an error, so failures are only warnings.
pub fn reveal_solutions(course: &Course, passed: &[usize]) {
    if let Err(err) = solutions::reveal(course, passed) {
        eprintln!(
            "{} cannot write a reference solution: {err:#}",
            style("warning:").yellow().bold()
        );
    }
}

pub fn verify(course: &Course, args: &VerifyArgs) -> Result<ExitCode> {
    let verdicts = verify_all(course, args, !args.json)?;
    let first_failure = verdicts.iter().position(|v| !v.status.is_pass());
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json::verify(course, &verdicts))?
        );
    } else {
        print!("{}", terminal::verify_summary(course, &verdicts));
        if let Some(index) = first_failure {
            let exercise = &course.exercises[index];
            println!(
                "\nFirst failing exercise: {} ({}): {}",
                style(&exercise.name).bold(),
                exercise.rel_path().display(),
                verdicts[index].status.label()
            );
            println!("`backendlings run {}` shows why.", exercise.name);
        } else if let Some(message) = &course.final_message {
            println!("\n{}", message.trim_end());
        }
    }
    Ok(if first_failure.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
