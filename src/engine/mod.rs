//! The check engine: turns a set of exercises into verdicts.
//!
//! One batch build (through a [`Toolchain`]), then the built programs run in parallel under
//! their timeouts, then the strict exercises are linted. Verdicts are cached by content hash.
//! The engine knows nothing about terminals or report formats: it reports [`Event`]s.

pub mod cache;
pub mod cargo;
pub mod cgroup;
pub mod jail;
pub mod process;
pub mod rules;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::course::{Course, Exercise};
use crate::verdict::{Captured, Status, Verdict};
use cache::{Cache, content_hash};
use cgroup::Cgroup;
use process::{Finished, Limits, Supervisor};
use rules::SourceFacts;

/// The check was cancelled (Ctrl-C, SIGTERM, or watch mode quitting mid-check); the verdicts
/// of programs killed on the way are not trustworthy, so none is returned or cached.
#[derive(Debug)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted: every program this command started was stopped")
    }
}

impl std::error::Error for Cancelled {}

/// Default cap on the output kept per exercise.
pub const OUTPUT_CAP: usize = 64 * 1024;

/// One program to check: an exercise, or its reference solution (`dev check`).
#[derive(Debug, Clone)]
pub struct Target {
    /// Binary name: the exercise name, or `<name>_sol` for a solution.
    pub name: String,
    /// The crate root the compiler starts from (absolute).
    pub main_file: PathBuf,
    /// Graded by its tests (true) or by running `main` (false).
    pub test: bool,
    pub strict_clippy: bool,
    /// How long one run may take (`timeout_secs`).
    pub timeout: Duration,
}

impl Target {
    /// The target that checks `exercise` of `course`, or its solution.
    pub fn of(course: &Course, exercise: &Exercise, solution: bool) -> Target {
        if solution {
            Target {
                name: exercise.solution_bin_name(),
                main_file: course.root.join(exercise.rel_solution_main_file()),
                test: exercise.test,
                // Reference solutions are held to clippy's standard whatever the exercise says.
                strict_clippy: true,
                timeout: Duration::from_secs(exercise.timeout_secs),
            }
        } else {
            Target {
                name: exercise.name.clone(),
                main_file: course.root.join(exercise.rel_main_file()),
                test: exercise.test,
                strict_clippy: exercise.strict_clippy,
                timeout: Duration::from_secs(exercise.timeout_secs),
            }
        }
    }
}

/// A runnable program produced by a build.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub executable: PathBuf,
}

/// The build outcome of one exercise.
#[derive(Debug, Clone)]
pub enum Built {
    Ok {
        artifact: Artifact,
        diagnostics: Captured,
    },
    Failed {
        output: Captured,
    },
}

/// Progress of a build, as the toolchain reports it.
#[derive(Debug, Clone)]
pub enum BuildProgress {
    /// One compilation unit (a dependency crate or an exercise) is done.
    Unit { name: String },
}

