//! Running a process we do not trust: its own process group, no stdin, a deadline after which
//! the whole group is killed, a cap on captured output, and optionally a memory limit.
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

use crate::verdict::Captured;

/// Limits for one process run.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    /// Bytes of output kept; the rest is read and dropped so the process never blocks on a pipe.
    pub output_cap: usize,
    /// Address-space limit in bytes (`RLIMIT_AS`), where the OS supports it.
    pub memory_bytes: Option<u64>,
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

/// Runs `cmd` to completion under `limits`, capturing stdout and stderr together.
pub fn run(mut cmd: Command, limits: &Limits) -> io::Result<Finished> {
    let (reader, writer) = io::pipe()?;
    cmd.stdout(writer.try_clone()?).stderr(writer);
    let child = spawn(cmd, limits)?;
    let capture = Capture::start(reader, limits.output_cap);
    let (exit, duration) = wait(child, limits.timeout);
    Ok(Finished {
        exit,
        output: capture.finish(),
        duration,
    })
}

/// Runs `cmd`, handing each stdout line to `on_line` as it arrives (for cargo's JSON messages)
/// and capturing stderr.
pub fn run_streaming(
    mut cmd: Command,
    limits: &Limits,
    mut on_line: impl FnMut(&str),
) -> io::Result<Finished> {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = spawn_child(&mut cmd, limits)?;
    drop(cmd);
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let capture = Capture::start(stderr, limits.output_cap);
    let pid = child.id();
    let deadline = Watchdog::start(pid, limits.timeout);
    let start = Instant::now();
    for line in BufReader::new(stdout).lines() {
        match line {
            Ok(line) => on_line(&line),
            Err(_) => break,
        }
    }
    let status = child.wait()?;
    let timed_out = deadline.stop();
    kill_group(pid);
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

fn spawn(mut cmd: Command, limits: &Limits) -> io::Result<Child> {
    let child = spawn_child(&mut cmd, limits);
    // `cmd` holds our copies of the pipe's write end; drop them so the reader sees EOF.
    drop(cmd);
    child
}

fn spawn_child(cmd: &mut Command, limits: &Limits) -> io::Result<Child> {
    if cancelled() {
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
    let child = cmd.spawn()?;
    running().insert(child.id());
    // A cancel between the check above and the spawn must still stop this child.
    if cancelled() {
        kill_group(child.id());
    }
    Ok(child)
}

/// Process groups started and not yet killed, so an interactive caller can stop them all.
fn running() -> std::sync::MutexGuard<'static, BTreeSet<u32>> {
    static RUNNING: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

static CANCELLED: AtomicBool = AtomicBool::new(false);

/// Kills every running process group and refuses new ones, for good: watch mode calls this
/// when the learner quits during a check, so no build or learner program outlives the runner.
pub fn cancel_all() {
    CANCELLED.store(true, Ordering::SeqCst);
    let groups: Vec<u32> = running().iter().copied().collect();
    for pid in groups {
        kill_group(pid);
    }
}

/// Whether [`cancel_all`] was called; results obtained since are not trustworthy.
pub fn cancelled() -> bool {
    CANCELLED.load(Ordering::SeqCst)
}

/// Waits for `child` until `timeout`; kills its whole process group in every case, so no
/// descendant outlives the run.
fn wait(mut child: Child, timeout: Duration) -> (Exit, Duration) {
    let start = Instant::now();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let exit = match rx.recv_timeout(timeout) {
        Ok(status) => status.map(Exit::from_status).unwrap_or(Exit::Code(-1)),
        Err(_) => {
            kill_group(pid);
            let _ = rx.recv();
            Exit::TimedOut
        }
    };
    let duration = start.elapsed();
    kill_group(pid);
    (exit, duration)
}

/// Kills every process in the group led by `pid` (which is also the group id).
pub fn kill_group(pid: u32) {
    running().remove(&pid);
    if let Ok(pid) = i32::try_from(pid) {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

/// Kills a process group when a deadline passes, unless stopped first.
struct Watchdog {
    stop: mpsc::Sender<()>,
    fired: mpsc::Receiver<bool>,
}

impl Watchdog {
    fn start(pid: u32, timeout: Duration) -> Watchdog {
        let (stop, stopped) = mpsc::channel::<()>();
        let (fire, fired) = mpsc::channel();
        thread::spawn(move || {
            let timed_out = matches!(
                stopped.recv_timeout(timeout),
                Err(mpsc::RecvTimeoutError::Timeout)
            );
            if timed_out {
                kill_group(pid);
            }
            let _ = fire.send(timed_out);
        });
        Watchdog { stop, fired }
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
    fn start(mut pipe: impl Read + Send + 'static, cap: usize) -> Capture {
        let buffer = Arc::new(Mutex::new((Vec::new(), false)));
        let shared = Arc::clone(&buffer);
        let (tx, done) = mpsc::channel();
        thread::spawn(move || {
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
        });
        Capture { buffer, done }
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
        Limits {
            timeout: Duration::from_secs(secs),
            output_cap: cap,
            memory_bytes: None,
        }
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
