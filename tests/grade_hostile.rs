//! `backendlings grade` against a hostile cohort (issue 9): every learner but one attacks the
//! grader instead of solving the exercises. The specification of what grading guarantees:
//!
//! - each attacker earns nothing it did not solve (no attacker solves anything: its score is 0);
//! - each attacker is stopped by the defence it claims: per exercise, it states the status and
//!   reason it must get and the text that proves which rule fired, and an attack meant to run
//!   prints `HOSTILE-RAN:<attack>` first, so one that no longer compiles, or that an earlier
//!   rule stops, fails the test;
//! - the honest learner, graded after the attackers, keeps full marks;
//! - no process outlives grading (attack processes carry a unique marker in their command line,
//!   and `/proc` is scanned for it);
//! - the course and every learner tree are byte-identical afterwards;
//! - nothing secret (the grader's environment, the course's solutions) reaches a report;
//! - every report parses (JSON, JUnit, CSV, HTML) and the terminal roster cannot be forged.
//!
//! Two grade runs: [`forged_verdicts_earn_nothing`] (attacks on the verdict rules, harmless to
//! the machine, so it runs everywhere) and [`a_sandboxed_cohort_cannot_escape`] (attacks on the
//! machine, the grader and the other learners; it runs only where bubblewrap works, and never
//! skips under `CI=true`). Each run collects every broken guarantee before failing, so one run
//! shows which defences hold. `HOSTILE_ONLY=vandal,network` grades only those attackers (with
//! the honest learner), to look at one attack at a time.
//!
//! The attack sources are in `tests/hostile/` (see its README, whose table lists every attacker
//! with its expected status, reason and marker); each learner below names the defence it relies
//! on. `HOSTILE_KEEP_REPORTS=<folder>` keeps a run's reports.
// Unix only: attacks and checks use signals, process groups and `/proc`.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{BIN, Opts, TestCourse};
use serde_json::Value;

/// How long a grade run may take before the test gives up on it (a stopped or deadlocked
/// grader), unless `HOSTILE_HANG_GUARD_SECS` says otherwise. Not a timing assertion: a defended
/// grader finishes far sooner.
const HANG_GUARD: Duration = Duration::from_secs(420);

fn hang_guard() -> Duration {
    std::env::var("HOSTILE_HANG_GUARD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(HANG_GUARD, Duration::from_secs)
}
/// Address-space cap on the grader and everything it starts, so that a missing memory limit
/// cannot exhaust a shared machine (the huge-constant attack then fails on this cap).
const ADDRESS_SPACE: u64 = 4 * 1024 * 1024 * 1024;
/// In the grader's environment only: a stand-in for the CI tokens a grader's environment holds.
const ENV_SECRET: &str = "tok-4f1e9b27c3d8a6e0";
/// In the course's solutions only.
const ADD_SECRET: &str = "SOLUTION-TOKEN-add-8c2d7e41";
const LOGIC_SECRET: &str = "SOLUTION-TOKEN-logic-b93a05f6";

/// `add` ships a trait, as the course's test exercises do (`Mailer`, `Clock`): its name is what
/// red team round 7's W2 borrowed.
const ADD: &str = "fn add(a: i32, b: i32) -> i32 {\n    let _ = (a, b);\n    0\n}\n\n/// What the tests sum with (shipped).\npub trait Summed {\n    fn total(&self) -> i32;\n}\n\nfn main() {}\n";
/// The test names a crate of the course's manifest by path (`serde_json::to_string`), as real
/// course tests do: what a learner item named after that crate would answer (red team round 5).
const ADD_TESTS: &str = "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(serde_json::to_string(&add(2, 3)).unwrap(), \"5\");\n    }\n}\n";
/// The course's manifest: one dependency, so that its crate name is one the tests use.
const MANIFEST: &str = "bin = []\n\n[package]\nname = \"exercises\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\nautobins = false\nautoexamples = false\nautotests = false\nautobenches = false\n\n[dependencies]\nserde_json = \"1\"\n";
const SOLVED_ADD: &str = "fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\nfn main() {}\n";
/// A shipped type with derived comparisons and methods (red team round 8 retyped its fields,
/// or put an alias of a look-alike in its place; round 9 answered the tests' `.code()` with a
/// by-value trait method of its own; round 10 answered the tests' `Reply::default()`, of the
/// derived `Default`, with an inherent `default` of its own).
const REPLY: &str = "/// An answer (shipped): the tests compare whole replies and their fields.\n#[derive(Debug, Clone, Default, PartialEq)]\npub struct Reply {\n    pub status: u16,\n    pub body: String,\n}\n\nimpl Reply {\n    pub fn new(status: u16, body: &str) -> Reply {\n        Reply {\n            status,\n            body: body.to_string(),\n        }\n    }\n\n    pub fn code(&self) -> u16 {\n        self.status\n    }\n}\n\n/// The answer to `GET path`: 200 \"home\" for `/`, 404 \"not found\" otherwise.\npub fn answer(path: &str) -> Reply {\n    let _ = path;\n    Reply::new(500, \"todo\")\n}\n\nfn main() {}\n";
const REPLY_TESTS: &str = "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn answers() {\n        assert_eq!(Reply::default().code(), 0);\n        assert_eq!(answer(\"/\"), Reply::new(200, \"home\"));\n        assert_eq!(answer(\"/nope\").status, 404);\n        assert_eq!(answer(\"/nope\").code(), 404);\n    }\n}\n";
const SOLVED_REPLY: &str = "/// An answer (shipped): the tests compare whole replies and their fields.\n#[derive(Debug, Clone, Default, PartialEq)]\npub struct Reply {\n    pub status: u16,\n    pub body: String,\n}\n\nimpl Reply {\n    pub fn new(status: u16, body: &str) -> Reply {\n        Reply {\n            status,\n            body: body.to_string(),\n        }\n    }\n\n    pub fn code(&self) -> u16 {\n        self.status\n    }\n}\n\npub fn answer(path: &str) -> Reply {\n    match path {\n        \"/\" => Reply::new(200, \"home\"),\n        _ => Reply::new(404, \"not found\"),\n    }\n}\n\nfn main() {}\n";
const GREET: &str = "fn main() {\n    std::process::exit(1);\n}\n";
const SOLVED_GREET: &str = "fn main() {\n    println!(\"hi\");\n}\n";
const SERVER_MAIN: &str = "mod logic;\n#[cfg(test)]\nmod tests;\n\nfn main() {\n    println!(\"{}\", logic::double(1));\n}\n";
const LOGIC: &str = "pub fn double(x: i32) -> i32 {\n    x\n}\n";
const SOLVED_LOGIC: &str = "pub fn double(x: i32) -> i32 {\n    x * 2\n}\n";
const SERVER_TESTS: &str =
    "use super::logic::double;\n\n#[test]\nfn doubles() {\n    assert_eq!(double(4), 8);\n}\n";

const ADD_RS: &str = "exercises/basics/add.rs";
const GREET_RS: &str = "exercises/basics/greet.rs";
const REPLY_RS: &str = "exercises/basics/reply.rs";
const MAIN_RS: &str = "exercises/more/server/main.rs";
const LOGIC_RS: &str = "exercises/more/server/logic.rs";
/// A data file of the folder exercise (red team round 6: a module file that is not `.rs`).
const NOTES_TXT: &str = "exercises/more/server/notes.txt";
/// A module file named `.rs`: no extension to `Path::extension` (red team round 9).
const DOT_RS: &str = "exercises/more/server/.rs";

/// Three exercises (a file with tests, a file without, a folder with a test module file) in a
/// course that forbids `unsafe` and locks `add`'s signature. Its solutions hold secrets.
fn course() -> TestCourse {
    let points = |points| Opts {
        points: Some(points),
        ..Opts::default()
    };
    let course = TestCourse::new()
        .section("basics", "Basics")
        .section("more", "More")
        .exercise(
            "basics",
            "add",
            &format!("{ADD}{ADD_TESTS}"),
            Some(&format!("{SOLVED_ADD}// {ADD_SECRET}\n")),
            points(2),
        )
        .exercise(
            "basics",
            "reply",
            &format!("{REPLY}{REPLY_TESTS}"),
            Some(SOLVED_REPLY),
            points(1),
        )
        .exercise(
            "basics",
            "greet",
            GREET,
            Some(SOLVED_GREET),
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
                ("logic.rs", LOGIC),
                ("tests.rs", SERVER_TESTS),
            ],
            points(3),
        )
        .finish();
    // This repository's lock file pins `serde_json` (and more): nothing is resolved anew, so
    // the sandboxed build needs no network.
    course.write("Cargo.toml", MANIFEST);
    course.write("Cargo.lock", include_str!("../Cargo.lock"));
    course.write("solutions/more/server/main.rs", SERVER_MAIN);
    course.write(
        "solutions/more/server/logic.rs",
        &format!("{SOLVED_LOGIC}// {LOGIC_SECRET}\n"),
    );
    course.write("solutions/more/server/tests.rs", SERVER_TESTS);
    let info = course.read("info.toml").replacen(
        "format_version = 1\n",
        "format_version = 1\nforbid_unsafe = true\n",
        1,
    );
    course.write("info.toml", &info);
    course
}

