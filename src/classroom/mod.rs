//! The learner's side of the classroom: once a learner joined (`watch --join URL --as NAME`,
//! remembered in `.backendlings/classroom.json`), watch mode reports what happens (exercise
//! opened, verdicts with the failing tests' names, hints viewed, time on the exercise; never
//! code) to the instructor's server, and shows the instructor's message. Nothing is sent by a
//! learner who has not joined.
//!
//! Watch mode owns a [`Classroom`] and calls it; it only appends to the on-disk queue and wakes
//! the sender thread, so a slow or absent server never slows the screen down. What goes over the
//! wire is `backendlings-classroom-protocol`'s types, which the server compiles too.

mod http;
mod queue;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use backendlings_classroom_protocol::{
    self as protocol, CODE_HEADER, ErrorAnswer, Event, EventsRequest, JoinAnswer, JoinRequest,
    Kind, LEARNER_HEADER, MAX_FAILING, MAX_TEST_NAME, NoteAnswer, VERSION_HEADER,
};
use serde::{Deserialize, Serialize};

use crate::fsutil;
use crate::progress::STATE_DIR;
use crate::verdict::{self, Verdict};

use http::Server;
use queue::Queue;

const SETTINGS_FILE: &str = "classroom.json";
const QUEUE_FILE: &str = "classroom-queue.jsonl";
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Events sent per request (the server takes up to `MAX_EVENTS_PER_REQUEST`).
const BATCH: usize = protocol::MAX_EVENTS_PER_REQUEST / 2;
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

/// A joined learner's reporter, owned by watch mode.
pub struct Classroom {
    client: Arc<Client>,
}

struct Client {
    queue: Mutex<Queue>,
    wake: SyncSender<()>,
    /// The current exercise: name, place in the course, since when.
    current: Mutex<Option<(String, usize, Instant)>>,
    next_id: AtomicU64,
}

/// `watch --leave`: forgets the saved join and the queued events; says what it did.
pub fn leave(root: &Path) -> Result<String> {
    let path = settings_path(root);
    let joined = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Settings>(&text).ok());
    for file in [path, root.join(STATE_DIR).join(QUEUE_FILE)] {
        if file.exists() {
            std::fs::remove_file(&file)
                .with_context(|| format!("cannot remove {}", file.display()))?;
        }
    }
    Ok(match joined {
        Some(settings) => format!(
            "Left the classroom at {}: watch mode no longer reports to it.",
            settings.url
        ),
        None => "Not in a classroom: nothing to leave.".to_string(),
    })
}

