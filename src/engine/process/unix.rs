//! Process groups and signals: each child leads a process group of its own, and killing the
//! group (SIGKILL) kills every descendant that stayed in it.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

#[cfg(target_os = "linux")]
use super::Identity;
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
    // Last: attaching to the control group needs the grader's rights.
    #[cfg(target_os = "linux")]
    if let Some(identity) = limits.identity {
        switch_identity(cmd, identity);
    }
}

/// The child drops to `identity` before it runs its program: supplementary groups, group, then
/// user (in that order: after `setuid` nothing else may be changed), umask 022, and a limit on
/// that user's processes.
#[cfg(target_os = "linux")]
pub(super) fn switch_identity(cmd: &mut Command, identity: Identity) {
    use nix::sys::resource::{Resource, setrlimit};
    use nix::sys::stat::{Mode, umask};
    use nix::unistd::{Gid, Uid, setgid, setgroups, setuid};
    // SAFETY: setgroups, setgid, setuid, umask and setrlimit are async-signal-safe system calls
    // on values made before the fork; nothing is allocated.
    unsafe {
        cmd.pre_exec(move || {
            let gid = Gid::from_raw(identity.gid);
            setgroups(&[gid])?;
            setgid(gid)?;
            setrlimit(
                Resource::RLIMIT_NPROC,
                Identity::PROCESSES,
                Identity::PROCESSES,
            )?;
            setuid(Uid::from_raw(identity.uid))?;
            umask(Mode::from_bits_truncate(0o022));
            Ok(())
        });
    }
}

/// Kills every process of user `uid` (what a learner left running, even outside its process
/// group): a child that became `uid` sends SIGKILL to every process it may signal, which are
/// exactly that user's, and then itself.
#[cfg(target_os = "linux")]
pub fn kill_user(uid: u32) -> io::Result<()> {
    use nix::sys::signal::kill;
    use nix::sys::wait::waitpid;
    use nix::unistd::{ForkResult, Uid, fork, setuid};
    // SAFETY: the child only makes async-signal-safe system calls and leaves with `_exit`.
    match unsafe { fork() }.map_err(io::Error::from)? {
        ForkResult::Child => {
            if setuid(Uid::from_raw(uid)).is_ok() {
                let _ = kill(Pid::from_raw(-1), Signal::SIGKILL);
            }
            // SAFETY: ends the forked child without running the parent's destructors.
            unsafe { nix::libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            waitpid(child, None).map_err(io::Error::from)?;
            Ok(())
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
