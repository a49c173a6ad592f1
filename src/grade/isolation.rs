//! How learners are isolated while they are graded: the sandbox (bubblewrap) around builds and
//! runs, the control group around each learner, and the trusted build of the course's crates
//! that every learner's build starts from.
//!
//! The shared build folder is only ever written by the grader's own warm-up build (the course's
//! crates, no learner code). Each learner builds in a *copy* of it made of hard links, mounted
//! at the shared folder's path so cargo finds every crate fresh: learners never write to shared
//! state, never wait for each other's build lock, and a learner's build leaves nothing behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use walkdir::WalkDir;

use crate::engine::cargo::{Cargo, Confinement};
use crate::engine::jail::{self, Jail, Mount};

/// How the grader confines learners, chosen once per `grade`.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// Builds and runs in bubblewrap.
    Sandboxed(Sandboxing),
    /// No sandbox: learner code runs as the grader, with its rights. Said loudly, and recorded
    /// in every report.
    None { why: String },
}

#[derive(Debug, Clone)]
pub struct Sandboxing {
    jail: Jail,
    /// The toolchain's sysroot (its `bin` holds the real `cargo` and `rustc`).
    sysroot: PathBuf,
    /// Cargo's home: its registry is mounted read-only.
    cargo_home: PathBuf,
}

impl Isolation {
    /// bubblewrap when it works here, unless `refuse` (`--no-sandbox`).
    pub fn detect(refuse: bool) -> Isolation {
        if refuse {
            return Isolation::None {
                why: "--no-sandbox was given".into(),
            };
        }
        match Sandboxing::probe() {
            Ok(sandboxing) => Isolation::Sandboxed(sandboxing),
            Err(why) => Isolation::None { why },
        }
    }

    /// The name reports record: `bubblewrap` or `none`.
    pub fn key(&self) -> &'static str {
        match self {
            Isolation::Sandboxed(_) => "bubblewrap",
            Isolation::None { .. } => "none",
        }
    }
}

impl Sandboxing {
    fn probe() -> Result<Sandboxing, String> {
        let jail = Jail::probe()?;
        let output = Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .map_err(|e| format!("cannot run rustc: {e}"))?;
        let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if !sysroot.join("bin").join("cargo").is_file() {
            return Err(format!(
                "the toolchain at {} has no cargo of its own",
                sysroot.display()
            ));
        }
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::home_dir().map(|h| h.join(".cargo")))
            .ok_or("cannot find cargo's home (set CARGO_HOME)")?;
        let cargo_home = fs::canonicalize(&cargo_home).unwrap_or(cargo_home);
        Ok(Sandboxing {
            jail,
            sysroot,
            cargo_home,
        })
    }

    /// Confines `cargo`, whose package lives in `own` (the learner's sandbox folder, writable),
    /// building into `build_dir` as seen from inside; `build_from` is the host folder mounted
    /// there (the learner's copy, or the shared folder itself for the trusted warm-up).
    pub fn confine(
        &self,
        cargo: &mut Cargo,
        own: &Path,
        build_dir: &Path,
        build_from: &Path,
    ) -> Result<()> {
        // Cargo takes its locks in its home: give it a private, writable one with the real
        // registry read-only inside.
        let home = own.join(".cargo-home");
        let mut mounts = jail::system_mounts(true);
        mounts.push(Mount::ReadOnly(self.sysroot.clone()));
        mounts.push(Mount::WritableAt {
            from: home.clone(),
            at: self.cargo_home.clone(),
        });
        fs::create_dir_all(&home).with_context(|| format!("cannot create {}", home.display()))?;
        for shared in ["registry", "git"] {
            let real = self.cargo_home.join(shared);
            if real.is_dir() {
                // The mount point inside the private home.
                fs::create_dir_all(home.join(shared))
                    .with_context(|| format!("cannot create {}", home.display()))?;
                mounts.push(Mount::ReadOnly(real));
            }
        }
        mounts.push(Mount::Tmpfs {
            at: "/tmp".into(),
            bytes: 1024 * 1024 * 1024,
        });
        mounts.push(Mount::Writable(own.to_path_buf()));
        mounts.push(Mount::WritableAt {
            from: build_from.to_path_buf(),
            at: build_dir.to_path_buf(),
        });
        mounts.push(Mount::Proc);
        cargo.confinement = Some(Confinement {
            jail: self.jail.clone(),
            build_mounts: mounts,
            toolchain_bin: self.sysroot.join("bin"),
            cargo_home: self.cargo_home.clone(),
            moved: vec![(build_dir.to_path_buf(), build_from.to_path_buf())],
        });
        Ok(())
    }
}

