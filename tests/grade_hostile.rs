//! `backendlings grade` against a hostile cohort (issue 9): every learner but one attacks the
//! grader instead of solving the exercises. The specification of what grading guarantees:
//!
//! - each attacker earns nothing it did not solve (no attacker solves anything: its score is 0);
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
//! The attack sources are in `tests/hostile/` (see its README); each learner below names the
//! defence it relies on.
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

const ADD: &str =
    "fn add(a: i32, b: i32) -> i32 {\n    let _ = (a, b);\n    0\n}\n\nfn main() {}\n";
const ADD_TESTS: &str = "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(2, 3), 5);\n    }\n}\n";
const SOLVED_ADD: &str = "fn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n\nfn main() {}\n";
const GREET: &str = "fn main() {\n    std::process::exit(1);\n}\n";
const SOLVED_GREET: &str = "fn main() {\n    println!(\"hi\");\n}\n";
const SERVER_MAIN: &str = "mod logic;\n#[cfg(test)]\nmod tests;\n\nfn main() {\n    println!(\"{}\", logic::double(1));\n}\n";
const LOGIC: &str = "pub fn double(x: i32) -> i32 {\n    x\n}\n";
const SOLVED_LOGIC: &str = "pub fn double(x: i32) -> i32 {\n    x * 2\n}\n";
const SERVER_TESTS: &str =
    "use super::logic::double;\n\n#[test]\nfn doubles() {\n    assert_eq!(double(4), 8);\n}\n";

const ADD_RS: &str = "exercises/basics/add.rs";
const GREET_RS: &str = "exercises/basics/greet.rs";
const MAIN_RS: &str = "exercises/more/server/main.rs";
const LOGIC_RS: &str = "exercises/more/server/logic.rs";

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

/// One learner of the cohort: the course's unsolved exercises with `files` replaced.
struct Learner {
    name: &'static str,
    /// (path in the learner tree, source with placeholders)
    files: Vec<(&'static str, &'static str)>,
}

fn learner(name: &'static str, files: &[(&'static str, &'static str)]) -> Learner {
    Learner {
        name,
        files: files.to_vec(),
    }
}

/// The honest learner, named to be graded last: any damage done by an attacker shows here.
fn honest() -> Learner {
    learner(
        "zz_honest",
        &[
            (ADD_RS, SOLVED_ADD),
            (GREET_RS, SOLVED_GREET),
            (LOGIC_RS, SOLVED_LOGIC),
        ],
    )
}

