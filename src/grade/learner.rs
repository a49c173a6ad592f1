//! Finding learner trees (`LEARNER_DIR...`, `--cohort DIR`) and, with `--at`, reading the last
//! commit before a deadline out of a learner's git repository without touching it.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// A learner to grade, named after their folder.
#[derive(Debug, Clone)]
pub struct Learner {
    pub name: String,
    pub dir: PathBuf,
}

/// The files to grade for one learner: their working tree, or a commit read into a temporary
/// folder.
pub struct Tree {
    pub root: PathBuf,
    pub commit: Option<String>,
    /// Keeps the temporary folder of a commit alive while it is graded.
    _checkout: Option<tempfile::TempDir>,
}

/// The learners named on the command line, then every subfolder of `cohort` (sorted). Names
/// are made unique with a `-2`, `-3` suffix.
pub fn discover(dirs: &[PathBuf], cohort: Option<&Path>) -> Result<Vec<Learner>> {
    let mut learners: Vec<Learner> = dirs
        .iter()
        .map(|dir| Learner {
            name: folder_name(dir),
            dir: dir.clone(),
        })
        .collect();
    if let Some(cohort) = cohort {
        let entries = fs::read_dir(cohort).with_context(|| {
            format!(
                "cannot read the cohort folder {}; --cohort takes a folder holding one folder per learner",
                cohort.display()
            )
        })?;
        let mut found: Vec<Learner> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| Learner {
                name: e.file_name().to_string_lossy().into_owned(),
                dir: e.path(),
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        learners.extend(found);
    }
    if learners.is_empty() {
        bail!(
            "no learners to grade\n  help: name learner folders (`backendlings grade alice/ bob/`) or a cohort (`--cohort DIR`)"
        );
    }
    let mut seen = HashSet::new();
    for learner in &mut learners {
        let base = learner.name.clone();
        let mut n = 1;
        while !seen.insert(learner.name.clone()) {
            n += 1;
            learner.name = format!("{base}-{n}");
        }
    }
    Ok(learners)
}

fn folder_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .components()
        .next_back()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "/")
        .unwrap_or_else(|| dir.display().to_string())
}

/// The tree to grade for `learner`: the commit at the deadline when `deadline` is given and the
/// folder is a git repository, otherwise the folder itself. An error explains why this learner
/// cannot be graded.
pub fn tree(learner: &Learner, deadline: Option<&jiff::Timestamp>) -> Result<Tree> {
    let dir = &learner.dir;
    let meta = fs::metadata(dir).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => {
            anyhow::anyhow!("learner folder {} does not exist", dir.display())
        }
        _ => anyhow::anyhow!("cannot read learner folder {}: {err}", dir.display()),
    })?;
    if !meta.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let empty = fs::read_dir(dir)
        .with_context(|| format!("cannot read learner folder {}", dir.display()))?
        .next()
        .is_none();
    if empty {
        bail!("learner folder {} is empty", dir.display());
    }
    let tree = match deadline {
        Some(deadline) if dir.join(".git").exists() => checkout_at(dir, deadline)?,
        _ => Tree {
            root: dir.clone(),
            commit: None,
            _checkout: None,
        },
    };
    if !tree.root.join("exercises").is_dir() {
        bail!(
            "{} is not a course tree: it has no exercises/ folder{}",
            dir.display(),
            tree.commit
                .as_ref()
                .map(|c| format!(" at commit {c}"))
                .unwrap_or_default()
        );
    }
    Ok(tree)
}

/// A git command on a learner's repository. The repository is untrusted: its hooks and
/// file-system monitor are disabled, and git only reads from it.
fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-c")
        .arg(format!("safe.directory={}", dir.display()))
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .arg("-C")
        .arg(dir)
        .stdin(Stdio::null())
        .env("GIT_TERMINAL_PROMPT", "0");
    cmd
}

/// Reads the last commit at or before `deadline` (by committer date, on `HEAD`'s history) into
/// a temporary folder with `git archive`; the learner's working tree, index and branches are
/// left alone.
fn checkout_at(dir: &Path, deadline: &jiff::Timestamp) -> Result<Tree> {
    let output = git(dir)
        .args(["rev-list", "-1"])
        .arg(format!("--before={} +0000", deadline.as_second()))
        .arg("HEAD")
        .output()
        .context("cannot run git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "git cannot read the history of {}: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let commit = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if commit.is_empty() {
        bail!("{} has no commit at or before {deadline}", dir.display());
    }
    let checkout = tempfile::Builder::new()
        .prefix("backendlings-commit-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let archive = checkout.path().join("commit.tar");
    let root = checkout.path().join("tree");
    fs::create_dir(&root).context("cannot create a temporary folder")?;
    let status = git(dir)
        .args(["archive", "--format=tar", "-o"])
        .arg(&archive)
        .arg(&commit)
        .stdout(Stdio::null())
        .status()
        .context("cannot run git archive")?;
    if !status.success() {
        bail!("git archive of commit {commit} in {} failed", dir.display());
    }
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(&root)
        .arg("--no-same-owner")
        .stdin(Stdio::null())
        .status()
        .context("cannot run tar")?;
    if !status.success() {
        bail!("cannot unpack commit {commit} of {}", dir.display());
    }
    let _ = fs::remove_file(&archive);
    Ok(Tree {
        root,
        commit: Some(commit),
        _checkout: Some(checkout),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohort_subfolders_sorted_and_names_unique() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["bob", "alice", ".hidden"] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let extra = dir.path().join("alice");
        let learners = discover(&[extra], Some(dir.path())).unwrap();
        let names: Vec<&str> = learners.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["alice", "alice-2", "bob"]);
    }

    #[test]
    fn no_learners_is_a_usage_error() {
        assert!(discover(&[], None).is_err());
    }

    #[test]
    fn missing_empty_and_non_course_folders_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let learner = |name: &str| Learner {
            name: name.into(),
            dir: dir.path().join(name),
        };
        let err = |name: &str| tree(&learner(name), None).err().unwrap().to_string();
        assert!(err("gone").contains("does not exist"));
        fs::create_dir(dir.path().join("empty")).unwrap();
        assert!(err("empty").contains("is empty"));
        fs::create_dir(dir.path().join("other")).unwrap();
        fs::write(dir.path().join("other/README"), "hi").unwrap();
        assert!(err("other").contains("not a course tree"));
    }
}
