//! The checks that build the course: one batch of every exercise (which must fail as shipped)
//! and every solution (which must pass, clippy-clean), through the check engine, while
//! `rustfmt --check` looks at the solutions.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use anyhow::Result;

use super::problem::{Problem, slash};
use crate::context;
use crate::course::Course;
use crate::engine::{Engine, Options, Target};
use crate::manifest;
use crate::report::terminal;

/// What one program of the batch is checked for.
#[derive(Clone, Copy)]
enum Role {
    /// An exercise as shipped: it must fail.
    Unsolved(usize),
    /// A solution: it must pass, clippy-clean.
    Solution(usize),
}

/// Builds every exercise and solution in one batch and checks each against its role. Returns
/// the number of programs checked.
pub(super) fn check_programs(
    course: &Course,
    jobs: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let mut targets = Vec::new();
    let mut roles = Vec::new();
    for (index, exercise) in course.exercises.iter().enumerate() {
        if !exercise.skip_check_unsolved {
            targets.push(Target::of(course, exercise, false));
            roles.push(Role::Unsolved(index));
        }
    }
    let mut solution_files = Vec::new();
    for (index, exercise) in course.exercises.iter().enumerate() {
        let main = exercise.rel_solution_main_file();
        if course.root.join(&main).is_file() {
            targets.push(Target::of(course, exercise, true));
            roles.push(Role::Solution(index));
            solution_files.push((index, main));
        }
    }
    if targets.is_empty() {
        return Ok(0);
    }

    let mut options = Options::default();
    if let Some(jobs) = jobs {
        options.jobs = jobs.max(1);
    }
    let engine = Engine::new(course, Box::new(context::cargo_for(course)), options, None);
    let edition = manifest_edition(course);
    // rustfmt needs no build: it runs while cargo works.
    let (verdicts, formatting) = thread::scope(|scope| {
        let formatting = scope.spawn(|| rustfmt_check(&course.root, &solution_files, &edition));
        let mut bar = terminal::BuildBar::new(targets.len(), true);
        let verdicts = engine.check_targets(&targets, &mut |event| bar.on_event(&event));
        bar.finish();
        (verdicts, formatting.join())
    });
    let verdicts = verdicts?;

    for (role, verdict) in roles.iter().zip(&verdicts) {
        match *role {
            Role::Unsolved(index) if verdict.status.is_pass() => {
                let exercise = &course.exercises[index];
                problems.push(
                    Problem::error(
                        exercise.rel_path(),
                        format!("`{}` passes as shipped: there is nothing to fix", exercise.name),
                    )
                    .help("break it so the learner has something to do, or set skip_check_unsolved = true"),
                );
            }
            Role::Solution(index) if !verdict.status.is_pass() => {
                let exercise = &course.exercises[index];
                problems.push(
                    Problem::error(
                        exercise.rel_solution_path(),
                        format!(
                            "the solution of `{}` does not pass: {}",
                            exercise.name,
                            verdict.status.label()
                        ),
                    )
                    .output(terminal::output_text(verdict)),
                );
            }
            _ => {}
        }
    }
    match formatting {
        Ok(Formatting::Checked(unformatted)) => {
            for index in unformatted {
                let exercise = &course.exercises[index];
                problems.push(
                    Problem::error(
                        exercise.rel_solution_path(),
                        format!("the solution of `{}` is not rustfmt-clean", exercise.name),
                    )
                    .help(format!(
                        "run `rustfmt --edition {edition} {}`",
                        slash(&exercise.rel_solution_main_file())
                    )),
                );
            }
        }
        Ok(Formatting::Unavailable(why)) => problems.push(
            Problem::warning("solutions", format!("formatting was not checked: {why}"))
                .help("install it with `rustup component add rustfmt`"),
        ),
        Ok(Formatting::Failed(output)) => problems.push(
            Problem::error("solutions", "rustfmt could not check the solutions").output(output),
        ),
        Err(_) => problems.push(Problem::error(
            "solutions",
            "the formatting check stopped unexpectedly",
        )),
    }
    Ok(targets.len())
}

/// The edition the exercise package compiles with, which rustfmt must parse with too
/// (cargo's default is 2015 when the manifest names none).
fn manifest_edition(course: &Course) -> String {
    fs::read_to_string(manifest::manifest_path(&course.root))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            table
                .get("package")?
                .get("edition")?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "2015".to_string())
}

enum Formatting {
    /// Indices of the exercises whose solution rustfmt would change.
    Checked(BTreeSet<usize>),
    Unavailable(String),
    Failed(String),
}

/// Runs `rustfmt --check` once over every solution (`(exercise index, crate root)`).
fn rustfmt_check(root: &Path, solutions: &[(usize, PathBuf)], edition: &str) -> Formatting {
    if solutions.is_empty() {
        return Formatting::Checked(BTreeSet::new());
    }
    let output = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--check", "--edition", edition, "--"])
        .args(solutions.iter().map(|(_, main)| root.join(main)))
        .current_dir(root)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Formatting::Unavailable("rustfmt is not installed".into());
        }
        Err(err) => return Formatting::Unavailable(format!("cannot run rustfmt: {err}")),
    };
    if output.status.success() {
        return Formatting::Checked(BTreeSet::new());
    }
    // `Diff in /path/to/file.rs:12:` (older rustfmt: `Diff in /path/to/file.rs at line 12:`).
    let stdout = String::from_utf8_lossy(&output.stdout);
    let changed: Vec<PathBuf> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Diff in "))
        .filter_map(|rest| rest.find(".rs").map(|end| PathBuf::from(&rest[..end + 3])))
        .map(|path| {
            path.strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(path)
        })
        .collect();
    let unformatted: BTreeSet<usize> = solutions
        .iter()
        .filter(|(_, main)| {
            // A multi-file solution owns every file of its folder.
            let owner = if main.ends_with("main.rs") {
                main.parent().unwrap_or(main)
            } else {
                main.as_path()
            };
            changed.iter().any(|c| c.starts_with(owner))
        })
        .map(|(index, _)| *index)
        .collect();
    if unformatted.is_empty() {
        Formatting::Failed(String::from_utf8_lossy(&output.stderr).into_owned())
    } else {
        Formatting::Checked(unformatted)
    }
}
