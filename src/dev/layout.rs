//! The checks on a course's files that need no build: folders and sections, orphan files,
//! `#[test]` markers, section READMEs and missing solutions. They take the course as read
//! leniently ([`Course::load_lenient`]), so they run even when the course itself does not load.

use std::fs;
use std::path::{Path, PathBuf};

use super::problem::Problem;
use crate::course::{Course, Exercise, Language};
use crate::fsutil::files_below;

/// The exercise's one-file path and its folder path below `top` (`exercises`/`solutions`).
/// Both count as the exercise's, whichever shape the course settled on: a solution may have
/// the other shape, and a course read leniently may not know its exercise's shape at all.
fn paths(exercise: &Exercise, top: &str) -> (PathBuf, PathBuf) {
    let mut base = PathBuf::from(top);
    if !exercise.dir.is_empty() {
        base.push(&exercise.dir);
    }
    (
        base.join(format!(
            "{}.{}",
            exercise.name,
            exercise.language.extension()
        )),
        base.join(&exercise.name),
    )
}

/// The course's files of a Python exercise besides its module: its tests and support modules.
fn companions(exercise: &Exercise) -> Vec<PathBuf> {
    if exercise.language != Language::Python {
        return Vec::new();
    }
    std::iter::once(exercise.rel_test_file())
        .chain(exercise.support.iter().map(|f| exercise.rel_in_folder(f)))
        .collect()
}

/// The `.rs` files of the exercise (or its solution) that exist, relative to the root.
fn rust_files(exercise: &Exercise, root: &Path, top: &str) -> Vec<PathBuf> {
    let (file, folder) = paths(exercise, top);
    if root.join(&file).is_file() {
        return vec![file];
    }
    files_below(&root.join(&folder))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| folder.join(p))
        .collect()
}

/// The section folders of the course (the exercises directly in `exercises/` have none).
fn section_dirs(course: &Course) -> impl Iterator<Item = &str> {
    course
        .sections
        .iter()
        .map(|s| s.dir.as_str())
        .filter(|d| !d.is_empty())
}

/// Every folder in `exercises/` (and `solutions/`) is a section, or a multi-file exercise
/// without a section. Returns the folders that are not, whose files need no report of their own.
pub(super) fn check_folders(
    root: &Path,
    course: &Course,
    top: &str,
    problems: &mut Vec<Problem>,
) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(root.join(top)) else {
        // A course without solutions is allowed (`--require-solutions` reports each one).
        if top == "exercises" {
            problems.push(
                Problem::error(top, "the exercises folder is missing")
                    .help("create it; every exercise lives below it"),
            );
        }
        return Vec::new();
    };
    let mut undeclared: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            !section_dirs(course).any(|d| d == name)
                && !course
                    .exercises
                    .iter()
                    .any(|e| e.dir.is_empty() && &e.name == name)
        })
        .collect();
    undeclared.sort();
    let help = |name: &str| {
        if top == "solutions" {
            "solutions mirror the exercises' folders: rename it to match a section, or remove it"
                .to_string()
        } else if course.declares_sections {
            format!(
                "declare it with [[sections]] dir = \"{name}\" and give its exercises dir = \"{name}\", or remove it"
            )
        } else {
            format!("give its exercises dir = \"{name}\" in info.toml, or remove it")
        }
    };
    undeclared
        .into_iter()
        .map(|name| {
            let folder = Path::new(top).join(&name);
            problems.push(
                Problem::error(&folder, "this folder is not a section of the course")
                    .help(help(&name)),
            );
            folder
        })
        .collect()
}

/// Every `.rs` file below `top` belongs to an exercise of `info.toml`.
pub(super) fn check_orphans(
    root: &Path,
    course: &Course,
    top: &str,
    reported: &[PathBuf],
    problems: &mut Vec<Problem>,
) {
    let owners: Vec<(PathBuf, PathBuf)> = course.exercises.iter().map(|e| paths(e, top)).collect();
    let companions: Vec<PathBuf> = match top {
        "exercises" => course.exercises.iter().flat_map(companions).collect(),
        _ => Vec::new(),
    };
    let extension = course.language.extension();
    for rel in files_below(&root.join(top)) {
        let path = Path::new(top).join(&rel);
        if path.extension().is_none_or(|e| e != extension)
            || reported.iter().any(|f| path.starts_with(f))
        {
            continue;
        }
        let owned = companions.contains(&path)
            || owners
                .iter()
                .any(|(file, folder)| path == *file || path.starts_with(folder));
        if !owned {
            let help = if top == "exercises" {
                "add an [[exercises]] entry for it in info.toml, or delete it"
            } else {
                "no exercise in info.toml has this path: rename the solution to match its exercise, or delete it"
            };
            problems.push(
                Problem::error(&path, "this file is not part of any exercise in info.toml")
                    .help(help),
            );
        }
    }
}

