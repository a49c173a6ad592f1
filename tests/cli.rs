//! The command line through the real binary: which commands take `--course`, flags refused
//! before anything runs, and the exit code of a runner that cannot do its work.

mod common;

use common::{Opts, TestCourse, stderr, stdout, test_source, text};

fn course() -> TestCourse {
    TestCourse::new()
        .section("basics", "Basics")
        .exercise("basics", "one", &test_source("true"), None, Opts::default())
        .finish()
}

#[test]
fn course_flag_goes_before_or_after_a_command_that_reads_a_course() {
    let course = course();
    let elsewhere = tempfile::tempdir().unwrap();
    let root = course.root().to_str().unwrap();
    for args in [["--course", root, "list"], ["list", "--course", root]] {
        let output = common::run_in(elsewhere.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output));
        assert!(
            stdout(&output).contains("one"),
            "{args:?}: {}",
            text(&output)
        );
    }
    let output = common::run_in(
        elsewhere.path(),
        &["--course", root, "list", "--course", root],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(stderr(&output).contains("given twice"), "{}", text(&output));
}

#[test]
fn course_flag_is_a_usage_error_where_no_course_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 6] = [
        &["--course", ".", "init", "workspace"],
        &["init", "workspace", "--course", "."],
        &["--course", ".", "dev", "new", "workspace"],
        &["dev", "new", "workspace", "--course", "."],
        &["--course", ".", "report", "merge", "a.json", "--json", "-"],
        &["--course", ".", "classroom", "serve"],
    ];
    for args in cases {
        let output = common::run_in(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        assert!(
            stderr(&output).contains("'--course"),
            "{args:?} names the flag: {}",
            stderr(&output)
        );
        assert!(
            !dir.path().join("workspace").exists(),
            "{args:?} did nothing"
        );
    }
}

#[test]
fn bad_flag_values_are_refused_before_anything_runs() {
    let course = course();
    let cases: [(&[&str], &str); 11] = [
        (
            &["watch", "--join", "ftp://host/join/abc", "--as", "ada"],
            "only http:// join URLs",
        ),
        (
            &["watch", "--join", "http://host:8077/join/abc", "--as", " "],
            "1 to 40 characters",
        ),
        (
            &["classroom", "serve", "--stuck-minutes", "inf"],
            "not a number of minutes",
        ),
        (
            &["grade", ".", "--timeout", "0"],
            "must be at least 1 second",
        ),
        (
            &["grade", ".", "--build-timeout", "0"],
            "must be at least 1 second",
        ),
        (&["grade", ".", "--fail-under", "101"], "between 0 and 100"),
        (&["grade", ".", "--fail-under", "NaN"], "between 0 and 100"),
        (
            &["grade", ".", "--json", "-", "--csv", "-"],
            "only one report can go to stdout",
        ),
        (
            &["grade", ".", "--junit", "-", "--gradescope", "-"],
            "only one report can go to stdout",
        ),
        (
            &["report", "merge", "a.json", "--json", "-", "--html", "-"],
            "only one report can go to stdout",
        ),
        (
            &["grade", ".", "--require-sandbox", "--no-sandbox"],
            "cannot be used with",
        ),
    ];
    for (args, message) in cases {
        let output = course.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(
        !course.path("target").exists(),
        "nothing was built or graded"
    );
}

#[test]
fn a_missing_cargo_exits_3() {
    let course = course();
    let output = course
        .cmd(&["run", "one"])
        .env("CARGO", "/nonexistent/cargo")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    assert!(
        stderr(&output).contains("cannot run cargo"),
        "{}",
        stderr(&output)
    );
}

/// `--course` relative to the current folder works for every command that reads a course: the
/// build runs in another folder than the command, so a relative root must never reach cargo.
#[test]
fn a_relative_course_flag_works_for_every_command() {
    let course = course();
    let parent = course.root().parent().unwrap();
    let name = course.root().file_name().unwrap().to_str().unwrap();
    let relative = format!("./{name}");
    // `reset` restores from git in a course that is neither built in nor locked.
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "course",
        ],
    ] {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(course.root())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
    let cases: [(&[&str], i32, &str); 7] = [
        (&["run", "one"], 0, "passed"),
        (&["list"], 0, "one"),
        (&["hint", "one"], 0, "A hint for one"),
        (&["progress"], 0, "1/1"),
        (&["verify"], 0, "1/1"),
        (&["reset", "one"], 0, "one"),
        (&["dev", "update"], 0, ""),
    ];
    for (args, code, expected) in cases {
        let mut all = vec!["--course", relative.as_str()];
        all.extend_from_slice(args);
        let output = common::run_in(parent, &all);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{all:?}: {}",
            text(&output)
        );
        assert!(
            text(&output).contains(expected),
            "{all:?}: {}",
            text(&output)
        );
    }
}

/// `backendlings list | head -1`: the reader goes away before the runner writes (here, before
/// it starts); the runner stops quietly, as any program does when its output is no longer read.
#[test]
fn a_closed_standard_output_ends_a_command_quietly() {
    let course = course();
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["progress"],
        &["hint", "one"],
    ] {
        // A pipe whose only reader is closed before the runner starts: every write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = course
            .cmd(args)
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(141), "{args:?}: {stderr}");
    }
}
