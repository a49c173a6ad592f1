//! The classroom: the real server (built once from the workspace's `classroom` package, which
//! the root build never compiles), learners simulated over HTTP or the real watch mode in a
//! pseudo-terminal, and the instructor's page checked in headless Chromium.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::{BIN, Opts, TestCourse, test_source};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Generous: the first build of the server or of a course compiles from scratch.
const PATIENCE: Duration = Duration::from_secs(300);
const CHROMIUM: &str = "/usr/bin/chromium";

/// The server binary, built once per test run in its own target folder (the outer `cargo test`
/// holds the lock on the root one).
fn server_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let target = root.join("target").join("classroom");
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "backendlings-classroom",
                "--manifest-path",
            ])
            .arg(root.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&target)
            .status()
            .expect("run cargo");
        assert!(status.success(), "building the classroom server failed");
        target.join("debug").join("backendlings-classroom")
    })
}

struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    code: String,
    secret: String,
    join_url: String,
    teach_url: String,
}

impl Server {
    fn start(db: &Path, listen: &str) -> Server {
        Server::start_with(db, listen, &[])
    }

    fn start_with(db: &Path, listen: &str, args: &[&str]) -> Server {
        let mut child = Command::new(server_bin())
            .args(["--listen", listen, "--db"])
            .arg(db)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the classroom server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut join_url, mut teach_url) = (None, None);
        while join_url.is_none() || teach_url.is_none() {
            let line = lines.next().expect("the server prints its URLs").unwrap();
            let url = line.split_whitespace().find(|w| w.starts_with("http://"));
            match url {
                Some(u) if u.contains("/join/") => join_url = Some(u.to_string()),
                Some(u) if u.contains("/teach/") => teach_url = Some(u.to_string()),
                _ => {}
            }
        }
        let (join_url, teach_url) = (join_url.unwrap(), teach_url.unwrap());
        let (base, code) = join_url.rsplit_once("/join/").unwrap();
        let secret = teach_url.rsplit_once("/teach/").unwrap().1.to_string();
        Server {
            child,
            addr: base.trim_start_matches("http://").to_string(),
            code: code.to_string(),
            secret,
            join_url,
            teach_url,
        }
    }

    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        http(&self.addr, method, path, headers, body)
    }

    fn join(&self, name: &str) -> String {
        let body = serde_json::json!({ "name": name }).to_string();
        let (status, answer) = self.http("POST", "/api/join", &self.learner_headers(""), &body);
        assert_eq!(status, 200, "{answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        answer["learner"].as_str().unwrap().to_string()
    }

    fn learner_headers<'a>(&'a self, token: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("x-backendlings-version", env!("CARGO_PKG_VERSION")),
            ("x-classroom-code", &self.code),
            ("x-classroom-learner", token),
        ]
    }

    fn send(&self, token: &str, events: serde_json::Value) -> (u16, String) {
        let body = serde_json::json!({ "events": events }).to_string();
        self.http("POST", "/api/events", &self.learner_headers(token), &body)
    }

    fn stats(&self) -> serde_json::Value {
        let (status, body) = self.http("GET", &format!("/teach/{}/stats", self.secret), &[], "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Waits until the room's stats satisfy `done`.
    fn wait_stats(&self, what: &str, done: impl Fn(&serde_json::Value) -> bool) {
        let start = Instant::now();
        loop {
            let stats = self.stats();
            if done(&stats) {
                return;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "timed out waiting for {what}: {stats}"
            );
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request; the status and body (the server answers with a length, never chunks).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect to the server");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    let content_type = if method == "POST" && !body.starts_with('{') {
        "application/x-www-form-urlencoded"
    } else {
        "application/json"
    };
    request.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn verdict(id: &str, exercise: &str, at: i64, failing: &[&str]) -> serde_json::Value {
    let status = if failing.is_empty() {
        "passed"
    } else {
        "tests_failed"
    };
    serde_json::json!({
        "id": id, "kind": "verdict", "exercise": exercise, "at": at,
        "status": status, "failing": failing, "position": 0,
    })
}

/// Headless Chromium's view of `url`: the DOM after the page loaded. `None` when Chromium is
/// not installed, which fails under CI (`.ci/run` installs it).
fn chromium_dom(url: &str, screenshot: Option<&Path>) -> Option<String> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{CHROMIUM} is missing: .ci/run installs the Debian package chromium"
        );
        eprintln!("skipping the browser check: {CHROMIUM} is not installed");
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(args)
            .arg(url)
            .stderr(Stdio::null())
            .output()
            .expect("run chromium");
        assert!(
            output.status.success(),
            "chromium failed: {:?}",
            output.status
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    if let Some(path) = screenshot {
        run(&[
            "--window-size=1400,1000",
            &format!("--screenshot={}", path.display()),
        ]);
        assert!(path.is_file(), "chromium wrote no screenshot");
    }
    Some(run(&["--dump-dom"]))
}

#[test]
fn the_instructor_page_shows_learners_failures_and_who_is_stuck_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("room.db"), "127.0.0.1:0");
    let ada = server.join("ada");
    let grace = server.join("grace");
    let now = now_ms();
    // ada fails the same test for ten minutes: stuck (the default is five).
    let (status, body) = server.send(
        &ada,
        serde_json::json!([
            {"id": "1", "kind": "opened", "exercise": "http_status", "at": now - 700_000, "position": 2},
            verdict("2", "http_status", now - 600_000, &["tests::maps_not_found"]),
            {"id": "3", "kind": "hint", "exercise": "http_status", "at": now - 500_000},
            verdict("4", "http_status", now, &["tests::maps_not_found"]),
        ]),
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = server.send(&grace, serde_json::json!([verdict("1", "intro", now, &[])]));
    assert_eq!(status, 200, "{body}");
    // The room as docs/classroom.png shows it, before a hostile name joins.
    let screenshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/classroom/instructor.png");
    if chromium_dom(&server.teach_url, Some(&screenshot)).is_none() {
        return;
    }

    let bob = server.join("<script>alert(1)</script>");
    let (status, body) = server.send(&bob, serde_json::json!([verdict("1", "intro", now, &[])]));
    assert_eq!(status, 200, "{body}");
    let Some(dom) = chromium_dom(&server.teach_url, None) else {
        return;
    };
    assert!(dom.contains(r#"data-learner="ada""#), "{dom}");
    assert!(dom.contains("tests::maps_not_found"), "{dom}");
    assert!(dom.contains("⚠ STUCK"), "{dom}");
    assert!(dom.contains("? 1 hint"), "{dom}");
    assert!(dom.contains("✔ passes"), "{dom}");
    // The hostile name is text, never markup: the only script is the page's own.
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom}"
    );
    assert_eq!(dom.matches("<script").count(), 1, "{dom}");
    assert!(dom.contains(r#"<script src="/app.js">"#), "{dom}");
}

#[test]
fn the_live_stream_sends_a_new_board_after_each_event() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("room.db"), "127.0.0.1:0");
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET /teach/{}/live HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n",
        server.secret
    )
    .unwrap();
    let lines = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&lines);
    thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let grace = server.join("grace");
    server.send(
        &grace,
        serde_json::json!([verdict("1", "sql_joins", now_ms(), &["tests::left_join"])]),
    );
    let start = Instant::now();
    while !lines.lock().unwrap().contains("tests::left_join") {
        assert!(
            start.elapsed() < PATIENCE,
            "no board with the event: {}",
            lines.lock().unwrap()
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert!(lines.lock().unwrap().contains("event: board"));
}

#[test]
fn wrong_secrets_old_runners_and_oversized_requests_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("room.db"), "127.0.0.1:0");
    let version = ("x-backendlings-version", env!("CARGO_PKG_VERSION"));
    let body = r#"{"name":"ada"}"#;

    let (status, answer) = server.http(
        "POST",
        "/api/join",
        &[version, ("x-classroom-code", "nope")],
        body,
    );
    assert_eq!(status, 403);
    assert!(answer.contains("wrong join code"), "{answer}");
    let code = ("x-classroom-code", server.code.as_str());
    let (status, answer) = server.http("POST", "/api/join", &[code], body);
    assert_eq!(status, 426);
    assert!(answer.contains("no runner version"), "{answer}");
    let old = ("x-backendlings-version", "0.0.9");
    let (status, answer) = server.http("POST", "/api/join", &[old, code], body);
    assert_eq!(status, 426);
    assert!(answer.contains("backendlings 0.0.9"), "{answer}");

    let (status, answer) = server.http("GET", "/teach/wrong", &[], "");
    assert_eq!(status, 403);
    assert!(answer.contains("wrong instructor secret"), "{answer}");

    let token = server.join("ada");
    let (status, _) = server.send(&token, serde_json::json!([{"x": "x".repeat(70_000)}]));
    assert_eq!(status, 413);
    let long = "t".repeat(300);
    let (status, answer) = server.send(&token, serde_json::json!([verdict("1", "e", 1, &[&long])]));
    assert_eq!(status, 400);
    assert!(answer.contains("test name"), "{answer}");
    let (status, answer) = server.http(
        "POST",
        "/api/events",
        &server.learner_headers("forged"),
        "{}",
    );
    assert_eq!(status, 401, "{answer}");
    // A learner flooding the server is told to slow down (a burst of 20, then 2 a second).
    let limited = (0..200).find(|_| server.send(&token, serde_json::json!([])).0 == 429);
    assert!(limited.is_some(), "200 requests in a row were all accepted");
}

