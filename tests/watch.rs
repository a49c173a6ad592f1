//! Watch mode through a pseudo-terminal: the real binary on tiny courses, its screen parsed by
//! a terminal emulator (vt100), driven by file saves and key presses.
// Unix only: the runner is driven through a Unix pseudo-terminal by its device name.
#![cfg(unix)]

mod common;

use std::fs;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::{BIN, Opts, TestCourse, python_here, test_source};
use portable_pty::{CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};

/// Generous: the first check of a course compiles its exercises from scratch.
const PATIENCE: Duration = Duration::from_secs(180);

/// `backendlings` running in a pseudo-terminal, with an emulated screen.
struct Watch {
    master: Box<dyn MasterPty + Send>,
    /// Kept open so the terminal's mode can be read after the runner exits.
    _slave: Box<dyn SlavePty + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// Watch mode's event log (`BACKENDLINGS_WATCH_LOG`): a line per check started and ended.
    log: PathBuf,
    _log_dir: tempfile::TempDir,
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

impl Watch {
    fn start(course: &TestCourse, args: &[&str], cols: u16, rows: u16) -> Watch {
        Watch::start_in(course.root(), args, cols, rows)
    }

    /// Starts the runner with `cwd` as its current folder.
    fn start_in(cwd: &Path, args: &[&str], cols: u16, rows: u16) -> Watch {
        Watch::start_with(cwd, args, cols, rows, &[])
    }

    /// Starts the runner with `cwd` as its current folder and `env` set.
    fn start_with(cwd: &Path, args: &[&str], cols: u16, rows: u16, env: &[(&str, &Path)]) -> Watch {
        let pair = native_pty_system().openpty(size(cols, rows)).unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.cwd(cwd);
        let log_dir = tempfile::tempdir().unwrap();
        let log = log_dir.path().join("watch.log");
        cmd.env("BACKENDLINGS_WATCH_LOG", &log);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            nonzero(rows),
            nonzero(cols),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (screen2, raw2) = (Arc::clone(&screen), Arc::clone(&raw));
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                screen2.lock().unwrap().process(&buf[..n]);
                raw2.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Watch {
            master: pair.master,
            _slave: pair.slave,
            child,
            writer,
            screen,
            raw,
            log,
            _log_dir: log_dir,
        }
    }

    /// The checks that ended so far, as the event log says: `ended JOB; next: ...`.
    fn ended(&self) -> Vec<String> {
        fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with("ended"))
            .map(str::to_string)
            .collect()
    }

    /// Waits until `count` checks ended, the last with nothing queued and no save waiting:
    /// watch mode is idle, so no further check can come from what happened so far.
    fn wait_idle_after(&self, count: usize) -> Vec<String> {
        let start = Instant::now();
        loop {
            let ended = self.ended();
            if ended.len() >= count
                && ended
                    .last()
                    .is_some_and(|l| l.ends_with("next: None; saves waiting: false"))
            {
                return ended;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "expected {count} checks and then idle, the log has {ended:?}; the screen shows:\n{}",
                self.contents()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows every one of `texts`; returns the screen.
    fn wait_for(&mut self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let contents = self.contents();
            if texts.iter().all(|t| contents.contains(t)) {
                return contents;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the runner exited ({status:?}) while waiting for {texts:?}:\n{contents}");
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {texts:?}; the screen shows:\n{contents}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.screen
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        self.master.resize(size(cols, rows)).unwrap();
    }

    /// Waits for the runner to exit; returns its exit code.
    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader take in the last bytes.
                thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the runner did not exit:\n{}",
                self.contents()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Checks that the runner left the terminal as it found it: cooked mode, main screen,
    /// cursor visible.
    fn assert_terminal_restored(&self) {
        let tty = self.master.tty_name().expect("pty name");
        let stty = Command::new("stty")
            .arg("-F")
            .arg(&tty)
            .arg("-a")
            .output()
            .expect("stty");
        assert!(stty.status.success(), "{stty:?}");
        let modes = String::from_utf8_lossy(&stty.stdout);
        let words: Vec<&str> = modes.split_whitespace().collect();
        assert!(words.contains(&"icanon"), "still in raw mode: {modes}");
        assert!(words.contains(&"echo"), "echo is off: {modes}");
        let parser = self.screen.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "the cursor is still hidden");
        let raw = self.raw.lock().unwrap();
        let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(64)..]).into_owned();
        assert!(tail.contains("\x1b[?1049l"), "{tail:?}");
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Saves like vim and JetBrains do: a temporary file in the same folder, renamed over.
fn rename_save(path: &Path, content: &str) {
    let tmp = path.with_extension("rs___jb_tmp___");
    fs::write(&tmp, content).unwrap();
    fs::rename(&tmp, path).unwrap();
}

fn git_commit(root: &Path) {
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "course",
        ],
    ] {
        let status = Command::new("git")
            .args(args)
            .current_dir(root)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }
}

fn two_exercise_course() -> TestCourse {
    TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "first",
            &test_source("1 + 1 == 3"),
            Some(&test_source("1 + 1 == 2")),
            Opts::default(),
        )
        .exercise(
            "basics",
            "second",
            &test_source("false"),
            None,
            Opts::default(),
        )
        .finish()
}

