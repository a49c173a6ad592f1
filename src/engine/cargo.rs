//! The cargo toolchain: exercises are binaries of one cargo package.
//!
//! A batch is built with ONE cargo invocation over a *build package* the runner derives from the
//! course's exercise manifest: same dependencies and lock file, but only the batch's binaries,
//! each marked for a test-harness build (`test = true`) or a plain one. `cargo build --tests
//! --keep-going` then compiles every target in parallel, keeps going past failures, and its JSON
//! messages say which targets failed and where each executable is. (`cargo test --no-run` would
//! stop at the first failing target; it has no `--keep-going`.)

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::{CargoOpt, Message, MetadataCommand, PackageId, TargetKind};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Value};

use super::jail::{self, Jail, Mount};
use super::process::{Exit, Finished, Limits, Supervisor};
use super::{Artifact, BuildProgress, Built, Target, Toolchain};
use crate::fsutil::write_atomic;
use crate::verdict::{Captured, Reason};

/// Size of the private `/tmp` of a jailed program under test.
const JAILED_TMP_BYTES: u64 = 256 * 1024 * 1024;

/// Cap on cargo's own stderr kept for error messages.
const CARGO_STDERR_CAP: usize = 256 * 1024;

/// How the cargo toolchain builds and runs one course's exercises.
#[derive(Debug, Clone)]
pub struct Cargo {
    /// The course folder; diagnostics show paths relative to it.
    pub root: PathBuf,
    /// The course's exercise manifest: the source of dependencies and settings.
    pub manifest: PathBuf,
    /// The course's lock file, copied into the build package.
    pub lock: PathBuf,
    /// Where the derived build package lives (its `Cargo.toml`, lock and executables).
    pub package_dir: PathBuf,
    /// The runner's own target directory, so an editor's rust-analyzer (which builds into the
    /// workspace's `target/`) never holds the lock we need. May be shared by many packages.
    pub target_dir: PathBuf,
    /// Where learner programs run.
    pub workdir: PathBuf,
    /// Run learner programs with an empty environment (grading), instead of the user's.
    pub clean_env: bool,
    /// Extra cargo arguments, e.g. `--config profile.dev.incremental=false` for grading.
    pub extra_cargo_args: Vec<String>,
    /// A cargo *build* folder (`build.build-dir`: dependencies, fingerprints, intermediate
    /// files) shared with other build packages, so their common crates compile once (a
    /// cohort of learners). Executables still go to `target_dir`. Builds into it are one-off:
    /// never incremental, since that state would only pile up. See [`Cargo::forget_package`].
    pub shared_build_dir: Option<PathBuf>,
    /// Leave executables in the target folder (so the next build is incremental). Off for
    /// one-off builds into a shared folder (grading): executables are moved out, so the
    /// shared folder does not grow with every learner.
    pub keep_outputs: bool,
    /// Compile the exercises under `unsafe_code = "forbid"` (the course's `forbid_unsafe`).
    pub forbid_unsafe: bool,
    /// Build and run inside a sandbox (grading), instead of as the user.
    pub confinement: Option<Confinement>,
    /// The manifest's features that only some exercises need (the course's section
    /// `features`): a build turns on those its targets ask for and leaves the others off, so
    /// their crates are compiled the first time such an exercise is checked, not before.
    /// Empty: cargo's default features, as the manifest says.
    pub lazy_features: Vec<String>,
}

/// What a confined build needs: the sandbox and what to mount (or no sandbox, where learner
/// code runs under users of its own instead), and the toolchain's real programs (rustup's
/// proxies need rustup's home, which the sandbox does not show).
#[derive(Debug, Clone)]
pub struct Confinement {
    pub jail: Option<Jail>,
    /// Mounts of a build: system, toolchain, registry, the learner's folder and build folder.
    pub build_mounts: Vec<Mount>,
    /// The toolchain's `bin` folder (holding `cargo` and `rustc`).
    pub toolchain_bin: PathBuf,
    /// Cargo's home as the build sees it (the registry read-only inside it).
    pub cargo_home: PathBuf,
    /// Folders mounted somewhere else than where they are: (as the build sees it, on the
    /// host). Cargo reports paths as it sees them.
    pub moved: Vec<(PathBuf, PathBuf)>,
}

