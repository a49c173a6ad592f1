//! The cargo toolchain: exercises are binaries of one cargo package. A batch is built with one
//! cargo invocation per build mode (test harnesses for `test = true`, plain binaries for
//! `test = false`), keeping going past failures and reading cargo's JSON messages to learn which
//! targets failed and where each executable is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::process::{self, Exit, Limits};
use super::{Artifact, BuildProgress, Built, Toolchain};
use crate::course::Exercise;
use crate::verdict::{Captured, Status, Verdict};

/// A generous deadline for cargo itself: builds are not learner code, but a pathological
/// program can still make the compiler spin.
const BUILD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// How the cargo toolchain builds and runs one course's exercises.
#[derive(Debug, Clone)]
pub struct Cargo {
    pub manifest: PathBuf,
    /// The runner's own target directory, so an editor's rust-analyzer (which builds into the
    /// workspace's `target/`) never holds the lock we need.
    pub target_dir: PathBuf,
    /// Where learner programs run.
    pub workdir: PathBuf,
    /// Estimated number of dependency crates, for the progress bar.
    pub dependency_units: usize,
    /// Run learner programs with an empty environment (grading), instead of the user's.
    pub clean_env: bool,
    /// Colour in test output (the terminal shows it; reports strip it).
    pub color: bool,
    /// Pass `--offline`/`--locked` style flags, e.g. `["--offline"]`.
    pub extra_cargo_args: Vec<String>,
}

impl Cargo {
    /// The toolchain for a course at `root` whose manifest is `manifest`.
    pub fn for_course(root: &Path, manifest: PathBuf, target_dir: PathBuf) -> Cargo {
        Cargo {
            dependency_units: count_locked_packages(&root.join("Cargo.lock")),
            manifest,
            target_dir,
            workdir: root.to_path_buf(),
            clean_env: false,
            color: console::colors_enabled(),
            extra_cargo_args: Vec::new(),
        }
    }

    fn cargo(&self, subcommand: &str) -> Command {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.arg(subcommand)
            .arg("--message-format=json-diagnostic-rendered-ansi")
            .arg("--manifest-path")
            .arg(&self.manifest)
            .arg("--target-dir")
            .arg(&self.target_dir)
            .args(&self.extra_cargo_args)
            // Small debug info: faster links, smaller binaries; backtraces keep line numbers.
            .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            // Exercises are small crates that rebuild in a blink; incremental caches for each
            // of them only cost time and disk on a batch (a cold `dev check` runs about 25%
            // faster without). Every invocation must agree, or cargo rebuilds on each switch.
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(self.manifest.parent().unwrap_or(Path::new(".")));
        cmd
    }

