//! A minimal blocking HTTP/1.1 client over `TcpStream`: one request per connection, plain
//! HTTP only. The classroom needs three small JSON requests on a local network; an HTTP crate
//! would add its build time to every learner's first build for that.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Where the classroom server is, from the join URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// `host:port`
    pub authority: String,
    /// Path before `/join/` (empty unless the server sits behind a proxy under a prefix).
    pub prefix: String,
    pub code: String,
}

impl Server {
    /// Parses `http://HOST[:PORT][/PREFIX]/join/CODE`.
    pub fn from_join_url(url: &str) -> Result<Server, String> {
        let url = url.trim();
        let rest = match url.split_once("://") {
            Some(("http", rest)) => rest,
            Some((scheme, _)) => {
                return Err(format!(
                    "`{url}`: only http:// join URLs are supported, not {scheme}://"
                ));
            }
            None => {
                return Err(format!(
                    "`{url}` is not a URL: expected http://HOST:PORT/join/CODE"
                ));
            }
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let path = format!("/{path}");
        let (prefix, code) = path.rsplit_once("/join/").ok_or_else(|| {
            format!("`{url}` is not a join URL: expected http://HOST:PORT/join/CODE")
        })?;
        let code = code.trim_end_matches('/');
        let valid = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:[]".contains(&b))
        };
        if authority.is_empty() || !valid(authority) || code.is_empty() || !valid(code) {
            return Err(format!(
                "`{url}` is not a join URL: expected http://HOST:PORT/join/CODE"
            ));
        }
        let authority = if authority
            .rsplit_once(':')
            .is_some_and(|(_, p)| !p.ends_with(']'))
        {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        Ok(Server {
            authority,
            prefix: prefix.to_string(),
            code: code.to_string(),
        })
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

const TIMEOUT: Duration = Duration::from_secs(5);
const MAX_RESPONSE: u64 = 1024 * 1024;

pub fn request(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> io::Result<Response> {
    let addrs = server.authority.to_socket_addrs()?;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address for the server");
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = e,
        }
    }
    let mut stream = stream.ok_or(last)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let mut head = format!(
        "{method} {}{path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n",
        server.prefix, server.authority
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = body.unwrap_or("");
    if method != "GET" {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.take(MAX_RESPONSE).read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn bad(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

fn parse_response(raw: &[u8]) -> io::Result<Response> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("the server's response has no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("the server's response has no status"))?;
    let chunked = lines.any(|l| {
        l.to_ascii_lowercase()
            .replace(' ', "")
            .starts_with("transfer-encoding:chunked")
    });
    let body = &raw[split + 4..];
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_vec()
    };
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut body: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| bad("a chunk has no size line"))?;
        let size = std::str::from_utf8(&body[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .ok_or_else(|| bad("a chunk size is not hexadecimal"))?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = body
            .get(..size)
            .ok_or_else(|| bad("a chunk is cut short"))?;
        out.extend_from_slice(chunk);
        body = body.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_urls_are_parsed_and_bad_ones_explained() {
        let server = Server::from_join_url("http://192.168.1.5:8077/join/abc23").unwrap();
        assert_eq!(server.authority, "192.168.1.5:8077");
        assert_eq!(
            (server.prefix.as_str(), server.code.as_str()),
            ("", "abc23")
        );
        let proxied = Server::from_join_url("http://room.lan/class/join/xyz/").unwrap();
        assert_eq!(proxied.authority, "room.lan:80");
        assert_eq!(
            (proxied.prefix.as_str(), proxied.code.as_str()),
            ("/class", "xyz")
        );
        assert!(
            Server::from_join_url("https://x/join/a")
                .unwrap_err()
                .contains("only http://")
        );
        assert!(
            Server::from_join_url("http://x/teach/a")
                .unwrap_err()
                .contains("not a join URL")
        );
        assert!(
            Server::from_join_url("x")
                .unwrap_err()
                .contains("not a URL")
        );
    }

    #[test]
    fn plain_and_chunked_responses_are_read() {
        let plain =
            parse_response(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 2\r\n\r\nno").unwrap();
        assert_eq!((plain.status, plain.body.as_str()), (403, "no"));
        let chunked = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(chunked.body, "abcde");
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
    }
}