/// The line an attack that is meant to run prints (straight to fd 1, before it attacks), so that
/// an attack that no longer compiles, or is stopped by an earlier rule, fails the test.
const RAN: &str = "HOSTILE-RAN:";
/// What an attack that spawns a program of the host prints: programs under test get no shell and
/// no programs in their sandbox (`own_tools` brings its own, to reach the layers behind).
const NO_PROGRAMS: &str = "SPAWN setsid failed: No such file or directory";

/// What the report must say about one exercise of one learner: the defence that held, proved.
#[derive(Clone, Debug)]
struct Expect {
    /// `status` in the JSON report.
    status: &'static str,
    /// `reason` in the JSON report (`Reason::key`); `None`: the report has none.
    reason: Option<&'static str>,
    /// The failing tests the report names, exactly (`tests_failed`).
    failing: Vec<&'static str>,
    /// Text the exercise's output must hold: the rule that fired, an attack's marker.
    shows: Vec<String>,
    /// Text the exercise's output must not hold: what a breach would print.
    hides: Vec<String>,
}

fn expect(status: &'static str) -> Expect {
    Expect {
        status,
        reason: None,
        failing: Vec::new(),
        shows: Vec::new(),
        hides: Vec::new(),
    }
}

impl Expect {
    fn reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }

    fn failing(mut self, test: &'static str) -> Self {
        self.failing.push(test);
        self
    }

    fn shows(mut self, text: impl Into<String>) -> Self {
        self.shows.push(text.into());
        self
    }

    fn hides(mut self, text: impl Into<String>) -> Self {
        self.hides.push(text.into());
        self
    }

    /// The attack ran: its marker is in the output.
    fn ran(self, attack: &str) -> Self {
        self.shows(format!("{RAN}{attack}"))
    }
}

/// Refused by the rule book before anything was built; `problem` is (part of) the refused line.
fn refused(problem: &str) -> Expect {
    expect("rejected").reason("refused").shows(problem)
}

/// Refused by the exercise's contract; `line` names what broke it.
fn contract(line: &str) -> Expect {
    expect("rejected").reason("contract").shows(line)
}

/// The course's test ran and failed, by name, with no other reason.
fn course_test_failed(exercise: &str) -> Expect {
    match exercise {
        "add" => expect("tests_failed").failing("tests::adds"),
        "server" => expect("tests_failed").failing("tests::doubles"),
        "reply" => expect("tests_failed").failing("tests::answers"),
        other => panic!("{other} has no test"),
    }
}

/// An exercise a learner left as the course ships it.
fn unsolved(exercise: &str) -> Expect {
    match exercise {
        "greet" => expect("run_failed")
            .reason("exit_code")
            .shows("exited with code 1"),
        other => course_test_failed(other),
    }
}

fn passed() -> Expect {
    expect("passed")
}

/// The course exercise a learner file belongs to.
fn exercise_of(path: &str) -> &'static str {
    match path {
        ADD_RS => "add",
        REPLY_RS => "reply",
        GREET_RS => "greet",
        MAIN_RS | LOGIC_RS | NOTES_TXT | DOT_RS => "server",
        other => panic!("{other} is no exercise file of the test course"),
    }
}

const EXERCISES: [&str; 4] = ["add", "reply", "greet", "server"];

/// One learner of the cohort: the course's unsolved exercises with `files` replaced, and what
/// grading must make of every exercise.
struct Learner {
    name: String,
    /// (path in the learner tree, source with placeholders)
    files: Vec<(&'static str, String)>,
    /// Per attacked exercise; the others must come out as [`unsolved`] ones.
    expects: BTreeMap<&'static str, Expect>,
    /// The learner's `status` in the report.
    status: &'static str,
    /// Text the learner's `error` must hold, when its status is not `graded`.
    error_shows: Option<&'static str>,
    honest: bool,
}

fn learner(name: impl Into<String>) -> Learner {
    Learner {
        name: name.into(),
        files: Vec::new(),
        expects: BTreeMap::new(),
        status: "graded",
        error_shows: None,
        honest: false,
    }
}

impl Learner {
    fn file(mut self, path: &'static str, source: impl Into<String>) -> Self {
        self.files.push((path, source.into()));
        self
    }

    /// What grading must make of `exercise`, which this learner attacks.
    fn expect(mut self, exercise: &'static str, expect: Expect) -> Self {
        assert!(EXERCISES.contains(&exercise), "{exercise} is no exercise");
        self.expects.insert(exercise, expect);
        self
    }

