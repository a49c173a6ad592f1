//! The learner's commands: `list`, `run`, `hint`, `reset`, `verify`, `progress`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use console::style;

use crate::context;
use crate::course::Course;
use crate::engine::Options;
use crate::invocation::typed;
use crate::pristine;
use crate::progress::Progress;
use crate::protected;
use crate::recorder;
use crate::report::{json, terminal};
use crate::stdout::{out, outln};
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
                "every exercise is done; name one, e.g. {}",
                typed(&format!("run {}", course.exercises[0].name))
            ),
        },
        Some(name) => course.find(name).ok_or_else(|| {
            let closest = near_names(course, name);
            if closest.is_empty() {
                anyhow::anyhow!(
                    "no exercise named `{name}`; {} shows them all",
                    typed("list")
                )
            } else {
                anyhow::anyhow!(
                    "no exercise named `{name}`; did you mean {}?",
                    quote_list(&closest)
                )
            }
        }),
    }
}

/// The names close enough to `name` to be what was meant: a typo or two (a few more in a long
/// name), not merely a shared prefix such as `rest` in `rest3_validaton` and `rest4_...`.
fn near_names<'a>(course: &'a Course, name: &str) -> Vec<&'a str> {
    let allowed = (name.chars().count() / 6).max(2);
    course
        .closest_names(name)
        .into_iter()
        .filter(|candidate| strsim::damerau_levenshtein(name, candidate) <= allowed)
        .collect()
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
        outln!(
            "{}",
            serde_json::to_string_pretty(&json::progress(course, &progress, true))?
        )?;
    } else {
        out!("{}", terminal::list(course, &progress))?;
        outln!("{}", style("✓ done  ▶ current").dim())?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show_progress(course: &Course, as_json: bool) -> Result<ExitCode> {
    let progress = load_progress(course);
    if as_json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json::progress(course, &progress, false))?
        )?;
    } else {
        out!("{}", terminal::progress(course, &progress))?;
        let unknown: Vec<&str> = progress.unknown_names(course).collect();
        if !unknown.is_empty() {
            outln!(
                "(kept {} done exercise(s) this course does not have: {})",
                unknown.len(),
                unknown.join(", ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn hint(course: &Course, name: Option<&str>) -> Result<ExitCode> {
    let progress = load_progress(course);
    let index = resolve(course, &progress, name)?;
    let exercise = &course.exercises[index];
    outln!(
        "{} {}\n{}",
        style("Hint for").bold(),
        style(&exercise.name).bold(),
        exercise.hint
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn reset(course: &Course, name: &str) -> Result<ExitCode> {
    let mut progress = load_progress(course);
    let index = resolve(course, &progress, Some(name))?;
    let exercise = &course.exercises[index];
    let source = pristine::restore(course, exercise)?;
    progress.set_done(&exercise.name, false);
    progress.save()?;
    outln!("{} restored from {source}", exercise.rel_path().display())?;
    Ok(ExitCode::SUCCESS)
}

/// Checks one exercise and records the result, for `run`.
pub fn check_one(course: &Course, progress: &mut Progress, index: usize) -> Result<Verdict> {
    let mut engine = context::engine(course, Options::default(), false, context::Use::Once)?;
    engine.supervisor().cancel_on_signals();
    let mut bar = terminal::BuildBar::new(true);
    let verdict = engine
        .check(&[index], &mut |event| bar.on_event(&event))?
        .remove(0);
    bar.finish();
    let recorded = recorder::record(course, progress, [(index, &verdict)]);
    recorded.saved?;
    warn_unrevealed(recorded.revealed);
    Ok(verdict)
}

/// Prints a verdict the way `run` shows it: output, verdict line, and what to do next.
pub fn print_verdict(
    course: &Course,
    progress: &Progress,
    index: usize,
    verdict: &Verdict,
) -> Result<()> {
    let exercise = &course.exercises[index];
    outln!(
        "{} {} ({})",
        style("Checking").bold(),
        exercise.rel_path().display(),
        terminal::section_position(course, progress, index)
    )?;
    out!("{}", terminal::output_text(verdict))?;
    outln!("{}", terminal::verdict_line(course, index, verdict))?;
    if verdict.status.is_pass() {
        let solution = exercise.rel_solution_path();
        if course.show_solutions && course.root.join(&solution).exists() {
            outln!("A reference solution is in {}", solution.display())?;
        }
    } else {
        outln!(
            "Stuck? {} shows a hint.",
            typed(&format!("hint {}", exercise.name))
        )?;
    }
    Ok(())
}

pub fn run(course: &Course, name: Option<&str>) -> Result<ExitCode> {
    let mut progress = load_progress(course);
    let index = resolve(course, &progress, name)?;
    let verdict = check_one(course, &mut progress, index)?;
    print_verdict(course, &progress, index, &verdict)?;
    if let Some(notice) = protected::notice(course, &course.exercises[index]) {
        eprintln!("{} {notice}", style("warning:").yellow().bold());
    }
    Ok(if verdict.status.is_pass() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// How `verify` runs, from the command line.
#[derive(Debug, Default)]
pub struct VerifySettings {
    /// Print the verdicts as JSON (no progress bar, no summary).
    pub json: bool,
    /// Programs run in parallel; the engine's default (the number of cores) when `None`.
    pub jobs: Option<usize>,
    /// Ignore cached verdicts.
    pub no_cache: bool,
}

/// Checks every exercise in one batch; records what is done.
pub fn verify_all(
    course: &Course,
    settings: &VerifySettings,
    show_bar: bool,
) -> Result<Vec<Verdict>> {
    let mut options = Options::default();
    if let Some(jobs) = settings.jobs {
        options.jobs = jobs.max(1);
    }
    let mut engine = context::engine(course, options, settings.no_cache, context::Use::Many)?;
    engine.supervisor().cancel_on_signals();
    let all: Vec<usize> = (0..course.exercises.len()).collect();
    let mut bar = terminal::BuildBar::new(show_bar);
    let verdicts = engine.check(&all, &mut |event| bar.on_event(&event))?;
    bar.finish();
    let mut progress = load_progress(course);
    let recorded = recorder::record(course, &mut progress, verdicts.iter().enumerate());
    recorded.saved?;
    warn_unrevealed(recorded.revealed);
    Ok(verdicts)
}

/// A solution that cannot be written must not turn a pass into an error: only a warning.
fn warn_unrevealed(revealed: Result<()>) {
    if let Err(err) = revealed {
        eprintln!(
            "{} cannot write a reference solution: {err:#}",
            style("warning:").yellow().bold()
        );
    }
}

pub fn verify(course: &Course, settings: &VerifySettings) -> Result<ExitCode> {
    let verdicts = verify_all(course, settings, !settings.json)?;
    let first_failure = verdicts.iter().position(|v| !v.status.is_pass());
    if settings.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json::verify(course, &verdicts))?
        )?;
    } else {
        out!("{}", terminal::verify_summary(course, &verdicts))?;
        if let Some(index) = first_failure {
            let exercise = &course.exercises[index];
            outln!(
                "\nFirst failing exercise: {} ({}): {}",
                style(&exercise.name).bold(),
                exercise.rel_path().display(),
                verdicts[index].status.label()
            )?;
            outln!("{} shows why.", typed(&format!("run {}", exercise.name)))?;
        } else if let Some(message) = &course.final_message {
            outln!("\n{}", message.trim_end())?;
        }
    }
    Ok(if first_failure.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
