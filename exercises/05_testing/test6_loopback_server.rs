// Scenario: the health-check endpoint of a tiny std-only HTTP server has only been "tested" by
// running curl by hand. Unit tests of `route` don't catch socket bugs (a missing
// Content-Length, a client that connects and never sends anything and blocks the server
// forever). An integration test starts the real server on 127.0.0.1 port 0 (the OS picks a
// free port, so parallel tests never collide) in a background thread and talks to it with a
// real `TcpStream`, with read timeouts on both sides so a bug fails the test instead of hanging.
//
// Done means: `start_server` binds 127.0.0.1:0, serves connections in a thread with a 100 ms
// read timeout, and returns the address; `http_get` is a small client that sends a request and
// returns (status, body), with its own 2 second read timeout.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

pub const SERVER_READ_TIMEOUT: Duration = Duration::from_millis(100);
pub const CLIENT_READ_TIMEOUT: Duration = Duration::from_secs(2);

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        _ => "Bad Request",
    }
}

fn write_response(stream: &mut TcpStream, status: u16, body: &str) -> io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        reason(status),
        body.len()
    )
}

/// Serves one request on an accepted connection (already correct).
pub fn handle_connection(mut stream: TcpStream) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()), // client went away
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return write_response(&mut stream, 408, "request timeout");
            }
            Err(e) => return Err(e),
        }
        if head.len() > 8192 {
            return write_response(&mut stream, 400, "header too large");
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    match (method, path) {
        ("GET", "/health") => write_response(&mut stream, 200, "ok"),
        (_, "/health") => write_response(&mut stream, 405, "method not allowed"),
        _ => write_response(&mut stream, 404, "not found"),
    }
}

/// Binds 127.0.0.1:0, serves every connection (with SERVER_READ_TIMEOUT) in a background
/// thread, and returns the address the OS picked.
pub fn start_server() -> io::Result<SocketAddr> {
    // TODO: bind the listener, remember `local_addr()`, then move the listener into a thread
    // that loops over `incoming()`, sets the read timeout on each stream and calls
    // `handle_connection`.
    todo!()
}

/// Sends `GET <path> HTTP/1.1` with `Host: <addr>` (HTTP/1.1 requires it) and
/// `Connection: close`, reads the whole response until the server closes (with
/// CLIENT_READ_TIMEOUT) and returns the status code and the body, as sent. A response without
/// the blank line after its head, or without a numeric status code, is an
/// `io::ErrorKind::InvalidData` error.
pub fn http_get(addr: SocketAddr, path: &str) -> io::Result<(u16, String)> {
    // TODO: connect, set the read timeout, write the request (request line, Host header,
    // Connection: close, blank line), read to the end, then split head and body at the blank
    // line and parse the status from "HTTP/1.1 200 OK".
    let _ = (addr, path);
    todo!()
}

