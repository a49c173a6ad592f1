//! `dev check --mutate`: generated mutants (see `operators`) of every graded exercise whose
//! solution passes, run through the same harness as the curated ones, after them.
//!
//! A one-file exercise's mutants are modules of one test binary (with the unchanged solution,
//! printed from its tree, as the *baseline* module, which must pass: it shows that printing kept
//! the solution's meaning and that the exercise works as a module). Mechanical mutants often do
//! not compile, and one that does not would fail the whole binary: the compiler's messages name
//! the module files at fault, which are counted as unviable, and the binary is built again
//! without them (a few rounds at most; a binary whose errors name no mutant, or whose baseline
//! does not compile, is split into a binary per mutant). A folder exercise's mutants share a
//! binary too, each a folder of modules: its `crate::` paths are rewritten to go through the
//! mutant's module (see `operators::nest_crate_paths`); where that is not enough (a path
//! inside a macro's arguments), its baseline does not compile and its mutants are built as
//! binaries of their own, as its curated mutants are.
//!
//! A survivor is an error unless the exercise's mutants file lists it as `[[equivalent]]`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use super::mutants::{self, Equivalent, ExerciseMutants, Mutant, Workshop};
use super::operators::{self, Scope};
use super::problem::{GeneratedCost, GeneratedTally, Problem, slash};
use super::programs::derived_target;
use crate::context;
use crate::course::{Course, Exercise, Language, Shape};
use crate::engine::{Engine, Event, Options, SharedBinary, Target};
use crate::report::terminal;
use crate::verdict::{Reason, Status, Verdict};

/// Where the generated programs are written, below the course's target folder.
const PROGRAMS_DIR: &str = "generated";

/// Builds of a shared binary before its remaining mutants get binaries of their own.
const SHARED_ROUNDS: usize = 3;

/// Output kept per program: enough compiler messages to name every module of a shared binary
/// that does not compile (about a thousand), so that one more round finds them all. It caps
/// each run's output too; a run rarely prints more than a few kilobytes.
const OUTPUT_CAP: usize = 1024 * 1024;

/// One program to check: a generated mutant of an exercise, or its baseline.
struct Slot {
    exercise: usize,
    mutant: Mutant,
    baseline: bool,
    target: Target,
    /// Index in `groups` of the shared binary it is a module of, while it is one.
    group: Option<usize>,
    /// Its files name the crate root through its module (a folder exercise in a shared
    /// binary): they must be written again to build it alone.
    nested: bool,
}

impl Slot {
    /// Whether `file` (as a compiler message names it) is one of this program's: its own
    /// file (named after it), or a file of its own folder (a folder exercise's).
    fn owns(&self, file: &Path) -> bool {
        let main = &self.target.main_file;
        if self.nested {
            let folder = main.parent().and_then(Path::file_name);
            folder.is_some_and(|folder| file.components().any(|c| c.as_os_str() == folder))
        } else {
            main.file_name()
                .is_some_and(|name| file.file_name() == Some(name))
        }
    }
}

/// A shared test binary: one exercise's mutants as modules.
struct Group {
    name: String,
    root: PathBuf,
    exercise: usize,
}

/// What `--mutate` found and what it cost.
pub(super) struct Outcome {
    pub(super) tallies: Vec<GeneratedTally>,
    pub(super) cost: GeneratedCost,
}

