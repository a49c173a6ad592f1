//! The check engine: turns a set of exercises into verdicts.
//!
//! One batch build (through a [`Toolchain`]); each program runs, under its timeout, as soon as
//! the toolchain reports it built, on `jobs` threads, while the rest compiles; the strict
//! exercises are linted last. Verdicts are cached by content hash. The engine knows nothing
//! about terminals or report formats: it reports [`Event`]s, and verdicts are plain data
//! (captured output and a typed [`Reason`]) that reports put into words.

pub mod cache;
pub mod cargo;
pub mod cgroup;
pub mod jail;
pub mod process;
pub mod python;
pub mod rules;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::course::{Course, Exercise, Language};
use crate::verdict::{Captured, Reason, Status, Verdict};
use cache::{Cache, content_hash};
use cgroup::Cgroup;
use process::{Finished, Identity, Limits, Supervisor};
use rules::SourceFacts;

pub use crate::errors::Cancelled;

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
    /// Built into a binary with other targets rather than alone (`dev check`'s mutants).
    pub shared: Option<SharedBinary>,
    /// Where the number of tests a pass must report comes from.
    pub tests: TestCount,
    /// Python: what the run folder holds besides the learner's module.
    pub python: Option<PythonParts>,
    /// Cargo features of the exercise package the program needs (its section's `features`).
    pub features: Vec<String>,
}

/// What a Python target's run folder holds besides the module under test, all from the course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonParts {
    /// The module's name: the tests `import` it (the exercise's name).
    pub module: String,
    /// The course's test file (`test_<name>.py`).
    pub tests_file: PathBuf,
    /// The course's support modules.
    pub support: Vec<PathBuf>,
    /// The exercise as shipped: the special methods its classes define may stay (a package's
    /// `__init__.py`: each module is compared with its namesake beside it).
    pub shipped: PathBuf,
    /// A folder exercise: the target's `main_file` is the `__init__.py` of a package named
    /// `module`, whose regular `.py` files ([`python::package_files`]) are the learner's.
    pub package: bool,
    /// The module must pass the type checker.
    pub typecheck: bool,
    /// The servers its tests need (`services`).
    pub services: Vec<crate::course::Service>,
    /// Stop at the first failing test (pytest `-x`): for programs that must fail (`dev check`'s
    /// mutants), whose verdict the first failure decides.
    pub fail_fast: bool,
}

/// Where the number of tests a passing run must report comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestCount {
    /// The `#[test]` functions of the program's own source: a learner's own check.
    Source,
    /// What the course declares (grading): never what the learner's files say. `None`: the
    /// course cannot say, and no run passes.
    Course(Option<usize>),
}

impl Target {
    /// The target that checks `exercise` of `course`, or its solution.
    pub fn of(course: &Course, exercise: &Exercise, solution: bool) -> Target {
        let python = (course.language == Language::Python).then(|| PythonParts {
            module: exercise.name.clone(),
            tests_file: course.root.join(exercise.rel_test_file()),
            support: (exercise.support.iter())
                .map(|file| course.root.join(exercise.rel_in_folder(file)))
                .collect(),
            shipped: course.root.join(exercise.rel_main_file()),
            package: exercise.shape == crate::course::Shape::Dir,
            typecheck: exercise.typecheck,
            services: exercise.services.clone(),
            fail_fast: false,
        });
        // Python tests live in the course's test file, never in the learner's: the count is the
        // course's in every command.
        let tests = match python {
            Some(_) => TestCount::Course(exercise.tests),
            None => TestCount::Source,
        };
        if solution {
            Target {
                name: exercise.solution_bin_name(),
                main_file: course.root.join(exercise.rel_solution_main_file()),
                test: exercise.test,
                // Reference solutions are held to clippy's standard whatever the exercise says.
                strict_clippy: true,
                timeout: Duration::from_secs(exercise.timeout_secs),
                shared: None,
                tests,
                python,
                features: exercise.features.clone(),
            }
        } else {
            Target {
                name: exercise.name.clone(),
                main_file: course.root.join(exercise.rel_main_file()),
                test: exercise.test,
                strict_clippy: exercise.strict_clippy,
                timeout: Duration::from_secs(exercise.timeout_secs),
                shared: None,
                tests,
                python,
                features: exercise.features.clone(),
            }
        }
    }
}