#[test]
fn a_learner_session_fix_hint_next_list_reset_quit_and_resume() {
    let course = two_exercise_course();
    git_commit(course.root());
    let first = course.path("exercises/basics/first.rs");
    let second = course.path("exercises/basics/second.rs");

    let mut watch = Watch::start(&course, &[], 100, 30);
    watch.wait_for(&["Welcome to the test course", "Press Enter"]);
    watch.keys("\r");
    let screen = watch.wait_for(&["✗ first: tests failed", "Basics 0/2"]);
    assert!(screen.contains("Current exercise: exercises/basics/first.rs"));
    assert!(screen.contains("h hint") && screen.contains("q quit"));

    // The hint helps while the exercise fails; a pass clears it.
    watch.keys("h");
    watch.wait_for(&["A hint for first."]);

    // A broken save in place, then a fixed one saved by renaming a temporary file over it.
    fs::write(&first, "fn main() {\n").unwrap();
    watch.wait_for(&["✗ first: compile error"]);
    rename_save(&first, &test_source("1 + 1 == 2"));
    let screen = watch.wait_for(&["✓ first passed", "n next"]);
    assert!(!screen.contains("A hint for first."), "{screen}");
    assert!(screen.contains("solutions/basics/first.rs"), "{screen}");
    assert!(screen.contains("Basics 1/2"), "{screen}");

    watch.keys("h");
    watch.wait_for(&["A hint for first."]);

    watch.keys("n");
    watch.wait_for(&[
        "Current exercise: exercises/basics/second.rs",
        "✗ second: tests failed",
    ]);

    // Reset asks first; `y` restores the committed version.
    fs::write(&second, "fn main() {\n").unwrap();
    watch.wait_for(&["✗ second: compile error"]);
    watch.keys("x");
    watch.wait_for(&["to its original content?"]);
    watch.keys("y");
    watch.wait_for(&["✗ second: tests failed"]);
    assert_eq!(fs::read_to_string(&second).unwrap(), test_source("false"));

    // The list: move up to the first exercise and continue there.
    watch.keys("l");
    let screen = watch.wait_for(&["Exercises", "1/2 done"]);
    assert!(screen.contains("› ▶ second"), "{screen}");
    watch.keys("k");
    watch.wait_for(&["› ✓ first"]);
    watch.keys("\r");
    watch.wait_for(&[
        "Current exercise: exercises/basics/first.rs",
        "✓ first passed",
    ]);

    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
    watch.assert_terminal_restored();

    // Starting again: no welcome, and on at the first exercise not done.
    let mut again = Watch::start(&course, &["watch"], 100, 30);
    let screen = again.wait_for(&[
        "Current exercise: exercises/basics/second.rs",
        "second: tests failed",
    ]);
    assert!(!screen.contains("Welcome"), "{screen}");
    again.keys("\x03");
    assert_eq!(again.wait_exit(), 0);
    again.assert_terminal_restored();
}

