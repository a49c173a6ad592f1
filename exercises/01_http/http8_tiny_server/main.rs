// Scenario: our status service speaks HTTP over a raw `TcpListener`. In production it froze:
// one client opened a connection and sent nothing, and since the server handled connections
// one at a time, with no read timeout, everybody else waited forever. Clients on slow links
// also got `400` because their request arrived in two TCP segments and the server did a
// single `read()`.
//
// Done means: the server listens on 127.0.0.1 with an OS-chosen port (`:0`), serves each
// connection on its own thread, sets a read timeout (a silent client gets `408 Request
// Timeout`), keeps reading until the head is complete (`\r\n\r\n`) and refuses heads larger
// than MAX_HEAD with `431`. The routes (routes.rs) are done. The tests talk to the server
// through a real `TcpStream`, and feed `read_head` scripted reads (any `Read` works, so a test
// decides exactly where the TCP segments end).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

mod routes;
#[cfg(test)]
mod tests;

use routes::Reply;

/// The largest request head we accept, in bytes.
pub const MAX_HEAD: usize = 8 * 1024;

/// Starts the server in a background thread and returns the address it listens on.
pub fn start(read_timeout: Duration) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            // TODO: one slow client must not block the others.
            let _ = handle(stream, read_timeout);
        }
    });
    Ok(addr)
}

enum Head {
    Complete(String),
    Closed,
    TimedOut,
    TooLarge,
}

/// Reads until the end of the request head (an empty line).
fn read_head(stream: &mut impl Read) -> io::Result<Head> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    // TODO: a head may arrive in several pieces: keep reading until `buf` contains
    // "\r\n\r\n", and stop with TooLarge once `buf` grows beyond MAX_HEAD.
    // A read that fails with WouldBlock or TimedOut (which one depends on the OS) means
    // the read timeout expired.
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

fn handle(mut stream: TcpStream, read_timeout: Duration) -> io::Result<()> {
    // TODO: without a read timeout, a silent client holds this thread forever.
    let _ = read_timeout;
    let reply = match read_head(&mut stream)? {
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
    lingering_close(stream);
    Ok(())
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
/// discard what the client still sends (bounded by the read timeout and a byte budget).
fn lingering_close(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let mut sink = [0u8; 1024];
    let mut budget: usize = 64 * 1024;
    while budget > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => budget = budget.saturating_sub(n),
        }
    }
}

fn main() -> io::Result<()> {
    let addr = start(Duration::from_secs(5))?;
    println!("listening on http://{addr}/health (the demo exits right away)");
    Ok(())
}