impl Confinement {
    /// Where a path the jailed build reported really is.
    fn host_path(&self, seen: &Path) -> PathBuf {
        for (inside, host) in &self.moved {
            if let Ok(rest) = seen.strip_prefix(inside) {
                return host.join(rest);
            }
        }
        seen.to_path_buf()
    }
}

impl Cargo {
    /// The toolchain for the course at `root` with exercise manifest `manifest`, building into
    /// `target_dir` with its build package in `package_dir`.
    pub fn new(root: &Path, manifest: PathBuf, package_dir: PathBuf, target_dir: PathBuf) -> Cargo {
        let lock = root.join("Cargo.lock");
        Cargo {
            root: root.to_path_buf(),
            manifest,
            lock,
            package_dir,
            target_dir,
            workdir: root.to_path_buf(),
            clean_env: false,
            extra_cargo_args: Vec::new(),
            shared_build_dir: None,
            keep_outputs: true,
            forbid_unsafe: false,
            confinement: None,
            lazy_features: Vec::new(),
        }
    }

    /// The lazy features `targets` ask for, sorted, once each.
    fn requested_features(&self, targets: &[&Target]) -> Vec<String> {
        let mut features: Vec<String> = (targets.iter())
            .flat_map(|t| t.features.iter().cloned())
            .collect();
        features.sort();
        features.dedup();
        features
    }

    /// The manifest's `[features]` table: each feature and what it turns on.
    fn manifest_features(&self) -> HashMap<String, Vec<String>> {
        let Ok(text) = fs::read_to_string(&self.manifest) else {
            return HashMap::new();
        };
        let Ok(doc) = text.parse::<DocumentMut>() else {
            return HashMap::new();
        };
        let Some(table) = doc.get("features").and_then(Item::as_table_like) else {
            return HashMap::new();
        };
        table
            .iter()
            .map(|(name, item)| {
                let enables = (item.as_array().into_iter().flatten())
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                (name.to_string(), enables)
            })
            .collect()
    }

    /// The features a build of `targets` turns on, with cargo's defaults off: the manifest's
    /// default features except the lazy ones, and the lazy ones the targets ask for. `None`
    /// when the course has no lazy features (cargo's defaults stand).
    fn features_for(&self, targets: &[&Target]) -> Option<Vec<String>> {
        if self.lazy_features.is_empty() {
            return None;
        }
        let defaults = self
            .manifest_features()
            .remove("default")
            .unwrap_or_default();
        let mut on: Vec<String> = (defaults.into_iter())
            .filter(|f| !self.lazy_features.contains(f))
            .collect();
        on.extend(self.requested_features(targets));
        on.sort();
        on.dedup();
        Some(on)
    }

    /// Cargo's arguments for [`Cargo::features_for`].
    fn feature_args(&self, targets: &[&Target]) -> Vec<String> {
        let Some(features) = self.features_for(targets) else {
            return Vec::new();
        };
        let mut args = vec!["--no-default-features".to_string()];
        if !features.is_empty() {
            args.push("--features".into());
            args.push(features.join(","));
        }
        args
    }

    /// The crates the lazy features of `targets` turn on (`dep:tokio` in the manifest), for
    /// the learner's notice.
    fn lazy_crates(&self, targets: &[&Target]) -> Vec<String> {
        let table = self.manifest_features();
        let mut crates = Vec::new();
        for feature in self.requested_features(targets) {
            for enabled in table.get(&feature).into_iter().flatten() {
                // `dep:name` names a crate; a bare name is a crate unless it is a feature.
                let name = match enabled.strip_prefix("dep:") {
                    Some(name) => name,
                    None if table.contains_key(enabled.as_str()) => continue,
                    None => enabled.as_str(),
                };
                if !name.contains('/') && !crates.iter().any(|c| c == name) {
                    crates.push(name.to_string());
                }
            }
        }
        crates
    }

    fn build_manifest(&self) -> PathBuf {
        self.package_dir.join("Cargo.toml")
    }