/// An exercise whose test logs each run to `runs.log` and then takes a second.
fn slow_source(marker: usize) -> String {
    format!(
        "// save {marker}\nfn main() {{}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn slow() {{\n        use std::io::Write;\n        let mut log = std::fs::OpenOptions::new().create(true).append(true).open(\"runs.log\").unwrap();\n        writeln!(log, \"run {marker}\").unwrap();\n        std::thread::sleep(std::time::Duration::from_millis(1500));\n        assert!(false, \"not yet\");\n    }}\n}}\n"
    )
}

fn runs(log: &Path) -> Vec<String> {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn wait_runs(watch: &Watch, log: &Path, count: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let runs = runs(log);
        if runs.len() >= count {
            return runs;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "expected {count} runs, got {runs:?}; the screen shows:\n{}",
            watch.contents()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn saves_during_a_slow_check_queue_exactly_one_more_check() {
    let course = TestCourse::new()
        .section("slow", "Slow")
        .exercise(
            "slow",
            "sleepy",
            &slow_source(0),
            None,
            Opts {
                timeout_secs: Some(30),
                ..Opts::default()
            },
        )
        .finish();
    fs::create_dir_all(course.path(".backendlings")).unwrap();
    fs::write(
        course.path(".backendlings/state.json"),
        r#"{"version": 1, "welcome_shown": true}"#,
    )
    .unwrap();
    let file = course.path("exercises/slow/sleepy.rs");
    let log: PathBuf = course.path("runs.log");

    let mut watch = Watch::start(&course, &[], 100, 30);
    watch.wait_for(&["✗ sleepy: tests failed"]);
    assert_eq!(runs(&log), ["run 0"]);

    // Save 1 starts a check; saves 2 (in place) and 3 (renamed over) arrive while its test runs.
    fs::write(&file, slow_source(1)).unwrap();
    wait_runs(&watch, &log, 2);
    fs::write(&file, slow_source(2)).unwrap();
    thread::sleep(Duration::from_millis(200));
    rename_save(&file, &slow_source(3));
    let all = wait_runs(&watch, &log, 3);
    assert_eq!(all, ["run 0", "run 1", "run 3"]);
    // Nothing else is queued: watch is idle after the third check, which ran save 3.
    let ended = watch.wait_idle_after(3);
    assert_eq!(ended.len(), 3, "{ended:?}");
    assert_eq!(runs(&log).len(), 3, "{:?}", runs(&log));
    watch.wait_for(&["✗ sleepy: tests failed"]);

    // A burst of writes (an editor writing in several steps) is one check.
    let burst = slow_source(4);
    let (head, tail) = burst.split_at(burst.len() / 2);
    fs::write(&file, head).unwrap();
    let mut handle = fs::OpenOptions::new().append(true).open(&file).unwrap();
    handle.write_all(tail.as_bytes()).unwrap();
    drop(handle);
    wait_runs(&watch, &log, 4);
    let ended = watch.wait_idle_after(4);
    assert_eq!(ended.len(), 4, "{ended:?}");
    assert_eq!(runs(&log), ["run 0", "run 1", "run 3", "run 4"]);
    watch.wait_for(&["✗ sleepy: tests failed"]);

    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
    watch.assert_terminal_restored();
}

#[test]
fn manual_run_and_polling_and_tiny_terminals() {
    let course = two_exercise_course();
    fs::create_dir_all(course.path(".backendlings")).unwrap();
    fs::write(
        course.path(".backendlings/state.json"),
        r#"{"version": 1, "welcome_shown": true}"#,
    )
    .unwrap();
    let first = course.path("exercises/basics/first.rs");

    // --manual-run: a save is not noticed until `r`.
    let mut watch = Watch::start(&course, &["watch", "--manual-run"], 100, 30);
    watch.wait_for(&["✗ first: tests failed", "press r"]);
    fs::write(&first, test_source("2 + 2 == 4")).unwrap();
    thread::sleep(Duration::from_secs(1));
    assert!(watch.contents().contains("✗ first: tests failed"));
    watch.keys("r");
    watch.wait_for(&["✓ first passed"]);

    // Terminals of a few columns and resizes: no panic, and a full screen again afterwards.
    for (cols, rows) in [(3, 3), (1, 1), (2, 40), (20, 4)] {
        watch.resize(cols, rows);
        thread::sleep(Duration::from_millis(200));
    }
    watch.keys("l");
    thread::sleep(Duration::from_millis(200));
    watch.keys("j");
    watch.resize(100, 30);
    watch.wait_for(&["Exercises", "second"]);
    watch.keys("q");
    watch.wait_for(&["Current exercise: exercises/basics/first.rs"]);
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
    watch.assert_terminal_restored();

    // --poll: saves are noticed by polling.
    let mut watch = Watch::start(&course, &["watch", "--poll"], 100, 30);
    watch.wait_for(&["✗ second: tests failed"]);
    rename_save(
        &course.path("exercises/basics/second.rs"),
        &test_source("true"),
    );
    watch.wait_for(&["✓ second passed"]);
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
}

#[test]
fn without_a_terminal_it_points_to_run_and_verify() {
    let course = two_exercise_course();
    for args in [&[][..], &["watch"]] {
        let output = course.run(args);
        assert_eq!(output.status.code(), Some(2));
        let stderr = common::stderr(&output);
        assert!(stderr.contains("needs a terminal"), "{stderr}");
        assert!(
            stderr.contains("backendlings run") && stderr.contains("backendlings verify"),
            "{stderr}"
        );
    }
}

/// Watch mode keeps its progress in memory for hours; a `verify` run in another terminal
/// meanwhile must not be undone by watch's next save, nor watch's by verify's.
#[test]
fn watch_and_verify_together_keep_both_updates() {
    let course = TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "first",
            &test_source("false"),
            None,
            Opts::default(),
        )
        .exercise(
            "basics",
            "second",
            &test_source("true"),
            None,
            Opts::default(),
        )
        .exercise(
            "basics",
            "third",
            &test_source("false"),
            None,
            Opts::default(),
        )
        .finish();
    fs::create_dir_all(course.path(".backendlings")).unwrap();
    fs::write(
        course.path(".backendlings/state.json"),
        r#"{"version": 1, "welcome_shown": true}"#,
    )
    .unwrap();
    let mut watch = Watch::start(&course, &[], 100, 30);
    watch.wait_for(&["✗ first: tests failed", "Basics 0/3"]);

    // While watch runs, `third` is solved and `verify` records it and `second`.
    fs::write(
        course.path("exercises/basics/third.rs"),
        test_source("true"),
    )
    .unwrap();
    let output = course.run(&["verify"]);
    assert_eq!(output.status.code(), Some(1), "{}", common::text(&output));

    // Watch records `first`: its save keeps verify's updates.
    fs::write(
        course.path("exercises/basics/first.rs"),
        test_source("true"),
    )
    .unwrap();
    watch.wait_for(&["✓ first passed", "Basics 3/3"]);
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);

    let output = course.run(&["progress", "--json"]);
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(progress["done"], 3, "{}", common::text(&output));
}

/// File events name absolute paths: a course named relative to the current folder must still
/// see its saves.
#[test]
fn watch_with_a_relative_course_rechecks_on_save() {
    let course = two_exercise_course();
    fs::create_dir_all(course.path(".backendlings")).unwrap();
    fs::write(
        course.path(".backendlings/state.json"),
        r#"{"version": 1, "welcome_shown": true}"#,
    )
    .unwrap();
    let parent = course.root().parent().unwrap();
    let name = course.root().file_name().unwrap().to_str().unwrap();
    let relative = format!("./{name}");
    let mut watch = Watch::start_in(parent, &["--course", &relative, "watch"], 100, 30);
    watch.wait_for(&["✗ first: tests failed"]);
    fs::write(
        course.path("exercises/basics/first.rs"),
        test_source("1 + 1 == 2"),
    )
    .unwrap();
    watch.wait_for(&["✓ first passed"]);
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
}

/// A deleted exercise file is named, with the way back; `x` restores it.
#[test]
fn a_deleted_exercise_file_is_named_and_x_restores_it() {
    let course = two_exercise_course();
    git_commit(course.root());
    fs::create_dir_all(course.path(".backendlings")).unwrap();
    fs::write(
        course.path(".backendlings/state.json"),
        r#"{"version": 1, "welcome_shown": true}"#,
    )
    .unwrap();
    let first = course.path("exercises/basics/first.rs");
    let mut watch = Watch::start(&course, &[], 120, 30);
    watch.wait_for(&["✗ first: tests failed"]);
    fs::remove_file(&first).unwrap();
    let screen = watch.wait_for(&[
        "✗ first: missing",
        "exercises/basics/first.rs is missing",
        "Press x",
    ]);
    assert!(!screen.contains("target/"), "{screen}");
    watch.keys("x");
    watch.wait_for(&["to its original content?"]);
    watch.keys("y");
    watch.wait_for(&["✗ first: tests failed"]);
    assert_eq!(
        fs::read_to_string(&first).unwrap(),
        test_source("1 + 1 == 3")
    );
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
}

/// Editing an exercise already done re-checks it: watch's progress stays what `run` and
/// `progress` say.
#[test]
fn an_edit_to_a_done_exercise_is_checked_and_counted() {
    let course = TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "first",
            &test_source("true"),
            None,
            Opts::default(),
        )
        .exercise(
            "basics",
            "second",
            &test_source("false"),
            None,
            Opts::default(),
        )
        .finish();
    fs::create_dir_all(course.path(".backendlings")).unwrap();
    fs::write(
        course.path(".backendlings/state.json"),
        r#"{"version": 1, "welcome_shown": true, "done": ["first"]}"#,
    )
    .unwrap();
    let mut watch = Watch::start(&course, &[], 120, 30);
    watch.wait_for(&["✗ second: tests failed", "Basics 1/2"]);
    fs::write(
        course.path("exercises/basics/first.rs"),
        test_source("1 + 1 == 3"),
    )
    .unwrap();
    watch.wait_for(&[
        "exercises/basics/first.rs was edited and no longer passes",
        "Basics 0/2",
        "Current exercise: exercises/basics/second.rs",
    ]);
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
    let output = course.run(&["progress", "--json"]);
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(progress["done"], 0, "{}", common::text(&output));
}