fn main() {
    let addr = start_server().expect("start server");
    println!("{:?}", http_get(addr, "/health"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A fake server for one connection: it records the request head the client sends, writes
    /// `head`, then (if `rest` is given) waits for the test to say go before writing `rest`,
    /// and closes. It never sleeps: every wait is on the client or on the test.
    struct FakeServer {
        addr: SocketAddr,
        request: mpsc::Receiver<String>,
        go: mpsc::Sender<()>,
        thread: thread::JoinHandle<()>,
    }

    fn fake_server(head: &'static str, rest: Option<&'static str>) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (request_tx, request) = mpsc::channel();
        let (go, go_rx) = mpsc::channel::<()>();
        let thread = thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut received = Vec::new();
            let mut buf = [0u8; 1024];
            while !received.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => received.extend_from_slice(&buf[..n]),
                }
            }
            let _ = request_tx.send(String::from_utf8_lossy(&received).into_owned());
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.flush();
            if let Some(rest) = rest {
                let _ = go_rx.recv_timeout(Duration::from_secs(10));
                let _ = conn.write_all(rest.as_bytes());
            }
        });
        FakeServer {
            addr,
            request,
            go,
            thread,
        }
    }

    const SMALL_OK: &str = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    #[test]
    fn client_sends_a_complete_http11_request() {
        let server = fake_server(SMALL_OK, None);
        let addr = server.addr;
        let result = http_get(addr, "/health");
        let request = server.request.recv().unwrap();
        server.thread.join().unwrap();
        assert_eq!(result.unwrap(), (200, "ok".to_string()));
        let mut lines = request.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("GET /health HTTP/1.1"),
            "the request line, ended by CRLF; got {request:?}"
        );
        let headers: Vec<(String, String)> = lines
            .take_while(|line| !line.is_empty())
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        let header = |name: &str| {
            headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            header("host"),
            [addr.to_string()],
            "HTTP/1.1 requires exactly one Host header, here {addr} (RFC 9112, 3.2); got \
             {request:?}"
        );
        assert!(
            header("connection")
                .iter()
                .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close"))),
            "the client asks for Connection: close, or a keep-alive server leaves it waiting \
             for the end of the response until its timeout; got {request:?}"
        );
    }

    #[test]
    fn client_returns_the_whole_body() {
        let server = fake_server(
            "HTTP/1.1 200 OK\r\nContent-Length: 27\r\nConnection: close\r\n\r\n\
             line 1\r\nline 2\n\r\n\r\nline 3\r\n",
            None,
        );
        let result = http_get(server.addr, "/report");
        server.thread.join().unwrap();
        assert_eq!(
            result.unwrap(),
            (200, "line 1\r\nline 2\n\r\n\r\nline 3\r\n".to_string()),
            "the body is everything after the first blank line, as sent: every line, even a \
             blank one"
        );
    }

    #[test]
    fn unreadable_status_is_invalid_data() {
        for response in [
            "HTTP/1.1 abc OK\r\nConnection: close\r\n\r\nok",
            "HTTP/1.1\r\nConnection: close\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nConnection: close\r\nok",
            "",
        ] {
            let server = fake_server(response, None);
            let result = http_get(server.addr, "/health");
            server.thread.join().unwrap();
            assert_eq!(
                result.as_ref().map_err(io::Error::kind),
                Err(io::ErrorKind::InvalidData),
                "a response {response:?} has no readable status or no end of head: an \
                 InvalidData error, not a made-up status; got {result:?}"
            );
        }
    }

    #[test]
    fn client_waits_for_the_end_of_the_response() {
        // The server sends the head at once and the body only when the test says go: until
        // then, a client that reads to the end cannot have returned.
        let server = fake_server(
            "HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\n",
            Some("all there"),
        );
        let addr = server.addr;
        let (done, result) = mpsc::channel();
        let client = thread::spawn(move || {
            let _ = done.send(http_get(addr, "/slow"));
        });
        server.request.recv().unwrap();
        let early = result.recv_timeout(Duration::from_millis(500));
        let _ = server.go.send(());
        client.join().unwrap();
        server.thread.join().unwrap();
        assert!(
            early.is_err(),
            "http_get returned {early:?} before the server had sent the body: read until the \
             server closes (read_to_string), not once"
        );
        assert_eq!(
            result.recv().unwrap().unwrap(),
            (200, "all there".to_string())
        );
    }

    #[test]
    fn binds_an_ephemeral_loopback_port() {
        let a = start_server().unwrap();
        let b = start_server().unwrap();
        assert!(
            a.ip().is_loopback(),
            "tests listen on 127.0.0.1 only, got {a}"
        );
        assert_ne!(
            a.port(),
            0,
            "return the port the OS picked (local_addr), not 0"
        );
        assert_ne!(a.port(), b.port(), "each test gets its own server and port");
    }

    #[test]
    fn health_answers_200_ok() {
        let addr = start_server().unwrap();
        assert_eq!(http_get(addr, "/health").unwrap(), (200, "ok".to_string()));
    }

    #[test]
    fn serves_many_requests() {
        let addr = start_server().unwrap();
        for _ in 0..3 {
            assert_eq!(
                http_get(addr, "/health").unwrap().0,
                200,
                "the server keeps accepting after the first connection"
            );
        }
        assert_eq!(
            http_get(addr, "/nope").unwrap(),
            (404, "not found".to_string())
        );
    }

    /// Sends `request` as raw bytes to `addr` and returns the whole raw response.
    fn raw_exchange(addr: SocketAddr, request: &[u8]) -> String {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(CLIENT_READ_TIMEOUT)).unwrap();
        stream.write_all(request).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn server_answers_with_complete_status_lines() {
        let addr = start_server().unwrap();
        let cases: [(&[u8], &str); 3] = [
            (
                b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\n",
            ),
            (
                b"POST /health HTTP/1.1\r\nHost: x\r\n\r\n",
                "HTTP/1.1 405 Method Not Allowed\r\n",
            ),
            (
                b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n",
                "HTTP/1.1 404 Not Found\r\n",
            ),
        ];
        for (request, status_line) in cases {
            let response = raw_exchange(addr, request);
            assert!(
                response.starts_with(status_line),
                "{:?} gets {status_line:?}, got {response:?}",
                String::from_utf8_lossy(request)
            );
        }
    }

    #[test]
    fn a_head_over_8_kib_is_refused() {
        let addr = start_server().unwrap();
        let response = raw_exchange(addr, &[b'a'; 8193]);
        assert!(
            response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "more than 8192 bytes without the end of the head: 400, got {response:?}"
        );
        let response = raw_exchange(addr, &[b'a'; 8192]);
        assert!(
            response.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "8192 bytes are still allowed: the server waits for the rest, then times out, \
             got {response:?}"
        );
    }

    #[test]
    fn the_documented_timeouts() {
        assert_eq!(SERVER_READ_TIMEOUT, Duration::from_millis(100));
        assert_eq!(CLIENT_READ_TIMEOUT, Duration::from_secs(2));
    }

    #[test]
    fn client_gives_up_on_a_server_that_never_answers() {
        // A server that accepts, reads nothing and answers nothing until the test is done.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let mute = thread::spawn(move || {
            let (conn, _) = listener.accept().unwrap();
            // Keep the connection open until the client has given up (or, with a client
            // that never does, long after the runner has stopped the test).
            let _ = wait.recv_timeout(Duration::from_secs(60));
            drop(conn);
        });
        let result = http_get(addr, "/health");
        let _ = done.send(());
        mute.join().unwrap();
        let kind = result.as_ref().map_err(io::Error::kind);
        assert!(
            matches!(
                kind,
                Err(io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
            ),
            "http_get must give up with a read timeout (WouldBlock or TimedOut) when the \
             server never answers, got {result:?}"
        );
    }

    #[test]
    fn silent_client_gets_408_instead_of_blocking_the_server() {
        let addr = start_server().unwrap();
        let mut silent = TcpStream::connect(addr).unwrap();
        silent.set_read_timeout(Some(CLIENT_READ_TIMEOUT)).unwrap();
        let mut response = String::new();
        silent
            .read_to_string(&mut response)
            .expect("the server must answer and close within its read timeout, not hang");
        assert!(
            response.starts_with("HTTP/1.1 408"),
            "a client that sends nothing gets 408 Request Timeout, got: {response:?}"
        );
        assert_eq!(
            http_get(addr, "/health").unwrap().0,
            200,
            "and the server is free for the next client"
        );
    }
}
