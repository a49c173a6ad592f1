//! A course in rustlings v6's community-course format (`tests/fixtures/rustlings_course`) works
//! with every command, unchanged: `test = false` exercises are graded by running `main`,
//! `strict_clippy` and `skip_check_unsolved` are honoured, an exercise without `dir` sits in
//! `exercises/`, and the course's own `Cargo.toml` (interleaved `bin` list, dependencies) is kept.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{run_in, stdout, text};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/rustlings_course"
);

/// The fixture copied into a temporary folder (the runner writes its state and builds there).
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(FIXTURE), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn original_manifest() -> String {
    fs::read_to_string(Path::new(FIXTURE).join("Cargo.toml")).unwrap()
}

/// `(name, status)` of every exercise in a `verify --json` report.
fn statuses(output: &Output) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", text(output)));
    report["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect()
}

#[test]
fn list_shows_every_exercise_in_order() {
    let dir = fixture();
    let output = run_in(dir.path(), &["list"]);
    assert!(output.status.success(), "{}", text(&output));
    let out = stdout(&output);
    let positions: Vec<usize> = [
        "exercises/intro1.rs",
        "exercises/00_basics/variables1.rs",
        "exercises/00_basics/functions1.rs",
        "exercises/01_style/clippy1.rs",
        "exercises/01_style/quiz1.rs",
    ]
    .iter()
    .map(|path| {
        out.find(path)
            .unwrap_or_else(|| panic!("{path} not in:\n{out}"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{out}");
    assert_eq!(
        fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
        original_manifest()
    );
}

#[test]
fn verify_grades_each_kind_of_exercise_as_rustlings_does() {
    let dir = fixture();
    let output = run_in(dir.path(), &["verify", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(
        statuses(&output),
        pairs(&[
            // test = false: `main` runs, and its failed assertion fails the exercise.
            ("intro1", "run_failed"),
            ("variables1", "compile_error"),
            ("functions1", "tests_failed"),
            // strict_clippy: it compiles and runs, but clippy warns.
            ("clippy1", "clippy_failed"),
            // skip_check_unsolved: passes as shipped.
            ("quiz1", "passed"),
        ])
    );
    // The course's manifest (rustlings' interleaved bin list) is in sync as it is.
    assert_eq!(
        fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
        original_manifest()
    );
}

#[test]
fn solved_exercises_pass_run_and_verify() {
    let dir = fixture();
    copy_dir(&dir.path().join("solutions"), &dir.path().join("exercises"));
    let output = run_in(dir.path(), &["run", "intro1"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        stdout(&output).contains("Hello, Rustlings!"),
        "main's output is shown"
    );
    let output = run_in(dir.path(), &["verify"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        stdout(&output).contains("5/5 exercises pass"),
        "{}",
        text(&output)
    );
}

#[test]
fn dev_check_accepts_the_course() {
    let dir = fixture();
    let output = run_in(dir.path(), &["dev", "check", "--require-solutions"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        stdout(&output).contains("the course is fine"),
        "{}",
        text(&output)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("Cargo.toml")).unwrap(),
        original_manifest()
    );
}

#[test]
fn a_course_without_its_own_manifest_gets_one() {
    let dir = fixture();
    fs::remove_file(dir.path().join("Cargo.toml")).unwrap();
    let output = run_in(dir.path(), &["verify", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let statuses = statuses(&output);
    assert_eq!(
        statuses[2],
        ("functions1".to_string(), "tests_failed".to_string())
    );
    assert_eq!(statuses[4], ("quiz1".to_string(), "passed".to_string()));
    let manifest = fs::read_to_string(dir.path().join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("{ name = \"intro1\", path = \"exercises/intro1.rs\" }"),
        "{manifest}"
    );
}

#[test]
fn crate_dependencies_of_the_course_are_kept_and_used() {
    let dir = fixture();
    let root = dir.path();
    // A local crate: a dependency like any other, without the network.
    fs::create_dir_all(root.join("helpers/src")).unwrap();
    fs::write(
        root.join("helpers/Cargo.toml"),
        "[package]\nname = \"helpers\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .unwrap();
    fs::write(
        root.join("helpers/src/lib.rs"),
        "pub fn double(x: u32) -> u32 {\n    x * 2\n}\n",
    )
    .unwrap();
    let manifest = original_manifest().replace(
        "[dependencies]\n",
        "[dependencies]\nhelpers = { path = \"helpers\" }\n",
    );
    fs::write(root.join("Cargo.toml"), &manifest).unwrap();
    let uses_helpers =
        |result: &str| format!("fn main() {{\n    assert_eq!(helpers::double(2), {result});\n}}\n");
    fs::write(root.join("exercises/uses_helpers.rs"), uses_helpers("5")).unwrap();
    fs::write(root.join("solutions/uses_helpers.rs"), uses_helpers("4")).unwrap();
    let info = fs::read_to_string(root.join("info.toml")).unwrap();
    fs::write(
        root.join("info.toml"),
        format!("{info}\n[[exercises]]\nname = \"uses_helpers\"\ntest = false\nhint = \"2 * 2\"\n"),
    )
    .unwrap();

    let output = run_in(root, &["dev", "update"]);
    assert!(output.status.success(), "{}", text(&output));
    let updated = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        updated.contains("helpers = { path = \"helpers\" }"),
        "{updated}"
    );
    assert!(
        updated.contains("[lints.clippy]"),
        "the rest of the manifest is kept"
    );
    let output = run_in(root, &["dev", "check", "--require-solutions"]);
    assert!(output.status.success(), "{}", text(&output));
}
