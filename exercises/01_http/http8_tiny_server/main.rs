// Scenario: our status service speaks HTTP over a raw `TcpListener`. In production it froze:
// one client opened a connection and sent nothing, and since the server handled connections
// one at a time, with no read timeout, everybody else waited forever. Clients on slow links
// also got `400` because their request arrived in two TCP segments and the server did a
// single `read()`.
//
// A read timeout alone is not enough: it bounds the wait for the *next* bytes, so a client that
// sends one byte just before each timeout (slowloris) holds a thread for as long as it likes.
// The whole head needs a deadline too. And a thread per connection with no limit lets a flood
// of connections exhaust the machine: past a limit, we answer `503` at once instead.
//
// Done means: the server listens on 127.0.0.1 with an OS-chosen port (`:0`), serves each
// connection on its own thread while it holds one of `max_connections` slots (taken on the
// accepting thread before any thread is started; the others are refused with `503`), sets a
// read timeout (a silent client gets `408 Request Timeout`), keeps reading until the head is
// complete (`\r\n\r\n`) but no longer than the head's deadline (`408` too) and refuses heads
// larger than MAX_HEAD with `431`. The routes (routes.rs) are done. The tests talk to the
// server through a real `TcpStream`, run `accept_loop` on a thread of their own (to see which
// thread asks for the slots), and feed `read_head` scripted reads (any `Read` works, so a test
// decides exactly where the TCP segments end).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

mod routes;
#[cfg(test)]
mod tests;

use routes::Reply;

/// The largest request head we accept, in bytes.
pub const MAX_HEAD: usize = 8 * 1024;

/// How patient the server is, and how much it serves at once.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How long one read may wait for the next bytes.
    pub read_timeout: Duration,
    /// How long the whole head may take to arrive, however the client paces its bytes.
    pub head_deadline: Duration,
    /// How many connections are served at once, one thread each.
    pub max_connections: usize,
}

/// Starts the server in a background thread and returns the address it listens on.
pub fn start(limits: Limits) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let slots = Slots::new(limits.max_connections);
    thread::spawn(move || accept_loop(listener, slots, limits));
    Ok(addr)
}

/// Accepts connections for as long as the listener lives (on the thread `start` spawned).
fn accept_loop(listener: TcpListener, slots: Slots, limits: Limits) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        // TODO: one slow client must not block the others, and a flood of clients must not
        // start a thread each: take a slot (`slots.try_acquire()`) for every connection, here
        // on the accepting thread, serve it on its own thread that holds the permit until it
        // is done, and `refuse` the connection when no slot is free.
        let _ = &slots;
        let _ = handle(stream, limits);
    }
}

enum Head {
    Complete(String),
    Closed,
    TimedOut,
    TooLarge,
}

/// Reads until the end of the request head (an empty line), giving up once `deadline` has
/// passed. The deadline is checked before every read, so a client that trickles its head is
/// cut off at most one read timeout after it.
fn read_head(stream: &mut impl Read, deadline: Instant) -> io::Result<Head> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    // TODO: a head may arrive in several pieces: keep reading until `buf` contains
    // "\r\n\r\n" (a head that fits in MAX_HEAD is complete, even when body bytes came in
    // the same read), stop with TooLarge once `buf` grows beyond MAX_HEAD without the end of
    // the head, and with TimedOut once `deadline` has passed (check it before every read,
    // the first one included).
    // A read that fails with WouldBlock or TimedOut (which one depends on the OS) means
    // the read timeout expired.
    let _ = deadline;
    let n = stream.read(&mut chunk)?;
    if n == 0 {
        return Ok(Head::Closed);
    }
    buf.extend_from_slice(&chunk[..n]);
    match find_end(&buf) {
        Some(end) => Ok(Head::Complete(
            String::from_utf8_lossy(&buf[..end]).into_owned(),
        )),
        None => Ok(Head::Complete(String::new())),
    }
}