    fn cargo(&self, subcommand: &str) -> Command {
        let program = match &self.confinement {
            Some(c) => c.toolchain_bin.join("cargo").into_os_string(),
            None => std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
        };
        let mut cmd = Command::new(program);
        cmd.arg(subcommand)
            .arg("--message-format=json-diagnostic-rendered-ansi")
            .arg("--manifest-path")
            .arg(self.build_manifest())
            .arg("--target-dir")
            .arg(&self.target_dir)
            .arg("--keep-going")
            .args(self.shared_build_dir_args())
            .args(&self.extra_cargo_args)
            // No debug info: faster builds and links. Panic messages keep their file and line,
            // and programs run without backtraces anyway.
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .env("CARGO_TERM_PROGRESS_WHEN", "never")
            .current_dir(&self.package_dir);
        match &self.confinement {
            Some(c) => {
                let path = std::env::join_paths([
                    c.toolchain_bin.as_path(),
                    Path::new("/usr/bin"),
                    Path::new("/bin"),
                ])
                .unwrap_or_default();
                cmd.env("PATH", path)
                    .env("HOME", &self.root)
                    .env("CARGO_HOME", &c.cargo_home)
                    .env("RUSTC", c.toolchain_bin.join("rustc"))
                    .env("CARGO_NET_OFFLINE", "true")
                    .env("LANG", "C.UTF-8");
                match &c.jail {
                    Some(jail) => jail.wrap(&cmd, &c.build_mounts),
                    None => cmd,
                }
            }
            None => cmd,
        }
    }

    /// Cargo's arguments for [`Cargo::shared_build_dir`].
    fn shared_build_dir_args(&self) -> Vec<String> {
        let Some(dir) = &self.shared_build_dir else {
            return Vec::new();
        };
        // A TOML string: the path may hold quotes, backslashes or spaces.
        let value = toml_edit::Value::from(dir.to_string_lossy().as_ref());
        vec![
            "--config".into(),
            format!("build.build-dir={value}"),
            "--config".into(),
            "profile.dev.incremental=false".into(),
        ]
    }

