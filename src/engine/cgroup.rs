//! Control groups for grading, where the machine lets us create them: one group per learner
//! holds every process of that learner's build and runs, so memory and the number of processes
//! are limited for the learner as a whole (a fork bomb stops at the limit instead of starving
//! the grader), and processes that left their process group can still be found and killed.
//!
//! Both cgroup v2 (one unified tree) and v1 (a `memory` and a `pids` tree) are handled. Where
//! neither can be written (no delegation, another OS), [`Cgroup::create`] returns `None` and the
//! per-process limits (`RLIMIT_AS`) are all there is; the grading report says so.

// Control groups are Linux's: on Windows no group is ever made, and nothing joins one.
#![cfg_attr(windows, allow(dead_code))]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[cfg(unix)]
use nix::sys::signal::{Signal, kill};
#[cfg(unix)]
use nix::unistd::Pid;

const ROOT: &str = "/sys/fs/cgroup";

#[derive(Debug)]
pub struct Cgroup {
    /// The group's folder in each hierarchy it lives in.
    dirs: Vec<PathBuf>,
}

/// What a child needs to join the group between `fork` and `exec`, made in advance.
pub struct Attacher {
    procs: Vec<PathBuf>,
}

impl Attacher {
    /// Moves the calling process into the group. Called between `fork` and `exec`, where
    /// nothing may allocate: std opens short paths through a buffer on the stack, and the
    /// paths are checked to be short when the attacher is made.
    pub fn attach_self(&self) -> std::io::Result<()> {
        use std::io::Write;
        for path in &self.procs {
            fs::OpenOptions::new()
                .write(true)
                .open(path)?
                .write_all(b"0")?;
        }
        Ok(())
    }
}

impl Cgroup {
    /// A new group named `name` below the one this process is in, limited to `memory_bytes`
    /// of memory and `max_processes` processes; `None` when the machine does not let us.
    pub fn create(name: &str, memory_bytes: u64, max_processes: u64) -> Option<Cgroup> {
        let own = fs::read_to_string("/proc/self/cgroup").ok()?;
        let unified = Path::new(ROOT).join("cgroup.controllers").is_file();
        let mut group = Cgroup { dirs: Vec::new() };
        if unified {
            let parent = own.lines().find_map(|l| l.strip_prefix("0::"))?;
            let dir = Path::new(ROOT)
                .join(parent.trim_start_matches('/'))
                .join(name);
            fs::create_dir(&dir).ok()?;
            group.dirs.push(dir.clone());
            fs::write(dir.join("memory.max"), memory_bytes.to_string()).ok()?;
            fs::write(dir.join("pids.max"), max_processes.to_string()).ok()?;
            let _ = fs::write(dir.join("memory.swap.max"), "0");
        } else {
            for (controller, file, value) in [
                ("memory", "memory.limit_in_bytes", memory_bytes),
                ("pids", "pids.max", max_processes),
            ] {
                let parent = own.lines().find_map(|line| {
                    let mut parts = line.splitn(3, ':');
                    let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
                    controllers
                        .split(',')
                        .any(|c| c == controller)
                        .then_some(path)
                })?;
                let dir = Path::new(ROOT)
                    .join(controller)
                    .join(parent.trim_start_matches('/'))
                    .join(name);
                fs::create_dir(&dir).ok()?;
                group.dirs.push(dir.clone());
                fs::write(dir.join(file), value.to_string()).ok()?;
            }
        }
        Some(group)
    }

    pub fn attacher(&self) -> Attacher {
        Attacher {
            procs: self
                .dirs
                .iter()
                .map(|d| d.join("cgroup.procs"))
                // std's stack buffer for paths holds 384 bytes.
                .filter(|p| p.as_os_str().len() < 300)
                .collect(),
        }
    }

    /// Kills every process in the group, until none is left (a process may fork while we
    /// read the list; it cannot outrun repeated passes for long).
    pub fn kill_all(&self) {
        for _ in 0..100 {
            let pids = self.pids();
            if pids.is_empty() {
                return;
            }
            // Control groups are Linux's; elsewhere no group is ever created.
            #[cfg(unix)]
            for pid in pids {
                let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub(super) fn pids(&self) -> Vec<i32> {
        let mut pids: Vec<i32> = self
            .dirs
            .iter()
            .filter_map(|d| fs::read_to_string(d.join("cgroup.procs")).ok())
            .flat_map(|t| {
                t.lines()
                    .filter_map(|l| l.trim().parse().ok())
                    .collect::<Vec<_>>()
            })
            .collect();
        pids.sort_unstable();
        pids.dedup();
        pids
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        self.kill_all();
        for dir in &self.dirs {
            // The kernel empties a group a moment after its last process dies.
            for _ in 0..50 {
                if fs::remove_dir(dir).is_ok() || !dir.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}