/// The seam between "how an exercise is built and run" and everything else. Only cargo is
/// implemented; another toolchain (pytest, say) would implement this and nothing else changes.
/// Toolchains start processes only through the [`Supervisor`] they are given, under the
/// [`Limits`] the engine sets; what a run's outcome means is decided by [`rules`], not here.
pub trait Toolchain: Send + Sync {
    /// How many units a build of `exercises` exercises compiles at most, for progress display.
    fn estimated_units(&self, exercises: usize) -> usize;
    /// Builds all of `targets` in one batch, past failures; one result per target, in order.
    fn build(
        &self,
        targets: &[&Target],
        supervisor: &Supervisor,
        limits: &Limits,
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Vec<Built>>;
    /// Runs a built target (its tests, or its `main`) under `limits`; `Err` says why it could
    /// not be started.
    fn run(
        &self,
        target: &Target,
        artifact: &Artifact,
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Finished, String>;
    /// Lints targets (`strict_clippy`); `Some(output)` for each that fails. Called after
    /// `build` with a subset of the same batch.
    fn lint(
        &self,
        targets: &[&Target],
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Vec<Option<Captured>>>;
}

/// What the engine is doing, for progress displays.
#[derive(Debug)]
pub enum Event<'a> {
    /// A build starts; about `units` compilation units will be reported.
    BuildStarted {
        units: usize,
    },
    BuildProgress(BuildProgress),
    BuildFinished,
    /// The verdict on one exercise (or target, by its binary name) is known; events come in
    /// completion order.
    Checked {
        name: &'a str,
        verdict: &'a Verdict,
        cached: bool,
    },
}

/// How to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// Programs run in parallel at most.
    pub jobs: usize,
    /// Overrides every exercise's `timeout_secs`.
    pub timeout: Option<Duration>,
    pub output_cap: usize,
    pub memory_bytes: Option<u64>,
    /// How long one build may take: compiling is learner code too (an endless `const`
    /// evaluation, a gigantic constant).
    pub build_timeout: Duration,
    /// A control group holding every build and run (grading: one per learner).
    pub cgroup: Option<Arc<Cgroup>>,
    /// Owns every process the engine starts; cancel it to stop a check.
    pub supervisor: Supervisor,
}

/// Default [`Options::build_timeout`]: a first build compiles every crate the exercises use.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: thread::available_parallelism().map_or(2, |n| n.get()),
            timeout: None,
            output_cap: OUTPUT_CAP,
            memory_bytes: None,
            build_timeout: BUILD_TIMEOUT,
            cgroup: None,
            supervisor: Supervisor::new(),
        }
    }
}

pub struct Engine<'c> {
    course: &'c Course,
    toolchain: Box<dyn Toolchain + 'c>,
    options: Options,
    cache: Option<Cache>,
}

impl<'c> Engine<'c> {
    pub fn new(
        course: &'c Course,
        toolchain: Box<dyn Toolchain + 'c>,
        options: Options,
        cache: Option<Cache>,
    ) -> Self {
        Engine {
            course,
            toolchain,
            options,
            cache,
        }
    }

    pub fn course(&self) -> &Course {
        self.course
    }

    /// The owner of every process this engine starts (to cancel a check from another thread).
    pub fn supervisor(&self) -> &Supervisor {
        &self.options.supervisor
    }

