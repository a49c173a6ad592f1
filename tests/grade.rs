//! `backendlings grade` on a generated cohort: honest learners, cheaters, hostile programs and
//! broken trees, all graded against the course's own tests.
// Unix only: these tests link files and folders with symlinks (grading is Linux-only too).
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Opts, TestCourse, process_running, stderr, stdout};
use serde_json::Value;

const ADD: &str = "fn add(a: i32, b: i32) -> i32 {\n    BODY\n}\n\nfn main() {}\n";
const ADD_TESTS: &str = "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(2, 3), 5);\n    }\n}\n";
const SERVER_MAIN: &str = "mod logic;\n#[cfg(test)]\nmod tests;\n\nfn main() {\n    println!(\"{}\", logic::double(1));\n}\n";
const SERVER_TESTS: &str =
    "use super::logic::double;\n\n#[test]\nfn doubles() {\n    assert_eq!(double(4), 8);\n}\n";
/// A marker no other process on the machine has in its command line.
const ORPHAN_SECS: &str = "987654";

fn add(body: &str) -> String {
    format!("{}{ADD_TESTS}", ADD.replace("BODY", body))
}

fn course() -> TestCourse {
    let opts = |points| Opts {
        points: Some(points),
        ..Opts::default()
    };
    TestCourse::new()
        .section("basics", "Basics")
        .section("more", "More")
        .exercise("basics", "add", &add("0"), None, opts(2))
        .exercise(
            "basics",
            "greet",
            "fn main() {\n    std::process::exit(1);\n}\n",
            None,
            Opts {
                test: false,
                ..Opts::default()
            },
        )
        .dir_exercise(
            "more",
            "server",
            &[
                ("main.rs", SERVER_MAIN),
                ("logic.rs", "pub fn double(x: i32) -> i32 {\n    x\n}\n"),
                ("tests.rs", SERVER_TESTS),
            ],
            opts(3),
        )
        .finish()
}

/// A learner tree: a copy of the course's exercises, then `edits` (path, Some(content) or None
/// to delete).
fn learner(
    cohort: &Path,
    course: &TestCourse,
    name: &str,
    edits: &[(&str, Option<&[u8]>)],
) -> PathBuf {
    let dir = cohort.join(name);
    copy_dir(&course.path("exercises"), &dir.join("exercises"));
    fs::copy(course.path("info.toml"), dir.join("info.toml")).unwrap();
    for (rel, content) in edits {
        let path = dir.join(rel);
        match content {
            Some(bytes) => fs::write(path, bytes).unwrap(),
            None => fs::remove_file(path).unwrap(),
        }
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

const SOLVED_ADD: &str = "a + b";
const SOLVED_GREET: &[u8] = b"fn main() {\n    println!(\"hi\");\n}\n";
const SOLVED_LOGIC: &[u8] = b"pub fn double(x: i32) -> i32 {\n    x * 2\n}\n";

/// Edits that solve everything but `add`, plus `add` with `body`.
fn solved_with_add(body: &str) -> Vec<(&'static str, Option<Vec<u8>>)> {
    vec![
        ("exercises/basics/add.rs", Some(add(body).into_bytes())),
        ("exercises/basics/greet.rs", Some(SOLVED_GREET.to_vec())),
        (
            "exercises/more/server/logic.rs",
            Some(SOLVED_LOGIC.to_vec()),
        ),
    ]
}

fn learner_owned(
    cohort: &Path,
    course: &TestCourse,
    name: &str,
    edits: Vec<(&str, Option<Vec<u8>>)>,
) -> PathBuf {
    let borrowed: Vec<(&str, Option<&[u8]>)> =
        edits.iter().map(|(p, c)| (*p, c.as_deref())).collect();
    learner(cohort, course, name, &borrowed)
}

/// Content hashes of every file below `dir` (symlinks by their target), to prove nothing wrote.
fn tree_hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut hashes = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            let hash = if kind.is_symlink() {
                format!("link:{}", fs::read_link(&path).unwrap().display())
            } else if kind.is_dir() {
                stack.push(path.clone());
                "dir".to_string()
            } else {
                blake3::hash(&fs::read(&path).unwrap()).to_hex().to_string()
            };
            hashes.insert(path.strip_prefix(dir).unwrap().to_path_buf(), hash);
        }
    }
    hashes
}

