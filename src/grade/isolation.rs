//! How learners are isolated while they are graded: the sandbox (bubblewrap) around builds and
//! runs, or where namespaces are not allowed, users of their own ([`users`]); the control group
//! around each learner; and the trusted build of the course's crates that every learner's build
//! starts from.
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

use super::users::{self, LearnerUsers, SlotUsers};
use crate::engine::cargo::{Cargo, Confinement};
use crate::engine::jail::{self, Jail, Mount};

/// How the grader confines learners, chosen once per `grade`.
#[derive(Debug, Clone)]
pub enum Isolation {
    /// Builds and runs in bubblewrap; started as the learner users where the grader is root
    /// and they can read the toolchain.
    Sandboxed(Sandboxing),
    /// No namespaces (bubblewrap missing, or a container that forbids user namespaces): builds
    /// and runs under learner users of their own ([`users`]), the grader being root.
    Separated(Separation),
    /// No sandbox: learner code runs as the grader, with its rights. Said loudly, and recorded
    /// in every report.
    None { why: String },
}

/// How strong an isolation is, weakest first: what `--require-sandbox` compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    None,
    Uid,
    Bubblewrap,
}

impl Level {
    /// The name reports record.
    pub fn key(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Uid => "uid",
            Level::Bubblewrap => "bubblewrap",
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// One isolation only (`--isolation`), or the strongest that works here (`None`).
    pub only: Option<Level>,
    /// Refuse to grade under anything weaker (`--require-sandbox[=LEVEL]`).
    pub require: Option<Level>,
    /// The learner users, when the grader is root.
    pub users: LearnerUsers,
    /// Learners graded at once: each needs users of its own.
    pub slots: usize,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            only: None,
            require: None,
            users: LearnerUsers {
                base: users::DEFAULT_BASE,
            },
            slots: 1,
        }
    }
}

/// What every jailed or separated build needs to know of the toolchain.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The toolchain's sysroot (its `bin` holds the real `cargo` and `rustc`).
    sysroot: PathBuf,
    /// Cargo's home: its registry is read, never written, by learner builds.
    cargo_home: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Sandboxing {
    jail: Jail,
    toolchain: Toolchain,
    /// The users bubblewrap runs as, when the grader is root and they can read the toolchain.
    users: Option<LearnerUsers>,
}

#[derive(Debug, Clone)]
pub struct Separation {
    toolchain: Toolchain,
    users: LearnerUsers,
}

impl Isolation {
    /// The strongest isolation `policy` allows that works here; an error when it is weaker
    /// than `policy.require`.
    pub fn choose(policy: &Policy, course_root: &Path) -> Result<Isolation, String> {
        let wants = |level| policy.only.is_none_or(|only| only == level);
        let mut why_not = Vec::new();
        let users = policy
            .users
            .check(policy.slots)
            .map(|()| policy.users)
            .map_err(|why| why_not.push(format!("uid: {why}")))
            .ok();
        if wants(Level::Bubblewrap) {
            match Sandboxing::probe(users) {
                Ok(sandboxing) => return Ok(Isolation::Sandboxed(sandboxing)),
                Err(why) => why_not.push(format!("bubblewrap: {why}")),
            }
        }
        if wants(Level::Uid)
            && let Some(users) = users
        {
            match Separation::probe(users, course_root) {
                Ok(separation) => return Ok(Isolation::Separated(separation)),
                Err(why) => why_not.push(format!("uid: {why}")),
            }
        }
        let why = if policy.only == Some(Level::None) {
            "--no-sandbox was given".to_string()
        } else {
            why_not.join("; ")
        };
        // Asked for one isolation by name (`--isolation uid`): that one, or none at all; never a
        // silent fall to no isolation (red team round 3).
        let require = match (policy.require, policy.only) {
            (None, Some(only)) if only > Level::None => Some(only),
            (require, _) => require,
        };
        match require {
            Some(level) if level > Level::None => Err(format!(
                "no {} isolation: {why}\n  help: install bubblewrap (`apt-get install bubblewrap`) and allow user namespaces, or grade as root with separate users (--require-sandbox=uid; see docs/grading-security.md)",
                level.key()
            )),
            _ => Ok(Isolation::None { why }),
        }
    }

