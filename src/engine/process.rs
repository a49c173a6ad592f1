//! Running processes we do not trust, under one [`Supervisor`] per command.
//!
//! Every child gets its own process group, no stdin, a deadline after which the whole group is
//! killed, a cap on captured output, and optionally a memory limit and a control group. The
//! supervisor owns every group it started: it kills them when a run ends, when the command is
//! cancelled (Ctrl-C, SIGTERM, SIGHUP, or watch mode quitting mid-check) and when it is dropped,
//! so no build or learner program outlives the command on any exit path.
//!
//! All process handling lives here so that the rest of the engine never deals with signals.
//! What differs between systems is in one module per platform behind the same calls: process
//! groups and signals on Unix (`unix.rs`), Job Objects and console events on Windows
//! (`windows.rs`).

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::cgroup::Cgroup;
use crate::verdict::Captured;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as sys;
#[cfg(target_os = "linux")]
pub use unix::kill_user;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as sys;

/// Owns the processes one command starts. Clones share the same set; the last one dropped
/// kills whatever is still running.
#[derive(Clone, Debug, Default)]
pub struct Supervisor {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Process groups (jobs on Windows) started and not yet killed, by their leader's pid.
    running: Mutex<BTreeMap<u32, sys::Group>>,
    cancelled: AtomicBool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let groups = std::mem::take(&mut *self.running.lock().unwrap_or_else(|e| e.into_inner()));
        for (pid, group) in groups {
            sys::kill(pid, Some(group));
        }
    }
}

impl Supervisor {
    pub fn new() -> Supervisor {
        Supervisor::default()
    }

