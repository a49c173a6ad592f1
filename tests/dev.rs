//! `dev check`, `dev new` and `dev update` on tiny courses: one broken course per problem that
//! `dev check` must catch, and a course with several problems that must all be listed.

mod common;

use common::{Opts, TestCourse, stdout, text};

/// An exercise whose test fails until `ok` is fixed.
fn failing_tests() -> String {
    ok_source("\"ab\".len() == 3")
}

/// Its solution: the same test module, so the grader's view of the solution is the solution.
fn passing_tests() -> String {
    ok_source("\"ab\".len() == 2")
}

fn ok_source(expr: &str) -> String {
    format!(
        "fn ok() -> bool {{\n    {expr}\n}}\n\nfn main() {{\n    println!(\"{{}}\", ok());\n}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn checks() {{\n        assert!(super::ok());\n    }}\n}}\n"
    )
}

const MAIN_FAILS: &str = "fn main() {\n    std::process::exit(1);\n}\n";
const MAIN_PASSES: &str = "fn main() {}\n";

fn main_opts() -> Opts {
    Opts {
        test: false,
        ..Opts::default()
    }
}

/// A valid course: one section with a README, a test exercise and a `main` exercise, both with
/// solutions. Its manifest is not written yet (see [`synced`]).
fn valid() -> TestCourse {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "one",
            &failing_tests(),
            Some(&passing_tests()),
            Opts::default(),
        )
        .exercise("a", "two", MAIN_FAILS, Some(MAIN_PASSES), main_opts())
        .finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    course
}

/// Writes the manifest with `dev update`, so that `dev check` builds the course.
fn synced(course: TestCourse) -> TestCourse {
    let output = course.run(&["dev", "update"]);
    assert!(output.status.success(), "{}", text(&output));
    course
}

/// stdout and stderr of a command, together.
/// Runs `dev check ARGS`; returns whether it succeeded and what it printed.
fn dev_check(course: &TestCourse, args: &[&str]) -> (bool, String) {
    let mut all = vec!["dev", "check"];
    all.extend(args);
    let output = course.run(&all);
    (output.status.success(), text(&output))
}

/// `dev check` fails and reports an error at `location` that mentions `message`.
fn assert_error(course: &TestCourse, args: &[&str], location: &str, message: &str) {
    let (ok, out) = dev_check(course, args);
    assert!(!ok, "dev check should fail:\n{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("error: ") && l.contains(location) && l.contains(message)),
        "expected an error at {location} mentioning {message:?}:\n{out}"
    );
}

/// Replaces `from` by `to` in the course's info.toml.
fn edit_info(course: &TestCourse, from: &str, to: &str) {
    let info = course.read("info.toml");
    assert!(info.contains(from), "{from:?} not in info.toml");
    course.write("info.toml", &info.replacen(from, to, 1));
}