    pub fn level(&self) -> Level {
        match self {
            Isolation::Sandboxed(_) => Level::Bubblewrap,
            Isolation::Separated(_) => Level::Uid,
            Isolation::None { .. } => Level::None,
        }
    }

    /// The name reports record: `bubblewrap`, `uid` or `none`.
    pub fn key(&self) -> &'static str {
        self.level().key()
    }

    /// The learner users of `slot`, where learner code runs under users of its own.
    pub fn slot_users(&self, slot: usize) -> Option<SlotUsers> {
        match self {
            Isolation::Sandboxed(s) => s.users.map(|u| u.slot(slot)),
            Isolation::Separated(s) => Some(s.users.slot(slot)),
            Isolation::None { .. } => None,
        }
    }

    /// Says on the terminal what the chosen isolation does not defend.
    pub fn warn(&self) {
        let warning = |text: &str| console::style(text.to_string()).red().bold();
        match self {
            Isolation::None { why } => eprintln!(
                "{} {}\n  Learner code will run as you, with your rights: it can read the course's solutions and other learners' work, reach the network and forge its results. Reports record isolation \"none\". Install bubblewrap, or grade as root (separate users), or inside a disposable container (docs/grading-security.md).",
                warning("WARNING: grading WITHOUT a sandbox:"),
                why
            ),
            Isolation::Separated(_) => eprintln!(
                "{} learner builds and programs run under users of their own (uid {}+), which can write nothing the grader reads, but can read what every user may read and reach the network. Reports record isolation \"uid\".",
                warning("note:"),
                self.slot_users(0).map_or(0, |u| u.build.uid)
            ),
            Isolation::Sandboxed(s) => {
                for missing in s.jail.missing_options() {
                    eprintln!("note: this bubblewrap has no {missing}");
                }
            }
        }
    }
}

impl Toolchain {
    fn find() -> Result<Toolchain, String> {
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
        Ok(Toolchain {
            sysroot,
            cargo_home,
        })
    }

    /// Why a learner user could not use this toolchain, if it could not.
    fn readable_by_learners(&self) -> Result<(), String> {
        let rustc = self.sysroot.join("bin").join("rustc");
        let registry = self.cargo_home.join("registry");
        for path in [&rustc, &registry] {
            if path.exists() && !users::readable_by_all(path) {
                return Err(format!(
                    "{} cannot be read by other users (a learner user could not build); install Rust where every user can read it, as docs/gradescope/setup.sh does (/usr/local)",
                    path.display()
                ));
            }
        }
        Ok(())
    }

    /// The program, folder and variables of a learner build: the toolchain's own `cargo` and
    /// `rustc` (rustup's proxies need rustup's home), a cargo home of its own.
    fn confinement(&self, jail: Option<Jail>, build_mounts: Vec<Mount>) -> Confinement {
        Confinement {
            jail,
            build_mounts,
            toolchain_bin: self.sysroot.join("bin"),
            cargo_home: self.cargo_home.clone(),
            moved: Vec::new(),
        }
    }
}

impl Sandboxing {
    /// The sandbox itself (a Python course's jail is made of it).
    pub fn jail(&self) -> &Jail {
        &self.jail
    }

