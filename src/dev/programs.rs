//! The checks that build the course: one batch of every exercise (which must fail as shipped),
//! every solution (which must pass, clippy-clean) and every mutant (which must fail), through
//! the check engine, while `rustfmt --check` looks at the solutions. With `--repeat`, the
//! solutions and mutants run again, to catch verdicts that change from run to run.
//!
//! One batch matters for time: cargo compiles the programs in parallel and resolves the
//! dependencies once, and each program runs as soon as it is built. The one-file mutants of a
//! section are modules of one test binary (one compilation and link for all of them), run once
//! per mutant with its module as the test filter.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use anyhow::Result;

use super::flaky::{self, Outcome};
use super::mutants::{ExerciseMutants, Workshop};
use super::problem::{Built, MutantTally, Problem, slash};
use crate::context;
use crate::course::{Course, Exercise, Language, Shape};
use crate::engine::{Engine, Options, SharedBinary, Target};
use crate::manifest;
use crate::report::terminal;
use crate::verdict::{Reason, Status, Verdict};

/// How the programs are built and run.
pub(super) struct Settings {
    pub(super) jobs: Option<usize>,
    /// Runs of each solution and mutant (1: no repetition).
    pub(super) repeat: usize,
    /// Per exercise, whether it is checked (`dev check ONLY...`).
    pub(super) chosen: Vec<bool>,
}

/// What one program of the batch is checked for.
#[derive(Clone, Copy)]
enum Role {
    /// An exercise as shipped: it must fail.
    Unsolved(usize),
    /// A solution: it must pass, clippy-clean.
    Solution(usize),
    /// A solution with the exercise's test modules spliced in (the grader's view), built only
    /// when its own tests differ from the exercise's: it should pass too.
    Graded(usize),
    /// Mutant `mutant` of `mutants[set]`: the exercise's tests must reject it.
    Mutant { set: usize, mutant: usize },
}

/// The target of a program made from `exercise`'s solution (a mutant, the grader's view): the
/// solution's settings, its own name and crate root, not linted (its code is the solution's).
/// The one place that builds such targets, so a new `Target` field needs one change here.
/// A Python one stops at its first failing test: it is a mutant (Python courses have no
/// grader's view apart), whose verdict that failure decides.
pub(super) fn derived_target(
    course: &Course,
    exercise: &Exercise,
    name: String,
    main_file: PathBuf,
) -> Target {
    let mut target = Target {
        name,
        main_file,
        strict_clippy: false,
        ..Target::of(course, exercise, true)
    };
    if let Some(python) = target.python.as_mut() {
        python.fail_fast = true;
    }
    target
}

/// The programs of one batch, each with what it is checked for.
struct Batch {
    targets: Vec<Target>,
    roles: Vec<Role>,
    /// `(exercise index, crate root)` of every solution, for rustfmt.
    solution_files: Vec<(usize, PathBuf)>,
}

impl Batch {
    fn add(&mut self, target: Target, role: Role) {
        self.targets.push(target);
        self.roles.push(role);
    }
}

