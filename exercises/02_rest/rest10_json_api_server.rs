// A real JSON API over a socket (the section's capstone)
//
// The bookshelf API has only been tested by calling handler functions. Now it runs behind a
// real TCP listener, and the mobile team's first day with it went badly: `GET /books/1`
// answers 404 although book 1 exists, `DELETE /books/1` answers 404 too, `DELETE /books` says
// the collection does not exist (it does; the method is what's wrong), and `POST /books` is
// not written yet. The socket plumbing, a minimal HTTP/1.1 parser and the response writer are
// done and correct: you work on `route` and `create_book`.
//
// Done means, for the `books` resource:
//   GET    /books       200, a JSON array of every book, ordered by id
//   POST   /books       201 Created + `Location: /books/{id}` + the created book as JSON;
//                       415 unless the media type is application/json (no Content-Type is
//                       not JSON); 400 for a body that is not a JSON `NewBook`; 422 listing
//                       every field error from `validate`
//   GET    /books/{id}  200 + the book, or 404
//   DELETE /books/{id}  204 with no body, or 404
// Any other method on those two paths, `HEAD` included (this API has no HEAD routes): 405 with
// an `Allow` header. Any other path: 404. A body that is not valid UTF-8 is not JSON: 400. Paths
// are compared as sent: case-sensitive, and an extra `/` (`/books/`, `//books`) makes another
// path. The id is a number written as we write ids, digits without sign or leading zero:
// `/books/01` and `/books/+1` name no book (404). Every error body is RFC 9457 problem+json
// (see `problem`).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

pub const READ_TIMEOUT: Duration = Duration::from_millis(500);
pub const MAX_HEAD: usize = 8 * 1024;
pub const MAX_BODY: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Book {
    pub id: u64,
    pub title: String,
    pub author: String,
    pub year: i32,
}

/// The body of `POST /books`: a book without its id (the server assigns it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBook {
    pub title: String,
    pub author: String,
    pub year: i32,
}

// ---------------------------------------------------------------------------------------------
// Your part: `create_book` and `route`.
// ---------------------------------------------------------------------------------------------

/// `POST /books`.
pub fn create_book(store: &Db, request: &Request) -> Response {
    // TODO: in this order, each check refusing with a `problem(...)`:
    // 1. 415 unless the Content-Type's media type is application/json. Media types are
    //    case-insensitive and may carry parameters: `application/json; charset=utf-8` is JSON,
    //    `application/json-patch+json` is another media type, and no Content-Type is not JSON.
    // 2. 400 unless the body deserializes into a `NewBook` (`serde_json::from_slice`).
    // 3. 422 when `validate` finds errors: a problem whose extra member `errors` is an array
    //    of `{"name": field, "reason": reason}` (start from `problem_json`, send it with
    //    `Response::with_body` and the problem+json media type).
    // 4. Otherwise insert it into the store and answer 201 with the created book and a
    //    `Location` header naming its URL. Take the store's lock once: the insert and the id
    //    it returns are one step (between two locks, another request's insert can land).
    let _ = (store, request);
    problem(501, "POST /books is not implemented yet")
}

/// Which handler answers `request`.
pub fn route(store: &Db, request: &Request) -> Response {
    // TODO: this only knows two exact (method, path) pairs, so everything else is a 404.
    // - `/books/{id}`: GET -> `get_book`, DELETE -> `delete_book`. An id that is not a
    //   number names no book: 404 whatever the method.
    // - A known path with another method is 405 (`method_not_allowed`), with the methods
    //   that path does support; only an unknown path is 404.
    // - Paths are compared as sent: no lower-casing, no trimming of '/'. An id is digits
    //   only, without a leading zero (`str::parse` alone also takes `+7` and `07`).
    // Splitting the path on '/' and matching the segments as a slice pattern
    // (`["books", id]`) keeps this readable.
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/books") => list_books(store),
        ("POST", "/books") => create_book(store, request),
        _ => not_found(&request.path),
    }
}

// ---------------------------------------------------------------------------------------------
// Provided: the store, validation, responses, handlers and the HTTP plumbing. Read, don't edit.
// ---------------------------------------------------------------------------------------------

/// Provided: the store behind one lock, shared by every connection. `lock` counts how often it
/// was taken (the tests read the count).
#[derive(Debug, Default)]
pub struct Db {
    store: Mutex<Store>,
    locks: AtomicU64,
}

