//! The runner core through the real binary: verdict kinds, directory exercises, timeouts,
//! output caps, the verdict cache, progress and bad course files.

mod common;

use std::time::Duration;

use common::{Opts, TestCourse, process_running, stderr, stdout, test_source, text};

fn test_opts() -> Opts {
    Opts::default()
}

fn main_opts() -> Opts {
    Opts {
        test: false,
        ..Opts::default()
    }
}

fn verify_json(course: &TestCourse) -> serde_json::Value {
    let output = course.run(&["verify", "--json"]);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "verify --json is JSON ({e}): {}\n{}",
            stdout(&output),
            stderr(&output)
        )
    })
}

fn status_of<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("{name} in report"))
}

#[test]
fn every_verdict_kind_is_reported_in_curriculum_order() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "passes", &test_source("1 + 1 == 2"), None, test_opts())
        .exercise(
            "a",
            "broken",
            "fn main() { let x: u32 = \"text\"; }\n",
            None,
            test_opts(),
        )
        .exercise(
            "a",
            "failing",
            &test_source("1 + 1 == 3"),
            None,
            test_opts(),
        )
        .exercise(
            "a",
            "exits_nonzero",
            "fn main() { std::process::exit(3); }\n",
            None,
            main_opts(),
        )
        .exercise(
            "a",
            "runs_ok",
            "fn main() { println!(\"hello\"); }\n",
            None,
            main_opts(),
        )
        .exercise(
            "a",
            "lints",
            "fn main() { let v = vec![1]; let n = v.len() == 0; println!(\"{n}\"); }\n",
            None,
            Opts {
                test: false,
                strict_clippy: true,
                ..Opts::default()
            },
        )
        .exercise(
            "a",
            "loops",
            "fn main() {}\n#[test]\nfn forever() { loop { std::hint::spin_loop(); } }\n",
            None,
            Opts {
                timeout_secs: Some(1),
                ..Opts::default()
            },
        )
        .finish();
    let report = verify_json(&course);
    let names: Vec<&str> = report["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "passes",
            "broken",
            "failing",
            "exits_nonzero",
            "runs_ok",
            "lints",
            "loops"
        ]
    );
    let expected = [
        ("passes", "passed"),
        ("broken", "compile_error"),
        ("failing", "tests_failed"),
        ("exits_nonzero", "run_failed"),
        ("runs_ok", "passed"),
        ("lints", "clippy_failed"),
        ("loops", "timed_out"),
    ];
    for (name, status) in expected {
        assert_eq!(
            status_of(&report, name)["status"],
            status,
            "{name}: {}",
            status_of(&report, name)
        );
    }
    assert_eq!(
        status_of(&report, "failing")["failing_tests"],
        serde_json::json!(["tests::checks"])
    );
    assert!(
        status_of(&report, "broken")["output"]
            .as_str()
            .unwrap()
            .contains("mismatched types")
    );
    assert_eq!(report["passed"], 2);
}