    /// `CARGO_INCREMENTAL` for a build of `targets` targets (see `build`): never in a shared
    /// build folder, where the variable would otherwise override its one-off profile.
    fn incremental(&self, targets: usize) -> &'static str {
        if targets > 1 || self.shared_build_dir.is_some() {
            "0"
        } else {
            "1"
        }
    }

    /// Forgets what `package`'s build left in the shared build folder: cargo's fingerprints of
    /// its units, so the folder does not grow with every package built into it only once (a
    /// learner's). Its executables are no concern: with `keep_outputs` off they are moved out
    /// as they appear. Does nothing without a shared build folder.
    pub fn forget_package(&self, package: &str) {
        let Some(build_dir) = &self.shared_build_dir else {
            return;
        };
        let fingerprints = build_dir.join("debug").join(".fingerprint");
        let Ok(entries) = fs::read_dir(&fingerprints) else {
            return;
        };
        // Cargo names a unit's folder `<package>-<hash>`.
        let prefix = format!("{package}-");
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Writes the build package for `targets`: the course manifest with its `bin` list replaced
    /// by exactly these targets, as a workspace of its own, plus the course's lock file.
    fn write_package(&self, targets: &[&Target]) -> Result<()> {
        let text = fs::read_to_string(&self.manifest)
            .unwrap_or_else(|_| crate::manifest::new_manifest().into());
        let mut doc: DocumentMut = text
            .parse()
            .with_context(|| format!("{} is not valid TOML", self.manifest.display()))?;
        // Only the batch's binaries: no library, examples, tests or benches of the package.
        for key in ["bin", "lib", "test", "example", "bench", "workspace"] {
            doc.remove(key);
        }
        let package = doc
            .get_mut("package")
            .and_then(Item::as_table_like_mut)
            .with_context(|| format!("{} has no [package] table", self.manifest.display()))?;
        for key in [
            "autobins",
            "autoexamples",
            "autotests",
            "autobenches",
            "autolib",
        ] {
            package.insert(key, toml_edit::value(false));
        }
        package.remove("build");
        crate::manifest::drop_default_run(package);
        let manifest_dir = self.manifest.parent().unwrap_or(Path::new("."));
        crate::manifest::rebase_path_dependencies(doc.as_table_mut(), manifest_dir);
        let mut bins = Array::new();
        for target in targets {
            let mut bin = InlineTable::new();
            bin.insert("name", target.name.as_str().into());
            let path = self.package_path(&target.main_file)?;
            bin.insert("path", path.to_string_lossy().as_ref().into());
            bin.insert("test", target.test.into());
            bins.push(Value::InlineTable(bin));
        }
        doc.insert("bin", Item::Value(Value::Array(bins)));
        doc.insert("workspace", Item::Table(toml_edit::Table::new()));
        if self.forbid_unsafe {
            // A `[lints]` table only reaches the package's own targets, never its dependencies
            // (which may use unsafe code), and a learner cannot lower a `forbid` level.
            let lints = doc
                .entry("lints")
                .or_insert_with(|| Item::Table(toml_edit::Table::new()));
            if let Some(lints) = lints.as_table_like_mut() {
                lints.remove("workspace");
                let rust = lints
                    .entry("rust")
                    .or_insert(Item::Table(toml_edit::Table::new()));
                if let Some(rust) = rust.as_table_like_mut() {
                    rust.insert("unsafe_code", toml_edit::value("forbid"));
                }
            }
        }
        write_if_changed(&self.build_manifest(), doc.to_string().as_bytes())?;
        // Cargo prunes the copied lock to this package's crates; copy it again only when the
        // course's lock itself changed.
        if let Ok(lock) = fs::read(&self.lock) {
            let stamp = self.package_dir.join("Cargo.lock.source");
            let hash = blake3::hash(&lock).to_hex().to_string();
            let copy = self.package_dir.join("Cargo.lock");
            if !copy.is_file() || fs::read_to_string(&stamp).ok().as_deref() != Some(hash.as_str())
            {
                write_atomic(&copy, &lock)?;
                write_atomic(&stamp, hash.as_bytes())?;
            }
        }
        Ok(())
    }

    /// The path of `file` as the build package names it. Files of the course are reached
    /// through a link to their top folder (`exercises`, `solutions`), so the compiler and panic
    /// messages show `exercises/01_http/x.rs` rather than an absolute path.
    #[cfg(unix)]
    fn package_path(&self, file: &Path) -> Result<PathBuf> {
        let Ok(rel) = file.strip_prefix(&self.root) else {
            return Ok(file.to_path_buf());
        };
        let Some(std::path::Component::Normal(top)) = rel.components().next() else {
            return Ok(file.to_path_buf());
        };
        let link = self.package_dir.join(top);
        let real = self.root.join(top);
        if fs::read_link(&link).ok().as_deref() != Some(real.as_path()) {
            let _ = fs::remove_file(&link);
            std::os::unix::fs::symlink(&real, &link)
                .with_context(|| format!("cannot link {} to {}", link.display(), real.display()))?;
        }
        Ok(rel.to_path_buf())
    }

    /// The path of `file` as the build package names it: the file itself, since links to
    /// folders need Developer Mode or administrator rights on Windows. Compiler messages lose
    /// the course's folder prefix where they are collected (see `invoke`); panic messages
    /// show the absolute path.
    #[cfg(windows)]
    fn package_path(&self, file: &Path) -> Result<PathBuf> {
        Ok(file.to_path_buf())
    }

    /// Runs one cargo invocation over the build package, collecting artifacts and per-target
    /// diagnostics. Executables are linked into `package_dir/bin` as they appear, so a later
    /// build into a shared target folder cannot swap them under us.
    fn invoke(
        &self,
        mut cmd: Command,
        names: &[&str],
        supervisor: &Supervisor,
        limits: &Limits,
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Invocation> {
        let bin_dir = self.package_dir.join("bin");
        fs::create_dir_all(&bin_dir)
            .with_context(|| format!("cannot create {}", bin_dir.display()))?;
        let root_prefix = format!("{}{}", self.root.display(), std::path::MAIN_SEPARATOR);
        let mut result = Invocation::default();
        let mut units = 0;
        let limits = Limits {
            output_cap: CARGO_STDERR_CAP,
            ..limits.clone()
        };
        cmd.stdin(std::process::Stdio::null());
        let finished = supervisor
            .run_streaming(cmd, &limits, |line| {
                let Ok(message) = serde_json::from_str::<Message>(line) else {
                    return;
                };
                let ours = |target: &cargo_metadata::Target| {
                    target.kind.contains(&TargetKind::Bin) && names.contains(&target.name.as_str())
                };
                match message {
                    Message::CompilerMessage(msg) if ours(&msg.target) => {
                        let rendered = msg.message.rendered.as_deref().unwrap_or("");
                        let name = msg.target.name;
                        let entry = result.diagnostics.entry(name.clone()).or_default();
                        // Learner code can make the compiler say a lot (a macro expanding to
                        // thousands of warnings): keep what the output cap keeps, and a byte
                        // more so that the cap marks it cut.
                        if entry.len() <= limits.output_cap {
                            entry.push_str(&rendered.replace(&root_prefix, ""));
                        }
                        if msg.message.level == DiagnosticLevel::Error {
                            result.errored.push(name);
                        }
                    }
                    Message::CompilerArtifact(artifact) => {
                        let name = artifact.target.name.clone();
                        let fresh = artifact.fresh;
                        if let (true, Some(exe)) = (ours(&artifact.target), artifact.executable) {
                            let exe = PathBuf::from(exe);
                            let exe = match &self.confinement {
                                Some(c) => c.host_path(&exe),
                                None => exe,
                            };
                            let private = bin_dir.join(&name);
                            let moved = link_or_copy(&exe, &private);
                            if moved.is_ok() && !self.keep_outputs {
                                let _ = fs::remove_file(&exe);
                                let _ = fs::remove_file(exe.with_extension("d"));
                            }
                            let executable = if moved.is_ok() { private } else { exe };
                            result.executables.insert(name.clone(), executable.clone());
                            if let Some(index) = names.iter().position(|n| *n == name) {
                                on_progress(BuildProgress::Ready {
                                    index,
                                    artifact: Artifact { executable },
                                    diagnostics: Captured::new(
                                        result.diagnostics.get(&name).cloned().unwrap_or_default(),
                                    ),
                                });
                            }
                        }
                        units += 1;
                        on_progress(BuildProgress::Unit { name, fresh });
                    }
                    _ => {}
                }
            })
            .with_context(|| {
                crate::errors::Failure(format!("cannot run cargo for {}", self.manifest.display()))
            })?;
        result.stderr = finished.output;
        result.units = units;
        if finished.exit == Exit::TimedOut {
            result.timed_out = true;
            // Whatever had not compiled by then did not compile.
            for name in names {
                if !result.executables.contains_key(*name) {
                    result.errored.push(name.to_string());
                }
            }
        }
        Ok(result)
    }

    fn run_command(&self, artifact: &Artifact, target: &Target) -> Command {
        let mut cmd = Command::new(&artifact.executable);
        // Verdicts keep libtest's colours, as they keep the compiler's: whoever renders the
        // output decides whether to show them (`Captured::plain` strips them).
        if target.test {
            cmd.arg("--color=always");
        }
        if let Some(shared) = &target.shared {
            cmd.arg(&shared.filter);
        }
        cmd.current_dir(&self.workdir);
        if self.clean_env || self.confinement.is_some() {
            cmd.env_clear()
                .env("PATH", "/usr/local/bin:/usr/bin:/bin")
                .env("HOME", &self.workdir)
                .env("TMPDIR", std::env::temp_dir())
                .env("LANG", "C.UTF-8");
        }
        cmd.env("RUST_BACKTRACE", "0");
        let Some(jail) = self.confinement.as_ref().and_then(|c| c.jail.as_ref()) else {
            if self.confinement.is_some() {
                // Under a user of its own: its private folder is its temporary folder too.
                cmd.env("TMPDIR", &self.workdir);
            }
            return cmd;
        };
        // The program sees its executable, the shared libraries it links against and a private
        // /tmp; no shell to run, no /proc, nothing of the course or of other learners.
        let tmp = PathBuf::from("/tmp");
        cmd.current_dir(&tmp).env("HOME", &tmp).env("TMPDIR", &tmp);
        let mut mounts = jail::system_mounts(false);
        mounts.push(Mount::Tmpfs {
            at: tmp,
            bytes: JAILED_TMP_BYTES,
        });
        // After /tmp: the executable may live below it.
        mounts.push(Mount::ReadOnly(artifact.executable.clone()));
        jail.wrap(&cmd, &mounts)
    }

    /// Where the number of dependency units of a build of `targets` is kept: one file per set
    /// of lazy features, since each set compiles other crates. It exists once a build of that
    /// set compiled its dependencies.
    fn units_file(&self, targets: &[&Target]) -> PathBuf {
        let mut name = "dependency-units".to_string();
        for feature in self.requested_features(targets) {
            name.push('+');
            name.push_str(&feature);
        }
        self.package_dir.join(name)
    }

    /// How many dependency units a build of `targets` compiles (or reports as fresh): what the
    /// last build of the same features saw, or else the crates `cargo metadata` says the
    /// package depends on with those features.
    fn dependency_units(&self, targets: &[&Target]) -> usize {
        if let Some(n) = fs::read_to_string(self.units_file(targets))
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            return n;
        }
        self.count_dependencies(targets).unwrap_or(0)
    }

    /// Packages the exercise manifest depends on (transitively) with the features of a build
    /// of `targets`, plus one unit per build script, from `cargo metadata` (which runs the
    /// `CARGO` cargo, as builds do).
    fn count_dependencies(&self, targets: &[&Target]) -> Option<usize> {
        let mut command = MetadataCommand::new();
        command.manifest_path(&self.manifest);
        if let Some(features) = self.features_for(targets) {
            command
                .features(CargoOpt::NoDefaultFeatures)
                .features(CargoOpt::SomeFeatures(features));
        }
        let metadata = command.exec().ok()?;
        let resolve = metadata.resolve.as_ref()?;
        let nodes: HashMap<&PackageId, &Vec<PackageId>> = resolve
            .nodes
            .iter()
            .map(|node| (&node.id, &node.dependencies))
            .collect();
        let mut seen = HashSet::new();
        let mut stack = vec![resolve.root.as_ref()?];
        while let Some(id) = stack.pop() {
            for dep in nodes.get(id).into_iter().copied().flatten() {
                if seen.insert(dep) {
                    stack.push(dep);
                }
            }
        }
        let has_build_script = |id: &PackageId| {
            metadata.packages.iter().any(|p| {
                &p.id == id
                    && p.targets
                        .iter()
                        .any(|t| t.kind.contains(&TargetKind::CustomBuild))
            })
        };
        Some(
            seen.iter()
                .map(|id| 1 + usize::from(has_build_script(id)))
                .sum(),
        )
    }

    /// Holds an exclusive lock on the build package while `f` runs, so two runner processes on
    /// one course (watch mode and a `verify` in another terminal) never rewrite it under each
    /// other.
    fn locked<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        fs::create_dir_all(&self.package_dir)
            .with_context(|| format!("cannot create {}", self.package_dir.display()))?;
        let lock_path = self.package_dir.join(".lock");
        let lock = fs::File::create(&lock_path)
            .with_context(|| format!("cannot create {}", lock_path.display()))?;
        lock.lock()
            .with_context(|| format!("cannot lock {}", lock_path.display()))?;
        let result = f();
        let _ = lock.unlock();
        result
    }
}

