//! Process groups and signals: each child leads a process group of its own, and killing the
//! group (SIGKILL) kills every descendant that stayed in it.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use super::{Exit, Limits};

/// What the supervisor keeps for a running child besides its pid: nothing, the pid is also
/// the process group's id.
#[derive(Debug)]
pub(super) struct Group;

/// Sets up `cmd` to start in a process group of its own, with no stdin, under `limits`.
pub(super) fn prepare(cmd: &mut Command, limits: &Limits) {
    cmd.stdin(Stdio::null()).process_group(0);
    if let Some(bytes) = limits.memory_bytes {
        // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
        // macOS accepts RLIMIT_AS but does not enforce it: there the limit is advisory.
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
}

/// The child already leads its group when `spawn` returns.
pub(super) fn adopt(_child: &Child, _limits: &Limits) -> io::Result<Group> {
    Ok(Group)
}

/// Kills every process in the group led by `pid`, whether or not the supervisor still held it.
pub(super) fn kill(pid: u32, _group: Option<Group>) {
    if let Ok(pid) = i32::try_from(pid) {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

pub(super) fn exit_from(status: ExitStatus) -> Exit {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => Exit::Code(-1),
    }
}

/// Calls `handler` with the signal's number on each SIGINT, SIGTERM and SIGHUP, on a thread
/// of its own.
pub(super) fn on_termination(handler: impl Fn(i32) + Send + 'static) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    thread::spawn(move || {
        for signal in signals.forever() {
            handler(signal);
        }
    });
}

/// Whether `pid` still runs (a zombie, killed but not yet reaped, does not).
#[cfg(test)]
pub(super) fn alive(pid: u32) -> bool {
    nix::sys::signal::kill(Pid::from_raw(pid as i32), None).is_ok()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.split(' ').nth(2) == Some("Z"))
}