    /// Runs one cargo invocation over `names`, collecting artifacts and per-target diagnostics.
    fn invoke(
        &self,
        mut cmd: Command,
        names: &[&str],
        want_test_harness: bool,
        trailing_args: &[&str],
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Invocation> {
        for name in names {
            cmd.arg("--bin").arg(name);
        }
        cmd.args(trailing_args);
        let mut result = Invocation::default();
        let limits = Limits {
            timeout: BUILD_TIMEOUT,
            output_cap: 256 * 1024,
            memory_bytes: None,
        };
        let finished = process::run_streaming(cmd, &limits, |line| {
            let Ok(message) = serde_json::from_str::<Message>(line) else {
                return;
            };
            let Some(target) = message.target else { return };
            let is_exercise =
                target.kind.iter().any(|k| k == "bin") && names.contains(&target.name.as_str());
            match message.reason.as_str() {
                "compiler-message" if is_exercise => {
                    if let Some(diag) = message.message {
                        let entry = result.diagnostics.entry(target.name.clone()).or_default();
                        let rendered = diag.rendered.as_deref().unwrap_or("");
                        // A member package in `dev/` makes rustc print `dev/../exercises/..`.
                        entry.push_str(&rendered.replace("dev/../", ""));
                        if diag.level == "error" {
                            result.errored.push(target.name.clone());
                        }
                    }
                }
                "compiler-artifact" => {
                    if is_exercise {
                        let harness = message.profile.is_some_and(|p| p.test);
                        if let (Some(exe), true) =
                            (message.executable, harness == want_test_harness)
                        {
                            result.executables.insert(target.name.clone(), exe);
                        }
                    }
                    on_progress(BuildProgress::Unit { name: target.name });
                }
                _ => {}
            }
        })
        .with_context(|| format!("cannot run cargo for {}", self.manifest.display()))?;
        result.stderr = finished.output;
        if finished.exit == Exit::TimedOut {
            result
                .stderr
                .text
                .push_str("\ncargo did not finish in time and was stopped\n");
        }
        Ok(result)
    }

    /// Builds the test harnesses of `names`. `cargo test --no-run` stops at the first exercise
    /// that does not compile (it has no `--keep-going` and ignores `build.keep-going`), so the
    /// exercises it never got to are looked at again: `cargo check --profile test --keep-going`
    /// finds those that do not compile (with their diagnostics), and a second
    /// `cargo test --no-run` builds the rest. A batch where everything compiles costs one call.
    fn build_tests(
        &self,
        names: &[&str],
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Invocation> {
        let test_build = || {
            let mut cmd = self.cargo("test");
            cmd.args(["--no-run", "--no-fail-fast"]);
            cmd
        };
        let mut result = self.invoke(test_build(), names, true, &[], on_progress)?;
        let cut_off: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| {
                !result.executables.contains_key(*n) && !result.errored.iter().any(|e| e == n)
            })
            .collect();
        if cut_off.is_empty() {
            return Ok(result);
        }
        let mut check = self.cargo("check");
        check.args(["--profile", "test", "--keep-going"]);
        let checked = self.invoke(check, &cut_off, true, &[], on_progress)?;
        for name in &checked.errored {
            if let Some(diagnostics) = checked.diagnostics.get(name) {
                result.diagnostics.insert(name.clone(), diagnostics.clone());
            }
            result.errored.push(name.clone());
        }
        let compiling: Vec<&str> = cut_off
            .into_iter()
            .filter(|n| !checked.errored.iter().any(|e| e == n))
            .collect();
        if !compiling.is_empty() {
            let second = self.invoke(test_build(), &compiling, true, &[], on_progress)?;
            result.executables.extend(second.executables);
            result.diagnostics.extend(second.diagnostics);
            result.errored.extend(second.errored);
            if !second.stderr.text.trim().is_empty() {
                result.stderr = second.stderr;
            }
        }
        Ok(result)
    }

    fn run_command(&self, artifact: &Artifact, exercise: &Exercise) -> Command {
        let mut cmd = Command::new(&artifact.executable);
        if exercise.test {
            cmd.arg(if self.color {
                "--color=always"
            } else {
                "--color=never"
            });
        }
        cmd.current_dir(&self.workdir);
        if self.clean_env {
            cmd.env_clear()
                .env("PATH", "/usr/local/bin:/usr/bin:/bin")
                .env("HOME", &self.workdir)
                .env("TMPDIR", std::env::temp_dir())
                .env("LANG", "C.UTF-8");
        }
        cmd.env("RUST_BACKTRACE", "0");
        cmd
    }
}

#[derive(Default)]
struct Invocation {
    executables: HashMap<String, PathBuf>,
    diagnostics: HashMap<String, String>,
    errored: Vec<String>,
    stderr: Captured,
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    target: Option<Target>,
    profile: Option<Profile>,
    executable: Option<PathBuf>,
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct Diagnostic {
    rendered: Option<String>,
    level: String,
}

impl Toolchain for Cargo {
    fn estimated_units(&self, exercises: usize) -> usize {
        self.dependency_units + exercises
    }

