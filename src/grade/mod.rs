//! `backendlings grade`: grades learner trees against the course's own tests.
//!
//! The course found from the current folder (or `--course`) is canonical: its tests, manifest,
//! lock file and `info.toml` are used, whatever a learner's tree holds. Each learner is copied
//! into a sandbox ([`sandbox`]) with the course's tests spliced in ([`splice`]), and the cohort
//! is graded in parallel ([`cohort`]); reporters render the [`model`].

pub mod cohort;
pub mod contract;
pub mod isolation;
pub mod learner;
pub mod partition;
pub mod sandbox;
pub mod splice;

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::GradeArgs;
use crate::context::TARGET_SUBDIR;
use crate::course::{Course, INFO_FILE};
use crate::engine::process::Supervisor;
use crate::report::model::{self, CourseInfo, DEADLINE_NOTE, GradeReport, REPORT_VERSION};
use crate::report::{cohort as text, gradescope, outputs, write_reports, write_to};
use isolation::Isolation;

pub fn run(course: &Course, args: &GradeArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let deadline = args
        .at
        .as_deref()
        .map(|at| {
            at.parse::<jiff::Timestamp>().with_context(|| {
                format!("--at {at:?} is not an RFC 3339 time; write e.g. 2025-06-01T23:59:00Z or 2025-06-01T23:59:00+02:00")
            })
        })
        .transpose()?;
    if let Some(p) = args.fail_under
        && !(0.0..=100.0).contains(&p)
    {
        bail!("--fail-under takes a percentage between 0 and 100, not {p}");
    }
    if args.timeout == Some(0) {
        bail!("--timeout must be at least 1 second");
    }
    let outputs = outputs(&args.reports)?;
    if args
        .gradescope
        .as_ref()
        .is_some_and(|p| p.as_os_str() == "-")
        && outputs.iter().any(|(_, p)| p.as_os_str() == "-")
    {
        bail!("only one report can go to stdout (`-`); write the others to files");
    }
    let learners = learner::discover(&args.learners, args.cohort.as_deref())?;
    if args.gradescope.is_some() && learners.len() != 1 {
        bail!(
            "--gradescope grades one submission, but {} learners were given; name one learner folder",
            learners.len()
        );
    }
    let (learners, part) = partition::select(learners, args.partition);

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
    let isolation = Isolation::detect(args.no_sandbox);
    if let Isolation::None { why } = &isolation {
        if args.require_sandbox {
            return Err(crate::errors::Failure(format!(
                "no sandbox: {why}\n  help: install bubblewrap (`apt-get install bubblewrap`), or grade inside a container (see docs/grading-security.md)"
            ))
            .into());
        }
        eprintln!(
            "{} {}\n  Learner code will run as you, with your rights: it can read the course's solutions and other learners' work, reach the network and forge its results. Reports record isolation \"none\". Install bubblewrap, or grade inside a disposable container (docs/grading-security.md).",
            console::style("WARNING: grading WITHOUT a sandbox:")
                .red()
                .bold(),
            why
        );
    }
    let supervisor = Supervisor::new();
    supervisor.cancel_on_signals();
    let settings = cohort::Settings {
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1),
        timeout: args.timeout.map(Duration::from_secs),
        deadline,
        build_dir,
        build_timeout: Duration::from_secs(args.build_timeout),
        isolation,
        supervisor: supervisor.clone(),
    };
    cohort::warm_up(course, &settings)?;

    let bar = progress_bar(learners.len(), course.exercises.len());
    let learners_done = AtomicUsize::new(0);
    let total_learners = learners.len();
    let graded = cohort::grade_all(course, &info, &learners, &settings, &|event| match event {
        cohort::Progress::ExerciseChecked => bar.inc(1),
        cohort::Progress::LearnerDone(grade) => {
            let done = learners_done.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!("{done}/{total_learners} learners"));
            // Exercises of a learner that could not be graded will never be reported.
            if grade.status == model::LearnerStatus::Error {
                bar.inc(course.exercises.len() as u64);
            }
        }
    });
    bar.finish_and_clear();
    if supervisor.cancelled() {
        eprintln!("grading was interrupted; no report was written");
        return Err(crate::engine::Cancelled.into());
    }

    let report = GradeReport {
        version: REPORT_VERSION,
        graded_at: jiff::Timestamp::now()
            .round(jiff::Unit::Second)?
            .to_string(),
        deadline: deadline.map(|d| d.to_string()),
        isolation: settings.isolation.key().to_string(),
        deadline_note: deadline.map(|_| DEADLINE_NOTE.to_string()),
        course: info,
        partition: part,
        learners: graded,
    };
    write_reports(&report, &outputs)?;
    if let Some(path) = &args.gradescope {
        let results = gradescope::render(&report, started.elapsed())?;
        write_to(path, results.as_bytes())?;
    }

    let summary = text::summary(&report);
    if outputs.iter().any(|(_, path)| path.as_os_str() == "-")
        || args
            .gradescope
            .as_ref()
            .is_some_and(|p| p.as_os_str() == "-")
    {
        eprint!("{summary}");
    } else {
        print!("{summary}");
    }
    if let Some(threshold) = args.fail_under {
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

/// Learners done, exercises checked and ETA, on a terminal only: CI logs get no bar.
fn progress_bar(learners: usize, exercises: usize) -> ProgressBar {
    let total = (learners * exercises) as u64;
    let interactive = console::Term::stderr().is_term() && std::env::var_os("CI").is_none();
    let target = if interactive {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(total), target);
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix:>9.cyan.bold} [{bar:30}] {pos}/{len} exercises, {msg}, ETA {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_prefix("Grading");
    bar.set_message(format!("0/{learners} learners"));
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