#[test]
fn a_valid_course_passes() {
    let course = synced(valid());
    let (ok, out) = dev_check(&course, &["--require-solutions"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("the course is fine (4 programs built and checked"),
        "{out}"
    );
}

#[test]
fn exercises_that_do_not_compile_do_not_hide_passing_solutions() {
    // `cargo test --no-run` stops at the first compile error; the engine must still build the
    // solutions it did not get to, or they would be reported as failing.
    let mut course = TestCourse::new().section("a", "Alpha");
    let broken = "fn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn checks() {\n        let x: u8 = \"text\";\n    }\n}\n";
    for i in 0..8 {
        course = course.exercise(
            "a",
            &format!("broken{i}"),
            broken,
            Some(&passing_tests()),
            Opts::default(),
        );
    }
    let course = course.finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    let course = synced(course);
    let (ok, out) = dev_check(&course, &["--require-solutions"]);
    assert!(ok, "{out}");
    // 8 exercises, 8 solutions, and the 8 solutions with the exercises' (broken) tests.
    assert!(out.contains("24 programs built and checked"), "{out}");
}

#[test]
fn invalid_info_toml() {
    let course = valid();
    edit_info(
        &course,
        "hint = \"A hint for one.\"",
        "hnit = \"A hint for one.\"",
    );
    assert_error(&course, &[], "info.toml:", "unknown key `hnit`");
}

#[test]
fn duplicate_names() {
    let course = valid();
    edit_info(&course, "name = \"two\"", "name = \"one\"");
    assert_error(&course, &[], "info.toml:", "duplicate exercise name `one`");
}

#[test]
fn malformed_names() {
    let course = valid();
    edit_info(&course, "name = \"two\"", "name = \"two-b\"");
    assert_error(&course, &[], "info.toml:", "exercise name `two-b`");
}

#[test]
fn empty_hints() {
    let course = valid();
    edit_info(&course, "hint = \"A hint for two.\"", "hint = \"  \"");
    assert_error(&course, &[], "info.toml:", "`two` has no hint");
}

#[test]
fn undeclared_section_folders() {
    let course = valid();
    course.write("exercises/b/README.md", "# Beta\n");
    course.write("exercises/b/x.rs", MAIN_FAILS);
    course.write("solutions/b/x.rs", MAIN_PASSES);
    assert_error(&course, &[], "exercises/b", "not a section of the course");
    assert_error(&course, &[], "solutions/b", "not a section of the course");
    // One error per folder, not one more per file in it.
    let (_, out) = dev_check(&course, &[]);
    assert!(!out.contains("b/x.rs"), "{out}");
}

#[test]
fn missing_exercise_files() {
    let course = valid();
    std::fs::remove_file(course.path("exercises/a/two.rs")).unwrap();
    assert_error(&course, &[], "info.toml:", "exercises/a/two.rs is missing");
}

#[test]
fn orphan_exercise_files() {
    let course = valid();
    course.write("exercises/a/three.rs", MAIN_FAILS);
    assert_error(
        &course,
        &[],
        "exercises/a/three.rs",
        "not part of any exercise",
    );
}

#[test]
fn orphan_solution_files() {
    let course = valid();
    course.write("solutions/a/renamed.rs", MAIN_PASSES);
    assert_error(
        &course,
        &[],
        "solutions/a/renamed.rs",
        "not part of any exercise",
    );
}

#[test]
fn test_exercises_without_tests() {
    let course = valid();
    course.write("exercises/a/one.rs", MAIN_FAILS);
    assert_error(
        &course,
        &[],
        "exercises/a/one.rs",
        "test = true but no #[test]",
    );
}

#[test]
fn main_exercises_with_tests() {
    let course = valid();
    course.write("solutions/a/two.rs", &passing_tests());
    assert_error(
        &course,
        &[],
        "solutions/a/two.rs",
        "test = false but contains #[test]",
    );
}

#[test]
fn missing_section_readmes() {
    let course = valid();
    std::fs::remove_file(course.path("exercises/a/README.md")).unwrap();
    assert_error(&course, &[], "exercises/a/README.md", "no README.md");
}

#[test]
fn manifest_out_of_sync() {
    let course = synced(valid());
    std::fs::rename(
        course.path("exercises/a/two.rs"),
        course.path("exercises/a/deux.rs"),
    )
    .unwrap();
    std::fs::rename(
        course.path("solutions/a/two.rs"),
        course.path("solutions/a/deux.rs"),
    )
    .unwrap();
    edit_info(&course, "name = \"two\"", "name = \"deux\"");
    assert_error(&course, &[], "Cargo.toml", "does not match the exercises");
    // `dev update` is the fix the message names.
    let course = synced(course);
    let (ok, out) = dev_check(&course, &[]);
    assert!(ok, "{out}");
}

#[test]
fn exercises_that_pass_as_shipped() {
    let course = valid();
    course.write("exercises/a/two.rs", MAIN_PASSES);
    let course = synced(course);
    assert_error(
        &course,
        &[],
        "exercises/a/two.rs",
        "`two` passes as shipped",
    );
    // Unless the course says so.
    edit_info(
        &course,
        "hint = \"A hint for two.\"",
        "hint = \"A hint for two.\"\nskip_check_unsolved = true",
    );
    let (ok, out) = dev_check(&course, &[]);
    assert!(ok, "{out}");
}

#[test]
fn solutions_that_fail() {
    let course = valid();
    course.write("solutions/a/one.rs", &failing_tests());
    let course = synced(course);
    assert_error(
        &course,
        &[],
        "solutions/a/one.rs",
        "the solution of `one` does not pass: tests failed",
    );
    // The test output is shown, so the author sees why.
    let (_, out) = dev_check(&course, &[]);
    assert!(out.contains("assertion failed: super::ok()"), "{out}");
}

#[test]
fn solutions_with_clippy_warnings() {
    let course = valid();
    course.write(
        "solutions/a/two.rs",
        "fn main() {\n    let values = [1, 2, 3];\n    let mut total = 0;\n    for i in 0..values.len() {\n        total += values[i];\n    }\n    assert_eq!(total, 6);\n}\n",
    );
    let course = synced(course);
    assert_error(
        &course,
        &[],
        "solutions/a/two.rs",
        "does not pass: clippy failed",
    );
}

#[test]
fn solutions_that_rustfmt_would_change() {
    let course = valid();
    course.write(
        "solutions/a/two.rs",
        "fn main() {\n        let x=1;\n    assert_eq!(x, 1);\n}\n",
    );
    let course = synced(course);
    assert_error(&course, &[], "solutions/a/two.rs", "not rustfmt-clean");
}

#[test]
fn missing_solutions() {
    let course = valid();
    std::fs::remove_file(course.path("solutions/a/two.rs")).unwrap();
    let course = synced(course);
    // Without the flag, a missing solution is only a warning...
    let (ok, out) = dev_check(&course, &[]);
    assert!(ok, "{out}");
    assert!(
        out.contains("warning: solutions: 1 exercises have no solution"),
        "{out}"
    );
    // ...with it, an error.
    assert_error(
        &course,
        &["--require-solutions"],
        "solutions/a/two.rs",
        "`two` has no solution",
    );
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let course = valid();
    course.write("exercises/a/two.rs", MAIN_PASSES);
    course.write("exercises/a/stray.rs", MAIN_PASSES);
    course.write("solutions/a/one.rs", &failing_tests());
    std::fs::remove_file(course.path("exercises/a/README.md")).unwrap();
    let course = synced(course);
    let (ok, out) = dev_check(&course, &[]);
    assert!(!ok);
    for expected in [
        "error: exercises/a/stray.rs: this file is not part of any exercise",
        "error: exercises/a/README.md: the section has no README.md",
        "error: exercises/a/two.rs: `two` passes as shipped",
        "error: solutions/a/one.rs: the solution of `one` does not pass",
        "4 errors",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn a_course_that_does_not_load_still_gets_its_files_checked() {
    let course = valid();
    edit_info(&course, "hint = \"A hint for one.\"", "hint = \"\"");
    course.write("exercises/a/stray.rs", MAIN_PASSES);
    let (ok, out) = dev_check(&course, &[]);
    assert!(!ok);
    assert!(out.contains("`one` has no hint"), "{out}");
    assert!(out.contains("exercises/a/stray.rs"), "{out}");
}

#[test]
fn dev_new_makes_a_course_that_dev_check_accepts() {
    let parent = tempfile::tempdir().unwrap();
    let path = parent.path().join("my course");
    let output = std::process::Command::new(common::BIN)
        .args(["dev", "new"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    for file in [
        "info.toml",
        "Cargo.toml",
        "README.md",
        ".gitignore",
        "exercises/00_intro/README.md",
    ] {
        assert!(path.join(file).is_file(), "{file} missing");
    }
    let info = std::fs::read_to_string(path.join("info.toml")).unwrap();
    assert!(
        info.contains("# skip_check_unsolved = true"),
        "commented keys"
    );
    let check = std::process::Command::new(common::BIN)
        .args([
            "dev",
            "check",
            "--require-solutions",
            "--require-mutants",
            "1",
        ])
        .current_dir(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
    assert!(
        text(&check).contains("2 of 2 mutants killed across 1 exercise"),
        "{}",
        text(&check)
    );
}

#[test]
fn dev_new_refuses_a_folder_with_content() {
    let parent = tempfile::tempdir().unwrap();
    std::fs::write(parent.path().join("notes.txt"), "mine").unwrap();
    let output = std::process::Command::new(common::BIN)
        .args(["dev", "new"])
        .arg(parent.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        text(&output).contains("already exists and is not empty"),
        "{}",
        text(&output)
    );
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 1);
}

#[test]
fn dev_update_regenerates_the_bin_list_and_keeps_the_rest() {
    let course = synced(valid());
    let manifest = course.read("Cargo.toml");
    course.write(
        "Cargo.toml",
        &format!("{manifest}\n[dependencies.helper]\npath = \"helper\"\n"),
    );
    course.write("exercises/a/three.rs", MAIN_FAILS);
    let info = course.read("info.toml");
    course.write(
        "info.toml",
        &format!(
            "{info}\n[[exercises]]\nname = \"three\"\ndir = \"a\"\ntest = false\nhint = \"h\"\n"
        ),
    );
    let output = course.run(&["dev", "update"]);
    assert!(output.status.success(), "{}", text(&output));
    let manifest = course.read("Cargo.toml");
    assert!(
        manifest.contains("{ name = \"three\", path = \"exercises/a/three.rs\" }"),
        "{manifest}"
    );
    assert!(
        manifest.contains("[dependencies.helper]\npath = \"helper\""),
        "{manifest}"
    );
    // A second run has nothing to do.
    let again = course.run(&["dev", "update"]);
    assert!(stdout(&again).contains("is up to date"));
}

// ---- mutants ----

/// An exercise whose tests check `double` on one input only, so a mutant that squares passes.
const DOUBLE_EXERCISE: &str = "fn double(x: u32) -> u32 {\n    x\n}\n\nfn main() {\n    println!(\"{}\", double(2));\n}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn doubles() {\n        assert_eq!(double(2), 4);\n    }\n}\n";

fn double_solution() -> String {
    DOUBLE_EXERCISE.replacen("    x\n", "    x * 2\n", 1)
}

/// A mutant of a one-file exercise: one edit.
fn mutant(label: &str, find: &str, replace: &str) -> String {
    format!(
        "[[mutant]]\nlabel = \"{label}\"\n[[mutant.edit]]\nfind = '''{find}'''\nreplace = '''{replace}'''\n\n"
    )
}

/// A course with the `double` exercise (`one`) and a `main` exercise (`two`), and `mutants` as
/// the mutants file of `one`.
fn with_mutants(mutants: &str) -> TestCourse {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "one",
            DOUBLE_EXERCISE,
            Some(&double_solution()),
            Opts::default(),
        )
        .exercise("a", "two", MAIN_FAILS, Some(MAIN_PASSES), main_opts())
        .finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    course.write("solutions/a/one.mutants.toml", mutants);
    synced(course)
}

#[test]
fn killed_mutants_are_counted_and_required() {
    let course = with_mutants(&mutant("adds one instead of doubling", "x * 2", "x + 1"));
    let (ok, out) = dev_check(&course, &["--require-solutions", "--require-mutants", "1"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("the course is fine: 1 of 1 mutants killed across 1 exercise"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.trim() == "one  1 of 1"), "{out}");
    // `two` is graded by running main: it needs no mutants.
    assert_error(
        &course,
        &["--require-mutants", "2"],
        "solutions/a/one.mutants.toml",
        "`one` has 1 valid mutant; --require-mutants asks for 2",
    );
    let (_, out) = dev_check(&course, &["--require-mutants", "2"]);
    assert!(!out.contains("`two`"), "{out}");
    let (ok, out) = dev_check(&course, &["--require-mutants", "0"]);
    assert!(!ok && out.contains("must be at least 1"), "{out}");
}

#[test]
fn mutants_of_a_section_share_one_test_binary() {
    let mutants = [
        mutant("adds one instead of doubling", "x * 2", "x + 1"),
        mutant("triples instead of doubling", "x * 2", "x * 3"),
    ]
    .concat();
    let course = with_mutants(&mutants);
    let (ok, out) = dev_check(&course, &["--require-mutants", "2"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("2 of 2 mutants killed across 1 exercise"),
        "{out}"
    );
    let root = course.read("target/backendlings/mutants/backendlings_mutants_0.rs");
    assert!(
        root.contains("mod mutant_1;") && root.contains("mod mutant_2;"),
        "{root}"
    );
    let built = course.path("target/backendlings/pkg/bin");
    assert!(
        built.join("backendlings_mutants_0").exists()
            || built.join("backendlings_mutants_0.exe").exists()
    );
    assert!(
        !built.join("one_mut1").exists() && !built.join("one_mut1.exe").exists(),
        "no binary of its own for a mutant that compiles as a module"
    );
}

#[test]
fn surviving_and_invalid_mutants_are_reported_by_label() {
    let mutants = [
        mutant("adds one instead of doubling", "x * 2", "x + 1"),
        mutant("squares instead of doubling", "x * 2", "x * x"),
        mutant("returns text", "x * 2", "\"four\""),
    ]
    .concat();
    let course = with_mutants(&mutants);
    let (ok, out) = dev_check(&course, &[]);
    assert!(!ok, "a survivor fails dev check:\n{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("error: solutions/a/one.mutants.toml:8:")
                && l.contains("mutant \"squares instead of doubling\" of `one` survives")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("error: solutions/a/one.mutants.toml:14:")
                && l.contains("mutant \"returns text\" of `one` is invalid: compile error")),
        "{out}"
    );
    assert!(
        out.contains("mismatched types"),
        "the compiler's message is shown:\n{out}"
    );
    assert!(out.lines().any(|l| l.trim() == "one  1 of 3"), "{out}");
    assert!(
        out.contains("1 of 3 mutants killed across 1 exercise"),
        "{out}"
    );
}

#[test]
fn malformed_mutants_are_located_and_named() {
    let mutants = [
        mutant("adds one", "x * 3", "x + 1"),
        "[[mutant]]\nlabel = \"has no edit\"\n\n".to_string(),
        "[[mutant]]\n[[mutant.edit]]\nfind = 'x * 2'\nreplace = 'x'\n\n".to_string(),
        "[[mutant]]\nlabel = \"names a file\"\n[[mutant.edit]]\nfile = \"one.rs\"\nfind = 'x * 2'\nreplace = 'x'\n\n".to_string(),
        mutant("weakens the test", "assert_eq!(double(2), 4);", "assert!(true);"),
        mutant("finds too much", "double", "half"),
        mutant("adds one", "x * 2", "x + 1"),
        mutant("adds one", "x * 2", "x + 2"),
    ]
    .concat();
    let course = with_mutants(&mutants);
    course.write(
        "solutions/a/two.mutants.toml",
        "[[mutant]]\nlable = \"typo\"\n",
    );
    course.write("solutions/a/gone.mutants.toml", "");
    let file = "solutions/a/one.mutants.toml";
    let (ok, out) = dev_check(&course, &[]);
    assert!(!ok, "{out}");
    for (location, message) in [
        (
            format!("{file}:4:8"),
            "mutant \"adds one\": `find` does not occur in one.rs",
        ),
        (
            format!("{file}:8:"),
            "mutant \"has no edit\": it has no [[mutant.edit]]",
        ),
        (format!("{file}:10:1"), "this mutant has no `label`"),
        (
            format!("{file}:18:8"),
            "mutant \"names a file\": `file` is only for folder exercises",
        ),
        (
            format!("{file}:23:"),
            "mutant \"weakens the test\": its edits change the test module of one.rs",
        ),
        (
            format!("{file}:31:8"),
            "mutant \"finds too much\": `find` occurs 4 times in one.rs",
        ),
        (
            format!("{file}:41:"),
            "two mutants have the label \"adds one\"",
        ),
        (
            "solutions/a/two.mutants.toml:2:1".to_string(),
            "unknown field `lable`",
        ),
        (
            "solutions/a/gone.mutants.toml".to_string(),
            "this mutants file belongs to no exercise",
        ),
    ] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("error: {location}")) && l.contains(message)),
            "expected an error at {location} mentioning {message:?}:\n{out}"
        );
    }
    // The valid one of the two "adds one" still runs.
    assert!(out.contains("1 of 1 mutants killed"), "{out}");
}

#[test]
fn a_folder_exercise_has_mutants_of_its_files() {
    let main = "mod logic;\n\nfn main() {\n    println!(\"{}\", logic::total(&[1, 2]));\n}\n\n#[cfg(test)]\nmod tests;\n";
    let tests = "use super::logic::total;\n\n#[test]\nfn sums_prices() {\n    assert_eq!(total(&[1, 2, 3]), 6);\n}\n";
    let course = TestCourse::new()
        .section("a", "Alpha")
        .dir_exercise(
            "a",
            "shop",
            &[
                ("main.rs", main),
                (
                    "logic.rs",
                    "pub fn total(prices: &[u32]) -> u32 {\n    prices.len() as u32\n}\n",
                ),
                ("tests.rs", tests),
            ],
            Opts::default(),
        )
        .finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    course.write("solutions/a/shop/main.rs", main);
    course.write(
        "solutions/a/shop/logic.rs",
        "pub fn total(prices: &[u32]) -> u32 {\n    prices.iter().sum()\n}\n",
    );
    // The solution's copy of the tests is weaker: mutants are judged by the exercise's.
    course.write(
        "solutions/a/shop/tests.rs",
        "use super::logic::total;\n\n#[test]\nfn sums_prices() {\n    assert!(total(&[1, 2, 3]) > 0);\n}\n",
    );
    let edit = |label: &str, file: &str| {
        format!(
            "[[mutant]]\nlabel = \"{label}\"\n[[mutant.edit]]\n{file}find = 'prices.iter().sum()'\nreplace = 'prices.iter().max().copied().unwrap_or(0)'\n\n"
        )
    };
    course.write(
        "solutions/a/shop.mutants.toml",
        &[
            edit("takes the highest price", "file = \"logic.rs\"\n"),
            edit("names no file", ""),
            edit("edits the tests", "file = \"tests.rs\"\n"),
        ]
        .concat(),
    );
    let course = synced(course);
    let (ok, out) = dev_check(&course, &["--require-solutions"]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("1 of 1 mutants killed across 1 exercise"),
        "{out}"
    );
    assert!(
        out.contains(
            "mutant \"names no file\": this is a folder exercise: the edit needs a `file`"
        ),
        "{out}"
    );
    assert!(
        out.contains("mutant \"edits the tests\": `file` tests.rs is a test module"),
        "{out}"
    );
    // The solution passes its own weak tests and the exercise's.
    assert!(!out.contains("solution of `shop`"), "{out}");
}

#[test]
fn a_solution_that_fails_the_exercise_tests_as_the_grader_runs_them_is_flagged() {
    let course = with_mutants("");
    // The solution's own test expects something else than the exercise's.
    course.write(
        "solutions/a/one.rs",
        &double_solution().replace("assert_eq!(double(2), 4)", "assert_eq!(double(3), 6)"),
    );
    course.write(
        "exercises/a/one.rs",
        &DOUBLE_EXERCISE.replace("assert_eq!(double(2), 4)", "assert_eq!(double(2), 5)"),
    );
    let (ok, out) = dev_check(&course, &[]);
    assert!(ok, "a warning:\n{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("warning: solutions/a/one.rs:")
                && l.contains("the solution of `one` fails the exercise's own tests")),
        "{out}"
    );
}

