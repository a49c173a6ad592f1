//! `backendlings grade`: grades learner trees against the course's own tests.
//!
//! The course found from the current folder (or `--course`) is canonical: its tests, manifest,
//! lock file and `info.toml` are used, whatever a learner's tree holds. Each learner is copied
//! into a sandbox ([`sandbox`]) with the course's tests assembled in (`crate::contract`), and the cohort
//! is graded in parallel ([`cohort`]); reporters render the [`model`].

pub mod cohort;
pub mod isolation;
pub mod layout;
pub mod learner;
pub mod partition;
pub mod python;
pub mod sandbox;
pub mod users;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::context::TARGET_SUBDIR;
use crate::course::{Course, INFO_FILE};
use crate::engine::process::Supervisor;
use crate::report::model::{CourseInfo, DEADLINE_NOTE, GradeReport, Partition, REPORT_VERSION};
use crate::report::terminal::GradeBar;
use crate::report::{Outputs, cohort as text, gradescope, is_stdout, write_reports, write_to};
use isolation::Isolation;

/// How to grade, from the command line. Flags are validated there: every value here is one
/// the command accepts.
#[derive(Debug)]
pub struct Config {
    /// Learner trees named one by one.
    pub learners: Vec<PathBuf>,
    /// A folder holding one folder per learner.
    pub cohort: Option<PathBuf>,
    /// Grade git trees as they were at this time.
    pub deadline: Option<jiff::Timestamp>,
    /// Learners graded in parallel; the number of cores when `None`.
    pub jobs: Option<usize>,
    /// How long each exercise may run, instead of its own `timeout_secs`.
    pub timeout: Option<Duration>,
    /// How long one learner's build may take.
    pub build_timeout: Duration,
    /// Which isolation, and how much of it is required.
    pub isolation: isolation::Policy,
    /// Grade only this part of the learners.
    pub partition: Option<Partition>,
    pub outputs: Outputs,
    /// Where Gradescope's `results.json` goes (one learner only); `-` is stdout, and then no
    /// other report goes there.
    pub gradescope: Option<PathBuf>,
    /// Exit 1 unless every learner scores at least this percentage.
    pub fail_under: Option<f64>,
}