    /// Kills every running process group and refuses new ones, for good: results obtained
    /// since are not trustworthy and must not be cached or reported.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        let groups: Vec<u32> = self.running().keys().copied().collect();
        for pid in groups {
            self.kill_group(pid);
        }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Cancels on SIGINT, SIGTERM and SIGHUP (Ctrl-C, Ctrl-Break and the console closing on
    /// Windows), so a command stops its children and unwinds (temporary folders removed,
    /// nothing half-written); a second signal exits at once. Watch mode handles signals itself
    /// and calls [`cancel`](Self::cancel).
    pub fn cancel_on_signals(&self) {
        // A weak handle: the signal thread must not keep the children's owner alive.
        let weak = Arc::downgrade(&self.inner);
        on_termination_signals(move |signal| match weak.upgrade() {
            Some(inner) if !inner.cancelled.load(Ordering::SeqCst) => {
                eprintln!("\nstopping: every program this command started is being killed");
                Supervisor { inner }.cancel();
            }
            _ => std::process::exit(128 + signal),
        });
    }

    fn running(&self) -> std::sync::MutexGuard<'_, BTreeMap<u32, sys::Group>> {
        self.inner.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Kills every process in the group led by `pid` (which is also the group id).
    fn kill_group(&self, pid: u32) {
        let group = self.running().remove(&pid);
        sys::kill(pid, group);
    }

    /// Runs `cmd` to completion under `limits`, capturing stdout and stderr together.
    pub fn run(&self, mut cmd: Command, limits: &Limits) -> io::Result<Finished> {
        let (reader, writer) = io::pipe()?;
        cmd.stdout(writer.try_clone()?).stderr(writer);
        let child = self.spawn_child(&mut cmd, limits);
        // `cmd` holds our copies of the pipe's write end; drop them so the reader sees EOF.
        drop(cmd);
        let child = child?;
        let capture = match Capture::start(reader, limits.output_cap) {
            Ok(capture) => capture,
            Err(err) => {
                self.abandon(child);
                return Err(err);
            }
        };
        let (exit, duration) = self.wait(child, limits);
        Ok(Finished {
            exit,
            output: capture.finish(),
            duration,
        })
    }

    /// Runs `cmd`, handing each stdout line to `on_line` as it arrives (for cargo's JSON
    /// messages) and capturing stderr. Once the process ended (or was killed at its deadline),
    /// stdout gets [`DRAIN_GRACE`] to close: a descendant that left the process group
    /// (`setsid`) may hold it open for ever.
    pub fn run_streaming(
        &self,
        mut cmd: Command,
        limits: &Limits,
        mut on_line: impl FnMut(&str),
    ) -> io::Result<Finished> {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.spawn_child(&mut cmd, limits)?;
        drop(cmd);
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let pid = child.id();
        let (tx, rx) = mpsc::channel();
        let started = Capture::start(stderr, limits.output_cap).and_then(|capture| {
            let deadline = Watchdog::start(self.clone(), pid, limits.timeout)?;
            let lines = tx.clone();
            thread::Builder::new().spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if lines.send(Streamed::Line(line)).is_err() {
                        break;
                    }
                }
            })?;
            Ok((capture, deadline))
        });
        let (capture, deadline) = match started {
            Ok(threads) => threads,
            Err(err) => {
                self.abandon(child);
                return Err(err);
            }
        };
        let waiter = thread::Builder::new().spawn(move || {
            let _ = tx.send(Streamed::Exited(child.wait()));
        });
        if let Err(err) = waiter {
            // The child went into the failed thread's closure: only its group can be ended.
            let _ = deadline.stop();
            self.end(pid);
            return Err(err);
        }
        let start = Instant::now();
        let mut status = None;
        let mut drain_until: Option<Instant> = None;
        loop {
            let message = match drain_until {
                None => rx.recv().ok(),
                Some(until) => rx
                    .recv_timeout(until.saturating_duration_since(Instant::now()))
                    .ok(),
            };
            match message {
                Some(Streamed::Line(line)) => on_line(&line),
                Some(Streamed::Exited(exited)) => {
                    status = Some(exited);
                    drain_until = Some(Instant::now() + DRAIN_GRACE);
                }
                // Both the reader and the waiter are done, or the grace is over.
                None => break,
            }
        }
        let timed_out = deadline.stop();
        self.end(pid);
        let status = status.expect("the waiter reports before the channel closes")?;
        let exit = if timed_out {
            Exit::TimedOut
        } else {
            sys::exit_from(status)
        };
        Ok(Finished {
            exit,
            output: capture.finish(),
            duration: start.elapsed(),
        })
    }

    /// Stops a child whose run could not be set up: its group is killed and the child reaped,
    /// so no zombie is left behind.
    fn abandon(&self, mut child: Child) {
        self.end(child.id());
        let _ = child.kill();
        let _ = child.wait();
    }

    fn spawn_child(&self, cmd: &mut Command, limits: &Limits) -> io::Result<Child> {
        if self.cancelled() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the check was cancelled",
            ));
        }
        sys::prepare(cmd, limits);
        // Holding the set's lock across the spawn means a concurrent `cancel` either sees this
        // group or runs before it and makes the check below fail.
        let mut running = self.running();
        let mut child = cmd.spawn()?;
        match sys::adopt(&child, limits) {
            Ok(group) => running.insert(child.id(), group),
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(err);
            }
        };
        drop(running);
        // A cancel between the check above and the spawn must still stop this child.
        if self.cancelled() {
            self.kill_group(child.id());
        }
        Ok(child)
    }

    /// Waits for `child` until the timeout; kills its whole process group in every case, so no
    /// descendant outlives the run.
    fn wait(&self, child: Child, limits: &Limits) -> (Exit, Duration) {
        let start = Instant::now();
        let pid = child.id();
        let child = Arc::new(Mutex::new(child));
        let (tx, rx) = mpsc::channel();
        let waiter = Arc::clone(&child);
        let waiting = thread::Builder::new().spawn(move || {
            let status = waiter.lock().unwrap_or_else(|e| e.into_inner()).wait();
            let _ = tx.send(status);
        });
        let exit = if waiting.is_ok() {
            match rx.recv_timeout(limits.timeout) {
                Ok(status) => status.map(sys::exit_from).unwrap_or(Exit::Code(-1)),
                Err(_) => {
                    self.kill_group(pid);
                    let _ = rx.recv();
                    Exit::TimedOut
                }
            }
        } else {
            // No thread to spare (a learner's fork bomb can exhaust them): poll instead.
            poll_until(
                &mut child.lock().unwrap_or_else(|e| e.into_inner()),
                start + limits.timeout,
            )
            .unwrap_or_else(|| {
                self.kill_group(pid);
                Exit::TimedOut
            })
        };
        let duration = start.elapsed();
        self.end(pid);
        (exit, duration)
    }

    /// After a run its process group is killed. Processes that left the group (`setsid`) are
    /// the sandbox's to stop: its PID namespace dies with the run, and the learner's control
    /// group is emptied when the learner is done (other runs of the learner share it).
    fn end(&self, pid: u32) {
        self.kill_group(pid);
    }
}

