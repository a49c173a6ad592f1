//! `backendlings grade` under each isolation (issue 25, issue 19 item 5): a hostile cohort graded
//! under `uid` isolation (learner builds and programs under users of their own, no namespaces:
//! what a Docker container or Gradescope allows) and under bubblewrap, as root.
//!
//! Each attacker asserts the defence that stopped it and a marker proving the attack ran:
//!
//! | learner | source | attack | defence (uid / bubblewrap) |
//! | --- | --- | --- | --- |
//! | forge | forge_folders_add.rs | writes the course's build folder, `info.toml`, the report, and in its own sandbox the sources and executables still to be built and run | permissions: the run user owns only its private folder / nothing mounted |
//! | shadow | host_secrets_add.rs | `include_str!("/etc/shadow")` printed from a failing test | the build user cannot read it / `/etc` is not mounted |
//! | host_paths | host_paths_add.rs | the build's mount table and the program's environment printed | host paths redacted from reports |
//! | cfg_not_test, process_ender, vandal, rewriter, copy_solutions, leak_run | `tests/hostile/` of issue 9 | see `tests/hostile/README.md` | same rules; separate users instead of namespaces |
//!
//! These tests need root (the grader switches users); under `CI=true` they fail instead of
//! skipping. The toolchain must be readable by every user: a hard-linked copy of this machine's
//! is made in `/var/tmp` (root's `~/.rustup` is private).
#![cfg(target_os = "linux")]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use common::{BIN, Opts, TestCourse};
use serde_json::Value;

const ENV_SECRET: &str = "tok-7b1c0e5a92d4";
const ADD_SECRET: &str = "SOLUTION-TOKEN-add-51d0c3e8";

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

/// The learner users of these tests, one range per test (they run in parallel): clear of the
/// grader's default (65000) and of each other.
const UID_TEST_UIDS: u32 = 64100;
const BUBBLEWRAP_TEST_UIDS: u32 = 64200;

/// Root, or a skip; under CI the tests must run.
fn as_root() -> bool {
    if nix::unistd::geteuid().is_root() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI runs as root: the isolation tests must run there"
    );
    eprintln!("skipped: the isolation tests need root");
    false
}

/// This machine's toolchain where every user can read it, and an empty cargo home beside it (the
/// test course has no dependencies): hard links, made once per machine and toolchain.
fn readable_toolchain() -> (PathBuf, PathBuf) {
    static MADE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    MADE.get_or_init(|| {
        let output = Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()
            .unwrap();
        let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        let version = Command::new("rustc").arg("-vV").output().unwrap().stdout;
        let key = blake3::hash(&[sysroot.as_os_str().as_encoded_bytes(), &version].concat())
            .to_hex()[..12]
            .to_string();
        let base = PathBuf::from(format!("/var/tmp/backendlings-test-toolchain-{key}"));
        if !base.join("toolchain/bin/cargo").is_file() {
            let partial = base.with_extension(format!("{}", std::process::id()));
            let _ = fs::remove_dir_all(&partial);
            fs::create_dir_all(&partial).unwrap();
            let linked = Command::new("cp")
                .arg("-al")
                .arg(&sysroot)
                .arg(partial.join("toolchain"))
                .status()
                .unwrap();
            assert!(
                linked.success(),
                "cannot hard-link the toolchain into /var/tmp"
            );
            fs::create_dir_all(partial.join("cargo-home")).unwrap();
            for dir in [&partial, &partial.join("toolchain")] {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).unwrap();
            }
            // Another test process may have won the race: then its copy is used.
            if fs::rename(&partial, &base).is_err() {
                let _ = fs::remove_dir_all(&partial);
            }
        }
        (base.join("toolchain/bin"), base.join("cargo-home"))
    })
    .clone()
}

