//! `dev new PATH`: a new course that `dev check` accepts as it is: a commented `info.toml`, the
//! exercise package's manifest, one example section with one exercise, its solution and its
//! mutants (a course needs at least one exercise; rename or replace it), a README and a
//! `.gitignore`.
//!
//! `dev new --toolchain python PATH`: the same for a Python course: `toolchain = "python"`, the
//! example exercise as a module with its course test file (`test_<name>.py`), its solution and
//! mutants, and the package lock of the Python track built into this binary (so the new course
//! shares the track's environment; its `requirements.in` says how to change it).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use console::style;

use crate::course::{Course, INFO_FILE};
use crate::fsutil::{create_dir_with, write_atomic};
use crate::manifest;
use crate::progress::STATE_DIR;
use crate::stdout::outln;

pub fn new(path: &Path, python: bool) -> Result<ExitCode> {
    if python {
        return new_python(path);
    }
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

// ---- the Python toolchain ----

fn new_python(path: &Path) -> Result<ExitCode> {
    create_dir_with(path, write_python_course)?;
    outln!(
        "{} a new Python course in {}",
        style("Created").green().bold(),
        path.display()
    )?;
    outln!(
        "\nNext:\n  cd {}\n  backendlings dev check --require-solutions --require-mutants 2 --mutate   # validates the course (builds its Python environment the first time)\n  backendlings list           # the course as a learner sees it",
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_python_course(root: &Path) -> Result<()> {
    let lock = crate::embedded::python_all()
        .iter()
        .find(|(path, _)| *path == crate::engine::python::env::LOCK_FILE)
        .map(|(_, bytes)| *bytes)
        .context(
            "this backendlings was built without the Python track, whose package lock a new Python course starts from",
        )?;
    let files = [
        (INFO_FILE, PY_INFO_TOML),
        ("exercises/00_intro/README.md", PY_SECTION_README),
        ("exercises/00_intro/intro1.py", PY_EXERCISE),
        ("exercises/00_intro/test_intro1.py", PY_TESTS),
        ("solutions/00_intro/intro1.py", PY_SOLUTION),
        ("solutions/00_intro/intro1.mutants.toml", PY_MUTANTS),
        ("README.md", PY_README),
        ("requirements.in", PY_REQUIREMENTS_IN),
    ];
    for (rel, content) in files {
        write_atomic(&root.join(rel), content.as_bytes())?;
    }
    write_atomic(&root.join(crate::engine::python::env::LOCK_FILE), lock)?;
    write_atomic(
        &root.join(".gitignore"),
        format!("/target\n/{STATE_DIR}\n__pycache__/\n").as_bytes(),
    )?;
    Course::load(root)
        .map_err(anyhow::Error::new)
        .context("the new course is not valid (a bug: please report it)")?;
    super::update::write_lock(root)?;
    Ok(())
}

const PY_INFO_TOML: &str = r#"# The course: its sections and exercises, in the order learners meet them.
# `backendlings dev check` validates everything (`--mutate` also generates wrong solutions from
# each reference solution, which the tests must reject); `backendlings dev update` records the
# course in course.lock after a change.

# The version of this file's format; the runner refuses versions it does not know.
format_version = 1
# Exercises are Python modules graded by pytest, in an environment built from requirements.lock.
toolchain = "python"
title = "A backendlings Python course"

# Shown once when a learner starts (optional).
welcome_message = """
Welcome! Every exercise is a Python module with something to fix.
Fix it until the tests next to it (test_<name>.py) pass; the runner re-checks it on every save."""

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

# One [[exercises]] entry per exercise, in order. The learner's module is exercises/DIR/NAME.py
# (NAME is a Python identifier: the tests import it), the course's tests exercises/DIR/test_NAME.py,
# the reference solution solutions/DIR/NAME.py, its wrong solutions solutions/DIR/NAME.mutants.toml.
[[exercises]]
name = "intro1"
dir = "00_intro"
# How many test items pytest collects from test_intro1.py (each parametrize case counts): a run
# passes only when exactly these pass.
tests = 7
# typecheck = true: the module must also pass the `ty` type checker.
# support = ["helpers.py"]: course modules next to the exercise that the learner reads but does
#   not edit (copied from the course for every check).
# skip_check_unsolved = true: `dev check` accepts that it passes as shipped (default: false).
# timeout_secs = 10: how long the tests may run.
# points = 1: the exercise's weight when grading.
hint = """
A 2xx status is one from 200 up to and including 299: look at both ends of the comparison."""
"#;

const PY_SECTION_README: &str = "# Getting started

A first exercise: fix a function until its tests pass.

| Exercise | What it teaches |
| --- | --- |
| `intro1` | the 2xx class of HTTP status codes (RFC 9110, section 15.3), both ends of a range |
";

const PY_EXERCISE: &str = r#""""A first exercise: make the tests pass.

HTTP status codes come in classes (RFC 9110, section 15): 2xx means the request succeeded.
`is_success` should say whether `status` is a 2xx code, but it gets the range wrong.

Run `backendlings run intro1` to see which tests fail; the tests are in test_intro1.py.
"""


def is_success(status: int) -> bool:
    return 200 < status <= 300
"#;

const PY_SOLUTION: &str = r#""""A first exercise: make the tests pass.

HTTP status codes come in classes (RFC 9110, section 15): 2xx means the request succeeded.
"""


def is_success(status: int) -> bool:
    return 200 <= status < 300
"#;

const PY_TESTS: &str = r#"import pytest

from intro1 import is_success


@pytest.mark.parametrize("status", [200, 204, 299])
def test_2xx_codes_are_successes(status):
    assert is_success(status) is True


@pytest.mark.parametrize("status", [199, 300, 404, 500])
def test_other_codes_are_not(status):
    assert is_success(status) is False
"#;

const PY_MUTANTS: &str = r#"# Wrong solutions of intro1. `dev check` applies each [[mutant]] to the solution
# (solutions/00_intro/intro1.py), runs the exercise's tests (exercises/00_intro/test_intro1.py)
# on it, and requires them to fail: that is what shows the tests check what the exercise teaches.
#
# `label`: one line saying what the wrong solution gets wrong.
# [[mutant.edit]]: `find` must occur exactly once in the solution (as the previous edits of the
# mutant left it) and is replaced by `replace`.
#
# `dev check --mutate` also generates mutants from the solution (operators on its syntax tree,
# as mutmut's); each must fail the tests too, or be listed here as one that cannot:
# [[equivalent]]
# mutant = "is_success: replace ..."   # the id the report prints
# reason = "one line: why no test can tell it from the solution"

[[mutant]]
label = "200 itself is not counted as a success"
[[mutant.edit]]
find = "200 <= status"
replace = "200 < status"

[[mutant]]
label = "300 is counted as a success"
[[mutant.edit]]
find = "status < 300"
replace = "status <= 300"

[[mutant]]
label = "any status below 300 (1xx too) is a success"
[[mutant.edit]]
find = "200 <= status < 300"
replace = "status < 300"
"#;

const PY_REQUIREMENTS_IN: &str = "# The course's packages. requirements.lock pins them with hashes for every platform; it was
# copied from the backendlings Python track. After changing this list, compile it again:
#   uv pip compile --universal --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
# The runner builds one environment per lock (its hash), the first time a command needs it.
pytest
";

const PY_README: &str = "# A backendlings Python course

Learners: run `backendlings` in this folder and fix the current exercise until its tests pass.

Authors:
- `info.toml` lists the sections and exercises (every key is explained in its comments).
- An exercise is a module, `exercises/SECTION/NAME.py`, which the learner edits, and the course's
  tests, `exercises/SECTION/test_NAME.py` (pytest; learners read them, grading always uses the
  course's copy). Its reference solution is `solutions/SECTION/NAME.py`.
- To add an exercise: write those three files, add an `[[exercises]]` entry with `tests` (the
  number of test items pytest collects), then run `backendlings dev check NAME`.
- `solutions/SECTION/NAME.mutants.toml` lists wrong solutions of an exercise (see intro1's);
  the exercise's tests must reject every one.
- `backendlings dev check --require-solutions --require-mutants 2 --mutate` checks everything:
  every exercise fails as shipped, every solution passes, every curated mutant and every mutant
  generated from the solutions is killed (or listed as `[[equivalent]]` with a reason).
  `--repeat 10` runs the solutions and mutants ten times to catch flaky tests.
- Learner code runs under a rule book (no files, processes or interpreter internals; see the
  runner's documentation); the course's tests and support modules are trusted.
- `backendlings dev update` records the course in `course.lock` (`dev check` does it too).
- The packages are in `requirements.lock` (see `requirements.in`).
";