impl Db {
    pub fn new(store: Store) -> Db {
        Db {
            store: Mutex::new(store),
            locks: AtomicU64::new(0),
        }
    }

    /// The store, locked until the guard is dropped. Between two locks, other requests run:
    /// what one lock read may be stale by the next.
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.locks.fetch_add(1, Ordering::Relaxed);
        self.store
            .lock()
            .expect("a handler panicked while holding the store")
    }
}

/// Provided: the books, by id. Ids are never reused, even after a delete.
#[derive(Debug, Default)]
pub struct Store {
    books: BTreeMap<u64, Book>,
    last_id: u64,
}

impl Store {
    pub fn insert(&mut self, new: NewBook) -> Book {
        self.last_id += 1;
        let book = Book {
            id: self.last_id,
            title: new.title,
            author: new.author,
            year: new.year,
        };
        self.books.insert(book.id, book.clone());
        book
    }
}

/// Provided: (field, reason) for every rule `new` breaks, in field order.
pub fn validate(new: &NewBook) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    if new.title.trim().is_empty() {
        errors.push(("title", "must not be blank"));
    } else if new.title.chars().count() > 200 {
        errors.push(("title", "must be at most 200 characters"));
    }
    if new.author.trim().is_empty() {
        errors.push(("author", "must not be blank"));
    }
    if !(1450..=2100).contains(&new.year) {
        errors.push(("year", "must be between 1450 and 2100"));
    }
    errors
}

/// Provided: a parsed request. `path` has no query string.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first header called `name` (header names are case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        found.map(|(_, value)| value.as_str())
    }
}

/// Provided: a response; `to_bytes` adds Content-Length and Connection: close.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Response {
    pub fn json(status: u16, value: &impl Serialize) -> Response {
        let body = serde_json::to_string(value).expect("our types always serialize");
        Response::with_body(status, "application/json", body)
    }

    pub fn with_body(status: u16, content_type: &str, body: String) -> Response {
        let headers = vec![("Content-Type", content_type.to_string())];
        Response {
            status,
            headers,
            body,
        }
    }

    pub fn no_content() -> Response {
        Response {
            status: 204,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        // RFC 9110 8.6: no Content-Length in a 204. Its value counts bytes, not chars.
        if self.status != 204 {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("Connection: close\r\n\r\n");
        [head.into_bytes(), self.body.clone().into_bytes()].concat()
    }
}

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        _ => "Internal Server Error",
    }
}

/// Provided: an RFC 9457 problem document (`type` about:blank, so `title` is the reason
/// phrase). Extra members may be added to it before it is sent.
pub fn problem_json(status: u16, detail: impl Into<String>) -> Value {
    json!({
        "type": "about:blank",
        "title": reason(status),
        "status": status,
        "detail": detail.into(),
    })
}

/// Provided: a problem+json response.
pub fn problem(status: u16, detail: impl Into<String>) -> Response {
    let body = problem_json(status, detail).to_string();
    Response::with_body(status, "application/problem+json", body)
}

pub fn not_found(path: &str) -> Response {
    problem(404, format!("nothing at {path}"))
}

/// `allow` lists the methods the path supports, e.g. "GET, POST".
pub fn method_not_allowed(allow: &str) -> Response {
    problem(405, format!("supported methods: {allow}")).header("Allow", allow)
}

pub fn list_books(store: &Db) -> Response {
    let store = store.lock();
    let books: Vec<&Book> = store.books.values().collect();
    Response::json(200, &books)
}

pub fn get_book(store: &Db, id: u64, path: &str) -> Response {
    match store.lock().books.get(&id) {
        Some(book) => Response::json(200, book),
        None => not_found(path),
    }
}

pub fn delete_book(store: &Db, id: u64, path: &str) -> Response {
    match store.lock().books.remove(&id) {
        Some(_) => Response::no_content(),
        None => not_found(path),
    }
}

/// Provided: binds 127.0.0.1:0 and serves every connection on its own thread. The handle is
/// the accept loop's thread, which runs as long as the process does.
pub fn start(store: Store) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let store = Arc::new(Db::new(store));
    let handle = thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let store = Arc::clone(&store);
            thread::spawn(move || serve(stream, &store));
        }
    });
    Ok((addr, handle))
}

