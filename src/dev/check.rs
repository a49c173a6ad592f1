//! `dev check`: validates a course and lists every problem it finds, not just the first.
//!
//! Three layers, cheapest first: the course model and its files (the course is read leniently,
//! so that its files are checked even when it does not load); its mutants files and its
//! manifest; and finally one batch build of every exercise, solution and mutant through the
//! check engine: exercises must fail as shipped, solutions must pass with clippy `-D warnings`
//! and be rustfmt-clean, mutants must fail. With `--mutate`, mutants generated from each passing
//! solution follow, in batches of their own (so that their cost is measured apart).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use super::layout;
use super::mutants;
use super::problem::{Problem, Severity, print_report, slash};
use super::programs::{Settings, check_programs};
use crate::course::{Course, CourseError};
use crate::manifest::{self, ManifestState};

/// What `dev check` requires of the course, from its flags.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// A missing solution is an error.
    pub require_solutions: bool,
    /// Every graded exercise needs at least this many valid mutants.
    pub require_mutants: Option<usize>,
    /// Runs of every solution and mutant, to find flaky tests (1: run once).
    pub repeat: usize,
    /// Programs run in parallel (default: the number of cores).
    pub jobs: Option<usize>,
    /// Generate mutants from every solution that passes and require the tests to kill them.
    pub mutate: bool,
    /// Exercise names or section folders to build and run (empty: all of them).
    pub only: Vec<String>,
}

pub fn check(root: &Path, options: &CheckOptions) -> Result<ExitCode> {
    let require_solutions = options.require_solutions;
    let started = Instant::now();
    let mut problems = Vec::new();
    let read = Course::load_lenient(root);
    problems.extend(course_problems(root, &read.errors));
    if let Some(course) = &read.course {
        for top in ["exercises", "solutions"] {
            let undeclared = layout::check_folders(root, course, top, &mut problems);
            layout::check_orphans(root, course, top, &undeclared, &mut problems);
        }
        layout::check_test_markers(root, course, &mut problems);
        layout::check_readmes(root, course, &mut problems);
        layout::check_solutions_exist(root, course, require_solutions, &mut problems);
    }
    // Only a course without errors is checked further (and built).
    let course = read.course.filter(|_| read.errors.is_empty());
    if course.is_some() {
        // An author checks what they mean to ship: the build that follows embeds it.
        super::update::write_lock(root)?;
    }
    super::locked::check(course.as_ref(), &mut problems);
    // Building needs a course that loads and a manifest that matches it; without them, the
    // summary says that nothing was built.
    let mut built = None;
    if let Some(course) = &course {
        let mut mutants = mutants::load_all(course, options.require_mutants, &mut problems);
        let chosen = chosen_exercises(course, &options.only, &mut problems);
        mutants.retain(|m| chosen.get(m.exercise) == Some(&true));
        if check_manifest(course, &mut problems)? && !chosen.is_empty() {
            let settings = Settings {
                jobs: options.jobs,
                repeat: options.repeat,
                chosen,
            };
            let mut programs = check_programs(course, &mutants, &settings, &mut problems)?;
            if options.mutate {
                let outcome = super::mutate::check(
                    course,
                    &mutants,
                    &programs.passing,
                    options.jobs,
                    &mut problems,
                )?;
                programs.generated = Some((outcome.tallies, outcome.cost));
            }
            built = Some(programs);
        }
    }
    print_report(&problems, built.as_ref(), started.elapsed().as_secs_f64())?;
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Which exercises `only` names, by exercise name or section folder (all when it is empty). A
/// name that matches nothing is an error, and then nothing is built.
fn chosen_exercises(course: &Course, only: &[String], problems: &mut Vec<Problem>) -> Vec<bool> {
    if only.is_empty() {
        return vec![true; course.exercises.len()];
    }
    let mut chosen = vec![false; course.exercises.len()];
    let mut unknown = Vec::new();
    for wanted in only {
        let mut found = false;
        for (index, exercise) in course.exercises.iter().enumerate() {
            if exercise.name == *wanted || course.sections[exercise.section].dir == *wanted {
                chosen[index] = true;
                found = true;
            }
        }
        if !found {
            unknown.push(wanted.as_str());
        }
    }
    if unknown.is_empty() {
        return chosen;
    }
    problems.push(Problem {
        severity: Severity::Error,
        location: "info.toml".into(),
        message: format!("no exercise or section named `{}`", unknown.join("`, `")),
        help: Some("name exercises as `list` shows them, or sections by their folder".into()),
        output: None,
    });
    Vec::new()
}

fn course_problems(root: &Path, errors: &[CourseError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|error| {
            let mut location = slash(error.file.strip_prefix(root).unwrap_or(&error.file));
            if let Some(line) = error.line {
                let _ = write!(location, ":{line}");
                if let Some(column) = error.column {
                    let _ = write!(location, ":{column}");
                }
            }
            Problem {
                severity: Severity::Error,
                location,
                message: error.message.clone(),
                help: error.help.clone(),
                output: None,
            }
        })
        .collect()
}

/// Whether the manifest is in sync with `info.toml` (problems are pushed when not). A Python
/// course has none: its packages are in its lock file.
fn check_manifest(course: &Course, problems: &mut Vec<Problem>) -> Result<bool> {
    if course.language == crate::course::Language::Python {
        return Ok(true);
    }
    let path = manifest::manifest_path(&course.root);
    let location = path
        .strip_prefix(&course.root)
        .unwrap_or(&path)
        .to_path_buf();
    let state = match manifest::sync_state(course) {
        Ok(state) => state,
        Err(err) => {
            problems.push(Problem::error(&location, format!("{err:#}")));
            return Ok(false);
        }
    };
    let message = match state {
        ManifestState::Current => return Ok(true),
        ManifestState::Missing => "the exercise package's manifest is missing",
        ManifestState::OutOfDate => "the `bin` list does not match the exercises of info.toml",
        ManifestState::MissingSolutions => "the `bin` list lacks some solutions",
    };
    problems.push(
        Problem::error(location, message)
            .help("run `backendlings dev update` to regenerate it (the rest of the file is kept)"),
    );
    Ok(false)
}