#[derive(Default)]
struct Invocation {
    executables: HashMap<String, PathBuf>,
    diagnostics: HashMap<String, String>,
    errored: Vec<String>,
    stderr: Captured,
    /// Compilation units cargo reported (dependencies and our targets).
    units: usize,
    /// The build was stopped at its time limit.
    timed_out: bool,
}

impl Toolchain for Cargo {
    fn estimated_units(&self, targets: &[&Target]) -> usize {
        self.dependency_units(targets) + targets.len()
    }

    fn build_notice(&self, targets: &[&Target]) -> Option<String> {
        let crates = self.lazy_crates(targets);
        if crates.is_empty() || self.units_file(targets).is_file() {
            return None;
        }
        let them = if crates.len() == 1 { "it" } else { "them" };
        Some(format!(
            "First check that needs {}: compiling {them}; this happens once.",
            crates.join(", ")
        ))
    }

    fn build(
        &self,
        targets: &[&Target],
        supervisor: &Supervisor,
        limits: &Limits,
        on_progress: &mut dyn FnMut(BuildProgress),
    ) -> Result<Vec<Built>> {
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        let run = self.locked(|| {
            self.write_package(targets)?;
            let mut cmd = self.cargo("build");
            // Test harnesses for `test = true` binaries, plain builds for the others.
            cmd.arg("--tests");
            // Incremental state pays off when one exercise is rebuilt again and again (watch
            // mode) and costs about a fifth of a batch's build time, where each binary is built
            // once. Only the batch's own binaries are affected; crates are never incremental.
            cmd.env("CARGO_INCREMENTAL", self.incremental(targets.len()));
            cmd.args(self.feature_args(targets));
            for target in targets.iter().filter(|t| !t.test) {
                cmd.arg("--bin").arg(&target.name);
            }
            self.invoke(cmd, &names, supervisor, limits, on_progress)
        })?;
        // Remember how many dependency units a build reports, for the next progress bar.
        // A program that fails to compile reports no unit (and one error per message).
        let dependency_units = run.units.saturating_sub(run.executables.len());
        // The dependencies compiled when every target either built or failed on its own
        // code (an exercise as shipped): a later build of these features is no first build.
        let dependencies_built = !run.timed_out
            && !supervisor.cancelled()
            && targets.iter().all(|t| {
                run.executables.contains_key(&t.name)
                    || run
                        .diagnostics
                        .get(&t.name)
                        .is_some_and(|d| !d.trim().is_empty())
            });
        if dependencies_built {
            let _ = write_if_changed(
                &self.units_file(targets),
                dependency_units.to_string().as_bytes(),
            );
        }
        let timed_out = run.timed_out.then_some(Reason::BuildTimedOut {
            secs: limits.timeout.as_secs(),
        });
        Ok(targets
            .iter()
            .map(|target| {
                let name = target.name.as_str();
                let diagnostics = run.diagnostics.get(name).cloned().unwrap_or_default();
                let failed = run.errored.iter().any(|n| n == name);
                match run.executables.get(name) {
                    Some(exe) if !failed => Built::Ok {
                        artifact: Artifact {
                            executable: exe.clone(),
                        },
                        diagnostics: Captured::new(diagnostics),
                    },
                    // No diagnostics of its own: cargo itself failed (manifest, dependency).
                    _ if diagnostics.trim().is_empty() => Built::Failed {
                        output: run.stderr.clone(),
                        reason: timed_out.clone(),
                    },
                    _ => Built::Failed {
                        output: Captured::new(diagnostics),
                        reason: timed_out.clone(),
                    },
                }
            })
            .collect())
    }

