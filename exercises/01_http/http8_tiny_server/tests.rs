use super::*;
use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;

/// Generous on purpose: on a busy machine an answer may take a while. A server that never
/// answers still fails the test, just later.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `request` (in pieces, with a short pause between them) and reads the whole
/// response; the server closes the connection after answering.
fn exchange(addr: SocketAddr, pieces: &[&[u8]]) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(CLIENT_TIMEOUT))?;
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

/// Limits that never get in the way, but for the read timeout.
fn limits(read_timeout: Duration) -> Limits {
    Limits {
        read_timeout,
        head_deadline: Duration::from_secs(60),
        max_connections: 64,
    }
}

fn server() -> SocketAddr {
    start(limits(Duration::from_secs(1))).expect("the server must start on 127.0.0.1:0")
}

/// A deadline no test reaches.
fn far() -> Instant {
    Instant::now() + Duration::from_secs(3600)
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
    let addr = start(limits(Duration::from_millis(100))).unwrap();
    let response = exchange(addr, &[])
        .expect("with a read timeout, the server gives up on a silent client and answers");
    assert_eq!(status_of(&response), 408, "got:\n{response}");
}

#[test]
fn a_silent_client_does_not_block_others() {
    // The server waits far longer for the silent client than this test waits for its answer.
    let addr = start(limits(Duration::from_secs(60))).unwrap();
    let silent = TcpStream::connect(addr).unwrap();
    let response = exchange(addr, &[b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n"]).expect(
        "while one connection is silent, others must still be served: one thread per connection",
    );
    assert_eq!(status_of(&response), 200);
    drop(silent);
}

#[test]
fn a_trickling_client_gets_408_at_the_head_deadline() {
    // Each byte arrives well within the read timeout, so only a deadline for the whole head
    // ends this: without one, the client holds its thread as long as it keeps trickling.
    let addr = start(Limits {
        read_timeout: Duration::from_secs(5),
        head_deadline: Duration::from_millis(300),
        max_connections: 64,
    })
    .unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nX-Slow: ")
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let trickler = {
        let mut stream = stream.try_clone().unwrap();
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) && stream.write_all(b"a").is_ok() {
                thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let mut response = String::new();
    let read = stream.read_to_string(&mut response);
    stop.store(true, Ordering::Relaxed);
    trickler.join().unwrap();
    read.expect("the server should give up on the head at its deadline and answer");
    assert_eq!(
        status_of(&response),
        408,
        "the head did not arrive within head_deadline, however lively the client: 408. \
         Got:\n{response}"
    );
}

#[test]
fn connections_past_the_limit_are_refused_with_503() {
    let addr = start(Limits {
        read_timeout: Duration::from_secs(60),
        head_deadline: Duration::from_secs(60),
        max_connections: 2,
    })
    .unwrap();
    // Accepted in the order they connect: these two hold both slots (silently, for a minute).
    let first = TcpStream::connect(addr).unwrap();
    let second = TcpStream::connect(addr).unwrap();
    let response = exchange(addr, &[]).expect(
        "with every slot taken, the server answers at once instead of starting another thread",
    );
    assert_eq!(
        status_of(&response),
        503,
        "two connections are being served and max_connections is 2: the third gets \
         503 Service Unavailable. Got:\n{response}"
    );
    assert!(
        response.contains("Retry-After: 1\r\n"),
        "a 503 says when to come back. Got:\n{response}"
    );
    drop((first, second));
}

#[test]
fn a_flood_of_connections_starts_no_thread_past_the_limit() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = Limits {
        read_timeout: Duration::from_secs(60),
        head_deadline: Duration::from_secs(60),
        max_connections: 2,
    };
    let slots = Slots::new(limits.max_connections);
    let asked = Arc::clone(&slots.asked);
    let accepting = thread::spawn(move || accept_loop(listener, slots, limits))
        .thread()
        .id();
    // Accepted in the order they connect: two silent clients hold both slots, 48 more follow.
    let held: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let flood: Vec<TcpStream> = (0..48).map(|_| TcpStream::connect(addr).unwrap()).collect();
    let mut statuses = Vec::new();
    for mut stream in flood {
        stream.set_read_timeout(Some(CLIENT_TIMEOUT)).unwrap();
        let mut response = String::new();
        statuses.push(match stream.read_to_string(&mut response) {
            Ok(_) => status_of(&response),
            Err(_) => 0,
        });
    }
    let asked = asked.lock().unwrap();
    assert_eq!(
        (asked.first, asked.elsewhere),
        (Some((accepting, 50)), 0),
        "50 connections, so 50 slots asked for, all on the accepting thread: a thread started \
         before its connection has a slot means a flood still starts a thread per connection \
         (Slots saw {asked:?}; the accepting thread is {accepting:?})"
    );
    assert!(
        statuses.iter().all(|&status| status == 503),
        "both slots are held, so every other connection is refused at once with 503 \
         (0: no answer): {statuses:?}"
    );
    drop(held);
}

/// A scripted connection: each `read` returns the next step (bytes that "arrived", or an
/// error); when the script is over, the client has closed the connection: `read` returns 0
/// once, and reading again after that is a bug in the reader (the test panics).
struct Script(VecDeque<io::Result<Vec<u8>>>, bool);

impl Script {
    fn new(steps: Vec<io::Result<&[u8]>>) -> Script {
        Script(
            steps.into_iter().map(|s| s.map(<[u8]>::to_vec)).collect(),
            false,
        )
    }
}

impl Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.0.pop_front() {
            None if self.1 => panic!(
                "read() again after it returned 0: the client has closed the connection, \
                 so stop reading (Closed)"
            ),
            None => {
                self.1 = true;
                Ok(0)
            }
            Some(Err(e)) => Err(e),
            Some(Ok(bytes)) => {
                let n = bytes.len().min(buf.len());
                buf[..n].copy_from_slice(&bytes[..n]);
                if n < bytes.len() {
                    self.0.push_front(Ok(bytes[n..].to_vec()));
                }
                Ok(n)
            }
        }
    }
}

