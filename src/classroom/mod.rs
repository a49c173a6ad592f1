//! The learner's side of the classroom: once a learner joined (`watch --join URL --as NAME`,
//! remembered in `.backendlings/classroom.json`), watch mode reports what happens (exercise
//! opened, verdicts with the failing tests' names, hints viewed, time on the exercise; never
//! code) to the instructor's server, and shows the instructor's message. Nothing is sent by a
//! learner who has not joined.
//!
//! Watch mode calls the free functions below; they only append to the on-disk queue and wake
//! the sender thread, so a slow or absent server never slows the screen down.

mod http;
mod queue;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::fsutil;
use crate::progress::STATE_DIR;
use crate::verdict::Verdict;

use http::Server;
use queue::Queue;

const SETTINGS_FILE: &str = "classroom.json";
const QUEUE_FILE: &str = "classroom-queue.jsonl";
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Events sent per request (the server takes up to 200).
const BATCH: usize = 100;
const NOTE_EVERY: Duration = Duration::from_secs(5);
/// A "still here" event while the learner stays on one exercise, for the time on it.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// What `.backendlings/classroom.json` keeps between runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Settings {
    url: String,
    name: String,
    /// The server's token for this learner, once joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    learner: Option<String>,
}

fn settings_path(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(SETTINGS_FILE)
}

fn save_settings(root: &Path, settings: &Settings) -> Result<()> {
    let text = serde_json::to_string_pretty(settings).expect("settings serialize");
    fsutil::write_atomic(&settings_path(root), text.as_bytes())
}

/// `watch`'s classroom flags: what they ask for, after checking them.
pub struct Join<'a> {
    pub url: Option<&'a str>,
    pub name: Option<&'a str>,
    pub leave: bool,
}

/// A `--join` URL as the command line's parser accepts it: one this client can reach.
pub fn join_url(value: &str) -> Result<String, String> {
    Server::from_join_url(value)?;
    Ok(value.trim().to_string())
}

/// A learner's name (`--as`) as the command line's parser accepts it: what the instructor's
/// page has room for.
pub fn learner_name(value: &str) -> Result<String, String> {
    let name = value.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err("a name must have 1 to 40 characters".into());
    }
    Ok(name.to_string())
}

/// Sends the instructor's message (or a classroom problem) to the watch screen; `None` clears.
pub type Notify = Box<dyn Fn(Option<String>) + Send>;

struct Client {
    queue: Mutex<Queue>,
    wake: SyncSender<()>,
    /// The current exercise: name, place in the course, since when.
    current: Mutex<Option<(String, usize, Instant)>>,
    next_id: AtomicU64,
}

static CLIENT: OnceLock<Arc<Client>> = OnceLock::new();

/// Starts reporting when the learner joined (now or in an earlier run). Bad flags or a damaged
/// settings file are errors before watch mode takes the screen.
pub fn start(root: &Path, join: &Join, notify: Notify) -> Result<()> {
    let path = settings_path(root);
    if join.leave {
        for file in [path.clone(), root.join(STATE_DIR).join(QUEUE_FILE)] {
            if file.exists() {
                std::fs::remove_file(&file)
                    .with_context(|| format!("cannot remove {}", file.display()))?;
            }
        }
        return Ok(());
    }
    let settings = match (join.url, join.name) {
        // Both checked by the command line's parser (`join_url`, `learner_name`).
        (Some(url), Some(name)) => {
            let settings = Settings {
                url: url.to_string(),
                name: name.to_string(),
                learner: None,
            };
            save_settings(root, &settings)?;
            settings
        }
        (Some(_), None) => bail!("--join needs --as NAME: the name the instructor sees"),
        (None, _) => match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is damaged: fix it, or leave the classroom with `backendlings watch --leave`",
                    path.display()
                )
            })?,
            Err(_) => return Ok(()),
        },
    };
    let server = Server::from_join_url(&settings.url)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let (wake, woken) = mpsc::sync_channel(1);
    let client = Arc::new(Client {
        queue: Mutex::new(Queue::load(root.join(STATE_DIR).join(QUEUE_FILE))),
        wake,
        current: Mutex::new(None),
        next_id: AtomicU64::new(0),
    });
    if CLIENT.set(client.clone()).is_err() {
        bail!("the classroom client started twice");
    }
    let mut sender = Sender {
        client,
        server,
        settings,
        root: root.to_path_buf(),
        notify,
        shown: None,
    };
    std::thread::Builder::new()
        .name("classroom".into())
        .spawn(move || sender.run(&woken))
        .context("cannot start the classroom thread")?;
    Ok(())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Client {
    fn record(&self, kind: &str, exercise: &str, position: usize, extra: serde_json::Value) {
        let seconds = match &*self.current.lock().unwrap() {
            Some((name, _, since)) if name == exercise => since.elapsed().as_secs(),
            _ => 0,
        };
        let at = now_ms();
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut event = json!({
            "id": format!("{at}-{}-{n}", std::process::id()),
            "kind": kind,
            "exercise": exercise,
            "at": at,
            "seconds": seconds,
            "position": position,
        });
        if let (Some(event), serde_json::Value::Object(extra)) = (event.as_object_mut(), extra) {
            event.extend(extra);
        }
        // A queue that cannot be written loses this event only; watch mode goes on.
        let _ = self.queue.lock().unwrap().push(event.to_string());
        let _ = self.wake.try_send(());
    }
}