#[test]
fn repeat_finds_a_flaky_test_and_not_a_steady_one() {
    let flaky = |ready: &str| {
        format!(
            "fn ready() -> bool {{\n    {ready}\n}}\n\nfn main() {{\n    println!(\"{{}}\", ready());\n}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn every_other_run() {{\n        assert!(super::ready());\n        let path = std::env::var(\"FLAKY_COUNTER\").unwrap();\n        let runs: u32 = std::fs::read_to_string(&path).map_or(0, |t| t.trim().parse().unwrap());\n        std::fs::write(&path, (runs + 1).to_string()).unwrap();\n        assert!(runs.is_multiple_of(2), \"run {{runs}}\");\n    }}\n}}\n"
        )
    };
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "one",
            DOUBLE_EXERCISE,
            Some(&double_solution()),
            Opts::default(),
        )
        .exercise(
            "a",
            "flaky",
            &flaky("false"),
            Some(&flaky("true")),
            Opts::default(),
        )
        .finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    course.write(
        "solutions/a/one.mutants.toml",
        &mutant("adds one instead of doubling", "x * 2", "x + 1"),
    );
    let course = synced(course);
    let counter = tempfile::tempdir().unwrap();
    let output = course
        .cmd(&["dev", "check", "--repeat", "3"])
        .env("FLAKY_COUNTER", counter.path().join("runs"))
        .output()
        .unwrap();
    let out = text(&output);
    assert!(!output.status.success(), "{out}");
    // Runs 1 and 3 pass, run 2 fails.
    assert!(
        out.lines().any(|l| l
            .starts_with("error: solutions/a/flaky.rs: the solution of `flaky` is flaky")
            && l.contains("tests::every_other_run failed in 1 of 3 runs")
            && l.contains("passed 2, tests failed 1")),
        "{out}"
    );
    assert!(!out.contains("`one` is flaky"), "{out}");
    assert!(
        !out.contains("mutant \"adds one instead of doubling\" of `one` is flaky"),
        "{out}"
    );
    assert!(out.contains("1 errors"), "{out}");
}