/// Starts reporting when the learner joined (now or in an earlier run); `None` when not. Bad
/// flags or a damaged settings file are errors before watch mode takes the screen. `done` are
/// the exercises (name, place in the course) passed so far: the room counts them once joined.
pub fn start(
    root: &Path,
    join: &Join,
    done: Vec<(String, usize)>,
    notify: Notify,
) -> Result<Option<Classroom>> {
    let path = settings_path(root);
    if join.leave {
        leave(root)?;
        return Ok(None);
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
            Err(_) => return Ok(None),
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
    let mut sender = Sender {
        client: client.clone(),
        server,
        settings,
        root: root.to_path_buf(),
        notify,
        shown: None,
        done,
    };
    std::thread::Builder::new()
        .name("classroom".into())
        .spawn(move || sender.run(&woken))
        .context("cannot start the classroom thread")?;
    Ok(Some(Classroom { client }))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Client {
    fn record(&self, kind: Kind, exercise: &str, position: usize, verdict: Option<&Verdict>) {
        let seconds = match &*self.current.lock().unwrap() {
            Some((name, _, since)) if name == exercise => since.elapsed().as_secs(),
            _ => 0,
        };
        let at = now_ms();
        let n = self.next_id.fetch_add(1, Ordering::Relaxed);
        let event = Event {
            id: format!("{at}-{}-{n}", std::process::id()),
            kind,
            exercise: exercise.to_string(),
            at,
            status: verdict.map(|v| status(v.status)),
            failing: verdict.map(failing).unwrap_or_default(),
            seconds,
            position: u32::try_from(position).ok(),
        };
        let line = serde_json::to_string(&event).expect("an event serializes");
        // A queue that cannot be written loses this event only; watch mode goes on.
        let _ = self.queue.lock().unwrap().push(line);
        let _ = self.wake.try_send(());
    }
}

/// The runner's verdict status as the protocol names it. Exhaustive: a new status must be
/// given a name the server knows.
fn status(status: verdict::Status) -> protocol::Status {
    use protocol::Status as P;
    use verdict::Status as V;
    match status {
        V::Passed => P::Passed,
        V::CompileError => P::CompileError,
        V::TestsFailed => P::TestsFailed,
        V::RunFailed => P::RunFailed,
        V::ClippyFailed => P::ClippyFailed,
        V::TimedOut => P::TimedOut,
        V::Missing => P::Missing,
        V::Unreadable => P::Unreadable,
        V::Rejected => P::Rejected,
    }
}

/// The failing tests' names, within what the server takes (a refused event would be lost).
fn failing(verdict: &Verdict) -> Vec<String> {
    verdict
        .failing_tests
        .iter()
        .take(MAX_FAILING)
        .map(|name| {
            let mut end = name.len().min(MAX_TEST_NAME);
            while !name.is_char_boundary(end) {
                end -= 1;
            }
            name[..end].to_string()
        })
        .collect()
}

impl Classroom {
    /// The learner is now on `exercise` (the `position`th of the course).
    pub fn opened(&self, exercise: &str, position: usize) {
        {
            let mut current = self.client.current.lock().unwrap();
            if current.as_ref().is_some_and(|(name, ..)| name == exercise) {
                return;
            }
            *current = Some((exercise.to_string(), position, Instant::now()));
        }
        self.client.record(Kind::Opened, exercise, position, None);
    }

    pub fn verdict(&self, exercise: &str, position: usize, verdict: &Verdict) {
        self.client
            .record(Kind::Verdict, exercise, position, Some(verdict));
    }

    pub fn hint(&self, exercise: &str, position: usize) {
        self.client.record(Kind::Hint, exercise, position, None);
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
    /// Passed before joining: reported once joined.
    done: Vec<(String, usize)>,
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
                    self.client.record(Kind::Time, &name, position, None);
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

    /// What the screen says while the room takes this learner's events and has no message.
    fn joined(&self) -> String {
        format!(
            "Classroom: joined {} as {}.",
            self.settings.url, self.settings.name
        )
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
            (VERSION_HEADER, VERSION),
            (CODE_HEADER, self.server.code.as_str()),
            (LEARNER_HEADER, token.as_str()),
        ];
        let response = http::request(&self.server, method, path, &headers, body)
            .map_err(|e| Failure::Retry(e.to_string()))?;
        let reason = || {
            serde_json::from_str::<ErrorAnswer>(&response.body)
                .map(|answer| answer.error)
                .unwrap_or_else(|_| format!("the server answered {}", response.status))
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
            let request = JoinRequest {
                name: self.settings.name.clone(),
            };
            let body = serde_json::to_string(&request).expect("a join serializes");
            let answer = self.call("POST", protocol::JOIN, Some(&body))?;
            let answer: JoinAnswer = serde_json::from_str(&answer).map_err(|_| {
                Failure::Refused("the server's join answer is not understood".into())
            })?;
            self.settings.learner = Some(answer.learner);
            if let Err(err) = save_settings(&self.root, &self.settings) {
                self.show(Some(format!("Classroom: {err:#}")));
            }
            for (name, position) in &self.done {
                self.client.record(Kind::Done, name, *position, None);
            }
            self.show(Some(self.joined()));
        }
        loop {
            let batch = self.client.queue.lock().unwrap().front(BATCH);
            if batch.is_empty() {
                break;
            }
            let request = EventsRequest {
                events: batch.iter().map(|(_, event)| event.clone()).collect(),
            };
            let body = serde_json::to_string(&request).expect("events serialize");
            let sent: Vec<String> = batch.into_iter().map(|(line, _)| line).collect();
            match self.call("POST", protocol::EVENTS, Some(&body)) {
                Ok(_) => {}
                Err(Failure::Retry(reason)) if reason == "unknown learner" => {
                    // The server lost its room (a new database): join again, resend.
                    self.settings.learner = None;
                    return Err(Failure::Retry(reason));
                }
                // Events the server will never take would block the queue: they are dropped.
                Err(Failure::Refused(reason)) => {
                    let _ = self.client.queue.lock().unwrap().remove_sent(&sent);
                    return Err(Failure::Refused(reason));
                }
                Err(retry) => return Err(retry),
            }
            let _ = self.client.queue.lock().unwrap().remove_sent(&sent);
        }
        if poll_note {
            let answer = self.call("GET", protocol::NOTE, None)?;
            let note = serde_json::from_str::<NoteAnswer>(&answer)
                .map(|answer| answer.note)
                .unwrap_or_default();
            self.show(Some(if note.is_empty() {
                self.joined()
            } else {
                format!("Message from the instructor: {note}")
            }));
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
        let err = start(
            dir.path(),
            &join("http://h:1/join/c", None),
            Vec::new(),
            quiet(),
        )
        .err()
        .unwrap();
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
        assert!(
            start(dir.path(), &leave, Vec::new(), quiet())
                .unwrap()
                .is_none()
        );
        assert!(!settings_path(dir.path()).exists());
    }
}