/// Waits for `child` by polling until `deadline`; `None` when it passed.
fn poll_until(child: &mut Child, deadline: Instant) -> Option<Exit> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(sys::exit_from(status)),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Err(_) => return Some(Exit::Code(-1)),
        }
    }
}

/// Calls `handler` on a thread of its own each time the command is asked to stop: SIGINT,
/// SIGTERM and SIGHUP on Unix; Ctrl-C, Ctrl-Break and the console closing on Windows (with the
/// numbers of SIGINT and SIGHUP). Does nothing when the handler cannot be installed.
pub fn on_termination_signals(handler: impl Fn(i32) + Send + 'static) {
    sys::on_termination(handler);
}

/// Limits for one process run.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    /// Bytes of output kept; the rest is read and dropped so the process never blocks on a pipe.
    pub output_cap: usize,
    /// Memory limit in bytes of each process: its address space (`RLIMIT_AS`) on Unix, which
    /// macOS accepts but does not enforce; its committed memory (a Job Object limit) on Windows.
    pub memory_bytes: Option<u64>,
    /// A control group that holds the run and everything it starts (grading, where the
    /// machine delegates cgroups): memory and process-count limits for the whole run, and a
    /// way to find processes that left the process group.
    #[cfg_attr(windows, allow(dead_code, reason = "control groups are Linux's"))]
    pub cgroup: Option<Arc<Cgroup>>,
    /// The unprivileged user the process runs as (grading as root, Unix only): see
    /// [`Identity`].
    #[cfg_attr(
        not(target_os = "linux"),
        allow(dead_code, reason = "grade switches users on Linux only")
    )]
    pub identity: Option<Identity>,
}

/// A user and group a process is switched to just before it starts its program: no
/// supplementary groups, a umask that lets nobody else write what it creates, and at most
/// [`Identity::PROCESSES`] processes of that user at once. Only a grader running as root can
/// switch; `grade` uses it to run learner builds and programs under uids of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    pub uid: u32,
    pub gid: u32,
}

impl Identity {
    /// Processes (and threads) one learner user may have at once: a fork bomb's limit where
    /// control groups are not available.
    #[cfg(target_os = "linux")]
    pub const PROCESSES: u64 = 512;

    /// Makes `cmd` start as this identity (after every other preparation of the child). Linux
    /// only: nowhere else does `grade` switch users.
    #[cfg(target_os = "linux")]
    pub fn apply(self, cmd: &mut Command) {
        sys::switch_identity(cmd, self);
    }
}

impl Limits {
    pub fn new(timeout: Duration, output_cap: usize) -> Limits {
        Limits {
            timeout,
            output_cap,
            memory_bytes: None,
            cgroup: None,
            identity: None,
        }
    }
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    /// Killed by a signal (Unix only: a killed process on Windows ends with an exit code).
    #[cfg_attr(windows, allow(dead_code))]
    Signal(i32),
    TimedOut,
}

#[derive(Debug)]
pub struct Finished {
    pub exit: Exit,
    /// stdout and stderr interleaved as the process wrote them (stderr only, when streaming).
    pub output: Captured,
    pub duration: Duration,
}

/// After the main process ends, how long to wait for the output pipe to drain. A grandchild
/// that left the process group could hold the pipe open forever; we stop waiting for it.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// What the threads of [`Supervisor::run_streaming`] report.
enum Streamed {
    Line(String),
    Exited(io::Result<std::process::ExitStatus>),
}

