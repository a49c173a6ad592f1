//! The course's contract with a learner's files: what grading compiles, and what it refuses.
//!
//! Every user of a learner's exercise files that must agree with the grader lives above this
//! module: `grade` (sandboxes), `dev` (mutants are judged exactly as learners are) and
//! `protected` (watch mode warns with what grading will do). It knows nothing of either.
//!
//! - [`assemble`]: the graded program is printed from the syntax tree that was inspected: the
//!   learner's tests removed, the course's test modules and locked items put in as syntax.
//! - [`signature`]: shipped functions, types and imports keep what the tests rely on.
//! - [`names`]: learner names may not impersonate the language (a `struct u16` whose `==`
//!   always says yes, a `#[macro_export] macro_rules! vec`).
//! - [`exercise`]: one exercise of a learner tree, read safely and assembled file by file.

pub mod assemble;
pub mod exercise;
pub mod names;
pub mod signature;

pub use exercise::{Prepared, Problem};

/// The course as this binary shipped it, written to a temporary folder: what tests about our
/// own course read, so that they pass in a clone where a learner solved, edited or deleted
/// exercises.
#[cfg(test)]
pub(crate) fn shipped_course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (rel, bytes) in crate::embedded::all() {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("folders");
        std::fs::write(path, bytes).expect("the shipped file is written");
    }
    dir
}