/// The first check of an exercise whose section asks for a lazy feature says, on the watch
/// screen, that it compiles that feature's crates.
#[test]
fn the_first_check_of_a_lazy_section_says_it_compiles_its_crates() {
    let course = common::lazy_feature_course();
    // The first section is done (and the exercise crates were compiled once, without `heavy`).
    let plain = course.run(&["run", "plain"]);
    assert!(plain.status.success(), "{}", common::text(&plain));

    let mut watch = Watch::start(&course, &[], 120, 30);
    watch.wait_for(&["Press Enter"]);
    watch.keys("\r");
    watch.wait_for(&["✓ uses_heavy passed"]);
    let raw = String::from_utf8_lossy(&watch.raw.lock().unwrap()).into_owned();
    assert!(
        raw.contains("First check that needs heavy: compiling it; this happens once."),
        "the notice was never drawn"
    );
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
}

/// A Python exercise whose server is not installed: watch mode says what to install, not that
/// the learner's code failed.
#[test]
fn a_missing_server_is_named_with_its_package_in_watch_mode() {
    if !python_here() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = root.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/requirements.lock");
    fs::copy(lock, root.path().join("requirements.lock")).unwrap();
    write(
        "info.toml",
        "format_version = 1\ntoolchain = \"python\"\n\n[[sections]]\ndir = \"a\"\ntitle = \"A\"\n\n[[exercises]]\nname = \"hits\"\ndir = \"a\"\ntests = 1\nservices = [\"redis\"]\nhint = \"INCR.\"\n",
    );
    write("exercises/a/README.md", "# A\n");
    write("exercises/a/hits.py", "def hit(r, page):\n    return 1\n");
    write(
        "exercises/a/test_hits.py",
        "import hits\n\ndef test_hit():\n    assert hits.hit(None, 'x') == 2\n",
    );
    write(
        ".backendlings/state.json",
        r#"{"version": 1, "welcome_shown": true}"#,
    );
    let nowhere = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-python-data");
    let mut watch = Watch::start_with(
        root.path(),
        &[],
        200,
        40,
        &[
            ("BACKENDLINGS_SERVICE_PATH", nowhere.path()),
            ("BACKENDLINGS_DATA_DIR", &data),
        ],
    );
    let screen = watch.wait_for(&["sudo apt install redis-server", "brew install redis"]);
    assert!(screen.contains("not a problem with your code"), "{screen}");
    assert!(!screen.contains("tests failed"), "{screen}");
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
}

