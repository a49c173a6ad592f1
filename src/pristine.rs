//! Where the original ("pristine") version of an exercise comes from, for `reset`. In order:
//!
//! 1. the course embedded in this binary, when the course is that one (its `info.toml` is the
//!    same): `build.rs` embedded the shipped versions, so no edit or commit counts;
//! 2. the course's `course.lock` (see [`crate::course_lock`]), which names the shipped blob of
//!    every file: unchanged files are taken as they are, edited ones from git's objects;
//! 3. a course without a lock (a rustlings community course): git, at the commit the learner
//!    cloned (the merge base of `HEAD` and its upstream branch, which a learner's own commits
//!    never reach), or else at the commit that added the file.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use crate::course::{Course, Exercise, Language, Shape};
use crate::course_lock;
use crate::embedded;
use crate::fsutil::write_atomic;

/// Files with their paths relative to the course root.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Restores `exercise` to its original content. Returns where the original came from.
pub fn restore(course: &Course, exercise: &Exercise) -> Result<&'static str> {
    let (files, source) = original(course, exercise)?;
    if exercise.language == Language::Python && exercise.shape == Shape::Dir {
        // Every `.py` file of a package is one of its modules, checked and graded: a module
        // the learner added is not the shipped exercise.
        let package = course.root.join(exercise.rel_path());
        let shipped: Vec<PathBuf> = files.iter().map(|(p, _)| course.root.join(p)).collect();
        for file in crate::engine::python::package_files(&package).unwrap_or_default() {
            if !shipped.contains(&file) {
                std::fs::remove_file(&file)
                    .with_context(|| format!("cannot remove {}", file.display()))?;
            }
        }
    }
    for (path, bytes) in files {
        write_atomic(&course.root.join(path), &bytes)?;
    }
    Ok(source)
}

/// The original files of `exercise` (paths relative to the course root) and where they come
/// from, without writing anything: `run` and watch mode compare the learner's copy with them.
pub fn original(course: &Course, exercise: &Exercise) -> Result<(Files, &'static str)> {
    let rel = exercise.rel_path();
    let (files, source) = originals(&course.root, &rel)?;
    if files.is_empty() {
        bail!("no original of {} was found", rel.display());
    }
    Ok((files, source))
}

fn originals(root: &Path, rel: &Path) -> Result<(Files, &'static str)> {
    if let Some(set) = embedded::course_files(root) {
        let files = embedded::files_of(set, rel)
            .into_iter()
            .map(|(p, bytes)| (p, bytes.to_vec()))
            .collect();
        return Ok((files, "the copy built into backendlings"));
    }
    let lock = course_lock::read(root).map_err(|err| anyhow!("{}", err))?;
    if let Some(entries) = lock {
        return Ok((
            from_lock(root, &entries, rel)?,
            "the version named in course.lock",
        ));
    }
    from_git(root, rel)
}

fn slash(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

fn from_lock(root: &Path, entries: &[course_lock::Entry], rel: &Path) -> Result<Files> {
    let wanted = slash(rel);
    let folder = format!("{wanted}/");
    let mut files = Vec::new();
    for entry in entries
        .iter()
        .filter(|e| e.path == wanted || e.path.starts_with(&folder))
    {
        let (bytes, _) = course_lock::shipped_bytes(root, entry).with_context(|| {
            format!(
                "cannot reset {}: it was changed, and git has no copy of the version course.lock names ({})\n  help: in a clone, `git checkout <the first commit> -- {}` may restore it",
                entry.path, entry.id, entry.path
            )
        })?;
        files.push((PathBuf::from(&entry.path), bytes));
    }
    if files.is_empty() {
        bail!(
            "cannot reset {wanted}: course.lock does not list it (the course author should run `backendlings dev update`)"
        );
    }
    Ok(files)
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

fn first_line(bytes: &[u8]) -> Option<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
}

/// The commit this clone was made from: where `HEAD` meets its upstream branch.
fn cloned_commit(root: &Path) -> Option<String> {
    let upstream = git(root, &["rev-parse", "--verify", "-q", "@{upstream}"]).ok()?;
    let upstream = first_line(&upstream)?;
    first_line(&git(root, &["merge-base", "HEAD", &upstream]).ok()?)
}

fn from_git(root: &Path, rel: &Path) -> Result<(Files, &'static str)> {
    let rel_str = slash(rel);
    let help = || {
        format!(
            "cannot reset {rel_str}: this course is not the one built into backendlings, has no course.lock, and git has no committed version of it"
        )
    };
    if let Some(commit) = cloned_commit(root) {
        let files = files_at(root, &commit, &rel_str)?;
        if !files.is_empty() {
            return Ok((files, "git history (the commit this clone was made from)"));
        }
    }
    // The oldest commit that added it (a file deleted and re-added counts from its last add).
    let commits = git(
        root,
        &["log", "--diff-filter=A", "--format=%H", "--", &rel_str],
    )
    .with_context(help)?;
    let Some(commit) = first_line(&commits) else {
        bail!(help())
    };
    let files = files_at(root, &commit, &rel_str)?;
    if files.is_empty() {
        bail!(help());
    }
    Ok((files, "git history (the commit that added it)"))
}

fn files_at(root: &Path, commit: &str, rel: &str) -> Result<Files> {
    let listing = git(root, &["ls-tree", "-r", "--name-only", commit, "--", rel])?;
    let mut files = Vec::new();
    for path in String::from_utf8_lossy(&listing).lines() {
        let bytes = git(root, &["show", &format!("{commit}:./{path}")])?;
        files.push((PathBuf::from(path), bytes));
    }
    Ok(files)
}