    fn run(
        &self,
        target: &Target,
        artifact: &Artifact,
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Finished, String> {
        supervisor
            .run(self.run_command(artifact, target), limits)
            .map_err(|err| format!("cannot start {}: {err}\n", artifact.executable.display()))
    }

    fn list_tests(
        &self,
        target: &Target,
        artifact: &Artifact,
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Option<Vec<String>> {
        let mut cmd = self.run_command(artifact, target);
        cmd.args(["--list", "--format=terse"]);
        let listed = supervisor.run(cmd, limits).ok()?;
        if listed.exit != Exit::Code(0) {
            return None;
        }
        // `tests::name: test`, one per line.
        Some(
            listed
                .output
                .plain()
                .lines()
                .filter_map(|line| line.strip_suffix(": test").map(str::to_string))
                .collect(),
        )
    }

    fn lint(
        &self,
        targets: &[&Target],
        supervisor: &Supervisor,
        limits: &Limits,
    ) -> Result<Vec<Option<Captured>>> {
        let names: Vec<&str> = targets.iter().map(|t| t.name.as_str()).collect();
        let mut run = self.locked(|| {
            let mut cmd = self.cargo("clippy");
            cmd.args(self.feature_args(targets));
            for name in &names {
                cmd.arg("--bin").arg(name);
            }
            cmd.args(["--", "-D", "warnings"]);
            self.invoke(cmd, &names, supervisor, limits, &mut |_| {})
        })?;
        Ok(names
            .iter()
            .map(|name| {
                let failed = run.errored.iter().any(|n| n == name);
                failed.then(|| Captured::new(run.diagnostics.remove(*name).unwrap_or_default()))
            })
            .collect())
    }
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    write_atomic(path, bytes)
}

/// Hard-links `from` to `to` (replacing `to`), copying when a link is not possible.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    let _ = fs::remove_file(to);
    fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(|_| ()))
}

