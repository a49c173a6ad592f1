//! Warm workers: `harness.py serve` processes that imported pytest and the frameworks once and
//! fork one child per run (Unix only).
//!
//! A worker answers each request with the child's pid, then with how it ended. The child leads
//! a session of its own, so the runner kills its whole process group at the deadline or when
//! the check is cancelled, and the worker itself lives on for the next run. A worker that
//! misbehaves (its pipe closes, a reply does not parse) is dropped and the next run starts a
//! new one.

use std::fs;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::Deserialize;

use super::{PythonEnv, clean_env};
use crate::engine::process::{Exit, Finished, Limits, Supervisor};
use crate::verdict::Captured;

/// How often a waiting run looks at its deadline and at cancellation.
const TICK: Duration = Duration::from_millis(20);
/// How long a worker may take to start and answer with a child's pid (it imports the
/// frameworks first).
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a worker has to report a child killed at its deadline.
const KILL_GRACE: Duration = Duration::from_secs(5);

pub struct Pool {
    /// What workers start from now, and how many times that changed: a worker started from an
    /// older environment is not given back.
    launch: Mutex<Launch>,
    idle: Mutex<Vec<Worker>>,
}

struct Launch {
    python: PathBuf,
    harness: PathBuf,
    generation: u64,
}

struct Worker {
    generation: u64,
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Deserialize)]
struct Started {
    pid: i32,
}

#[derive(Deserialize)]
struct Ended {
    code: Option<i32>,
    signal: Option<i32>,
}

impl Pool {
    /// A pool with one worker already starting, so the first run finds it warm.
    pub fn new(env: &PythonEnv) -> Pool {
        let pool = Pool {
            launch: Mutex::new(Launch {
                python: env.python.clone(),
                harness: env.harness(),
                generation: 0,
            }),
            idle: Mutex::new(Vec::new()),
        };
        pool.warm_up();
        pool
    }

    /// Starts a worker now, so the next run finds it warm.
    fn warm_up(&self) {
        if let Ok(worker) = self.take() {
            self.give_back(worker);
        }
    }

    /// Restarts the pool on `env`: idle workers of the old environment are stopped now, busy
    /// ones when their run ends, and a worker of the new one starts warming up.
    pub fn switch(&self, env: &PythonEnv) {
        {
            let mut launch = self.launch.lock().unwrap_or_else(|e| e.into_inner());
            launch.python = env.python.clone();
            launch.harness = env.harness();
            launch.generation += 1;
        }
        // Dropping a worker kills it.
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.warm_up();
    }

    fn take(&self) -> Result<Worker, String> {
        if let Some(worker) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(worker);
        }
        let (python, harness, generation) = {
            let launch = self.launch.lock().unwrap_or_else(|e| e.into_inner());
            (
                launch.python.clone(),
                launch.harness.clone(),
                launch.generation,
            )
        };
        let mut cmd = Command::new(&python);
        clean_env(&mut cmd);
        cmd.args(["-I", "-B"])
            .arg(&harness)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the Python worker: {e}"))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let (tx, replies) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            generation,
            child,
            stdin,
            replies,
        })
    }

    fn give_back(&self, worker: Worker) {
        let current = self
            .launch
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .generation;
        // A worker of an environment switched away from is dropped, which kills it.
        if worker.generation == current {
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(worker);
        }
    }

    /// The rule book's report on `request` (see `rules.py`), answered by a warm worker's parent
    /// without a fork; `None` when no worker could answer in time.
    pub fn rules(&self, request: &serde_json::Value) -> Option<String> {
        let mut worker = self.take().ok()?;
        writeln!(worker.stdin, "{}", serde_json::json!({ "rules": request }))
            .and_then(|()| worker.stdin.flush())
            .ok()?;
        let reply = worker.replies.recv_timeout(START_TIMEOUT).ok()?;
        self.give_back(worker);
        Some(reply)
    }

    /// Runs the tests in `folder` in a child of a warm worker, under `limits`, with `env` set
    /// in the child: each test for at most `per_test` seconds, and with `fail_fast`, no test
    /// after the first that fails.
    #[expect(clippy::too_many_arguments, reason = "one run's whole description")]
    pub fn run(
        &self,
        folder: &Path,
        tests: &str,
        results: &Path,
        (per_test, fail_fast): (f64, bool),
        env: &[(String, String)],
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Finished, String> {
        if supervisor.cancelled() {
            return Err("the check was cancelled".into());
        }
        let output = folder.join(".output");
        let request = serde_json::json!({
            "dir": folder,
            "test": tests,
            "results": results,
            "output": output,
            "timeout": per_test,
            "fail_fast": fail_fast,
            "memory": limits.memory_bytes,
            "env": env.iter().cloned().collect::<std::collections::HashMap<_, _>>(),
        });
        let mut worker = self.take()?;
        writeln!(worker.stdin, "{request}")
            .and_then(|()| worker.stdin.flush())
            .map_err(|e| format!("the Python worker stopped: {e}"))?;
        let pid = match worker.replies.recv_timeout(START_TIMEOUT) {
            Ok(line) => {
                serde_json::from_str::<Started>(&line)
                    .map_err(|_| format!("the Python worker answered {line:?}"))?
                    .pid
            }
            Err(_) => return Err("the Python worker did not answer".into()),
        };
        // The time limit is the check's own: it starts when the child does, not while a worker
        // that is still importing the frameworks (seconds on a busy machine) gets to the request.
        let started = Instant::now();
        let deadline = started + limits.timeout;
        let mut exit = None;
        let mut killed_at = None;
        let ended = loop {
            match worker.replies.recv_timeout(TICK) {
                Ok(line) => break Some(line),
                Err(RecvTimeoutError::Disconnected) => break None,
                Err(RecvTimeoutError::Timeout) => {
                    let late = Instant::now() >= deadline;
                    if (late || supervisor.cancelled()) && exit.is_none() {
                        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
                        exit = Some(Exit::TimedOut);
                        killed_at = Some(Instant::now());
                    }
                    // A worker that does not report its killed child is dropped.
                    if killed_at.is_some_and(|at| at.elapsed() > KILL_GRACE) {
                        break None;
                    }
                }
            }
        };
        let duration = started.elapsed();
        let ended = ended.and_then(|line| serde_json::from_str::<Ended>(&line).ok());
        // Whatever the child left running in its group goes with it.
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        let exit = match (exit, &ended) {
            (Some(timed_out), _) => timed_out,
            (
                None,
                Some(Ended {
                    code: Some(code), ..
                }),
            ) => Exit::Code(*code),
            (
                None,
                Some(Ended {
                    signal: Some(signal),
                    ..
                }),
            ) => Exit::Signal(*signal),
            (None, _) => return Err("the Python worker stopped during a run".into()),
        };
        if ended.is_some() {
            self.give_back(worker);
        }
        Ok(Finished {
            exit,
            output: read_capped(&output, limits.output_cap),
            duration,
        })
    }
}

fn read_capped(path: &Path, cap: usize) -> Captured {
    let Ok(file) = fs::File::open(path) else {
        return Captured::default();
    };
    let mut bytes = Vec::new();
    let _ = file.take(cap as u64 + 1).read_to_end(&mut bytes);
    let truncated = bytes.len() > cap;
    bytes.truncate(cap);
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if truncated {
        while text.len() > cap {
            text.pop();
        }
    }
    let _ = fs::remove_file(path);
    Captured { text, truncated }
}