/// The warm workers of a process, as (pid, interpreter) of its children running `serve`.
#[cfg(target_os = "linux")]
fn warm_workers(parent: u32) -> Vec<(u32, String)> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        // `pid (comm) state ppid ...`: the command may hold spaces, so read after its `)`.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let args: Vec<String> = cmdline
            .split(|&b| b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        if ppid == Some(parent) && args.iter().any(|a| a == "serve") {
            found.push((pid, args[0].clone()));
        }
    }
    found
}

/// A changed package lock during a session (a `git pull`): the next check runs in the new
/// lock's environment, and the warm workers of the old one are gone.
#[cfg(target_os = "linux")]
#[test]
fn a_changed_python_lock_restarts_the_warm_workers_on_its_environment() {
    if !python_here() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = root.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    // Locks of this test alone (a comment changes the hash), so no other test's workers run
    // from the same environments.
    let lock =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("python/requirements.lock"))
            .unwrap();
    write(
        "requirements.lock",
        &format!("{lock}\n# the lock before the pull\n"),
    );
    write(
        "info.toml",
        "format_version = 1\ntoolchain = \"python\"\n\n[[sections]]\ndir = \"a\"\ntitle = \"A\"\n\n[[exercises]]\nname = \"first\"\ndir = \"a\"\ntests = 1\nhint = \"Two.\"\n\n[[exercises]]\nname = \"second\"\ndir = \"a\"\ntests = 1\nhint = \"Three.\"\n",
    );
    write("exercises/a/README.md", "# A\n");
    write("exercises/a/first.py", "def two():\n    return 1\n");
    write(
        "exercises/a/test_first.py",
        "import first\n\ndef test_two():\n    assert first.two() == 2\n",
    );
    write("exercises/a/second.py", "def three():\n    return 1\n");
    write(
        "exercises/a/test_second.py",
        "import second\n\ndef test_three():\n    assert second.three() == 3\n",
    );
    write(
        ".backendlings/state.json",
        r#"{"version": 1, "welcome_shown": true}"#,
    );
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-python-data");
    let mut watch = Watch::start_with(
        root.path(),
        &[],
        120,
        40,
        &[("BACKENDLINGS_DATA_DIR", &data)],
    );
    watch.wait_idle_after(1);
    let pid = watch.child.process_id().unwrap();
    let before = warm_workers(pid);
    assert!(!before.is_empty(), "no warm worker before the pull");

    write(
        "requirements.lock",
        &format!("{lock}\n# the lock after the pull\n"),
    );
    rename_save(
        &root.path().join("exercises/a/first.py"),
        "def two():\n    return 2\n",
    );
    watch.wait_for(&["✓ first passed"]);
    let after = warm_workers(pid);
    assert!(!after.is_empty(), "no warm worker after the pull");
    for (old_pid, old_python) in &before {
        assert!(
            after
                .iter()
                .all(|(p, python)| p != old_pid && python != old_python),
            "a worker of the old environment ({old_python}) still runs: {after:?}"
        );
    }
    watch.keys("q");
    assert_eq!(watch.wait_exit(), 0);
}