    /// What the report must say of `exercise`.
    fn expected(&self, exercise: &str) -> Expect {
        match self.expects.get(exercise) {
            Some(expect) => expect.clone(),
            None if self.honest => passed(),
            None => unsolved(exercise),
        }
    }
}

/// A solved `add` with a Flask-style helper named like a process-ender (the HTTP README cites
/// Flask's `abort(404)`): an ordinary function, called as one.
const HONEST_ADD: &str = "/// Flask-style: the status to answer with.\nfn abort(status: u16) -> u16 {\n    status\n}\n\nfn add(a: i32, b: i32) -> i32 {\n    if abort(200) == 200 { a + b } else { 0 }\n}\n\nfn main() {}\n";

/// The honest learner, named to be graded last: any damage done by an attacker shows here.
fn honest() -> Learner {
    Learner {
        honest: true,
        ..learner("zz_honest")
            .file(ADD_RS, HONEST_ADD)
            .file(REPLY_RS, SOLVED_REPLY)
            .file(GREET_RS, SOLVED_GREET)
            .file(LOGIC_RS, SOLVED_LOGIC)
    }
}

/// An honest learner on Windows: every file with CRLF line endings, one with a byte-order mark.
fn honest_windows() -> Learner {
    let crlf = |text: &str| text.replace('\n', "\r\n");
    Learner {
        honest: true,
        ..learner("zz_honest_windows")
            .file(ADD_RS, crlf(HONEST_ADD))
            .file(REPLY_RS, crlf(SOLVED_REPLY))
            .file(GREET_RS, crlf(SOLVED_GREET))
            .file(MAIN_RS, crlf(SERVER_MAIN))
            .file(LOGIC_RS, format!("\u{feff}{}", crlf(SOLVED_LOGIC)))
    }
}

fn with_bom(text: &str) -> String {
    format!("\u{feff}{text}")
}

/// A cohort, a listener standing for the network, and a scratch folder, for one grade run.
struct Scene {
    course: TestCourse,
    work: tempfile::TempDir,
    learners: Vec<Learner>,
    /// `BACKENDLINGS_FAILPOINT_PANIC` for the grader: this learner's grading panics.
    failpoint: Option<String>,
    marker: String,
    port: u16,
    connected: Arc<AtomicBool>,
}

impl Scene {
    fn new(learners: Vec<Learner>) -> Scene {
        let course = course();
        let work = tempfile::tempdir().unwrap();
        let marker = format!("hostile-marker-{}-{}", std::process::id(), nanos());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let connected = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&connected);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stream.is_ok() {
                    flag.store(true, Ordering::SeqCst);
                }
            }
        });
        fs::create_dir_all(work.path().join("cohort")).unwrap();
        fs::create_dir_all(work.path().join("tmp")).unwrap();
        fs::create_dir_all(work.path().join("reports")).unwrap();
        let mut scene = Scene {
            course,
            work,
            learners: Vec::new(),
            failpoint: None,
            marker,
            port,
            connected,
        };
        let only = std::env::var("HOSTILE_ONLY").ok();
        for learner in learners {
            let chosen = only.as_deref().is_none_or(|only| {
                learner.honest || only.split(',').any(|n| n.trim() == learner.name)
            });
            if chosen {
                scene.add(learner);
            }
        }
        scene
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.work.path().join(rel)
    }

    fn fill(&self, source: &str) -> String {
        source
            .replace("@COURSE@", &self.course.root().display().to_string())
            .replace("@WORK@", &self.work.path().display().to_string())
            .replace("@MARKER@", &self.marker)
            .replace("@PORT@", &self.port.to_string())
            .replace("@SYSROOT@", &sysroot())
            .replace("@CARGO_HOME@", &cargo_home())
    }

    fn add(&mut self, learner: Learner) {
        // Every exercise an attacker touches says what must become of it.
        for (rel, _) in &learner.files {
            let exercise = exercise_of(rel);
            assert!(
                learner.honest || learner.expects.contains_key(exercise),
                "attacker {:?} attacks {exercise} but does not say what must become of it",
                learner.name
            );
        }
        let dir = self.path("cohort").join(&learner.name);
        copy_dir(&self.course.path("exercises"), &dir.join("exercises"));
        for (rel, source) in &learner.files {
            fs::write(dir.join(rel), self.fill(source)).unwrap();
        }
        self.learners.push(learner);
    }

    /// Makes grading `name` panic (the grader's debug-only failpoint).
    fn fail_on(mut self, name: &str) -> Self {
        self.failpoint = Some(name.to_string());
        self
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.learners.iter().map(|l| l.name.as_str())
    }

    fn attackers(&self) -> impl Iterator<Item = &Learner> {
        self.learners.iter().filter(|l| !l.honest)
    }

    /// Grades the cohort with every report, under the hang guard.
    fn grade(&self) -> Graded {
        let reports = self.path("reports");
        let report = |name: &str| reports.join(name).display().to_string();
        let mut cmd = Command::new(BIN);
        cmd.args(["grade", "--cohort"])
            .arg(self.path("cohort"))
            .args(["--timeout", "10", "--build-timeout", "60", "--jobs", "2"])
            .args(["--json", &report("r.json"), "--junit", &report("r.xml")])
            .args(["--csv", &report("r.csv"), "--html", &report("r.html")])
            .current_dir(self.course.root())
            .env("NO_COLOR", "1")
            .env("TMPDIR", self.path("tmp"))
            .env("HOSTILE_GRADER_TOKEN", ENV_SECRET)
            .env_remove("BACKENDLINGS_FAILPOINT_PANIC")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        // SAFETY: setrlimit only changes this (forked) process's limits.
        unsafe {
            cmd.pre_exec(|| {
                use nix::sys::resource::{Resource, setrlimit};
                setrlimit(Resource::RLIMIT_AS, ADDRESS_SPACE, ADDRESS_SPACE)
                    .map_err(std::io::Error::from)
            });
        }
        if let Some(name) = &self.failpoint {
            cmd.env("BACKENDLINGS_FAILPOINT_PANIC", name);
        }
        let started = Instant::now();
        let mut child = cmd.spawn().expect("start the grader");
        let mut out = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = out.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        });
        let err = std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = err.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        });
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if started.elapsed() > hang_guard() {
                let group = nix::unistd::Pid::from_raw(child.id() as i32);
                let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        // What is left now outlived grading. Everything the test started carries the marker,
        // the course's path or the scratch folder's path in its command line.
        let survivors = self.processes();
        // `HOSTILE_KEEP_REPORTS=<folder>` keeps this run's reports, to look at them.
        if let Some(keep) = std::env::var_os("HOSTILE_KEEP_REPORTS") {
            copy_dir(&self.path("reports"), Path::new(&keep));
        }
        for (pid, _) in &survivors {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(*pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        Graded {
            status,
            seconds: started.elapsed().as_secs(),
            stdout: out.join().unwrap_or_default(),
            stderr: err.join().unwrap_or_default(),
            survivors,
        }
    }

    /// Processes started by this run (by the marker or the run's folders in their command line).
    fn processes(&self) -> Vec<(i32, String)> {
        let needles = [
            self.marker.clone(),
            self.course.root().display().to_string(),
            self.work.path().display().to_string(),
        ];
        let me = std::process::id() as i32;
        let mut found = Vec::new();
        for entry in fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            let Ok(cmdline) = fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if pid != me && needles.iter().any(|n| cmdline.contains(n.as_str())) {
                found.push((pid, cmdline.chars().take(160).collect()));
            }
        }
        found
    }
}

struct Graded {
    /// `None` when the hang guard stopped the grader.
    status: Option<ExitStatus>,
    seconds: u64,
    stdout: String,
    stderr: String,
    survivors: Vec<(i32, String)>,
}

/// Broken guarantees, collected so that one run lists them all.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    fn assert_none(self, run: &str) {
        assert!(
            self.0.is_empty(),
            "{run}: {} guarantee(s) broken:\n- {}",
            self.0.len(),
            self.0.join("\n- ")
        );
    }
}

/// The toolchain's folder, which learner code must not be able to write.
fn sysroot() -> String {
    let output = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// `path` as reports show it: the grader redacts its home and cargo's home (the longest match
/// wins, as in `grade`).
fn redacted(path: &str) -> String {
    let mut homes: Vec<(String, &str)> = Vec::new();
    if let Ok(cargo_home) = std::env::var("CARGO_HOME") {
        homes.push((cargo_home, "<cargo-home>"));
    }
    if let Ok(home) = std::env::var("HOME") {
        homes.push((home, "<home>"));
    }
    homes.retain(|(p, _)| p.len() > 4);
    homes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    for (prefix, label) in homes {
        if let Some(rest) = path.strip_prefix(&prefix) {
            return format!("{label}{rest}");
        }
    }
    path.to_string()
}

fn cargo_home() -> String {
    std::env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()))
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
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

/// Content hashes of every file below `dir` (symlinks by their target) but `skip`.
fn tree_hashes(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, String> {
    let mut hashes = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            if skip.iter().any(|s| rel == Path::new(s)) {
                continue;
            }
            let kind = entry.file_type().unwrap();
            let hash = if kind.is_symlink() {
                format!("link:{}", fs::read_link(&path).unwrap().display())
            } else if kind.is_dir() {
                stack.push(path.clone());
                "dir".to_string()
            } else {
                blake3::hash(&fs::read(&path).unwrap_or_default())
                    .to_hex()
                    .to_string()
            };
            hashes.insert(rel, hash);
        }
    }
    hashes
}

/// The differences between two hash maps, for a finding.
fn changes(before: &BTreeMap<PathBuf, String>, after: &BTreeMap<PathBuf, String>) -> String {
    let mut changed: Vec<String> = Vec::new();
    for (path, hash) in after {
        match before.get(path) {
            None => changed.push(format!("+{}", path.display())),
            Some(old) if old != hash => changed.push(format!("~{}", path.display())),
            Some(_) => {}
        }
    }
    changed.extend(
        before
            .keys()
            .filter(|p| !after.contains_key(*p))
            .map(|p| format!("-{}", p.display())),
    );
    changed.join(", ")
}

