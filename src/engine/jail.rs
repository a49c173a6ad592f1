//! The grading sandbox: learner builds and runs inside bubblewrap (`bwrap`, the sandbox Flatpak
//! uses, packaged by every Linux distribution).
//!
//! A jailed process sees a file system assembled from explicit mounts and nothing else: system
//! libraries and the toolchain read-only, its own learner's folder, a private `/tmp`; never the
//! course's `solutions/`, other learners, the reports or the grader's home. It gets new PID,
//! network (loopback only), IPC, UTS and user namespaces, a new session (no terminal to push
//! keys into), no capabilities, an empty environment but for what we set, and it dies with the
//! grader. Builds may read the toolchain and the crate registry; programs under test get only
//! the shared libraries they link against and their executable: no shell to run, no `/proc`.
//!
//! See `docs/grading-security.md` for what each layer stops and what it does not.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::process::Identity;

/// A mount in the sandbox.
#[derive(Debug, Clone)]
pub enum Mount {
    /// The host path, read-only, at the same path.
    ReadOnly(PathBuf),
    /// The host path, writable, at the same path.
    Writable(PathBuf),
    /// The host path `from`, writable, seen at `at`.
    WritableAt { from: PathBuf, at: PathBuf },
    /// A private, size-capped tmpfs.
    Tmpfs { at: PathBuf, bytes: u64 },
    /// `/proc` of the sandbox's own PID namespace. Builds need it (the loader finds rustc's
    /// libraries through `/proc/self/exe`); programs under test do without.
    Proc,
}

/// bubblewrap, found and known to work on this machine, with the options its version has.
#[derive(Debug, Clone)]
pub struct Jail {
    bwrap: PathBuf,
    /// `--disable-userns` (bubblewrap 0.8): no user namespace can be created inside.
    disable_userns: bool,
    /// `--size` (bubblewrap 0.7): a size cap on a tmpfs.
    tmpfs_size: bool,
}

/// The user and group a jailed process is inside its sandbox, whoever started bubblewrap:
/// `nobody`, which owns nothing that is mounted.
pub const INSIDE_ID: u32 = 65534;

impl Jail {
    /// bubblewrap when it is installed and can create its namespaces here, started as
    /// `identity` (containers and some distributions forbid unprivileged user namespaces);
    /// otherwise why not. The options used are the ones this bubblewrap lists in its `--help`
    /// (Ubuntu 22.04 ships 0.6, without `--disable-userns` and `--size`).
    pub fn probe(identity: Option<Identity>) -> Result<Jail, String> {
        if !cfg!(target_os = "linux") {
            return Err("the grading sandbox (bubblewrap) exists on Linux only".to_string());
        }
        let bwrap = std::env::var_os("PATH")
            .into_iter()
            .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
            .map(|dir| dir.join("bwrap"))
            .find(|p| p.is_file())
            .ok_or_else(|| "bubblewrap (`bwrap`) is not installed".to_string())?;
        let help = Command::new(&bwrap)
            .arg("--help")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot start bwrap: {e}"))?;
        let help = String::from_utf8_lossy(&help.stdout);
        let jail = Jail {
            disable_userns: help.contains("--disable-userns"),
            tmpfs_size: help.contains("--size"),
            bwrap,
        };
        let mut probe = jail.command(
            &system_mounts(true),
            &[],
            Path::new("/"),
            Path::new("/usr/bin/true"),
        );
        #[cfg(target_os = "linux")]
        if let Some(identity) = identity {
            identity.apply(&mut probe);
        }
        #[cfg(not(target_os = "linux"))]
        let _ = identity;
        let output = probe
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot start bwrap: {e}"))?;
        if output.status.success() {
            Ok(jail)
        } else {
            Err(format!(
                "bwrap cannot create a sandbox here: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    }

    /// What this bubblewrap cannot do that a current one does, for the terminal.
    pub fn missing_options(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if !self.disable_userns {
            missing.push("--disable-userns (programs may create user namespaces of their own)");
        }
        if !self.tmpfs_size {
            missing.push("--size (a private /tmp is limited by the control group only)");
        }
        missing
    }

    /// `cmd` (its program, arguments, the variables set on it and its folder) run inside the
    /// sandbox with `mounts`; nothing of the grader's own environment goes in.
    pub fn wrap(&self, cmd: &Command, mounts: &[Mount]) -> Command {
        let env: Vec<(&str, OsString)> = cmd
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_str()?, v?.to_os_string())))
            .collect();
        let cwd = cmd.get_current_dir().unwrap_or(Path::new("/"));
        let mut jailed = self.command(mounts, &env, cwd, Path::new(cmd.get_program()));
        jailed.args(cmd.get_args());
        jailed
    }

    /// `program` run inside the sandbox with `mounts`, the environment `env` (and nothing
    /// else), in `cwd`. Arguments are added by the caller.
    pub fn command(
        &self,
        mounts: &[Mount],
        env: &[(&str, OsString)],
        cwd: &Path,
        program: &Path,
    ) -> Command {
        let mut cmd = Command::new(&self.bwrap);
        cmd.env_clear();
        cmd.args(["--unshare-all", "--unshare-user"]);
        if self.disable_userns {
            cmd.arg("--disable-userns");
        }
        cmd.arg("--uid").arg(INSIDE_ID.to_string());
        cmd.arg("--gid").arg(INSIDE_ID.to_string());
        cmd.args([
            "--cap-drop",
            "ALL",
            "--die-with-parent",
            "--new-session",
            "--dev",
            "/dev",
        ]);
        for mount in mounts {
            match mount {
                Mount::ReadOnly(path) => {
                    if let Ok(target) = std::fs::read_link(path) {
                        // Merged-/usr systems: `/lib` is a link to `usr/lib`.
                        cmd.arg("--symlink").arg(target).arg(path);
                    } else {
                        cmd.arg("--ro-bind").arg(path).arg(path);
                    }
                }
                Mount::Writable(path) => {
                    cmd.arg("--bind").arg(path).arg(path);
                }
                Mount::WritableAt { from, at } => {
                    cmd.arg("--bind").arg(from).arg(at);
                }
                Mount::Tmpfs { at, bytes } => {
                    if self.tmpfs_size {
                        cmd.arg("--size").arg(bytes.to_string());
                    }
                    cmd.arg("--tmpfs").arg(at);
                }
                Mount::Proc => {
                    cmd.args(["--proc", "/proc"]);
                }
            }
        }
        for (key, value) in env {
            cmd.arg("--setenv").arg(key).arg(value);
        }
        cmd.arg("--chdir").arg(cwd).arg("--").arg(program);
        cmd
    }
}

/// What every jailed program needs of the system: shared libraries and the loader's cache;
/// for builds also the system's programs (the linker `cc`, found through `/etc/alternatives`
/// on Debian). Never `/etc` as a whole: it holds the host's secrets (`shadow`, keys, tokens).
pub fn system_mounts(build: bool) -> Vec<Mount> {
    let mut paths: Vec<&str> = vec!["/lib", "/lib64", "/lib32", "/usr/lib", "/usr/lib64"];
    if build {
        paths = vec![
            "/usr",
            "/bin",
            "/sbin",
            "/lib",
            "/lib64",
            "/lib32",
            "/etc/alternatives",
        ];
    }
    paths.extend([
        "/etc/ld.so.cache",
        "/etc/ld.so.conf",
        "/etc/ld.so.conf.d",
        "/etc/nsswitch.conf",
        "/etc/localtime",
    ]);
    paths
        .into_iter()
        .map(PathBuf::from)
        .filter(|p| p.symlink_metadata().is_ok())
        .map(Mount::ReadOnly)
        .collect()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use crate::engine::process::{Exit, Limits, Supervisor};
    use std::time::Duration;

    /// bubblewrap here, or a skip message; under CI the sandbox is required.
    fn jail() -> Option<Jail> {
        match Jail::probe(None) {
            Ok(jail) => Some(jail),
            Err(why) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: {why}");
                None
            }
            Err(why) => panic!("CI must be able to sandbox: {why}"),
        }
    }

