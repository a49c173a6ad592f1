//! The course this binary was built with, embedded so that `init` works anywhere (offline) and
//! `reset` can restore an exercise exactly as shipped. `build.rs` collects the files named by
//! `course.lock`, in their shipped versions, never the learner's edits.

use std::path::{Path, PathBuf};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/course_files.rs"));
}

pub const LOCK_FILE: &str = include_str!("../Cargo.lock");

/// The exercise package's manifest in the repository the binary was built from.
const MANIFEST_PATH: &str = "dev/Cargo.toml";

/// Every embedded file, as (path relative to the course root, `/`-separated; contents).
pub fn all() -> &'static [(&'static str, &'static [u8])] {
    generated::FILES
}

fn text(path: &str) -> &'static str {
    all()
        .iter()
        .find(|(p, _)| *p == path)
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
        .unwrap_or_default()
}

pub fn info_toml() -> &'static str {
    text(crate::course::INFO_FILE)
}

/// The exercise package's manifest (dependencies, lints); `init` rewrites its `bin` list.
pub fn manifest() -> &'static str {
    text(MANIFEST_PATH)
}

/// The Python track's embedded files (paths relative to its own root, `python/` in the
/// repository); empty when the binary was built without it.
pub fn python_all() -> &'static [(&'static str, &'static [u8])] {
    generated::PYTHON_FILES
}

/// The embedded files of `course` (the Rust course, or the Python track) whose root holds the
/// same `info.toml`, byte for byte; `None` for any other course.
pub fn course_files(root: &Path) -> Option<&'static [(&'static str, &'static [u8])]> {
    let info = std::fs::read(root.join(crate::course::INFO_FILE)).ok()?;
    [all(), python_all()].into_iter().find(|files| {
        files
            .iter()
            .any(|(path, bytes)| *path == crate::course::INFO_FILE && *bytes == info.as_slice())
    })
}

/// The embedded files at `rel` (a path relative to the course root, `exercises/...` or
/// `solutions/...`): one file, or every file of a folder. Paths are relative to the course root.
#[cfg(test)]
pub fn files(rel: &Path) -> Vec<(PathBuf, &'static [u8])> {
    files_of(all(), rel)
}

/// [`files`] of a given set of embedded files.
pub fn files_of(
    set: &'static [(&'static str, &'static [u8])],
    rel: &Path,
) -> Vec<(PathBuf, &'static [u8])> {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let wanted = parts.join("/");
    if !(wanted.starts_with("exercises/") || wanted.starts_with("solutions/")) {
        return Vec::new();
    }
    let folder = format!("{wanted}/");
    set.iter()
        .filter(|(path, _)| *path == wanted || path.starts_with(&folder))
        .map(|(path, bytes)| (PathBuf::from(path), *bytes))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_course_and_finds_files_and_folders() {
        assert!(info_toml().contains("[[exercises]]"));
        assert!(manifest().contains("[package]"));
        // The course as built in, not this working tree (a learner may have deleted a file).
        let dir = tempfile::tempdir().unwrap();
        crate::init::create_workspace(dir.path(), false).unwrap();
        let course = crate::course::Course::load(dir.path()).unwrap();
        let first = &course.exercises[0];
        assert_eq!(files(&first.rel_path()).len(), 1);
        let folder = course
            .exercises
            .iter()
            .find(|e| e.rel_main_file() != e.rel_path())
            .expect("the course has a folder exercise");
        assert!(files(&folder.rel_path()).len() > 1);
        assert!(
            files(Path::new("info.toml")).is_empty(),
            "only exercises and solutions"
        );
    }
}