/// Every exercise as shipped, every solution (and its grader's view when its tests differ) and
/// every mutant, with the mutants' programs written below the course's target folder.
fn plan(course: &Course, mutants: &[ExerciseMutants], chosen: &[bool]) -> Result<Batch> {
    let mut batch = Batch {
        targets: Vec::new(),
        roles: Vec::new(),
        solution_files: Vec::new(),
    };
    for (index, exercise) in course.exercises.iter().enumerate() {
        if chosen[index] && !exercise.skip_check_unsolved {
            batch.add(Target::of(course, exercise, false), Role::Unsolved(index));
        }
    }
    let mut workshop = Workshop::new(course);
    for (index, exercise) in course.exercises.iter().enumerate() {
        let main = exercise.rel_solution_main_file();
        if !chosen[index] || !course.root.join(&main).is_file() {
            continue;
        }
        batch.add(Target::of(course, exercise, true), Role::Solution(index));
        if course.language == Language::Python {
            // Its tests are the course's whatever the solution holds: no grader's view apart.
            continue;
        }
        batch.solution_files.push((index, main));
        let name = format!("{}_graded", exercise.name);
        let graded = workshop.render(course, exercise, &name, None)?;
        if graded.tests_modified {
            let main_file = workshop.write(graded)?;
            let target = derived_target(course, exercise, name, main_file);
            batch.add(target, Role::Graded(index));
        }
    }
    // The one-file mutants of a section share a test binary: each is a module of it and runs
    // its own tests. Folder exercises may name their modules by `crate::` paths, which only
    // hold in a crate of their own; a mutant of an exercise graded by its `main` (`test =
    // false`) must run that `main`, so it is a program of its own too.
    let mut sections: BTreeMap<usize, Vec<(usize, PathBuf)>> = BTreeMap::new();
    for (set, exercise_mutants) in mutants.iter().enumerate() {
        let exercise = &course.exercises[exercise_mutants.exercise];
        for (mutant, declared) in exercise_mutants.mutants.iter().enumerate() {
            let name = format!("{}_mut{}", exercise.name, mutant + 1);
            let program = workshop.render(course, exercise, &name, Some(declared))?;
            let main_file = workshop.write(program)?;
            if exercise.shape == Shape::File && exercise.test && course.language == Language::Rust {
                let slot = batch.targets.len();
                sections
                    .entry(exercise.section)
                    .or_default()
                    .push((slot, main_file.clone()));
            }
            let target = derived_target(course, exercise, name, main_file);
            batch.add(target, Role::Mutant { set, mutant });
        }
    }
    for (section, members) in sections.into_iter().filter(|(_, m)| m.len() > 1) {
        let name = format!("backendlings_mutants_{section}");
        let root = workshop.shared_root(&name);
        let mut modules = Vec::new();
        for (number, (slot, file)) in members.into_iter().enumerate() {
            let module = format!("mutant_{}", number + 1);
            batch.targets[slot].shared = Some(SharedBinary {
                name: name.clone(),
                root: root.clone(),
                filter: format!("{module}::"),
            });
            modules.push((module, file));
        }
        let about = format!(
            "the mutants of section {:?}",
            course.sections[section].title
        );
        workshop.write_shared_root(&root, &about, &modules)?;
    }
    workshop.prune();
    Ok(batch)
}

/// Builds every exercise, solution and mutant in one batch and checks each against its role.
pub(super) fn check_programs(
    course: &Course,
    mutants: &[ExerciseMutants],
    settings: &Settings,
    problems: &mut Vec<Problem>,
) -> Result<Built> {
    let mut batch = plan(course, mutants, &settings.chosen)?;
    if batch.targets.is_empty() {
        return Ok(Built {
            programs: 0,
            mutants: Vec::new(),
            passing: Vec::new(),
            generated: None,
        });
    }

    let mut options = Options::default();
    if let Some(jobs) = settings.jobs {
        options.jobs = jobs.max(1);
    }
    let toolchain: Box<dyn crate::engine::Toolchain> = match course.language {
        Language::Rust => Box::new(context::cargo_for(course)),
        Language::Python => Box::new(context::python_for(course, context::Use::Many)?),
    };
    let engine = Engine::new(course, toolchain, options, None);
    engine.supervisor().cancel_on_signals();
    let edition = manifest_edition(course);
    // rustfmt needs no build: it runs while cargo works.
    let (verdicts, formatting) = thread::scope(|scope| {
        let formatting =
            scope.spawn(|| rustfmt_check(&course.root, &batch.solution_files, &edition));
        let verdicts = run_batch(&engine, &batch.targets, None);
        (verdicts, formatting.join())
    });
    let mut verdicts = verdicts?;
    check_alone_what_failed_together(&engine, &mut batch, &mut verdicts)?;

    let mut tallies: Vec<MutantTally> = mutants
        .iter()
        .map(|m| MutantTally {
            exercise: course.exercises[m.exercise].name.clone(),
            total: m.mutants.len(),
            killed: 0,
        })
        .collect();
    for (role, verdict) in batch.roles.iter().zip(&verdicts) {
        check_verdict(course, mutants, *role, verdict, &mut tallies, problems);
    }
    if settings.repeat > 1 {
        check_repeats(
            course,
            mutants,
            &engine,
            &batch,
            &verdicts,
            settings.repeat,
            problems,
        )?;
    }
    report_formatting(course, &edition, formatting, problems);
    // Exercises with equivalents only have no curated mutant to count.
    tallies.retain(|t| t.total > 0);
    let passing = passing_solutions(course, &batch.roles, &verdicts);
    Ok(Built {
        programs: batch.targets.len(),
        mutants: tallies,
        passing,
        generated: None,
    })
}

