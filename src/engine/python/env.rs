//! The Python track's environment: one virtual environment per lock file (and interpreter),
//! built once in the runner's data folder and never written to afterwards.
//!
//! The course pins its packages with hashes in `requirements.lock`. The environment is built
//! with `uv` when it is on PATH (seconds) and with `python -m venv` and pip `--require-hashes`
//! otherwise, into a temporary folder that is renamed into place only when complete, with a
//! marker written last: a half-built environment is never found, and two runners building at
//! once both end with the same complete one. The runner's own Python files (the results
//! harness and the rule book) sit beside it, in a folder named by their hash.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};

/// The course's pinned packages.
pub const LOCK_FILE: &str = "requirements.lock";
/// Written last into a complete environment; holds the key it was built for.
const MARKER: &str = ".backendlings-complete";
/// The oldest Python the track supports.
const MINIMUM: (u32, u32) = (3, 11);

pub const HARNESS: &str = include_str!("../../python/harness.py");
pub const RULES: &str = include_str!("../../python/rules.py");
pub const PYTEST_INI: &str = include_str!("../../python/pytest.ini");
pub const MUTATE: &str = include_str!("../../python/mutate.py");

/// A ready environment and the runner's Python files.
#[derive(Debug, Clone)]
pub struct PythonEnv {
    /// The environment's interpreter.
    pub python: PathBuf,
    /// The environment's folder (its `sys.prefix`).
    pub prefix: PathBuf,
    /// The folder holding `harness.py`, `rules.py`, `mutate.py` and `pytest.ini`.
    pub harness_dir: PathBuf,
    /// `major.minor` of the interpreter, part of the verdict cache's key.
    pub version: String,
    /// The lock file's hash, part of the verdict cache's key.
    pub lock_hash: String,
}

impl PythonEnv {
    pub fn harness(&self) -> PathBuf {
        self.harness_dir.join("harness.py")
    }

    pub fn rules(&self) -> PathBuf {
        self.harness_dir.join("rules.py")
    }

    /// The mutant generator of `dev check --mutate`.
    pub fn mutate(&self) -> PathBuf {
        self.harness_dir.join("mutate.py")
    }

    /// The `ty` type checker installed in the environment.
    pub fn type_checker(&self) -> PathBuf {
        self.scripts()
            .join(if cfg!(windows) { "ty.exe" } else { "ty" })
    }

    fn scripts(&self) -> PathBuf {
        scripts_dir(&self.prefix)
    }

    /// What a jailed run must see, read-only: the environment, the runner's Python files, and
    /// the installation the environment's interpreter comes from (`home` in `pyvenv.cfg`, and
    /// where its links point).
    pub fn read_only_paths(&self) -> Vec<PathBuf> {
        let mut paths = vec![self.prefix.clone(), self.harness_dir.clone()];
        let config = fs::read_to_string(self.prefix.join("pyvenv.cfg")).unwrap_or_default();
        for line in config.lines() {
            if let Some((key, value)) = line.split_once('=')
                && key.trim() == "home"
            {
                // `home` is the folder of the base interpreter: its installation is one up.
                let home = PathBuf::from(value.trim());
                paths.push(home.parent().map_or(home.clone(), Path::to_path_buf));
            }
        }
        if let Ok(real) = fs::canonicalize(&self.python)
            && let Some(install) = real.parent().and_then(Path::parent)
        {
            paths.push(install.to_path_buf());
        }
        paths.sort();
        paths.dedup();
        // A folder inside another one listed is already there.
        let all = paths.clone();
        paths.retain(|p| !all.iter().any(|q| q != p && p.starts_with(q)));
        paths
    }