/// The learner is now on `exercise` (the `position`th of the course).
pub fn opened(exercise: &str, position: usize) {
    if let Some(client) = CLIENT.get() {
        {
            let mut current = client.current.lock().unwrap();
            if current.as_ref().is_some_and(|(name, ..)| name == exercise) {
                return;
            }
            *current = Some((exercise.to_string(), position, Instant::now()));
        }
        client.record("opened", exercise, position, json!({}));
    }
}

pub fn verdict(exercise: &str, position: usize, verdict: &Verdict) {
    if let Some(client) = CLIENT.get() {
        let extra = json!({ "status": verdict.status.key(), "failing": verdict.failing_tests });
        client.record("verdict", exercise, position, extra);
    }
}

pub fn hint(exercise: &str, position: usize) {
    if let Some(client) = CLIENT.get() {
        client.record("hint", exercise, position, json!({}));
    }
}

/// Why a request did not go through.
enum Failure {
    /// The server is down or busy: try again later, keep everything.
    Retry(String),
    /// The server refused with a reason the learner must see.
    Refused(String),
}

struct Sender {
    client: Arc<Client>,
    server: Server,
    settings: Settings,
    root: PathBuf,
    notify: Notify,
    /// What the watch screen shows from us.
    shown: Option<String>,
}