/// A cohort, a listener standing for the network, and a scratch folder, for one grade run.
struct Scene {
    course: TestCourse,
    work: tempfile::TempDir,
    names: Vec<String>,
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
            names: Vec::new(),
            marker,
            port,
            connected,
        };
        let only = std::env::var("HOSTILE_ONLY").ok();
        for learner in learners {
            let chosen = only.as_deref().is_none_or(|only| {
                learner.name == "zz_honest" || only.split(',').any(|n| n.trim() == learner.name)
            });
            if chosen {
                scene.add(&learner);
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

    fn add(&mut self, learner: &Learner) {
        let dir = self.path("cohort").join(learner.name);
        copy_dir(&self.course.path("exercises"), &dir.join("exercises"));
        for (rel, source) in &learner.files {
            fs::write(dir.join(rel), self.fill(source)).unwrap();
        }
        self.names.push(learner.name.to_string());
    }

    fn attackers(&self) -> impl Iterator<Item = &String> {
        self.names.iter().filter(|n| n.as_str() != "zz_honest")
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
    findings.check(graded.status.is_none_or(|s| s.code() == Some(0)), || {
        format!("the grader did not exit 0; {run}")
    });
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
        findings.check(rows == scene.names.len(), || {
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
    findings.check(learners.len() == scene.names.len(), || {
        format!(
            "{} learners in the report, {} in the cohort",
            learners.len(),
            scene.names.len()
        )
    });
    match find("zz_honest") {
        Some(honest) => findings.check(honest["score"] == 6 && honest["percent"] == 100.0, || {
            format!("the honest learner lost marks: {honest}")
        }),
        None => findings
            .0
            .push("the honest learner is not in the report".into()),
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
    for name in scene.attackers() {
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
            findings.check(suites == scene.names.len(), || {
                format!("{suites} JUnit suites for {} learners", scene.names.len())
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
    findings.check(rows.len() == scene.names.len(), || {
        format!("{} CSV rows for {} learners", rows.len(), scene.names.len())
    });
    for row in &rows {
        let name = row.get(0).unwrap_or("");
        findings.check(!name.starts_with(['=', '+', '-', '@', '\t', '\r']), || {
            format!("CSV cell {name:?} would run as a formula")
        });
        let percent = row.iter().next_back().unwrap_or("");
        let expected = if name == "zz_honest" {
            "100.00"
        } else {
            "0.00"
        };
        findings.check(percent == expected, || {
            format!("CSV row {name:?} says {percent}%")
        });
    }
    // HTML: every learner's row, escaped.
    let html = fs::read_to_string(reports.join("r.html")).unwrap_or_default();
    for name in &scene.names {
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

/// Attacks on the verdict: learner code that makes the test binary claim success. Harmless to
/// the machine (they only print and exit), so this runs with or without a sandbox.
#[test]
fn forged_verdicts_earn_nothing() {
    let scene = Scene::new(vec![
        // Defence: crate-level inner attributes in learner files are rejected (rule book), and
        // the passed count must equal the canonical count from `--list` (0 != 1).
        learner(
            "cfg_not_test",
            &[
                (ADD_RS, include_str!("hostile/cfg_not_test_add.rs")),
                (MAIN_RS, include_str!("hostile/cfg_not_test_main.rs")),
            ],
        ),
        // Defence: `forbid_unsafe = true` (`#![forbid(unsafe_code)]` on graded code rejects
        // `#[unsafe(link_section)]` and `#[unsafe(no_mangle)]`), and `#![no_main]` as a
        // crate-level inner attribute.
        learner(
            "ctor_no_main",
            &[
                (ADD_RS, include_str!("hostile/ctor_add.rs")),
                (MAIN_RS, include_str!("hostile/no_main_main.rs")),
            ],
        ),
        // Defence: a summary is only trusted from libtest itself, not from learner code writing
        // to fd 1 before `process::exit(0)` (the forged count matches the canonical count, so
        // the count rule alone does not stop these).
        learner(
            "panic_exit",
            &[
                (ADD_RS, include_str!("hostile/panic_hook_add.rs")),
                (LOGIC_RS, include_str!("hostile/print_exit_logic.rs")),
            ],
        ),
        // Defence: the exercise's contract (grade/contract.rs): shipped signatures stay.
        learner(
            "always_eq",
            &[(ADD_RS, include_str!("hostile/always_eq_add.rs"))],
        ),
        // Defence: reports strip what XML forbids, guard CSV formulas, escape HTML and the
        // terminal roster. The folder name itself is the attack.
        learner(
            "=HYPERLINK(\"x\")\u{FFFF}\nzz_honest    6    100.00%  forged\n\u{1b}[2J<b>'\r",
            &[(ADD_RS, include_str!("hostile/junk_output_add.rs"))],
        ),
        honest(),
    ]);
    let course_before = tree_hashes(scene.course.root(), &["target"]);
    let cohort_before = tree_hashes(&scene.path("cohort"), &[]);
    let graded = scene.grade();
    inspect(&scene, &graded, &course_before, &cohort_before, None).assert_none("verdicts");
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
    let scene = Scene::new(vec![
        // Defence: the sandbox shows the compiler only the learner's sources and read-only
        // dependencies: no course folder (`include!`, `#[path]`), no other learner.
        learner(
            "copy_solutions",
            &[
                (ADD_RS, include_str!("hostile/copy_solutions_add.rs")),
                (GREET_RS, include_str!("hostile/copy_classmate_greet.rs")),
                (MAIN_RS, include_str!("hostile/copy_solutions_main.rs")),
            ],
        ),
        // Defence: clean environment for builds (`env!`, `option_env!`), no course folder at
        // compile time (`include_str!`, `global_asm!(".incbin")`; `forbid_unsafe` may also
        // reject `global_asm!`).
        learner(
            "leak_build",
            &[
                (ADD_RS, include_str!("hostile/leak_build_add.rs")),
                (LOGIC_RS, include_str!("hostile/leak_build_logic.rs")),
            ],
        ),
        // Defence: PID namespace (no grader in /proc), no course folder at run time.
        learner(
            "leak_run",
            &[
                (ADD_RS, include_str!("hostile/leak_run_add.rs")),
                (LOGIC_RS, include_str!("hostile/leak_run_logic.rs")),
            ],
        ),
        // Defence: PID namespace + supervisor (the `setsid` child dies with the sandbox);
        // reports on paths no learner process can reach, written after they are all gone.
        learner(
            "rewriter",
            &[(ADD_RS, include_str!("hostile/rewriter_add.rs"))],
        ),
        // Defence: course and learner trees not mounted (or read-only), private /tmp and
        // /dev/shm.
        learner("vandal", &[(ADD_RS, include_str!("hostile/vandal_add.rs"))]),
        // Defence: other learners' sandboxes are invisible; the poller dies with its sandbox.
        learner(
            "sandbox_tamper",
            &[(ADD_RS, include_str!("hostile/sandbox_tamper_add.rs"))],
        ),
        // Defence: nothing above a sandbox is writable from it (cargo reads every
        // `.cargo/config.toml` above its working folder).
        learner(
            "cargo_config",
            &[(ADD_RS, include_str!("hostile/cargo_config_add.rs"))],
        ),
        // Defence: PID namespace: the grader cannot be signalled.
        learner(
            "sigstop",
            &[(ADD_RS, include_str!("hostile/sigstop_add.rs"))],
        ),
        learner(
            "sigkill",
            &[(ADD_RS, include_str!("hostile/sigkill_add.rs"))],
        ),
        // Defence: the shared build folder is read-only (or absent) in the sandbox, and the
        // holder dies with it.
        learner(
            "build_lock",
            &[(ADD_RS, include_str!("hostile/build_lock_add.rs"))],
        ),
        // Defence: a process limit per learner, and the supervisor kills the whole sandbox.
        learner(
            "fork_bomb",
            &[(ADD_RS, include_str!("hostile/fork_bomb_add.rs"))],
        ),
        // Defence: the toolchain and cargo's registry are mounted read-only, and learner code
        // holds no capabilities (the grader may run as root, as it does on our machines).
        learner(
            "toolchain",
            &[(ADD_RS, include_str!("hostile/toolchain_add.rs"))],
        ),
        // Defence: network namespace.
        learner(
            "network",
            &[(ADD_RS, include_str!("hostile/network_add.rs"))],
        ),
        // Defence: time and memory limits at build time (`--timeout` or a build limit applies
        // to the compiler too).
        learner(
            "compile_bombs",
            &[
                (ADD_RS, include_str!("hostile/const_loop_add.rs")),
                (GREET_RS, include_str!("hostile/dev_zero_greet.rs")),
                (LOGIC_RS, include_str!("hostile/huge_const_logic.rs")),
            ],
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