/// The test course of issue 9's hostile cohort: `add` (2 points, tests), `greet` (main), and the
/// folder exercise `server` (3 points); solutions hold a secret; `unsafe` is forbidden.
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
    let info = course.read("info.toml").replacen(
        "format_version = 1\n",
        "format_version = 1\nforbid_unsafe = true\n",
        1,
    );
    course.write("info.toml", &info);
    course
}

struct Scene {
    course: TestCourse,
    work: tempfile::TempDir,
    marker: String,
}

impl Scene {
    fn new(learners: &[(&str, &[(&str, &str)])]) -> Scene {
        let scene = Scene {
            course: course(),
            work: tempfile::tempdir().unwrap(),
            marker: format!("isolation-marker-{}", std::process::id()),
        };
        for dir in ["cohort", "reports"] {
            fs::create_dir_all(scene.work.path().join(dir)).unwrap();
        }
        // As setup.sh leaves it: the course (and so its solutions) is the grader's alone; and,
        // as `grade` requires under separate users, so is the cohort.
        fs::set_permissions(scene.course.root(), fs::Permissions::from_mode(0o700)).unwrap();
        fs::set_permissions(
            scene.work.path().join("cohort"),
            fs::Permissions::from_mode(0o700),
        )
        .unwrap();
        for (name, files) in learners {
            let dir = scene.work.path().join("cohort").join(name);
            copy_dir(&scene.course.path("exercises"), &dir.join("exercises"));
            for (rel, source) in *files {
                fs::write(dir.join(rel), scene.fill(source)).unwrap();
            }
        }
        scene
    }

    fn fill(&self, source: &str) -> String {
        source
            .replace("@COURSE@", &self.course.root().display().to_string())
            .replace("@WORK@", &self.work.path().display().to_string())
            .replace("@MARKER@", &self.marker)
            .replace("@PORT@", "9")
            .replace("@SYSROOT@", "/nonexistent")
            .replace("@CARGO_HOME@", "/nonexistent")
    }

    /// Grades the cohort as root with `isolation`, every report written; the reports' text.
    fn grade(&self, isolation: &str, uids: u32) -> (Output, Value, String) {
        let (bin, cargo_home) = readable_toolchain();
        let reports = self.work.path().join("reports");
        let report = |name: &str| reports.join(name).display().to_string();
        let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
        let output = Command::new(BIN)
            .args(["grade", "--cohort"])
            .arg(self.work.path().join("cohort"))
            .args(["--isolation", isolation, "--require-sandbox=uid"])
            .args(["--learner-uid", &uids.to_string(), "--jobs", "2"])
            .args(["--timeout", "10", "--build-timeout", "120"])
            .args(["--json", &report("r.json"), "--junit", &report("r.xml")])
            .args(["--html", &report("r.html"), "--csv", &report("r.csv")])
            .current_dir(self.course.root())
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.work.path())
            .env("CARGO_HOME", cargo_home)
            .env("NO_COLOR", "1")
            .env("HOSTILE_GRADER_TOKEN", ENV_SECRET)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let json: Value =
            serde_json::from_str(&fs::read_to_string(reports.join("r.json")).unwrap_or_default())
                .unwrap_or_else(|_| {
                    panic!(
                        "no JSON report: {}",
                        String::from_utf8_lossy(&output.stderr)
                    )
                });
        let all = ["r.json", "r.xml", "r.html", "r.csv"]
            .iter()
            .map(|name| fs::read_to_string(reports.join(name)).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        (output, json, all)
    }
}

fn learner<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == name)
        .unwrap_or_else(|| panic!("{name} was not graded"))
}