fn handle(mut stream: TcpStream, limits: Limits) -> io::Result<()> {
    // TODO: without a read timeout, a silent client holds this thread forever.
    let deadline = Instant::now() + limits.head_deadline;
    let reply = match read_head(&mut stream, deadline)? {
        Head::Closed => return Ok(()),
        Head::TimedOut => Reply::text(408, "request timeout\n"),
        Head::TooLarge => Reply::text(431, "request head too large\n"),
        Head::Complete(head) => match parse_request_line(&head) {
            Some((method, target)) => {
                let path = target.split('?').next().unwrap_or(target);
                routes::route(method, path)
            }
            None => Reply::text(400, "bad request\n"),
        },
    };
    stream.write_all(&reply.to_bytes())?;
    stream.flush()?;
    lingering_close(stream, limits.read_timeout);
    Ok(())
}

/// Provided: the connections being served. `try_acquire` hands out a `Permit` while fewer
/// than `max` are out; dropping the permit gives its slot back. It also notes which threads
/// ask for slots (the tests read it: a slot is asked for on the accepting thread, before any
/// thread is started for the connection).
struct Slots {
    in_use: Arc<AtomicUsize>,
    max: usize,
    asked: Arc<Mutex<Asked>>,
}

/// Provided: the first thread that asked for a slot and how often it asked, and how often
/// any other thread asked.
#[derive(Debug, Default)]
struct Asked {
    first: Option<(ThreadId, usize)>,
    elsewhere: usize,
}

struct Permit(Arc<AtomicUsize>);

impl Slots {
    fn new(max: usize) -> Slots {
        Slots {
            in_use: Arc::new(AtomicUsize::new(0)),
            max,
            asked: Arc::default(),
        }
    }

    fn try_acquire(&self) -> Option<Permit> {
        let me = thread::current().id();
        let asked = &mut *self.asked.lock().unwrap_or_else(PoisonError::into_inner);
        match &mut asked.first {
            Some((first, times)) if *first == me => *times += 1,
            Some(_) => asked.elsewhere += 1,
            None => asked.first = Some((me, 1)),
        }
        self.in_use
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Permit(Arc::clone(&self.in_use)))
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Provided: answers `503` on the accepting thread without waiting for anything (the socket
/// is non-blocking, and a fresh socket's send buffer takes the whole reply), then closes.
fn refuse(mut stream: TcpStream) {
    let mut reply = Reply::text(503, "busy, try again\n");
    reply.headers.push(("Retry-After", "1".into()));
    let _ = stream.set_nonblocking(true);
    let _ = stream.write_all(&reply.to_bytes());
    let _ = stream.shutdown(Shutdown::Write);
}

/// Provided: the index where "\r\n\r\n" starts, if present.
fn find_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Provided: `METHOD SP TARGET SP HTTP/1.x` -> (method, target).
fn parse_request_line(head: &str) -> Option<(&str, &str)> {
    let line = head.split("\r\n").next()?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = parts.next().is_none()
        && !method.is_empty()
        && target.starts_with('/')
        && (version == "HTTP/1.1" || version == "HTTP/1.0");
    ok.then_some((method, target))
}

/// Provided: closing a socket that still has unread input makes the kernel send a reset,
/// which can destroy the response before the client reads it. So: stop writing, then
/// discard what the client still sends, bounded by a byte budget and by one read timeout in
/// all (a client trickling bytes must not hold the thread here either).
fn lingering_close(mut stream: TcpStream, linger: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + linger;
    let mut sink = [0u8; 1024];
    let mut budget: usize = 64 * 1024;
    while budget > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => budget = budget.saturating_sub(n),
        }
    }
}

fn main() -> io::Result<()> {
    let addr = start(Limits {
        read_timeout: Duration::from_secs(5),
        head_deadline: Duration::from_secs(10),
        max_connections: 256,
    })?;
    println!("listening on http://{addr}/health (the demo exits right away)");
    Ok(())
}
