//! The check engine: turns a set of exercises into verdicts.
//!
//! One batch build (through a [`Toolchain`]), then the built programs run in parallel under
//! their timeouts, then the strict exercises are linted. Verdicts are cached by content hash.
//! The engine knows nothing about terminals or report formats: it reports [`Event`]s.

pub mod cache;
pub mod cargo;
pub mod process;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::course::{Course, Exercise};
use crate::verdict::{Captured, Status, Verdict};
use cache::Cache;
use process::Limits;

/// Default cap on the output kept per exercise.
pub const OUTPUT_CAP: usize = 64 * 1024;

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

/// The seam between "how an exercise is built and checked" and everything else. Only cargo is
/// implemented; another toolchain (pytest, say) would implement this and nothing else changes.
pub trait Toolchain: Send + Sync {
    /// How many units a build of `exercises` exercises compiles at most, for progress display.
    fn estimated_units(&self, exercises: usize) -> usize;
    /// Builds all of `exercises` in one batch, past failures; one result per exercise, in order.
    fn build(
        &self,
        exercises: &[&Exercise],
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Vec<Built>>;
    /// Runs a built exercise (its tests, or its `main`) under `limits`.
    fn run(&self, exercise: &Exercise, artifact: &Artifact, limits: &Limits) -> Verdict;
    /// Lints exercises (`strict_clippy`); `Some(output)` for each that fails.
    fn lint(&self, exercises: &[&Exercise]) -> Result<Vec<Option<Captured>>>;
}

/// What the engine is doing, for progress displays.
#[derive(Debug)]
pub enum Event<'a> {
    /// A build of `exercises` exercises starts; about `units` units will be reported.
    BuildStarted {
        exercises: usize,
        units: usize,
    },
    BuildProgress(BuildProgress),
    BuildFinished,
    /// The verdict on `course.exercises[index]` is known (in completion order).
    Checked {
        index: usize,
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jobs: thread::available_parallelism().map_or(2, |n| n.get()),
            timeout: None,
            output_cap: OUTPUT_CAP,
            memory_bytes: None,
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

    /// Checks the exercises at `indices`; verdicts come back in the same order.
    pub fn check(
        &mut self,
        indices: &[usize],
        on_event: &mut dyn FnMut(Event),
    ) -> Result<Vec<Verdict>> {
        let mut verdicts: Vec<Option<Verdict>> = vec![None; indices.len()];
        let keys: Vec<Option<String>> = indices
            .iter()
            .map(|&i| {
                self.cache
                    .as_ref()
                    .map(|c| c.key(self.course, &self.course.exercises[i]))
            })
            .collect();
        let mut todo = Vec::new();
        for (slot, &index) in indices.iter().enumerate() {
            let hit = match (&self.cache, &keys[slot]) {
                (Some(cache), Some(key)) => cache.get(&self.course.exercises[index].name, key),
                _ => None,
            };
            match hit {
                Some(verdict) => {
                    on_event(Event::Checked {
                        index,
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
            if process::cancelled() {
                // Killed programs give verdicts that must not be cached.
                anyhow::bail!("the check was cancelled");
            }
            for (slot, verdict) in todo.into_iter().zip(fresh) {
                if let (Some(cache), Some(key)) = (&mut self.cache, &keys[slot]) {
                    cache.put(&self.course.exercises[indices[slot]].name, key, &verdict);
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
        let exercises: Vec<&Exercise> =
            indices.iter().map(|&i| &self.course.exercises[i]).collect();
        let started = Instant::now();
        on_event(Event::BuildStarted {
            exercises: exercises.len(),
            units: self.toolchain.estimated_units(exercises.len()),
        });
        let built = self
            .toolchain
            .build(&exercises, &mut |p| on_event(Event::BuildProgress(p)))?;
        on_event(Event::BuildFinished);
        // Build time is shared by the batch; spread it evenly so per-exercise durations add up.
        let build_share = started.elapsed() / u32::try_from(exercises.len()).unwrap_or(1).max(1);

        let mut verdicts: Vec<Option<Verdict>> = vec![None; exercises.len()];
        let mut runnable = Vec::new();
        for (slot, built) in built.into_iter().enumerate() {
            match built {
                Built::Failed { output } => {
                    let mut verdict =
                        Verdict::new(Status::CompileError, cap(output, self.options.output_cap));
                    verdict.duration_ms = millis(build_share);
                    on_event(Event::Checked {
                        index: indices[slot],
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

        self.run_parallel(&exercises, &runnable, |slot, mut verdict| {
            verdict.duration_ms += millis(build_share);
            on_event(Event::Checked {
                index: indices[slot],
                verdict: &verdict,
                cached: false,
            });
            verdicts[slot] = Some(verdict);
        });

        self.lint_strict(&exercises, &mut verdicts)?;
        Ok(verdicts
            .into_iter()
            .map(|v| v.expect("every exercise got a verdict"))
            .collect())
    }

    /// Runs the built programs on `jobs` threads; `on_done` is called on this thread.
    fn run_parallel(
        &self,
        exercises: &[&Exercise],
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
                        let exercise = exercises[*slot];
                        let limits = Limits {
                            timeout: self
                                .options
                                .timeout
                                .unwrap_or(Duration::from_secs(exercise.timeout_secs)),
                            output_cap: self.options.output_cap,
                            memory_bytes: self.options.memory_bytes,
                        };
                        let mut verdict = self.toolchain.run(exercise, artifact, &limits);
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

    /// Lints the exercises that passed and ask for `strict_clippy`.
    fn lint_strict(&self, exercises: &[&Exercise], verdicts: &mut [Option<Verdict>]) -> Result<()> {
        let strict: Vec<usize> = (0..exercises.len())
            .filter(|&s| {
                exercises[s].strict_clippy
                    && verdicts[s].as_ref().is_some_and(|v| v.status.is_pass())
            })
            .collect();
        if strict.is_empty() {
            return Ok(());
        }
        let lints = self
            .toolchain
            .lint(&strict.iter().map(|&s| exercises[s]).collect::<Vec<_>>())?;
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
