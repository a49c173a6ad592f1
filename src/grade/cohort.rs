//! Grading learners in parallel.
//!
//! The course's crates compile once per cohort, into one shared cargo *build* folder
//! (`build.build-dir`). Sandboxed, that folder is written only by the grader's own warm-up
//! build, and every learner builds in a hard-linked copy of it ([`isolation`]), so learners build
//! in parallel and share nothing writable. Without a sandbox, learners build in the shared
//! folder itself; cargo's lock serializes those builds, each sandbox package has a unique
//! name, which keeps the executables of different learners apart, and its fingerprints are
//! deleted once its runs are done.
//!
//! Every learner gets a control group where the machine allows one: memory and processes are
//! limited for the learner as a whole, and whatever is left of the learner is killed before
//! the next one starts.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};

use super::isolation::{self, Isolation};
use super::learner::{self, Learner};
use super::python;
use super::sandbox::{self, Sandbox};
use super::users::SlotUsers;
use crate::contract::{Prepared, Problem};
use crate::course::{Course, Exercise};
use crate::engine::cargo::Cargo;
use crate::engine::cgroup::Cgroup;
use crate::engine::process::Supervisor;
use crate::engine::python::PythonEnv;
use crate::engine::{Engine, Event, Options, Target, TestCount};
use crate::report::model::{CourseInfo, ExerciseGrade, LearnerGrade};
use crate::report::reason::explained_output;
use crate::verdict::{Captured, Reason, Status, Verdict};

/// Output kept per exercise in reports (the whole cohort's JSON stays manageable).
pub const GRADE_OUTPUT_CAP: usize = 16 * 1024;
/// Address-space limit for each learner program: generous for threaded tests, fatal for a
/// runaway.
const MEMORY_LIMIT: u64 = 4 * 1024 * 1024 * 1024;
/// Memory for one learner as a whole (builds and runs), where cgroups allow it.
const LEARNER_MEMORY: u64 = 6 * 1024 * 1024 * 1024;
/// Processes and threads one learner may have at once, where cgroups allow it: enough for
/// cargo, rustc's threads and tests that start a few servers and workers.
const LEARNER_PROCESSES: u64 = 512;

/// The stack of each grading thread. The rule book parses every printed file again here; the
/// sandbox's reader parsed it first on a stack of a fraction of this size, so nothing it
/// accepted can overflow this one.
pub const WORKER_STACK: usize = 64 * 1024 * 1024;

/// How to grade, from the command line.
pub struct Settings {
    pub jobs: usize,
    pub timeout: Option<Duration>,
    pub deadline: Option<jiff::Timestamp>,
    /// The cargo build folder shared by the cohort.
    pub build_dir: PathBuf,
    /// How long one learner's build may take.
    pub build_timeout: Duration,
    pub isolation: Isolation,
    /// Owns every process of the grading; cancelled by Ctrl-C.
    pub supervisor: Supervisor,
    /// A Python course's environment, built before any learner.
    pub python: Option<PythonEnv>,
}

/// What a progress display learns while grading.
pub enum Progress<'a> {
    ExerciseChecked,
    LearnerDone(&'a LearnerGrade),
}