    fn run(cmd: Command) -> (Exit, String) {
        let done = Supervisor::new()
            .run(cmd, &Limits::new(Duration::from_secs(20), 64 * 1024))
            .unwrap();
        (done.exit, done.output.text)
    }

    #[test]
    fn a_jailed_program_sees_only_its_mounts() {
        let Some(jail) = jail() else { return };
        let secret = tempfile::tempdir().unwrap();
        std::fs::write(secret.path().join("solution.rs"), "the answer").unwrap();
        let mut mounts = system_mounts(true);
        mounts.push(Mount::Tmpfs {
            at: "/tmp".into(),
            bytes: 1 << 20,
        });
        let mut cmd = jail.command(
            &mounts,
            &[("PATH", "/usr/bin:/bin".into())],
            Path::new("/tmp"),
            Path::new("/bin/sh"),
        );
        let script = format!(
            "cat {}/solution.rs; echo env=$(env | grep -c HOME); echo pid=$$; \
             echo hi > /usr/x 2>/dev/null || echo ro; ls /proc/1/environ >/dev/null 2>&1 || echo noproc; \
             ls /etc/shadow >/dev/null 2>&1 || echo noshadow; echo uid=$(id -u)",
            secret.path().display()
        );
        cmd.arg("-c").arg(script);
        let (exit, out) = run(cmd);
        assert!(!out.contains("the answer"), "{out}");
        assert!(out.contains("env=0"), "{out}");
        assert!(
            out.contains("pid=2") || out.contains("pid=1"),
            "own PID namespace: {out}"
        );
        assert!(out.contains("ro"), "{out}");
        assert!(out.contains("noproc"), "{out}");
        // Never `/etc` whole (issue 19): no host secret; and an unprivileged user inside.
        assert!(out.contains("noshadow"), "{out}");
        assert!(out.contains(&format!("uid={INSIDE_ID}")), "{out}");
        assert_eq!(exit, Exit::Code(0), "{out}");
    }

    #[test]
    fn no_network_but_loopback() {
        let Some(jail) = jail() else { return };
        let mut cmd = jail.command(
            &system_mounts(true),
            &[],
            Path::new("/"),
            Path::new("/bin/sh"),
        );
        // /proc/net is not mounted; the interfaces are visible in /sys.
        cmd.arg("-c")
            .arg("ls /sys/class/net 2>/dev/null | tr '\\n' ' '");
        let (_, out) = run(cmd);
        assert!(!out.contains("eth"), "{out}");
    }
}