// ---- generated mutants ----

/// A graded exercise whose tests miss one boundary: `is_adult(17)` is never checked, so the
/// generated mutant that moves 18 to 17 survives; every other one is killed, except that
/// `limit` returning 256 does not compile as a `u8` (unviable).
fn adult_source(body: &str) -> String {
    format!(
        "fn is_adult(age: u32) -> bool {{\n    {body}\n}}\n\nfn limit() -> u8 {{\n    255\n}}\n\nfn main() {{\n    println!(\"{{}} {{}}\", is_adult(20), limit());\n}}\n\n#[cfg(test)]\nmod tests {{\n    use super::*;\n\n    #[test]\n    fn adults() {{\n        assert!(is_adult(18));\n        assert!(!is_adult(5));\n        assert_eq!(limit(), 255);\n    }}\n}}\n"
    )
}

#[test]
fn generated_mutants_must_be_killed_or_listed_as_equivalent() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "adult",
            &adult_source("age > 18"),
            Some(&adult_source("age >= 18")),
            Opts::default(),
        )
        .exercise("a", "two", MAIN_FAILS, Some(MAIN_PASSES), main_opts())
        .finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    let course = synced(course);

    let (ok, out) = dev_check(&course, &["--mutate"]);
    assert!(!ok, "an unexplained survivor fails --mutate:\n{out}");
    let id = "is_adult: replace 18 with 17";
    assert!(
        out.lines()
            .any(|l| l.starts_with("error: solutions/a/adult.rs:2: ")
                && l.contains(&format!("generated mutant \"{id}\" of `adult` survives"))),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.trim().starts_with("adult")
            && l.contains("10 generated: 8 killed, 1 survived, 0 equivalent, 1 unviable")),
        "{out}"
    );
    // The shared binary is built again without the module that does not compile.
    assert!(
        out.contains("cost: 10 mutants in 2 binaries (2 build rounds)"),
        "{out}"
    );
    // Without --mutate, nothing is generated.
    let (ok, out) = dev_check(&course, &[]);
    assert!(ok && !out.contains("generated"), "{out}");

    course.write(
        "solutions/a/adult.mutants.toml",
        &format!(
            "[[equivalent]]\nmutant = \"{id}\"\nreason = \"accepted here, to test the format\"\n"
        ),
    );
    let (ok, out) = dev_check(&course, &["--mutate"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("8 of 10 generated mutants killed (0 survived, 1 equivalent, 1 unviable)"),
        "{out}"
    );

    // A stale id and a missing reason are errors.
    course.write(
        "solutions/a/adult.mutants.toml",
        "[[equivalent]]\nmutant = \"is_adult: replace 21 with 20\"\nreason = \"gone\"\n\n[[equivalent]]\nmutant = \"is_adult: replace 18 with 19\"\n",
    );
    let (ok, out) = dev_check(&course, &["--mutate"]);
    assert!(!ok, "{out}");
    for message in [
        "solutions/a/adult.mutants.toml:2:10: no generated mutant of `adult` has the id \"is_adult: replace 21 with 20\"",
        "solutions/a/adult.mutants.toml:6:10: equivalent mutant \"is_adult: replace 18 with 19\" has no `reason`",
    ] {
        assert!(
            out.lines().any(|l| l == format!("error: {message}")),
            "{message}:\n{out}"
        );
    }
}