/// Kills a process group when a deadline passes, unless stopped first.
struct Watchdog {
    stop: mpsc::Sender<()>,
    fired: mpsc::Receiver<bool>,
}

impl Watchdog {
    fn start(supervisor: Supervisor, pid: u32, timeout: Duration) -> io::Result<Watchdog> {
        let (stop, stopped) = mpsc::channel::<()>();
        let (fire, fired) = mpsc::channel();
        thread::Builder::new().spawn(move || {
            let timed_out = matches!(
                stopped.recv_timeout(timeout),
                Err(mpsc::RecvTimeoutError::Timeout)
            );
            if timed_out {
                supervisor.kill_group(pid);
            }
            let _ = fire.send(timed_out);
        })?;
        Ok(Watchdog { stop, fired })
    }

    /// Returns whether the deadline had passed.
    fn stop(self) -> bool {
        let _ = self.stop.send(());
        self.fired.recv().unwrap_or(false)
    }
}

/// Reads a pipe to its end on a thread, keeping at most `cap` bytes.
struct Capture {
    buffer: Arc<Mutex<(Vec<u8>, bool)>>,
    done: mpsc::Receiver<()>,
}

impl Capture {
    fn start(mut pipe: impl Read + Send + 'static, cap: usize) -> io::Result<Capture> {
        let buffer = Arc::new(Mutex::new((Vec::new(), false)));
        let shared = Arc::clone(&buffer);
        let (tx, done) = mpsc::channel();
        thread::Builder::new().spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => {
                        let mut guard = shared.lock().unwrap_or_else(|e| e.into_inner());
                        let (kept, truncated) = &mut *guard;
                        let room = cap.saturating_sub(kept.len());
                        kept.extend_from_slice(&chunk[..n.min(room)]);
                        *truncated |= n > room;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = tx.send(());
        })?;
        Ok(Capture { buffer, done })
    }

    fn finish(self) -> Captured {
        let _ = self.done.recv_timeout(DRAIN_GRACE);
        let guard = self.buffer.lock().unwrap_or_else(|e| e.into_inner());
        Captured {
            text: String::from_utf8_lossy(&guard.0).into_owned(),
            truncated: guard.1,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn limits(secs: u64, cap: usize) -> Limits {
        Limits::new(Duration::from_secs(secs), cap)
    }

    fn run(cmd: Command, limits: &Limits) -> io::Result<Finished> {
        Supervisor::new().run(cmd, limits)
    }

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(script);
        cmd
    }

    #[test]
    fn captures_both_streams_and_exit_code() {
        let done = run(sh("echo out; echo err >&2; exit 3"), &limits(5, 1024)).unwrap();
        assert_eq!(done.exit, Exit::Code(3));
        assert!(done.output.text.contains("out\n") && done.output.text.contains("err\n"));
        assert!(!done.output.truncated);
    }

    #[test]
    fn caps_a_flood_of_output() {
        let done = run(sh("yes flood | head -c 1000000"), &limits(5, 4096)).unwrap();
        assert_eq!(done.output.text.len(), 4096);
        assert!(done.output.truncated);
    }

    #[test]
    fn timeout_kills_the_whole_group() {
        let done = run(sh("sleep 30 & sleep 31"), &limits(1, 1024)).unwrap();
        assert_eq!(done.exit, Exit::TimedOut);
        assert!(done.duration < Duration::from_secs(10));
    }

    /// A descendant that left the process group (`setsid`) holds cargo's stdout open: the
    /// streaming run (a build) still ends at its deadline, after the drain grace.
    #[test]
    fn a_streaming_run_ends_at_its_deadline_whatever_holds_stdout() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let script = format!(
            "setsid sleep 600 & echo $! > {}; echo line; sleep 100",
            pid_file.display()
        );
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = Vec::new();
            let done = Supervisor::new()
                .run_streaming(sh(&script), &limits(2, 1024), |l| lines.push(l.to_string()));
            let _ = tx.send((done.map(|d| d.exit).ok(), lines));
        });
        // Generous: only a run that waits for the holder (600 s) misses it.
        let result = rx.recv_timeout(Duration::from_secs(120));
        if let Some(pid) = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|t| t.trim().parse::<i32>().ok())
        {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let (exit, lines) = result.expect("the run outlived its deadline");
        assert_eq!(exit, Some(Exit::TimedOut));
        assert_eq!(lines, ["line"]);
    }

    /// A child whose run could not be set up is reaped, not left a zombie (a zombie keeps its
    /// `/proc` entry until its parent waits for it).
    #[cfg(target_os = "linux")]
    #[test]
    fn an_abandoned_child_leaves_no_zombie() {
        let supervisor = Supervisor::new();
        let child = supervisor
            .spawn_child(&mut sh("sleep 30"), &limits(60, 64))
            .unwrap();
        let pid = child.id();
        supervisor.abandon(child);
        assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists());
    }

    #[test]
    fn leftover_children_are_killed_when_the_main_process_exits() {
        // The background sleep keeps the pipe open; without the group kill this would hang.
        let done = run(sh("sleep 30 & echo started"), &limits(20, 1024)).unwrap();
        assert_eq!(done.exit, Exit::Code(0));
        assert!(
            done.duration < Duration::from_secs(10),
            "{:?}",
            done.duration
        );
    }
}