fn serve(mut stream: TcpStream, store: &Db) {
    if stream.set_read_timeout(Some(READ_TIMEOUT)).is_err() {
        return;
    }
    let response = match read_request(&mut stream) {
        Ok(Some(request)) => route(store, &request),
        Ok(None) => return, // the client left without sending anything
        Err(response) => response,
    };
    let _ = stream.write_all(&response.to_bytes());
    let _ = stream.flush();
    // Stop writing, then drain what the client still sends, so that closing does not reset
    // the connection before the client has read the response.
    let _ = stream.shutdown(Shutdown::Write);
    let mut sink = [0u8; 1024];
    for _ in 0..64 {
        if !matches!(stream.read(&mut sink), Ok(1..)) {
            break;
        }
    }
}

/// Provided: a minimal HTTP/1.1 request parser (request line, headers, Content-Length body).
fn read_request(stream: &mut TcpStream) -> Result<Option<Request>, Response> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(problem(431, "request head too large"));
        }
        match read_some(stream, &mut buf)? {
            0 if buf.is_empty() => return Ok(None),
            0 => return Err(problem(400, "incomplete request head")),
            _ => {}
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(_version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(problem(400, "malformed request line"));
    };
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(problem(400, "malformed header line"));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        path: target.split('?').next().unwrap_or("").to_string(),
        headers,
        body: buf.split_off(head_end + 4),
    };
    let length = match request.header("Content-Length") {
        None => 0,
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| problem(400, "invalid Content-Length"))?,
    };
    if length > MAX_BODY {
        return Err(problem(
            413,
            format!("bodies are limited to {MAX_BODY} bytes"),
        ));
    }
    while request.body.len() < length {
        if read_some(stream, &mut request.body)? == 0 {
            return Err(problem(400, "body shorter than Content-Length"));
        }
    }
    request.body.truncate(length);
    Ok(Some(request))
}

fn read_some(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<usize, Response> {
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(problem(408, "no complete request within the read timeout"));
            }
            Err(_) => return Err(problem(400, "connection error")),
        }
    }
}