    /// Finds or builds the environment for the course at `root`; `progress` hears what is
    /// being done when a build is needed (it takes a while only the first time).
    pub fn ensure(root: &Path, progress: &mut dyn FnMut(&str)) -> Result<PythonEnv> {
        let lock_path = root.join(LOCK_FILE);
        let lock = fs::read(&lock_path).with_context(|| {
            format!(
                "cannot read {}, the Python track's package lock\n  help: restore it with `git checkout -- {LOCK_FILE}` in the course folder",
                lock_path.display()
            )
        })?;
        let (base, version) = find_python()?;
        let data = data_dir()?;
        let lock_hash = hash_of_lock(&lock);
        let key = {
            let mut hasher = blake3::Hasher::new();
            hasher.update(&lock);
            hasher.update(version.as_bytes());
            hasher.update(base.as_os_str().as_encoded_bytes());
            hasher.finalize().to_hex()[..16].to_string()
        };
        let prefix = data.join("python").join(format!("env-{key}"));
        if !is_complete(&prefix, &key) {
            if prefix.exists() {
                progress("the Python environment is incomplete or broken: rebuilding it");
                fs::remove_dir_all(&prefix)
                    .with_context(|| format!("cannot remove {}", prefix.display()))?;
            }
            build(&base, &lock_path, &prefix, &key, progress)?;
        }
        let harness_dir = write_harness(&data)?;
        Ok(PythonEnv {
            python: interpreter(&prefix),
            prefix,
            harness_dir,
            version,
            lock_hash,
        })
    }
}

/// The hash of a lock file's bytes: what [`PythonEnv::lock_hash`] holds.
fn hash_of_lock(lock: &[u8]) -> String {
    blake3::hash(lock).to_hex()[..16].to_string()
}

/// The hash of the lock of the course at `root` as it is now; `None` when it cannot be read.
pub fn lock_hash_now(root: &Path) -> Option<String> {
    fs::read(root.join(LOCK_FILE))
        .ok()
        .map(|lock| hash_of_lock(&lock))
}

fn scripts_dir(prefix: &Path) -> PathBuf {
    prefix.join(if cfg!(windows) { "Scripts" } else { "bin" })
}

fn interpreter(prefix: &Path) -> PathBuf {
    scripts_dir(prefix).join(if cfg!(windows) {
        "python.exe"
    } else {
        "python"
    })
}

fn is_complete(prefix: &Path, key: &str) -> bool {
    fs::read_to_string(prefix.join(MARKER)).is_ok_and(|found| found.trim() == key)
        && interpreter(prefix).is_file()
}

/// Where the runner keeps what is not the course's: `BACKENDLINGS_DATA_DIR`, or the platform's
/// data folder.
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("BACKENDLINGS_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let home = |var: &str| {
        std::env::var_os(var)
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        home("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        home("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        home("XDG_DATA_HOME").or_else(|| home("HOME").map(|h| h.join(".local/share")))
    };
    match base {
        Some(base) => Ok(base.join("backendlings")),
        None => bail!(
            "cannot tell where to keep the Python environment (no home folder)\n  help: set BACKENDLINGS_DATA_DIR to a folder"
        ),
    }
}

/// The interpreter the environment is made from (`BACKENDLINGS_PYTHON`, or `python3` or
/// `python` on PATH) and its `major.minor`.
fn find_python() -> Result<(PathBuf, String)> {
    let candidates: Vec<PathBuf> = match std::env::var_os("BACKENDLINGS_PYTHON") {
        Some(p) if !p.is_empty() => vec![PathBuf::from(p)],
        _ => vec!["python3".into(), "python".into()],
    };
    let mut too_old = None;
    for candidate in candidates {
        let Ok(out) = Command::new(&candidate)
            .args([
                "-I",
                "-c",
                "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)",
            ])
            .stdin(Stdio::null())
            .output()
        else {
            continue;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let (Some(version), Some(executable)) = (lines.next(), lines.next()) else {
            continue;
        };
        let parsed = version
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)));
        match parsed {
            Some(v) if v >= MINIMUM => {
                return Ok((PathBuf::from(executable.trim()), version.to_string()));
            }
            Some(_) => too_old = Some(version.to_string()),
            None => {}
        }
    }
    let found = match too_old {
        Some(v) => format!("only Python {v} was found"),
        None => "no Python was found".to_string(),
    };
    bail!(
        "the Python track needs Python {}.{} or newer, and {found}\n  help: install it (Debian or Ubuntu: `sudo apt install python3 python3-venv`; macOS: `brew install python@3.12`; Windows: `winget install Python.Python.3.12`), or set BACKENDLINGS_PYTHON to an interpreter",
        MINIMUM.0,
        MINIMUM.1
    )
}