fn by_name<'a>(report: &'a Value, learner: &str) -> &'a Value {
    report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == learner)
        .unwrap_or_else(|| panic!("no learner {learner} in the report"))
}

fn exercise<'a>(learner: &'a Value, name: &str) -> &'a Value {
    learner["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no exercise {name}"))
}

/// (status, tests_modified, score) of one exercise.
fn outcome(learner: &Value, name: &str) -> (String, bool, u64) {
    let e = exercise(learner, name);
    (
        e["status"].as_str().unwrap().to_string(),
        e["tests_modified"].as_bool().unwrap(),
        e["score"].as_u64().unwrap(),
    )
}

fn o(status: &str, modified: bool, score: u64) -> (String, bool, u64) {
    (status.to_string(), modified, score)
}

#[test]
fn grades_a_hostile_cohort_against_the_course_tests() {
    let course = course();
    let work = tempfile::tempdir().unwrap();
    let cohort = work.path().join("cohort");
    fs::create_dir(&cohort).unwrap();
    let outside = work.path().join("outside.rs");
    fs::write(&outside, add(SOLVED_ADD)).unwrap();

    learner_owned(&cohort, &course, "solved", solved_with_add(SOLVED_ADD));
    learner(&cohort, &course, "nothing", &[]);
    let weak_add = format!(
        "{}\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn adds() {{\n        assert!(true);\n    }}\n}}\n",
        ADD.replace("BODY", "0")
    );
    learner(
        &cohort,
        &course,
        "edited_tests",
        &[
            ("exercises/basics/add.rs", Some(weak_add.as_bytes())),
            ("exercises/basics/greet.rs", Some(SOLVED_GREET)),
            (
                "exercises/more/server/tests.rs",
                Some(b"#[test]\nfn doubles() {}\n"),
            ),
        ],
    );
    let mut deleted = solved_with_add(SOLVED_ADD);
    deleted[0].1 = Some(ADD.replace("BODY", SOLVED_ADD).into_bytes());
    deleted[1].1 = None;
    deleted.push(("exercises/more/server/tests.rs", None));
    deleted.push((
        "exercises/more/server/main.rs",
        Some(b"mod logic;\n\nfn main() {\n    println!(\"{}\", logic::double(1));\n}\n".to_vec()),
    ));
    learner_owned(&cohort, &course, "deleted_tests", deleted);
    let shadow = format!(
        "macro_rules! assert_eq {{ ($($t:tt)*) => {{}} }}\n{}",
        add("0")
    );
    let mut shadowing = solved_with_add("0");
    shadowing[0].1 = Some(shadow.into_bytes());
    learner_owned(&cohort, &course, "shadowed_assert", shadowing);
    learner_owned(&cohort, &course, "endless_loop", solved_with_add("loop {}"));
    learner_owned(
        &cohort,
        &course,
        "orphan",
        solved_with_add(&format!(
            "let _ = std::process::Command::new(\"sleep\").arg(\"{ORPHAN_SECS}\").spawn();\n    a + b"
        )),
    );
    learner_owned(
        &cohort,
        &course,
        "flood",
        solved_with_add("for _ in 0..200_000 { println!(\"flood flood flood flood\"); }\n    0"),
    );
    learner_owned(
        &cohort,
        &course,
        "early_exit",
        solved_with_add("std::process::exit(0)"),
    );
    let mut garbage = solved_with_add(SOLVED_ADD);
    garbage[0].1 = Some(vec![0xff, 0x00, 0xfe, 0x81, 0x00, 0x13]);
    learner_owned(&cohort, &course, "garbage", garbage);
    let mut linked = solved_with_add(SOLVED_ADD);
    linked.remove(0);
    let symlink_dir = learner_owned(&cohort, &course, "symlink_outside", linked);
    fs::remove_file(symlink_dir.join("exercises/basics/add.rs")).unwrap();
    std::os::unix::fs::symlink(&outside, symlink_dir.join("exercises/basics/add.rs")).unwrap();
    // Thousands of compiler warnings: they count against the output cap like any output.
    let mut noisy = solved_with_add(SOLVED_ADD);
    let names: Vec<String> = (0..3000).map(|i| format!("v{i}")).collect();
    noisy[1].1 = Some(
        format!(
            "macro_rules! unused {{ ($($v:ident)*) => {{ $(let $v = 1;)* }} }}\nfn main() {{\n    unused!({});\n    println!(\"hi\");\n}}\n",
            names.join(" ")
        )
        .into_bytes(),
    );
    learner_owned(&cohort, &course, "noisy_build", noisy);
    // Nested far deeper than any parser's stack allows: its reader crashes, it alone.
    let mut deep = solved_with_add(SOLVED_ADD);
    let nested = format!(
        "type T = {}u8{};\n{}",
        "Vec<".repeat(150_000),
        ">".repeat(150_000),
        add(SOLVED_ADD)
    );
    deep[0].1 = Some(nested.into_bytes());
    learner_owned(&cohort, &course, "deep_nesting", deep);
    fs::create_dir(cohort.join("empty")).unwrap();
    let missing = work.path().join("no_such_learner");

    let before = tree_hashes(&cohort);
    let report_dir = work.path().join("reports");
    fs::create_dir(&report_dir).unwrap();
    let path = |name: &str| report_dir.join(name).display().to_string();
    let output = course.run(&[
        "grade",
        missing.to_str().unwrap(),
        "--cohort",
        cohort.to_str().unwrap(),
        "--timeout",
        "3",
        "--jobs",
        "2",
        "--json",
        &path("r.json"),
        "--junit",
        &path("r.xml"),
        "--csv",
        &path("r.csv"),
        "--html",
        &path("r.html"),
    ]);
    // `deep_nesting` is a grader_error: the run says so with exit 3, every report written.
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(stderr(&output).contains("the grader failed on 1 learner(s): deep_nesting"));
    assert_eq!(
        before,
        tree_hashes(&cohort),
        "a learner tree was written to"
    );
    assert!(
        !process_running(&format!("sleep {ORPHAN_SECS}")),
        "the orphan outlived the run"
    );
    // Test executables live in the course's shared build folder.
    assert!(
        !process_running(&course.root().display().to_string()),
        "a learner program outlived the run"
    );

    // To look at the reports (e.g. the HTML in a browser): GRADE_KEEP_REPORTS=/some/dir.
    if let Some(keep) = std::env::var_os("GRADE_KEEP_REPORTS") {
        copy_dir(&report_dir, Path::new(&keep));
    }
    let report: Value =
        serde_json::from_str(&fs::read_to_string(report_dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["version"], 1);
    assert_eq!(report["course"]["max_score"], 6);
    let names: Vec<&str> = report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names[0], "no_such_learner",
        "named learners come first, then the cohort sorted"
    );
    let order: Vec<&str> = by_name(&report, "solved")["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["add", "greet", "server"], "curriculum order");

    let expect = |name: &str,
                  score: u64,
                  add: (String, bool, u64),
                  greet: (String, bool, u64),
                  server: (String, bool, u64)| {
        let l = by_name(&report, name);
        assert_eq!(l["status"], "graded", "{name}: {l}");
        assert_eq!(
            (outcome(l, "add"), outcome(l, "greet"), outcome(l, "server")),
            (add, greet, server),
            "{name}"
        );
        assert_eq!(l["score"], score, "{name}");
        assert_eq!(l["max_score"], 6);
    };
    expect(
        "solved",
        6,
        o("passed", false, 2),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "nothing",
        0,
        o("tests_failed", false, 0),
        o("run_failed", false, 0),
        o("tests_failed", false, 0),
    );
    expect(
        "edited_tests",
        1,
        o("tests_failed", true, 0),
        o("passed", false, 1),
        o("tests_failed", true, 0),
    );
    expect(
        "deleted_tests",
        5,
        o("passed", true, 2),
        o("missing", false, 0),
        o("passed", true, 3),
    );
    // A macro named like the standard `assert_eq!` impersonates the language (contract::names).
    expect(
        "shadowed_assert",
        4,
        o("rejected", false, 0),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "endless_loop",
        4,
        o("timed_out", false, 0),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "orphan",
        6,
        o("passed", false, 2),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "flood",
        4,
        o("tests_failed", false, 0),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "early_exit",
        4,
        // The rule book refuses `exit` in a test exercise before building it.
        o("rejected", false, 0),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "garbage",
        4,
        o("rejected", false, 0),
        o("passed", false, 1),
        o("passed", false, 3),
    );
    expect(
        "symlink_outside",
        4,
        o("unreadable", false, 0),
        o("passed", false, 1),
        o("passed", false, 3),
    );

    let solved = by_name(&report, "solved");
    assert_eq!(solved["sections"][0]["score"], 3);
    assert_eq!(solved["sections"][1]["score"], 3);
    assert_eq!(solved["percent"], 100.0);
    let edited = exercise(by_name(&report, "edited_tests"), "add");
    assert_eq!(edited["failing_tests"][0], "tests::adds");
    let flood = exercise(by_name(&report, "flood"), "add");
    assert_eq!(flood["output_truncated"], true);
    assert!(flood["output"].as_str().unwrap().len() <= 16 * 1024);
    let garbage = exercise(by_name(&report, "garbage"), "add");
    assert!(
        garbage["output"].as_str().unwrap().contains("not UTF-8"),
        "{garbage}"
    );
    let link = exercise(by_name(&report, "symlink_outside"), "add");
    assert!(
        link["output"]
            .as_str()
            .unwrap()
            .contains("outside the learner tree"),
        "{link}"
    );
    let noisy = exercise(by_name(&report, "noisy_build"), "greet");
    assert_eq!(noisy["status"], "passed", "{noisy}");
    assert_eq!(noisy["output_truncated"], true);
    assert!(noisy["output"].as_str().unwrap().len() <= 16 * 1024);
    let deep = by_name(&report, "deep_nesting");
    assert_eq!(deep["status"], "grader_error", "{deep}");
    assert!(
        deep["error"]
            .as_str()
            .unwrap()
            .contains("could not read this learner's files"),
        "{deep}"
    );
    assert_eq!(deep["score"], 0);
    for (name, why) in [("no_such_learner", "does not exist"), ("empty", "is empty")] {
        let l = by_name(&report, name);
        assert_eq!(l["status"], "error");
        assert!(l["error"].as_str().unwrap().contains(why), "{l}");
        assert_eq!(l["score"], 0);
    }

    // JUnit: well-formed, one suite per learner, failures carry their output.
    let xml = fs::read_to_string(report_dir.join("r.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), names.len());
    let nothing = suites
        .iter()
        .find(|s| s.attribute("name") == Some("nothing"))
        .unwrap();
    assert_eq!(nothing.attribute("failures"), Some("3"));
    let failure = nothing
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("tests_failed"));
    assert!(failure.text().unwrap_or("").contains("adds"));
    assert!(!xml.contains('\u{1b}'), "ANSI codes are stripped");
    let missing_suite = suites
        .iter()
        .find(|s| s.attribute("name") == Some("no_such_learner"))
        .unwrap();
    assert!(missing_suite.descendants().any(|n| n.has_tag_name("error")));

    // CSV: a header, then a row per learner with a column per section.
    let mut csv = csv::Reader::from_path(report_dir.join("r.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "learner",
            "status",
            "commit",
            "Basics",
            "More",
            "score",
            "max_score",
            "percent"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), names.len());
    let row = rows.iter().find(|r| &r[0] == "deleted_tests").unwrap();
    assert_eq!(
        (&row[3], &row[4], &row[5], &row[7]),
        ("2", "3", "5", "83.33")
    );

    // HTML: self-contained, every learner in it.
    let html = fs::read_to_string(report_dir.join("r.html")).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains(" src="));
    for name in &names {
        assert!(html.contains(name), "{name} missing from the HTML report");
    }
}

fn git(dir: &Path, args: &[&str], date: &str) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Learner")
        .env("GIT_AUTHOR_EMAIL", "learner@example.com")
        .env("GIT_COMMITTER_NAME", "Learner")
        .env("GIT_COMMITTER_EMAIL", "learner@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    stdout(&output).trim().to_string()
}

#[test]
fn grades_a_git_tree_at_a_deadline_without_touching_it() {
    let course = course();
    let work = tempfile::tempdir().unwrap();
    let dir = learner_owned(work.path(), &course, "alice", solved_with_add(SOLVED_ADD));
    git(&dir, &["init", "-q", "-b", "main"], "2025-01-01T10:00:00Z");
    git(&dir, &["add", "-A"], "2025-01-01T10:00:00Z");
    git(&dir, &["commit", "-qm", "solved"], "2025-01-01T10:00:00Z");
    let on_time = git(&dir, &["rev-parse", "HEAD"], "2025-01-01T10:00:00Z");
    fs::write(dir.join("exercises/basics/add.rs"), add("0")).unwrap();
    git(
        &dir,
        &["commit", "-qam", "late and broken"],
        "2025-01-03T10:00:00Z",
    );
    // An uncommitted change too: the deadline grades commits, not the working tree.
    fs::write(dir.join("exercises/basics/greet.rs"), "not rust").unwrap();
    let head = git(&dir, &["rev-parse", "HEAD"], "");
    let before = tree_hashes(&dir);

    let output = course.run(&[
        "grade",
        dir.to_str().unwrap(),
        "--at",
        "2025-01-02T00:00:00+01:00",
        "--json",
        "-",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("the JSON report on stdout");
    let alice = by_name(&report, "alice");
    assert_eq!(alice["commit"], on_time.as_str());
    assert_eq!(alice["score"], 6, "{alice}");
    assert_eq!(report["deadline"], "2025-01-01T23:00:00Z");
    assert!(
        report["deadline_note"]
            .as_str()
            .is_some_and(|note| note.contains("forged")),
        "commit dates can be forged: the report says so"
    );
    assert_eq!(
        before,
        tree_hashes(&dir),
        "the learner's tree was written to"
    );
    assert_eq!(git(&dir, &["rev-parse", "HEAD"], ""), head);

    // Before the first commit there is nothing to grade: a per-learner error, exit 0.
    let output = course.run(&[
        "grade",
        dir.to_str().unwrap(),
        "--at",
        "2024-01-01T00:00:00Z",
        "--json",
        "-",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        by_name(&report, "alice")["error"]
            .as_str()
            .unwrap()
            .contains("no commit at or before")
    );
}

#[test]
fn usage_errors_exit_2_and_fail_under_exits_1() {
    let course = course();
    let output = course.run(&["grade"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("<LEARNER_DIR|--cohort <DIR>>"),
        "{}",
        stderr(&output)
    );
    let empty = tempfile::tempdir().unwrap();
    let output = course.run(&["grade", "--cohort", empty.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no learners"),
        "{}",
        stderr(&output)
    );
    let output = course.run(&["grade", ".", "--at", "yesterday"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("RFC 3339"));

    let work = tempfile::tempdir().unwrap();
    let dir = learner(work.path(), &course, "bob", &[]);
    let output = course.run(&["grade", dir.to_str().unwrap(), "--fail-under", "50"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("bob"));
    assert!(stdout(&output).contains("bob"), "the roster is printed");
}

const PLAN: &str = "/// Provided: reports how the database runs a lookup. Do not edit.\nfn query_plan(indexed: bool) -> &'static str {\n    if indexed { \"SEARCH USING INDEX\" } else { \"SCAN\" }\n}\n\nfn lookup_is_indexed() -> bool {\n    BODY\n}\n\nfn main() {}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn uses_an_index() {\n        assert_eq!(query_plan(lookup_is_indexed()), \"SEARCH USING INDEX\");\n    }\n}\n";
const STORE_MAIN: &str = "mod db;\nmod logic;\n#[cfg(test)]\nmod tests;\n\nfn main() {\n    println!(\"{}\", logic::fetch_all());\n}\n";
const STORE_DB: &str = "/// Provided: counts the statements a lookup runs. Do not edit.\npub fn statements(lookups: u32) -> u32 {\n    lookups\n}\n";

/// A course whose exercises lock helpers: `query_plan` in a file, `statements` in a folder.
fn locked_course() -> TestCourse {
    let course = TestCourse::new()
        .section("db", "Databases")
        .exercise(
            "db",
            "plan",
            &PLAN.replace("BODY", "false"),
            None,
            Opts::default(),
        )
        .dir_exercise(
            "db",
            "store",
            &[
                ("main.rs", STORE_MAIN),
                ("db.rs", STORE_DB),
                (
                    "logic.rs",
                    "pub fn fetch_all() -> u32 {\n    crate::db::statements(5)\n}\n",
                ),
                (
                    "tests.rs",
                    "#[test]\nfn one_statement() {\n    assert_eq!(super::logic::fetch_all(), 1);\n}\n",
                ),
            ],
            Opts::default(),
        )
        .finish();
    let info = course
        .read("info.toml")
        .replace(
            "name = \"plan\"\n",
            "name = \"plan\"\nlocked = [\"query_plan\"]\n",
        )
        .replace(
            "name = \"store\"\n",
            "name = \"store\"\nlocked = [\"statements\"]\n",
        );
    course.write("info.toml", &info);
    course
}

#[test]
fn locked_helpers_are_graded_from_the_course() {
    let course = locked_course();
    let work = tempfile::tempdir().unwrap();
    let solved_logic = b"pub fn fetch_all() -> u32 {\n    crate::db::statements(1)\n}\n".as_slice();
    let solved_plan = PLAN.replace("BODY", "true");
    learner(
        work.path(),
        &course,
        "honest",
        &[
            ("exercises/db/plan.rs", Some(solved_plan.as_bytes())),
            ("exercises/db/store/logic.rs", Some(solved_logic)),
        ],
    );
    // Edits the helpers instead of solving: the plan always says "index", and the statement
    // counter is swapped for an inline module that always says 1.
    let forged_plan = PLAN
        .replace("BODY", "false")
        .replace("\"SCAN\"", "\"SEARCH USING INDEX\"");
    let forged_main = STORE_MAIN.replace(
        "mod db;",
        "mod db {\n    pub fn statements(_: u32) -> u32 {\n        1\n    }\n}",
    );
    learner(
        work.path(),
        &course,
        "forger",
        &[
            ("exercises/db/plan.rs", Some(forged_plan.as_bytes())),
            ("exercises/db/store/main.rs", Some(forged_main.as_bytes())),
        ],
    );
    // Solves, but also rewrote the helper: graded with the course's, it still passes.
    let tidied = solved_plan.replace(
        "if indexed { \"SEARCH USING INDEX\" } else { \"SCAN\" }",
        "match indexed {\n        true => \"SEARCH USING INDEX\",\n        false => \"SCAN\",\n    }",
    );
    learner(
        work.path(),
        &course,
        "tidier",
        &[
            ("exercises/db/plan.rs", Some(tidied.as_bytes())),
            ("exercises/db/store/logic.rs", Some(solved_logic)),
        ],
    );
    let before = tree_hashes(work.path());

    let output = course.run(&[
        "grade",
        "--cohort",
        work.path().to_str().unwrap(),
        "--json",
        "-",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        before,
        tree_hashes(work.path()),
        "a learner tree was written to"
    );
    let report: Value = serde_json::from_str(&stdout(&output)).expect("the JSON report");
    let locked = |learner: &str, name: &str| {
        let e = exercise(by_name(&report, learner), name);
        (
            e["status"].as_str().unwrap().to_string(),
            e["locked_modified"].as_bool().unwrap(),
            e["tests_modified"].as_bool().unwrap(),
        )
    };
    let row = |status: &str, locked: bool| (status.to_string(), locked, false);
    assert_eq!(locked("honest", "plan"), row("passed", false));
    assert_eq!(locked("honest", "store"), row("passed", false));
    assert_eq!(locked("forger", "plan"), row("tests_failed", true));
    assert_eq!(locked("forger", "store"), row("tests_failed", true));
    assert_eq!(locked("tidier", "plan"), row("passed", true));
    assert_eq!(locked("tidier", "store"), row("passed", false));
    assert!(
        stderr(&output).contains("locked code modified in 2"),
        "the roster says it: {}",
        stderr(&output)
    );
}