    /// Checks the exercises at `indices`; verdicts come back in the same order.
    pub fn check(
        &mut self,
        indices: &[usize],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<Verdict>> {
        let mut verdicts: Vec<Option<Verdict>> = vec![None; indices.len()];
        let mut todo = Vec::new();
        let contents: Vec<Option<blake3::Hash>> = indices
            .iter()
            .map(|&i| {
                (self.cache.as_ref()).map(|_| content_hash(self.course, &self.course.exercises[i]))
            })
            .collect();
        for (slot, &index) in indices.iter().enumerate() {
            let exercise = &self.course.exercises[index];
            let hit = match (&self.cache, &contents[slot]) {
                (Some(cache), Some(content)) => cache.get(&exercise.name, &cache.key_for(content)),
                _ => None,
            };
            match hit {
                Some(verdict) => {
                    on_event(Event::Checked {
                        name: &exercise.name,
                        verdict: &verdict,
                        cached: true,
                    });
                    verdicts[slot] = Some(verdict);
                }
                None => todo.push(slot),
            }
        }

        if !todo.is_empty() {
            let fresh = self.check_uncached(
                &todo.iter().map(|&s| indices[s]).collect::<Vec<_>>(),
                on_event,
            )?;
            if self.options.supervisor.cancelled() {
                // Killed programs give verdicts that must not be cached.
                return Err(Cancelled.into());
            }
            if let Some(cache) = &mut self.cache {
                cache.refresh();
            }
            for (slot, verdict) in todo.into_iter().zip(fresh) {
                if let (Some(cache), Some(content)) = (&mut self.cache, &contents[slot]) {
                    let key = cache.key_for(content);
                    cache.put(&self.course.exercises[indices[slot]].name, &key, &verdict);
                }
                verdicts[slot] = Some(verdict);
            }
            if let Some(cache) = &mut self.cache {
                // A cache that cannot be saved only costs time on the next run.
                let _ = cache.save();
            }
        }
        Ok(verdicts
            .into_iter()
            .map(|v| v.expect("every exercise got a verdict"))
            .collect())
    }

    fn check_uncached(
        &self,
        indices: &[usize],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<Verdict>> {
        let targets: Vec<Target> = indices
            .iter()
            .map(|&i| Target::of(self.course, &self.course.exercises[i], false))
            .collect();
        self.check_targets(&targets, on_event)
    }

    /// Checks arbitrary targets of this course in one batch (exercises and solutions mixed,
    /// for `dev check`), without the cache: build once, run in parallel, lint the strict ones.
    /// Verdicts come back in the order of `targets`.
    pub fn check_targets(
        &self,
        targets: &[Target],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<Verdict>> {
        let started = Instant::now();
        let mut verdicts: Vec<Option<Verdict>> = vec![None; targets.len()];
        // The source rules first: a refused program is not even built.
        let mut facts = vec![SourceFacts::default(); targets.len()];
        let mut to_build = Vec::new();
        for (slot, target) in targets.iter().enumerate() {
            let files = rules::source_files(&target.main_file);
            match rules::inspect(&files, target.test, &|p| self.shown(p)) {
                Ok(found) => {
                    facts[slot] = found;
                    to_build.push(slot);
                }
                Err(problems) => {
                    let verdict = rules::rejected(&problems);
                    on_event(Event::Checked {
                        name: &target.name,
                        verdict: &verdict,
                        cached: false,
                    });
                    verdicts[slot] = Some(verdict);
                }
            }
        }
        let build_targets: Vec<&Target> = to_build.iter().map(|&s| &targets[s]).collect();
        let supervisor = &self.options.supervisor;
        let built = if build_targets.is_empty() {
            Vec::new()
        } else {
            on_event(Event::BuildStarted {
                units: self.toolchain.estimated_units(build_targets.len()),
            });
            let limits = Limits {
                memory_bytes: None,
                cgroup: self.options.cgroup.clone(),
                ..Limits::new(self.options.build_timeout, self.options.output_cap)
            };
            let built = self
                .toolchain
                .build(&build_targets, supervisor, &limits, &mut |p| {
                    on_event(Event::BuildProgress(p))
                })?;
            on_event(Event::BuildFinished);
            built
        };
        // Build time is shared by the batch; spread it evenly so per-exercise durations add up.
        let build_share = started.elapsed() / u32::try_from(targets.len()).unwrap_or(1).max(1);

        let mut runnable = Vec::new();
        for (&slot, built) in to_build.iter().zip(built) {
            match built {
                Built::Failed { output } => {
                    let mut verdict =
                        Verdict::new(Status::CompileError, cap(output, self.options.output_cap));
                    verdict.duration_ms = millis(build_share);
                    on_event(Event::Checked {
                        name: &targets[slot].name,
                        verdict: &verdict,
                        cached: false,
                    });
                    verdicts[slot] = Some(verdict);
                }
                Built::Ok {
                    artifact,
                    diagnostics,
                } => runnable.push((slot, artifact, diagnostics)),
            }
        }

        if self.options.supervisor.cancelled() {
            return Err(Cancelled.into());
        }
        let targets: Vec<&Target> = targets.iter().collect();
        self.run_parallel(&targets, &facts, &runnable, |slot, mut verdict| {
            verdict.duration_ms += millis(build_share);
            on_event(Event::Checked {
                name: &targets[slot].name,
                verdict: &verdict,
                cached: false,
            });
            verdicts[slot] = Some(verdict);
        });

        if self.options.supervisor.cancelled() {
            return Err(Cancelled.into());
        }
        self.lint_strict(&targets, &mut verdicts)?;
        Ok(verdicts
            .into_iter()
            .map(|v| v.expect("every exercise got a verdict"))
            .collect())
    }

    /// A path as messages show it: relative to the course.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.course.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Runs the built programs on `jobs` threads and judges each run by the rule book;
    /// `on_done` is called on this thread.
    fn run_parallel(
        &self,
        targets: &[&Target],
        facts: &[SourceFacts],
        runnable: &[(usize, Artifact, Captured)],
        mut on_done: impl FnMut(usize, Verdict),
    ) {
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::channel();
        let workers = self.options.jobs.clamp(1, runnable.len().max(1));
        thread::scope(|scope| {
            for _ in 0..workers {
                let tx = tx.clone();
                let next = &next;
                scope.spawn(move || {
                    while let Some((slot, artifact, diagnostics)) =
                        runnable.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let target = targets[*slot];
                        let timeout = self.options.timeout.unwrap_or(target.timeout);
                        let limits = Limits {
                            memory_bytes: self.options.memory_bytes,
                            cgroup: self.options.cgroup.clone(),
                            ..Limits::new(timeout, self.options.output_cap)
                        };
                        let ran =
                            self.toolchain
                                .run(target, artifact, &self.options.supervisor, &limits);
                        let mut verdict = match ran {
                            Ok(finished) => {
                                let mut verdict = rules::judge(
                                    target.test,
                                    &facts[*slot],
                                    finished.exit,
                                    timeout.as_secs(),
                                    finished.output,
                                );
                                verdict.duration_ms = millis(finished.duration);
                                verdict
                            }
                            Err(why) => Verdict::new(Status::RunFailed, Captured::new(why)),
                        };
                        let mut output = diagnostics.clone();
                        output.append(&verdict.output, self.options.output_cap);
                        verdict.output = output;
                        if tx.send((*slot, verdict)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (slot, verdict) in rx {
                on_done(slot, verdict);
            }
        });
    }

    /// Lints the targets that passed and ask for `strict_clippy`.
    fn lint_strict(&self, targets: &[&Target], verdicts: &mut [Option<Verdict>]) -> Result<()> {
        let strict: Vec<usize> = (0..targets.len())
            .filter(|&s| {
                targets[s].strict_clippy && verdicts[s].as_ref().is_some_and(|v| v.status.is_pass())
            })
            .collect();
        if strict.is_empty() {
            return Ok(());
        }
        let limits = Limits {
            cgroup: self.options.cgroup.clone(),
            ..Limits::new(self.options.build_timeout, self.options.output_cap)
        };
        let lints = self.toolchain.lint(
            &strict.iter().map(|&s| targets[s]).collect::<Vec<_>>(),
            &self.options.supervisor,
            &limits,
        )?;
        for (slot, lint) in strict.into_iter().zip(lints) {
            if let (Some(output), Some(verdict)) = (lint, verdicts[slot].as_mut()) {
                verdict.status = Status::ClippyFailed;
                verdict.output.append(&output, self.options.output_cap);
            }
        }
        Ok(())
    }
}

fn cap(output: Captured, cap_bytes: usize) -> Captured {
    let mut capped = Captured::default();
    capped.append(&output, cap_bytes);
    capped
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    //! The engine through a fake toolchain: no cargo, no compiler; what is built, what runs,
    //! what the cache answers and which events come out, in which order.
    use super::*;
    use std::collections::HashMap;
    use std::fs;
    use std::sync::Mutex;

    use process::Exit;

    /// What the fake toolchain does for a program, by name.
    #[derive(Clone)]
    enum Behaviour {
        CompileError,
        Prints(i32, &'static str),
    }

    #[derive(Default)]
    struct Fake {
        behaviour: HashMap<String, Behaviour>,
        /// The names of every build, in order.
        builds: Mutex<Vec<Vec<String>>>,
        runs: Mutex<Vec<String>>,
    }

    impl Toolchain for &Fake {
        fn estimated_units(&self, exercises: usize) -> usize {
            exercises
        }

        fn build(
            &self,
            targets: &[&Target],
            _: &Supervisor,
            _: &Limits,
            on_progress: &mut dyn FnMut(BuildProgress),
        ) -> Result<Vec<Built>> {
            let names: Vec<String> = targets.iter().map(|t| t.name.clone()).collect();
            self.builds.lock().unwrap().push(names);
            Ok(targets
                .iter()
                .map(|t| {
                    on_progress(BuildProgress::Unit {
                        name: t.name.clone(),
                    });
                    match self.behaviour[&t.name] {
                        Behaviour::CompileError => Built::Failed {
                            output: Captured::new("error[E0308]: mismatched types\n"),
                        },
                        Behaviour::Prints(..) => Built::Ok {
                            artifact: Artifact {
                                executable: PathBuf::from(&t.name),
                            },
                            diagnostics: Captured::default(),
                        },
                    }
                })
                .collect())
        }

        fn run(
            &self,
            target: &Target,
            _: &Artifact,
            _: &Supervisor,
            _: &Limits,
        ) -> Result<Finished, String> {
            self.runs.lock().unwrap().push(target.name.clone());
            let Behaviour::Prints(code, text) = self.behaviour[&target.name] else {
                return Err("not built".into());
            };
            Ok(Finished {
                exit: Exit::Code(code),
                output: Captured::new(text),
                duration: Duration::from_millis(1),
            })
        }

        fn lint(
            &self,
            targets: &[&Target],
            _: &Supervisor,
            _: &Limits,
        ) -> Result<Vec<Option<Captured>>> {
            Ok(vec![None; targets.len()])
        }
    }

    const ONE_TEST: &str =
        "fn main() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
    const OK_ONE: &str =
        "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";

    /// A course with exercises `a`, `b`, `c` (one test each) in a temporary folder.
    fn course() -> (tempfile::TempDir, Course) {
        let dir = tempfile::tempdir().unwrap();
        let mut info = String::from("format_version = 1\n");
        for name in ["a", "b", "c"] {
            info.push_str(&format!(
                "\n[[exercises]]\nname = \"{name}\"\nhint = \"h\"\n"
            ));
        }
        fs::write(dir.path().join("info.toml"), info).unwrap();
        fs::create_dir(dir.path().join("exercises")).unwrap();
        for name in ["a", "b", "c"] {
            fs::write(dir.path().join(format!("exercises/{name}.rs")), ONE_TEST).unwrap();
        }
        let course = Course::load(dir.path()).unwrap();
        (dir, course)
    }

    fn fake(behaviour: &[(&str, Behaviour)]) -> Fake {
        Fake {
            behaviour: behaviour
                .iter()
                .map(|(n, b)| (n.to_string(), b.clone()))
                .collect(),
            ..Fake::default()
        }
    }

    /// Every event as a line, for comparing sequences.
    fn describe(event: &Event) -> String {
        match event {
            Event::BuildStarted { units } => format!("build {units}"),
            Event::BuildProgress(BuildProgress::Unit { name }) => format!("unit {name}"),
            Event::BuildFinished => "built".into(),
            Event::Checked {
                name,
                verdict,
                cached,
            } => format!(
                "{name} {}{}",
                verdict.status.key(),
                if *cached { " cached" } else { "" }
            ),
        }
    }

    #[test]
    fn one_build_for_the_batch_then_verdicts_in_order_with_named_events() {
        let (_dir, course) = course();
        let toolchain = fake(&[
            ("a", Behaviour::Prints(0, OK_ONE)),
            ("b", Behaviour::CompileError),
            ("c", Behaviour::Prints(101, "test tests::t ... FAILED\n")),
        ]);
        let mut engine = Engine::new(&course, Box::new(&toolchain), Options::default(), None);
        let mut events = Vec::new();
        let verdicts = engine
            .check(&[0, 1, 2], &mut |e| events.push(describe(&e)))
            .unwrap();
        let statuses: Vec<Status> = verdicts.iter().map(|v| v.status).collect();
        assert_eq!(
            statuses,
            [Status::Passed, Status::CompileError, Status::TestsFailed]
        );
        assert_eq!(verdicts[2].failing_tests, ["tests::t"]);
        assert_eq!(
            toolchain.builds.lock().unwrap().as_slice(),
            [["a", "b", "c"]]
        );
        let mut runs = toolchain.runs.lock().unwrap().clone();
        runs.sort();
        assert_eq!(runs, ["a", "c"], "what does not compile does not run");
        assert_eq!(
            events[..5],
            ["build 3", "unit a", "unit b", "unit c", "built"]
        );
        assert_eq!(
            events[5], "b compile_error",
            "compile errors are known first"
        );
        let mut rest = events[6..].to_vec();
        rest.sort();
        assert_eq!(rest, ["a passed", "c tests_failed"]);
    }

    #[test]
    fn the_rule_book_judges_what_the_toolchain_ran() {
        let (dir, course) = course();
        // Two tests declared, one reported: a test never ran.
        fs::write(
            dir.path().join("exercises/a.rs"),
            ONE_TEST.replace("fn t() {}", "fn t() {}\n    #[test]\n    fn u() {}"),
        )
        .unwrap();
        fs::write(
            dir.path().join("exercises/b.rs"),
            format!("#![cfg(not(test))]\n{ONE_TEST}"),
        )
        .unwrap();
        let toolchain = fake(&[
            ("a", Behaviour::Prints(0, OK_ONE)),
            ("b", Behaviour::Prints(0, OK_ONE)),
            ("c", Behaviour::Prints(0, "")),
        ]);
        let mut engine = Engine::new(&course, Box::new(&toolchain), Options::default(), None);
        let verdicts = engine.check(&[0, 1, 2], &mut |_| {}).unwrap();
        let statuses: Vec<Status> = verdicts.iter().map(|v| v.status).collect();
        assert_eq!(
            statuses,
            [Status::RunFailed, Status::Rejected, Status::RunFailed]
        );
        assert!(verdicts[1].output.text.contains("exercises/b.rs:1:"));
        assert_eq!(
            toolchain.builds.lock().unwrap().as_slice(),
            [["a", "c"]],
            "a rejected source is never built"
        );
    }

    #[test]
    fn cached_verdicts_answer_until_a_file_changes() {
        let (dir, course) = course();
        let toolchain = fake(&[
            ("a", Behaviour::Prints(0, OK_ONE)),
            ("b", Behaviour::Prints(0, OK_ONE)),
            ("c", Behaviour::Prints(0, OK_ONE)),
        ]);
        let cache_file = dir.path().join("verdicts.json");
        let open = || Cache::open(cache_file.clone(), &course, &dir.path().join("Cargo.toml"));
        let all = [0, 1, 2];
        {
            let mut engine = Engine::new(
                &course,
                Box::new(&toolchain),
                Options::default(),
                Some(open()),
            );
            engine.check(&all, &mut |_| {}).unwrap();
        }
        fs::write(
            dir.path().join("exercises/b.rs"),
            format!("{ONE_TEST}// edited\n"),
        )
        .unwrap();
        let mut engine = Engine::new(
            &course,
            Box::new(&toolchain),
            Options::default(),
            Some(open()),
        );
        let mut events = Vec::new();
        let verdicts = engine
            .check(&all, &mut |e| events.push(describe(&e)))
            .unwrap();
        assert!(verdicts.iter().all(|v| v.status.is_pass()));
        assert_eq!(
            toolchain.builds.lock().unwrap().as_slice(),
            [vec!["a", "b", "c"], vec!["b"]],
            "only the edited exercise is built again"
        );
        assert_eq!(events[..2], ["a passed cached", "c passed cached"]);
        assert_eq!(events.last().unwrap(), "b passed");
    }
}
