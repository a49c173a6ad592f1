//! The Python track through the real binary: a small `toolchain = "python"` course in a
//! temporary folder, checked by `run`, `verify`, `dev check` and `grade`. The environment is
//! built once from the repository's own lock (with uv where it is installed) into a data
//! folder shared by these tests (`target/test-python-data`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, process_running, python_here, text};

const GREET_TESTS: &str = r#"from greet import greet


def test_greets_by_name():
    assert greet("Ada") == "Hello, Ada!"


def test_strips_the_name():
    assert greet("  Bo ") == "Hello, Bo!"
"#;

const GREET_SOLVED: &str = "def greet(name: str) -> str:\n    return f\"Hello, {name.strip()}!\"\n";
const GREET_UNSOLVED: &str = "def greet(name: str) -> str:\n    return \"TODO\"\n";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-python-data")
}

/// A Python course in a temporary folder: section `01_basics`, exercise `greet` unsolved, its
/// solution and two mutants (one the tests kill).
struct PyCourse {
    dir: tempfile::TempDir,
}

impl PyCourse {
    fn new(extra_entries: &str) -> PyCourse {
        let course = PyCourse {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/requirements.lock");
        fs::copy(lock, course.path("requirements.lock")).expect("the track's lock");
        course.write(
            "info.toml",
            &format!(
                "format_version = 1\ntoolchain = \"python\"\n\n[[sections]]\ndir = \"01_basics\"\ntitle = \"Basics\"\n\n[[exercises]]\nname = \"greet\"\ndir = \"01_basics\"\ntests = 2\nhint = \"Strip the name, then greet.\"\n{extra_entries}"
            ),
        );
        course.write("exercises/01_basics/README.md", "# Basics\n");
        course.write("exercises/01_basics/greet.py", GREET_UNSOLVED);
        course.write("exercises/01_basics/test_greet.py", GREET_TESTS);
        course.write("solutions/01_basics/greet.py", GREET_SOLVED);
        course.write(
            "solutions/01_basics/greet.mutants.toml",
            "[[mutant]]\nlabel = \"no strip\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name'''\n\n[[mutant]]\nlabel = \"lstrip only\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name.lstrip()'''\n",
        );
        course
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, content: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        run_in(self.root(), args)
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .output()
        .expect("run backendlings")
}

#[test]
fn an_exercise_is_judged_by_the_course_tests_in_cold_and_warm_runs() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let out = course.run(&["run", "greet"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("tests failed"), "{said}");
    assert!(said.contains("test_greets_by_name"), "{said}");

    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    let out = course.run(&["run", "greet"]);
    assert!(out.status.success(), "{}", text(&out));
    // `verify` forks its runs from a warm worker: the same verdict.
    let out = course.run(&["verify", "--no-cache"]);
    assert!(out.status.success(), "{}", text(&out));

    // A learner's conftest.py and pytest.ini are not the course's: never loaded.
    course.write(
        "exercises/01_basics/conftest.py",
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    outcome = yield\n    outcome.get_result().outcome = 'passed'\n",
    );
    course.write(
        "exercises/01_basics/pytest.ini",
        "[pytest]\naddopts = -p no:python\n",
    );
    course.write("exercises/01_basics/greet.py", GREET_UNSOLVED);
    let out = course.run(&["run", "greet"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("test_strips_the_name"),
        "{}",
        text(&out)
    );
}

#[test]
fn syntax_errors_are_compile_errors_and_the_count_must_match() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    course.write(
        "exercises/01_basics/greet.py",
        "def greet(name: str) -> str:\n    return f\"Hello, {name.strip()}!\"\n\ndef broken(:\n",
    );
    let out = course.run(&["run", "greet"]);
    let said = text(&out);
    assert!(said.contains("compile error"), "{said}");
    assert!(said.contains("greet.py:4"), "{said}");

    // The course says 2 tests: a solution that passes fewer does not pass.
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write("info.toml", &info.replace("tests = 2", "tests = 3"));
    course.write("exercises/01_basics/greet.py", GREET_SOLVED);
    let out = course.run(&["run", "greet"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("reported 2 passed, but the exercise has 3"),
        "{said}"
    );
}

#[test]
fn an_endless_loop_times_out_and_leaves_nothing_running() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let info = fs::read_to_string(course.path("info.toml")).unwrap();
    course.write(
        "info.toml",
        &info.replace("tests = 2\n", "tests = 2\ntimeout_secs = 2\n"),
    );
    course.write(
        "exercises/01_basics/greet.py",
        "import time\n\nMARKER = 'py-endless-loop-marker'\n\ndef greet(name):\n    while True:\n        time.sleep(0.01)\n",
    );
    for args in [&["run", "greet"][..], &["verify", "--no-cache"][..]] {
        let out = course.run(args);
        let said = text(&out);
        assert!(!out.status.success(), "{said}");
        assert!(
            said.contains("timed out") || said.contains("ran longer than"),
            "{args:?}: {said}"
        );
    }
    assert!(!process_running("py-endless-loop-marker"));
}

#[test]
fn the_rule_book_refuses_what_could_forge_a_verdict() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let attacks = [
        ("import os\ndef greet(name):\n    os._exit(0)\n", "os._exit"),
        (
            "import sys\nsys.exit(0)\ndef greet(name):\n    pass\n",
            "imports `sys`",
        ),
        (
            "import _pytest.runner\ndef greet(name):\n    pass\n",
            "imports `_pytest.runner`",
        ),
        (
            "def greet(name):\n    return __import__('os')\n",
            "__import__",
        ),
        (
            "import json\njson.dumps = str\ndef greet(name):\n    pass\n",
            "changes `json`",
        ),
        (
            "class Yes(str):\n    def __eq__(self, other):\n        return True\n    __hash__ = str.__hash__\ndef greet(name):\n    return Yes()\n",
            "Yes.__eq__",
        ),
        (
            "import os\ndef greet(name):\n    return getattr(os, '_' + 'exit')\n",
            "getattr",
        ),
        (
            "def greet(name):\n    return '{0.__class__}'.format(name)\n",
            "special attribute",
        ),
        (
            "def greet(name):\n    try:\n        raise ValueError\n    except ValueError as e:\n        return e.__traceback__.tb_frame\n",
            "tb_frame",
        ),
        (
            "def greet(name):\n    open('.results.json', 'w').write('{}')\n",
            "uses `open`",
        ),
        // Red team round 6: aliases, computed names and classes built at run time.
        (
            "import pytest\nP = pytest\nR = P.TestReport\ndef greet(name):\n    pass\n",
            "other than as `pytest.name`",
        ),
        (
            "g = getattr\ndef greet(name):\n    return g(name, 'upper')()\n",
            "other than by calling it",
        ),
        (
            "def greet(name):\n    return type('A', (), {'_' * 2 + 'eq' + '_' * 2: lambda s, o: True})()\n",
            "three arguments",
        ),
        (
            "def greet(name):\n    return ('{0._' + '_class_' + '_}').format(name)\n",
            "`.format`",
        ),
        (
            "from os import path\ndef greet(name):\n    return path.os.getcwd()\n",
            "`.os`",
        ),
        (
            "import operator\ndef greet(name):\n    return operator.attrgetter('upper')(name)()\n",
            "attrgetter",
        ),
        // Red team round 7: from-imports of what the rules refuse as attributes, modules other
        // modules imported, template engines, pytest's objects through a fixture, special
        // methods defined under a block, silenced type checks.
        (
            "from operator import attrgetter\ndef greet(name):\n    return attrgetter('upper')(name)()\n",
            "operator.attrgetter",
        ),
        (
            "from typing import sys\ndef greet(name):\n    pass\n",
            "typing.sys",
        ),
        (
            "import json\ndef greet(name):\n    return json.codecs\n",
            "codecs",
        ),
        (
            "import pytest\n@pytest.fixture(autouse=True)\ndef greet(request):\n    handle = request\n    return handle\n",
            "autouse",
        ),
        (
            "class Yes(str):\n    if True:\n        def __eq__(self, other):\n            return True\ndef greet(name):\n    return Yes()\n",
            "Yes.__eq__",
        ),
        (
            "import os\ndef greet(name, self=os):\n    return self._exit\n",
            "private attribute",
        ),
        (
            "def greet(name):  # type: ignore\n    return name\n",
            "silences the type checker",
        ),
        (
            "def greet(name):\n    fmt = str.format\n    return fmt\n",
            "`.format`",
        ),
    ];
    for (source, says) in attacks {
        course.write("exercises/01_basics/greet.py", source);
        let out = course.run(&["run", "greet"]);
        let said = text(&out);
        assert!(!out.status.success(), "{source}\n{said}");
        assert!(said.contains("rejected"), "{source}\n{said}");
        assert!(said.contains(says), "{source}: wanted {says:?}\n{said}");
    }
}

#[test]
fn dev_check_proves_solutions_pass_and_mutants_fail() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new("");
    let out = course.run(&[
        "dev",
        "check",
        "--require-solutions",
        "--require-mutants",
        "2",
    ]);
    let said = text(&out);
    // Both mutants fail a test (`lstrip only` keeps the trailing space): the course is fine.
    assert!(out.status.success(), "{said}");
    assert!(said.contains("greet  2 of 2"), "{said}");
    // A mutant the tests cannot tell apart survives: an error.
    course.write(
        "solutions/01_basics/greet.mutants.toml",
        "[[mutant]]\nlabel = \"strip twice (same behaviour)\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name.strip().strip()'''\n\n[[mutant]]\nlabel = \"no strip\"\n[[mutant.edit]]\nfind = '''name.strip()'''\nreplace = '''name'''\n",
    );
    let out = course.run(&[
        "dev",
        "check",
        "--require-solutions",
        "--require-mutants",
        "2",
    ]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("strip twice"), "{said}");
    // Checking one exercise or section by name still finds it; an unknown name is an error.
    let said = text(&course.run(&["dev", "check", "01_basics"]));
    assert!(said.contains("strip twice"), "{said}");
    let out = course.run(&["dev", "check", "nope"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("no exercise or section named `nope`"),
        "{said}"
    );
}

/// `grade` on a Python cohort: honest controls keep their marks, hostile learners earn nothing,
/// in the bubblewrap sandbox (required under CI).
#[test]
fn grade_grades_a_python_cohort_and_hostile_learners_earn_nothing() {
    if !python_here() {
        return;
    }
    if !cfg!(target_os = "linux") {
        return;
    }
    let course = PyCourse::new("");
    let cohort = tempfile::tempdir().unwrap();
    let learner = |name: &str, files: &[(&str, &str)]| {
        let dir = cohort.path().join(name);
        for (rel, content) in files {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
    };
    let module = "exercises/01_basics/greet.py";
    learner("solved", &[(module, GREET_SOLVED)]);
    learner("untouched", &[(module, GREET_UNSOLVED)]);
    // Rewrites the tests it is given: the course's are used.
    learner(
        "edits_tests",
        &[
            (module, GREET_UNSOLVED),
            (
                "exercises/01_basics/test_greet.py",
                "def test_greets_by_name():\n    pass\n\ndef test_strips_the_name():\n    pass\n",
            ),
        ],
    );
    // A conftest.py that turns every report into a pass: never loaded.
    learner(
        "conftest",
        &[
            (module, GREET_UNSOLVED),
            (
                "exercises/01_basics/conftest.py",
                "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    outcome = yield\n    outcome.get_result().outcome = 'passed'\n",
            ),
        ],
    );
    // Ends the process at import, before the tests: no results, no pass.
    learner(
        "system_exit",
        &[(
            module,
            "raise SystemExit(0)\n\ndef greet(name):\n    pass\n",
        )],
    );
    // Answers every comparison with yes.
    learner(
        "always_equal",
        &[(
            module,
            "class Yes(str):\n    def __eq__(self, other):\n        return True\n\ndef greet(name):\n    return Yes()\n",
        )],
    );
    // Reads a host secret and the grader's environment: refused, and not there in the jail.
    learner(
        "reader",
        &[(
            module,
            "import os\n\ndef greet(name):\n    return os.environ.get('HOME', '') + os.getenv('GRADER_SECRET', '')\n",
        )],
    );
    let out = Command::new(BIN)
        .args(["grade", "--course"])
        .arg(course.root())
        .arg("--cohort")
        .arg(cohort.path())
        .arg("--json")
        .arg(cohort.path().join("grades.json"))
        .env("NO_COLOR", "1")
        .env("BACKENDLINGS_DATA_DIR", data_dir())
        .env("GRADER_SECRET", "s3cr3t-of-the-grader")
        .output()
        .unwrap();
    let said = text(&out);
    let report = fs::read_to_string(cohort.path().join("grades.json")).expect(&said);
    assert!(!report.contains("s3cr3t-of-the-grader"), "{report}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let jailed = report["isolation"].as_str().unwrap_or_default() == "bubblewrap"
        || report.to_string().contains("\"bubblewrap\"");
    if std::env::var_os("CI").is_some() {
        assert!(jailed, "under CI the sandbox is required: {said}");
    }
    for learner in report["learners"].as_array().unwrap() {
        let name = learner["name"].as_str().unwrap();
        let exercise = &learner["exercises"][0];
        let status = exercise["status"].as_str().unwrap();
        let expected_pass = name == "solved";
        assert_eq!(
            status == "passed",
            expected_pass,
            "{name}: {status} {}",
            exercise["output"]
        );
    }
    let status_of = |name: &str| {
        report["learners"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .map(|l| l["exercises"][0]["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status_of("always_equal"), "rejected");
    assert_eq!(status_of("edits_tests"), "tests_failed");
    assert_eq!(status_of("conftest"), "tests_failed");
}

/// `init --track python`: the Python track built into the binary, anywhere; after a pass its
/// solution appears, and `reset` restores the shipped exercise.
#[test]
fn init_makes_a_python_workspace_with_reset_and_solutions() {
    if !python_here() {
        return;
    }
    let parent = tempfile::tempdir().unwrap();
    let out = run_in(parent.path(), &["init", "--track", "python", "ws"]);
    assert!(out.status.success(), "{}", text(&out));
    let root = parent.path().join("ws");
    let info = fs::read_to_string(root.join("info.toml")).unwrap();
    assert!(info.contains("toolchain = \"python\""), "{info}");
    assert!(root.join("requirements.lock").is_file());
    assert!(
        !root.join("solutions").exists(),
        "solutions come after a pass"
    );
    // The first exercise, solved with the repository's solution.
    let name = info
        .lines()
        .find_map(|l| l.strip_prefix("name = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    let dir = info
        .split("[[exercises]]")
        .nth(1)
        .and_then(|e| e.lines().find_map(|l| l.strip_prefix("dir = \"")))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    let exercise = root.join(format!("exercises/{dir}/{name}.py"));
    let shipped = fs::read(&exercise).unwrap();
    let solution =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("python/solutions/{dir}/{name}.py"));
    fs::copy(&solution, &exercise).unwrap();
    let out = run_in(&root, &["run", name]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(root.join(format!("solutions/{dir}/{name}.py")).is_file());
    let out = run_in(&root, &["reset", name]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(fs::read(&exercise).unwrap(), shipped);
}

const CLAMP_TESTS: &str = r#"from clamp import clamp


def test_small_values_pass_through():
    assert clamp(5) == 5


def test_large_values_are_capped():
    assert clamp(150) == 100
    assert clamp(101) == 100
"#;

const CLAMP_SOLVED: &str = "def clamp(n: int) -> int:\n    if n > 100:\n        return 100\n    return n\n";

/// `dev check --mutate` on a Python course: mutants generated from the solution's syntax tree,
/// run through the engine; a survivor is an error that names it by a stable id until it is
/// listed as `[[equivalent]]` with a reason; an equivalent that no mutant has is an error too.
#[test]
fn dev_check_mutate_generates_python_mutants_and_honours_equivalents() {
    if !python_here() {
        return;
    }
    let course = PyCourse::new(
        "\n[[exercises]]\nname = \"clamp\"\ndir = \"01_basics\"\ntests = 2\nhint = \"Cap at 100.\"\n",
    );
    course.write("exercises/01_basics/clamp.py", "def clamp(n: int) -> int:\n    return n\n");
    course.write("exercises/01_basics/test_clamp.py", CLAMP_TESTS);
    course.write("solutions/01_basics/clamp.py", CLAMP_SOLVED);
    // `n >= 100` and `n > 99` cap 100 at 100 too: no test can tell them from the solution.
    let out = course.run(&["dev", "check", "--mutate", "clamp"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    let survivors = [
        "clamp: replace > with >= in `n > 100`",
        "clamp: replace 100 with 99",
    ];
    for id in survivors {
        assert!(
            said.contains(&format!("generated mutant \"{id}\" of `clamp` survives")),
            "{id}\n{said}"
        );
    }
    assert_eq!(said.matches("survives").count(), 2, "{said}");
    assert!(said.contains("cost: "), "{said}");
    assert!(
        said.contains("generated mutants killed (2 survived, 0 equivalent, 0 unviable)"),
        "{said}"
    );

    let equivalents = survivors
        .iter()
        .map(|id| format!("[[equivalent]]\nmutant = \"{id}\"\nreason = \"100 is capped at 100 either way\"\n"))
        .collect::<Vec<_>>()
        .join("\n");
    course.write("solutions/01_basics/clamp.mutants.toml", &equivalents);
    let out = course.run(&["dev", "check", "--mutate", "clamp"]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("0 survived, 2 equivalent"), "{said}");

    course.write(
        "solutions/01_basics/clamp.mutants.toml",
        &format!("{equivalents}\n[[equivalent]]\nmutant = \"clamp: gone\"\nreason = \"stale\"\n"),
    );
    let out = course.run(&["dev", "check", "--mutate", "clamp"]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("no generated mutant of `clamp` has the id \"clamp: gone\""),
        "{said}"
    );
}

/// `dev new --toolchain python`: a Python course with one example exercise, its tests, solution
/// and mutants, which passes the strictest `dev check` as it is and fails as shipped.
#[test]
fn dev_new_python_makes_a_course_that_passes_dev_check_mutate() {
    if !python_here() {
        return;
    }
    let parent = tempfile::tempdir().unwrap();
    let out = run_in(parent.path(), &["dev", "new", "--toolchain", "python", "course"]);
    assert!(out.status.success(), "{}", text(&out));
    let root = parent.path().join("course");
    let info = fs::read_to_string(root.join("info.toml")).unwrap();
    assert!(info.contains("toolchain = \"python\""), "{info}");
    for file in [
        "requirements.lock",
        "exercises/00_intro/intro1.py",
        "exercises/00_intro/test_intro1.py",
        "solutions/00_intro/intro1.py",
        "solutions/00_intro/intro1.mutants.toml",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let out = run_in(
        &root,
        &[
            "dev",
            "check",
            "--require-solutions",
            "--require-mutants",
            "2",
            "--mutate",
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("the course is fine"), "{said}");
    assert!(said.contains("0 survived, 0 equivalent, 0 unviable"), "{said}");
    // As shipped, the exercise fails.
    let out = run_in(&root, &["run", "intro1"]);
    assert!(!out.status.success(), "{}", text(&out));
    // A folder that exists is not overwritten.
    let out = run_in(parent.path(), &["dev", "new", "--toolchain", "python", "course"]);
    assert!(!out.status.success(), "{}", text(&out));
}
