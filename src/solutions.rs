//! Reference solutions in a learner workspace. `init` does not copy them: the solution of an
//! exercise is written to `solutions/` only once that exercise passes, so it rewards the work
//! instead of replacing it. Every place that records a pass calls [`reveal`].

use std::path::PathBuf;

use anyhow::Result;

use crate::course::Course;
use crate::embedded;
use crate::fsutil::write_atomic;

/// Writes the embedded solutions of the exercises at `passed` that `solutions/` lacks, and
/// returns the paths written (relative to the course root). Does nothing for a course other
/// than the embedded one (its author ships its solutions), when the course sets
/// `show_solutions = false`, and for a solution already there (the learner may have edited it).
pub fn reveal(course: &Course, passed: &[usize]) -> Result<Vec<PathBuf>> {
    if passed.is_empty() || !course.show_solutions {
        return Ok(Vec::new());
    }
    let Some(set) = embedded::course_files(&course.root) else {
        return Ok(Vec::new());
    };
    let mut written = Vec::new();
    for &index in passed {
        let rel = course.exercises[index].rel_solution_path();
        if course.root.join(&rel).exists() {
            continue;
        }
        for (path, bytes) in embedded::files_of(set, &rel) {
            write_atomic(&course.root.join(&path), bytes)?;
        }
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace made by `init`, loaded.
    fn workspace() -> (tempfile::TempDir, Course) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("course");
        crate::init::create_workspace(&root, false).unwrap();
        let course = Course::load(&root).unwrap();
        (dir, course)
    }

    #[test]
    fn writes_the_solution_of_a_passed_exercise_once() {
        let (_dir, course) = workspace();
        let rel = course.exercises[0].rel_solution_path();
        assert!(!course.root.join(&rel).exists(), "init copies no solution");
        assert_eq!(reveal(&course, &[0]).unwrap(), std::slice::from_ref(&rel));
        let expected = embedded::files(&rel);
        assert!(!expected.is_empty());
        for (path, bytes) in expected {
            assert_eq!(std::fs::read(course.root.join(path)).unwrap(), bytes);
        }
        // A learner's edit of a revealed solution is theirs.
        let main = course
            .root
            .join(course.exercises[0].rel_solution_main_file());
        std::fs::write(&main, "// mine\n").unwrap();
        assert!(reveal(&course, &[0]).unwrap().is_empty());
        assert_eq!(std::fs::read_to_string(main).unwrap(), "// mine\n");
    }

    #[test]
    fn nothing_when_the_course_hides_solutions() {
        let (_dir, mut course) = workspace();
        course.show_solutions = false;
        assert!(reveal(&course, &[0]).unwrap().is_empty());
        assert!(!course.root.join("solutions").exists());
    }

    #[test]
    fn nothing_for_another_course() {
        let (_dir, course) = workspace();
        std::fs::write(
            course.root.join(crate::course::INFO_FILE),
            format!("{}\n# edited\n", embedded::info_toml()),
        )
        .unwrap();
        assert!(reveal(&course, &[0]).unwrap().is_empty());
        assert!(!course.root.join("solutions").exists());
    }
}
