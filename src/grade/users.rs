//! The users learner code runs as when the grader runs as root (Unix only).
//!
//! Every learner graded at the same time has a *slot* (one per parallel job) and each slot two
//! users of its own, numbered from a base (`--learner-uid`, 65000 by default; no account needs
//! to exist: the kernel runs a process under any number):
//!
//! - the **build** user (`base + 2 * slot`) owns the learner's sandbox folders: cargo and rustc
//!   run as it, and they run no learner code but what the compiler evaluates;
//! - the **run** user (`base + 2 * slot + 1`) runs the learner's programs; it shares the slot's
//!   group (`base + 2 * slot`), so it can read its learner's executables, and owns only a private
//!   folder (its home, working folder and `TMPDIR`). A program can therefore change neither
//!   what is still being compiled nor another program's executable.
//!
//! Neither user can write anything the grader reads or trusts (the course, its shared build
//! folder, the reports, other learners' sandboxes: all the grader's, or another slot's, and not
//! writable by others), nor signal the grader. Whatever a learner leaves running is killed by
//! user id once the learner is graded.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::engine::process::Identity;

/// The first learner user id when `--learner-uid` is not given: in the range Debian and Ubuntu
/// leave unallocated (65000-65533), below the 65536 ids a container's user namespace maps.
pub const DEFAULT_BASE: u32 = 65000;

/// The users of one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotUsers {
    pub build: Identity,
    pub run: Identity,
}

/// Learner users numbered from `base`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnerUsers {
    pub base: u32,
}

impl LearnerUsers {
    pub fn slot(&self, slot: usize) -> SlotUsers {
        let build = self.base + 2 * slot as u32;
        SlotUsers {
            build: Identity {
                uid: build,
                gid: build,
            },
            run: Identity {
                uid: build + 1,
                gid: build,
            },
        }
    }

    /// Why the users cannot be used for `slots` parallel learners here, if they cannot.
    pub fn check(&self, slots: usize) -> Result<(), String> {
        if !cfg!(target_os = "linux") {
            return Err("separate users exist on Linux only".into());
        }
        if !is_root() {
            return Err("separate users need the grader to run as root".into());
        }
        let last = u64::from(self.base) + 2 * slots as u64;
        if self.base == 0 || last > u64::from(u32::MAX) {
            return Err(format!(
                "--learner-uid {} leaves no room for {slots} learners' users",
                self.base
            ));
        }
        Ok(())
    }
}

/// The private folder, inside a learner's sandbox, that its programs run in.
pub fn run_dir(sandbox: &Path) -> PathBuf {
    sandbox.join(".run")
}

impl SlotUsers {
    /// Gives the learner's sandbox at `root` to the slot's users: every folder and file to the
    /// build user and the slot's group (never a file with other links, which could be the
    /// grader's), the root readable by that group only, and [`run_dir`] to the run user.
    /// `dirs` are created first (folders cargo writes into later).
    pub fn hand_over(&self, root: &Path, dirs: &[PathBuf]) -> Result<()> {
        for dir in dirs {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        for entry in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_dir() || single_link(entry.path()) {
                own(entry.path(), self.build)?;
            }
        }
        set_mode(root, 0o750)?;
        let run = run_dir(root);
        std::fs::create_dir_all(&run)
            .with_context(|| format!("cannot create {}", run.display()))?;
        own(&run, self.run)?;
        set_mode(&run, 0o700)
    }

    /// Kills every process of the slot's users: what the last learner left running.
    pub fn kill_leftovers(&self) {
        #[cfg(target_os = "linux")]
        for uid in [self.build.uid, self.run.uid] {
            let _ = crate::engine::process::kill_user(uid);
        }
    }
}

/// Whether every user can enter the folder `path` (and every folder on the way), and so read
/// any file in it whose name it knows, listing or not (`0711`).
pub fn enterable_by_all(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(path) = std::fs::canonicalize(path) else {
            return false;
        };
        path.ancestors()
            .all(|dir| std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Whether every user can read `path` (and enter every folder on the way): what a learner user,
/// which is neither its owner nor in its group, can read.
pub fn readable_by_all(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(path) = std::fs::canonicalize(path) else {
            return false;
        };
        let Ok(meta) = std::fs::metadata(&path) else {
            return false;
        };
        let needed = if meta.is_dir() { 0o005 } else { 0o004 };
        meta.permissions().mode() & needed == needed
            && path.ancestors().skip(1).all(|dir| {
                std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0)
            })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// Whether `path` is a regular file with no other name (no hard link shares its owner).
fn single_link(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.nlink() == 1)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Whether the grader runs as root (and so may switch users).
pub fn is_root() -> bool {
    #[cfg(unix)]
    {
        nix::unistd::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

fn own(path: &Path, identity: Identity) -> Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::lchown(path, Some(identity.uid), Some(identity.gid))
            .with_context(|| format!("cannot give {} to uid {}", path.display(), identity.uid))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, identity);
        anyhow::bail!("separate users exist on Unix only")
    }
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the permissions of {}", path.display()))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        anyhow::bail!("separate users exist on Unix only")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn slots_have_two_users_and_one_group() {
        let users = LearnerUsers { base: 65000 };
        let slot = users.slot(1);
        assert_eq!((slot.build.uid, slot.build.gid), (65002, 65002));
        assert_eq!((slot.run.uid, slot.run.gid), (65003, 65002));
        assert!(LearnerUsers { base: u32::MAX - 1 }.check(2).is_err());
    }

    #[test]
    fn a_private_folder_is_not_readable_by_all() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("solutions");
        std::fs::create_dir(&inner).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(!readable_by_all(&inner));
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
        std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(0o755)).unwrap();
        if readable_by_all(dir.path().parent().unwrap()) {
            assert!(readable_by_all(&inner));
        }
    }
}