pub fn run(course: &Course, config: &Config) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let learners = learner::discover(&config.learners, config.cohort.as_deref())?;
    if config.gradescope.is_some() && learners.len() != 1 {
        bail!(
            "--gradescope grades one submission, but {} learners were given; name one learner folder",
            learners.len()
        );
    }
    let (learners, part) = partition::select(learners, config.partition);
    let jobs = config
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, learners.len().max(1));

    let info_digest = blake3::hash(
        &std::fs::read(course.root.join(INFO_FILE))
            .with_context(|| format!("cannot read {}", course.root.join(INFO_FILE).display()))?,
    )
    .to_hex()
    .to_string();
    let info = CourseInfo::of(course, info_digest);
    let build_dir = std::path::absolute(course.root.join(TARGET_SUBDIR).join("grade-build"))
        .context("cannot resolve the course folder")?;
    std::fs::create_dir_all(&build_dir)
        .with_context(|| format!("cannot create the build folder {}", build_dir.display()))?;
    // One name for it everywhere (CI caches often make it a link): the sandbox mounts a
    // learner's copy at this very path.
    let build_dir = std::fs::canonicalize(&build_dir)
        .with_context(|| format!("cannot resolve the build folder {}", build_dir.display()))?;
    let policy = isolation::Policy {
        slots: jobs,
        ..config.isolation
    };
    let isolation = Isolation::choose(&policy, &course.root).map_err(crate::errors::Failure)?;
    // Learner users run as themselves on the grading machine: another learner's tree that
    // every user can enter is theirs to read.
    if matches!(isolation, Isolation::Separated(_))
        && learners.len() > 1
        && let Some(open) = learners.iter().find(|l| users::enterable_by_all(&l.dir))
    {
        return Err(crate::errors::Failure(format!(
            "every user can enter the learner folder {}, so under separate users each learner could read the others' work; make the folders private first (`chmod -R go-rwx` on them or on the cohort folder)",
            open.dir.display()
        ))
        .into());
    }
    let python = match course.language {
        crate::course::Language::Rust => None,
        crate::course::Language::Python => {
            if matches!(isolation, Isolation::Separated(_)) {
                return Err(crate::errors::Failure(
                    "the uid isolation does not grade Python courses yet\n  help: grade them with bubblewrap (`--isolation bubblewrap`, Linux)"
                        .to_string(),
                )
                .into());
            }
            // Built by the grader, before any learner code, and only read afterwards.
            let env = crate::engine::python::PythonEnv::ensure(&course.root, &mut |step| {
                eprintln!("python: {step}")
            })?;
            ensure_services(course)?;
            Some(env)
        }
    };
    isolation.warn();
    let supervisor = Supervisor::new();
    supervisor.cancel_on_signals();
    let settings = cohort::Settings {
        jobs,
        timeout: config.timeout,
        deadline: config.deadline,
        build_dir,
        build_timeout: config.build_timeout,
        isolation,
        supervisor: supervisor.clone(),
        python,
    };
    if settings.python.is_none() {
        cohort::warm_up(course, &settings)?;
    }

    let bar = GradeBar::new(learners.len(), course.exercises.len());
    let graded = cohort::grade_all(course, &info, &learners, &settings, &|event| match event {
        cohort::Progress::ExerciseChecked => bar.exercise_checked(),
        cohort::Progress::LearnerDone(grade) => bar.learner_done(grade),
    });
    bar.finish();
    if supervisor.cancelled() {
        eprintln!("grading was interrupted; no report was written");
        return Err(crate::engine::Cancelled.into());
    }

    let report = GradeReport {
        version: REPORT_VERSION,
        graded_at: jiff::Timestamp::now()
            .round(jiff::Unit::Second)?
            .to_string(),
        deadline: config.deadline.map(|d| d.to_string()),
        isolation: settings.isolation.key().to_string(),
        deadline_note: config.deadline.map(|_| DEADLINE_NOTE.to_string()),
        course: info,
        partition: part,
        learners: graded,
    };
    write_reports(&report, &config.outputs)?;
    if let Some(path) = &config.gradescope {
        let results = gradescope::render(&report, started.elapsed())?;
        write_to(path, results.as_bytes())?;
    }

    let summary = text::summary(&report);
    if config.outputs.uses_stdout() || config.gradescope.as_deref().is_some_and(is_stdout) {
        eprint!("{summary}");
    } else {
        print!("{summary}");
    }
    // The grader failed on some learners (their files crashed its reader, or a bug): every
    // report is written, and the exit code says the grading is not whole.
    let failed: Vec<String> = report
        .learners
        .iter()
        .filter(|l| l.status == crate::report::model::LearnerStatus::GraderError)
        .map(|l| text::terminal_text(&l.name))
        .collect();
    if !failed.is_empty() {
        return Err(crate::errors::Failure(format!(
            "the grader failed on {} learner(s): {}; every report was written, with their status `grader_error`",
            failed.len(),
            failed.join(", ")
        ))
        .into());
    }
    if let Some(threshold) = config.fail_under {
        let below: Vec<String> = report
            .learners
            .iter()
            .filter(|l| l.percent < threshold)
            .map(|l| text::terminal_text(&l.name))
            .collect();
        if !below.is_empty() {
            eprintln!(
                "{} learner(s) scored under {threshold}%: {}",
                below.len(),
                below.join(", ")
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The servers the course's exercises need, ready before any learner is graded: a missing or
/// broken server is the grading machine's problem, never a learner's zero.
fn ensure_services(course: &Course) -> Result<()> {
    use crate::engine::python::services;
    let mut needed: Vec<crate::course::Service> = (course.exercises.iter())
        .flat_map(|e| e.services.iter().copied())
        .collect();
    needed.sort();
    needed.dedup();
    for service in needed {
        let problem = match service {
            crate::course::Service::Redis => services::available(service).err(),
            crate::course::Service::Postgres => services::postgres().err().map(|p| match p {
                services::Problem::Missing(s) => services::install_message(s),
                services::Problem::Failed(_, why) => why,
            }),
        };
        if let Some(problem) = problem {
            return Err(crate::errors::Failure(format!(
                "this course's exercises need `{}`, which this machine cannot run, so nobody was graded (an environment problem, not the learners'):\n{problem}",
                service.key()
            ))
            .into());
        }
    }
    Ok(())
}