#[cfg(all(test, unix))]
mod supervisor_tests {
    use super::sys::alive;
    use super::*;

    /// Starts `sleep` in its own process group under `supervisor`, from another thread, and
    /// returns its pid once it runs.
    fn start_sleeper(supervisor: &Supervisor) -> (u32, thread::JoinHandle<Exit>) {
        let dir = tempfile::tempdir().unwrap().keep();
        let pid_file = dir.join("pid");
        let supervisor = supervisor.clone();
        let script = format!("echo $$ > {}; exec sleep 60", pid_file.display());
        let handle = thread::spawn(move || {
            let mut cmd = Command::new("sh");
            cmd.arg("-c").arg(script);
            supervisor
                .run(cmd, &Limits::new(Duration::from_secs(120), 1024))
                .map_or(Exit::Code(-1), |f| f.exit)
        });
        for _ in 0..500 {
            if let Some(pid) = std::fs::read_to_string(&pid_file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return (pid, handle);
            }
            thread::sleep(Duration::from_millis(10));
        }
        panic!("the sleeper did not start");
    }

    #[test]
    fn cancel_kills_what_runs_and_refuses_more() {
        let supervisor = Supervisor::new();
        let (pid, handle) = start_sleeper(&supervisor);
        supervisor.cancel();
        assert_eq!(handle.join().unwrap(), Exit::Signal(9));
        assert!(!alive(pid));
        let refused = supervisor.run(
            Command::new("true"),
            &Limits::new(Duration::from_secs(5), 64),
        );
        assert_eq!(
            refused.err().map(|e| e.kind()),
            Some(io::ErrorKind::Interrupted)
        );
    }

    #[test]
    fn dropping_the_supervisor_kills_its_children() {
        let supervisor = Supervisor::new();
        let (pid, handle) = start_sleeper(&supervisor);
        // The running thread holds a clone; only the last drop kills. Simulate the command
        // unwinding: every handle goes away while the child still runs.
        let inner = Arc::clone(&supervisor.inner);
        drop(supervisor);
        assert!(alive(pid), "a clone still owns it");
        let groups = std::mem::take(&mut *inner.running.lock().unwrap());
        assert_eq!(groups.keys().copied().collect::<Vec<_>>(), [pid]);
        drop(Inner {
            running: Mutex::new(groups),
            cancelled: AtomicBool::new(false),
        });
        assert_eq!(handle.join().unwrap(), Exit::Signal(9));
        assert!(!alive(pid));
    }
}

/// Tests that run on every platform (`scripts/test-windows.sh` runs them under Wine): the
/// children are this test binary itself, started as [`child_program`](portable_tests::child_program)
/// in one of a few roles, so they need no shell.
#[cfg(test)]
mod portable_tests {
    use std::path::{Path, PathBuf};

    use super::sys::alive;
    use super::*;

    const ROLE: &str = "BACKENDLINGS_TEST_CHILD";
    const DIR: &str = "BACKENDLINGS_TEST_CHILD_DIR";

