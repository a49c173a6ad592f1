//! `backendlings init [DIR]`: a ready learner workspace anywhere, from the course embedded in
//! this binary, so it works from an installed binary with no source tree around (and offline
//! once the exercise crates are in cargo's cache).
//!
//! A workspace holds the exercises, `info.toml` (byte for byte the embedded one, which is how
//! `reset` and solution reveals recognise it), a self-contained cargo manifest, the lock file,
//! editor settings and a git repository. It holds no solutions: see [`crate::solutions`].

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use console::style;

use crate::course::{Course, INFO_FILE};
use crate::course_lock;
use crate::embedded;
use crate::fsutil::{create_dir_with, write_atomic};
use crate::invocation::shell_quote;
use crate::manifest::{self, ManifestState};
use crate::progress::STATE_DIR;
use crate::stdout::outln;

/// Where `init` puts the workspace when no folder is named.
const DEFAULT_DIR: &str = "backendlings";
/// Where `init --track python` puts it.
const DEFAULT_PYTHON_DIR: &str = "backendlings-python";

/// What `init` did beyond writing files.
#[derive(Debug, PartialEq, Eq)]
pub enum Git {
    /// A repository with one commit holding the initial exercises.
    Committed,
    /// Not asked for (tests).
    Skipped,
    /// git is not installed, or failed; the reason is for the user.
    Unavailable(String),
}

