//! backendlings-classroom: the classroom server. Learners' watch mode posts events here; the
//! instructor's page shows the room live. A binary of its own so that the learner's build of
//! `backendlings` never compiles this stack; `backendlings classroom serve` runs it.
//!
//! Learner API: the types and paths of `backendlings-classroom-protocol`, which the runner's
//! client compiles too. Instructor: `/teach/SECRET` (page), `/teach/SECRET/live` (server-sent events),
//! `POST /teach/SECRET/note`, `/teach/SECRET/stats` (JSON, for scripts).

mod page;
mod room;
mod store;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use tokio::sync::{Notify, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use backendlings_classroom_protocol::{
    self as protocol, CODE_HEADER, ErrorAnswer, EventsAnswer, EventsRequest, JoinAnswer,
    JoinRequest, LEARNER_HEADER, MAX_EVENTS_PER_REQUEST, MAX_NAME, NoteAnswer, VERSION_HEADER,
};
use room::Room;
use store::Store;

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Request bodies larger than this are refused before they are read.
const MAX_BODY: usize = 64 * 1024;
const MAX_NOTE: usize = 500;
const MAX_LEARNERS: usize = 2000;
/// Per learner: a burst of this many requests, then this many per second.
const RATE_BURST: f64 = 20.0;
const RATE_PER_SEC: f64 = 2.0;
/// For joins, room-wide: a whole class joins within a minute, a script cannot fill the room.
const JOIN_BURST: f64 = 300.0;
const JOIN_PER_SEC: f64 = 10.0;
/// The bucket key of joins (learner ids start at 1).
const JOINS: i64 = 0;
/// Board renders are coalesced: at most one per this interval, whatever the event rate.
const RENDER_EVERY: Duration = Duration::from_millis(200);

struct Config {
    listen: String,
    db: PathBuf,
    stuck_ms: i64,
}

const USAGE: &str = "usage: backendlings-classroom [--listen ADDR] [--db FILE] [--stuck-minutes N]
  --listen ADDR       address to bind (default 127.0.0.1:8077; 0.0.0.0:8077 for a classroom network)
  --db FILE           SQLite file that keeps the room across restarts (default classroom.db)
  --stuck-minutes N   the same failure for N minutes marks a learner stuck (default 5)";

fn parse_args() -> Result<Config, String> {
    let mut config = Config {
        listen: "127.0.0.1:8077".into(),
        db: PathBuf::from("classroom.db"),
        stuck_ms: 5 * 60_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--listen" => config.listen = value("--listen")?,
            "--db" => config.db = PathBuf::from(value("--db")?),
            "--stuck-minutes" => {
                let v = value("--stuck-minutes")?;
                let minutes: f64 = v
                    .parse()
                    .ok()
                    .filter(|m: &f64| m.is_finite() && *m >= 0.0)
                    .ok_or_else(|| format!("--stuck-minutes: `{v}` is not a number of minutes"))?;
                config.stuck_ms = (minutes * 60_000.0) as i64;
            }
            "-h" | "--help" => return Err(USAGE.into()),
            "-V" | "--version" => return Err(format!("backendlings-classroom {VERSION}")),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(config)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// `len` characters from an unambiguous alphabet, from the kernel's random source.
fn random_token(len: usize) -> String {
    use std::io::Read;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = vec![0u8; len];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("the kernel's random source /dev/urandom is readable");
    // 31 symbols: the modulo bias (256 % 31 = 8) costs a fraction of a bit per symbol.
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Compares secrets in time that does not depend on where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    let mut diff = (a.len() != b.len()) as u8;
    for (i, expected) in b.iter().enumerate() {
        diff |= a.get(i).copied().unwrap_or(0) ^ expected;
    }
    std::hint::black_box(diff) == 0
}

struct App {
    store: Mutex<Store>,
    room: Mutex<Room>,
    join_code: String,
    secret: String,
    stuck_ms: i64,
    changed: Notify,
    board: watch::Sender<Arc<str>>,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

type Shared = Arc<App>;

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    let answer = ErrorAnswer {
        error: message.into(),
    };
    (status, Json(answer)).into_response()
}

fn slow_down() -> Response {
    let mut response = refuse(
        StatusCode::TOO_MANY_REQUESTS,
        "too many requests: slow down",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    response
}

/// A refusal from a check, boxed: a `Response` is large to carry in every `Ok`.
fn refused(status: StatusCode, message: impl Into<String>) -> Box<Response> {
    Box::new(refuse(status, message))
}

impl App {
    /// Checks the runner's version and the join code; the error is the response to send.
    fn check_learner(&self, headers: &HeaderMap) -> Result<(), Box<Response>> {
        let version = headers.get(VERSION_HEADER).and_then(|v| v.to_str().ok());
        // Same major.minor series: the protocol only changes with the minor version.
        let series = |s: &str| s.split('.').take(2).map(str::to_string).collect::<Vec<_>>();
        let compatible = |v: &str| series(v) == series(VERSION);
        match version {
            None => {
                return Err(refused(
                    StatusCode::UPGRADE_REQUIRED,
                    format!(
                        "this client sent no runner version; the classroom server {VERSION} \
                         needs backendlings watch from the same release"
                    ),
                ));
            }
            Some(v) if !compatible(v) => {
                return Err(refused(
                    StatusCode::UPGRADE_REQUIRED,
                    format!(
                        "this runner is backendlings {v} but the classroom server is {VERSION}: \
                         update the course (git pull) so both are the same release"
                    ),
                ));
            }
            Some(_) => {}
        }
        let code = headers
            .get(CODE_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !same_secret(code, &self.join_code) {
            return Err(refused(
                StatusCode::FORBIDDEN,
                "wrong join code: copy the join URL the instructor shows",
            ));
        }
        Ok(())
    }

    fn learner(&self, headers: &HeaderMap) -> Result<i64, Box<Response>> {
        self.check_learner(headers)?;
        let token = headers
            .get(LEARNER_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let found = self.store.lock().unwrap().learner(token);
        match found {
            Ok(Some(id)) => Ok(id),
            Ok(None) => Err(refused(
                StatusCode::UNAUTHORIZED,
                "unknown learner: join again",
            )),
            Err(e) => Err(refused(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
        }
    }

    /// A token bucket per learner (and one for joins); `false` means wait.
    fn allow(&self, key: i64) -> bool {
        let (burst, per_sec) = if key == JOINS {
            (JOIN_BURST, JOIN_PER_SEC)
        } else {
            (RATE_BURST, RATE_PER_SEC)
        };
        let mut buckets = self.buckets.lock().unwrap();
        let now = Instant::now();
        let (tokens, last) = buckets.entry(key).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_sec).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn instructor(&self, secret: &str) -> Result<(), Box<Response>> {
        if same_secret(secret, &self.secret) {
            Ok(())
        } else {
            Err(Box::new(
                (
                    StatusCode::FORBIDDEN,
                    "wrong instructor secret: use the instructor URL the server printed at start\n",
                )
                    .into_response(),
            ))
        }
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    serde_json::from_slice(body)
        .map_err(|e| refused(StatusCode::BAD_REQUEST, format!("bad request body: {e}")))
}

async fn join(State(app): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(response) = app.check_learner(&headers) {
        return *response;
    }
    if !app.allow(JOINS) {
        return slow_down();
    }
    let request: JoinRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("a name must have 1 to {MAX_NAME} characters and no control characters"),
        );
    }
    if app.room.lock().unwrap().learners.len() >= MAX_LEARNERS {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the room is full ({MAX_LEARNERS} learners)"),
        );
    }
    let token = random_token(32);
    let added = app
        .store
        .lock()
        .unwrap()
        .add_learner(&token, name, now_ms());
    match added {
        Ok(id) => {
            app.room.lock().unwrap().add_learner(id, name.to_string());
            app.changed.notify_one();
            Json(JoinAnswer { learner: token }).into_response()
        }
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn events(State(app): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let learner = match app.learner(&headers) {
        Ok(id) => id,
        Err(response) => return *response,
    };
    if !app.allow(learner) {
        return slow_down();
    }
    let request: EventsRequest = match parse_json(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    if request.events.len() > MAX_EVENTS_PER_REQUEST {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("at most {MAX_EVENTS_PER_REQUEST} events per request"),
        );
    }
    let now = now_ms();
    let mut events = request.events;
    for event in &mut events {
        if let Err(reason) = event.validate() {
            return refuse(StatusCode::BAD_REQUEST, reason);
        }
        // A clock ahead of the server's would keep a learner from ever looking stuck.
        event.at = event.at.min(now);
    }
    let stored = app.store.lock().unwrap().add_events(learner, events);
    match stored {
        Ok(new) => {
            let total = {
                let mut room = app.room.lock().unwrap();
                for event in &new {
                    room.apply(learner, event);
                }
                room.events
            };
            app.changed.notify_one();
            Json(EventsAnswer { stored: total }).into_response()
        }
        Err(e) => refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn note(State(app): State<Shared>, headers: HeaderMap) -> Response {
    match app.learner(&headers) {
        Ok(learner) if !app.allow(learner) => return slow_down(),
        Ok(_) => {}
        Err(response) => return *response,
    }
    let note = app.room.lock().unwrap().note.clone();
    Json(NoteAnswer { note }).into_response()
}

/// What a browser opening the join URL sees: how to join from a terminal.
async fn join_page(State(app): State<Shared>, Path(code): Path<String>) -> Response {
    if !same_secret(&code, &app.join_code) {
        return (StatusCode::FORBIDDEN, "wrong join code\n").into_response();
    }
    format!(
        "Join this classroom from your course folder:\n\n{}",
        join_commands("THIS_URL")
    )
    .into_response()
}

/// The commands that join `url`: one for an installed runner, one for a clone of the course
/// (where `backendlings` is not on PATH), as the README starts them.
fn join_commands(url: &str) -> String {
    format!(
        "    backendlings watch --join {url} --as NAME\n    \
         cargo run --release -- watch --join {url} --as NAME    (in a clone of the course)\n"
    )
}

fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    // The instructor's secret is in the URL: never leak it in a Referer.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn teach(State(app): State<Shared>, Path(secret): Path<String>) -> Response {
    if let Err(response) = app.instructor(&secret) {
        return *response;
    }
    let board = render(&app);
    secure(Html(page::page(&board, &secret)).into_response())
}

async fn live(State(app): State<Shared>, Path(secret): Path<String>) -> Response {
    if let Err(response) = app.instructor(&secret) {
        return *response;
    }
    let stream = WatchStream::new(app.board.subscribe())
        .map(|board| Ok::<_, Infallible>(SseEvent::default().event("board").data(&*board)));
    secure(
        Sse::new(stream)
            .keep_alive(KeepAlive::default())
            .into_response(),
    )
}

#[derive(Deserialize)]
struct NoteForm {
    note: String,
}

async fn set_note(
    State(app): State<Shared>,
    Path(secret): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    if let Err(response) = app.instructor(&secret) {
        return *response;
    }
    let note: String = form.note.trim().chars().take(MAX_NOTE).collect();
    if let Err(e) = app.store.lock().unwrap().set_note(&note) {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    }
    app.room.lock().unwrap().note = note;
    app.changed.notify_one();
    Redirect::to(&format!("/teach/{secret}")).into_response()
}

async fn stats(State(app): State<Shared>, Path(secret): Path<String>) -> Response {
    if let Err(response) = app.instructor(&secret) {
        return *response;
    }
    let room = app.room.lock().unwrap();
    Json(serde_json::json!({
        "learners": room.learners.len(),
        "events": room.events,
        "passes": room.passes,
    }))
    .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        page::SCRIPT,
    )
        .into_response()
}

fn render(app: &App) -> String {
    page::board(&app.room.lock().unwrap(), now_ms(), app.stuck_ms)
}

/// Re-renders the board after changes (coalesced) and every few seconds (stuck clocks move).
async fn renderer(app: Shared) {
    loop {
        let _ = tokio::time::timeout(Duration::from_secs(10), app.changed.notified()).await;
        tokio::time::sleep(RENDER_EVERY).await;
        let board: Arc<str> = render(&app).into();
        app.board.send_replace(board);
    }
}

/// The address other machines reach this one at, when bound to every interface: the source
/// address of the default route (a UDP "connection" sends nothing).
fn outward_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(message) => {
            let help = message.starts_with("usage") || message.starts_with("backendlings");
            println!("{message}");
            return if help {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    match runtime.block_on(serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let store = Store::open(&config.db)?;
    let secrets = store
        .secrets(random_token)
        .map_err(|e| format!("{}: {e}", config.db.display()))?;
    let room = store
        .load_room()
        .map_err(|e| format!("{}: {e}", config.db.display()))?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    let (board, _) = watch::channel(Arc::from(page::board(&room, now_ms(), config.stuck_ms)));
    let app = Arc::new(App {
        store: Mutex::new(store),
        room: Mutex::new(room),
        join_code: secrets.join_code,
        secret: secrets.instructor,
        stuck_ms: config.stuck_ms,
        changed: Notify::new(),
        board,
        buckets: Mutex::new(HashMap::new()),
    });
    tokio::spawn(renderer(app.clone()));
    let router = Router::new()
        .route(protocol::JOIN, post(join))
        .route(protocol::EVENTS, post(events))
        .route(protocol::NOTE, get(note))
        .route("/join/{code}", get(join_page))
        .route("/teach/{secret}", get(teach))
        .route("/teach/{secret}/live", get(live))
        .route("/teach/{secret}/note", post(set_note))
        .route("/teach/{secret}/stats", get(stats))
        .route("/app.js", get(script))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app.clone());
    let host = if addr.ip().is_unspecified() {
        match outward_ip() {
            Some(ip) => SocketAddr::new(ip, addr.port()).to_string(),
            None => {
                eprintln!(
                    "note: listening on every interface; give learners this machine's address \
                     instead of {}",
                    addr.ip()
                );
                addr.to_string()
            }
        }
    } else {
        addr.to_string()
    };
    println!(
        "backendlings classroom {VERSION}: room kept in {}",
        config.db.display()
    );
    let url = format!("http://{host}{}{}", protocol::JOIN_PREFIX, app.join_code);
    print!(
        "Learners join from their course folder with:\n{}",
        join_commands(&url)
    );
    println!(
        "Instructor page (keep it private): http://{host}/teach/{}",
        app.secret
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a SIGTERM handler installs");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            // Live pages never close their stream: give requests a moment, then stop. Every
            // answered event is already committed.
            tokio::spawn(async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                std::process::exit(0);
            });
        })
        .await
        .map_err(|e| e.to_string())
}