    /// Not a test: the program the tests below start. `talk` writes to both streams and exits
    /// with 3; `sleep` records its pid and sleeps; `tree` starts a `sleep` child, waits until
    /// it runs, records its own pid and sleeps; `leave` does the same but exits at once.
    #[test]
    #[ignore = "started by the other tests as a child process"]
    #[allow(
        clippy::zombie_processes,
        reason = "`leave` leaves its child behind on purpose"
    )]
    fn child_program() {
        let Ok(role) = std::env::var(ROLE) else {
            return;
        };
        let dir = PathBuf::from(std::env::var_os(DIR).unwrap_or_default());
        match role.as_str() {
            "talk" => {
                println!("out");
                eprintln!("err");
                std::process::exit(3);
            }
            "sleep" => {
                std::fs::write(dir.join("grandchild.pid"), std::process::id().to_string()).unwrap();
                // Longer than any wait below, so only a kill ends it in time.
                thread::sleep(Duration::from_secs(300));
            }
            "tree" | "leave" => {
                let mut grandchild = child("sleep", &dir).stdout(Stdio::null()).spawn().unwrap();
                read_pid(&dir.join("grandchild.pid"));
                std::fs::write(dir.join("child.pid"), std::process::id().to_string()).unwrap();
                if role == "tree" {
                    let _ = grandchild.wait();
                }
                println!("started");
            }
            other => panic!("unknown role {other}"),
        }
        std::process::exit(0);
    }

    /// This test binary, to run as [`child_program`] in `role`.
    fn child(role: &str, dir: &Path) -> Command {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args([
            "--exact",
            "engine::process::portable_tests::child_program",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(ROLE, role)
        .env(DIR, dir);
        cmd
    }

    /// Waits (a minute at most) for a pid file to be written.
    fn read_pid(file: &Path) -> u32 {
        for _ in 0..6000 {
            if let Some(pid) = std::fs::read_to_string(file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                return pid;
            }
            thread::sleep(Duration::from_millis(10));
        }
        panic!("{} was not written", file.display());
    }

    /// Whether `pid` ends within a minute (killing is asynchronous on both systems).
    fn ends(pid: u32) -> bool {
        (0..6000).any(|_| {
            let gone = !alive(pid);
            if !gone {
                thread::sleep(Duration::from_millis(10));
            }
            gone
        })
    }

    fn limits(secs: u64) -> Limits {
        Limits::new(Duration::from_secs(secs), 4096)
    }

    #[test]
    fn captures_both_streams_and_the_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let done = Supervisor::new()
            .run(child("talk", dir.path()), &limits(120))
            .unwrap();
        assert_eq!(done.exit, Exit::Code(3), "{}", done.output.text);
        assert!(done.output.text.contains("out") && done.output.text.contains("err"));
    }

    #[test]
    fn the_timeout_kills_the_whole_tree() {
        // The deadline must pass after the tree is up: give a slow machine (or Wine) longer
        // until it is.
        for secs in [3, 15, 60] {
            let dir = tempfile::tempdir().unwrap();
            let done = Supervisor::new()
                .run(child("tree", dir.path()), &limits(secs))
                .unwrap();
            assert_eq!(done.exit, Exit::TimedOut);
            // Without the kill, the run would last until the grandchild's sleep (300 s) is over.
            assert!(
                done.duration < Duration::from_secs(200),
                "{:?}",
                done.duration
            );
            if !dir.path().join("child.pid").is_file() {
                continue;
            }
            let child = read_pid(&dir.path().join("child.pid"));
            let grandchild = read_pid(&dir.path().join("grandchild.pid"));
            assert!(ends(child), "the child survived the timeout");
            assert!(ends(grandchild), "the grandchild survived the timeout");
            return;
        }
        panic!("the process tree did not start within a minute");
    }

    #[test]
    fn what_the_child_leaves_behind_is_killed_when_it_exits() {
        let dir = tempfile::tempdir().unwrap();
        let done = Supervisor::new()
            .run(child("leave", dir.path()), &limits(120))
            .unwrap();
        assert_eq!(done.exit, Exit::Code(0), "{}", done.output.text);
        let grandchild = read_pid(&dir.path().join("grandchild.pid"));
        assert!(ends(grandchild), "the grandchild outlived the run");
    }

    /// Starts a `tree` under `supervisor` on another thread; returns both pids once it runs.
    fn start_tree(
        supervisor: &Supervisor,
        dir: &Path,
    ) -> (u32, u32, thread::JoinHandle<io::Result<Finished>>) {
        let supervisor = supervisor.clone();
        let cmd = child("tree", dir);
        let handle = thread::spawn(move || supervisor.run(cmd, &limits(300)));
        let child = read_pid(&dir.join("child.pid"));
        (child, read_pid(&dir.join("grandchild.pid")), handle)
    }

    #[test]
    fn cancel_kills_the_tree_and_refuses_more() {
        let dir = tempfile::tempdir().unwrap();
        let supervisor = Supervisor::new();
        let (child_pid, grandchild, handle) = start_tree(&supervisor, dir.path());
        supervisor.cancel();
        let exit = handle.join().unwrap().unwrap().exit;
        assert!(!matches!(exit, Exit::Code(0) | Exit::TimedOut), "{exit:?}");
        assert!(ends(child_pid) && ends(grandchild));
        let refused = supervisor.run(child("talk", dir.path()), &limits(120));
        assert_eq!(
            refused.err().map(|e| e.kind()),
            Some(io::ErrorKind::Interrupted)
        );
    }

    #[test]
    fn the_last_handle_dropped_kills_the_tree() {
        let dir = tempfile::tempdir().unwrap();
        let supervisor = Supervisor::new();
        let (child_pid, grandchild, handle) = start_tree(&supervisor, dir.path());
        let inner = Arc::clone(&supervisor.inner);
        drop(supervisor);
        assert!(alive(grandchild), "a clone still owns it");
        // What the last drop does, without waiting for the running thread's clone to go.
        let groups = std::mem::take(&mut *inner.running.lock().unwrap());
        drop(Inner {
            running: Mutex::new(groups),
            cancelled: AtomicBool::new(false),
        });
        // The tree ends by itself only when its grandchild's sleep is over, with code 0.
        let exit = handle.join().unwrap().unwrap().exit;
        assert!(!matches!(exit, Exit::Code(0) | Exit::TimedOut), "{exit:?}");
        assert!(ends(child_pid) && ends(grandchild));
    }
}

