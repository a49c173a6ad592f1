//! The checks on a course's files that need no build: folders and sections, orphan files,
//! `#[test]` markers, section READMEs and missing solutions. They read `info.toml` leniently,
//! so they run even when the course itself does not load.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::problem::Problem;
use crate::course::INFO_FILE;
use crate::fsutil::files_below;

/// What `info.toml` declares, read leniently: entries that are malformed are skipped (loading
/// the course reports them), so the file checks still run on everything else.
pub(super) struct Listing {
    /// Whether `info.toml` has `[[sections]]` (this runner's format) or not (rustlings').
    explicit_sections: bool,
    /// Every section folder: declared ones and those exercises name.
    section_dirs: BTreeSet<String>,
    exercises: Vec<Listed>,
}

struct Listed {
    name: String,
    /// Empty when the exercise sits directly in `exercises/`.
    dir: String,
    test: bool,
}

impl Listed {
    /// The exercise's one-file path and its folder path below `top` (`exercises`/`solutions`).
    fn paths(&self, top: &str) -> (PathBuf, PathBuf) {
        let mut base = PathBuf::from(top);
        if !self.dir.is_empty() {
            base.push(&self.dir);
        }
        (
            base.join(format!("{}.rs", self.name)),
            base.join(&self.name),
        )
    }

    /// The `.rs` files of the exercise (or its solution) that exist, relative to the root.
    fn rust_files(&self, root: &Path, top: &str) -> Vec<PathBuf> {
        let (file, folder) = self.paths(top);
        if root.join(&file).is_file() {
            return vec![file];
        }
        files_below(&root.join(&folder))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| folder.join(p))
            .collect()
    }
}

impl Listing {
    pub(super) fn read(root: &Path) -> Option<Listing> {
        let text = fs::read_to_string(root.join(INFO_FILE)).ok()?;
        let table: toml::Table = text.parse().ok()?;
        let array = |key: &str| {
            table
                .get(key)
                .and_then(toml::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(toml::Value::as_table)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let sections = array("sections");
        let mut section_dirs: BTreeSet<String> = sections
            .iter()
            .filter_map(|s| s.get("dir")?.as_str())
            .filter(|d| is_plain_name(d))
            .map(str::to_string)
            .collect();
        let exercises: Vec<Listed> = array("exercises")
            .iter()
            .filter_map(|e| {
                let name = e.get("name")?.as_str()?;
                let dir = match e.get("dir") {
                    None => "",
                    Some(dir) => dir.as_str().filter(|d| is_plain_name(d))?,
                };
                is_plain_name(name).then(|| Listed {
                    name: name.to_string(),
                    dir: dir.to_string(),
                    test: e.get("test").and_then(toml::Value::as_bool).unwrap_or(true),
                })
            })
            .collect();
        section_dirs.extend(
            exercises
                .iter()
                .filter(|e| !e.dir.is_empty())
                .map(|e| e.dir.clone()),
        );
        Some(Listing {
            explicit_sections: !sections.is_empty(),
            section_dirs,
            exercises,
        })
    }
}

/// A name that is safe to join to a path: one non-empty component, no dots-only names.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

/// Every folder in `exercises/` (and `solutions/`) is a section, or a multi-file exercise
/// without a section. Returns the folders that are not, whose files need no report of their own.
pub(super) fn check_folders(
    root: &Path,
    listing: &Listing,
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
            !listing.section_dirs.contains(name)
                && !listing
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
        } else if listing.explicit_sections {
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
    listing: &Listing,
    top: &str,
    reported: &[PathBuf],
    problems: &mut Vec<Problem>,
) {
    let owners: Vec<(PathBuf, PathBuf)> = listing.exercises.iter().map(|e| e.paths(top)).collect();
    for rel in files_below(&root.join(top)) {
        let path = Path::new(top).join(&rel);
        if path.extension().is_none_or(|e| e != "rs")
            || reported.iter().any(|f| path.starts_with(f))
        {
            continue;
        }
        let owned = owners
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
pub(super) fn check_test_markers(root: &Path, listing: &Listing, problems: &mut Vec<Problem>) {
    for exercise in &listing.exercises {
        for top in ["exercises", "solutions"] {
            let files = exercise.rust_files(root, top);
            let Some(first) = files.first() else { continue };
            let has_tests = files.iter().any(|f| {
                fs::read_to_string(root.join(f)).is_ok_and(|text| has_test_attribute(&text))
            });
            let location = if files.len() == 1 {
                first.clone()
            } else {
                exercise.paths(top).1
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
pub(super) fn check_readmes(root: &Path, listing: &Listing, problems: &mut Vec<Problem>) {
    for dir in &listing.section_dirs {
        let folder = Path::new("exercises").join(dir);
        let readme = folder.join("README.md");
        if !root.join(&folder).is_dir() || root.join(&readme).is_file() {
            continue;
        }
        let problem = if listing.explicit_sections {
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
    listing: &Listing,
    require_solutions: bool,
    problems: &mut Vec<Problem>,
) {
    let missing: Vec<&Listed> = listing
        .exercises
        .iter()
        .filter(|e| {
            let (file, folder) = e.paths("solutions");
            !root.join(file).is_file() && !root.join(folder).join("main.rs").is_file()
        })
        .collect();
    if require_solutions {
        for exercise in missing {
            let (file, _) = exercise.paths("solutions");
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

    #[test]
    fn unsafe_names_are_not_joined_to_paths() {
        for name in ["", ".", "..", "a/b", "a\\b"] {
            assert!(!is_plain_name(name), "{name:?}");
        }
        assert!(is_plain_name("intro1"));
    }
}