/// The exercises whose solution passed, as written and as the grader sees it: what generated
/// mutants are made from.
fn passing_solutions(course: &Course, roles: &[Role], verdicts: &[Verdict]) -> Vec<usize> {
    let mut failed = BTreeSet::new();
    let mut passed = BTreeSet::new();
    for (role, verdict) in roles.iter().zip(verdicts) {
        if let Role::Solution(index) | Role::Graded(index) = *role {
            if verdict.status.is_pass() {
                passed.insert(index);
            } else {
                failed.insert(index);
            }
        }
    }
    (0..course.exercises.len())
        .filter(|i| passed.contains(i) && !failed.contains(i))
        .collect()
}

/// Builds again, each in a binary of its own, the programs whose shared binary did not
/// compile (one mutant that does not compile as a module, a `#[macro_export]` say, must not
/// hide what the tests say about the others), and those whose run did not select exactly their
/// own tests (which must never count as a kill). The verdicts and targets of those slots are
/// replaced.
fn check_alone_what_failed_together(
    engine: &Engine,
    batch: &mut Batch,
    verdicts: &mut [Verdict],
) -> Result<()> {
    let slots: Vec<usize> = (0..batch.targets.len())
        .filter(|&s| {
            let verdict = &verdicts[s];
            batch.targets[s].shared.is_some()
                && (verdict.status == Status::CompileError
                    || matches!(
                        verdict.reason,
                        Some(Reason::NothingSelected | Reason::TestCount { .. })
                    ))
        })
        .collect();
    if slots.is_empty() {
        return Ok(());
    }
    for &slot in &slots {
        batch.targets[slot].shared = None;
    }
    let alone: Vec<Target> = slots.iter().map(|&s| batch.targets[s].clone()).collect();
    for (slot, verdict) in slots.into_iter().zip(run_batch(engine, &alone, None)?) {
        verdicts[slot] = verdict;
    }
    Ok(())
}

/// One `check_targets` call with a progress bar; `run` is `(k, n)` for repeated runs.
pub(super) fn run_batch(
    engine: &Engine,
    targets: &[Target],
    run: Option<(usize, usize)>,
) -> Result<Vec<Verdict>> {
    if let Some((k, n)) = run {
        eprintln!("run {k} of {n}: {} programs", targets.len());
    }
    let mut bar = terminal::BuildBar::new(true);
    let verdicts = engine.check_targets(targets, &mut |event| bar.on_event(&event));
    bar.finish();
    verdicts
}