/// A copy of `from` at `to` made of hard links (folders are created, files linked), without
/// cargo's lock files, so a learner's build shares no lock with anyone. Falls back to copying a
/// file that cannot be linked (another file system).
pub fn link_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    // Folders come before what they hold; symlinks are recreated, not followed.
    for entry in WalkDir::new(from)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(rel) = entry.path().strip_prefix(from) else {
            continue;
        };
        let target = to.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            fs::create_dir_all(&target)
                .with_context(|| format!("cannot create {}", target.display()))?;
        } else if kind.is_file() {
            if entry.file_name().to_string_lossy().ends_with("lock") {
                continue;
            }
            fs::hard_link(entry.path(), &target)
                .or_else(|_| fs::copy(entry.path(), &target).map(|_| ()))
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        } else if kind.is_symlink()
            && let Ok(link) = fs::read_link(entry.path())
        {
            // The sandboxed copy is for Linux; elsewhere links are left out.
            #[cfg(unix)]
            let _ = std::os::unix::fs::symlink(link, &target);
            #[cfg(not(unix))]
            let _ = (link, target);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linked_tree_shares_files_but_not_locks() {
        let from = tempfile::tempdir().unwrap();
        fs::create_dir_all(from.path().join("debug/deps")).unwrap();
        fs::write(from.path().join("debug/deps/libx.rlib"), "rlib").unwrap();
        fs::write(from.path().join("debug/.cargo-lock"), "").unwrap();
        let to = tempfile::tempdir().unwrap();
        link_tree(from.path(), to.path()).unwrap();
        assert_eq!(
            fs::read_to_string(to.path().join("debug/deps/libx.rlib")).unwrap(),
            "rlib"
        );
        assert!(!to.path().join("debug/.cargo-lock").exists());
        // A learner's build that replaces a file (as cargo and rustc do) leaves the shared one.
        fs::remove_file(to.path().join("debug/deps/libx.rlib")).unwrap();
        fs::write(to.path().join("debug/deps/libx.rlib"), "evil").unwrap();
        assert_eq!(
            fs::read_to_string(from.path().join("debug/deps/libx.rlib")).unwrap(),
            "rlib"
        );
    }

    #[test]
    #[cfg(unix)]
    fn a_linked_tree_keeps_symlinks_as_symlinks() {
        let from = tempfile::tempdir().unwrap();
        fs::create_dir_all(from.path().join("debug/build/x")).unwrap();
        fs::write(from.path().join("debug/build/x/out"), "out").unwrap();
        std::os::unix::fs::symlink("x/out", from.path().join("debug/build/link")).unwrap();
        std::os::unix::fs::symlink(from.path().join("debug"), from.path().join("loop")).unwrap();
        let to = tempfile::tempdir().unwrap();
        link_tree(from.path(), to.path()).unwrap();
        assert_eq!(
            fs::read_link(to.path().join("debug/build/link")).unwrap(),
            Path::new("x/out")
        );
        assert_eq!(
            fs::read_to_string(to.path().join("debug/build/link")).unwrap(),
            "out"
        );
        // A link to a folder is copied as the link, not walked into.
        assert!(
            fs::symlink_metadata(to.path().join("loop"))
                .unwrap()
                .is_symlink()
        );
    }
}
