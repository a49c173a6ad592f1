//! The Python toolchain: pytest through the runner's own harness.
//!
//! Inspect = the rule book (`rules.py`, run with the environment's interpreter on the learner's
//! syntax tree; a syntax error is a compile error with file and line). Build = a run folder per
//! target holding the learner's module, the course's test file and support modules, nothing
//! else (no `conftest.py`, no `pytest.ini` of the learner's), and the type checker where the
//! exercise asks for it. Run = `harness.py`, which runs pytest with the course's configuration
//! and writes per-test results signed with the run's secret; the verdict comes from those
//! results and pytest's exit code, never from its human output. In watch mode a warm worker
//! forks each run from a parent that already imported pytest and the frameworks ([`worker`]).

pub mod env;
pub mod services;
#[cfg(unix)]
mod worker;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::Result;
use serde::Deserialize;

use super::process::{Exit, Finished, Limits, Supervisor};
use super::rules::SourceFacts;
use super::{Artifact, BuildProgress, Built, Target, Toolchain, millis};
use crate::verdict::{Captured, Reason, Status, Verdict};
pub use env::PythonEnv;

/// How long the rule book may take on one file (it only parses).
const INSPECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest results document read (a run's per-test outcomes and short messages).
const RESULTS_CAP: u64 = 8 * 1024 * 1024;
/// The secret's file in a run folder; the harness reads and deletes it before any learner code.
const NONCE_FILE: &str = ".nonce";
const RESULTS_FILE: &str = ".results.json";

/// How the grader wraps a command: its jail, given the command, the run folder and what else
/// the command must see read-only (the servers of its exercise).
pub type Confine = dyn Fn(&mut Command, &Path, &[PathBuf]) + Send + Sync;

/// What a check of an exercise with `services` gets besides its run folder.
#[derive(Default)]
struct Extras {
    /// Variables for the harness: the server to start, the addresses for the tests.
    env: Vec<(String, String)>,
    /// Paths a jailed check must see read-only: `redis-server`, PostgreSQL's socket folder.
    mounts: Vec<PathBuf>,
    /// The check's own database, dropped after the run.
    database: Option<(std::sync::Arc<services::pg::Postgres>, String)>,
}

/// The largest file a graded check may write (its run folder is on the host's disk).
#[cfg(target_os = "linux")]
const CHECK_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub struct Python {
    /// The environment of the course's lock; a learner's session replaces it when the lock
    /// changes (see [`Python::following_lock`]).
    env: RwLock<Arc<PythonEnv>>,
    /// A learner's session: the course folder whose lock is followed, and the lock held while
    /// an environment is swapped (one swap at a time).
    follows: Option<(PathBuf, Mutex<()>)>,
    /// Where run folders are made (one per target, remade by every build).
    work_dir: PathBuf,
    /// Watch mode's warm workers; `None`: every run starts a fresh interpreter.
    #[cfg(unix)]
    workers: Option<worker::Pool>,
    /// Wraps every command the toolchain starts (grading: the jail); the run folder is the one
    /// place it may write.
    confine: Option<Box<Confine>>,
    /// The secret of each run in progress, by run folder: `judge` compares the results' with it.
    secrets: Mutex<HashMap<PathBuf, String>>,
    /// Runs that did not start because a server was missing or broken, by run folder.
    service_problems: Mutex<HashMap<PathBuf, services::Problem>>,
    /// Grading: this toolchain's own PostgreSQL server (one learner's), instead of the
    /// session's shared one.
    own_postgres: Option<services::OwnPostgres>,
}

impl Python {
    pub fn new(env: PythonEnv, work_dir: PathBuf) -> Python {
        Python {
            env: RwLock::new(Arc::new(env)),
            follows: None,
            work_dir,
            #[cfg(unix)]
            workers: None,
            confine: None,
            secrets: Mutex::default(),
            service_problems: Mutex::default(),
            own_postgres: None,
        }
    }

    /// Grading: PostgreSQL checks use a server of this toolchain's own (started on the first
    /// one, stopped when the toolchain is dropped), so one learner's checks cannot exhaust a
    /// server other learners' checks use.
    pub fn with_own_postgres(self) -> Python {
        Python {
            own_postgres: Some(services::OwnPostgres::default()),
            ..self
        }
    }

    /// Keeps warm workers for the runs (watch mode, `verify`): each run is forked from a parent
    /// that already imported pytest and the frameworks. Not on Windows, which has no fork.
    pub fn with_workers(self) -> Python {
        #[cfg(unix)]
        {
            let workers = Some(worker::Pool::new(&self.env()));
            Python { workers, ..self }
        }
        #[cfg(not(unix))]
        self
    }

    /// Runs every command through `confine(command, run_folder)` (the grader's jail).
    pub fn confined(
        mut self,
        confine: impl Fn(&mut Command, &Path, &[PathBuf]) + Send + Sync + 'static,
    ) -> Python {
        self.confine = Some(Box::new(confine));
        self
    }

    pub fn env(&self) -> Arc<PythonEnv> {
        Arc::clone(&self.env.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// A learner's session on the course at `root`: when its lock changes (a `git pull`, an
    /// instructor's update), the next build switches to the new lock's environment (built if
    /// needed) and the warm workers restart on it. The grader never switches.
    pub fn following_lock(self, root: PathBuf) -> Python {
        Python {
            follows: Some((root, Mutex::new(()))),
            ..self
        }
    }

    /// Switches to the environment of the course's lock as it is now, if that changed.
    fn follow_lock(&self) -> Result<(), String> {
        let Some((root, swapping)) = &self.follows else {
            return Ok(());
        };
        let _one_at_a_time = swapping.lock().unwrap_or_else(|e| e.into_inner());
        // An unreadable lock keeps the environment: `ensure` said what was wrong at the start.
        match env::lock_hash_now(root) {
            Some(hash) if hash != self.env().lock_hash => {}
            _ => return Ok(()),
        }
        let fresh = PythonEnv::ensure(root, &mut |_| {}).map_err(|e| {
            format!(
                "the course's {} changed and its environment cannot be built: {e:#}",
                env::LOCK_FILE
            )
        })?;
        #[cfg(unix)]
        if let Some(workers) = &self.workers {
            workers.switch(&fresh);
        }
        *self.env.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// The generated mutants of a module's `source` (`mutate.py`'s JSON answer), made by the
    /// environment's interpreter, which only parses it.
    pub fn generate_mutants(&self, source: &str) -> Result<String, String> {
        use std::io::Write as _;
        use std::process::Stdio;
        let env = self.env();
        let mut cmd = Command::new(&env.python);
        clean_env(&mut cmd);
        cmd.args(["-I", "-B"])
            .arg(env.mutate())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start Python: {e}"))?;
        let request = serde_json::json!({ "source": source }).to_string();
        let mut stdin = child.stdin.take().expect("piped");
        // The answer is read while the request is written: both may be large.
        let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
        let output = child
            .wait_with_output()
            .map_err(|e| format!("cannot run the mutant generator: {e}"))?;
        let _ = writer.join();
        if !output.status.success() {
            return Err(format!(
                "the mutant generator failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        String::from_utf8(output.stdout)
            .map_err(|_| "the mutant generator's answer is not UTF-8".into())
    }

    fn command(&self, program: &Path, folder: &Path) -> Command {
        self.command_with(program, folder, &Extras::default())
    }

    fn command_with(&self, program: &Path, folder: &Path, extras: &Extras) -> Command {
        let mut cmd = Command::new(program);
        clean_env(&mut cmd);
        cmd.envs(extras.env.iter().map(|(k, v)| (k, v)));
        cmd.current_dir(folder);
        if let Some(confine) = &self.confine {
            confine(&mut cmd, folder, &extras.mounts);
            // Grading (red team round 9, F1): the run folder is on the host's disk; no file a
            // check writes may exceed CHECK_FILE_BYTES (Python ignores SIGXFSZ: the write
            // fails with an error). A bound per file, not on the folder's total.
            #[cfg(target_os = "linux")]
            {
                use std::os::unix::process::CommandExt as _;
                // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and
                // exec.
                unsafe {
                    cmd.pre_exec(|| {
                        nix::sys::resource::setrlimit(
                            nix::sys::resource::Resource::RLIMIT_FSIZE,
                            CHECK_FILE_BYTES,
                            CHECK_FILE_BYTES,
                        )
                        .map_err(std::io::Error::from)
                    });
                }
            }
        }
        cmd
    }

    /// Gets the servers of `parts` ready for one check: `redis-server` for the harness to start,
    /// a database of the session's PostgreSQL.
    fn services_for(&self, parts: &super::PythonParts) -> Result<Extras, services::Problem> {
        let mut extras = Extras::default();
        // Redis first: only servers that are there, then a database that must be dropped.
        for service in parts.services.iter().rev() {
            match service {
                crate::course::Service::Redis => {
                    let server =
                        services::find_redis().ok_or(services::Problem::Missing(*service))?;
                    extras.mounts.extend(services::redis_paths(&server));
                    extras.env.push((
                        "BACKENDLINGS_REDIS_SERVER".into(),
                        server.display().to_string(),
                    ));
                }
                crate::course::Service::Postgres => {
                    let server = match &self.own_postgres {
                        Some(own) => own.get()?,
                        None => services::postgres()?,
                    };
                    let creating = std::time::Instant::now();
                    let db = server
                        .create_database()
                        .map_err(|why| services::Problem::Failed(*service, why))?;
                    if services::timed() {
                        eprintln!(
                            "services: database {} created in {} ms",
                            db.name,
                            creating.elapsed().as_millis()
                        );
                    }
                    extras.mounts.push(server.socket_dir().to_path_buf());
                    extras
                        .env
                        .push(("BACKENDLINGS_POSTGRES_DSN".into(), db.dsn.clone()));
                    extras.database = Some((server, db.name));
                }
            }
        }
        if services::timed() {
            extras
                .env
                .push((services::TIMES_VAR.to_string(), "1".to_string()));
        }
        Ok(extras)
    }

    fn parts(target: &Target) -> Result<&super::PythonParts, String> {
        target
            .python
            .as_ref()
            .ok_or_else(|| format!("{} is not a Python target", target.name))
    }

    /// Makes the run folder of `target`: its module (or package), the course's tests and
    /// support modules.
    fn prepare(&self, target: &Target) -> Result<PathBuf, String> {
        let parts = Self::parts(target)?;
        let folder = self.work_dir.join(&target.name);
        if folder.exists() {
            fs::remove_dir_all(&folder)
                .map_err(|e| format!("cannot clear {}: {e}", folder.display()))?;
        }
        fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let copy = |from: &Path, to: &Path| {
            fs::copy(from, to)
                .map(drop)
                .map_err(|e| format!("cannot copy {}: {e}", from.display()))
        };
        if parts.package {
            let package = folder.join(&parts.module);
            fs::create_dir_all(&package)
                .map_err(|e| format!("cannot create {}: {e}", package.display()))?;
            for file in package_files(package_dir(target))? {
                let name = file.file_name().unwrap_or_default();
                copy(&file, &package.join(name))?;
            }
        } else {
            copy(
                &target.main_file,
                &folder.join(format!("{}.py", parts.module)),
            )?;
        }
        copy(
            &parts.tests_file,
            &folder.join(format!("test_{}.py", parts.module)),
        )?;
        for support in &parts.support {
            let name = support.file_name().unwrap_or_default();
            copy(support, &folder.join(name))?;
        }
        Ok(folder)
    }

    /// The rule book's report from a warm worker, when there are workers.
    fn warm_rules(&self, request: &serde_json::Value) -> Option<String> {
        #[cfg(unix)]
        if let (Some(workers), None) = (&self.workers, &self.confine) {
            return workers.rules(request);
        }
        let _ = request;
        None
    }

    /// The rule book's report from an interpreter of its own (in the jail when grading).
    fn cold_rules(&self, target: &Target, request: &serde_json::Value) -> Option<String> {
        let folder = target.main_file.parent().unwrap_or(Path::new("."));
        let env = self.env();
        let mut cmd = self.command(&env.python, folder);
        cmd.args(["-I", "-B"])
            .arg(env.rules())
            .arg(request.to_string());
        let supervisor = Supervisor::new();
        let finished = supervisor.run(cmd, &Limits::new(INSPECT_TIMEOUT, 1024 * 1024));
        finished
            .ok()
            .filter(|f| f.exit == Exit::Code(0))
            .map(|f| f.output.text)
    }

    fn typecheck(
        &self,
        target: &Target,
        folder: &Path,
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Option<Captured>, String> {
        let parts = Self::parts(target)?;
        let env = self.env();
        let mut cmd = self.command(&env.type_checker(), folder);
        cmd.args(["check", "--no-progress", "--color", "never", "--python"])
            .arg(&env.prefix)
            .arg("--config-file")
            .arg(env.harness_dir.join("ty.toml"))
            .arg(if parts.package {
                parts.module.clone()
            } else {
                format!("{}.py", parts.module)
            });
        let finished = supervisor
            .run(cmd, limits)
            .map_err(|e| format!("cannot start the type checker: {e}"))?;
        Ok(match finished.exit {
            Exit::Code(0) => None,
            _ => Some(finished.output),
        })
    }
}

/// The environment every command starts with: nothing of the caller's but what finding
/// programs and Windows need, UTF-8 everywhere, no bytecode written.
fn clean_env(cmd: &mut Command) {
    cmd.env_clear();
    for keep in ["PATH", "SYSTEMROOT", "SystemRoot", "TEMP", "TMP"] {
        if let Some(value) = std::env::var_os(keep) {
            cmd.env(keep, value);
        }
    }
    cmd.env("PYTHONUTF8", "1")
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
        .env("LANG", "C.UTF-8")
        .env("TZ", "UTC");
}

/// The most modules a folder exercise's package may hold, and the largest module: the same
/// caps in every command, so what a learner checks is what the grader reads.
pub const MAX_PACKAGE_FILES: usize = 64;
pub const MAX_MODULE_BYTES: u64 = 1024 * 1024;

/// The package folder of a folder exercise's target (its `__init__.py`'s folder).
fn package_dir(target: &Target) -> &Path {
    target.main_file.parent().unwrap_or(Path::new("."))
}

/// The modules of a folder exercise's package: the regular `.py` files directly in `folder`,
/// sorted. Links are never followed (a link is not a module of the package), subfolders and
/// other files are not part of it; more than [`MAX_PACKAGE_FILES`] modules, or one larger than
/// [`MAX_MODULE_BYTES`], is an error naming the folder or the file.
pub fn package_files(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        fs::read_dir(folder).map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "py") {
            continue;
        }
        // `file_type` of a directory entry is the entry's own: a link stays a link.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !kind.is_file() {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
        if size > MAX_MODULE_BYTES {
            return Err(format!(
                "{} is larger than {} KiB",
                path.display(),
                MAX_MODULE_BYTES / 1024
            ));
        }
        files.push(path);
        if files.len() > MAX_PACKAGE_FILES {
            return Err(format!(
                "{} holds more than {MAX_PACKAGE_FILES} modules",
                folder.display()
            ));
        }
    }
    files.sort();
    Ok(files)
}

/// A secret no learner code can know: it signs the results of one run.
fn nonce() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = blake3::Hasher::new();
    // Each `RandomState` is keyed from the operating system's randomness.
    for _ in 0..2 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.update(&h.finish().to_le_bytes());
    }
    hasher.update(format!("{:?}{}", std::time::SystemTime::now(), std::process::id()).as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

#[derive(Deserialize)]
struct RulesReport {
    problems: Vec<RuleProblem>,
    syntax: Option<RuleProblem>,
}

#[derive(Deserialize)]
struct RuleProblem {
    file: String,
    line: u64,
    message: String,
}

#[derive(Deserialize)]
struct Results {
    nonce: String,
    tests: Vec<TestResult>,
    errors: Vec<CollectError>,
    exit: i32,
}

#[derive(Deserialize)]
struct TestResult {
    id: String,
    outcome: String,
}

#[derive(Deserialize)]
struct CollectError {}

impl Toolchain for Python {
    fn inspect(
        &self,
        target: &Target,
        shown: &dyn Fn(&Path) -> String,
    ) -> std::result::Result<SourceFacts, Vec<String>> {
        let parts = target.python.as_ref();
        // The course's support modules of this exercise: the learner may import them.
        let own_modules: Vec<String> = (parts.iter())
            .flat_map(|p| &p.support)
            .filter_map(|f| Some(f.file_stem()?.to_string_lossy().into_owned()))
            .collect();
        // A package's own modules may import each other by its name (`from pkg import models`).
        let own_packages: Vec<&str> = (parts.iter())
            .filter(|p| p.package)
            .map(|p| p.module.as_str())
            .collect();
        // Every module of a package goes through the rule book, each beside its shipped namesake.
        let files = match parts {
            Some(p) if p.package => match package_files(package_dir(target)) {
                Ok(files) => files,
                Err(why) => {
                    return Ok(SourceFacts {
                        tests: None,
                        compile_error: Some(Captured::new(format!("{why}\n"))),
                    });
                }
            },
            _ => vec![target.main_file.clone()],
        };
        let shipped_of = |file: &Path| -> Option<PathBuf> {
            let p = parts?;
            let shipped = if p.package {
                p.shipped.parent()?.join(file.file_name()?)
            } else {
                p.shipped.clone()
            };
            (shipped.is_file() && shipped != file).then_some(shipped)
        };
        let entries: Vec<serde_json::Value> = files
            .iter()
            .map(|file| {
                serde_json::json!({
                    "path": file,
                    "shown": shown(file),
                    "shipped": shipped_of(file),
                })
            })
            .collect();
        // Where each support module is: the rule book reads what it imported.
        let own_module_paths: serde_json::Map<String, serde_json::Value> = (parts.iter())
            .flat_map(|p| &p.support)
            .filter_map(|f| {
                let stem = f.file_stem()?.to_string_lossy().into_owned();
                Some((stem, serde_json::json!(f)))
            })
            .collect();
        let request = serde_json::json!({
            "files": entries,
            "own_modules": own_modules,
            "own_module_paths": own_module_paths,
            "own_packages": own_packages,
        });
        let report = self
            .warm_rules(&request)
            .or_else(|| self.cold_rules(target, &request))
            .and_then(|text| serde_json::from_str::<RulesReport>(&text).ok());
        let Some(report) = report else {
            // The parser itself gave up (a file built to break it): not a program to run.
            return Ok(SourceFacts {
                tests: None,
                compile_error: Some(Captured::new(format!(
                    "{}: the file could not be parsed\n",
                    shown(&target.main_file)
                ))),
            });
        };
        if let Some(syntax) = report.syntax {
            return Ok(SourceFacts {
                tests: None,
                compile_error: Some(Captured::new(format!(
                    "{}:{}: SyntaxError: {}\n",
                    syntax.file, syntax.line, syntax.message
                ))),
            });
        }
        if report.problems.is_empty() {
            Ok(SourceFacts::default())
        } else {
            Err(report
                .problems
                .into_iter()
                .map(|p| format!("{}:{}: {}", p.file, p.line, p.message))
                .collect())
        }
    }

    fn estimated_units(&self, targets: &[&Target]) -> usize {
        targets.len()
    }

    fn build(
        &self,
        targets: &[&Target],
        supervisor: &Supervisor,
        limits: &Limits,
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Vec<Built>> {
        let mut built = Vec::with_capacity(targets.len());
        if let Err(why) = self.follow_lock() {
            return Ok(targets
                .iter()
                .map(|_| Built::Failed {
                    output: Captured::new(format!("{why}\n")),
                    reason: Some(Reason::EnvironmentFailed {
                        message: why.clone(),
                    }),
                })
                .collect());
        }
        for target in targets {
            let folder = match self.prepare(target) {
                Ok(folder) => folder,
                Err(why) => {
                    built.push(Built::Failed {
                        output: Captured::new(format!("{why}\n")),
                        reason: None,
                    });
                    continue;
                }
            };
            let typecheck = target.python.as_ref().is_some_and(|p| p.typecheck);
            let checked = if typecheck {
                self.typecheck(target, &folder, supervisor, limits)
            } else {
                Ok(None)
            };
            on_progress(BuildProgress::Unit {
                name: target.name.clone(),
                fresh: !typecheck,
            });
            built.push(match checked {
                Ok(None) => Built::Ok {
                    artifact: Artifact { executable: folder },
                    diagnostics: Captured::default(),
                },
                Ok(Some(output)) => Built::Failed {
                    output,
                    reason: None,
                },
                Err(why) => Built::Failed {
                    output: Captured::new(format!("{why}\n")),
                    reason: None,
                },
            });
        }
        Ok(built)
    }

    fn run(
        &self,
        target: &Target,
        artifact: &Artifact,
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> std::result::Result<Finished, String> {
        let parts = Self::parts(target)?;
        let folder = &artifact.executable;
        let extras = match self.services_for(parts) {
            Ok(extras) => extras,
            Err(problem) => {
                // Not the learner's failure: `judge` says what to install.
                (self
                    .service_problems
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()))
                .insert(folder.clone(), problem);
                return Ok(Finished {
                    exit: Exit::Code(0),
                    output: Captured::default(),
                    duration: Duration::ZERO,
                });
            }
        };
        let finished = self.run_with(parts, folder, &extras, supervisor, limits);
        if let Some((server, name)) = &extras.database {
            // Ends whatever the check left connected (a run killed at its deadline).
            let dropping = std::time::Instant::now();
            server.drop_database(name);
            if services::timed() {
                eprintln!(
                    "services: database {name} dropped in {} ms",
                    dropping.elapsed().as_millis()
                );
            }
        }
        finished
    }

    fn judge(
        &self,
        _target: &Target,
        artifact: &Artifact,
        facts: &SourceFacts,
        finished: Finished,
        timeout: Duration,
    ) -> Verdict {
        let folder = &artifact.executable;
        let problem = (self
            .service_problems
            .lock()
            .unwrap_or_else(|e| e.into_inner()))
        .remove(folder);
        if let Some(problem) = problem {
            let reason = match problem {
                services::Problem::Missing(service) => Reason::ServiceMissing {
                    service: service.key().to_string(),
                },
                services::Problem::Failed(service, message) => Reason::ServiceFailed {
                    service: service.key().to_string(),
                    message,
                },
            };
            return Verdict {
                reason: Some(reason),
                ..Verdict::new(Status::RunFailed, Captured::default())
            };
        }
        self.judge_run(folder, facts, finished, timeout)
    }

    fn lint(
        &self,
        targets: &[&Target],
        _supervisor: &Supervisor,
        _limits: &Limits,
    ) -> Result<Vec<Option<Captured>>> {
        // Type checking is part of the build.
        Ok(vec![None; targets.len()])
    }
}

impl Python {
    fn run_with(
        &self,
        parts: &super::PythonParts,
        folder: &PathBuf,
        extras: &Extras,
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> std::result::Result<Finished, String> {
        let results = folder.join(RESULTS_FILE);
        // Learner code may have planted links here (the grader writes as root): remove whatever
        // is there, and create the secret's file anew, never through a link.
        let _ = fs::remove_file(&results);
        let secret = nonce();
        write_new(&folder.join(NONCE_FILE), secret.as_bytes())
            .map_err(|e| format!("cannot write to {}: {e}", folder.display()))?;
        (self.secrets.lock().unwrap_or_else(|e| e.into_inner())).insert(folder.clone(), secret);
        let tests = format!("test_{}.py", parts.module);
        // Half the run's limit for each test: a test that hangs is named, and the others run.
        let per_test = (limits.timeout.as_secs_f64() / 2.0).max(1.0);
        #[cfg(unix)]
        if let (Some(workers), None) = (&self.workers, &self.confine) {
            return workers.run(
                folder,
                &tests,
                &results,
                (per_test, parts.fail_fast),
                &extras.env,
                supervisor,
                limits,
            );
        }
        let env = self.env();
        let mut cmd = self.command_with(&env.python, folder, extras);
        cmd.args(["-I", "-B"])
            .arg(env.harness())
            .arg("run")
            .arg(folder)
            .arg(&tests)
            .arg(&results)
            .arg(format!("{per_test}"));
        if parts.fail_fast {
            cmd.arg("fail-fast");
        }
        supervisor
            .run(cmd, limits)
            .map_err(|e| format!("cannot start Python: {e}"))
    }

    fn judge_run(
        &self,
        folder: &PathBuf,
        facts: &SourceFacts,
        finished: Finished,
        timeout: Duration,
    ) -> Verdict {
        let results = read_results(&folder.join(RESULTS_FILE));
        let nonce_left = folder.join(NONCE_FILE).exists();
        let secret = (self.secrets.lock().unwrap_or_else(|e| e.into_inner())).remove(folder);
        let run = Run {
            finished: &finished,
            timeout,
            secret: secret.as_deref(),
            nonce_left,
        };
        let mut verdict = judge_results(facts, &run, results);
        verdict.output = finished.output;
        verdict.duration_ms = millis(finished.duration);
        verdict
    }
}

/// Writes a file that did not exist: whatever was at `path` (a learner's link) is removed first,
/// and the file is created exclusively, which never follows a link.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    match fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err),
        _ => {}
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// Opens a file the learner's run may have replaced, never following a link.
fn open_no_follow(path: &Path) -> Option<fs::File> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits());
    }
    options.open(path).ok()
}

/// How many failing tests a verdict names, and how long a name may be: a run's results are
/// written in the learner's process, and reports must stay readable.
const MAX_NAMES: usize = 50;
const MAX_NAME: usize = 200;

/// The results document of a run, if there is exactly one well-formed document.
fn read_results(path: &Path) -> Option<Results> {
    use std::io::Read as _;
    let file = open_no_follow(path)?;
    let mut text = String::new();
    file.take(RESULTS_CAP).read_to_string(&mut text).ok()?;
    let _ = fs::remove_file(path);
    serde_json::from_str(&text).ok()
}

/// What is known of a finished run besides its results.
struct Run<'a> {
    finished: &'a Finished,
    timeout: Duration,
    /// The secret written for the run (`None`: the run never started).
    secret: Option<&'a str>,
    /// The harness did not take the secret: it never got that far.
    nonce_left: bool,
}

/// What a run's results and exit mean.
fn judge_results(facts: &SourceFacts, run: &Run, results: Option<Results>) -> Verdict {
    let (finished, timeout, nonce_left) = (run.finished, run.timeout, run.nonce_left);
    let verdict = |status, reason: Option<Reason>, failing: Vec<String>| Verdict {
        failing_tests: failing,
        reason,
        ..Verdict::new(status, Captured::default())
    };
    let code = match finished.exit {
        Exit::TimedOut => {
            return verdict(
                Status::TimedOut,
                Some(Reason::TimedOut {
                    secs: timeout.as_secs(),
                }),
                Vec::new(),
            );
        }
        Exit::Signal(signal) => {
            return verdict(
                Status::RunFailed,
                Some(Reason::Signal { signal }),
                Vec::new(),
            );
        }
        Exit::Code(code) => code,
    };
    let Some(results) = results else {
        let reason = if nonce_left {
            // The harness never started (the interpreter failed first).
            Reason::ExitCode { code }
        } else {
            Reason::NoSummary
        };
        return verdict(Status::RunFailed, Some(reason), Vec::new());
    };
    // Only the harness knows the secret: anything else that wrote results did not sign them,
    // and pytest's exit code must say what they say.
    if run.secret != Some(results.nonce.as_str()) || nonce_left || results.exit != code {
        return verdict(Status::RunFailed, Some(Reason::ForgedResults), Vec::new());
    }
    if !results.errors.is_empty() {
        return verdict(
            Status::RunFailed,
            Some(Reason::CollectionFailed),
            Vec::new(),
        );
    }
    let failing: Vec<String> = results
        .tests
        .iter()
        .filter(|t| t.outcome != "passed")
        .take(MAX_NAMES)
        .map(|t| test_name(&t.id))
        .collect();
    if !failing.is_empty() {
        return verdict(Status::TestsFailed, None, failing);
    }
    if code != 0 {
        return verdict(
            Status::RunFailed,
            Some(Reason::ExitCode { code }),
            Vec::new(),
        );
    }
    let passed = results.tests.len();
    match facts.tests {
        None => verdict(
            Status::RunFailed,
            Some(Reason::UnknownTestCount),
            Vec::new(),
        ),
        Some(expected) if expected != passed => verdict(
            Status::RunFailed,
            Some(Reason::TestCount { passed, expected }),
            Vec::new(),
        ),
        Some(_) => verdict(Status::Passed, None, Vec::new()),
    }
}

/// A test's name as reports show it: its id without the file (`test_x.py::TestA::test_b[1]`
/// is `TestA::test_b[1]`).
fn test_name(id: &str) -> String {
    let name = id.split_once("::").map_or(id, |(_, name)| name);
    match name.char_indices().nth(MAX_NAME) {
        Some((cut, _)) => format!("{}...", &name[..cut]),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(code: i32) -> Finished {
        Finished {
            exit: Exit::Code(code),
            output: Captured::default(),
            duration: Duration::ZERO,
        }
    }

    fn results(nonce: &str, outcomes: &[&str], exit: i32) -> Option<Results> {
        Some(Results {
            nonce: nonce.to_string(),
            tests: (outcomes.iter().enumerate())
                .map(|(i, o)| TestResult {
                    id: format!("test_x.py::test_{i}"),
                    outcome: o.to_string(),
                })
                .collect(),
            errors: Vec::new(),
            exit,
        })
    }

    fn judge(code: i32, secret: &str, found: Option<Results>, expected: usize) -> Verdict {
        let finished = finished(code);
        let run = Run {
            finished: &finished,
            timeout: Duration::from_secs(5),
            secret: Some(secret),
            nonce_left: false,
        };
        let facts = SourceFacts {
            tests: Some(expected),
            compile_error: None,
        };
        judge_results(&facts, &run, found)
    }

    #[test]
    fn only_signed_results_that_agree_with_the_exit_code_pass() {
        let ok = judge(0, "s", results("s", &["passed", "passed"], 0), 2);
        assert_eq!(ok.status, Status::Passed);
        // Not signed with this run's secret: written by something else.
        let forged = judge(0, "s", results("guess", &["passed", "passed"], 0), 2);
        assert_eq!(forged.reason, Some(Reason::ForgedResults));
        // Signed, but pytest's exit code says otherwise.
        let disagree = judge(1, "s", results("s", &["passed", "passed"], 0), 2);
        assert_eq!(disagree.reason, Some(Reason::ForgedResults));
        // No results at all: the process ended before the harness wrote them.
        let none = judge(0, "s", None, 2);
        assert_eq!(none.reason, Some(Reason::NoSummary));
    }

    /// A learner's run could plant links where the grader (root) writes the next secret and
    /// reads the next results (red team round 6): neither follows them.
    #[cfg(unix)]
    #[test]
    fn the_secret_and_the_results_never_go_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        fs::write(&victim, "host file").unwrap();
        let nonce = dir.path().join(NONCE_FILE);
        std::os::unix::fs::symlink(&victim, &nonce).unwrap();
        write_new(&nonce, b"secret").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "host file");
        assert_eq!(fs::read_to_string(&nonce).unwrap(), "secret");
        assert!(!fs::symlink_metadata(&nonce).unwrap().is_symlink());

        let results = dir.path().join(RESULTS_FILE);
        fs::write(
            &victim,
            r#"{"nonce": "s", "tests": [], "errors": [], "exit": 0}"#,
        )
        .unwrap();
        std::os::unix::fs::symlink(&victim, &results).unwrap();
        assert!(read_results(&results).is_none());
    }

    #[test]
    fn failing_test_names_are_capped() {
        let long = format!("test_x.py::test_{}", "a".repeat(5000));
        assert!(test_name(&long).chars().count() <= MAX_NAME + 3);
        let many: Vec<&str> = vec!["failed"; 500];
        let verdict = judge(1, "s", results("s", &many, 1), 500);
        assert_eq!(verdict.failing_tests.len(), MAX_NAMES);
    }

    #[test]
    fn failures_are_named_and_the_count_is_the_course() {
        let failed = judge(1, "s", results("s", &["passed", "failed", "error"], 1), 3);
        assert_eq!(failed.status, Status::TestsFailed);
        assert_eq!(failed.failing_tests, ["test_1", "test_2"]);
        let fewer = judge(0, "s", results("s", &["passed"], 0), 2);
        assert_eq!(
            fewer.reason,
            Some(Reason::TestCount {
                passed: 1,
                expected: 2
            })
        );
        let skipped = judge(0, "s", results("s", &["passed", "skipped"], 0), 2);
        assert_eq!(skipped.status, Status::TestsFailed);
        let mut collect = results("s", &[], 2);
        if let Some(r) = collect.as_mut() {
            r.errors.push(CollectError {});
        }
        assert_eq!(
            judge(2, "s", collect, 2).reason,
            Some(Reason::CollectionFailed)
        );
    }
}