#[cfg(test)]
mod tests {
    use crate::engine::rules::failing_tests;
    use crate::verdict::Captured;

    #[test]
    fn failing_test_names_from_libtest_output() {
        let output =
            "running 3 tests\ntest tests::a ... ok\ntest tests::b ... FAILED\ntest c ... FAILED\n";
        assert_eq!(failing_tests(output), ["tests::b", "c"]);
        // What a colour terminal gets: a red FAILED and a charset reset.
        let coloured = Captured::new("test tests::b ... \u{1b}[31mFAILED\u{1b}(B\u{1b}[m\n");
        assert_eq!(failing_tests(&coloured.plain()), ["tests::b"]);
    }

    #[test]
    fn the_build_package_drops_the_course_manifest_default_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"course\"\nversion = \"0.1.0\"\nedition = \"2024\"\ndefault-run = \"course-runner\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("exercises")).unwrap();
        std::fs::write(dir.path().join("exercises/a.rs"), "fn main() {}\n").unwrap();
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        let cargo = super::Cargo::new(
            dir.path(),
            dir.path().join("Cargo.toml"),
            dir.path().join("pkg"),
            dir.path().join("target"),
        );
        let target = crate::engine::Target {
            name: "a".into(),
            main_file: dir.path().join("exercises/a.rs"),
            test: false,
            strict_clippy: false,
            timeout: std::time::Duration::from_secs(1),
            shared: None,
            tests: crate::engine::TestCount::Source,
            python: None,
            features: Vec::new(),
        };
        cargo.write_package(&[&target]).unwrap();
        let written = std::fs::read_to_string(dir.path().join("pkg/Cargo.toml")).unwrap();
        assert!(!written.contains("default-run"), "{written}");
        assert!(written.contains("name = \"a\""), "{written}");
    }

    #[test]
    fn a_shared_build_folder_is_one_off_and_forgets_a_package_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared \"build\"");
        let mut cargo = super::Cargo::new(
            dir.path(),
            dir.path().join("Cargo.toml"),
            dir.path().join("pkg"),
            dir.path().join("target"),
        );
        assert!(cargo.shared_build_dir_args().is_empty());
        assert_eq!(
            cargo.incremental(1),
            "1",
            "watch mode rebuilds one exercise"
        );
        cargo.shared_build_dir = Some(shared.clone());
        let args = cargo.shared_build_dir_args();
        let value: toml::Value = args[1]
            .strip_prefix("build.build-dir=")
            .unwrap()
            .parse::<toml::Value>()
            .unwrap();
        assert_eq!(value.as_str(), Some(shared.to_str().unwrap()));
        assert!(args.contains(&"profile.dev.incremental=false".to_string()));
        assert_eq!(cargo.incremental(1), "0");

        let fingerprints = shared.join("debug").join(".fingerprint");
        for unit in ["grade-7-1-0a1b", "grade-7-10-2c3d", "serde-4e5f"] {
            std::fs::create_dir_all(fingerprints.join(unit)).unwrap();
        }
        cargo.forget_package("grade-7-1");
        let mut left: Vec<String> = std::fs::read_dir(&fingerprints)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["grade-7-10-2c3d", "serde-4e5f"]);
    }
}