#[test]
fn verify_exits_1_naming_the_first_failure_and_0_when_all_pass() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "first", &test_source("true"), None, test_opts())
        .exercise("a", "second", &test_source("false"), None, test_opts())
        .finish();
    let output = course.run(&["verify"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("First failing exercise: second"),
        "{}",
        stdout(&output)
    );

    course.write("exercises/a/second.rs", &test_source("true"));
    let output = course.run(&["verify"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("All done!"),
        "the final message follows a full pass"
    );
}

#[test]
fn a_deleted_exercise_file_leaves_a_course_to_work_in() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "first", &test_source("true"), None, test_opts())
        .exercise("a", "second", &test_source("false"), None, test_opts())
        .finish();
    std::fs::remove_file(course.path("exercises/a/second.rs")).unwrap();
    let listed = course.run(&["list"]);
    assert_eq!(
        listed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let checked = course.run(&["run", "second"]);
    assert_eq!(checked.status.code(), Some(1));
    let said = format!(
        "{}{}",
        stdout(&checked),
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(said.contains("exercises/a/second.rs is missing"), "{said}");
    assert!(said.contains("reset"), "{said}");
    assert_eq!(course.run(&["run", "first"]).status.code(), Some(0));
    // `dev check` still says the course is broken: the author must hear it.
    assert_ne!(course.run(&["dev", "check"]).status.code(), Some(0));
}

#[test]
fn a_directory_exercise_with_two_modules() {
    let main = "mod handlers;\nmod store;\n\nfn main() {}\n\n#[cfg(test)]\nmod tests;\n";
    let handlers = "pub fn greet(name: &str) -> String {\n    format!(\"hello {}\", crate::store::lookup(name))\n}\n";
    let store = "pub fn lookup(name: &str) -> &str {\n    name\n}\n";
    let tests = "#[test]\nfn greets() {\n    assert_eq!(crate::handlers::greet(\"ada\"), \"hello ada\");\n}\n";
    let course = TestCourse::new()
        .section("a", "Alpha")
        .dir_exercise(
            "a",
            "service",
            &[
                ("main.rs", main),
                ("handlers.rs", handlers),
                ("store.rs", store),
                ("tests.rs", tests),
            ],
            test_opts(),
        )
        .finish();
    let output = course.run(&["run", "service"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );

    // A change in a module file (not main.rs) is seen.
    course.write(
        "exercises/a/service/store.rs",
        "pub fn lookup(_name: &str) -> &str {\n    \"nobody\"\n}\n",
    );
    let output = course.run(&["run", "service"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("tests failed (tests::greets)"),
        "{}",
        stdout(&output)
    );

    // A file of the folder that no `mod` names is not part of the program: a learner's
    // backup of the tests changes nothing (its tests are not counted).
    course.write("exercises/a/service/store.rs", store);
    course.write(
        "exercises/a/service/tests_backup.rs",
        "#[test]\nfn greets() {}\n#[test]\nfn more() {}\n",
    );
    let output = course.run(&["run", "service"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}

#[test]
fn timeouts_kill_spawned_children_too() {
    let marker = format!("backendlings_child_{}", std::process::id());
    // The test spawns a long sleep (tagged by its argument) and then loops forever.
    let source = format!(
        "fn main() {{}}\n#[test]\nfn spawns() {{\n    std::process::Command::new(\"sh\").args([\"-c\", \"sleep 300; echo {marker}\"]).spawn().unwrap();\n    loop {{ std::thread::sleep(std::time::Duration::from_millis(10)); }}\n}}\n"
    );
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "spawner",
            &source,
            None,
            Opts {
                timeout_secs: Some(1),
                ..Opts::default()
            },
        )
        .finish();
    let output = course.run(&["run", "spawner"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("timed out"), "{}", stdout(&output));
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !process_running(&marker),
        "the spawned child must be killed with its process group"
    );
}

#[test]
fn a_child_that_outlives_a_passing_test_is_killed() {
    let marker = format!("backendlings_orphan_{}", std::process::id());
    let source = format!(
        "fn main() {{}}\n#[test]\nfn spawns() {{\n    std::process::Command::new(\"sh\").args([\"-c\", \"sleep 300; echo {marker}\"]).spawn().unwrap();\n}}\n"
    );
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "orphan", &source, None, test_opts())
        .finish();
    let output = course.run(&["run", "orphan"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !process_running(&marker),
        "no process of the exercise survives the check"
    );
}

#[test]
fn endless_output_is_capped_and_marked() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "chatty",
            "fn main() {}\n#[test]\nfn floods() {\n    for i in 0..2_000_000u64 { println!(\"line {i} of a flood\"); }\n    panic!(\"stop\");\n}\n",
            None,
            Opts { timeout_secs: Some(30), ..Opts::default() },
        )
        .finish();
    let report = verify_json(&course);
    let chatty = status_of(&report, "chatty");
    assert_eq!(chatty["output_truncated"], true);
    let len = chatty["output"].as_str().unwrap().len();
    assert!(len <= 64 * 1024, "output kept: {len} bytes");
}

#[test]
fn verdicts_are_cached_until_a_file_changes() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", &test_source("true"), None, test_opts())
        .finish();
    assert_eq!(course.run(&["verify"]).status.code(), Some(0));
    let cache = course.path("target/backendlings/verdicts.json");
    assert!(cache.is_file());

    // A hit: the build folder can vanish and the verdict is still known.
    std::fs::remove_dir_all(course.path("target/backendlings/debug")).unwrap();
    assert_eq!(course.run(&["verify"]).status.code(), Some(0));
    assert!(
        !course.path("target/backendlings/debug").exists(),
        "a cache hit builds nothing"
    );

    // A miss: the file changed.
    course.write("exercises/a/one.rs", &test_source("false"));
    assert_eq!(course.run(&["verify"]).status.code(), Some(1));
    // --no-cache forces a build.
    course.write("exercises/a/one.rs", &test_source("true"));
    assert_eq!(course.run(&["verify", "--no-cache"]).status.code(), Some(0));
    assert!(course.path("target/backendlings/debug").exists());
}

#[test]
fn progress_is_recorded_and_survives_damage() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", &test_source("true"), None, test_opts())
        .exercise("a", "two", &test_source("false"), None, test_opts())
        .finish();
    assert_eq!(
        course.run(&["run"]).status.code(),
        Some(0),
        "the current exercise is the first"
    );
    let output = course.run(&["progress", "--json"]);
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(progress["done"], 1);
    assert_eq!(progress["current"], "two");

    course.write(
        ".backendlings/state.json",
        "{\"version\": 1, \"done\": [\"one\", \"gone_exercise\"]}",
    );
    let output = course.run(&["list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(list["done"], 1);
    course.run(&["run", "two"]);
    assert!(
        course
            .read(".backendlings/state.json")
            .contains("gone_exercise"),
        "unknown names are kept"
    );

    course.write(".backendlings/state.json", "\u{0}garbage");
    let output = course.run(&["list"]);
    assert!(stderr(&output).contains("damaged"), "{}", stderr(&output));
    assert_eq!(output.status.code(), Some(0));
}

/// A writer that rewrites `state.json` in place (truncate, then write) leaves a half-written
/// file when it is killed in between; one that writes a new file and renames it over never
/// does. The difference shows without timing: the old file is hard-linked to a witness, which
/// an in-place writer changes and a renaming writer leaves alone.
#[test]
fn progress_is_replaced_whole_never_rewritten_in_place() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", &test_source("true"), None, test_opts())
        .finish();
    let old = "{\"version\": 1, \"done\": []}\n";
    course.write(".backendlings/state.json", old);
    std::fs::hard_link(
        course.path(".backendlings/state.json"),
        course.path("witness.json"),
    )
    .unwrap();
    assert_eq!(course.run(&["run", "one"]).status.code(), Some(0));
    assert!(course.read(".backendlings/state.json").contains("\"one\""));
    assert_eq!(
        course.read("witness.json"),
        old,
        "state.json was written in place"
    );
    let leftovers: Vec<String> = std::fs::read_dir(course.path(".backendlings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "state.json" && name != "state.lock")
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn run_suggests_close_names_and_hint_shows_the_hint() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "routing1", &test_source("true"), None, test_opts())
        .exercise("a", "rounding2", &test_source("true"), None, test_opts())
        .finish();
    let output = course.run(&["run", "routng1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `routing1`?"),
        "only the near name: {}",
        stderr(&output)
    );
    let output = course.run(&["run", "rou"]);
    assert!(
        !stderr(&output).contains("did you mean"),
        "a shared prefix is not near: {}",
        stderr(&output)
    );
    // Outside a cargo project, and not on PATH: the binary's own path is what works.
    assert!(
        stderr(&output).contains(&format!("`{} list`", common::BIN)),
        "{}",
        stderr(&output)
    );
    let output = course.run(&["hint", "routing1"]);
    assert!(stdout(&output).contains("A hint for routing1."));
}

/// In the clone the runner was built in (this repository), `backendlings` is not on PATH;
/// messages name the `cargo run` form the README starts with.
#[test]
fn messages_name_the_command_a_clone_can_type() {
    // A course of its own: this clone's exercises may be edited or deleted.
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", &test_source("true"), None, test_opts())
        .finish();
    let output = common::run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "--course",
            course.root().to_str().unwrap(),
            "hint",
            "no_such_exercise",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`cargo run -- list` shows them all"),
        "{}",
        stderr(&output)
    );
}

/// A missing exercise file is the author's error in `dev check`; a learner's course still loads
/// (`a_deleted_exercise_file_leaves_a_course_to_work_in`).
#[test]
fn bad_course_files_give_located_errors() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", &test_source("true"), None, test_opts())
        .finish();
    let cases = [
        (
            "format_version = 1\n[[exercises]]\nname = \"one\"\ndir = \"a\"\nhnit = \"x\"\n",
            "info.toml:5:1: unknown key `hnit`",
        ),
        (
            "format_version = 1\n[[exercises]]\nname = \"a/one\"\nhint = \"x\"\n",
            "path separator",
        ),
        (
            "format_version = 1\n[[exercises]]\nname = \"one\"\ndir = \"zz\"\nhint = \"x\"\n",
            "dir `zz` of exercise `one` has no folder",
        ),
        (
            "format_version = 1\n[[exercises]]\nname = \"one\"\ndir = \"a\"\nhint = \"\"\n",
            "has no hint",
        ),
        ("format_version = 1\n[[exercises]\n", "info.toml:2"),
    ];
    for (info, expected) in cases {
        course.write("info.toml", info);
        let output = course.run(&["list"]);
        assert_eq!(output.status.code(), Some(2), "{info}");
        assert!(
            stderr(&output).contains(expected),
            "{expected:?} not in {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"));
    }
    std::fs::remove_file(course.path("info.toml")).unwrap();
    let output = course.run(&["list"]);
    assert!(
        stderr(&output).contains("no info.toml found"),
        "{}",
        stderr(&output)
    );
}