/// Grades `learners` on up to `settings.jobs` threads; results come back in the same order.
pub fn grade_all(
    course: &Course,
    info: &CourseInfo,
    learners: &[Learner],
    settings: &Settings,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Vec<LearnerGrade> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<LearnerGrade>>> = Mutex::new(vec![None; learners.len()]);
    let workers = settings.jobs.clamp(1, learners.len().max(1));
    thread::scope(|scope| {
        for slot in 0..workers {
            let next = &next;
            let results = &results;
            let worker = thread::Builder::new().stack_size(WORKER_STACK);
            let spawned = worker.spawn_scoped(scope, move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(learner) = learners.get(index) else {
                        break;
                    };
                    // One learner's file must never take the cohort down: a panic while
                    // preparing, building or judging them is their `grader_error`.
                    let grade = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        grade_learner(course, info, learner, index, slot, settings, on_progress)
                    }))
                    .unwrap_or_else(|panic| {
                        LearnerGrade::grader_error(
                            learner.name.clone(),
                            learner.dir.display().to_string(),
                            info,
                            format!(
                                "the grader failed on this learner ({}); the others were graded. Please report it.",
                                panic_message(panic.as_ref())
                            ),
                        )
                    });
                    on_progress(Progress::LearnerDone(&grade));
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(grade);
                }
            });
            // A thread that cannot start leaves its share to the others.
            drop(spawned);
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .zip(learners)
        .map(|(grade, learner)| {
            grade.unwrap_or_else(|| {
                LearnerGrade::grader_error(
                    learner.name.clone(),
                    learner.dir.display().to_string(),
                    info,
                    "no grading thread could be started".to_string(),
                )
            })
        })
        .collect()
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