fn has_uv() -> bool {
    Command::new("uv")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Builds the environment into a temporary folder beside `prefix` and renames it into place.
fn build(
    base: &Path,
    lock: &Path,
    prefix: &Path,
    key: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    let parent = prefix
        .parent()
        .expect("the environment has a parent folder");
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".env-building-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
    let tmp = staging.path().join("env");
    let python = interpreter(&tmp);
    let uv = has_uv();
    let steps: Vec<(String, Command)> = if uv {
        let mut venv = Command::new("uv");
        venv.args(["venv", "--quiet", "--python"])
            .arg(base)
            .arg(&tmp);
        let mut sync = Command::new("uv");
        sync.args([
            "pip",
            "sync",
            "--quiet",
            "--require-hashes",
            "--compile-bytecode",
            "--python",
        ])
        .arg(&python)
        .arg(lock);
        vec![
            ("creating the virtual environment (uv)".into(), venv),
            ("installing the locked packages (uv)".into(), sync),
        ]
    } else {
        let mut venv = Command::new(base);
        venv.args(["-m", "venv"]).arg(&tmp);
        let mut install = Command::new(&python);
        install
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--require-hashes",
                "--no-deps",
                "-r",
            ])
            .arg(lock);
        vec![
            ("creating the virtual environment (venv)".into(), venv),
            (
                "installing the locked packages (pip; `pip install uv` makes this ~10x faster)"
                    .into(),
                install,
            ),
        ]
    };
    progress(&format!(
        "building the Python environment in {} (first start only)",
        prefix.display()
    ));
    for (what, mut cmd) in steps {
        progress(what.as_str());
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("{what}: cannot start {:?}", cmd.get_program()))?;
        if !out.status.success() {
            bail!(
                "{what} failed:\n{}{}\n  help: check your network connection (packages come from PyPI), then start again",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let mut marker = fs::File::create(tmp.join(MARKER)).context("cannot finish the environment")?;
    marker.write_all(key.as_bytes())?;
    marker.sync_all()?;
    drop(marker);
    match fs::rename(&tmp, prefix) {
        Ok(()) => {}
        // Another runner finished first: its environment is as good as ours.
        Err(_) if is_complete(prefix, key) => {}
        Err(err) => {
            return Err(err)
                .with_context(|| format!("cannot move the environment to {}", prefix.display()));
        }
    }
    progress("the Python environment is ready");
    Ok(())
}

/// Writes the runner's Python files once, into a folder named by their hash.
fn write_harness(data: &Path) -> Result<PathBuf> {
    let mut hasher = blake3::Hasher::new();
    for text in [HARNESS, RULES, PYTEST_INI, MUTATE] {
        hasher.update(text.as_bytes());
    }
    let dir = data
        .join("python")
        .join(format!("harness-{}", &hasher.finalize().to_hex()[..16]));
    if dir.join("pytest.ini").is_file() {
        return Ok(dir);
    }
    let parent = dir.parent().expect("has a parent");
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".harness-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a folder in {}", parent.display()))?;
    for (name, text) in [
        ("harness.py", HARNESS),
        ("rules.py", RULES),
        ("mutate.py", MUTATE),
        // The type checker's configuration: its defaults, whatever the learner's folders hold.
        ("ty.toml", ""),
        // Last: its presence says the folder is complete.
        ("pytest.ini", PYTEST_INI),
    ] {
        fs::write(staging.path().join(name), text)
            .with_context(|| format!("cannot write {name}"))?;
    }
    let staged = staging.keep();
    if fs::rename(&staged, &dir).is_err() {
        let _ = fs::remove_dir_all(&staged);
        if !dir.join("pytest.ini").is_file() {
            bail!(
                "cannot write the runner's Python files to {}",
                dir.display()
            );
        }
    }
    Ok(dir)
}
