//! `dev check` of locked items (`locked` in `info.toml`): each locked name is a top-level item
//! of its exercise, the `impl` blocks of locked types are top-level items (the grader removes
//! any other), and the solution holds the exercise's locked items token for token (the grader
//! restores the exercise's, so a solution that relies on different ones fails when graded).
//! Also the other half of what grading takes from the course: every graded exercise's number of
//! tests can be read off its test modules, or is declared (`tests`).

use std::fs;
use std::path::{Path, PathBuf};

use super::problem::Problem;
use crate::contract::{assemble, exercise};
use crate::course::{Course, Exercise, INFO_FILE};
use crate::fsutil::files_below;

pub(super) fn check(course: Option<&Course>, problems: &mut Vec<Problem>) {
    let Some(course) = course else { return };
    check_test_counts(course, problems);
    for exercise in course.exercises.iter().filter(|e| !e.locked.is_empty()) {
        let files = rust_files(&course.root, &exercise.rel_path());
        let defined: Vec<String> = files
            .iter()
            .flat_map(|(_, text)| assemble::defined_names(text, &exercise.locked))
            .collect();
        for name in exercise.locked.iter().filter(|n| !defined.contains(n)) {
            problems.push(
                Problem::error(
                    exercise.rel_path(),
                    format!(
                        "`{name}` is locked in {INFO_FILE} but is not a top-level item of exercise `{}`",
                        exercise.name
                    ),
                )
                .help("lock the name of a top-level fn, struct, enum, trait, const, static, type, mod or macro_rules of the exercise, or remove it from `locked`"),
            );
        }
        let solution_files = rust_files(&course.root, &exercise.rel_solution_path());
        for (path, text) in files.iter().chain(&solution_files) {
            for name in assemble::nested_impls(text, &exercise.locked) {
                problems.push(
                    Problem::error(path, format!("an `impl` of locked type `{name}` is not a top-level item"))
                        .help("move it to the top level of the file: the grader removes every other `impl` of a locked type"),
                );
            }
        }
        if !solution_files.is_empty() {
            check_solution(course, exercise, problems);
        }
    }
}

/// Every graded exercise must say how many tests a pass reports: the grader takes the number
/// from the course's own test modules, never from a learner's file, so a test module whose
/// tests a macro may generate needs `tests = N` in `info.toml`.
fn check_test_counts(course: &Course, problems: &mut Vec<Problem>) {
    for exercise in course
        .exercises
        .iter()
        .filter(|e| e.test && e.tests.is_none())
    {
        let Ok(scratch) = tempfile::tempdir() else {
            return;
        };
        // The exercise graded as a learner's copy of itself: what grading will count.
        let Ok(root) = std::fs::canonicalize(&course.root) else {
            return;
        };
        let Ok(ready) = exercise::prepare(&root, exercise, &root, scratch.path()) else {
            continue;
        };
        // None at all is `check_test_markers`' to report.
        if ready.tests.is_none() {
            problems.push(
                Problem::error(
                    exercise.rel_path(),
                    format!(
                        "the number of tests of exercise `{}` cannot be read off its test modules (a macro may generate them)",
                        exercise.name
                    ),
                )
                .help(format!("declare it in {INFO_FILE}: `tests = N` in the exercise's entry")),
            );
        }
    }
}

/// Grades the solution's copy of the locked items as a learner's would be.
fn check_solution(course: &Course, exercise: &Exercise, problems: &mut Vec<Problem>) {
    let Ok(scratch) = tempfile::tempdir() else {
        return;
    };
    let solution = exercise.rel_solution_path();
    let copied = rust_files(&course.root, &solution)
        .into_iter()
        .all(|(path, text)| {
            let inner = path.strip_prefix(&solution).unwrap_or(Path::new(""));
            let mut target = scratch.path().join(exercise.rel_path());
            if !inner.as_os_str().is_empty() {
                target.push(inner);
            }
            target
                .parent()
                .is_some_and(|parent| fs::create_dir_all(parent).is_ok())
                && fs::write(target, text).is_ok()
        });
    if !copied {
        return;
    }
    let Ok(modified) = exercise::modified(&course.root, exercise, scratch.path()) else {
        return;
    };
    if !modified.locked.is_empty() {
        let names: Vec<String> = modified.locked.iter().map(|n| format!("`{n}`")).collect();
        problems.push(
            Problem::error(
                &solution,
                format!(
                    "the locked items {} differ from the exercise's",
                    names.join(", ")
                ),
            )
            .help("the grader restores the exercise's locked items: make the solution's the same (token for token), or unlock them"),
        );
    }
}

/// The `.rs` files of an exercise or solution (one file, or every one of its folder), with
/// their paths relative to the course root; unreadable ones are skipped (the build reports them).
fn rust_files(root: &Path, rel: &Path) -> Vec<(PathBuf, String)> {
    let path = root.join(rel);
    let files: Vec<PathBuf> = if path.is_file() {
        vec![rel.to_path_buf()]
    } else {
        files_below(&path)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| rel.join(p))
            .collect()
    };
    files
        .into_iter()
        .filter_map(|file| Some((file.clone(), fs::read_to_string(root.join(&file)).ok()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_nested_and_diverging_locked_items_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write(
            INFO_FILE,
            "format_version = 1\n[[exercises]]\nname = \"x\"\nhint = \"h\"\nlocked = [\"helper\", \"Counter\", \"gone\"]\n[[exercises]]\nname = \"y\"\nhint = \"h\"\nlocked = [\"helper\"]\n",
        );
        let exercise = "struct Counter;\nfn helper() -> u32 {\n    1\n}\nfn main() {\n    impl Counter {\n        fn hidden() {}\n    }\n}\n";
        write("exercises/x.rs", exercise);
        write("solutions/x.rs", &exercise.replace("    1\n", "    2\n"));
        write("exercises/y.rs", "fn helper() {}\nfn main() {}\n");
        write(
            "solutions/y.rs",
            "fn helper() {}\nfn main() {}\n// solved\n",
        );
        let course = Course::load(root).unwrap();

        let mut problems = Vec::new();
        check(Some(&course), &mut problems);
        let found: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.location, p.message))
            .collect();
        assert_eq!(
            found,
            [
                "exercises/x.rs: `gone` is locked in info.toml but is not a top-level item of exercise `x`",
                "exercises/x.rs: an `impl` of locked type `Counter` is not a top-level item",
                "solutions/x.rs: an `impl` of locked type `Counter` is not a top-level item",
                "solutions/x.rs: the locked items `helper` differ from the exercise's",
            ]
        );
        check(None, &mut problems);
        assert_eq!(problems.len(), 4);
    }
}