/// A binary built for several targets at once: its tests are selected per target.
///
/// `dev check` builds every mutant of one exercise into one test binary (one compilation and
/// one link instead of one per mutant) and runs it once per mutant with that mutant's module
/// as the test filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedBinary {
    /// The binary's name; distinct from every target's name.
    pub name: String,
    /// Its crate root (absolute), which declares each target's file as a module.
    pub root: PathBuf,
    /// The test-name prefix that selects this target's tests (`module::`).
    pub filter: String,
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
        /// Why, when the output does not say (the build ran out of time).
        reason: Option<Reason>,
    },
}

/// What a toolchain reports while it builds.
#[derive(Debug, Clone)]
pub enum BuildProgress {
    /// One compilation unit (a dependency crate or a program) is done; `fresh`: it was up to
    /// date, nothing was compiled.
    Unit { name: String, fresh: bool },
    /// The program at `index` of the batch is built and may run while the others compile.
    /// Optional: whatever a toolchain does not report this way runs after the build.
    Ready {
        index: usize,
        artifact: Artifact,
        diagnostics: Captured,
    },
}

/// The seam between "how an exercise is built and run" and everything else: cargo for Rust
/// courses ([`cargo::Cargo`]), pytest for Python ones ([`python::Python`]). Toolchains start
/// processes only through the [`Supervisor`] they are given, under the [`Limits`] the engine
/// sets.
pub trait Toolchain: Send + Sync {
    /// The source rules, checked before anything is built: what the target's files declare,
    /// or one line per violation (the target is `rejected`, not built). Rust's are
    /// [`rules::inspect`].
    fn inspect(
        &self,
        target: &Target,
        shown: &dyn Fn(&Path) -> String,
    ) -> Result<SourceFacts, Vec<String>> {
        rules::inspect(&rules::source_files(&target.main_file), target.test, shown)
    }
    /// What a finished run means. Rust's verdict comes from libtest's summary and the exit
    /// code ([`rules::judge`]).
    fn judge(
        &self,
        target: &Target,
        _artifact: &Artifact,
        facts: &SourceFacts,
        finished: Finished,
        timeout: Duration,
    ) -> Verdict {
        let mut verdict = rules::judge(
            target.test,
            facts,
            target.shared.is_some(),
            finished.exit,
            timeout.as_secs(),
            finished.output,
        );
        verdict.duration_ms = millis(finished.duration);
        verdict
    }
    /// How many units a build of `targets` compiles at most, for progress display.
    fn estimated_units(&self, targets: &[&Target]) -> usize;
    /// What to tell the learner while `targets` build, when this build is unusually long: the
    /// first one that compiles crates only some exercises need.
    fn build_notice(&self, _targets: &[&Target]) -> Option<String> {
        None
    }
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
    /// The names of a built test target's tests (libtest's `--list`), run under `limits`;
    /// `None` when they cannot be listed. Asked after a run timed out, to name the tests that
    /// never finished.
    fn list_tests(
        &self,
        _target: &Target,
        _artifact: &Artifact,
        _supervisor: &Supervisor,
        _limits: &Limits,
    ) -> Option<Vec<String>> {
        None
    }
    /// Lints targets (`strict_clippy`); `Some(output)` for each that fails. Called after
    /// `build` with a subset of the same batch.
    fn lint(
        &self,
        targets: &[&Target],
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Vec<Option<Captured>>>;
}

/// What the engine is doing, for progress displays and recorders. Every event about one
/// program names it by its target name (an exercise, or `<name>_sol` for a solution).
#[derive(Debug, Clone)]
pub enum Event {
    /// `name` will be built and run (its verdict is not in the cache).
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "reporters count queued programs; none shows their names yet"
        )
    )]
    Queued { name: String },
    /// The cache answered for `name`: nothing is built or run.
    Cached { name: String, verdict: Verdict },
    /// A build starts; about `units` compilation units will be reported. `notice`: why this
    /// build takes long (it compiles crates for the first time), in words for the learner.
    BuildStarted {
        units: usize,
        notice: Option<String>,
    },
    /// One compilation unit (a dependency crate or a program) is done; `fresh`: it was up to
    /// date, nothing was compiled.
    Compiled { unit: String, fresh: bool },
    /// The build ended (programs may still be running).
    BuildFinished,
    /// `name`'s program starts.
    RunStarted { name: String },
    /// `name`'s program was stopped at its time limit; its verdict follows.
    TimedOut { name: String, limit: Duration },
    /// The verdict on `name` is known. Verdicts come in completion order; a run's duration is
    /// its own (the verdicts [`Engine::check`] returns add a share of the build).
    Checked { name: String, verdict: Verdict },
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
    /// The user builds (and lints) run as, and the user programs run as (grading as root: two
    /// users, so that a running program cannot touch what is still being built).
    pub build_identity: Option<Identity>,
    pub run_identity: Option<Identity>,
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
            build_identity: None,
            run_identity: None,
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
                    on_event(Event::Cached {
                        name: exercise.name.clone(),
                        verdict: verdict.clone(),
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
                // A verdict on the machine (a missing server) is no verdict on the content.
                let environment = verdict.reason.as_ref().is_some_and(Reason::is_environment);
                if let (Some(cache), Some(content), false) =
                    (&mut self.cache, &contents[slot], environment)
                {
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
    /// for `dev check`), without the cache: build once, run each program as soon as it is
    /// built, lint the strict ones. Verdicts come back in the order of `targets`.
    pub fn check_targets(
        &self,
        targets: &[Target],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<Verdict>> {
        let mut verdicts: Vec<Option<Verdict>> = vec![None; targets.len()];
        for target in targets {
            on_event(Event::Queued {
                name: target.name.clone(),
            });
        }
        // The source rules first: a refused program is not even built.
        let mut facts = vec![SourceFacts::default(); targets.len()];
        let mut to_build = Vec::new();
        for (slot, target) in targets.iter().enumerate() {
            if !target.main_file.is_file() {
                // Cargo would only name its own copy of the path.
                let verdict = Verdict {
                    reason: Some(Reason::FileMissing {
                        path: self.shown(&target.main_file),
                    }),
                    ..Verdict::new(Status::Missing, Captured::default())
                };
                on_event(Event::Checked {
                    name: target.name.clone(),
                    verdict: verdict.clone(),
                });
                verdicts[slot] = Some(verdict);
                continue;
            }
            match self.toolchain.inspect(target, &|p| self.shown(p)) {
                Ok(mut found) => {
                    if let TestCount::Course(tests) = target.tests {
                        found.tests = tests;
                    }
                    if let Some(output) = found.compile_error.take() {
                        // The toolchain found while inspecting that the source does not compile.
                        let verdict = Verdict {
                            reason: Some(Reason::Syntax),
                            ..Verdict::new(Status::CompileError, output)
                        };
                        on_event(Event::Checked {
                            name: target.name.clone(),
                            verdict: verdict.clone(),
                        });
                        verdicts[slot] = Some(verdict);
                        continue;
                    }
                    facts[slot] = found;
                    to_build.push(slot);
                }
                Err(problems) => {
                    let verdict = rules::rejected(&problems);
                    on_event(Event::Checked {
                        name: target.name.clone(),
                        verdict: verdict.clone(),
                    });
                    verdicts[slot] = Some(verdict);
                }
            }
        }
        if !to_build.is_empty() {
            let plan = BuildPlan::new(targets, &to_build);
            let batch = Batch {
                targets,
                facts: &facts,
                plan: &plan,
            };
            let build_time = self.build_and_run(&batch, &mut verdicts, on_event)?;
            // Build time is shared by the batch; spread it evenly so durations add up.
            let share = millis(build_time / u32::try_from(targets.len()).unwrap_or(1).max(1));
            for &slot in &to_build {
                if let Some(verdict) = verdicts[slot].as_mut() {
                    verdict.duration_ms += share;
                }
            }
        }
        if self.options.supervisor.cancelled() {
            return Err(Cancelled.into());
        }
        Ok(verdicts
            .into_iter()
            .map(|v| v.expect("every exercise got a verdict"))
            .collect())
    }

    /// Builds the batch's binaries and runs each program as soon as its binary exists, on up
    /// to `jobs` threads, while the rest compiles; then lints the strict ones. Returns how long
    /// the build took. Events are sent from this thread only.
    fn build_and_run(
        &self,
        batch: &Batch,
        verdicts: &mut [Option<Verdict>],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Duration> {
        let plan = batch.plan;
        let supervisor = &self.options.supervisor;
        let build_limits = Limits {
            memory_bytes: None,
            cgroup: self.options.cgroup.clone(),
            identity: self.options.build_identity,
            ..Limits::new(self.options.build_timeout, self.options.output_cap)
        };
        let started = Instant::now();
        let binaries: Vec<&Target> = plan.binaries.iter().collect();
        on_event(Event::BuildStarted {
            units: self.toolchain.estimated_units(&binaries),
            notice: self.toolchain.build_notice(&binaries),
        });
        let (tx, rx) = mpsc::channel::<Step>();
        let (job_tx, job_rx) = mpsc::channel::<RunJob>();
        let job_rx = Mutex::new(job_rx);
        let workers = self.options.jobs.clamp(1, plan.runs());
        thread::scope(|scope| {
            let builder = tx.clone();
            let build_limits = &build_limits;
            scope.spawn(move || {
                let binaries: Vec<&Target> = plan.binaries.iter().collect();
                // A panic must still end the build for the loop below, or it waits forever.
                let built = panic::catch_unwind(AssertUnwindSafe(|| {
                    self.toolchain
                        .build(&binaries, supervisor, build_limits, &mut |progress| {
                            let _ = builder.send(Step::Build(progress));
                        })
                }))
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the build stopped unexpectedly")));
                let _ = builder.send(Step::BuildDone(built));
            });
            for _ in 0..workers {
                let (tx, job_rx) = (tx.clone(), &job_rx);
                scope.spawn(move || {
                    // The lock is held only while waiting for the next job.
                    while let Ok(job) = job_rx
                        .lock()
                        .map_err(drop)
                        .and_then(|r| r.recv().map_err(drop))
                    {
                        let _ = tx.send(Step::RunStarted(job.slot));
                        // Every job is answered, even by a panic, or the loop below waits forever.
                        let verdict =
                            panic::catch_unwind(AssertUnwindSafe(|| self.run_one(batch, &job)))
                                .unwrap_or_else(|_| Verdict {
                                    reason: Some(Reason::RunnerFailed),
                                    ..Verdict::new(Status::RunFailed, Captured::default())
                                });
                        if tx.send(Step::Ran(job.slot, verdict)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);

            let mut queue = RunQueue {
                jobs: job_tx,
                dispatched: vec![false; batch.targets.len()],
                outstanding: 0,
            };
            let mut build_error = None;
            let mut build_time = Duration::ZERO;
            let mut building = true;
            let mut lint = None;
            while building || queue.outstanding > 0 {
                let Ok(step) = rx.recv() else { break };
                match step {
                    Step::Build(BuildProgress::Unit { name, fresh }) => {
                        on_event(Event::Compiled { unit: name, fresh });
                    }
                    Step::Build(BuildProgress::Ready {
                        index,
                        artifact,
                        diagnostics,
                    }) => queue.dispatch(&plan.slots[index], &artifact, &diagnostics),
                    Step::BuildDone(result) => {
                        building = false;
                        build_time = started.elapsed();
                        on_event(Event::BuildFinished);
                        let built = match result {
                            Ok(built) => built,
                            Err(err) => {
                                build_error = Some(err);
                                continue;
                            }
                        };
                        for (binary, built) in built.iter().enumerate() {
                            match built {
                                Built::Ok {
                                    artifact,
                                    diagnostics,
                                } => queue.dispatch(&plan.slots[binary], artifact, diagnostics),
                                Built::Failed { output, reason } => {
                                    for &slot in &plan.slots[binary] {
                                        let verdict = Verdict {
                                            reason: reason.clone(),
                                            ..Verdict::new(
                                                Status::CompileError,
                                                cap(output.clone(), self.options.output_cap),
                                            )
                                        };
                                        on_event(Event::Checked {
                                            name: batch.targets[slot].name.clone(),
                                            verdict: verdict.clone(),
                                        });
                                        verdicts[slot] = Some(verdict);
                                    }
                                }
                            }
                        }
                        // Several programs: lint while the last ones run. One program (watch
                        // mode): lint only if it passes, which saves clippy's time on a failure.
                        if plan.binaries.len() > 1 {
                            let strict = strict_slots(batch.targets, &queue.dispatched);
                            lint = Some(scope.spawn(move || self.lint(batch.targets, &strict)));
                        }
                    }
                    Step::RunStarted(slot) => on_event(Event::RunStarted {
                        name: batch.targets[slot].name.clone(),
                    }),
                    Step::Ran(slot, verdict) => {
                        queue.outstanding -= 1;
                        let name = batch.targets[slot].name.clone();
                        if verdict.status == Status::TimedOut {
                            on_event(Event::TimedOut {
                                name: name.clone(),
                                limit: self.timeout_of(&batch.targets[slot]),
                            });
                        }
                        on_event(Event::Checked {
                            name,
                            verdict: verdict.clone(),
                        });
                        verdicts[slot] = Some(verdict);
                    }
                }
            }
            // Stops the workers.
            drop(queue);
            if let Some(err) = build_error {
                return Err(err);
            }
            let lints = match lint {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("the lint thread stopped")))?,
                None => {
                    let passed: Vec<bool> = verdicts
                        .iter()
                        .map(|v| v.as_ref().is_some_and(|v| v.status.is_pass()))
                        .collect();
                    self.lint(batch.targets, &strict_slots(batch.targets, &passed))?
                }
            };
            for (slot, output) in lints {
                if let Some(verdict) = verdicts[slot].as_mut().filter(|v| v.status.is_pass()) {
                    verdict.status = Status::ClippyFailed;
                    verdict.output.append(&output, self.options.output_cap);
                }
            }
            Ok(build_time)
        })
    }

    fn timeout_of(&self, target: &Target) -> Duration {
        self.options.timeout.unwrap_or(target.timeout)
    }

    /// Runs one built program and judges the run by the rule book.
    fn run_one(&self, batch: &Batch, job: &RunJob) -> Verdict {
        let target = &batch.targets[job.slot];
        let timeout = self.timeout_of(target);
        let limits = Limits {
            memory_bytes: self.options.memory_bytes,
            cgroup: self.options.cgroup.clone(),
            identity: self.options.run_identity,
            ..Limits::new(timeout, self.options.output_cap)
        };
        let ran = self
            .toolchain
            .run(target, &job.artifact, &self.options.supervisor, &limits);
        let mut verdict = match ran {
            Ok(finished) => {
                let verdict = (self.toolchain).judge(
                    target,
                    &job.artifact,
                    &batch.facts[job.slot],
                    finished,
                    timeout,
                );
                let mut verdict = verdict;
                if verdict.status == Status::TimedOut && target.test && target.shared.is_none() {
                    // Which tests hung: those listed that printed no result.
                    let listed = self.toolchain.list_tests(
                        target,
                        &job.artifact,
                        &self.options.supervisor,
                        &Limits::new(LIST_TIMEOUT, self.options.output_cap),
                    );
                    verdict.failing_tests = unfinished_tests(listed, &verdict.output.plain());
                }
                verdict
            }
            Err(why) => Verdict::new(Status::RunFailed, Captured::new(why)),
        };
        // The compiler's warnings count against the same cap as the program's output.
        let mut output = cap(job.diagnostics.clone(), self.options.output_cap);
        output.append(&verdict.output, self.options.output_cap);
        verdict.output = output;
        verdict
    }

    /// Lints the targets at `slots` (`strict_clippy`); the slots whose lint failed, with
    /// clippy's output.
    fn lint(&self, targets: &[Target], slots: &[usize]) -> Result<Vec<(usize, Captured)>> {
        if slots.is_empty() {
            return Ok(Vec::new());
        }
        let limits = Limits {
            cgroup: self.options.cgroup.clone(),
            identity: self.options.build_identity,
            ..Limits::new(self.options.build_timeout, self.options.output_cap)
        };
        let lints = self.toolchain.lint(
            &slots.iter().map(|&s| &targets[s]).collect::<Vec<_>>(),
            &self.options.supervisor,
            &limits,
        )?;
        Ok(slots
            .iter()
            .zip(lints)
            .filter_map(|(&slot, lint)| Some((slot, lint?)))
            .collect())
    }

    /// A path as messages show it: relative to the course.
    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.course.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// One batch being checked: its targets, what their sources say, and how they are built.
struct Batch<'a> {
    targets: &'a [Target],
    facts: &'a [SourceFacts],
    plan: &'a BuildPlan,
}

/// The binaries a batch builds: one per target, except that targets sharing a binary
/// ([`SharedBinary`]) get one between them.
struct BuildPlan {
    binaries: Vec<Target>,
    /// For each binary, the slots of the targets it runs for.
    slots: Vec<Vec<usize>>,
}

impl BuildPlan {
    fn new(targets: &[Target], to_build: &[usize]) -> BuildPlan {
        let mut plan = BuildPlan {
            binaries: Vec::new(),
            slots: Vec::new(),
        };
        for &slot in to_build {
            let target = &targets[slot];
            let binary = match &target.shared {
                None => Target {
                    shared: None,
                    ..target.clone()
                },
                Some(shared) => {
                    if let Some(at) = plan.binaries.iter().position(|b| b.name == shared.name) {
                        plan.slots[at].push(slot);
                        continue;
                    }
                    Target {
                        name: shared.name.clone(),
                        main_file: shared.root.clone(),
                        test: true,
                        strict_clippy: false,
                        timeout: target.timeout,
                        shared: None,
                        tests: target.tests,
                        python: None,
                        features: target.features.clone(),
                    }
                }
            };
            plan.binaries.push(binary);
            plan.slots.push(vec![slot]);
        }
        plan
    }

    /// How many programs will run at most.
    fn runs(&self) -> usize {
        self.slots.iter().map(Vec::len).sum()
    }
}

/// What the build thread and the run workers tell the thread that owns the events.
enum Step {
    Build(BuildProgress),
    BuildDone(Result<Vec<Built>>),
    RunStarted(usize),
    Ran(usize, Verdict),
}

/// Hands built programs to the run workers, each target once.
struct RunQueue {
    jobs: mpsc::Sender<RunJob>,
    /// Per slot: handed to a worker already.
    dispatched: Vec<bool>,
    /// Handed out and not reported back yet.
    outstanding: usize,
}

impl RunQueue {
    fn dispatch(&mut self, slots: &[usize], artifact: &Artifact, diagnostics: &Captured) {
        for &slot in slots {
            if std::mem::replace(&mut self.dispatched[slot], true) {
                continue;
            }
            let job = RunJob {
                slot,
                artifact: artifact.clone(),
                diagnostics: diagnostics.clone(),
            };
            // The workers outlive the queue; a send fails only if they all stopped.
            if self.jobs.send(job).is_ok() {
                self.outstanding += 1;
            }
        }
    }
}

/// A built program to run, for the target at `slot`.
struct RunJob {
    slot: usize,
    artifact: Artifact,
    diagnostics: Captured,
}

/// The slots of strict targets among `selected` (built, or passed).
fn strict_slots(targets: &[Target], selected: &[bool]) -> Vec<usize> {
    (0..targets.len())
        .filter(|&s| selected[s] && targets[s].strict_clippy && targets[s].shared.is_none())
        .collect()
}

fn cap(output: Captured, cap_bytes: usize) -> Captured {
    let mut capped = Captured::default();
    capped.append(&output, cap_bytes);
    capped
}

/// How long listing a test program's tests may take.
const LIST_TIMEOUT: Duration = Duration::from_secs(5);

/// The tests of `listed` that printed no result line (`test NAME ... ok`) in `output`: the ones
/// still running when the run was stopped. Empty when the tests could not be listed.
fn unfinished_tests(listed: Option<Vec<String>>, output: &str) -> Vec<String> {
    let finished: std::collections::HashSet<&str> = output
        .lines()
        .filter_map(|line| Some(line.strip_prefix("test ")?.split_once(" ... ")?.0))
        .collect();
    listed
        .unwrap_or_default()
        .into_iter()
        .filter(|name| !finished.contains(name.as_str()))
        .collect()
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
        /// The toolchain panics while running it (or, for the build, while building anything).
        Panics,
    }

    #[derive(Default)]
    struct Fake {
        behaviour: HashMap<String, Behaviour>,
        /// Report each program that builds as ready, then finish the build only after the
        /// first of them ran (or after five seconds, if nothing ran).
        ready_early: bool,
        /// The names of every build, in order.
        builds: Mutex<Vec<Vec<String>>>,
        /// The names of every run (with the test filter, for a shared binary), in order.
        runs: Mutex<Vec<String>>,
        /// Whether a program ran before its build ended (`ready_early`).
        ran_during_build: Mutex<bool>,
    }

    impl Toolchain for &Fake {
        fn estimated_units(&self, targets: &[&Target]) -> usize {
            targets.len()
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
            if let Some(Behaviour::Panics) = self.behaviour.get("build") {
                panic!("the fake build panics");
            }
            if self.ready_early {
                for (index, t) in targets.iter().enumerate() {
                    if let Behaviour::Prints(..) = self.behaviour[&t.name] {
                        on_progress(BuildProgress::Ready {
                            index,
                            artifact: Artifact {
                                executable: PathBuf::from(&t.name),
                            },
                            diagnostics: Captured::default(),
                        });
                    }
                }
                let waited = Instant::now();
                while self.runs.lock().unwrap().is_empty()
                    && waited.elapsed() < Duration::from_secs(5)
                {
                    thread::sleep(Duration::from_millis(5));
                }
                *self.ran_during_build.lock().unwrap() = !self.runs.lock().unwrap().is_empty();
            }
            Ok(targets
                .iter()
                .map(|t| {
                    on_progress(BuildProgress::Unit {
                        name: t.name.clone(),
                        fresh: false,
                    });
                    match self.behaviour[&t.name] {
                        Behaviour::CompileError => Built::Failed {
                            output: Captured::new("error[E0308]: mismatched types\n"),
                            reason: None,
                        },
                        Behaviour::Prints(..) | Behaviour::Panics => Built::Ok {
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
            let run = match &target.shared {
                Some(shared) => format!("{} {}", shared.name, shared.filter),
                None => target.name.clone(),
            };
            self.runs.lock().unwrap().push(run);
            let (code, text) = match self.behaviour[&target.name] {
                Behaviour::Prints(code, text) => (code, text),
                Behaviour::Panics => panic!("the fake run panics"),
                Behaviour::CompileError => return Err("not built".into()),
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

    /// Every event as a line, for comparing sequences (queued and run events left out).
    fn describe(event: &Event) -> Option<String> {
        Some(match event {
            Event::BuildStarted { units, .. } => format!("build {units}"),
            Event::Compiled { unit, .. } => format!("unit {unit}"),
            Event::BuildFinished => "built".into(),
            Event::Checked { name, verdict } => format!("{name} {}", verdict.status.key()),
            Event::Cached { name, verdict } => format!("{name} {} cached", verdict.status.key()),
            Event::TimedOut { name, limit } => format!("{name} timed out at {limit:?}"),
            Event::Queued { .. } | Event::RunStarted { .. } => return None,
        })
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
            .check(&[0, 1, 2], &mut |e| events.extend(describe(&e)))
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
        assert!(matches!(
            &verdicts[1].reason,
            Some(Reason::Refused { problems }) if problems[0].contains("exercises/b.rs:1:")
        ));
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
        let mut queued = Vec::new();
        let verdicts = engine
            .check(&all, &mut |e| {
                if let Event::Queued { name } = &e {
                    queued.push(name.clone());
                }
                events.extend(describe(&e));
            })
            .unwrap();
        assert!(verdicts.iter().all(|v| v.status.is_pass()));
        assert_eq!(queued, ["b"], "what the cache answers is not queued");
        assert_eq!(
            toolchain.builds.lock().unwrap().as_slice(),
            [vec!["a", "b", "c"], vec!["b"]],
            "only the edited exercise is built again"
        );
        assert_eq!(events[..2], ["a passed cached", "c passed cached"]);
        assert_eq!(events.last().unwrap(), "b passed");
    }

    #[test]
    fn programs_run_as_soon_as_they_are_built_and_once() {
        let (_dir, course) = course();
        let toolchain = Fake {
            ready_early: true,
            ..fake(&[
                ("a", Behaviour::Prints(0, OK_ONE)),
                ("b", Behaviour::CompileError),
                ("c", Behaviour::Prints(0, OK_ONE)),
            ])
        };
        let mut engine = Engine::new(&course, Box::new(&toolchain), Options::default(), None);
        let mut events = Vec::new();
        let verdicts = engine
            .check(&[0, 1, 2], &mut |e| events.extend(describe(&e)))
            .unwrap();
        assert!(
            *toolchain.ran_during_build.lock().unwrap(),
            "a program reported ready runs while the build goes on"
        );
        let mut runs = toolchain.runs.lock().unwrap().clone();
        runs.sort();
        assert_eq!(runs, ["a", "c"], "each program runs once");
        let statuses: Vec<Status> = verdicts.iter().map(|v| v.status).collect();
        assert_eq!(
            statuses,
            [Status::Passed, Status::CompileError, Status::Passed]
        );
        let built = events.iter().position(|e| e == "built").unwrap();
        let b = events.iter().position(|e| e == "b compile_error").unwrap();
        assert!(b > built, "a compile error is known when the build ends");
    }

    #[test]
    fn targets_sharing_a_binary_build_it_once_and_run_their_own_tests() {
        let (dir, course) = course();
        let root = dir.path().join("shared.rs");
        let shared = |target: &str, filter: &str| Target {
            shared: Some(SharedBinary {
                name: "ab".into(),
                root: root.clone(),
                filter: filter.into(),
            }),
            ..Target::of(
                &course,
                &course.exercises[course.find(target).unwrap()],
                false,
            )
        };
        let one_of_two = OK_ONE.replace("0 filtered out", "1 filtered out");
        let toolchain = fake(&[
            ("ab", Behaviour::Prints(0, "")),
            ("a", Behaviour::Prints(0, leak(&one_of_two))),
            ("b", Behaviour::Prints(101, "test b::tests::t ... FAILED\n")),
            ("c", Behaviour::Prints(0, OK_ONE)),
        ]);
        let engine = Engine::new(&course, Box::new(&toolchain), Options::default(), None);
        let targets = [
            shared("a", "a::"),
            shared("b", "b::"),
            Target::of(&course, &course.exercises[2], false),
        ];
        let verdicts = engine.check_targets(&targets, &mut |_| {}).unwrap();
        assert_eq!(
            toolchain.builds.lock().unwrap().as_slice(),
            [["ab", "c"]],
            "one binary for the targets that share it"
        );
        let mut runs = toolchain.runs.lock().unwrap().clone();
        runs.sort();
        assert_eq!(runs, ["ab a::", "ab b::", "c"]);
        let statuses: Vec<Status> = verdicts.iter().map(|v| v.status).collect();
        assert_eq!(
            statuses,
            [Status::Passed, Status::TestsFailed, Status::Passed],
            "the others' tests are filtered out of a shared binary's run, and only there"
        );
        // The allowance is the shared run's alone: a program of its own that reports tests
        // filtered out (a forged summary, a `--skip` smuggled in) does not pass.
        let alone = fake(&[("a", Behaviour::Prints(0, leak(&one_of_two)))]);
        let engine = Engine::new(&course, Box::new(&alone), Options::default(), None);
        let verdicts = engine
            .check_targets(
                &[Target::of(&course, &course.exercises[0], false)],
                &mut |_| {},
            )
            .unwrap();
        assert_eq!(verdicts[0].status, Status::RunFailed);
        assert_eq!(verdicts[0].reason, Some(Reason::FilteredOut { count: 1 }));

        // A shared binary that does not compile fails every target in it.
        let broken = fake(&[
            ("ab", Behaviour::CompileError),
            ("c", Behaviour::Prints(0, OK_ONE)),
        ]);
        let engine = Engine::new(&course, Box::new(&broken), Options::default(), None);
        let verdicts = engine.check_targets(&targets, &mut |_| {}).unwrap();
        let statuses: Vec<Status> = verdicts.iter().map(|v| v.status).collect();
        assert_eq!(
            statuses,
            [Status::CompileError, Status::CompileError, Status::Passed]
        );
    }

    /// A `&'static str` for a [`Behaviour`] built at run time.
    fn leak(text: &str) -> &'static str {
        Box::leak(text.to_string().into_boxed_str())
    }

    #[test]
    fn a_panicking_toolchain_ends_the_check_instead_of_hanging_it() {
        let (_dir, course) = course();
        let toolchain = fake(&[
            ("a", Behaviour::Prints(0, OK_ONE)),
            ("b", Behaviour::Panics),
            ("c", Behaviour::Prints(0, OK_ONE)),
        ]);
        let mut engine = Engine::new(&course, Box::new(&toolchain), Options::default(), None);
        let verdicts = engine.check(&[0, 1, 2], &mut |_| {}).unwrap();
        let statuses: Vec<Status> = verdicts.iter().map(|v| v.status).collect();
        assert_eq!(
            statuses,
            [Status::Passed, Status::RunFailed, Status::Passed]
        );
        assert_eq!(verdicts[1].reason, Some(Reason::RunnerFailed));

        let broken = fake(&[
            ("build", Behaviour::Panics),
            ("a", Behaviour::Prints(0, OK_ONE)),
        ]);
        let mut engine = Engine::new(&course, Box::new(&broken), Options::default(), None);
        let err = engine.check(&[0], &mut |_| {}).unwrap_err();
        assert!(
            err.to_string().contains("the build stopped unexpectedly"),
            "{err}"
        );
    }
}
