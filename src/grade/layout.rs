//! Where a learner's tree is inside what they submitted: the workspace itself, the one folder
//! inside it that holds `exercises/` (a zip of the workspace folder, a repository with the
//! course in a subfolder), or just the exercises (a zip of `exercises/`'s contents). Folders
//! that archivers add (`__MACOSX/` in a zip made by macOS Finder) and hidden folders are not
//! learner trees.

use std::fs;
use std::path::{Path, PathBuf};

/// Where the exercises of a submission are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// A folder holding `exercises/`.
    Tree(PathBuf),
    /// A folder holding the course's section folders: the contents of an `exercises/` folder.
    Exercises(PathBuf),
}

/// Finds the learner's tree in `dir`, knowing the course's section folders; otherwise says
/// what was found and what was expected.
pub fn locate(dir: &Path, sections: &[String]) -> Result<Located, String> {
    if dir.join("exercises").is_dir() {
        return Ok(Located::Tree(dir.to_path_buf()));
    }
    let folders = learner_folders(dir);
    let holds_sections =
        |folder: &Path| sections.iter().any(|section| folder.join(section).is_dir());
    let mut trees = folders.iter().filter(|f| f.join("exercises").is_dir());
    if let (Some(tree), None) = (trees.next(), trees.next()) {
        return Ok(Located::Tree(tree.clone()));
    }
    if holds_sections(dir) {
        return Ok(Located::Exercises(dir.to_path_buf()));
    }
    if let [only] = folders.as_slice()
        && holds_sections(only)
    {
        return Ok(Located::Exercises(only.clone()));
    }
    Err(format!(
        "no exercises/ folder found in the submission; it holds {}. Expected the whole backendlings folder (the one holding exercises/), zipped or uploaded from GitHub, or its exercises/ folder",
        found(dir)
    ))
}

/// Subfolders that could be a learner's: not hidden, not added by an archiver.
fn learner_folders(dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            !name.starts_with('.') && name != "__MACOSX"
        })
        .map(|e| e.path())
        .collect();
    folders.sort();
    folders
}

/// What the top of a submission holds, in words (at most 8 names).
fn found(dir: &Path) -> String {
    let mut names: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    match names.len() {
        0 => "nothing".into(),
        n if n > 8 => format!("{} and {} more", names[..8].join(", "), n - 8),
        _ => names.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for path in paths {
            let path = dir.path().join(path);
            if path.extension().is_some() {
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, "").unwrap();
            } else {
                fs::create_dir_all(path).unwrap();
            }
        }
        dir
    }

    fn located(paths: &[&str]) -> Result<Located, String> {
        let dir = tree(paths);
        let sections = vec!["01_http".to_string(), "02_sql".to_string()];
        locate(dir.path(), &sections).map(|l| match l {
            Located::Tree(p) => Located::Tree(p.strip_prefix(dir.path()).unwrap().into()),
            Located::Exercises(p) => Located::Exercises(p.strip_prefix(dir.path()).unwrap().into()),
        })
    }

    #[test]
    fn every_layout_students_upload_is_found() {
        let at = |p: &str| Ok(Located::Tree(PathBuf::from(p)));
        // The workspace root; a GitHub upload is the same.
        assert_eq!(located(&["exercises/01_http/a.rs", "info.toml"]), at(""));
        // One folder deeper (a zip of the folder).
        assert_eq!(
            located(&["backend-course/exercises/01_http/a.rs"]),
            at("backend-course")
        );
        // A zip made by macOS Finder.
        assert_eq!(
            located(&[
                "backend-course/exercises/01_http/a.rs",
                "__MACOSX/backend-course/exercises/01_http/._a.rs",
                ".DS_Store",
            ]),
            at("backend-course")
        );
        // Only the exercises: the contents of exercises/, or a folder holding them.
        assert_eq!(
            located(&["01_http/a.rs", "02_sql/b.rs"]),
            Ok(Located::Exercises(PathBuf::new()))
        );
        assert_eq!(
            located(&["mine/01_http/a.rs", "__MACOSX/mine/01_http/._a.rs"]),
            Ok(Located::Exercises(PathBuf::from("mine")))
        );
    }

    #[test]
    fn anything_else_says_what_was_found_and_what_was_expected() {
        let why = located(&["homework.pdf", "notes/todo.txt"]).unwrap_err();
        assert!(why.contains("homework.pdf, notes/"), "{why}");
        assert!(
            why.contains("Expected the whole backendlings folder"),
            "{why}"
        );
        // Two trees: which one is meant cannot be guessed.
        let why = located(&["a/exercises/01_http/x.rs", "b/exercises/01_http/x.rs"]).unwrap_err();
        assert!(why.contains("a/, b/"), "{why}");
    }
}