/// git in `dir`, with an identity (test machines may have none).
fn git(dir: &std::path::Path, args: &[&str]) {
    let output = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

fn done_count(course: &TestCourse) -> serde_json::Value {
    let progress: serde_json::Value =
        serde_json::from_slice(&course.run(&["progress", "--json"]).stdout).unwrap();
    progress["done"].clone()
}

/// What makes cargo run `build.rs` again is what the build script printed last time; only the
/// locks may be there (the Rust course's, the Python track's and its package lock), so saving
/// or committing an exercise never rebuilds the runner.
#[test]
fn only_course_lock_makes_the_runner_rebuild() {
    // OUT_DIR is `.../build/backendlings-HASH/out`; cargo keeps the script's output beside it.
    let output = std::path::Path::new(env!("OUT_DIR"))
        .parent()
        .unwrap()
        .join("output");
    let printed = std::fs::read_to_string(&output).unwrap();
    let watched: Vec<&str> = printed
        .lines()
        .filter_map(|l| {
            l.strip_prefix("cargo:rerun-if-changed=")
                .or_else(|| l.strip_prefix("cargo::rerun-if-changed="))
        })
        .collect();
    assert_eq!(
        watched,
        [
            "course.lock",
            "python/course.lock",
            "python/requirements.lock"
        ],
        "{printed}"
    );
}

/// A course with a `course.lock`: the author revised an exercise after first adding it, the
/// learner edited and committed; `reset` gives the revision the lock names, every time.
#[test]
fn reset_restores_the_locked_version_after_edits_and_commits() {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", "// first draft\n", None, test_opts())
        .finish();
    git(course.root(), &["init", "-q"]);
    git(course.root(), &["add", "-A"]);
    git(course.root(), &["commit", "-qm", "first draft"]);
    // The author's flow: edit, `dev update` (or `dev check`), commit.
    course.write("exercises/a/one.rs", &test_source("false"));
    let output = course.run(&["dev", "update"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(course.read("course.lock").contains("exercises/a/one.rs"));
    git(course.root(), &["add", "-A"]);
    git(course.root(), &["commit", "-qm", "revised"]);

    // The learner's work, committed, then more of it, uncommitted.
    course.write("exercises/a/one.rs", &test_source("true"));
    git(course.root(), &["commit", "-qam", "my work"]);
    assert_eq!(course.run(&["run", "one"]).status.code(), Some(0));
    for round in ["after a commit", "after an edit"] {
        let output = course.run(&["reset", "one"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            stdout(&output).contains("course.lock"),
            "{}",
            stdout(&output)
        );
        assert_eq!(
            course.read("exercises/a/one.rs"),
            test_source("false"),
            "{round}"
        );
        assert_eq!(done_count(&course), 0, "a reset exercise is not done");
        course.write("exercises/a/one.rs", "// scribbles\n");
    }
}

/// A course without a lock (a rustlings community course): the version of the commit the
/// learner cloned, not the one the file was added with, and not the learner's commit.
#[test]
fn reset_without_a_lock_restores_the_cloned_version() {
    let upstream = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", "// first draft\n", None, test_opts())
        .finish();
    git(upstream.root(), &["init", "-q"]);
    git(upstream.root(), &["add", "-A"]);
    git(upstream.root(), &["commit", "-qm", "first draft"]);
    upstream.write("exercises/a/one.rs", &test_source("false"));
    git(upstream.root(), &["commit", "-qam", "revised"]);

    let parent = tempfile::tempdir().unwrap();
    let clone = parent.path().join("clone");
    git(
        parent.path(),
        &[
            "clone",
            "-q",
            &upstream.root().display().to_string(),
            "clone",
        ],
    );
    std::fs::write(clone.join("exercises/a/one.rs"), test_source("true")).unwrap();
    git(&clone, &["commit", "-qam", "my work"]);

    let output = common::run_in(&clone, &["reset", "one"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(clone.join("exercises/a/one.rs")).unwrap(),
        test_source("false")
    );
}

#[test]
fn run_warns_when_the_tests_or_locked_items_differ_from_the_course() {
    let source = "fn helper() -> u32 {\n    2\n}\n\nfn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn checks() {\n        assert_eq!(super::helper(), 3);\n    }\n}\n";
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise("a", "one", source, None, test_opts())
        .finish();
    let info = course.read("info.toml").replace(
        "name = \"one\"\n",
        "name = \"one\"\nlocked = [\"helper\"]\n",
    );
    course.write("info.toml", &info);
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(course.root())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "course"]);
    let warning = "differs from the course's; you will be graded with the course's";

    let output = course.run(&["run", "one"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!text(&output).contains(warning), "{}", text(&output));

    // Reformatting is not editing.
    course.write("exercises/a/one.rs", &source.replace("    ", "  "));
    assert!(!text(&course.run(&["run", "one"])).contains(warning));

    course.write(
        "exercises/a/one.rs",
        &source.replace("assert_eq!(super::helper(), 3)", "assert!(true)"),
    );
    let output = course.run(&["run", "one"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "the learner's own tests still run locally"
    );
    assert!(
        text(&output).contains(&format!("Your copy of the tests {warning}")),
        "{}",
        text(&output)
    );

    course.write("exercises/a/one.rs", &source.replace("    2\n", "    3\n"));
    let output = course.run(&["run", "one"]);
    assert!(
        text(&output).contains(&format!("Your copy of `helper` {warning}")),
        "{}",
        text(&output)
    );
}

/// Ctrl-C (here SIGINT, and SIGTERM the same way) during `run` stops the program the runner
/// started, at once, instead of leaving it spinning with no timeout; the runner exits with 130.
#[test]
#[cfg(unix)] // sends SIGINT; Windows is covered by the unit tests under Wine (docs/platforms.md)
fn an_interrupted_run_kills_the_program_it_started() {
    let course = TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "spin",
            "fn main() {\n    loop {\n        std::hint::spin_loop();\n    }\n}\n",
            None,
            Opts {
                test: false,
                timeout_secs: Some(600),
                ..Opts::default()
            },
        )
        .finish();
    let mut runner = course
        .cmd(&["run", "spin"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The program runs once the runner has built it (a first build may take a while).
    let program = course.path("target/backendlings/pkg/bin/spin");
    let needle = program.display().to_string();
    let started = std::time::Instant::now();
    while !process_running(&needle) {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(600),
            "the exercise never started"
        );
        assert!(
            runner.try_wait().unwrap().is_none(),
            "the runner ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(runner.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = runner.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    // The kill is synchronous with the runner's exit; give /proc a moment to drop the zombie.
    for _ in 0..50 {
        if !process_running(&needle) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{needle} outlived the interrupted runner");
}

/// A timed-out check names the test that never finished.
#[test]
fn a_timeout_names_the_test_that_hung() {
    let source = "fn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn quick() {}\n\n    #[test]\n    fn hangs() {\n        loop {\n            std::thread::sleep(std::time::Duration::from_millis(50));\n        }\n    }\n}\n";
    let course = TestCourse::new()
        .section("a", "Alpha")
        .exercise(
            "a",
            "slow",
            source,
            None,
            Opts {
                timeout_secs: Some(2),
                ..test_opts()
            },
        )
        .finish();
    let output = course.run(&["run", "slow"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        stdout(&output).contains("slow: timed out (tests::hangs)"),
        "{}",
        text(&output)
    );
}

/// A section's `features` are lazy: the crates they turn on are compiled by the first check of
/// one of its exercises, never by a check of another section, and that first build says so.
#[test]
fn a_sections_features_are_built_only_when_one_of_its_exercises_is_checked() {
    let course = common::lazy_feature_course();
    let heavy_built = || {
        let deps = course.path("target/backendlings/debug/deps");
        std::fs::read_dir(deps)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("libheavy-"))
            })
            .unwrap_or(false)
    };

    let first = course.run(&["run", "plain"]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        !heavy_built(),
        "a check of section a compiled section b's crate"
    );
    assert!(
        !text(&first).contains("First check that needs"),
        "{}",
        text(&first)
    );

    let lazy = course.run(&["run", "uses_heavy"]);
    assert!(lazy.status.success(), "{}", text(&lazy));
    assert!(heavy_built());
    assert!(
        stderr(&lazy).contains("First check that needs heavy: compiling it; this happens once."),
        "{}",
        stderr(&lazy)
    );
    course.write(
        "exercises/b/uses_heavy.rs",
        &test_source("heavy::answer() + 0 == 42"),
    );
    let again = course.run(&["run", "uses_heavy"]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        !text(&again).contains("First check that needs"),
        "{}",
        text(&again)
    );

    // A batch of both sections builds them together; section a's program still works.
    let report = verify_json(&course);
    assert_eq!(report["passed"], 2, "{report}");
}