fn exercise<'a>(json: &'a Value, name: &str, exercise: &str) -> &'a Value {
    learner(json, name)["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == exercise)
        .unwrap()
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

fn hashes(dir: &Path) -> BTreeMap<PathBuf, blake3::Hash> {
    walk(dir)
        .into_iter()
        .filter(|p| !p.starts_with(dir.join("target")))
        .map(|p| (p.clone(), blake3::hash(&fs::read(&p).unwrap_or_default())))
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.file_type().unwrap().is_dir() {
            files.extend(walk(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files
}

/// Processes of the learner users still alive (zombies are dead: killed, not yet reaped by
/// whoever adopted them).
fn learner_processes(uids: u32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(status) = fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next()?.parse::<u32>().ok());
        let zombie = status
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'));
        if !zombie && uid.is_some_and(|uid| (uids..uids + 4).contains(&uid)) {
            let state = status
                .lines()
                .find(|l| l.starts_with("State:"))
                .unwrap_or("");
            let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
            found.push(format!(
                "{:?} uid {uid:?} {state} {}",
                entry.file_name(),
                String::from_utf8_lossy(&cmdline).replace('\0', " ")
            ));
        }
    }
    found
}

/// Lines of the host's `/etc/shadow` with a password field, which no report may hold.
fn shadow_lines() -> Vec<String> {
    fs::read_to_string("/etc/shadow")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split(':').nth(1).is_some_and(|p| p.len() > 2))
        .map(String::from)
        .collect()
}

fn hostile_cohort() -> Vec<(&'static str, &'static [(&'static str, &'static str)])> {
    vec![
        (
            "forge",
            &[(ADD_RS, include_str!("hostile/forge_folders_add.rs"))],
        ),
        (
            "shadow",
            &[(ADD_RS, include_str!("hostile/host_secrets_add.rs"))],
        ),
        (
            "host_paths",
            &[(ADD_RS, include_str!("hostile/host_paths_add.rs"))],
        ),
        (
            "cfg_not_test",
            &[
                (ADD_RS, include_str!("hostile/cfg_not_test_add.rs")),
                (MAIN_RS, include_str!("hostile/cfg_not_test_main.rs")),
            ],
        ),
        (
            "process_ender",
            &[
                (ADD_RS, include_str!("hostile/ender_hook_add.rs")),
                (LOGIC_RS, include_str!("hostile/ender_exit_logic.rs")),
            ],
        ),
        ("vandal", &[(ADD_RS, include_str!("hostile/vandal_add.rs"))]),
        (
            "rewriter",
            &[(ADD_RS, include_str!("hostile/rewriter_add.rs"))],
        ),
        (
            "copy_solutions",
            &[(ADD_RS, include_str!("hostile/copy_solutions_add.rs"))],
        ),
        (
            "leak_run",
            &[
                (ADD_RS, include_str!("hostile/leak_run_add.rs")),
                (LOGIC_RS, include_str!("hostile/leak_run_logic.rs")),
            ],
        ),
        ("untouched", &[]),
        (
            "zz_honest",
            &[
                (ADD_RS, SOLVED_ADD),
                (GREET_RS, SOLVED_GREET),
                (LOGIC_RS, SOLVED_LOGIC),
            ],
        ),
    ]
}

/// Everything every isolation must guarantee of this cohort, with `isolation` reported.
fn assert_cohort_earns_nothing(isolation: &str, uids: u32, refused: &str) {
    let scene = Scene::new(&hostile_cohort());
    let course_before = hashes(scene.course.root());
    let (output, json, reports) = scene.grade(isolation, uids);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "grade failed: {stderr}");
    assert_eq!(json["isolation"], isolation, "{stderr}");

    // The honest learner keeps full marks; every attacker earns nothing.
    assert_eq!(learner(&json, "zz_honest")["score"], 6, "{stderr}");
    for attacker in json["learners"].as_array().unwrap() {
        if attacker["name"] != "zz_honest" {
            assert_eq!(attacker["score"], 0, "{} scored", attacker["name"]);
        }
    }

    // forge: it ran (one line per write), and not one write went through.
    let forge = exercise(&json, "forge", "add")["output"].as_str().unwrap();
    assert!(forge.matches("ATTACK-RAN write").count() >= 5, "{forge}");
    assert!(
        !forge.contains("WRITTEN"),
        "a forged write went through:\n{forge}"
    );
    assert!(forge.contains(refused), "{forge}");
    assert!(
        !scene
            .course
            .path("target/backendlings/grade-build/FORGED")
            .exists()
    );

    // shadow: the compiler tried to read the file, and could not.
    let shadow = exercise(&json, "shadow", "add");
    assert_eq!(shadow["status"], "compile_error");
    let shadow_output = shadow["output"].as_str().unwrap();
    assert!(
        shadow_output.contains("couldn't read `/etc/shadow`"),
        "{shadow_output}"
    );

    // host_paths: it printed its mounts and environment; no host path of the grader is left.
    let paths = exercise(&json, "host_paths", "add")["output"]
        .as_str()
        .unwrap();
    assert!(paths.contains("ATTACK-RAN env HOME="), "{paths}");
    for host in [
        scene.course.root().display().to_string(),
        "backendlings-grade-".to_string(),
    ] {
        assert!(!reports.contains(&host), "a report names {host}");
    }

    // No secret reaches a report; the course is untouched; nothing of the learners survives.
    for secret in [ENV_SECRET, ADD_SECRET]
        .iter()
        .map(|s| s.to_string())
        .chain(shadow_lines())
    {
        assert!(
            !reports.contains(&secret),
            "a report holds a secret: {secret}"
        );
    }
    assert_eq!(
        hashes(scene.course.root()),
        course_before,
        "the course changed"
    );
    assert_eq!(
        learner_processes(uids),
        Vec::<String>::new(),
        "learner processes outlived grading"
    );
}

