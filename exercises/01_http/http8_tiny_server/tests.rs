use super::*;
use std::time::Instant;

/// Sends `request` (in pieces, with a short pause between them) and reads the whole
/// response; the server closes the connection after answering.
fn exchange(addr: SocketAddr, pieces: &[&[u8]]) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            thread::sleep(Duration::from_millis(30));
        }
        stream.write_all(piece)?;
        stream.flush()?;
    }
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

fn status_of(response: &str) -> u16 {
    let line = response.lines().next().unwrap_or_default();
    line.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {line:?}"))
}

fn server() -> SocketAddr {
    start(Duration::from_secs(1)).expect("the server must start on 127.0.0.1:0")
}

#[test]
fn binds_an_os_chosen_local_port() {
    let addr = server();
    assert!(addr.ip().is_loopback(), "listen on 127.0.0.1 only");
    assert_ne!(
        addr.port(),
        0,
        "local_addr() reports the port the OS picked"
    );
}

#[test]
fn serves_health() {
    let addr = server();
    let response = exchange(addr, &[b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n"])
        .expect("the server should answer and close the connection");
    assert_eq!(status_of(&response), 200, "got:\n{response}");
    assert!(
        response.ends_with("\r\n\r\nok\n"),
        "the body follows the empty line, got:\n{response}"
    );
    let response = exchange(addr, &[b"GET /hello/ada HTTP/1.1\r\nHost: t\r\n\r\n"]).unwrap();
    assert!(response.ends_with("hello, ada\n"), "got:\n{response}");
}

#[test]
fn head_arriving_in_pieces() {
    let addr = server();
    let response = exchange(
        addr,
        &[b"GET /hea", b"lth HTTP/1.1\r\nHo", b"st: t\r\n", b"\r\n"],
    )
    .expect("the server should wait for the rest of the head");
    assert_eq!(
        status_of(&response),
        200,
        "TCP is a byte stream: one read() may return part of the request; keep reading \
         until \\r\\n\\r\\n. Got:\n{response}"
    );
}

#[test]
fn not_found_and_method_not_allowed() {
    let addr = server();
    let response = exchange(addr, &[b"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"]).unwrap();
    assert_eq!(status_of(&response), 404, "unknown path: 404");
    let response = exchange(addr, &[b"POST /health HTTP/1.1\r\nHost: t\r\n\r\n"]).unwrap();
    assert_eq!(
        status_of(&response),
        405,
        "known path, wrong method: 405, not 404. Got:\n{response}"
    );
    assert!(
        response.contains("\r\nAllow: GET\r\n"),
        "a 405 must say which methods are allowed. Got:\n{response}"
    );
}

#[test]
fn malformed_request_line_is_400() {
    let addr = server();
    let response = exchange(addr, &[b"BANANA\r\n\r\n"]).unwrap();
    assert_eq!(status_of(&response), 400, "got:\n{response}");
}

#[test]
fn oversized_head_is_431() {
    let addr = server();
    let mut request = b"GET /health HTTP/1.1\r\nHost: t\r\nX-Junk: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', MAX_HEAD + 100));
    let response = exchange(addr, &[&request]).expect("the server should answer, not hang");
    assert_eq!(
        status_of(&response),
        431,
        "a head larger than MAX_HEAD must be refused before it eats our memory"
    );
}

#[test]
fn silent_client_gets_408() {
    let addr = start(Duration::from_millis(100)).unwrap();
    let started = Instant::now();
    let response = exchange(addr, &[])
        .expect("with a read timeout, the server gives up on a silent client and answers");
    assert_eq!(status_of(&response), 408, "got:\n{response}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the server's own read timeout (100 ms) should fire first"
    );
}

#[test]
fn a_silent_client_does_not_block_others() {
    let addr = start(Duration::from_secs(5)).unwrap();
    let silent = TcpStream::connect(addr).unwrap();
    let response = exchange(addr, &[b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n"]).expect(
        "while one connection is silent, others must still be served: one thread per connection",
    );
    assert_eq!(status_of(&response), 200);
    drop(silent);
}

#[test]
fn route_unit() {
    let reply = routes::route("DELETE", "/hello/x");
    assert_eq!(reply.status, 405);
    assert!(reply.headers.contains(&("Allow", "GET".to_string())));
    assert_eq!(routes::route("DELETE", "/other").status, 404);
}