#[test]
fn a_restart_keeps_the_room_and_resent_events_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("room.db");
    let server = Server::start(&db, "127.0.0.1:0");
    let token = server.join("ada");
    let events = serde_json::json!([
        verdict("1", "e", 1_000, &["t"]),
        verdict("2", "e", 2_000, &["t"]),
        verdict("3", "e", 3_000, &[]),
    ]);
    assert_eq!(server.send(&token, events.clone()).0, 200);
    let (join_url, teach_url) = (server.join_url.clone(), server.teach_url.clone());
    server.stop();

    let server = Server::start(&db, "127.0.0.1:0");
    let stats = server.stats();
    assert_eq!(
        (stats["learners"].as_u64(), stats["events"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(stats["passes"].as_u64(), Some(1));
    // The same secrets: URLs handed out before the restart still work (the port may differ).
    assert_eq!(
        join_url.rsplit('/').next(),
        server.join_url.rsplit('/').next()
    );
    assert_eq!(
        teach_url.rsplit('/').next(),
        server.teach_url.rsplit('/').next()
    );
    // A client resending after a lost answer does not count twice.
    assert_eq!(server.send(&token, events).0, 200);
    assert_eq!(server.stats()["events"].as_u64(), Some(3));
}

/// The real watch mode: events queue while the server is down, arrive when it is back, and the
/// instructor's message shows on the learner's screen.
#[test]
fn watch_mode_queues_while_the_server_is_down_and_shows_the_instructors_message() {
    let course = TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "first",
            &test_source("1 + 1 == 3"),
            None,
            Opts::default(),
        )
        .finish();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("room.db");
    let server = Server::start(&db, "127.0.0.1:0");
    let (addr, join_url) = (server.addr.clone(), server.join_url.clone());
    server.stop();

    let mut watch = Watch::start(
        course.root(),
        &["watch", "--join", &join_url, "--as", "grace"],
    );
    let state = course.root().join(".backendlings");
    let queue = state.join("classroom-queue.jsonl");
    let start = Instant::now();
    while !fs::read_to_string(&queue)
        .unwrap_or_default()
        .contains(r#""kind":"verdict""#)
    {
        assert!(
            start.elapsed() < PATIENCE,
            "no verdict queued: {}",
            watch.contents()
        );
        assert!(
            watch.child.try_wait().unwrap().is_none(),
            "watch mode exited"
        );
        thread::sleep(Duration::from_millis(100));
    }
    // Past the course's welcome screen, to the exercise screen where messages show.
    watch.keys("\r");
    let saved = fs::read_to_string(state.join("classroom.json")).unwrap();
    assert!(
        saved.contains(&join_url) && saved.contains("grace"),
        "{saved}"
    );

    // The server comes back on the same address: the queue drains into it.
    let server = Server::start(&db, &addr);
    server.wait_stats("grace's events", |s| {
        s["learners"] == 1 && s["events"].as_u64() >= Some(2)
    });
    let note = "note=Break+until+11%3A00";
    let (status, _) = server.http("POST", &format!("/teach/{}/note", server.secret), &[], note);
    assert_eq!(status, 303);
    watch.wait_for("Message from the instructor: Break until 11:00");
    let queued = fs::read_to_string(&queue).unwrap_or_default();
    assert!(
        !queued.contains("\"verdict\""),
        "sent events stay queued: {queued}"
    );
}

/// A runner in a pseudo-terminal, its screen parsed by a terminal emulator.
struct Watch {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl Watch {
    fn start(dir: &Path, args: &[&str]) -> Watch {
        let size = PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        // The Python track's environment, shared with tests/python_track.rs.
        cmd.env(
            "BACKENDLINGS_DATA_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-python-data"),
        );
        let child = pair.slave.spawn_command(cmd).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let keys = pair.master.take_writer().unwrap();
        let rows = std::num::NonZeroU16::new(size.rows).unwrap();
        let cols = std::num::NonZeroU16::new(size.cols).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let parser = Arc::clone(&screen);
        thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
            }
        });
        Watch {
            child,
            keys,
            screen,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn keys(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).unwrap();
        self.keys.flush().unwrap();
    }

    fn wait_for(&mut self, text: &str) {
        let start = Instant::now();
        while !self.contents().contains(text) {
            assert!(
                start.elapsed() < PATIENCE,
                "no {text:?} on the screen:\n{}",
                self.contents()
            );
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A wrong join code is shown on the learner's screen; watch mode goes on.
#[test]
fn a_wrong_join_code_is_shown_on_the_watch_screen() {
    let course = TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "first",
            &test_source("true"),
            None,
            Opts::default(),
        )
        .finish();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("room.db"), "127.0.0.1:0");
    let url = format!("http://{}/join/wrongcode", server.addr);
    let mut watch = Watch::start(course.root(), &["watch", "--join", &url, "--as", "ada"]);
    watch.wait_for("Press Enter");
    watch.keys("\r");
    watch.wait_for("Classroom: wrong join code");
    assert_eq!(server.stats()["learners"].as_u64(), Some(0));
}

/// `backendlings classroom serve` runs the server found beside it, and says how to build it
/// when there is none.
#[test]
fn classroom_serve_runs_the_server_beside_the_runner_or_says_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let runner = dir.path().join("backendlings");
    fs::copy(BIN, &runner).unwrap();
    let output = Command::new(&runner)
        .args(["classroom", "serve"])
        .env("PATH", "")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cargo build --release -p backendlings-classroom"),
        "{stderr}"
    );

    fs::copy(server_bin(), dir.path().join("backendlings-classroom")).unwrap();
    let mut child = Command::new(&runner)
        .args(["classroom", "serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("room.db"))
        .env("PATH", "")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed: Vec<String> = Vec::new();
    while !printed.iter().any(|l| l.contains("/teach/")) {
        match lines.next() {
            Some(Ok(line)) => printed.push(line),
            _ => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        printed
            .iter()
            .any(|l| l.contains("--join http://127.0.0.1:")),
        "{printed:?}"
    );
    assert!(printed.iter().any(|l| l.contains("/teach/")), "{printed:?}");
    // Someone working in a clone of the course has no `backendlings` on PATH.
    assert!(
        printed
            .iter()
            .any(|l| l.contains("cargo run --release -- watch --join http://")),
        "{printed:?}"
    );
}

/// The whole way through the real client and the real server: a learner who passed an exercise
/// before joining, joins with `watch --join`, fails, then passes the next one. The instructor's
/// page, read in headless Chromium, counts both passes, shows the learner as passing, and never
/// as stuck (the server calls any failure "stuck" at once: `--stuck-minutes 0`).
#[test]
fn a_pass_in_watch_mode_is_counted_on_the_instructors_page() {
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
            &test_source("1 + 1 == 3"),
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
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &dir.path().join("room.db"),
        "127.0.0.1:0",
        &["--stuck-minutes", "0"],
    );
    let mut watch = Watch::start(
        course.root(),
        &["watch", "--join", &server.join_url, "--as", "ada"],
    );
    watch.wait_for("second: tests failed");
    watch.wait_for(&format!("Classroom: joined {} as ada.", server.join_url));
    // The pass from before joining is counted; the failing verdict arrived.
    server.wait_stats("ada's first events", |s| {
        s["learners"] == 1 && s["passes"] == 1 && s["events"].as_u64() >= Some(3)
    });

    fs::write(
        course.path("exercises/basics/second.rs"),
        test_source("1 + 1 == 2"),
    )
    .unwrap();
    watch.wait_for("second passed");
    server.wait_stats("ada's pass", |s| s["passes"] == 2);

    let screenshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/classroom/passing.png");
    let Some(dom) = chromium_dom(&server.teach_url, Some(&screenshot)) else {
        return;
    };
    assert!(dom.contains("<b>2</b> exercises passed"), "{dom}");
    assert!(dom.contains("<b>0</b> stuck"), "{dom}");
    assert!(
        dom.contains(r#"<li class="learner passing" data-learner="ada">"#),
        "{dom}"
    );
    assert!(dom.contains("✔ passes"), "{dom}");
    assert!(!dom.contains("STUCK"), "{dom}");
    assert!(!dom.contains("(passed)"), "{dom}");
    // The failing verdict before the pass is the one failure listed.
    assert!(dom.contains("<td>1 failing run</td>"), "{dom}");
}

/// The Python track in the classroom: the same events through the same client and server, with
/// pytest's test names as the failing tests.
#[test]
fn a_python_learner_is_counted_on_the_instructors_page() {
    if !common::python_here() {
        return;
    }
    let course = tempfile::tempdir().unwrap();
    let root = course.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("python/requirements.lock"),
        root.join("requirements.lock"),
    )
    .unwrap();
    write(
        "info.toml",
        "format_version = 1\ntoolchain = \"python\"\n[[exercises]]\nname = \"status\"\ndir = \"basics\"\ntests = 1\nhint = \"201\"\n",
    );
    write("exercises/basics/status.py", "CREATED = 200\n");
    write(
        "exercises/basics/test_status.py",
        "from status import CREATED\n\ndef test_created_is_201():\n    assert CREATED == 201\n",
    );
    write(
        ".backendlings/state.json",
        r#"{"version": 1, "welcome_shown": true}"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        &dir.path().join("room.db"),
        "127.0.0.1:0",
        &["--stuck-minutes", "0"],
    );
    let mut watch = Watch::start(
        root,
        &["watch", "--join", &server.join_url, "--as", "guido"],
    );
    watch.wait_for("status: tests failed");
    server.wait_stats("guido's failure", |s| s["learners"] == 1);
    write("exercises/basics/status.py", "CREATED = 201\n");
    watch.wait_for("status passed");
    server.wait_stats("guido's pass", |s| s["passes"] == 1);
    let Some(dom) = chromium_dom(&server.teach_url, None) else {
        return;
    };
    assert!(dom.contains("test_created_is_201"), "{dom}");
}

/// `watch --leave` works from a script (no terminal) and says what it did.
#[test]
fn leaving_needs_no_terminal_and_is_confirmed() {
    let course = TestCourse::new()
        .section("basics", "Basics")
        .exercise(
            "basics",
            "first",
            &test_source("true"),
            None,
            Opts::default(),
        )
        .finish();
    let settings = course.path(".backendlings/classroom.json");
    course.write(
        ".backendlings/classroom.json",
        r#"{"url": "http://127.0.0.1:9/join/abc", "name": "ada"}"#,
    );
    let output = course.run(&["watch", "--leave"]);
    let stderr = common::stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("Left the classroom at http://127.0.0.1:9/join/abc"),
        "{stderr}"
    );
    assert!(!settings.exists());
    let output = course.run(&["watch", "--leave"]);
    assert!(
        common::stderr(&output).contains("Not in a classroom"),
        "{}",
        common::stderr(&output)
    );
}
