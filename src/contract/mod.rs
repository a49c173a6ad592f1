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
//! - [`compiled`]: the contract reads what the compiler compiles (no `cfg` of the learner's,
//!   no item twice, no module file in a single-file exercise).
//! - [`methods`]: learner trait methods may not take the names of the methods the tests rely on
//!   (method resolution would pick theirs).
//! - [`files`]: which files are Rust (one definition for the contract, the rule book and the
//!   sandbox copy), and no module path out of the exercise's folder.
//! - [`exercise`]: one exercise of a learner tree, read safely and assembled file by file.

pub mod assemble;
pub mod compiled;
pub mod exercise;
pub mod files;
pub mod methods;
pub mod names;
pub mod signature;

pub use exercise::{Prepared, Problem};

/// The name an identifier stands for: `r#u16` is `u16` to the compiler, so every name the
/// contract and the rule book compare goes through here (red team round 5).
pub(crate) fn name(ident: &proc_macro2::Ident) -> String {
    syn::ext::IdentExt::unraw(ident).to_string()
}

/// Whether `path` is the single name `wanted` (`#[cfg]`, `#[r#cfg]`, `macro_rules`).
pub(crate) fn is_named(path: &syn::Path, wanted: &str) -> bool {
    path.leading_colon.is_none()
        && path.segments.len() == 1
        && path
            .segments
            .first()
            .is_some_and(|s| s.arguments.is_none() && name(&s.ident) == wanted)
}

/// The crates always in reach of a course's code, by name.
pub const STANDARD_CRATES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// The crates a course's tests can name by path: the standard ones and every dependency of the
/// course's manifest (`dev/Cargo.toml`, or `Cargo.toml`), with `-` written `_` as in code. A
/// manifest that cannot be read adds none.
pub fn course_crates(course_root: &std::path::Path) -> Vec<String> {
    let mut crates: Vec<String> = STANDARD_CRATES.iter().map(|c| c.to_string()).collect();
    let Ok(text) = std::fs::read_to_string(crate::manifest::manifest_path(course_root)) else {
        return crates;
    };
    let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else {
        return crates;
    };
    let mut add = |table: &dyn toml_edit::TableLike| {
        for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
            if let Some(deps) = table.get(kind).and_then(toml_edit::Item::as_table_like) {
                for (key, _) in deps.iter() {
                    let name = key.replace('-', "_");
                    if !crates.contains(&name) {
                        crates.push(name);
                    }
                }
            }
        }
    };
    add(doc.as_table());
    if let Some(targets) = doc.get("target").and_then(toml_edit::Item::as_table_like) {
        for (_, platform) in targets.iter() {
            if let Some(platform) = platform.as_table_like() {
                add(platform);
            }
        }
    }
    crates
}

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
