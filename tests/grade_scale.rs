//! Grading at scale: `grade --partition K/N`, `report merge` and `grade --gradescope`, driven
//! through the real binary on tiny generated courses and cohorts.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Opts, TestCourse, stderr, text};
use serde_json::Value;

const ADD: &str = "fn add(a: i32, b: i32) -> i32 {\n    BODY\n}\n\nfn main() {}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(2, 3), 5);\n    }\n}\n";

fn add(body: &str) -> String {
    ADD.replace("BODY", body)
}

/// A course of two exercises in two sections: `add` (2 points) and `loud`, whose unsolved
/// test fails after printing 40 KiB.
fn course() -> TestCourse {
    let loud = "fn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn quiet() {\n        let _ = \"SOLVE\";\n        print!(\"{}\", \"x\".repeat(40 * 1024));\n        assert!(false);\n    }\n}\n";
    TestCourse::new()
        .section("basics", "Basics")
        .section("more", "More")
        .exercise(
            "basics",
            "add",
            &add("0"),
            None,
            Opts {
                points: Some(2),
                ..Opts::default()
            },
        )
        .exercise("more", "loud", loud, None, Opts::default())
        .finish()
}

/// A learner: the course's exercises, with `add` solved when `solved`.
fn learner(cohort: &Path, course: &TestCourse, name: &str, solved: bool) -> PathBuf {
    let dir = cohort.join(name);
    for rel in [
        "exercises/basics/add.rs",
        "exercises/more/loud.rs",
        "info.toml",
    ] {
        fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
        fs::copy(course.path(rel), dir.join(rel)).unwrap();
    }
    if solved {
        fs::write(dir.join("exercises/basics/add.rs"), add("a + b")).unwrap();
    }
    dir
}

