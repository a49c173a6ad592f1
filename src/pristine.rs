//! Where the original ("pristine") version of an exercise comes from, for `reset`: the course
//! embedded in this binary when the course is that one, otherwise the git history (the version
//! the file was added with, so a learner's own commits do not count as the original).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::course::{Course, Exercise};
use crate::embedded;
use crate::fsutil::write_atomic;

/// Files with their paths relative to the course root.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Restores `exercise` to its original content. Returns where the original came from.
pub fn restore(course: &Course, exercise: &Exercise) -> Result<&'static str> {
    let (files, source) = original(course, exercise)?;
    for (path, bytes) in files {
        write_atomic(&course.root.join(path), &bytes)?;
    }
    Ok(source)
}

/// The original files of `exercise` (paths relative to the course root) and where they come
/// from, without writing anything: `run` and watch mode compare the learner's copy with them.
pub fn original(course: &Course, exercise: &Exercise) -> Result<(Files, &'static str)> {
    let rel = exercise.rel_path();
    let (files, source) = if embedded::is_embedded_course(&course.root) {
        let files: Vec<(PathBuf, Vec<u8>)> = embedded::files(&rel)
            .into_iter()
            .map(|(p, bytes)| (p, bytes.to_vec()))
            .collect();
        (files, "the copy built into backendlings")
    } else {
        (from_git(&course.root, &rel)?, "git history")
    };
    if files.is_empty() {
        bail!("no original of {} was found", rel.display());
    }
    Ok((files, source))
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context(crate::errors::Failure(
            "cannot run git (is it installed?)".into(),
        ))?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

fn from_git(root: &Path, rel: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let rel_str = rel.to_string_lossy().replace('\\', "/");
    let help = || {
        format!(
            "cannot reset {rel_str}: this course is not the one built into backendlings and git has no committed version of it"
        )
    };
    let commit = git(
        root,
        &["log", "--diff-filter=A", "--format=%H", "--", &rel_str],
    )
    .with_context(help)?;
    // The oldest commit that added it (a file deleted and re-added counts from its last add).
    let commit = String::from_utf8_lossy(&commit)
        .lines()
        .next()
        .map(str::to_string);
    let Some(commit) = commit else { bail!(help()) };
    let listing = git(
        root,
        &["ls-tree", "-r", "--name-only", &commit, "--", &rel_str],
    )?;
    let mut files = Vec::new();
    for path in String::from_utf8_lossy(&listing).lines() {
        let bytes = git(root, &["show", &format!("{commit}:./{path}")])?;
        files.push((PathBuf::from(path), bytes));
    }
    if files.is_empty() {
        bail!(help());
    }
    Ok(files)
}