fn grade_learner(
    course: &Course,
    info: &CourseInfo,
    learner: &Learner,
    index: usize,
    slot: usize,
    settings: &Settings,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> LearnerGrade {
    // Tests prove that a panic stays with its learner (`tests/grade_hostile.rs`); release
    // builds have no such hook.
    #[cfg(debug_assertions)]
    if std::env::var_os("BACKENDLINGS_FAILPOINT_PANIC").is_some_and(|n| n == learner.name.as_str())
    {
        panic!("failpoint: a panic while grading {}", learner.name);
    }
    let path = learner.dir.display().to_string();
    let error =
        |message: String| LearnerGrade::error(learner.name.clone(), path.clone(), info, message);
    let sections: Vec<String> = course.sections.iter().map(|s| s.dir.clone()).collect();
    let tree = match learner::tree(
        learner,
        settings.deadline.as_ref(),
        &sections,
        &settings.supervisor,
    ) {
        Ok(tree) => tree,
        Err(err) => return error(format!("{err:#}")),
    };
    let package = format!("grade-{}-{index}", std::process::id());
    let prepared = match &settings.python {
        Some(_) => python::prepare(course, &tree.root),
        None => sandbox::prepare(course, &tree.root, &package, &settings.supervisor),
    };
    let sandbox = match prepared {
        Ok(sandbox) => sandbox,
        Err(err) if err.is::<sandbox::Crashed>() => {
            return LearnerGrade::grader_error(
                learner.name.clone(),
                path,
                info,
                format!("{err:#}"),
            );
        }
        Err(err) => return error(format!("{err:#}")),
    };
    // Dropped at the end of this learner: whatever of theirs still runs is killed then.
    let cgroup = Cgroup::create(&package, LEARNER_MEMORY, LEARNER_PROCESSES).map(Arc::new);
    let users = settings.isolation.slot_users(slot);
    let checked = match &settings.python {
        Some(env) => check_python(course, &sandbox, env, settings, cgroup, on_progress),
        None => check(&sandbox, &package, settings, users, cgroup, on_progress),
    };
    if let Some(users) = users {
        users.kill_leftovers();
    }
    let verdicts = match checked {
        Ok(verdicts) => verdicts,
        Err(err) => return error(format!("grading failed: {err:#}")),
    };
    let redact = Redaction::of(&sandbox, course, settings);
    let exercises = course
        .exercises
        .iter()
        .zip(&sandbox.exercises)
        .zip(verdicts)
        .map(|((exercise, prepared), verdict)| {
            exercise_grade(course, exercise, prepared, verdict, &redact)
        })
        .collect();
    LearnerGrade::graded(
        learner.name.clone(),
        path,
        tree.commit.clone(),
        info,
        exercises,
    )
}

/// The verdicts of a sandbox's exercises that are not ready: their problems.
fn skipped_verdicts(sandbox: &Sandbox, on_progress: &(dyn Fn(Progress) + Sync)) -> Vec<Verdict> {
    let verdicts = sandbox
        .exercises
        .iter()
        .map(|prepared| match prepared {
            Prepared::Skipped(Problem::Missing(why)) => {
                Verdict::new(Status::Missing, Captured::new(format!("{why}\n")))
            }
            Prepared::Skipped(Problem::Unreadable(why)) => {
                Verdict::new(Status::Unreadable, Captured::new(format!("{why}\n")))
            }
            Prepared::Skipped(Problem::Rejected(why)) => Verdict {
                reason: Some(Reason::Contract),
                ..Verdict::new(Status::Rejected, Captured::new(format!("{why}\n")))
            },
            Prepared::Skipped(Problem::Syntax(why)) => Verdict {
                reason: Some(Reason::Syntax),
                ..Verdict::new(
                    Status::CompileError,
                    Captured::new(format!("error: {why}\n")),
                )
            },
            Prepared::Ready { .. } => Verdict::new(Status::RunFailed, Captured::default()),
        })
        .collect();
    for prepared in &sandbox.exercises {
        if matches!(prepared, Prepared::Skipped(_)) {
            on_progress(Progress::ExerciseChecked);
        }
    }
    verdicts
}

/// One verdict per exercise of a Python course, checked in the jail (when there is one) with
/// the course's tests and the grader's environment.
fn check_python(
    course: &Course,
    sandbox: &Sandbox,
    env: &PythonEnv,
    settings: &Settings,
    cgroup: Option<Arc<Cgroup>>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Verdict>> {
    let mut verdicts = skipped_verdicts(sandbox, on_progress);
    let ready = sandbox.ready();
    if ready.is_empty() {
        return Ok(verdicts);
    }
    let root = sandbox.dir.path();
    let jail = match &settings.isolation {
        Isolation::Sandboxed(sandboxing) => Some(sandboxing.jail()),
        _ => None,
    };
    let toolchain = python::toolchain(env, root, jail);
    let options = Options {
        timeout: settings.timeout,
        output_cap: GRADE_OUTPUT_CAP,
        memory_bytes: Some(MEMORY_LIMIT),
        build_timeout: settings.build_timeout,
        cgroup,
        supervisor: settings.supervisor.clone(),
        ..Options::default()
    };
    let targets: Vec<Target> = ready
        .iter()
        .map(|&index| {
            let exercise = &sandbox.course.exercises[index];
            let mut target = Target::of(&sandbox.course, exercise, false);
            // The course's own count, and its shipped file for the rule book, whatever the
            // learner's tree holds.
            target.tests = TestCount::Course(course.exercises[index].tests);
            if let Some(parts) = target.python.as_mut() {
                parts.shipped = root.join(python::shipped_path(exercise));
            }
            target
        })
        .collect();
    let engine = Engine::new(&sandbox.course, Box::new(toolchain), options, None);
    let result = engine.check_targets(&targets, &mut |event| {
        if let Event::Checked { .. } = event {
            on_progress(Progress::ExerciseChecked);
        }
    })?;
    for (index, verdict) in ready.into_iter().zip(result) {
        verdicts[index] = verdict;
    }
    Ok(verdicts)
}

/// One verdict per course exercise: compiled and run for the ready ones, the sandbox's problem
/// for the others.
fn check(
    sandbox: &Sandbox,
    package: &str,
    settings: &Settings,
    users: Option<SlotUsers>,
    cgroup: Option<Arc<Cgroup>>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Verdict>> {
    let mut verdicts = skipped_verdicts(sandbox, on_progress);
    let ready = sandbox.ready();
    if ready.is_empty() {
        return Ok(verdicts);
    }
    let root = sandbox.dir.path();
    let mut cargo = learner_cargo(root, &sandbox.course, settings);
    let copy = root.join(".build");
    match &settings.isolation {
        Isolation::Sandboxed(sandboxing) => {
            isolation::link_tree(&settings.build_dir, &copy, users.is_some())?;
            sandboxing.confine(&mut cargo, root, &settings.build_dir, &copy)?;
        }
        Isolation::Separated(separation) => {
            isolation::link_tree(&settings.build_dir, &copy, users.is_some())?;
            separation.confine(&mut cargo, root, &copy)?;
        }
        Isolation::None { .. } => {}
    }
    if let Some(users) = users {
        // Leftovers of an earlier learner in this slot (or an earlier grader) go first.
        users.kill_leftovers();
        users.hand_over(root, &[cargo.package_dir.join("bin")])?;
    }
    let options = Options {
        timeout: settings.timeout,
        output_cap: GRADE_OUTPUT_CAP,
        memory_bytes: Some(MEMORY_LIMIT),
        build_timeout: settings.build_timeout,
        cgroup,
        build_identity: users.map(|u| u.build),
        run_identity: users.map(|u| u.run),
        supervisor: settings.supervisor.clone(),
        ..Options::default()
    };
    // Sandboxed, the learner built in a copy of the shared folder, which goes with the sandbox.
    let shared = matches!(settings.isolation, Isolation::None { .. }).then(|| cargo.clone());
    let result = {
        // Each program must report exactly the tests the course declares, never a number read
        // from the learner's files.
        let targets: Vec<Target> = ready
            .iter()
            .map(|&index| {
                let exercise = &sandbox.course.exercises[index];
                let tests = match &sandbox.exercises[index] {
                    Prepared::Ready(prepared) => prepared.tests,
                    Prepared::Skipped(_) => None,
                };
                Target {
                    tests: TestCount::Course(tests),
                    ..Target::of(&sandbox.course, exercise, false)
                }
            })
            .collect();
        let engine = Engine::new(&sandbox.course, Box::new(cargo), options, None);
        engine.check_targets(&targets, &mut |event| {
            if let Event::Checked { .. } = event {
                on_progress(Progress::ExerciseChecked);
            }
        })
    };
    if let Some(cargo) = shared {
        cargo.forget_package(package);
    }
    for (index, verdict) in ready.into_iter().zip(result?) {
        verdicts[index] = verdict;
    }
    Ok(verdicts)
}

/// The toolchain for one learner's sandbox at `root`: the course's manifest, a clean
/// environment, no colour, the cohort's shared build folder, executables moved out of it.
fn learner_cargo(root: &Path, course: &Course, settings: &Settings) -> Cargo {
    let target_dir = root.join("target");
    let mut cargo = Cargo::new(
        root,
        root.join("Cargo.toml"),
        target_dir.join("pkg"),
        target_dir,
    );
    cargo.clean_env = true;
    cargo.keep_outputs = false;
    cargo.forbid_unsafe = course.forbid_unsafe;
    cargo.lazy_features = course.lazy_features();
    cargo.shared_build_dir = Some(settings.build_dir.clone());
    cargo
}

/// Builds the course's crates into the shared build folder before any learner, with no
/// learner code: a package with the course's manifest and one empty test program. Learners'
/// builds then find every crate fresh in their copies.
pub fn warm_up(course: &Course, settings: &Settings) -> Result<()> {
    if let Isolation::None { .. } = &settings.isolation {
        return Ok(());
    }
    let dir = tempfile::Builder::new()
        .prefix("backendlings-warm-up-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let root = dir.path();
    let manifest = sandbox::standalone_manifest(course, "backendlings-warm-up", &[])?;
    fs::write(root.join("Cargo.toml"), manifest).context("cannot write the warm-up manifest")?;
    let lock = crate::manifest::lock_path(&course.root);
    if lock.is_file() {
        fs::copy(&lock, root.join("Cargo.lock")).context("cannot copy the course's Cargo.lock")?;
    }
    let main = root.join("warm_up.rs");
    fs::write(&main, "fn main() {}\n#[test]\nfn builds() {}\n")
        .context("cannot write the warm-up program")?;
    let mut cargo = learner_cargo(root, course, settings);
    // As the grader: this build compiles no learner code, and learners' builds trust it.
    match &settings.isolation {
        Isolation::Sandboxed(sandboxing) => {
            sandboxing.confine(&mut cargo, root, &settings.build_dir, &settings.build_dir)?;
        }
        Isolation::Separated(separation) => {
            separation.confine(&mut cargo, root, &settings.build_dir)?;
        }
        Isolation::None { .. } => {}
    }
    let options = Options {
        build_timeout: crate::engine::BUILD_TIMEOUT,
        supervisor: settings.supervisor.clone(),
        ..Options::default()
    };
    let target = Target {
        name: "backendlings_warm_up".into(),
        main_file: main,
        test: true,
        strict_clippy: false,
        timeout: Duration::from_secs(60),
        shared: None,
        tests: TestCount::Course(Some(1)),
        python: None,
        // Every crate a learner's build may need, lazy ones included: a cohort builds them all.
        features: course.lazy_features(),
    };
    let engine = Engine::new(course, Box::new(cargo), options, None);
    let verdict = engine.check_targets(&[target], &mut |_| {})?.remove(0);
    if verdict.status == Status::CompileError {
        anyhow::bail!(
            "the course's crates do not build in the sandbox:\n{}",
            explained_output(&verdict).plain()
        );
    }
    Ok(())
}

fn exercise_grade(
    course: &Course,
    exercise: &Exercise,
    prepared: &Prepared,
    verdict: Verdict,
    redact: &Redaction,
) -> ExerciseGrade {
    let (tests_modified, locked_modified) = match prepared {
        Prepared::Ready(ready) => (ready.modified.tests, !ready.modified.locked.is_empty()),
        Prepared::Skipped(_) => (false, false),
    };
    let output = explained_output(&verdict);
    ExerciseGrade {
        name: exercise.name.clone(),
        section: course.sections[exercise.section].dir.clone(),
        status: verdict.status,
        tests_modified,
        locked_modified,
        score: if verdict.status.is_pass() {
            exercise.points
        } else {
            0
        },
        max_score: exercise.points,
        duration_ms: verdict.duration_ms,
        failing_tests: verdict.failing_tests,
        reason: verdict.reason.as_ref().map(|r| r.key().to_string()),
        output: redact.apply(&output.plain()),
        output_truncated: output.truncated,
    }
}

/// The grading machine's own paths, replaced in what reports show of a learner's output: the
/// learner's code could print them (`/proc/self/mountinfo`, its environment, a panic's path),
/// and they say where the course, the toolchain and the grader's home are.
struct Redaction(Vec<(String, &'static str)>);

impl Redaction {
    fn of(sandbox: &Sandbox, course: &Course, settings: &Settings) -> Redaction {
        let mut paths: Vec<(PathBuf, &'static str)> = vec![
            (sandbox.dir.path().to_path_buf(), "<sandbox>"),
            (settings.build_dir.clone(), "<build>"),
            (course.root.clone(), "<course>"),
            (std::env::temp_dir(), "<tmp>"),
        ];
        if let Some(home) = std::env::home_dir() {
            paths.push((home, "<home>"));
        }
        if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
            paths.push((PathBuf::from(cargo_home), "<cargo-home>"));
        }
        let mut pairs: Vec<(String, &'static str)> = Vec::new();
        for (path, label) in paths {
            let real = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            for shown in [path, real] {
                let text = shown.display().to_string();
                // `/` or a one-letter path would redact every slash.
                if text.len() > 4 && !pairs.iter().any(|(p, _)| *p == text) {
                    pairs.push((text, label));
                }
            }
        }
        // Longest first: a path inside another is replaced by its own label.
        pairs.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
        Redaction(pairs)
    }

    fn apply(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (path, label) in &self.0 {
            if text.contains(path.as_str()) {
                text = text.replace(path.as_str(), label);
            }
        }
        text
    }
}