    fn probe(users: Option<LearnerUsers>) -> Result<Sandboxing, String> {
        let toolchain = Toolchain::find()?;
        // Started as a learner user where possible: then even bubblewrap itself has no more
        // rights than the learner.
        let users = users.filter(|_| toolchain.readable_by_learners().is_ok());
        let probe_as = users.map(|u| u.slot(0).run);
        let jail = Jail::probe(probe_as)?;
        Ok(Sandboxing {
            jail,
            toolchain,
            users,
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
        let cargo_home = &self.toolchain.cargo_home;
        // Cargo takes its locks in its home: give it a private, writable one with the real
        // registry read-only inside.
        let home = own.join(".cargo-home");
        let mut mounts = jail::system_mounts(true);
        mounts.push(Mount::ReadOnly(self.toolchain.sysroot.clone()));
        mounts.push(Mount::WritableAt {
            from: home.clone(),
            at: cargo_home.clone(),
        });
        fs::create_dir_all(&home).with_context(|| format!("cannot create {}", home.display()))?;
        for shared in ["registry", "git"] {
            let real = cargo_home.join(shared);
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
        let mut confinement = self.toolchain.confinement(Some(self.jail.clone()), mounts);
        confinement.moved = vec![(build_dir.to_path_buf(), build_from.to_path_buf())];
        cargo.confinement = Some(confinement);
        Ok(())
    }
}

impl Separation {
    fn probe(users: LearnerUsers, course_root: &Path) -> Result<Separation, String> {
        let toolchain = Toolchain::find()?;
        toolchain.readable_by_learners()?;
        let solutions = course_root.join("solutions");
        // Entering is enough to read a file whose name is known (the solutions are named after
        // the exercises), and the course's `.git` holds the solutions too.
        if solutions.exists() && users::enterable_by_all(&solutions) {
            return Err(format!(
                "every user can enter the course folder {} (its solutions and its git history), learner users too; make it private first (`chmod -R go-rwx {}`)",
                course_root.display(),
                course_root.display()
            ));
        }
        let temp = std::env::temp_dir();
        if !users::readable_by_all(&temp) {
            return Err(format!(
                "learner users cannot enter the temporary folder {} that their sandboxes go in (set TMPDIR)",
                temp.display()
            ));
        }
        Ok(Separation { toolchain, users })
    }

    /// Makes `cargo` build with the toolchain's own programs, a cargo home of its own in `own`
    /// (the registry linked in, read-only to learner users), into `build_dir`; its programs run
    /// in [`users::run_dir`].
    pub fn confine(&self, cargo: &mut Cargo, own: &Path, build_dir: &Path) -> Result<()> {
        let home = own.join(".cargo-home");
        fs::create_dir_all(&home).with_context(|| format!("cannot create {}", home.display()))?;
        #[cfg(unix)]
        for shared in ["registry", "git"] {
            let real = self.toolchain.cargo_home.join(shared);
            if real.is_dir() {
                std::os::unix::fs::symlink(&real, home.join(shared))
                    .with_context(|| format!("cannot link {}", real.display()))?;
            }
        }
        let mut confinement = self.toolchain.confinement(None, Vec::new());
        confinement.cargo_home = home;
        cargo.confinement = Some(confinement);
        cargo.shared_build_dir = Some(build_dir.to_path_buf());
        cargo.workdir = users::run_dir(own);
        fs::create_dir_all(&cargo.workdir)
            .with_context(|| format!("cannot create {}", cargo.workdir.display()))?;
        Ok(())
    }
}

/// A copy of `from` at `to` made of hard links (folders are created, files linked), without
/// cargo's lock files, so a learner's build shares no lock with anyone. Falls back to copying a
/// file that cannot be linked (another file system). With `copy`, files are copied instead:
/// a learner user that builds in it must be able to own its files, since cargo rewrites some of
/// them in place (fingerprints), and a hard link cannot change owner without changing the
/// shared file (a course's build folder is tens of megabytes).
pub fn link_tree(from: &Path, to: &Path, copy: bool) -> Result<()> {
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
            let linked = !copy && fs::hard_link(entry.path(), &target).is_ok();
            if !linked {
                fs::copy(entry.path(), &target)
                    .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            }
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
        link_tree(from.path(), to.path(), false).unwrap();
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
        link_tree(from.path(), to.path(), false).unwrap();
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