/// What the HTML report's template engine escapes: enough for text and for attribute values,
/// which it always writes in double quotes (so `'` stays as it is).
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether bubblewrap can make a sandbox here (a PID and network namespace, a fresh /proc).
fn bubblewrap_works() -> bool {
    Command::new("bwrap")
        .args(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"])
        .args([
            "--unshare-pid",
            "--unshare-net",
            "--die-with-parent",
            "true",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Checks one learner's report against what it must say: the learner's status and, exercise by
/// exercise, the status, the reason, the failing tests and the text that proves which defence
/// held (and that the attack ran).
fn check_learner(scene: &Scene, learner: &Learner, graded: &Value, findings: &mut Findings) {
    let name = &learner.name;
    findings.check(graded["status"] == learner.status, || {
        format!(
            "learner {name:?} has status {} instead of {} (error: {})",
            graded["status"], learner.status, graded["error"]
        )
    });
    if learner.status != "graded" {
        if let Some(text) = learner.error_shows {
            findings.check(
                graded["error"].as_str().is_some_and(|e| e.contains(text)),
                || {
                    format!(
                        "learner {name:?}: the error {} does not show {text:?}",
                        graded["error"]
                    )
                },
            );
        }
        return;
    }
    let exercises = graded["exercises"].as_array().cloned().unwrap_or_default();
    for exercise in EXERCISES {
        let Some(found) = exercises.iter().find(|e| e["name"] == exercise) else {
            findings
                .0
                .push(format!("learner {name:?}: {exercise} is not in the report"));
            continue;
        };
        let expect = learner.expected(exercise);
        let status = found["status"].as_str().unwrap_or("?");
        let reason = found["reason"].as_str();
        let output = found["output"].as_str().unwrap_or("");
        let failing: Vec<&str> = found["failing_tests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut wrong = Vec::new();
        if status != expect.status || reason != expect.reason {
            wrong.push(format!(
                "status {status} / reason {reason:?} instead of {} / {:?}",
                expect.status, expect.reason
            ));
        }
        if status == "tests_failed" || !expect.failing.is_empty() {
            let mut sorted = failing.clone();
            sorted.sort_unstable();
            let mut wanted = expect.failing.clone();
            wanted.sort_unstable();
            if sorted != wanted {
                wrong.push(format!(
                    "failing tests {failing:?} instead of {:?}",
                    expect.failing
                ));
            }
        }
        for text in expect.shows.iter().map(|t| scene.fill(t)) {
            if !output.contains(text.as_str()) {
                wrong.push(if text.starts_with(RAN) {
                    format!("the attack did not run (no {text:?} in the output)")
                } else {
                    format!("the output does not show {text:?}")
                });
            }
        }
        for text in expect.hides.iter().map(|t| scene.fill(t)) {
            if output.contains(text.as_str()) {
                wrong.push(format!("the output shows {text:?}"));
            }
        }
        findings.check(wrong.is_empty(), || {
            let shown: String = output.chars().take(1500).collect();
            format!(
                "learner {name:?}, {exercise}: {}\n    output: {}",
                wrong.join("; "),
                shown.trim().replace('\n', "\n    | ")
            )
        });
    }
}

/// Checks every guarantee on a finished run; `isolation` is the value the JSON report must
/// record.
fn inspect(
    scene: &Scene,
    graded: &Graded,
    course_before: &BTreeMap<PathBuf, String>,
    cohort_before: &BTreeMap<PathBuf, String>,
    isolation: Option<&str>,
) -> Findings {
    let mut findings = Findings::default();
    let run = format!(
        "grader after {}s: {:?}\n  stdout: {}\n  stderr: {}",
        graded.seconds,
        graded.status,
        graded.stdout.trim(),
        graded.stderr.chars().take(2000).collect::<String>().trim()
    );
    findings.check(graded.status.is_some(), || {
        format!("the grader hung (stopped, or blocked on a lock?) and was killed; {run}")
    });
    // A learner the grader failed on (the failpoint) makes the run exit 3, reports written.
    let expected_code = if scene.failpoint.is_some() { 3 } else { 0 };
    findings.check(
        graded
            .status
            .is_none_or(|s| s.code() == Some(expected_code)),
        || format!("the grader did not exit {expected_code}; {run}"),
    );
    // Defence: supervisor (process groups killed on every exit path) + PID namespace per
    // learner (`setsid` does not leave a namespace).
    findings.check(graded.survivors.is_empty(), || {
        format!(
            "{} process(es) outlived grading, e.g. {:?}",
            graded.survivors.len(),
            graded.survivors.iter().take(3).collect::<Vec<_>>()
        )
    });
    // Defence: the course and learner trees are never writable from the sandbox.
    let course_after = tree_hashes(scene.course.root(), &["target"]);
    findings.check(course_before == &course_after, || {
        format!(
            "the course was written to: {}",
            changes(course_before, &course_after)
        )
    });
    let cohort_after = tree_hashes(&scene.path("cohort"), &[]);
    findings.check(cohort_before == &cohort_after, || {
        format!(
            "learner trees were written to: {}",
            changes(cohort_before, &cohort_after)
        )
    });
    // Defence: private /tmp and /dev/shm per learner; no network namespace shared with the host.
    for drop in [
        PathBuf::from(format!("/dev/shm/{}-drop", scene.marker)),
        scene.path(&format!("tmp/{}-drop", scene.marker)),
    ] {
        findings.check(!drop.exists(), || {
            format!("a learner left {} behind", drop.display())
        });
        let _ = fs::remove_file(&drop);
    }
    for config in [
        scene.path("tmp/.cargo"),
        scene.path(".cargo"),
        scene.course.path("target/.cargo"),
    ] {
        findings.check(!config.exists(), || {
            format!(
                "a learner dropped a cargo config at {} (read by later builds)",
                config.display()
            )
        });
    }
    findings.check(!scene.path("pwned-by-cargo-config").exists(), || {
        "the grader ran a learner's program as rustc (a dropped .cargo/config.toml)".into()
    });
    findings.check(!scene.connected.load(Ordering::SeqCst), || {
        "learner code reached the network (a loopback port on the host)".into()
    });
    // Defence: a clean environment for builds and runs; the course and the grader's /proc
    // invisible from the sandbox.
    for secret in [ENV_SECRET, ADD_SECRET, LOGIC_SECRET] {
        findings.check(
            !graded.stdout.contains(secret) && !graded.stderr.contains(secret),
            || format!("{secret} reached the grader's terminal output"),
        );
    }
    // The terminal roster: one line per learner and a total, no escape codes.
    if graded.status.is_some_and(|s| s.success()) {
        findings.check(!graded.stdout.contains('\u{1b}'), || {
            "an escape code reached the terminal roster".into()
        });
        // A roster row ends its score with a percent; other lines (a total, notes) do not.
        let rows = graded
            .stdout
            .lines()
            .filter(|line| {
                line.split_whitespace().any(|word| {
                    word.strip_suffix('%')
                        .is_some_and(|n| n.parse::<f64>().is_ok())
                })
            })
            .count();
        findings.check(rows == scene.learners.len(), || {
            format!("the roster has forged rows:\n{}", graded.stdout)
        });
    }

    let reports = scene.path("reports");
    let Ok(json) = fs::read_to_string(reports.join("r.json")) else {
        findings.0.push("no JSON report was written".into());
        return findings;
    };
    for file in ["r.json", "r.xml", "r.csv", "r.html"] {
        let text = fs::read_to_string(reports.join(file)).unwrap_or_default();
        for secret in [ENV_SECRET, ADD_SECRET, LOGIC_SECRET] {
            findings.check(!text.contains(secret), || {
                format!("{secret} leaked into {file}")
            });
        }
    }
    let report: Value = match serde_json::from_str(&json) {
        Ok(report) => report,
        Err(err) => {
            findings
                .0
                .push(format!("the JSON report does not parse: {err}"));
            return findings;
        }
    };
    if let Some(isolation) = isolation {
        // Defence: the report says how learner code was isolated.
        findings.check(report["isolation"] == isolation, || {
            format!(
                "the report records isolation {} instead of {isolation:?}",
                report["isolation"]
            )
        });
    }
    let learners = report["learners"].as_array().cloned().unwrap_or_default();
    let find = |name: &str| learners.iter().find(|l| l["name"] == name);
    findings.check(learners.len() == scene.learners.len(), || {
        format!(
            "{} learners in the report, {} in the cohort",
            learners.len(),
            scene.learners.len()
        )
    });
    for honest in scene.learners.iter().filter(|l| l.honest) {
        match find(&honest.name) {
            Some(graded) => findings
                .check(graded["score"] == 7 && graded["percent"] == 100.0, || {
                    format!("the honest learner {:?} lost marks: {graded}", honest.name)
                }),
            None => findings.0.push(format!(
                "the honest learner {:?} is not in the report",
                honest.name
            )),
        }
    }
    // Every learner: the status it must have, and for every exercise the defence that held.
    for learner in &scene.learners {
        if let Some(graded) = find(&learner.name) {
            check_learner(scene, learner, graded, &mut findings);
        }
    }
    for learner in &learners {
        for exercise in learner["exercises"].as_array().into_iter().flatten() {
            let output = exercise["output"].as_str().unwrap_or("");
            // An attack prints this when it got somewhere it must not.
            for line in output.lines().filter(|l| l.contains("HOSTILE-BREACH")) {
                findings.check(false, || {
                    format!("learner {}, {}: {line}", learner["name"], exercise["name"])
                });
            }
            for secret in [ENV_SECRET, ADD_SECRET, LOGIC_SECRET] {
                findings.check(!output.contains(secret), || {
                    format!(
                        "{secret} is in the output of {} of learner {}",
                        exercise["name"], learner["name"]
                    )
                });
            }
        }
    }
    for name in scene.attackers().map(|l| &l.name) {
        let Some(attacker) = find(name) else {
            findings
                .0
                .push(format!("attacker {name:?} is not in the report"));
            continue;
        };
        let passed: Vec<String> = attacker["exercises"]
            .as_array()
            .map(|exercises| {
                exercises
                    .iter()
                    .filter(|e| e["status"] == "passed")
                    .map(|e| e["name"].as_str().unwrap_or("?").to_string())
                    .collect()
            })
            .unwrap_or_default();
        findings.check(
            attacker["score"] == 0 && attacker["percent"] == 0.0 && passed.is_empty(),
            || {
                format!(
                    "attacker {name:?} scored {} ({}%) without solving anything; passed: {passed:?}",
                    attacker["score"], attacker["percent"]
                )
            },
        );
    }

    // JUnit: well-formed, one suite per learner.
    let xml = fs::read_to_string(reports.join("r.xml")).unwrap_or_default();
    match roxmltree::Document::parse(&xml) {
        Ok(doc) => {
            let suites = doc
                .descendants()
                .filter(|n| n.has_tag_name("testsuite"))
                .count();
            findings.check(suites == scene.learners.len(), || {
                format!(
                    "{suites} JUnit suites for {} learners",
                    scene.learners.len()
                )
            });
        }
        Err(err) => findings
            .0
            .push(format!("the JUnit report is not XML: {err}")),
    }
    // CSV: a row per learner, attackers at 0%, no cell a spreadsheet would run.
    let mut rows = Vec::new();
    match csv::Reader::from_path(reports.join("r.csv")) {
        Ok(mut reader) => {
            for row in reader.records() {
                match row {
                    Ok(row) => rows.push(row),
                    Err(err) => findings.0.push(format!("a CSV row does not parse: {err}")),
                }
            }
        }
        Err(err) => findings
            .0
            .push(format!("the CSV report does not open: {err}")),
    }
    findings.check(rows.len() == scene.learners.len(), || {
        format!(
            "{} CSV rows for {} learners",
            rows.len(),
            scene.learners.len()
        )
    });
    for row in &rows {
        let name = row.get(0).unwrap_or("");
        findings.check(!name.starts_with(['=', '+', '-', '@', '\t', '\r']), || {
            format!("CSV cell {name:?} would run as a formula")
        });
        let percent = row.iter().next_back().unwrap_or("");
        let honest = scene.learners.iter().any(|l| l.honest && l.name == name);
        let expected = if honest { "100.00" } else { "0.00" };
        findings.check(percent == expected, || {
            format!("CSV row {name:?} says {percent}%")
        });
    }
    // HTML: every learner's row, escaped.
    let html = fs::read_to_string(reports.join("r.html")).unwrap_or_default();
    for name in scene.names() {
        let shown = html_escape(&name.replace('\u{FFFF}', "\u{FFFD}"));
        let shown = shown.replace(['\u{1b}', '\u{7}'], "\u{FFFD}");
        findings.check(html.contains(&shown), || {
            format!("learner {name:?} is missing from the HTML report (or not escaped)")
        });
    }
    findings.check(html.trim_end().ends_with("</html>"), || {
        "the HTML report is cut short".into()
    });
    findings
}

/// Attacks on the verdict: learner code that makes the test binary claim success, and learner
/// text the grader must read the way the compiler does. Harmless to the machine (they only print
/// and exit), so this runs with or without a sandbox. One more learner makes the grader itself
/// panic (a debug-only failpoint): it alone gets `grader_error`, everyone else is graded.
#[test]
fn forged_verdicts_earn_nothing() {
    let scene = Scene::new(vec![
        // Defence: crate-level inner attributes in learner files are refused by the rule book
        // (otherwise the whole file, tests and all, is compiled away: "ok. 0 passed").
        learner("cfg_not_test")
            .file(ADD_RS, include_str!("hostile/cfg_not_test_add.rs"))
            .file(MAIN_RS, include_str!("hostile/cfg_not_test_main.rs"))
            .expect(
                "add",
                refused("the crate attribute `#![cfg(not(test))]`").shows(ADD_RS),
            )
            .expect(
                "server",
                refused("the crate attribute `#![cfg(not(test))]`").shows(MAIN_RS),
            ),
        // Defence: `forbid_unsafe = true` (the `unsafe_code` lint at `forbid` refuses the
        // `#[unsafe(link_section)]` constructor, which calls nothing that ends the process), and
        // `#![no_main]` as a crate-level inner attribute.
        learner("ctor_no_main")
            .file(ADD_RS, include_str!("hostile/ctor_add.rs"))
            .file(MAIN_RS, include_str!("hostile/no_main_main.rs"))
            .expect(
                "add",
                expect("compile_error")
                    .shows("declaration of a static with `link_section`")
                    .shows("`-F unsafe-code`"),
            )
            .expect(
                "server",
                refused("the crate attribute `#![no_main]`").shows(MAIN_RS),
            ),
        // Defence: the process-ender rule (calls and paths to `std::process::exit`, renamed
        // imports included): a test cannot print a passing summary and exit 0 mid-test.
        learner("process_ender")
            .file(ADD_RS, include_str!("hostile/ender_hook_add.rs"))
            .file(LOGIC_RS, include_str!("hostile/ender_exit_logic.rs"))
            .expect(
                "add",
                refused("`std::process::exit` ends or replaces the process").shows(ADD_RS),
            )
            .expect(
                "server",
                refused("`std::process::exit` ends or replaces the process").shows(LOGIC_RS),
            ),
        // Defence, without any process-ending call: libtest's own exit code and the failing
        // test it names (add), and the summary rule: exactly one summary, libtest's (server).
        learner("forged_summary")
            .file(ADD_RS, include_str!("hostile/forged_summary_add.rs"))
            .file(LOGIC_RS, include_str!("hostile/forged_summary_logic.rs"))
            .expect("add", course_test_failed("add").ran("forged_summary"))
            .expect(
                "server",
                expect("run_failed")
                    .reason("many_summaries")
                    .ran("forged_summary"),
            ),
        // Defence: since red team round 8 no macro call may be given an item, so a learner
        // macro can no longer generate a test; behind that, the expected count comes from the
        // course (1), never from the learner's file (where a macro naming `test` makes it
        // unknown) nor from libtest ("2 passed"), which refused this run before round 8.
        learner("macro_test_count")
            .file(LOGIC_RS, include_str!("hostile/macro_test_count_logic.rs"))
            .expect(
                "server",
                contract("the call `generate!` is given an item (`fn ..`)").hides("HOSTILE-RAN"),
            ),
        // Defence: the exercise's contract (`contract::signature`): shipped signatures stay.
        learner("always_eq")
            .file(ADD_RS, include_str!("hostile/always_eq_add.rs"))
            .expect("add", contract("`add` must keep its signature")),
        // Defence: names cannot impersonate the language (`contract::names`): learner items
        // named `u16`, `str`, `bool`, `Result`; exported macros named `assert_eq` and `vec`.
        learner("impersonate")
            .file(ADD_RS, include_str!("hostile/impersonate_add.rs"))
            .file(MAIN_RS, include_str!("hostile/impersonate_main.rs"))
            .file(LOGIC_RS, include_str!("hostile/impersonate_logic.rs"))
            .expect(
                "add",
                contract("the struct `u16` takes the name of a part of the language")
                    .shows("the type alias `str` takes the name")
                    .shows("the enum `bool` takes the name")
                    .shows("the type alias `Result` takes the name"),
            )
            .expect(
                "server",
                contract("the macro `assert_eq` replaces a standard macro")
                    .shows("the macro `vec` replaces a standard macro")
                    .shows(LOGIC_RS),
            ),
        // Red team round 5. Defence: the contract decides that a type is the learner's own by
        // the full path resolving to a module-level item of the file (a `struct Result` in a
        // function body does not make `std::thread::Result` the learner's). Before the fix the
        // file got past the contract (`tests_failed` here; in the course, a pass).
        learner("decoy_type")
            .file(ADD_RS, include_str!("hostile/decoy_type_add.rs"))
            .expect(
                "add",
                contract("`impl Caught for std::thread::Result<()>`: a trait of yours on a type you did not define"),
            ),
        // Defence: no learner item may take the name of a crate of the course's manifest. The
        // attack reaches the test without it (2 marks for an unsolved `add` before the fix).
        learner("crate_shadow")
            .file(ADD_RS, include_str!("hostile/crate_shadow_add.rs"))
            .expect(
                "add",
                contract("the module `serde_json` takes the name of the crate `serde_json`"),
            ),
        // Defence: names are compared unrawed (`r#u16` is `u16`): every form of round 0's
        // impersonations, spelled raw. Before the fix the contract saw none of them.
        learner("raw_names")
            .file(ADD_RS, include_str!("hostile/raw_names_add.rs"))
            .file(LOGIC_RS, include_str!("hostile/raw_names_logic.rs"))
            .expect(
                "add",
                contract("the struct `u16` takes the name of a part of the language")
                    .shows("the struct `str` takes the name")
                    .shows("the struct `Vec` takes the name")
                    .shows("the type alias `Result` takes the name")
                    .shows("binds `PartialEq`, a name of the language"),
            )
            .expect(
                "server",
                contract("the macro `vec` replaces a standard macro")
                    .shows("the crate `std` takes the name")
                    .shows(LOGIC_RS),
            ),
        // Red team round 6 (W1). Defence: the contract sees what the compiler compiles: a
        // `#[cfg]` the course's file does not have is refused, and so are two items of one name
        // in one namespace of a module. Before the fix the cfg'd-out `struct Caught` made the
        // alias `Caught = std::thread::Result<()>` look like the learner's type, and the file
        // got past the contract (`tests_failed` here, the marker printed; in the course, a pass).
        learner("cfg_decoy_type")
            .file(ADD_RS, include_str!("hostile/cfg_decoy_type_add.rs"))
            .expect(
                "add",
                contract("`#[cfg(any())]` decides what the compiler sees")
                    .shows("`Caught` is defined twice")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 6 (W2). Defence: as for W1; the contract read the cfg'd-out twin of
        // `add` (the last of that name) and found the shipped signature kept. Before the fix:
        // `tests_failed` with the marker of the `add` the compiler built.
        learner("cfg_twin")
            .file(ADD_RS, include_str!("hostile/cfg_twin_add.rs"))
            .expect(
                "add",
                contract("`#[cfg(any())]` decides what the compiler sees")
                    .shows("`add` is defined twice in this file (a function, twice)")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 6 (W3). Defence: `path` inside `cfg_attr` is refused, and read like a
        // plain `#[path]` (the refusal of non-`.rs` module files; the rule book's module tree,
        // whose ender rule would refuse `notes.txt`). Before the fix: `passed`, 3 marks.
        learner("cfg_attr_path")
            .file(MAIN_RS, include_str!("hostile/cfg_attr_path_main.rs"))
            .file(LOGIC_RS, include_str!("hostile/cfg_attr_path_logic.rs"))
            .file(NOTES_TXT, include_str!("hostile/cfg_attr_path_notes.txt"))
            .expect(
                "server",
                contract("`#[cfg_attr(all(),path=\"notes.txt\")]` puts `path` under a condition")
                    .shows("the module `notes` lives in `notes.txt`, which is not a `.rs` file")
                    .shows(MAIN_RS)
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 6 (W4). Defence: a single-file exercise may not declare a module file
        // (`mod x;`) the course's file does not, and the rule book reads every file a program
        // pulls in with the rules of the exercise that includes it. Before the fix: `passed`,
        // 2 marks, through the other exercise's `exit`.
        learner("path_to_greet")
            .file(ADD_RS, include_str!("hostile/path_to_greet_add.rs"))
            .file(GREET_RS, include_str!("hostile/path_to_greet_greet.rs"))
            .expect(
                "add",
                contract("`mod greet_exercise;` brings in the file `greet.rs`")
                    .hides("HOSTILE-RAN"),
            )
            .expect("greet", unsolved("greet")),
        // Red team round 7 (W1). Defence: an alias is followed with its generic arguments
        // (defaults included) put in for its parameters: `Id<X>` with `type Id<T> = T` is `X`,
        // whatever `struct T` the module holds. Before the fix the contract took all three
        // shapes for impls on the learner's own types: `tests_failed` here, the marker printed;
        // in the course, a pass (test1_assertions, its checks untouched).
        learner("generic_alias")
            .file(ADD_RS, include_str!("hostile/generic_alias_add.rs"))
            .expect(
                "add",
                contract("`impl Verdict for Id<std::thread::Result<()>>`: a trait of yours on a type you did not define")
                    .shows("`impl Checked for m::Same<std::thread::Result<u8>>`: a trait of yours")
                    .shows("`impl Answer for Caught`: a trait of yours")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 7 (W2). Defence: only the course's own top-level trait, reached by its
        // resolved path and defined token for token as shipped, may be implemented for a
        // foreign type; a trait that only shares its name is the learner's. Before the fix both
        // impls got past the contract: `tests_failed` here, the marker printed; in the course,
        // a pass (test4_mock_mailer with no reset link sent).
        learner("shipped_trait")
            .file(ADD_RS, include_str!("hostile/shipped_trait_add.rs"))
            .expect(
                "add",
                contract("`impl Summed for String`: a trait of yours on a type you did not define")
                    .shows("`impl Summed for str`: a trait of yours")
                    .shows("`Summed` is not the course's trait as shipped")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 8 (W1). Defence: a shipped struct, enum or union stays that kind of item
        // with its fields' and variants' types as shipped. Before the fix: `passed`, the marker
        // printed (in the course, fw1_handlers at full marks with wrong handlers).
        learner("field_retype")
            .file(REPLY_RS, include_str!("hostile/field_retype_reply.rs"))
            .expect(
                "reply",
                contract("`Reply`'s field `status` must keep its type `u16` (it is `Any`)")
                    .shows("`Reply`'s field `body` must keep its type `String`")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 8 (W2). Defence: a shipped type stays a type definition (no alias in
        // its place), and every shipped method stays written out with its signature. Before
        // the fix: `passed`, the marker printed.
        learner("alias_twin")
            .file(REPLY_RS, include_str!("hostile/alias_twin_reply.rs"))
            .expect(
                "reply",
                contract("`Reply` must stay the struct the course wrote")
                    .shows("`Reply::new` must stay written out")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 8 (W5). Defence: no macro call may be given an item among its
        // arguments (a pass-through macro writes it out of every check's sight). Before the
        // fix: `passed`, 2 marks, through a hijacked `String::contains`.
        learner("macro_hidden_impl")
            .file(ADD_RS, include_str!("hostile/macro_hidden_impl_add.rs"))
            .expect(
                "add",
                contract("the call `verbatim!` is given an item (`impl ..`)").hides("HOSTILE-RAN"),
            ),
        // Red team round 8 (W6). Defence: as W5 (the contract), and the rule book refuses a
        // module declared inside a macro and follows `#[path]` modules in function bodies.
        // Before the fix: `passed`, 2 marks, through greet's `exit`.
        learner("macro_path")
            .file(ADD_RS, include_str!("hostile/macro_path_add.rs"))
            .file(GREET_RS, include_str!("hostile/macro_path_greet.rs"))
            .expect(
                "add",
                contract("the call `verbatim!` is given an item (`mod ..`)").hides("HOSTILE-RAN"),
            )
            .expect("greet", unsolved("greet")),
        // Defence: a byte-order mark is removed before parsing and the program is printed from
        // the syntax tree: the course's tests really run (and fail, by name).
        learner("bom")
            .file(ADD_RS, with_bom(include_str!("hostile/bom_add.rs")))
            .file(GREET_RS, with_bom(GREET))
            .file(MAIN_RS, with_bom(SERVER_MAIN))
            .file(LOGIC_RS, with_bom(include_str!("hostile/bom_logic.rs")))
            .expect("add", course_test_failed("add").ran("bom"))
            .expect("greet", unsolved("greet"))
            .expect("server", course_test_failed("server").ran("bom")),
        // Defence: no byte offsets into learner text (this file panicked the old splicer), and
        // a panic stays with its learner (see `grader_panic`).
        learner("bom_multibyte")
            .file(
                ADD_RS,
                with_bom(include_str!("hostile/bom_multibyte_add.rs")),
            )
            .expect("add", course_test_failed("add").ran("bom_multibyte")),
        // Defence: a file that is not Rust syntax is not compiled: `compile_error`, reason
        // `syntax`, with the file and line.
        learner("not_rust")
            .file(ADD_RS, include_str!("hostile/not_rust_add.rs"))
            .expect(
                "add",
                expect("compile_error")
                    .reason("syntax")
                    .shows(format!("{ADD_RS}:1:")),
            ),
        // Defence: a panic while grading one learner is that learner's `grader_error` (the
        // grader's debug-only failpoint panics on this one); everyone else is graded and every
        // report is written. A release build has no failpoint: the file is graded as it is.
        grader_panic(),
        // Red team round 9 (W1). Defence: a learner-written method in a trait of theirs (or in an
        // impl of a trait the course did not ship for that type) may not take the name of a
        // method the course wrote or its tests call (`contract::methods`). Before the fix the
        // tests' `answer("/nope").code()` called the learner's by-value `Sneak::code`, whose
        // `Whatever` equals any status: the marker printed (in the course, rust5_collections
        // at 6/6 unsolved).
        learner("receiver_priority")
            .file(REPLY_RS, include_str!("hostile/receiver_priority_reply.rs"))
            .expect(
                "reply",
                contract("the method `code` in your trait `Sneak` shares its name with a method the tests call or the course wrote")
                    .shows("the method `code` in `impl Sneak for Reply`")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 10 (W1). Defence: no learner-added inherent item on a type the course
        // ships may take the name of a function the tests call (by path too) or of a trait the
        // course implements or derives for it (`contract::methods`). Before the fix the tests'
        // `Reply::default()` called the learner's inherent `default`, found before the derived
        // `Default::default`, and its look-alike's `code()` equals any status: the marker
        // printed (in the course, rust5_collections at 6/6 unsolved).
        learner("inherent_default")
            .file(REPLY_RS, include_str!("hostile/inherent_default_reply.rs"))
            .expect(
                "reply",
                contract("the associated item `default` you added in `impl Reply` (a type the course ships, `Reply`)")
                    .shows("the associated item `clone` you added in `impl super::Reply`")
                    .hides("HOSTILE-RAN"),
            ),
        // Red team round 9 (W3). Defence: one definition of the learner's Rust files
        // (`contract::files`): a file named `.rs`, and whatever a module declaration leads to,
        // is read as Rust by the contract. Before the fix `.rs` was copied as data, and its
        // `pub struct u16;` reached the course's tests (a compile error naming `deep::u16`).
        learner("dotrs_contract")
            .file(MAIN_RS, include_str!("hostile/dotrs_contract_main.rs"))
            .file(DOT_RS, include_str!("hostile/dotrs_contract_dot.rs"))
            .expect(
                "server",
                contract("the struct `u16` takes the name of a part of the language")
                    .shows("more/server/.rs changes what the tests rely on"),
            ),
        // Red team round 9 (W4). Defence: no `#[path]` may be absolute or lead out of the
        // exercise's folder (`contract::files`), and the rule book follows none (it reads only
        // the program's folder, reading none of it past 16 MiB). Before the fix the grader, as root and
        // outside every sandbox, read and parsed `@WORK@/outside.rs` and quoted it.
        learner("host_path")
            .file(MAIN_RS, include_str!("hostile/host_path_main.rs"))
            .expect(
                "server",
                contract("the module path `@WORK@/outside.rs` leads out of the exercise's folder")
                    .shows("the module path `../../../../outside.rs` leads out")
                    .hides("outside.rs:1")
                    .hides("std::process::exit"),
            ),
        // Red team round 9 (W2). Defence: the `.rs` module file is Rust (`contract::files`), so
        // it is parsed where all of a learner's files are, in the grader's contained reader
        // (`grade-prepare`, a small stack); its overflow is this learner's `grader_error`. The
        // rule book reads only what that reader printed. Before the fix the grader's own
        // process overflowed its stack: no report for anyone.
        dotrs_stack(),
        // Defence: reports strip what XML forbids, guard CSV formulas, escape HTML and the
        // terminal roster. The folder name itself is the attack.
        learner("=HYPERLINK(\"x\")\u{FFFF}\nzz_honest    6    100.00%  forged\n\u{1b}[2J<b>'\r")
            .file(ADD_RS, include_str!("hostile/junk_output_add.rs"))
            .expect("add", course_test_failed("add").ran("junk_output")),
        honest_windows(),
        honest(),
    ])
    .fail_on("grader_panic");
    // What `host_path`'s absolute `#[path]` names: outside every learner tree.
    fs::write(
        scene.path("outside.rs"),
        "pub fn f() { std::process::exit(0) }\n",
    )
    .unwrap();
    let course_before = tree_hashes(scene.course.root(), &["target"]);
    let cohort_before = tree_hashes(&scene.path("cohort"), &[]);
    let graded = scene.grade();
    inspect(&scene, &graded, &course_before, &cohort_before, None).assert_none("verdicts");
}

/// The learner whose `.rs` module file (written here: 800 kB of nested parentheses, under the
/// 1 MiB cap) overflows any parser's stack (red team round 9, W2).
fn dotrs_stack() -> Learner {
    let depth = 400_000;
    let nested = format!(
        "pub const X: () = {}{};\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    Learner {
        status: "grader_error",
        error_shows: Some("its reader was killed by signal"),
        ..learner("dotrs_stack")
            .file(MAIN_RS, include_str!("hostile/dotrs_stack_main.rs"))
            .file(DOT_RS, nested)
            .expect("server", contract("never graded"))
    }
}

/// The learner the grader's failpoint makes it panic on (debug builds), with the file that
/// panicked the old splicer.
fn grader_panic() -> Learner {
    let learner = learner("grader_panic")
        .file(
            ADD_RS,
            with_bom(include_str!("hostile/bom_multibyte_add.rs")),
        )
        .expect("add", course_test_failed("add").ran("bom_multibyte"));
    Learner {
        status: if cfg!(debug_assertions) {
            "grader_error"
        } else {
            "graded"
        },
        ..learner
    }
}

/// Attacks on the machine, the grader and the other learners. They need the sandbox: without
/// one they really do damage (bounded here: every write is fenced to the test's folders).
#[test]
fn a_sandboxed_cohort_cannot_escape() {
    if !bubblewrap_works() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "bubblewrap does not work on this CI machine: the sandbox must be tested here"
        );
        println!("skipped: no bubblewrap (the hostile cohort needs a sandbox to be run safely)");
        return;
    }
    let ran = |attack: &str| course_test_failed("add").ran(attack);
    let scene = Scene::new(vec![
        // Defence: the sandbox shows the compiler only the learner's sources and read-only
        // dependencies: no course folder (`include!`, `#[path]`), no other learner.
        // (An item-level `include!` is refused by the contract before the build, see
        // `contract::names`; `include_str!` in an expression reaches the compiler.)
        learner("copy_solutions")
            .file(ADD_RS, include_str!("hostile/copy_solutions_add.rs"))
            .file(GREET_RS, include_str!("hostile/copy_classmate_greet.rs"))
            .file(MAIN_RS, include_str!("hostile/copy_solutions_main.rs"))
            .expect(
                "add",
                expect("compile_error").shows(
                    "couldn't read `<course>/solutions/basics/add.rs`: No such file or directory",
                ),
            )
            .expect(
                "greet",
                expect("compile_error").shows(
                    "couldn't read `@WORK@/cohort/zz_honest/exercises/basics/greet.rs`: No such file",
                ),
            )
            // Since red team round 9 the contract refuses an absolute `#[path]` before the
            // build; the sandbox (no course folder) stands behind it, as `add`'s `include_str!`
            // shows.
            .expect(
                "server",
                contract(
                    "the module path `<course>/solutions/more/server/logic.rs` leads out of the exercise's folder",
                )
                .hides("SOLUTION-TOKEN"),
            ),
        // Defence: clean environment for builds (`env!`, `option_env!`), no course folder at
        // compile time (`include_str!`); `forbid_unsafe` rejects `global_asm!` (before its
        // `.incbin` of a solution is even tried).
        learner("leak_build")
            .file(ADD_RS, include_str!("hostile/leak_build_add.rs"))
            .file(LOGIC_RS, include_str!("hostile/leak_build_logic.rs"))
            .expect(
                "add",
                expect("compile_error")
                    .shows("environment variable `HOSTILE_GRADER_TOKEN` not defined at compile time")
                    .shows("couldn't read `<course>/solutions/basics/add.rs`: No such file"),
            )
            .expect(
                "server",
                expect("compile_error")
                    .shows("usage of `core::arch::global_asm`")
                    .shows("`-F unsafe-code`"),
            ),
        // Defence: programs under test get no /proc at all (the grader's environ, cmdline, cwd)
        // and no course folder.
        learner("leak_run")
            .file(ADD_RS, include_str!("hostile/leak_run_add.rs"))
            .file(LOGIC_RS, include_str!("hostile/leak_run_logic.rs"))
            .expect(
                "add",
                ran("leak_run").shows("PROC hidden").shows("COURSE hidden"),
            )
            .expect(
                "server",
                course_test_failed("server")
                    .ran("leak_run")
                    .shows("PROC hidden"),
            ),
        // Defence that holds first: no programs in the run sandbox (`setsid`/`sh` cannot be
        // spawned); behind it (see `own_tools`), PID namespace + supervisor. Reports are on
        // paths no learner process can reach.
        learner("rewriter")
            .file(ADD_RS, include_str!("hostile/rewriter_add.rs"))
            .expect("add", ran("rewriter").shows(NO_PROGRAMS)),
        // Defence: no /proc (the grader's cwd and command line), course and learner trees not
        // mounted, private /tmp and /dev/shm.
        learner("vandal")
            .file(ADD_RS, include_str!("hostile/vandal_add.rs"))
            .expect(
                "add",
                ran("vandal")
                    .shows("PROC hidden")
                    .shows("HIDDEN <course>/solutions/basics/add.rs")
                    .shows("HIDDEN @WORK@/cohort/zz_honest/exercises/basics/add.rs")
                    .hides("WROTE")
                    .hides("READ-ONLY"),
            ),
        // Defence that holds first: no programs in the run sandbox (the poller is a shell);
        // other learners' sandboxes are invisible anyway.
        learner("sandbox_tamper")
            .file(ADD_RS, include_str!("hostile/sandbox_tamper_add.rs"))
            .expect("add", ran("sandbox_tamper").shows(NO_PROGRAMS)),
        // Defence: the course is not mounted (its path, if made, is in the private /tmp) and
        // nothing above the sandbox is writable (cargo reads every `.cargo/config.toml` above
        // its working folder); the host is checked for the config afterwards.
        learner("cargo_config")
            .file(ADD_RS, include_str!("hostile/cargo_config_add.rs"))
            .expect("add", ran("cargo_config").shows("COURSE hidden")),
        // Defence that holds first: no `kill` program in the run sandbox; the PID namespace
        // behind it is reached by `own_tools`.
        learner("sigstop")
            .file(ADD_RS, include_str!("hostile/sigstop_add.rs"))
            .expect("add", ran("sigstop").shows("KILL failed")),
        learner("sigkill")
            .file(ADD_RS, include_str!("hostile/sigkill_add.rs"))
            .expect("add", ran("sigkill").shows("KILL failed")),
        // Defence: no /proc (the grader's cwd) and no course folder: no lock file to find; no
        // `setsid` or `flock` to run either.
        learner("build_lock")
            .file(ADD_RS, include_str!("hostile/build_lock_add.rs"))
            .expect(
                "add",
                ran("build_lock")
                    .shows("PROC hidden")
                    .shows("COURSE hidden")
                    .hides("LOCKING"),
            ),
        // Defence that holds first: no programs in the run sandbox; the process limit and the
        // supervisor behind it are reached by `own_tools`.
        learner("fork_bomb")
            .file(ADD_RS, include_str!("hostile/fork_bomb_add.rs"))
            .expect("add", ran("fork_bomb").shows(NO_PROGRAMS)),
        // Brings its own shell and tools (copied in at build time) to reach the layers behind
        // "no programs": PID namespace, supervisor, process limit.
        learner("own_tools")
            .file(ADD_RS, include_str!("hostile/own_tools_add.rs"))
            .expect(
                "add",
                ran("own_tools")
                    .shows("TOOLS run: sh exited with exit status: 7")
                    .shows("PARENT 1\n")
                    .shows("SURVIVOR spawned: true")
                    .shows("FLOOD stopped after"),
            ),
        // Defence: programs under test see neither the toolchain nor cargo's registry (builds
        // see them read-only), and no /proc (their capabilities cannot even be read).
        learner("toolchain")
            .file(ADD_RS, include_str!("hostile/toolchain_add.rs"))
            .expect(
                "add",
                ran("toolchain")
                    .shows(format!("HIDDEN {}", redacted(&format!("{}/lib/rustlib", sysroot()))))
                    .shows(format!("HIDDEN {}", redacted(&format!("{}/registry/src", cargo_home()))))
                    .shows("PROC hidden")
                    .hides("writable"),
            ),
        // Defence: network namespace.
        learner("network")
            .file(ADD_RS, include_str!("hostile/network_add.rs"))
            .expect("add", ran("network").shows("NETWORK false")),
        // Defence: time and memory limits at build time (`--timeout` or a build limit applies
        // to the compiler too).
        learner("compile_bombs")
            .file(ADD_RS, include_str!("hostile/const_loop_add.rs"))
            .file(GREET_RS, include_str!("hostile/dev_zero_greet.rs"))
            .file(LOGIC_RS, include_str!("hostile/huge_const_logic.rs"))
            .expect("add", expect("compile_error").reason("build_timed_out"))
            .expect(
                "greet",
                expect("compile_error")
                    .reason("build_timed_out")
                    .shows("couldn't read `/dev/zero`: out of memory"),
            )
            .expect(
                "server",
                expect("compile_error")
                    .reason("build_timed_out")
                    .shows("tried to allocate more memory than available to compiler"),
            ),
        honest(),
    ]);
    let course_before = tree_hashes(scene.course.root(), &["target"]);
    let cohort_before = tree_hashes(&scene.path("cohort"), &[]);
    let graded = scene.grade();
    inspect(
        &scene,
        &graded,
        &course_before,
        &cohort_before,
        Some("bubblewrap"),
    )
    .assert_none("sandboxed cohort");
}