    fn build(
        &self,
        exercises: &[&Exercise],
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Vec<Built>> {
        let tests: Vec<&str> = exercises
            .iter()
            .filter(|e| e.test)
            .map(|e| e.name.as_str())
            .collect();
        let mains: Vec<&str> = exercises
            .iter()
            .filter(|e| !e.test)
            .map(|e| e.name.as_str())
            .collect();
        let mut runs = Vec::new();
        if !tests.is_empty() {
            runs.push(self.build_tests(&tests, on_progress)?);
        }
        if !mains.is_empty() {
            let mut cmd = self.cargo("build");
            cmd.arg("--keep-going");
            runs.push(self.invoke(cmd, &mains, false, &[], on_progress)?);
        }
        Ok(exercises
            .iter()
            .map(|exercise| {
                let name = exercise.name.as_str();
                let run = runs
                    .iter()
                    .find(|r| r.executables.contains_key(name) || r.diagnostics.contains_key(name))
                    .or_else(|| runs.iter().find(|r| !r.stderr.text.is_empty()));
                let diagnostics = run
                    .and_then(|r| r.diagnostics.get(name))
                    .cloned()
                    .unwrap_or_default();
                match run.and_then(|r| r.executables.get(name)) {
                    Some(exe) if !run.is_some_and(|r| r.errored.iter().any(|n| n == name)) => {
                        Built::Ok {
                            artifact: Artifact {
                                executable: exe.clone(),
                            },
                            diagnostics: Captured::new(diagnostics),
                        }
                    }
                    _ => {
                        let mut output = Captured::new(diagnostics);
                        if output.text.trim().is_empty() {
                            // No diagnostics of its own: cargo itself failed (manifest, dependency).
                            if let Some(run) = run {
                                output = run.stderr.clone();
                            }
                        }
                        Built::Failed { output }
                    }
                }
            })
            .collect())
    }

    fn run(&self, exercise: &Exercise, artifact: &Artifact, limits: &Limits) -> Verdict {
        let finished = match process::run(self.run_command(artifact, exercise), limits) {
            Ok(finished) => finished,
            Err(err) => {
                let output = Captured::new(format!(
                    "cannot start {}: {err}\n",
                    artifact.executable.display()
                ));
                return Verdict::new(Status::RunFailed, output);
            }
        };
        let mut output = finished.output;
        let mut verdict = match finished.exit {
            Exit::Code(0) => Verdict::new(Status::Passed, Captured::default()),
            Exit::TimedOut => {
                output.text.push_str(&format!(
                    "\n\nStopped after {} s: the exercise did not finish in time (an endless loop, or a wait that never ends?)\n",
                    limits.timeout.as_secs()
                ));
                Verdict::new(Status::TimedOut, Captured::default())
            }
            Exit::Code(_) if exercise.test => {
                let failing = failing_tests(&output.plain());
                let status = if failing.is_empty() {
                    Status::RunFailed
                } else {
                    Status::TestsFailed
                };
                Verdict {
                    failing_tests: failing,
                    ..Verdict::new(status, Captured::default())
                }
            }
            Exit::Code(code) => {
                output.text.push_str(&format!(
                    "\nThe program exited with code {code}; it must exit with 0.\n"
                ));
                Verdict::new(Status::RunFailed, Captured::default())
            }
            Exit::Signal(signal) => {
                output
                    .text
                    .push_str(&format!("\nThe program was killed by signal {signal}.\n"));
                Verdict::new(Status::RunFailed, Captured::default())
            }
        };
        verdict.output = output;
        verdict.duration_ms = u64::try_from(finished.duration.as_millis()).unwrap_or(u64::MAX);
        verdict
    }

    fn lint(&self, exercises: &[&Exercise]) -> Result<Vec<Option<Captured>>> {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        let mut cmd = self.cargo("clippy");
        cmd.arg("--keep-going");
        let mut run = self.invoke(cmd, &names, false, &["--", "-D", "warnings"], &mut |_| {})?;
        Ok(names
            .iter()
            .map(|name| {
                let failed = run.errored.iter().any(|n| n == name);
                failed.then(|| Captured::new(run.diagnostics.remove(*name).unwrap_or_default()))
            })
            .collect())
    }
}

/// Names of the failing tests in libtest's output (`test tests::x ... FAILED`).
fn failing_tests(output: &str) -> Vec<String> {
    let mut names: Vec<String> = output
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .map(str::to_string)
        .collect();
    names.dedup();
    names
}

/// Number of packages in a lock file, as an estimate of the crates a cold build compiles.
fn count_locked_packages(lock: &Path) -> usize {
    std::fs::read_to_string(lock).map_or(0, |text| text.matches("[[package]]").count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_test_names_from_libtest_output() {
        let output =
            "running 3 tests\ntest tests::a ... ok\ntest tests::b ... FAILED\ntest c ... FAILED\n";
        assert_eq!(failing_tests(output), ["tests::b", "c"]);
    }
}