#[test]
fn a_folder_exercise_has_generated_mutants_as_modules_or_alone() {
    let main = "mod logic;\n\nfn main() {\n    println!(\"{}\", logic::total(&[1, 2]));\n}\n\n#[cfg(test)]\nmod tests;\n";
    // `crate::` paths hold in a shared binary once they go through the mutant's module.
    let tests = "use crate::logic::total;\n\n#[test]\nfn sums_prices() {\n    assert_eq!(total(&[1, 2, 3]), 6);\n}\n";
    let logic = |body: &str| format!("pub fn total(prices: &[u32]) -> u32 {{\n    {body}\n}}\n");
    let course = TestCourse::new()
        .section("a", "Alpha")
        .dir_exercise(
            "a",
            "shop",
            &[
                ("main.rs", main),
                ("logic.rs", &logic("prices.len() as u32")),
                ("tests.rs", tests),
            ],
            Opts::default(),
        )
        .finish();
    course.write("exercises/a/README.md", "# Alpha\n");
    course.write("solutions/a/shop/main.rs", main);
    course.write("solutions/a/shop/logic.rs", &logic("prices.iter().sum()"));
    course.write("solutions/a/shop/tests.rs", tests);
    let course = synced(course);
    let (ok, out) = dev_check(&course, &["--mutate"]);
    assert!(ok, "{out}");
    // `total` returns 0 or 1 instead: two mutants and the baseline, modules of one binary.
    assert!(
        out.lines().any(
            |l| l.trim().starts_with("shop") && l.contains("2 generated: 2 killed, 0 survived")
        ),
        "{out}"
    );
    assert!(
        out.contains("cost: 2 mutants in 1 binary (1 build round)"),
        "{out}"
    );
    let nested = course.read("target/backendlings/generated/a/shop_gen1/tests.rs");
    assert!(
        nested.contains("use crate::mutant_1::logic::total;"),
        "{nested}"
    );

    // A `crate::` path inside a macro's arguments is not rewritten: the baseline does not
    // compile as a module, and every mutant is built alone, as written.
    let in_macro =
        "#[test]\nfn sums_prices() {\n    assert_eq!(crate::logic::total(&[1, 2, 3]), 6);\n}\n";
    course.write("exercises/a/shop/tests.rs", in_macro);
    course.write("solutions/a/shop/tests.rs", in_macro);
    let (ok, out) = dev_check(&course, &["--mutate"]);
    assert!(ok, "{out}");
    assert!(
        out.lines().any(
            |l| l.trim().starts_with("shop") && l.contains("2 generated: 2 killed, 0 survived")
        ),
        "{out}"
    );
    assert!(
        out.contains("cost: 2 mutants in 4 binaries (2 build rounds)"),
        "{out}"
    );
    let built = course.path("target/backendlings/pkg/bin");
    assert!(
        built.join("shop_gen1").exists() || built.join("shop_gen1.exe").exists(),
        "a binary of its own"
    );
}