/// `test = true` exercises have tests to run; `test = false` ones have none that would be
/// silently ignored. Solutions are held to the same rule.
pub(super) fn check_test_markers(root: &Path, course: &Course, problems: &mut Vec<Problem>) {
    // Python tests live in the course's own test files, not in the learner's.
    if course.language == Language::Python {
        return;
    }
    for exercise in &course.exercises {
        for top in ["exercises", "solutions"] {
            let files = rust_files(exercise, root, top);
            let Some(first) = files.first() else { continue };
            let has_tests = files.iter().any(|f| {
                fs::read_to_string(root.join(f)).is_ok_and(|text| has_test_attribute(&text))
            });
            let location = if files.len() == 1 {
                first.clone()
            } else {
                paths(exercise, top).1
            };
            if exercise.test && !has_tests {
                problems.push(
                    Problem::error(
                        location,
                        format!("`{}` has test = true but no #[test]", exercise.name),
                    )
                    .help("add tests for the runner to run, or set test = false to grade it by running main"),
                );
            } else if !exercise.test && has_tests {
                problems.push(
                    Problem::error(
                        location,
                        format!(
                            "`{}` has test = false but contains #[test]s, which would never run",
                            exercise.name
                        ),
                    )
                    .help("remove the tests, or set test = true (the default) to run them"),
                );
            }
        }
    }
}

/// `#[test]`, or an attribute of a test framework such as `#[tokio::test]`.
fn has_test_attribute(source: &str) -> bool {
    source.contains("#[test]") || source.contains("::test]") || source.contains("::test(")
}

/// Every section folder introduces itself in a README.md. Required when the course declares
/// `[[sections]]`; only suggested for rustlings-format courses, which never required one.
pub(super) fn check_readmes(root: &Path, course: &Course, problems: &mut Vec<Problem>) {
    for dir in section_dirs(course) {
        let folder = Path::new("exercises").join(dir);
        let readme = folder.join("README.md");
        if !root.join(&folder).is_dir() || root.join(&readme).is_file() {
            continue;
        }
        let problem = if course.declares_sections {
            Problem::error(&readme, "the section has no README.md")
        } else {
            Problem::warning(&readme, "the section has no README.md")
        };
        problems.push(
            problem.help(
                "write a short introduction: what the section teaches and where to read more",
            ),
        );
    }
}

pub(super) fn check_solutions_exist(
    root: &Path,
    course: &Course,
    require_solutions: bool,
    problems: &mut Vec<Problem>,
) {
    let missing: Vec<&Exercise> = course
        .exercises
        .iter()
        .filter(|e| {
            let (file, folder) = paths(e, "solutions");
            !root.join(file).is_file()
                && !root.join(folder).join(e.language.folder_main()).is_file()
        })
        .collect();
    if require_solutions {
        for exercise in missing {
            let (file, _) = paths(exercise, "solutions");
            problems.push(
                Problem::error(file, format!("`{}` has no solution", exercise.name))
                    .help("write one (same path as the exercise, under solutions/)"),
            );
        }
    } else if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|e| e.name.as_str()).collect();
        problems.push(
            Problem::warning(
                "solutions",
                format!(
                    "{} exercises have no solution, so nothing shows they can be solved: {}",
                    names.len(),
                    names.join(", ")
                ),
            )
            .help("`dev check --require-solutions` makes this an error"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_attributes_of_frameworks_count() {
        assert!(has_test_attribute("#[test]\nfn a() {}"));
        assert!(has_test_attribute("#[tokio::test]\nasync fn a() {}"));
        assert!(has_test_attribute(
            "#[tokio::test(flavor = \"multi_thread\")]"
        ));
        assert!(!has_test_attribute("fn main() {}"));
    }
}
