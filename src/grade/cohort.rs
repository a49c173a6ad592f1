//! Grading learners in parallel.
//!
//! Every learner's sandbox builds into its own small target folder, but all of them share one
//! cargo *build* folder (`build.build-dir`), so the exercise dependencies compile once per
//! cohort. Cargo's lock on that folder serializes the builds; with `--jobs` learners in flight,
//! one learner builds while the others run their tests, a pipeline without a scheduler of our
//! own. Each sandbox package has a unique name, which keeps the executables of different
//! learners apart, and its executables are deleted once its runs are done.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::Result;

use super::learner::{self, Learner};
use super::model::{CourseInfo, ExerciseGrade, LearnerGrade};
use super::sandbox::{self, Prepared, Problem, Sandbox};
use crate::course::{Course, Exercise};
use crate::engine::cargo::Cargo;
use crate::engine::{Engine, Event, Options};
use crate::verdict::{Captured, Status, Verdict};

/// Output kept per exercise in reports (the whole cohort's JSON stays manageable).
pub const GRADE_OUTPUT_CAP: usize = 16 * 1024;
/// Address-space limit for learner programs: generous for threaded tests, fatal for a runaway.
const MEMORY_LIMIT: u64 = 4 * 1024 * 1024 * 1024;

/// How to grade, from the command line.
pub struct Settings {
    pub jobs: usize,
    pub timeout: Option<Duration>,
    pub deadline: Option<jiff::Timestamp>,
    /// The cargo build folder shared by the cohort.
    pub build_dir: PathBuf,
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
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(learner) = learners.get(index) else {
                        break;
                    };
                    let grade = grade_learner(course, info, learner, index, settings, on_progress);
                    on_progress(Progress::LearnerDone(&grade));
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(grade);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|g| g.expect("every learner was graded"))
        .collect()
}

fn grade_learner(
    course: &Course,
    info: &CourseInfo,
    learner: &Learner,
    index: usize,
    settings: &Settings,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> LearnerGrade {
    let path = learner.dir.display().to_string();
    let error =
        |message: String| LearnerGrade::error(learner.name.clone(), path.clone(), info, message);
    let tree = match learner::tree(learner, settings.deadline.as_ref()) {
        Ok(tree) => tree,
        Err(err) => return error(format!("{err:#}")),
    };
    let package = format!("grade-{}-{index}", std::process::id());
    let sandbox = match sandbox::prepare(course, &tree.root, &package) {
        Ok(sandbox) => sandbox,
        Err(err) => return error(format!("{err:#}")),
    };
    let verdicts = match check(&sandbox, &package, settings, on_progress) {
        Ok(verdicts) => verdicts,
        Err(err) => return error(format!("grading failed: {err:#}")),
    };
    let exercises = course
        .exercises
        .iter()
        .zip(&sandbox.exercises)
        .zip(verdicts)
        .map(|((exercise, prepared), verdict)| exercise_grade(course, exercise, prepared, verdict))
        .collect();
    LearnerGrade::graded(
        learner.name.clone(),
        path,
        tree.commit.clone(),
        info,
        exercises,
    )
}

/// One verdict per course exercise: compiled and run for the ready ones, the sandbox's problem
/// for the others.
fn check(
    sandbox: &Sandbox,
    package: &str,
    settings: &Settings,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<Verdict>> {
    let mut verdicts: Vec<Verdict> = sandbox
        .exercises
        .iter()
        .map(|prepared| match prepared {
            Prepared::Skipped(Problem::Missing(why)) => {
                Verdict::new(Status::Missing, Captured::new(format!("{why}\n")))
            }
            Prepared::Skipped(Problem::Unreadable(why)) => {
                Verdict::new(Status::Unreadable, Captured::new(format!("{why}\n")))
            }
            Prepared::Ready { .. } => Verdict::new(Status::RunFailed, Captured::default()),
        })
        .collect();
    for prepared in &sandbox.exercises {
        if matches!(prepared, Prepared::Skipped(_)) {
            on_progress(Progress::ExerciseChecked);
        }
    }
    let ready = sandbox.ready();
    if ready.is_empty() {
        return Ok(verdicts);
    }
    let root = sandbox.dir.path();
    let target_dir = root.join("target");
    let mut cargo = Cargo::new(
        root,
        root.join("Cargo.toml"),
        target_dir.join("pkg"),
        target_dir,
    );
    cargo.clean_env = true;
    cargo.color = false;
    cargo.keep_outputs = false;
    cargo.extra_cargo_args = vec![
        "--config".into(),
        format!(
            "build.build-dir={}",
            toml_edit::Value::from(settings.build_dir.to_string_lossy().as_ref())
        ),
        // One-off builds gain nothing from incremental state, which would only pile up.
        "--config".into(),
        "profile.dev.incremental=false".into(),
    ];
    let options = Options {
        timeout: settings.timeout,
        output_cap: GRADE_OUTPUT_CAP,
        memory_bytes: Some(MEMORY_LIMIT),
        ..Options::default()
    };
    let result = {
        let mut engine = Engine::new(&sandbox.course, Box::new(cargo), options, None);
        engine.check(&ready, &mut |event| {
            if let Event::Checked { .. } = event {
                on_progress(Progress::ExerciseChecked);
            }
        })
    };
    remove_fingerprints(&settings.build_dir, package);
    for (index, verdict) in ready.into_iter().zip(result?) {
        verdicts[index] = verdict;
    }
    Ok(verdicts)
}

fn exercise_grade(
    course: &Course,
    exercise: &Exercise,
    prepared: &Prepared,
    mut verdict: Verdict,
) -> ExerciseGrade {
    if exercise.test
        && verdict.status.is_pass()
        && !verdict.output.plain().contains("test result: ok.")
    {
        // The test binary exited 0 without libtest's summary: learner code ended the process
        // (`std::process::exit(0)`) before the tests could fail.
        verdict.status = Status::RunFailed;
        verdict.output.text.push_str(
            "\nThe tests did not report their results: the program ended before they finished.\n",
        );
    }
    let (tests_modified, locked_modified) = match prepared {
        Prepared::Ready(modified) => (modified.tests, !modified.locked.is_empty()),
        Prepared::Skipped(_) => (false, false),
    };
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
        output: verdict.output.plain(),
        output_truncated: verdict.output.truncated,
    }
}

/// Deletes the fingerprints one learner's build left in the shared build folder (named after
/// its unique package); its executables were moved out by the toolchain.
fn remove_fingerprints(build_dir: &Path, package: &str) {
    let fingerprints = build_dir.join("debug").join(".fingerprint");
    if let Ok(entries) = fs::read_dir(&fingerprints) {
        let prefix = format!("{package}-");
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}