#[test]
fn under_uid_isolation_a_hostile_cohort_earns_nothing() {
    if !as_root() {
        return;
    }
    assert_cohort_earns_nothing("uid", UID_TEST_UIDS, "PermissionDenied");
}

#[test]
fn under_bubblewrap_run_as_learner_users_a_hostile_cohort_earns_nothing() {
    if !as_root() {
        return;
    }
    let works = Command::new("bwrap")
        .args(["--unshare-user", "--ro-bind", "/", "/", "true"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "bubblewrap does not work on this CI machine: the sandbox must be tested here"
        );
        eprintln!("skipped: bubblewrap cannot run here");
        return;
    }
    assert_cohort_earns_nothing("bubblewrap", BUBBLEWRAP_TEST_UIDS, "NotFound");
}

/// Grades `scene`'s cohort under `--require-sandbox=uid` and checks that `grade` refuses to
/// start, saying `why` and how to make the folder private.
fn assert_uid_refused(scene: &Scene, why: &str) {
    let (bin, cargo_home) = readable_toolchain();
    let output = Command::new(BIN)
        .args(["grade", "--cohort"])
        .arg(scene.work.path().join("cohort"))
        .args(["--isolation", "uid", "--require-sandbox=uid"])
        .current_dir(scene.course.root())
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("CARGO_HOME", cargo_home)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains(why), "{stderr}");
    assert!(stderr.contains("chmod -R go-rwx"), "{stderr}");
}

#[test]
fn uid_isolation_refuses_solutions_every_user_can_read() {
    if !as_root() {
        return;
    }
    let scene = Scene::new(&[("untouched", &[])]);
    fs::create_dir_all(scene.course.path("solutions")).unwrap();
    // The course's folder readable by all: its solutions would be readable by learner code.
    fs::set_permissions(scene.course.root(), fs::Permissions::from_mode(0o755)).unwrap();
    assert_uid_refused(&scene, "every user can enter the course folder");
}

#[test]
fn uid_isolation_refuses_a_cohort_every_user_can_enter() {
    if !as_root() {
        return;
    }
    // Red team round 2: learner code under a learner user read a classmate's tree.
    let scene = Scene::new(&[("untouched", &[]), ("other", &[])]);
    fs::create_dir_all(scene.course.path("solutions")).unwrap();
    fs::set_permissions(
        scene.work.path().join("cohort"),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_uid_refused(&scene, "every user can enter the learner folder");
}
