//! Running processes we do not trust, under one [`Supervisor`] per command.
//!
//! Every child gets its own process group, no stdin, a deadline after which the whole group is
//! killed, a cap on captured output, and optionally a memory limit and a control group. The
//! supervisor owns every group it started: it kills them when a run ends, when the command is
//! cancelled (Ctrl-C, SIGTERM, SIGHUP, or watch mode quitting mid-check) and when it is dropped,
//! so no build or learner program outlives the command on any exit path.
//!
//! All process handling lives here so that the rest of the engine never deals with signals.

use std::collections::BTreeSet;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::cgroup::Cgroup;
use crate::verdict::Captured;

/// Owns the processes one command starts. Clones share the same set; the last one dropped
/// kills whatever is still running.
#[derive(Clone, Debug, Default)]
pub struct Supervisor {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Process groups started and not yet killed.
    running: Mutex<BTreeSet<u32>>,
    cancelled: AtomicBool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let groups = std::mem::take(&mut *self.running.lock().unwrap_or_else(|e| e.into_inner()));
        for pid in groups {
            signal_group(pid);
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
        let groups: Vec<u32> = self.running().iter().copied().collect();
        for pid in groups {
            self.kill_group(pid);
        }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Cancels on SIGINT, SIGTERM and SIGHUP, so a command stops its children and unwinds
    /// (temporary folders removed, nothing half-written); a second signal exits at once.
    /// Watch mode handles signals itself and calls [`cancel`](Self::cancel).
    pub fn cancel_on_signals(&self) {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        // A weak handle: the signal thread must not keep the children's owner alive.
        let weak = Arc::downgrade(&self.inner);
        thread::spawn(move || {
            for signal in signals.forever() {
                match weak.upgrade() {
                    Some(inner) if !inner.cancelled.load(Ordering::SeqCst) => {
                        eprintln!("\nstopping: every program this command started is being killed");
                        Supervisor { inner }.cancel();
                    }
                    _ => std::process::exit(128 + signal),
                }
            }
        });
    }

    fn running(&self) -> std::sync::MutexGuard<'_, BTreeSet<u32>> {
        self.inner.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Kills every process in the group led by `pid` (which is also the group id).
    fn kill_group(&self, pid: u32) {
        self.running().remove(&pid);
        signal_group(pid);
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
                self.end(child.id());
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
    /// messages) and capturing stderr.
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
        let threads = Capture::start(stderr, limits.output_cap)
            .and_then(|capture| Ok((capture, Watchdog::start(self.clone(), pid, limits.timeout)?)));
        let (capture, deadline) = match threads {
            Ok(threads) => threads,
            Err(err) => {
                self.end(pid);
                return Err(err);
            }
        };
        let start = Instant::now();
        for line in BufReader::new(stdout).lines() {
            match line {
                Ok(line) => on_line(&line),
                Err(_) => break,
            }
        }
        let status = child.wait()?;
        let timed_out = deadline.stop();
        self.end(pid);
        let exit = if timed_out {
            Exit::TimedOut
        } else {
            Exit::from_status(status)
        };
        Ok(Finished {
            exit,
            output: capture.finish(),
            duration: start.elapsed(),
        })
    }

    fn spawn_child(&self, cmd: &mut Command, limits: &Limits) -> io::Result<Child> {
        if self.cancelled() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the check was cancelled",
            ));
        }
        cmd.stdin(Stdio::null()).process_group(0);
        if let Some(bytes) = limits.memory_bytes {
            // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
            unsafe {
                cmd.pre_exec(move || {
                    use nix::sys::resource::{Resource, setrlimit};
                    setrlimit(Resource::RLIMIT_AS, bytes, bytes).map_err(io::Error::from)
                });
            }
        }
        if let Some(group) = &limits.cgroup {
            let attach = group.attacher();
            // SAFETY: the attacher only makes `open` and `write` system calls on buffers made
            // before the fork; it allocates nothing.
            unsafe {
                cmd.pre_exec(move || attach.attach_self());
            }
        }
        // Holding the set's lock across the spawn means a concurrent `cancel` either sees this
        // group or runs before it and makes the check below fail.
        let mut running = self.running();
        let child = cmd.spawn()?;
        running.insert(child.id());
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
                Ok(status) => status.map(Exit::from_status).unwrap_or(Exit::Code(-1)),
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
            Ok(Some(status)) => return Some(Exit::from_status(status)),
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

fn signal_group(pid: u32) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

/// Limits for one process run.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    /// Bytes of output kept; the rest is read and dropped so the process never blocks on a pipe.
    pub output_cap: usize,
    /// Address-space limit in bytes (`RLIMIT_AS`) of each process, where the OS supports it.
    pub memory_bytes: Option<u64>,
    /// A control group that holds the run and everything it starts (grading, where the
    /// machine delegates cgroups): memory and process-count limits for the whole run, and a
    /// way to find processes that left the process group.
    pub cgroup: Option<Arc<Cgroup>>,
}

impl Limits {
    pub fn new(timeout: Duration, output_cap: usize) -> Limits {
        Limits {
            timeout,
            output_cap,
            memory_bytes: None,
            cgroup: None,
        }
    }
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
}

impl Exit {
    fn from_status(status: ExitStatus) -> Exit {
        use std::os::unix::process::ExitStatusExt;
        match (status.code(), status.signal()) {
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => Exit::Code(-1),
        }
    }
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

#[cfg(test)]
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

#[cfg(test)]
mod supervisor_tests {
    use super::*;

    fn alive(pid: u32) -> bool {
        nix::sys::signal::kill(Pid::from_raw(pid as i32), None).is_ok()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| s.split(' ').nth(2) == Some("Z"))
    }

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
        let groups: Vec<u32> = inner.running.lock().unwrap().iter().copied().collect();
        assert_eq!(groups, [pid]);
        drop(Inner {
            running: Mutex::new(groups.into_iter().collect()),
            cancelled: AtomicBool::new(false),
        });
        assert_eq!(handle.join().unwrap(), Exit::Signal(9));
        assert!(!alive(pid));
    }
}