/// Generates, builds and runs the mutants of the exercises at `passing` (solutions that pass);
/// pushes a problem for every unexplained survivor, every baseline that fails and every stale
/// `[[equivalent]]`.
pub(super) fn check(
    course: &Course,
    curated: &[ExerciseMutants],
    passing: &[usize],
    jobs: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Result<Outcome> {
    let started = Instant::now();
    let exercises: Vec<usize> = passing
        .iter()
        .copied()
        .filter(|&i| course.exercises[i].test)
        .collect();
    let workers = jobs.unwrap_or_else(default_jobs).max(1);
    if course.language == Language::Python {
        return check_python(course, curated, &exercises, workers, problems, started);
    }
    let generated = generate_all(course, &exercises, workers, problems, &|exercise| {
        generate_one(course, exercise)
    });
    let mut cost = GeneratedCost {
        // Not counting the baselines.
        mutants: generated.iter().map(|(_, m)| m.len() - 1).sum(),
        generate: started.elapsed(),
        ..GeneratedCost::default()
    };

    let mut workshop = Workshop::at(course, PROGRAMS_DIR);
    let (mut slots, groups) = plan(course, &mut workshop, generated)?;
    let options = Options {
        jobs: workers,
        output_cap: OUTPUT_CAP,
        ..Options::default()
    };
    let engine = Engine::new(course, Box::new(context::cargo_for(course)), options, None);
    engine.supervisor().cancel_on_signals();
    let verdicts = build_in_rounds(
        course,
        &engine,
        &mut workshop,
        &mut slots,
        &groups,
        &mut cost,
    )?;
    workshop.prune();
    let tallies = judge(course, curated, &slots, &verdicts, problems);
    cost.wall = started.elapsed();
    Ok(Outcome { tallies, cost })
}

fn default_jobs() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

/// The mutants of each exercise (the baseline first), generated on `workers` threads.
fn generate_all(
    course: &Course,
    exercises: &[usize],
    workers: usize,
    problems: &mut Vec<Problem>,
    make: &(dyn Fn(&Exercise) -> Result<Vec<Mutant>, Problem> + Sync),
) -> Vec<(usize, Vec<Mutant>)> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..workers.min(exercises.len()) {
            scope.spawn(|| {
                while let Some(&index) = exercises.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let made = make(&course.exercises[index]);
                    if let Ok(mut results) = results.lock() {
                        results.push((index, made));
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(index, _)| *index);
    let mut all = Vec::new();
    for (index, made) in results {
        match made {
            Ok(mutants) => all.push((index, mutants)),
            Err(problem) => problems.push(problem),
        }
    }
    all
}

/// The baseline (first: the solution printed, every file) and the mutants of one exercise's
/// solution.
fn generate_one(course: &Course, exercise: &Exercise) -> Result<Vec<Mutant>, Problem> {
    let scope = Scope {
        locked: exercise.locked.clone(),
        mutate_main: !exercise.test,
    };
    let solution_dir = exercise.rel_solution_path();
    let rel_file = |file: &Path| match exercise.shape {
        Shape::File => solution_dir.clone(),
        Shape::Dir => solution_dir.join(file),
    };
    let mut baseline = BTreeMap::new();
    let mut mutants = vec![Mutant::with_files("baseline".into(), BTreeMap::new())];
    for (file, source) in mutants::solution_sources(course, exercise) {
        let unparsable = |err: syn::Error| {
            let at = err.span().start();
            Problem::error(
                format!("{}:{}:{}", slash(&rel_file(&file)), at.line, at.column + 1),
                format!("cannot generate mutants of `{}`: {err}", exercise.name),
            )
        };
        baseline.insert(
            file.clone(),
            operators::baseline(&source).map_err(unparsable)?,
        );
        for generated in operators::generate(&source, &scope).map_err(unparsable)? {
            let id = match exercise.shape {
                Shape::File => generated.id,
                Shape::Dir => format!("{}: {}", slash(&file), generated.id),
            };
            let location = format!("{}:{}", slash(&rel_file(&file)), generated.line);
            mutants.push(Mutant::generated(
                id,
                location,
                file.clone(),
                generated.source,
            ));
        }
    }
    mutants[0] = Mutant::with_files("baseline".into(), baseline);
    Ok(mutants)
}

/// The Python track's generated mutants (see `mutate.py`): made by the track's interpreter from
/// the syntax tree of each solution (the learner's module only), each a program of one batch
/// through the same engine as the curated mutants: the rule book, the type checker where the
/// exercise asks for it, then the course's tests in a warm worker, `workers` at a time.
fn check_python(
    course: &Course,
    curated: &[ExerciseMutants],
    exercises: &[usize],
    workers: usize,
    problems: &mut Vec<Problem>,
    started: Instant,
) -> Result<Outcome> {
    let python = context::python_for(course, context::Use::Many)?;
    let generated = generate_all(course, exercises, workers, problems, &|exercise| {
        generate_python(course, exercise, &python)
    });
    let mut cost = GeneratedCost {
        // Not counting the baselines.
        mutants: generated.iter().map(|(_, m)| m.len() - 1).sum(),
        generate: started.elapsed(),
        rounds: 1,
        ..GeneratedCost::default()
    };
    let mut workshop = Workshop::at(course, PROGRAMS_DIR);
    let mut slots = Vec::new();
    for (index, mutants) in generated {
        let exercise = &course.exercises[index];
        for (number, mutant) in mutants.into_iter().enumerate() {
            let name = format!("{}_gen{number}", exercise.name);
            let program = workshop.render(course, exercise, &name, Some(&mutant))?;
            let main_file = workshop.write(program)?;
            slots.push(Slot {
                exercise: index,
                mutant,
                baseline: number == 0,
                target: derived_target(course, exercise, name, main_file),
                group: None,
                nested: false,
            });
        }
    }
    let options = Options {
        jobs: workers,
        ..Options::default()
    };
    let engine = Engine::new(course, Box::new(python), options, None);
    engine.supervisor().cancel_on_signals();
    let targets: Vec<Target> = slots.iter().map(|s| s.target.clone()).collect();
    let verdicts = run(&engine, &targets, 1, &mut cost)?;
    workshop.prune();
    let tallies = judge(course, curated, &slots, &verdicts, problems);
    cost.wall = started.elapsed();
    Ok(Outcome { tallies, cost })
}

#[derive(serde::Deserialize)]
struct PythonMutants {
    baseline: Option<String>,
    mutants: Vec<PythonMutant>,
    syntax: Option<PythonSyntax>,
}

#[derive(serde::Deserialize)]
struct PythonMutant {
    id: String,
    line: usize,
    source: String,
}

#[derive(serde::Deserialize)]
struct PythonSyntax {
    line: usize,
    message: String,
}

/// The baseline (first: the solution printed from its tree) and the mutants of one Python
/// exercise's solution module.
fn generate_python(
    course: &Course,
    exercise: &Exercise,
    python: &crate::engine::python::Python,
) -> Result<Vec<Mutant>, Problem> {
    let rel = exercise.rel_solution_path();
    let cannot = |why: String| {
        Problem::error(
            &rel,
            format!("cannot generate mutants of `{}`: {why}", exercise.name),
        )
    };
    let sources = mutants::solution_sources(course, exercise);
    if sources.is_empty() {
        return Err(cannot("its solution cannot be read".into()));
    }
    // A package's files are each mutated; the baseline prints them all.
    let mut baseline = BTreeMap::new();
    let mut made = Vec::new();
    for (file, source) in sources {
        let shown = match exercise.shape {
            Shape::File => rel.clone(),
            Shape::Dir => rel.join(&file),
        };
        let answer = python.generate_mutants(&source).map_err(&cannot)?;
        let answer: PythonMutants = serde_json::from_str(&answer)
            .map_err(|e| cannot(format!("the generator's answer does not parse: {e}")))?;
        if let Some(syntax) = answer.syntax {
            return Err(Problem::error(
                format!("{}:{}", slash(&shown), syntax.line),
                format!(
                    "cannot generate mutants of `{}`: {}",
                    exercise.name, syntax.message
                ),
            ));
        }
        baseline.insert(file.clone(), answer.baseline.unwrap_or_default());
        for generated in answer.mutants {
            let id = match exercise.shape {
                Shape::File => generated.id,
                Shape::Dir => format!("{}: {}", slash(&file), generated.id),
            };
            let location = format!("{}:{}", slash(&shown), generated.line);
            made.push(Mutant::generated(
                id,
                location,
                file.clone(),
                generated.source,
            ));
        }
    }
    made.insert(0, Mutant::with_files("baseline".into(), baseline));
    Ok(made)
}

/// Writes every program and plans its target: one-file exercises in a shared binary each.
/// The first slot of each exercise is its baseline.
fn plan(
    course: &Course,
    workshop: &mut Workshop,
    generated: Vec<(usize, Vec<Mutant>)>,
) -> Result<(Vec<Slot>, Vec<Group>)> {
    let mut slots = Vec::new();
    let mut groups = Vec::new();
    for (index, mutants) in generated {
        let exercise = &course.exercises[index];
        let name = format!("backendlings_generated_{}", exercise.name);
        groups.push(Group {
            root: workshop.shared_root(&name),
            name,
            exercise: index,
        });
        let group = groups.len() - 1;
        for (number, mutant) in mutants.into_iter().enumerate() {
            let name = format!("{}_gen{number}", exercise.name);
            let module = module_of(number);
            let mut program = workshop.render(course, exercise, &name, Some(&mutant))?;
            let nested = exercise.shape == Shape::Dir
                && program.rewrite_rust(|text| operators::nest_crate_paths(text, &module).ok());
            let shared = exercise.shape == Shape::File || nested;
            let main_file = workshop.write(program)?;
            let mut target = derived_target(course, exercise, name, main_file);
            if shared {
                target.shared = Some(SharedBinary {
                    name: groups[group].name.clone(),
                    root: groups[group].root.clone(),
                    filter: format!("{module}::"),
                });
            }
            slots.push(Slot {
                exercise: index,
                mutant,
                // The baseline is the first program of its exercise.
                baseline: number == 0,
                target,
                group: shared.then_some(group),
                nested,
            });
        }
    }
    Ok((slots, groups))
}

/// The module of mutant `number` (0: the baseline) in its shared binary.
fn module_of(number: usize) -> String {
    format!("mutant_{number}")
}

/// Builds and runs every slot; the shared binaries that do not compile are built again without
/// the modules the compiler blames (see the module docs).
fn build_in_rounds(
    course: &Course,
    engine: &Engine,
    workshop: &mut Workshop,
    slots: &mut [Slot],
    groups: &[Group],
    cost: &mut GeneratedCost,
) -> Result<Vec<Verdict>> {
    let mut verdicts: Vec<Option<Verdict>> = (0..slots.len()).map(|_| None).collect();
    let mut pending: Vec<usize> = (0..slots.len()).collect();
    let mut round = 0;
    while !pending.is_empty() {
        round += 1;
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &slot in &pending {
            if let Some(group) = slots[slot].group {
                members.entry(group).or_default().push(slot);
            }
        }
        for (&group, in_it) in &members {
            let modules: Vec<(String, PathBuf)> = in_it
                .iter()
                .map(|&slot| {
                    let module = slots[slot]
                        .target
                        .shared
                        .as_ref()
                        .map(|s| s.filter.trim_end_matches(':').to_string());
                    (
                        module.unwrap_or_default(),
                        slots[slot].target.main_file.clone(),
                    )
                })
                .collect();
            let about = format!(
                "the generated mutants of `{}`",
                course.exercises[groups[group].exercise].name
            );
            workshop.write_shared_root(&groups[group].root, &about, &modules)?;
        }
        let targets: Vec<Target> = pending.iter().map(|&s| slots[s].target.clone()).collect();
        cost.binaries += members.len() + targets.iter().filter(|t| t.shared.is_none()).count();
        let ran = run(engine, &targets, round, cost)?;
        let mut again = Vec::new();
        let mut failed_groups: BTreeMap<usize, String> = BTreeMap::new();
        for (&slot, verdict) in pending.iter().zip(ran) {
            match slots[slot].group {
                Some(group) if verdict.status == Status::CompileError => {
                    failed_groups
                        .entry(group)
                        .or_insert_with(|| verdict.output.plain());
                    verdicts[slot] = Some(verdict);
                }
                // A run that did not select exactly its own tests shows nothing: alone.
                Some(_)
                    if matches!(
                        verdict.reason,
                        Some(Reason::NothingSelected | Reason::TestCount { .. })
                    ) =>
                {
                    leave_group(course, workshop, &mut slots[slot])?;
                    again.push(slot);
                }
                _ => verdicts[slot] = Some(verdict),
            }
        }
        for (group, output) in failed_groups {
            let blamed = blamed_files(&output);
            let is_blamed = |slot: usize| blamed.iter().any(|file| slots[slot].owns(file));
            let members = &members[&group];
            let baseline_blamed = members.iter().any(|&s| slots[s].baseline && is_blamed(s));
            let some_blamed = members.iter().any(|&s| is_blamed(s));
            let split = baseline_blamed || !some_blamed || round >= SHARED_ROUNDS;
            let blamed_now: Vec<bool> = members.iter().map(|&s| is_blamed(s)).collect();
            for (&slot, blamed) in members.iter().zip(blamed_now) {
                if split {
                    leave_group(course, workshop, &mut slots[slot])?;
                    again.push(slot);
                } else if !blamed {
                    again.push(slot);
                } else {
                    // Blamed: it stays a compile error, and leaves the binary.
                    slots[slot].group = None;
                }
            }
        }
        again.sort_unstable();
        pending = again;
    }
    cost.rounds = round;
    Ok(verdicts
        .into_iter()
        .map(|v| v.expect("every slot got a verdict"))
        .collect())
}

/// Takes `slot` out of its shared binary: it is built alone from now on.
fn leave_group(course: &Course, workshop: &mut Workshop, slot: &mut Slot) -> Result<()> {
    slot.group = None;
    slot.target.shared = None;
    if slot.nested {
        let exercise = &course.exercises[slot.exercise];
        let program = workshop.render(course, exercise, &slot.target.name, Some(&slot.mutant))?;
        slot.target.main_file = workshop.write(program)?;
        slot.nested = false;
    }
    Ok(())
}

/// The files that the compiler's error messages point at (`--> path:line:column` under an
/// `error` header), as written.
fn blamed_files(output: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut in_error = false;
    for line in output.lines() {
        if line.starts_with("error") {
            in_error = !line.starts_with("error: aborting")
                && !line.starts_with("error: could not compile");
            continue;
        }
        if line.starts_with("warning") {
            in_error = false;
            continue;
        }
        if in_error && let Some(rest) = line.trim_start().strip_prefix("--> ") {
            // `path:line:column`
            let path = rest.rsplitn(3, ':').nth(2).unwrap_or(rest);
            files.push(PathBuf::from(path));
            in_error = false;
        }
    }
    files
}

/// One engine batch with a progress bar, adding its times to `cost`.
fn run(
    engine: &Engine,
    targets: &[Target],
    round: usize,
    cost: &mut GeneratedCost,
) -> Result<Vec<Verdict>> {
    eprintln!(
        "generated mutants, round {round}: {} programs",
        targets.len()
    );
    let started = Instant::now();
    let mut built_at = None;
    let mut running: HashMap<String, Instant> = HashMap::new();
    let mut runs = Duration::ZERO;
    let mut bar = terminal::BuildBar::new(true);
    let verdicts = engine.check_targets(targets, &mut |event| {
        match &event {
            Event::BuildFinished => built_at = Some(started.elapsed()),
            Event::RunStarted { name } => {
                running.insert(name.clone(), Instant::now());
            }
            Event::Checked { name, .. } => {
                if let Some(at) = running.remove(name) {
                    runs += at.elapsed();
                }
            }
            _ => {}
        }
        bar.on_event(&event);
    });
    bar.finish();
    cost.build += built_at.unwrap_or_else(|| started.elapsed());
    cost.runs += runs;
    verdicts
}

/// Counts each exercise's mutants and pushes the problems: survivors not listed as equivalent,
/// baselines that fail, equivalents that are killed or that no mutant has the id of.
fn judge(
    course: &Course,
    curated: &[ExerciseMutants],
    slots: &[Slot],
    verdicts: &[Verdict],
    problems: &mut Vec<Problem>,
) -> Vec<GeneratedTally> {
    let mut by_exercise: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (index, slot) in slots.iter().enumerate() {
        by_exercise.entry(slot.exercise).or_default().push(index);
    }
    let mut tallies = Vec::new();
    for (index, members) in by_exercise {
        let exercise = &course.exercises[index];
        let no_equivalents = Vec::new();
        let equivalents: &Vec<Equivalent> = curated
            .iter()
            .find(|m| m.exercise == index)
            .map_or(&no_equivalents, |m| &m.equivalents);
        let file = mutants::rel_mutants_file(exercise);
        let baseline = members.iter().find(|&&s| slots[s].baseline);
        if let Some(&slot) = baseline
            && verdicts[slot].status != Status::Passed
        {
            problems.push(
                Problem::error(
                    exercise.rel_solution_path(),
                    format!(
                        "the solution of `{}`, printed from its syntax tree as its generated mutants are, does not pass: {}",
                        exercise.name,
                        verdicts[slot].status.label()
                    ),
                )
                .help(match course.language {
                    Language::Rust => "its generated mutants are not counted: a test that depends on the source text (line numbers, `file!()`) or a module that only works as a crate root cannot be mutated",
                    Language::Python => "its generated mutants are not counted: printed by `ast.unparse`, it has no comments and its own layout, so a test that depends on the source text (line numbers, `inspect.getsource`) cannot be mutated",
                })
                .output(terminal::output_text(&verdicts[slot])),
            );
            continue;
        }
        let mut tally = GeneratedTally {
            exercise: exercise.name.clone(),
            ..GeneratedTally::default()
        };
        let mut ids = Vec::new();
        for &slot in &members {
            let mutant = &slots[slot].mutant;
            if slots[slot].baseline {
                continue;
            }
            tally.generated += 1;
            ids.push(mutant.label.as_str());
            let equivalent = equivalents.iter().find(|e| e.id == mutant.label);
            let verdict = &verdicts[slot];
            // A Python exercise that asks for the type checker is checked by it: a mutant it
            // refuses is refused to a learner too (a syntax error or the rule book is not:
            // no learner writes what the generator prints, and such a mutant shows nothing).
            let typed = exercise.typecheck
                && verdict.status == Status::CompileError
                && verdict.reason != Some(Reason::Syntax);
            match verdict.status {
                _ if typed => tally.killed += 1,
                Status::TestsFailed | Status::RunFailed | Status::TimedOut => {
                    tally.killed += 1;
                    if let Some(equivalent) = equivalent {
                        problems.push(
                            Problem::warning(
                                &equivalent.location,
                                format!(
                                    "mutant \"{}\" is listed as equivalent (\"{}\"), but the tests of `{}` kill it",
                                    equivalent.id, equivalent.reason, exercise.name
                                ),
                            )
                            .help("remove it from [[equivalent]]"),
                        );
                    }
                }
                Status::Passed | Status::ClippyFailed => match equivalent {
                    Some(_) => tally.equivalent += 1,
                    None => {
                        tally.survived += 1;
                        problems.push(
                            Problem::error(
                                &mutant.location,
                                format!(
                                    "generated mutant \"{}\" of `{}` survives: the exercise's tests pass on it",
                                    mutant.label, exercise.name
                                ),
                            )
                            .help(format!(
                                "strengthen the tests of {} until they reject it; if it does exactly what the solution does, add to {} [[equivalent]] mutant = {:?} and a one-line reason (the program: {})",
                                slash(&exercise.rel_path()),
                                slash(&file),
                                mutant.label,
                                slash(
                                    slots[slot]
                                        .target
                                        .main_file
                                        .strip_prefix(&course.root)
                                        .unwrap_or(&slots[slot].target.main_file)
                                )
                            )),
                        );
                    }
                },
                _ => tally.unviable += 1,
            }
        }
        for equivalent in equivalents.iter().filter(|e| !ids.contains(&e.id.as_str())) {
            problems.push(
                Problem::error(
                    &equivalent.location,
                    format!(
                        "no generated mutant of `{}` has the id \"{}\"",
                        exercise.name, equivalent.id
                    ),
                )
                .help("the solution changed: remove the [[equivalent]], or copy the new id from the report"),
            );
        }
        tallies.push(tally);
    }
    tallies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_blame_the_files_they_point_at_and_warnings_do_not() {
        let output = "warning: unused variable\n  --> target/x/one_gen3.rs:1:2\n\nerror[E0308]: mismatched types\n  --> target/x/one_gen12.rs:4:9\n   |\nerror: cannot find value\n --> C:\\course\\one_gen7.rs:2:1\nerror: aborting due to 2 previous errors\n";
        assert_eq!(
            blamed_files(output),
            [
                PathBuf::from("target/x/one_gen12.rs"),
                PathBuf::from("C:\\course\\one_gen7.rs")
            ]
        );
    }
}