impl Sender {
    fn run(&mut self, woken: &mpsc::Receiver<()>) {
        let mut retry_at = Instant::now();
        let mut backoff = Duration::from_secs(1);
        let mut last_note = Instant::now() - NOTE_EVERY;
        let mut last_beat = Instant::now();
        loop {
            match woken.recv_timeout(Duration::from_secs(1)) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if last_beat.elapsed() >= HEARTBEAT_EVERY {
                last_beat = Instant::now();
                let current = self.client.current.lock().unwrap().clone();
                if let Some((name, position, _)) = current {
                    self.client.record("time", &name, position, json!({}));
                }
            }
            if Instant::now() < retry_at {
                continue;
            }
            let poll_note = last_note.elapsed() >= NOTE_EVERY;
            match self.step(poll_note) {
                Ok(()) => {
                    backoff = Duration::from_secs(1);
                    if poll_note {
                        last_note = Instant::now();
                    }
                }
                Err(Failure::Retry(_)) => {
                    retry_at = Instant::now() + backoff;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
                Err(Failure::Refused(reason)) => {
                    self.show(Some(format!("Classroom: {reason}")));
                    retry_at = Instant::now() + MAX_BACKOFF;
                }
            }
        }
    }

    fn show(&mut self, text: Option<String>) {
        if self.shown != text {
            self.shown = text.clone();
            (self.notify)(text);
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&str>) -> Result<String, Failure> {
        let token = self.settings.learner.clone().unwrap_or_default();
        let headers = [
            ("x-backendlings-version", VERSION),
            ("x-classroom-code", self.server.code.as_str()),
            ("x-classroom-learner", token.as_str()),
        ];
        let response = http::request(&self.server, method, path, &headers, body)
            .map_err(|e| Failure::Retry(e.to_string()))?;
        let reason = || {
            serde_json::from_str::<serde_json::Value>(&response.body)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("the server answered {}", response.status))
        };
        match response.status {
            200..=299 => Ok(response.body),
            401 => Err(Failure::Retry("unknown learner".into())),
            429 | 500..=599 => Err(Failure::Retry(reason())),
            _ => Err(Failure::Refused(reason())),
        }
    }

    /// Joins if needed, sends what is queued, and fetches the instructor's message.
    fn step(&mut self, poll_note: bool) -> Result<(), Failure> {
        if self.settings.learner.is_none() {
            let body = json!({ "name": self.settings.name }).to_string();
            let answer = self.call("POST", "/api/join", Some(&body))?;
            let token = serde_json::from_str::<serde_json::Value>(&answer)
                .ok()
                .and_then(|v| v["learner"].as_str().map(str::to_string))
                .ok_or_else(|| {
                    Failure::Refused("the server's join answer is not understood".into())
                })?;
            self.settings.learner = Some(token);
            if let Err(err) = save_settings(&self.root, &self.settings) {
                self.show(Some(format!("Classroom: {err:#}")));
            }
            self.show(None);
        }
        loop {
            let batch = self.client.queue.lock().unwrap().front(BATCH);
            if batch.is_empty() {
                break;
            }
            let body = format!(r#"{{"events":[{}]}}"#, batch.join(","));
            match self.call("POST", "/api/events", Some(&body)) {
                Ok(_) => {}
                Err(Failure::Retry(reason)) if reason == "unknown learner" => {
                    // The server lost its room (a new database): join again, resend.
                    self.settings.learner = None;
                    return Err(Failure::Retry(reason));
                }
                // Events the server will never take would block the queue: they are dropped.
                Err(Failure::Refused(reason)) => {
                    let _ = self.client.queue.lock().unwrap().remove_front(batch.len());
                    return Err(Failure::Refused(reason));
                }
                Err(retry) => return Err(retry),
            }
            // Events queued meanwhile are behind these: removing from the front is exact.
            let _ = self.client.queue.lock().unwrap().remove_front(batch.len());
        }
        if poll_note {
            let answer = self.call("GET", "/api/note", None)?;
            let note = serde_json::from_str::<serde_json::Value>(&answer)
                .ok()
                .and_then(|v| v["note"].as_str().map(str::to_string))
                .unwrap_or_default();
            self.show((!note.is_empty()).then(|| format!("Message from the instructor: {note}")));
        }
        Ok(())
    }
}

/// `backendlings classroom serve`: runs the server binary, which is built separately so that
/// learners never compile it.
pub fn serve(listen: &str, db: &Path, stuck_minutes: f64) -> Result<ExitCode> {
    const NAME: &str = if cfg!(windows) {
        "backendlings-classroom.exe"
    } else {
        "backendlings-classroom"
    };
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(NAME)))
        .filter(|path| path.is_file());
    let on_path = || {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(NAME))
                .find(|path| path.is_file())
        })
    };
    let Some(program) = beside.or_else(on_path) else {
        bail!(
            "the classroom server is not built: run `cargo build --release -p {NAME}` in the \
             course folder, then `cargo run --release -- classroom serve` again"
        );
    };
    let mut server = Command::new(&program);
    server
        .args(["--listen", listen, "--db"])
        .arg(db)
        .args(["--stuck-minutes", &stuck_minutes.to_string()]);
    let cannot_run = || crate::errors::Failure(format!("cannot run {}", program.display()));
    #[cfg(unix)]
    {
        // The server takes this process's place: signals and the exit code are its own.
        use std::os::unix::process::CommandExt;
        Err(server.exec()).with_context(cannot_run)
    }
    #[cfg(not(unix))]
    {
        // No exec on Windows: wait for the server (Ctrl-C reaches it through the console).
        let status = server.status().with_context(cannot_run)?;
        Ok(ExitCode::from(
            u8::try_from(status.code().unwrap_or(1)).unwrap_or(1),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_needs_a_name_and_a_valid_url_and_leaving_forgets_everything() {
        let dir = tempfile::tempdir().unwrap();
        let join = |url, name| Join {
            url: Some(url),
            name,
            leave: false,
        };
        let quiet = || -> Notify { Box::new(|_| {}) };
        let err = start(dir.path(), &join("http://h:1/join/c", None), quiet()).unwrap_err();
        assert!(err.to_string().contains("--as NAME"), "{err}");
        assert!(!settings_path(dir.path()).exists());
        let err = join_url("ftp://h/join/c").unwrap_err();
        assert!(err.contains("only http://"), "{err}");
        assert_eq!(
            join_url(" http://h:1/join/c ").as_deref(),
            Ok("http://h:1/join/c")
        );
        assert!(learner_name(" ").is_err());
        assert!(learner_name(&"x".repeat(41)).is_err());
        assert_eq!(learner_name(" ada ").as_deref(), Ok("ada"));
        let leave = Join {
            url: None,
            name: None,
            leave: true,
        };
        std::fs::create_dir_all(dir.path().join(STATE_DIR)).unwrap();
        std::fs::write(settings_path(dir.path()), "{}").unwrap();
        start(dir.path(), &leave, quiet()).unwrap();
        assert!(!settings_path(dir.path()).exists());
    }
}