pub fn run(dir: Option<&Path>, python: bool) -> Result<ExitCode> {
    if dir.is_none()
        && let Ok(course) = crate::context::course_root(None)
    {
        // `init` typed again inside a workspace would nest a second course in the first.
        bail!(
            "you are inside the course in {}: start it with `{}`, or name a folder for a new \
             workspace: {}",
            course.display(),
            crate::invocation::invocation(),
            crate::invocation::typed("init DIR")
        );
    }
    let default = if python {
        DEFAULT_PYTHON_DIR
    } else {
        DEFAULT_DIR
    };
    let dest = dir.unwrap_or(Path::new(default));
    let git = if python {
        create_python_workspace(dest, true)?
    } else {
        create_workspace(dest, true)?
    };
    let course = Course::load(dest)?;
    outln!(
        "{} a backendlings workspace in {} ({} in {})",
        style("Created").green().bold(),
        dest.display(),
        count(course.exercises.len(), "exercise"),
        count(course.sections.len(), "section")
    )?;
    if let Git::Unavailable(why) = &git {
        outln!(
            "{} no git repository was made ({why}); `reset` still works, since the originals are built into backendlings",
            style("note:").yellow().bold()
        )?;
    }
    outln!(
        "\nNext:\n  cd {}\n  {}          # watch mode: fix the current exercise, save, repeat",
        shell_quote(dest),
        crate::invocation::invocation()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Creates the workspace at `dest` (which must not exist or be empty). With `git`, makes it a
/// repository with an initial commit when git is available.
pub fn create_workspace(dest: &Path, git: bool) -> Result<Git> {
    let mut outcome = Git::Skipped;
    create_dir_with(dest, |staging| {
        write_files(staging)?;
        if git {
            outcome = git_init(staging);
        }
        Ok(())
    })?;
    Ok(outcome)
}

/// Creates a Python track workspace at `dest`: its exercises, `info.toml`, the package lock and
/// a git repository; the environment is built on the first start.
pub fn create_python_workspace(dest: &Path, git: bool) -> Result<Git> {
    if embedded::python_all().is_empty() {
        bail!(
            "this backendlings was built without the Python track (python/course.lock was missing)"
        );
    }
    let mut outcome = Git::Skipped;
    create_dir_with(dest, |staging| {
        for (path, bytes) in embedded::python_all() {
            if path.starts_with("exercises/") || *path == INFO_FILE || *path == "requirements.lock"
            {
                write_atomic(&staging.join(path), bytes)?;
            }
        }
        Course::load(staging).map_err(anyhow::Error::new).context(
            "the Python track built into backendlings is not valid (a bug: please report it)",
        )?;
        write_atomic(
            &staging.join(".gitignore"),
            format!("/target\n/{STATE_DIR}\n/solutions\n/classroom.db*\n__pycache__/\n").as_bytes(),
        )?;
        if git {
            outcome = git_init(staging);
        }
        Ok(())
    })?;
    Ok(outcome)
}

fn write_files(root: &Path) -> Result<()> {
    for (path, bytes) in embedded::all() {
        if path.starts_with("exercises/") {
            write_atomic(&root.join(path), bytes)?;
        }
    }
    write_atomic(&root.join(INFO_FILE), embedded::info_toml().as_bytes())?;
    // The embedded manifest goes in first so that `standalone` keeps its dependencies and lints;
    // then its `bin` list is rewritten for this layout, without solutions.
    let manifest_path = root.join("Cargo.toml");
    write_atomic(&manifest_path, embedded::manifest().as_bytes())?;
    let course = Course::load(root)
        .map_err(anyhow::Error::new)
        .context("the course built into backendlings is not valid (a bug: please report it)")?;
    write_atomic(
        &manifest_path,
        manifest::standalone(&course, false)?.as_bytes(),
    )?;
    if manifest::sync_state(&course)? != ManifestState::Current {
        bail!("the workspace manifest does not match info.toml (a bug: please report it)");
    }
    // The lock file of the course's own repository, so every learner builds the versions the
    // course was tested with. It also pins the runner's crates, which cargo would drop on the
    // first build (a modified file in a fresh repository): they are dropped here instead.
    let package = package_name(embedded::manifest())?;
    write_atomic(
        &root.join("Cargo.lock"),
        prune_lock(embedded::LOCK_FILE, &package)?.as_bytes(),
    )?;
    settle_lock(root);
    write_atomic(
        &root.join(".gitignore"),
        // Solutions appear after a pass: the learner's to read, not to commit. The classroom
        // server keeps its room in `classroom.db` when an instructor starts it here.
        format!("/target\n/{STATE_DIR}\n/solutions\n/classroom.db*\n").as_bytes(),
    )?;
    write_atomic(
        &root.join(".vscode").join("extensions.json"),
        VSCODE_EXTENSIONS.as_bytes(),
    )?;
    write_atomic(&root.join("README.md"), README.as_bytes())?;
    // The workspace's own record of what it shipped with, so that `reset` finds the originals
    // in the workspace's first commit even after this binary is replaced by a newer course.
    let lock = course_lock::from_working_tree(root, "Cargo.toml")
        .context("cannot read the new workspace back")?;
    write_atomic(
        &root.join(course_lock::LOCK_FILE),
        course_lock::render(&lock).as_bytes(),
    )?;
    Ok(())
}

/// Lets cargo write the lock file as it wants it for this workspace alone, offline, from the
/// pruned one: a crate the course shares with the runner's other packages (axum and tokio with
/// the classroom server) is locked there with the dependencies of every feature the repository
/// turns on, which cargo drops for the exercise package alone on its first build. Versions do
/// not change. Without cargo, or offline without what it needs, the pruned lock stays.
fn settle_lock(root: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let _ = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--offline",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
}

fn package_name(manifest: &str) -> Result<String> {
    let doc: toml_edit::DocumentMut = manifest
        .parse()
        .context("the embedded manifest is not valid TOML")?;
    doc.get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .context("the embedded manifest has no package name")
}

/// `lock` without the packages that `package` does not depend on, directly or not. Entries
/// kept are left exactly as cargo wrote them, so cargo finds nothing to rewrite.
fn prune_lock(lock: &str, package: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = lock
        .parse()
        .context("the embedded lock file is not valid")?;
    let Some(packages) = doc
        .get_mut("package")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
    else {
        return Ok(lock.to_string());
    };
    let field = |t: &toml_edit::Table, key: &str| {
        t.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let entries: Vec<(String, String, Vec<String>)> = packages
        .iter()
        .map(|t| {
            let deps = t
                .get("dependencies")
                .and_then(|d| d.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (field(t, "name"), field(t, "version"), deps)
        })
        .collect();
    // A dependency is `name`, `name version` or `name version (source)`.
    let matches = |dep: &str, (name, version, _): &(String, String, Vec<String>)| {
        let mut parts = dep.split(' ');
        parts.next() == Some(name.as_str()) && parts.next().is_none_or(|v| v == version)
    };
    let mut keep = vec![false; entries.len()];
    let mut stack: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].0 == package)
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut keep[i], true) {
            continue;
        }
        for dep in &entries[i].2 {
            stack.extend((0..entries.len()).filter(|&j| !keep[j] && matches(dep, &entries[j])));
        }
    }
    if !keep.iter().any(|k| *k) {
        bail!("the embedded lock file does not list the package `{package}`");
    }
    let mut index = 0;
    packages.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    // Cargo names a dependency by its version (and source) only while the name alone is
    // ambiguous; once the other versions are gone, it writes the name alone.
    let kept: Vec<&(String, String, Vec<String>)> = entries
        .iter()
        .zip(&keep)
        .filter_map(|(e, k)| k.then_some(e))
        .collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for entry in &kept {
        *counts.entry(entry.0.as_str()).or_default() += 1;
    }
    for table in packages.iter_mut() {
        let Some(deps) = table.get_mut("dependencies").and_then(|d| d.as_array_mut()) else {
            continue;
        };
        for i in 0..deps.len() {
            let Some(dep) = deps.get(i).and_then(|v| v.as_str()) else {
                continue;
            };
            let name = dep.split(' ').next().unwrap_or(dep).to_string();
            if dep != name && counts.get(name.as_str()) == Some(&1) {
                deps.replace(i, name);
            }
        }
    }
    Ok(doc.to_string())
}