fn main() {
    let mut store = Store::default();
    store.insert(NewBook {
        title: "Dune".into(),
        author: "Frank Herbert".into(),
        year: 1965,
    });
    let (addr, _server) = start(store).expect("start the server");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("set a read timeout");
    let request = format!("GET /books HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("receive");
    println!("{response}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Generous on purpose: a busy machine may take a while to answer. A server that never
    /// answers still fails, just later.
    const CLIENT_READ_TIMEOUT: Duration = Duration::from_secs(10);

    struct Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    }

    impl Reply {
        fn header(&self, name: &str) -> Option<&str> {
            let found = self
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name));
            found.map(|(_, value)| value.as_str())
        }

        fn json(&self) -> Value {
            serde_json::from_str(&self.body)
                .unwrap_or_else(|e| panic!("the body must be JSON ({e}), got {:?}", self.body))
        }

        /// Content-Type is what the body is; Content-Length counts its bytes exactly.
        fn assert_json(&self, content_type: &str) -> Value {
            assert_eq!(
                self.header("Content-Type"),
                Some(content_type),
                "a {} response with a JSON body says so in Content-Type",
                self.status
            );
            assert_eq!(
                self.header("Content-Length"),
                Some(self.body.len().to_string().as_str()),
                "Content-Length is the body's length in bytes"
            );
            self.json()
        }
    }

    /// A real HTTP/1.1 client: one request per connection, `Connection: close`.
    fn send(addr: SocketAddr, method: &str, path: &str, body: Option<(&str, &str)>) -> Reply {
        let mut stream = TcpStream::connect(addr).expect("connect to the test server");
        stream.set_read_timeout(Some(CLIENT_READ_TIMEOUT)).unwrap();
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
        if let Some((content_type, body)) = body {
            request.push_str(&format!("Content-Type: {content_type}\r\n"));
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
            request.push_str(&format!("Connection: close\r\n\r\n{body}"));
        } else {
            request.push_str("Connection: close\r\n\r\n");
        }
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = String::new();
        stream
            .read_to_string(&mut raw)
            .expect("the server answers and closes the connection");
        let (head, body) = raw
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("{method} {path}: no complete response, got {raw:?}"));
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
            .collect();
        Reply {
            status: status.parse().unwrap(),
            headers,
            body: body.to_string(),
        }
    }

    fn post(addr: SocketAddr, body: &str) -> Reply {
        send(addr, "POST", "/books", Some(("application/json", body)))
    }

    /// A server with two books: 1 "Dune" and 2 "Cien años de soledad".
    fn server() -> SocketAddr {
        start(two_books()).expect("start the server").0
    }

    fn two_books() -> Store {
        let mut store = Store::default();
        for (title, author, year) in [
            ("Dune", "Frank Herbert", 1965),
            ("Cien años de soledad", "Gabriel García Márquez", 1967),
        ] {
            let (title, author) = (title.to_string(), author.to_string());
            store.insert(NewBook {
                title,
                author,
                year,
            });
        }
        store
    }

    /// `route` called directly, with the request the parser would build.
    fn call(store: &Db, method: &str, path: &str, content_type: Option<&str>) -> Response {
        let headers = content_type
            .map(|value| vec![("Content-Type".to_string(), value.to_string())])
            .unwrap_or_default();
        let body = r#"{"title": "Kindred", "author": "Octavia E. Butler", "year": 1979}"#;
        let request = Request {
            method: method.to_string(),
            path: path.to_string(),
            headers,
            body: body.as_bytes().to_vec(),
        };
        route(store, &request)
    }

    /// The ids in the store, read from its private state.
    fn stored(store: &Db) -> Vec<u64> {
        store.lock().books.keys().copied().collect()
    }

    fn ids(addr: SocketAddr) -> Vec<u64> {
        let list = send(addr, "GET", "/books", None).json();
        let list = list.as_array().expect("GET /books is a JSON array");
        list.iter().map(|b| b["id"].as_u64().unwrap()).collect()
    }

    fn allowed(reply: &Reply) -> BTreeSet<String> {
        let allow = reply
            .header("Allow")
            .expect("a 405 must list the supported methods in an Allow header");
        allow.split(',').map(|m| m.trim().to_string()).collect()
    }

    #[test]
    fn lists_the_collection_as_a_json_array() {
        let addr = server();
        assert!(
            addr.ip().is_loopback(),
            "the test server listens on 127.0.0.1"
        );
        let reply = send(addr, "GET", "/books", None);
        assert_eq!(reply.status, 200, "GET /books: 200 OK");
        let body = reply.assert_json("application/json");
        assert_eq!(body[0]["title"], "Dune", "the list is ordered by id");
        assert_eq!(body[1]["author"], "Gabriel García Márquez");
        assert_eq!(ids(addr), [1, 2]);
    }

    #[test]
    fn gets_one_book_by_id() {
        let addr = server();
        let reply = send(addr, "GET", "/books/2", None);
        assert_eq!(reply.status, 200, "GET /books/2: book 2 exists, 200 OK");
        let body = reply.assert_json("application/json");
        assert_eq!(
            body,
            json!({"id": 2, "title": "Cien años de soledad",
                   "author": "Gabriel García Márquez", "year": 1967}),
            "the body is the book itself"
        );
    }

    #[test]
    fn missing_book_is_404_problem_json() {
        let addr = server();
        let reply = send(addr, "GET", "/books/99", None);
        assert_eq!(
            reply.status, 404,
            "GET /books/99: no such book, 404 Not Found"
        );
        let body = reply.assert_json("application/problem+json");
        assert_eq!(body["status"], 404, "a problem repeats its status");
        assert_eq!(body["title"], "Not Found");
    }

    #[test]
    fn unknown_paths_are_404() {
        let addr = server();
        for (method, path) in [
            ("GET", "/authors"),
            ("GET", "/"),
            ("GET", "/books/1/reviews"),
            ("GET", "/books/abc"),
            ("DELETE", "/books/abc"),
            ("PATCH", "/books/abc"),
        ] {
            let reply = send(addr, method, path, None);
            assert_eq!(
                reply.status, 404,
                "{method} {path}: no such resource is 404 (a non-numeric id names no book)"
            );
            reply.assert_json("application/problem+json");
        }
    }

    #[test]
    fn wrong_method_on_a_known_path_is_405_with_allow() {
        let addr = server();
        let reply = send(addr, "DELETE", "/books", None);
        assert_eq!(
            reply.status, 405,
            "DELETE /books: the path exists but not the method, 405 (404 is for unknown paths)"
        );
        assert_eq!(
            allowed(&reply),
            BTreeSet::from(["GET".into(), "POST".into()])
        );
        reply.assert_json("application/problem+json");

        let reply = send(addr, "PUT", "/books/1", None);
        assert_eq!(
            reply.status, 405,
            "PUT /books/1: only GET and DELETE exist here"
        );
        assert_eq!(
            allowed(&reply),
            BTreeSet::from(["GET".into(), "DELETE".into()])
        );
        assert_eq!(ids(addr), [1, 2], "a refused request changes nothing");
    }

    #[test]
    fn post_creates_201_with_location_and_the_new_book() {
        let addr = server();
        let reply = post(
            addr,
            r#"{"title": "Kindred", "author": "Octavia E. Butler", "year": 1979}"#,
        );
        assert_eq!(
            reply.status, 201,
            "POST /books that creates a book: 201 Created"
        );
        let body = reply.assert_json("application/json");
        assert_eq!(
            body,
            json!({"id": 3, "title": "Kindred", "author": "Octavia E. Butler", "year": 1979}),
            "the 201 body is the created book, with the id the server assigned"
        );
        let location = reply
            .header("Location")
            .expect("201 Created says where the new resource lives, in a Location header");
        assert_eq!(location, "/books/3");
        let fetched = send(addr, "GET", location, None);
        assert_eq!(
            fetched.status, 200,
            "GET on the Location finds the new book"
        );
        assert_eq!(fetched.json(), body, "and it is the same book");
        assert_eq!(ids(addr), [1, 2, 3], "the collection now has three books");
    }

    #[test]
    fn post_accepts_media_type_parameters() {
        let addr = server();
        let body = r#"{"title": "Solaris", "author": "Stanisław Lem", "year": 1961}"#;
        let reply = send(
            addr,
            "POST",
            "/books",
            Some(("Application/JSON; charset=utf-8", body)),
        );
        assert_eq!(
            reply.status, 201,
            "media types are case-insensitive and may carry parameters like charset"
        );
    }

    #[test]
    fn post_without_json_content_type_is_415() {
        let addr = server();
        let body = r#"{"title": "Kindred", "author": "Octavia E. Butler", "year": 1979}"#;
        for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
            let reply = send(addr, "POST", "/books", Some((content_type, body)));
            assert_eq!(
                reply.status, 415,
                "{content_type}: 415 Unsupported Media Type, even when the body is valid JSON"
            );
            reply.assert_json("application/problem+json");
        }
        let form = "title=Kindred&author=Octavia+E.+Butler&year=1979";
        let reply = send(
            addr,
            "POST",
            "/books",
            Some(("application/x-www-form-urlencoded", form)),
        );
        assert_eq!(
            reply.status, 415,
            "a form-encoded body: the media type is what's wrong (415), so check it before parsing"
        );
        assert_eq!(ids(addr), [1, 2], "nothing was created");
    }

    #[test]
    fn post_needs_the_json_media_type_itself() {
        let store = Db::new(two_books());
        for content_type in [
            None,
            Some(""),
            Some("application/json-patch+json"),
            Some("application/jsonx"),
            Some("application/json+ld"),
            Some("application/merge-patch+json"),
            Some("text/json"),
            Some("json"),
            Some("application/json-seq; charset=utf-8"),
        ] {
            let response = call(&store, "POST", "/books", content_type);
            assert_eq!(
                response.status, 415,
                "Content-Type {content_type:?}: only application/json (any case, any \
                 parameters) is JSON; a missing one is not assumed to be JSON"
            );
            assert_eq!(stored(&store), [1, 2], "nothing was created");
        }
        for content_type in [
            "application/json",
            "APPLICATION/JSON",
            "application/json;charset=utf-8",
            "application/json ; charset=UTF-8",
        ] {
            let response = call(&store, "POST", "/books", Some(content_type));
            assert_eq!(response.status, 201, "{content_type:?} is application/json");
        }
    }

    #[test]
    fn paths_and_ids_are_compared_as_sent() {
        let store = Db::new(two_books());
        assert_eq!(call(&store, "GET", "/books/1", None).status, 200);
        assert_eq!(call(&store, "GET", "/books", None).status, 200);
        for path in [
            "/books/",
            "/books/1/",
            "//books",
            "//books/1",
            "/books//1",
            "/books/1//",
            "books",
            "books/1",
            "/BOOKS",
            "/Books/1",
            "/BOOKS/1",
            "/books/01",
            "/books/001",
            "/books/+1",
            "/books/-1",
            "/books/ 1",
            "/books/1.0",
            "/books/1e0",
            "/books/0x1",
            "/books/18446744073709551617",
        ] {
            for method in ["GET", "DELETE", "POST", "PUT"] {
                let response = call(&store, method, path, Some("application/json"));
                assert_eq!(
                    response.status, 404,
                    "{method} {path}: no such resource. Paths are case-sensitive, an extra `/` \
                     makes another path, and ids are written `1`, not `01` or `+1`"
                );
            }
            assert_eq!(stored(&store), [1, 2], "{path}: nothing deleted or created");
        }
    }

    #[test]
    fn post_malformed_body_is_400() {
        let addr = server();
        for body in [
            r#"{"title": "Kindred", "author": "#,
            "[1, 2, 3]",
            r#"{"title": "Kindred", "author": "Octavia E. Butler"}"#,
            r#"{"title": "Kindred", "author": "Octavia E. Butler", "year": "1979"}"#,
            r#"{"title": "Kindred", "author": "Octavia E. Butler", "year": 1979, "id": 7}"#,
        ] {
            let reply = post(addr, body);
            assert_eq!(
                reply.status, 400,
                "{body}: not a NewBook (syntax, shape, a type, an unknown field): 400 Bad Request"
            );
            reply.assert_json("application/problem+json");
        }
        assert_eq!(ids(addr), [1, 2], "nothing was created");
    }

    #[test]
    fn post_invalid_fields_is_422_with_every_error() {
        let addr = server();
        let reply = post(addr, r#"{"title": "  ", "author": "", "year": 3000}"#);
        assert_eq!(
            reply.status, 422,
            "well-formed JSON that breaks the rules: 422 Unprocessable Content, not 400"
        );
        let body = reply.assert_json("application/problem+json");
        assert_eq!(body["status"], 422);
        let errors = body["errors"]
            .as_array()
            .expect("a 422 problem lists the field errors in an `errors` array");
        let names: Vec<&str> = errors.iter().filter_map(|e| e["name"].as_str()).collect();
        assert_eq!(
            names,
            ["title", "author", "year"],
            "every invalid field, in order, so a form can show them all at once"
        );
        assert_eq!(errors[2]["reason"], "must be between 1450 and 2100");
        assert_eq!(ids(addr), [1, 2], "nothing was created");
    }

    #[test]
    fn delete_is_204_then_404() {
        let addr = server();
        let reply = send(addr, "DELETE", "/books/1", None);
        assert_eq!(
            reply.status, 204,
            "DELETE of an existing book: 204 No Content"
        );
        assert_eq!(reply.body, "", "a 204 has no body");
        assert_eq!(ids(addr), [2], "book 1 is gone");
        let again = send(addr, "DELETE", "/books/1", None);
        assert_eq!(
            again.status, 404,
            "deleting it again: it no longer exists, 404"
        );
        let get = send(addr, "GET", "/books/1", None);
        assert_eq!(get.status, 404, "and GET /books/1 is 404 too");
        let created = post(
            addr,
            r#"{"title": "Emma", "author": "Jane Austen", "year": 1815}"#,
        );
        assert_eq!(
            created.header("Location"),
            Some("/books/3"),
            "ids are never reused: a new book does not become the deleted book 1"
        );
    }

    #[test]
    fn a_silent_client_does_not_block_the_others() {
        let addr = server();
        let _silent = TcpStream::connect(addr).unwrap();
        let reply = send(addr, "GET", "/books", None);
        assert_eq!(
            reply.status, 200,
            "each connection is served on its own thread"
        );
    }

    #[test]
    fn head_is_a_method_these_paths_do_not_have() {
        // The table has no HEAD: it is 405 like PUT, never a GET with its body.
        let store = Db::new(two_books());
        for (path, allow) in [("/books", ["GET", "POST"]), ("/books/1", ["GET", "DELETE"])] {
            let response = call(&store, "HEAD", path, None);
            assert_eq!(response.status, 405, "HEAD {path}: not in the table, 405");
            let header = response
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("Allow"))
                .map(|(_, value)| value.clone())
                .expect("a 405 has an Allow header");
            let listed: BTreeSet<String> =
                header.split(',').map(|m| m.trim().to_string()).collect();
            assert_eq!(listed, allow.iter().map(|m| m.to_string()).collect());
            assert!(
                !response.body.contains("Dune"),
                "HEAD {path} never sends the books"
            );
        }
        assert_eq!(call(&store, "HEAD", "/nope", None).status, 404);
    }

    /// A `POST /books` request for a valid book called `title`.
    fn post_request(title: &str) -> Request {
        Request {
            method: "POST".to_string(),
            path: "/books".to_string(),
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: json!({"title": title, "author": "Octavia E. Butler", "year": 1979})
                .to_string()
                .into_bytes(),
        }
    }

    fn location(response: &Response) -> Option<&str> {
        let found = response
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("Location"));
        found.map(|(_, value)| value.as_str())
    }

    #[test]
    fn a_post_takes_the_store_once() {
        // Between two locks of one request, another request's insert can land: an id read
        // back from the store after the insert may be another request's book. The id comes
        // from the insert's own result, in the same single lock. (`Db::lock` counts the locks.)
        let store = Db::new(two_books());
        for round in 0..3 {
            let title = format!("Kindred {round}");
            let before = store.locks.load(Ordering::Relaxed);
            let response = create_book(&store, &post_request(&title));
            let taken = store.locks.load(Ordering::Relaxed) - before;
            assert_eq!(response.status, 201, "{}", response.body);
            assert_eq!(
                taken, 1,
                "a POST that creates a book takes the store's lock once, not {taken} times: the \
                 insert and the id it returns are one step, and between two locks another \
                 request's insert can land"
            );
            let book: Book = serde_json::from_str(&response.body).expect("the 201 body is a book");
            assert_eq!(book.title, title);
            assert_eq!(
                location(&response),
                Some(format!("/books/{}", book.id).as_str())
            );
        }
    }

    #[test]
    fn concurrent_posts_each_get_the_location_of_their_own_book() {
        // Eight clients POST at once on one store: each Location names the book in its own 201
        // body, and no id is given twice.
        const CLIENTS: usize = 8;
        const POSTS: usize = 100;
        let store = Arc::new(Db::new(two_books()));
        let start = Arc::new(std::sync::Barrier::new(CLIENTS));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let (store, start) = (Arc::clone(&store), Arc::clone(&start));
                thread::spawn(move || {
                    start.wait();
                    (0..POSTS)
                        .map(|post| {
                            let title = format!("Kindred {client}-{post}");
                            let response = create_book(&store, &post_request(&title));
                            (title, response)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut ids = BTreeSet::new();
        for client in clients {
            for (title, response) in client.join().expect("create_book must not panic") {
                assert_eq!(response.status, 201, "{title}: {}", response.body);
                let book: Book =
                    serde_json::from_str(&response.body).expect("the 201 body is the new book");
                assert_eq!(
                    book.title, title,
                    "the 201 body is the book this request sent"
                );
                assert!(ids.insert(book.id), "id {} was given twice", book.id);
                assert_eq!(
                    location(&response),
                    Some(format!("/books/{}", book.id).as_str()),
                    "{title}: the Location names the book this request created"
                );
            }
        }
        assert_eq!(
            stored(&store).len(),
            2 + CLIENTS * POSTS,
            "every POST stored one book"
        );
    }

    #[test]
    fn a_body_that_is_not_utf8_is_400() {
        // Invalid UTF-8 inside a title is not JSON: refuse it, do not store U+FFFD.
        let store = Db::new(two_books());
        let mut body = br#"{"title": "Kindred "#.to_vec();
        body.extend_from_slice(&[0xff, 0xfe, 0xc3]);
        body.extend_from_slice(br#"", "author": "Octavia E. Butler", "year": 1979}"#);
        let request = Request {
            method: "POST".to_string(),
            path: "/books".to_string(),
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body,
        };
        let response = route(&store, &request);
        assert_eq!(
            response.status, 400,
            "a body that is not UTF-8 is not JSON: 400"
        );
        assert_eq!(stored(&store), [1, 2], "nothing was stored");
    }
}