fn head_of(result: io::Result<Head>) -> String {
    match result {
        Ok(Head::Complete(head)) => head,
        Ok(Head::Closed) => panic!("expected a complete head, got Closed"),
        Ok(Head::TimedOut) => panic!("expected a complete head, got TimedOut"),
        Ok(Head::TooLarge) => panic!("expected a complete head, got TooLarge"),
        Err(e) => panic!("expected a complete head, got the error {e}"),
    }
}

#[test]
fn read_head_stops_reading_once_the_deadline_has_passed() {
    let byte: &[u8] = b"a";
    let mut steps: Vec<io::Result<&[u8]>> = vec![Ok(b"GET / HTTP/1.1\r\nX-Slow: ")];
    steps.extend((0..100).map(|_| Ok(byte)));
    let mut connection = Script::new(steps);
    assert!(
        matches!(
            read_head(&mut connection, Instant::now()),
            Ok(Head::TimedOut)
        ),
        "the head's deadline has passed: TimedOut (408), however fast the bytes come"
    );
    assert_eq!(
        101 - connection.0.len(),
        0,
        "the deadline had passed before read_head began: check it before every read, the first \
         one included, so that not even one read is waited for (this counts the reads)"
    );
}

#[test]
fn read_head_waits_for_every_segment() {
    let mut connection = Script::new(vec![
        Ok(b"GET /hea"),
        Ok(b"lth HTTP/1.1\r\nHo"),
        Ok(b"st: t\r\n"),
        Ok(b"\r\n"),
    ]);
    assert_eq!(
        head_of(read_head(&mut connection, far())),
        "GET /health HTTP/1.1\r\nHost: t",
        "each read() returns what has arrived so far: keep reading until \\r\\n\\r\\n"
    );
}

#[test]
fn read_head_retries_an_interrupted_read() {
    let mut connection = Script::new(vec![
        Ok(b"GET / HTTP/1.1\r\n"),
        Err(io::Error::from(ErrorKind::Interrupted)),
        Ok(b"Host: t\r\n\r\n"),
    ]);
    assert_eq!(
        head_of(read_head(&mut connection, far())),
        "GET / HTTP/1.1\r\nHost: t",
        "Interrupted means 'try again', not 'give up'"
    );
}

#[test]
fn read_head_turns_an_expired_timeout_into_timed_out() {
    for kind in [ErrorKind::WouldBlock, ErrorKind::TimedOut] {
        let mut connection =
            Script::new(vec![Ok(b"GET / HTTP/1.1\r\n"), Err(io::Error::from(kind))]);
        assert!(
            matches!(read_head(&mut connection, far()), Ok(Head::TimedOut)),
            "a read failing with {kind:?} is the read timeout expiring: TimedOut (408)"
        );
    }
}

#[test]
fn read_head_refuses_an_endless_head() {
    let chunk = [b'a'; 1000];
    let mut steps: Vec<io::Result<&[u8]>> = vec![Ok(b"GET / HTTP/1.1\r\nX-Junk: ")];
    steps.extend((0..4 * MAX_HEAD / chunk.len()).map(|_| Ok(&chunk[..])));
    let mut connection = Script::new(steps);
    assert!(
        matches!(read_head(&mut connection, far()), Ok(Head::TooLarge)),
        "a head that grows past MAX_HEAD without an empty line is refused (431), \
         before the client gives up or our memory does"
    );
}

#[test]
fn read_head_completes_a_head_that_fits_even_with_body_bytes_after_it() {
    let mut request = b"GET / HTTP/1.1\r\nX-Fill: ".to_vec();
    request.resize(8100 - 4, b'a');
    request.extend_from_slice(b"\r\n\r\n");
    assert!(request.len() < MAX_HEAD);
    request.extend(std::iter::repeat_n(b'b', 2000));
    let mut connection = Script::new(request.chunks(1000).map(Ok).collect());
    let head = head_of(read_head(&mut connection, far()));
    assert_eq!(
        head.len(),
        8100 - 4,
        "the 8100-byte head fits in MAX_HEAD: it is complete, even though the read that brought \
         its end also brought body bytes and took the buffer past MAX_HEAD (look for the end \
         first, then at the size)"
    );
}

#[test]
fn read_head_waits_at_exactly_max_head_bytes() {
    let mut request = b"GET / HTTP/1.1\r\nX-Fill: ".to_vec();
    request.resize(MAX_HEAD, b'a');
    let mut steps: Vec<io::Result<&[u8]>> = request.chunks(1024).map(Ok).collect();
    steps.push(Ok(b"\r\n\r\n"));
    let mut connection = Script::new(steps);
    let head = head_of(read_head(&mut connection, far()));
    assert_eq!(
        head.len(),
        MAX_HEAD,
        "after exactly MAX_HEAD bytes with no end yet, the head is not beyond MAX_HEAD: wait \
         for the next read (only a buffer longer than MAX_HEAD is refused)"
    );
}

#[test]
fn read_head_notices_a_closed_connection() {
    assert!(
        matches!(read_head(&mut Script::new(vec![]), far()), Ok(Head::Closed)),
        "read() returning 0 means the client closed the connection"
    );
}