/// `git init` and an initial commit, so that a learner (and `grade --at`) has history from the
/// first minute. Any failure is reported, not fatal: the workspace works without git.
fn git_init(root: &Path) -> Git {
    let git = |args: &[&str]| -> Result<(), String> {
        let output = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => "git is not installed".to_string(),
                _ => format!("cannot run git: {err}"),
            })?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    let has_identity = Command::new("git")
        .args(["config", "user.email"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty());
    let mut commit = Vec::new();
    if !has_identity {
        // Without an identity git refuses to commit; this first commit is the runner's anyway.
        commit.extend([
            "-c",
            "user.name=backendlings",
            "-c",
            "user.email=backendlings@localhost",
        ]);
    }
    // The initial commit is made by the runner: no signing prompt, no user hooks.
    commit.extend([
        "commit",
        "-q",
        "--no-verify",
        "--no-gpg-sign",
        "-m",
        "Start the backendlings course",
    ]);
    let result = git(&["-c", "init.defaultBranch=main", "init", "-q"])
        .and_then(|()| git(&["add", "-A"]))
        .and_then(|()| git(&commit));
    match result {
        Ok(()) => Git::Committed,
        Err(why) => {
            // A half-made repository is worse than none.
            let _ = std::fs::remove_dir_all(root.join(".git"));
            Git::Unavailable(why)
        }
    }
}

/// `1 exercise`, `2 exercises`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

const VSCODE_EXTENSIONS: &str = r#"{
  "recommendations": ["rust-lang.rust-analyzer"]
}
"#;

const README: &str = "# backendlings

Your backendlings workspace: the backend developer roadmap, one small Rust exercise at a time.

- `backendlings` starts watch mode: open the current exercise in your editor, fix it, save.
- `backendlings list` shows every exercise; `backendlings hint NAME` helps when you are stuck.
- `backendlings verify` checks everything at once; `backendlings reset NAME` restores an exercise.

After an exercise passes, its reference solution appears in `solutions/`.
Commit your work as you go: `init` made this folder a git repository when git was available.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruned_lock_keeps_exactly_what_the_exercises_use() {
        let lock = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.0.0\"\ndependencies = [\n \"a\",\n \"b 2.0.0\",\n]\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"b\"\nversion = \"2.0.0\"\ndependencies = [\n \"c\",\n]\n\n[[package]]\nname = \"c\"\nversion = \"1.0.0\"\n\n[[package]]\nname = \"runner\"\nversion = \"0.1.0\"\n";
        let pruned = prune_lock(lock, "app").unwrap();
        assert_eq!(
            pruned,
            lock.replace("[[package]]\nname = \"b\"\nversion = \"1.0.0\"\n\n", "")
                .replace(
                    "\n[[package]]\nname = \"runner\"\nversion = \"0.1.0\"\n",
                    ""
                )
                // One `b` is left, so cargo names it without its version.
                .replace("\"b 2.0.0\"", "\"b\"")
        );
    }

    #[test]
    fn the_embedded_lock_covers_the_embedded_manifest() {
        let package = package_name(embedded::manifest()).unwrap();
        let pruned = prune_lock(embedded::LOCK_FILE, &package).unwrap();
        assert!(pruned.contains(&format!("name = \"{package}\"")));
        // The runner's own crates are not the exercises' business.
        assert!(!pruned.contains("name = \"clap\""));
    }

    #[test]
    fn paths_are_quoted_only_when_needed() {
        assert_eq!(shell_quote(Path::new("~/course")), "~/course");
        assert_eq!(shell_quote(Path::new("my course")), "'my course'");
    }
}