/// Processes in a control group: here rather than in `cgroup.rs`, whose tests would otherwise
/// import the supervisor that imports them.
#[cfg(all(test, unix))]
mod cgroup_tests {
    use std::process::Command;
    use std::sync::Arc;

    use super::super::cgroup::Cgroup;
    use super::*;

    #[test]
    fn a_fork_bomb_stops_at_the_process_limit_and_nothing_survives() {
        let name = format!("backendlings-test-{}", std::process::id());
        let Some(group) = Cgroup::create(&name, 256 * 1024 * 1024, 20) else {
            // Under CI a missing delegation would make this test pass without testing.
            assert!(
                std::env::var_os("CI").is_none(),
                "this machine does not delegate cgroups: run CI as root or with a delegated \
                 cgroup (systemd-run --user -p Delegate=yes)"
            );
            eprintln!("skipped: this machine does not delegate cgroups");
            return;
        };
        let group = Arc::new(group);
        // Long enough for the forks on a loaded machine: the shell waits for its children, so
        // the run always ends at this limit.
        let mut limits = Limits::new(Duration::from_secs(10), 4096);
        limits.cgroup = Some(Arc::clone(&group));
        // Forks until it cannot, and leaves its process group so killpg misses the children.
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("for i in $(seq 60); do setsid sleep 30 & done 2>/dev/null; wait");
        Supervisor::new().run(cmd, &limits).unwrap();
        let survivors = group.pids();
        assert!(
            !survivors.is_empty(),
            "setsid children left the process group and survived it"
        );
        assert!(survivors.len() <= 20, "{survivors:?}");
        group.kill_all();
        assert!(group.pids().is_empty());
    }
}
