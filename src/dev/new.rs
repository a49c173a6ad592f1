//! `dev new PATH`: a new course that `dev check` accepts as it is: a commented `info.toml`, the
//! exercise package's manifest, one example section with one exercise, its solution and its
//! mutants (a course needs at least one exercise; rename or replace it), a README and a
//! `.gitignore`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use console::style;

use crate::course::{Course, INFO_FILE};
use crate::fsutil::{create_dir_with, write_atomic};
use crate::manifest;
use crate::progress::STATE_DIR;
use crate::stdout::outln;

pub fn new(path: &Path) -> Result<ExitCode> {
    create_dir_with(path, write_course)?;
    outln!(
        "{} a new course in {}",
        style("Created").green().bold(),
        path.display()
    )?;
    outln!(
        "\nNext:\n  cd {}\n  backendlings dev check      # validates the course (builds it the first time)\n  backendlings list           # the course as a learner sees it",
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_course(root: &Path) -> Result<()> {
    let files = [
        (INFO_FILE, INFO_TOML),
        ("exercises/00_intro/README.md", SECTION_README),
        ("exercises/00_intro/intro1.rs", EXERCISE),
        ("solutions/00_intro/intro1.rs", SOLUTION),
        ("solutions/00_intro/intro1.mutants.toml", MUTANTS),
        ("README.md", README),
    ];
    for (rel, content) in files {
        write_atomic(&root.join(rel), content.as_bytes())?;
    }
    write_atomic(
        &root.join(".gitignore"),
        format!("/target\n/{STATE_DIR}\n").as_bytes(),
    )?;
    // An empty [workspace]: the course is its own cargo workspace wherever it is created.
    let manifest = format!(
        "{}\n# The course is a cargo workspace of its own, even inside another one.\n[workspace]\n",
        manifest::new_manifest()
    );
    write_atomic(&root.join("Cargo.toml"), manifest.as_bytes())?;
    let course = Course::load(root)
        .map_err(anyhow::Error::new)
        .context("the new course is not valid (a bug: please report it)")?;
    manifest::update(&course)?;
    Ok(())
}

const INFO_TOML: &str = r#"# The course: its sections and exercises, in the order learners meet them.
# `backendlings dev check` validates everything; after adding, renaming or removing an exercise,
# `backendlings dev update` regenerates the `bin` list of Cargo.toml.

# The version of this file's format; the runner refuses versions it does not know.
format_version = 1

# Shown once when a learner starts (optional).
welcome_message = """
Welcome! Every exercise is a small Rust program with something to fix.
Fix it until it compiles and its tests pass; the runner re-checks it on every save."""

# Shown when every exercise is done (optional).
final_message = """
You finished the course. Well done!"""

# Whether an exercise's reference solution is shown once it passes (default: true).
# show_solutions = true

# A section groups exercises. `dir` is its folder under exercises/ and solutions/; the folder
# exercises/DIR/README.md introduces the section.
[[sections]]
dir = "00_intro"
title = "Getting started"
summary = "A first exercise to see how the runner works."

# One [[exercises]] entry per exercise, in order. The exercise is exercises/DIR/NAME.rs, or the
# folder exercises/DIR/NAME/ with a main.rs for a multi-file exercise; its solution has the same
# path under solutions/. Without `dir`, the exercise sits directly in exercises/.
[[exercises]]
name = "intro1"
dir = "00_intro"
# test = true (the default): the exercise passes when its #[test]s pass.
# test = false: the runner runs `main`, which must exit with 0.
test = true
# strict_clippy = true: the exercise passes only without clippy warnings (default: false).
# skip_check_unsolved = true: `dev check` accepts that it passes as shipped (default: false).
# timeout_secs = 10: how long the tests or `main` may run.
# points = 1: the exercise's weight when grading.
hint = """
`add` should return the sum of its two arguments: look at the operator."""
"#;

const SECTION_README: &str = "# Getting started

A first exercise: fix a function until its test passes.
";

const EXERCISE: &str = "// A first exercise: make the test pass.
//
// `add` should return the sum of `a` and `b`, but it does something else.

fn add(a: i32, b: i32) -> i32 {
    a - b
}

fn main() {
    // You can experiment here; `backendlings run intro1` shows what it prints.
    println!(\"2 + 3 = {}\", add(2, 3));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_two_numbers() {
        assert_eq!(add(2, 3), 5);
        assert_eq!(add(-1, 1), 0);
    }
}
";

const SOLUTION: &str = "// A first exercise: make the test pass.
//
// `add` should return the sum of `a` and `b`.

fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn main() {
    println!(\"2 + 3 = {}\", add(2, 3));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_two_numbers() {
        assert_eq!(add(2, 3), 5);
        assert_eq!(add(-1, 1), 0);
    }
}
";

const MUTANTS: &str = r#"# Wrong solutions of intro1. `dev check` applies each [[mutant]] to the solution
# (solutions/00_intro/intro1.rs), splices in the exercise's own tests, and requires them to fail:
# that is what shows the tests check what the exercise teaches.
#
# `label`: one line saying what the wrong solution gets wrong.
# [[mutant.edit]]: `find` must occur exactly once in the solution (as the previous edits of the
# mutant left it) and is replaced by `replace`. Folder exercises also name the `file` of each edit,
# relative to the solution's folder.

[[mutant]]
label = "subtracts instead of adding"
[[mutant.edit]]
find = "a + b"
replace = "a - b"

[[mutant]]
label = "ignores the second number"
[[mutant.edit]]
find = "fn add(a: i32, b: i32) -> i32 {\n    a + b"
replace = "fn add(a: i32, _b: i32) -> i32 {\n    a"
"#;

const README: &str = "# A backendlings course

Learners: run `backendlings` in this folder and fix the current exercise until it passes.

Authors:
- `info.toml` lists the sections and exercises (every key is explained in its comments).
- Exercises live in `exercises/SECTION/`, their reference solutions in `solutions/SECTION/`.
- `backendlings dev update` regenerates the `bin` list of `Cargo.toml` after you change the list
  of exercises; crate dependencies go in its `[dependencies]`.
- `solutions/SECTION/NAME.mutants.toml` lists wrong solutions of an exercise (see the example
  next to intro1's solution); the exercise's tests must reject every one.
- `backendlings dev check --require-solutions --require-mutants 1` checks everything: every
  exercise fails as shipped, every solution passes clippy-clean and rustfmt-clean, every graded
  exercise has a mutant and its tests kill them all. `--repeat 10` runs the solutions and mutants
  ten times to catch flaky tests.
";