/// Pushes the problem, if any, that `verdict` shows for a program of `role`, and counts kills.
fn check_verdict(
    course: &Course,
    mutants: &[ExerciseMutants],
    role: Role,
    verdict: &Verdict,
    tallies: &mut [MutantTally],
    problems: &mut Vec<Problem>,
) {
    match role {
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
        // A warning: in some courses (rustlings' among them) learners fix the tests themselves,
        // and the exercise's tests are meant to fail.
        Role::Graded(index) if !verdict.status.is_pass() => {
            let exercise = &course.exercises[index];
            problems.push(
                Problem::warning(
                    exercise.rel_solution_path(),
                    format!(
                        "the solution of `{}` fails the exercise's own tests, which `grade` and mutants use: {}",
                        exercise.name,
                        verdict.status.label()
                    ),
                )
                .help(format!(
                    "the solution's tests differ from those of {}: unless learners are meant to fix the tests, make them the same",
                    slash(&exercise.rel_path())
                ))
                .output(terminal::output_text(verdict)),
            );
        }
        Role::Mutant { set, mutant } => {
            let exercise = &course.exercises[mutants[set].exercise];
            let declared = &mutants[set].mutants[mutant];
            // A Python exercise that asks for the type checker is checked by it: a mutant it
            // refuses is caught by the exercise's check (a syntax error is not).
            let typed = exercise.typecheck
                && verdict.status == Status::CompileError
                && verdict.reason != Some(Reason::Syntax);
            match verdict.status {
                Status::TestsFailed | Status::RunFailed | Status::TimedOut => {
                    tallies[set].killed += 1;
                }
                Status::CompileError if typed => tallies[set].killed += 1,
                Status::Passed | Status::ClippyFailed => problems.push(
                    Problem::error(
                        &declared.location,
                        format!(
                            "mutant \"{}\" of `{}` survives: the exercise's tests pass on it",
                            declared.label, exercise.name
                        ),
                    )
                    .help(format!(
                        "strengthen the tests of {} until they reject it (or fix the mutant, if it is not wrong)",
                        slash(&exercise.rel_path())
                    )),
                ),
                Status::CompileError | Status::Missing | Status::Unreadable | Status::Rejected => problems.push(
                    Problem::error(
                        &declared.location,
                        format!(
                            "mutant \"{}\" of `{}` is invalid: {} (it shows nothing about the tests)",
                            declared.label,
                            exercise.name,
                            verdict.status.label()
                        ),
                    )
                    .help("fix its edits: a mutant must compile, then fail the tests")
                    .output(terminal::output_text(verdict)),
                ),
            }
        }
        _ => {}
    }
}

/// Runs the solutions and mutants that built `repeat - 1` more times and reports every one
/// whose outcome changed. The build is cargo's no-op; only the runs cost time.
fn check_repeats(
    course: &Course,
    mutants: &[ExerciseMutants],
    engine: &Engine,
    batch: &Batch,
    first: &[Verdict],
    repeat: usize,
    problems: &mut Vec<Problem>,
) -> Result<()> {
    let (targets, roles) = (&batch.targets, &batch.roles);
    let slots: Vec<usize> = (0..targets.len())
        .filter(|&s| !matches!(roles[s], Role::Unsolved(_)))
        .filter(|&s| first[s].status != Status::CompileError)
        .collect();
    // The same binaries, unlinted: the lint of the first run stands.
    let again: Vec<Target> = slots
        .iter()
        .map(|&s| Target {
            strict_clippy: false,
            ..targets[s].clone()
        })
        .collect();
    let outcome = |slot: usize, verdict: &Verdict| match roles[slot] {
        Role::Mutant { .. } => Outcome::of_mutant(verdict),
        _ => Outcome::of(verdict),
    };
    let mut runs: Vec<Vec<Outcome>> = slots.iter().map(|&s| vec![outcome(s, &first[s])]).collect();
    for k in 2..=repeat {
        let verdicts = run_batch(engine, &again, Some((k, repeat)))?;
        for ((outcomes, verdict), &slot) in runs.iter_mut().zip(&verdicts).zip(&slots) {
            outcomes.push(outcome(slot, verdict));
        }
    }
    for (&slot, outcomes) in slots.iter().zip(&runs) {
        let Some(how) = flaky::describe(outcomes) else {
            continue;
        };
        let (location, what) = match roles[slot] {
            Role::Solution(index) | Role::Graded(index) => {
                let exercise = &course.exercises[index];
                (
                    slash(&exercise.rel_solution_path()),
                    format!("the solution of `{}`", exercise.name),
                )
            }
            Role::Mutant { set, mutant } => {
                let declared = &mutants[set].mutants[mutant];
                (
                    declared.location.clone(),
                    format!(
                        "mutant \"{}\" of `{}`",
                        declared.label, course.exercises[mutants[set].exercise].name
                    ),
                )
            }
            Role::Unsolved(_) => continue,
        };
        problems.push(
            Problem::error(location, format!("{what} is flaky: {how}")).help(
                "make the tests deterministic: no timing, thread scheduling or shared files decide a verdict",
            ),
        );
    }
    Ok(())
}

fn report_formatting(
    course: &Course,
    edition: &str,
    formatting: thread::Result<Formatting>,
    problems: &mut Vec<Problem>,
) {
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