/// A learner folder that is not a course tree: graded as an error at once, with no build,
/// which makes large cohorts cheap to split.
fn stub_learner(cohort: &Path, name: &str) {
    fs::create_dir_all(cohort.join(name)).unwrap();
    fs::write(cohort.join(name).join("README"), "nothing here\n").unwrap();
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn names(report: &Value) -> Vec<String> {
    report["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_string())
        .collect()
}

/// Report text with its times replaced: when grading finished, how long each exercise took
/// (JSON, JUnit), and in captured output libtest's "finished in" figure and the thread ids of
/// panic messages, which differ from one run to the next.
fn normalise(text: &str, graded_at: &str) -> String {
    let mut text = text.replace(graded_at, "GRADED_AT");
    for key in [
        "\"duration_ms\": ",
        " time=\"",
        "finished in ",
        "' (",
        "&apos; (",
        "&#39; (",
    ] {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(key) {
            out.push_str(&rest[..at + key.len()]);
            rest = &rest[at + key.len()..];
            let digits = rest
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(rest.len());
            out.push('T');
            rest = &rest[digits..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

#[test]
fn parts_are_disjoint_cover_the_cohort_and_ignore_listing_order() {
    let course = course();
    let work = tempfile::tempdir().unwrap();
    for size in [1usize, 6, 23] {
        let cohort = work.path().join(format!("cohort-{size}"));
        let all: Vec<String> = (0..size).map(|i| format!("student-{i:02}")).collect();
        for name in &all {
            stub_learner(&cohort, name);
        }
        for count in [1u32, 2, 3, 5] {
            let mut seen = Vec::new();
            for k in 1..=count {
                let out = work.path().join(format!("p-{size}-{k}-{count}.json"));
                let output = course.run(&[
                    "grade",
                    "--cohort",
                    cohort.to_str().unwrap(),
                    "--partition",
                    &format!("{k}/{count}"),
                    "--json",
                    out.to_str().unwrap(),
                ]);
                assert_eq!(output.status.code(), Some(0), "{}", text(&output));
                let report = json(&out);
                assert_eq!(report["partition"]["part"], format!("{k}/{count}"));
                assert_eq!(
                    report["partition"]["cohort"].as_array().unwrap().len(),
                    size
                );
                seen.extend(names(&report));
            }
            let unique: BTreeSet<&String> = seen.iter().collect();
            assert_eq!(
                seen.len(),
                size,
                "{size} learners in {count} parts: {seen:?}"
            );
            assert_eq!(unique.into_iter().cloned().collect::<Vec<_>>(), all);
        }
    }

    // Learners named on the command line, in two orders: each lands in the same part.
    let cohort = work.path().join("cohort-23");
    let dirs: Vec<String> = (0..23)
        .map(|i| cohort.join(format!("student-{i:02}")).display().to_string())
        .collect();
    let part_of = |order: &[String]| {
        let mut args = vec!["grade".to_string(), "--partition".into(), "2/3".into()];
        args.extend(order.iter().cloned());
        args.extend(["--json".into(), "-".into()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = course.run(&args);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        names(&report).into_iter().collect::<BTreeSet<String>>()
    };
    let forwards = part_of(&dirs);
    let backwards = part_of(&dirs.iter().rev().cloned().collect::<Vec<_>>());
    assert_eq!(forwards, backwards);
    assert!(!forwards.is_empty() && forwards.len() < 23, "{forwards:?}");
}

#[test]
fn partition_flag_is_validated() {
    let course = course();
    for bad in ["0/3", "4/3", "1/0", "two/3", "3"] {
        let output = course.run(&["grade", ".", "--partition", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&output).contains("1 <= K <= N"),
            "{bad}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn merging_the_parts_gives_the_reports_of_one_run() {
    let course = course();
    let work = tempfile::tempdir().unwrap();
    let cohort = work.path().join("cohort");
    for (i, name) in ["ana", "ben", "cho", "dev", "eli"].iter().enumerate() {
        learner(&cohort, &course, name, i % 2 == 0);
    }
    stub_learner(&cohort, "fay");
    let cohort_arg = cohort.to_str().unwrap();
    let file = |name: &str| work.path().join(name).display().to_string();

    let output = course.run(&[
        "grade",
        "--cohort",
        cohort_arg,
        "--json",
        &file("one.json"),
        "--junit",
        &file("one.xml"),
        "--csv",
        &file("one.csv"),
        "--html",
        &file("one.html"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let mut parts = Vec::new();
    for k in 1..=3 {
        let part = file(&format!("part-{k}.json"));
        let output = course.run(&[
            "grade",
            "--cohort",
            cohort_arg,
            "--partition",
            &format!("{k}/3"),
            "--json",
            &part,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        parts.push(part);
    }
    // Parts in any order on the command line.
    parts.reverse();
    let mut args: Vec<String> = vec!["report".into(), "merge".into()];
    args.extend(parts.iter().cloned());
    for (flag, name) in [
        ("--json", "m.json"),
        ("--junit", "m.xml"),
        ("--csv", "m.csv"),
        ("--html", "m.html"),
    ] {
        args.extend([flag.to_string(), file(name)]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // No course is needed to merge: run it from an empty folder.
    let output = common::run_in(work.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("ana"), "the roster is printed");

    let one = json(Path::new(&file("one.json")));
    let merged = json(Path::new(&file("m.json")));
    assert_eq!(names(&merged), ["ana", "ben", "cho", "dev", "eli", "fay"]);
    assert!(merged.get("partition").is_none());
    let (one_at, merged_at) = (
        one["graded_at"].as_str().unwrap().to_string(),
        merged["graded_at"].as_str().unwrap().to_string(),
    );
    for ext in ["json", "xml", "csv", "html"] {
        let a = fs::read_to_string(file(&format!("one.{ext}"))).unwrap();
        let b = fs::read_to_string(file(&format!("m.{ext}"))).unwrap();
        let (a, b) = (normalise(&a, &one_at), normalise(&b, &merged_at));
        if let Some((x, y)) = a.lines().zip(b.lines()).find(|(x, y)| x != y) {
            let from = x
                .chars()
                .zip(y.chars())
                .take_while(|(a, b)| a == b)
                .count()
                .saturating_sub(80);
            let cut = |s: &str| s.chars().skip(from).take(300).collect::<String>();
            panic!(
                "merged .{ext} differs from one run's:\n  one run: {}\n  merged:  {}",
                cut(x),
                cut(y)
            );
        }
        assert_eq!(a.lines().count(), b.lines().count(), ".{ext}");
    }
}

/// Writes the parts of a cohort of stub learners split in `count`, and returns their paths.
fn stub_parts(course: &TestCourse, cohort: &Path, out: &Path, count: u32) -> Vec<String> {
    (1..=count)
        .map(|k| {
            let path = out.join(format!("part-{k}.json")).display().to_string();
            let output = course.run(&[
                "grade",
                "--cohort",
                cohort.to_str().unwrap(),
                "--partition",
                &format!("{k}/{count}"),
                "--json",
                &path,
            ]);
            assert_eq!(output.status.code(), Some(0), "{}", text(&output));
            path
        })
        .collect()
}

fn merge(dir: &Path, parts: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["report", "merge"];
    args.extend(parts);
    args.extend(["--json", "merged.json"]);
    let output = common::run_in(dir, &args);
    (output.status.code(), stderr(&output))
}

#[test]
fn merge_refuses_parts_that_do_not_fit_together() {
    let course = course();
    let work = tempfile::tempdir().unwrap();
    let cohort = work.path().join("cohort");
    for i in 0..12 {
        stub_learner(&cohort, &format!("s{i:02}"));
    }
    let parts = stub_parts(&course, &cohort, work.path(), 3);
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    let dir = work.path();

    // All parts merge; any two do not: the third is missing.
    assert_eq!(merge(dir, &p).0, Some(0));
    let (code, err) = merge(dir, &p[..2]);
    assert_eq!(code, Some(2));
    assert!(err.contains("part 3/3 of the cohort is missing"), "{err}");

    // The same part twice.
    let (code, err) = merge(dir, &[p[0], p[1], p[2], p[0]]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("is in both") || err.contains("are both part"),
        "{err}"
    );
    assert!(err.contains(p[0]), "{err}");

    // A learner in two whole reports.
    let whole = |name: &str, learners: &[&str]| {
        let path = dir.join(name).display().to_string();
        let mut args = vec!["grade".to_string()];
        args.extend(
            learners
                .iter()
                .map(|l| cohort.join(l).display().to_string()),
        );
        args.extend(["--json".into(), path.clone()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(course.run(&args).status.code(), Some(0));
        path
    };
    let a = whole("a.json", &["s00", "s01"]);
    let b = whole("b.json", &["s01", "s02"]);
    let c = whole("c.json", &["s03"]);
    let (code, err) = merge(dir, &[&a, &b]);
    assert_eq!(code, Some(2));
    assert!(err.contains("learner \"s01\" is in both"), "{err}");
    assert!(err.contains(&a) && err.contains(&b), "{err}");
    // Whole reports without a shared learner merge, in the order given.
    assert_eq!(merge(dir, &[&c, &a]).0, Some(0));
    assert_eq!(
        names(&json(&dir.join("merged.json"))),
        ["s03", "s00", "s01"]
    );

    // A whole report among parts.
    let (code, err) = merge(dir, &[p[0], &c]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("is a whole report") && err.contains(&c),
        "{err}"
    );

    // Another split of the same cohort.
    let other = dir.join("other");
    fs::create_dir_all(&other).unwrap();
    let halves = stub_parts(&course, &cohort, &other, 2);
    let (code, err) = merge(dir, &[p[0], &halves[1]]);
    assert_eq!(code, Some(2));
    assert!(err.contains("different splits"), "{err}");

    // Another course: the same learners graded after info.toml changed.
    let changed = course
        .read("info.toml")
        .replace("A hint for add.", "Another hint.");
    course.write("info.toml", &changed);
    let other_course = dir.join("other-course");
    fs::create_dir_all(&other_course).unwrap();
    let new_parts = stub_parts(&course, &cohort, &other_course, 3);
    let (code, err) = merge(dir, &[p[0], p[1], &new_parts[2]]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("different courses") && err.contains(&new_parts[2]),
        "{err}"
    );

    // Another report version, another field, and files that are not reports.
    let edit = |name: &str, f: &dyn Fn(&mut Value)| {
        let mut report = json(Path::new(p[2]));
        f(&mut report);
        let path = dir.join(name).display().to_string();
        fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
        path
    };
    let v9 = edit("v9.json", &|r| r["version"] = 9.into());
    let (code, err) = merge(dir, &[p[0], p[1], &v9]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&v9) && err.contains("version 9 report"),
        "{err}"
    );
    let late = edit("late.json", &|r| {
        r["deadline"] = "2030-01-01T00:00:00Z".into()
    });
    let (code, err) = merge(dir, &[p[0], p[1], &late]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("disagree on `deadline`") && err.contains(&late),
        "{err}"
    );
    let garbage = dir.join("garbage.json");
    fs::write(&garbage, "{ not json").unwrap();
    let (code, err) = merge(dir, &[p[0], garbage.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("garbage.json is not JSON (line 1"), "{err}");
    let (code, err) = merge(dir, &["missing.json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read the report missing.json"), "{err}");
    let output = common::run_in(dir, &["report", "merge", p[0]]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("<--json <FILE>|--junit <FILE>|--csv <FILE>|--html <FILE>>"),
        "{}",
        stderr(&output)
    );
}

/// Gradescope's autograder specification
/// (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>): the fields a
/// results.json may hold, their types and allowed values.
fn assert_gradescope_format(results: &Value) {
    let top = results.as_object().expect("an object");
    let allowed = [
        "score",
        "execution_time",
        "output",
        "output_format",
        "test_output_format",
        "test_name_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
        "leaderboard",
    ];
    for key in top.keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "unknown top-level field {key}"
        );
    }
    let visibilities = ["hidden", "after_due_date", "after_published", "visible"];
    let formats = ["text", "html", "simple_format", "md", "ansi"];
    assert!(top["score"].is_number());
    assert!(
        top["execution_time"].is_u64(),
        "execution_time is whole seconds"
    );
    assert!(top["output"].is_string());
    assert!(formats.contains(&top["output_format"].as_str().unwrap()));
    assert!(visibilities.contains(&top["visibility"].as_str().unwrap()));
    let tests = top["tests"].as_array().expect("tests is an array");
    let allowed_test = [
        "score",
        "max_score",
        "status",
        "name",
        "name_format",
        "number",
        "output",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    ];
    let mut total = 0.0;
    for test in tests {
        let test = test.as_object().expect("a test is an object");
        for key in test.keys() {
            assert!(
                allowed_test.contains(&key.as_str()),
                "unknown test field {key}"
            );
        }
        let (score, max) = (
            test["score"].as_f64().unwrap(),
            test["max_score"].as_f64().unwrap(),
        );
        assert!((0.0..=max).contains(&score));
        let status = test["status"].as_str().unwrap();
        assert!(["passed", "failed"].contains(&status));
        assert_eq!(status == "passed", score == max && max > 0.0);
        assert!(!test["name"].as_str().unwrap().is_empty());
        assert!(test["output"].is_string());
        assert!(formats.contains(&test["output_format"].as_str().unwrap()));
        assert!(visibilities.contains(&test["visibility"].as_str().unwrap()));
        total += score;
    }
    assert_eq!(top["score"].as_f64().unwrap(), total);
}

#[test]
fn gradescope_results_follow_the_published_format() {
    let course = course();
    let work = tempfile::tempdir().unwrap();
    let dir = learner(work.path(), &course, "submission", true);
    let results = work.path().join("results/results.json");
    let output = course.run(&[
        "grade",
        dir.to_str().unwrap(),
        "--gradescope",
        results.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let results = json(&results);
    assert_gradescope_format(&results);
    assert_eq!(results["score"], 2.0);
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 2);
    assert_eq!(tests[0]["name"], "Basics: add");
    assert_eq!(tests[0]["status"], "passed");
    assert_eq!(tests[0]["max_score"], 2.0);
    assert_eq!(tests[1]["name"], "More: loud");
    assert_eq!(tests[1]["status"], "failed");
    // 40 KiB of output are capped to a few KiB per test.
    let loud = tests[1]["output"].as_str().unwrap();
    assert!(
        loud.contains("quiet") && loud.contains("[output truncated]"),
        "{loud}"
    );
    assert!(loud.len() < 9 * 1024, "{} bytes", loud.len());

    // A submission that cannot be graded still gets a valid results.json, scoring 0.
    let empty = work.path().join("empty");
    stub_learner(work.path(), "empty");
    let output = course.run(&["grade", empty.to_str().unwrap(), "--gradescope", "-"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_gradescope_format(&results);
    assert_eq!(results["score"], 0.0);
    assert!(
        results["output"]
            .as_str()
            .unwrap()
            .contains("could not be graded")
    );
    assert!(
        stderr(&output).contains("empty"),
        "the roster goes to stderr"
    );

    // One submission only.
    let output = course.run(&[
        "grade",
        dir.to_str().unwrap(),
        empty.to_str().unwrap(),
        "--gradescope",
        "-",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--gradescope grades one submission"));
}
