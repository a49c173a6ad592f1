// Scenario: an internal proxy parses HTTP/1.1 requests by hand. It looked up `Content-Type`
// with `==`, so clients sending `content-type:` (all lowercase, as HTTP/2 gateways do) lost
// their body type, and a request line with a missing part made it panic on an index.
//
// Done means: `parse_request` turns the bytes of a request head into a `Request`, or returns
// a precise `ParseError` (the server answers those with 400, never with a panic), and
// `Headers::get` finds a header whatever the case of its name (RFC 9110 section 5.1).
//
// The format (RFC 9112 sections 3 and 5):
//   request-line = method SP request-target SP HTTP-version CRLF
//   header-line  = field-name ":" OWS field-value OWS CRLF     (OWS = optional spaces/tabs)
//   an empty line (CRLF) ends the head; the body follows.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// The value of the first header named `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub version: String,
    pub headers: Headers,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// No empty line yet: the head is not complete (read more bytes, or time out).
    Incomplete,
    /// The request line is not exactly `METHOD SP TARGET SP VERSION`,
    /// or the target does not start with `/`.
    BadRequestLine,
    /// Only `HTTP/1.0` and `HTTP/1.1` are spoken here (exactly: the version is case-sensitive).
    UnsupportedVersion(String),
    /// A header line without `:`, or whose name is not a token (`is_token`): empty, or with a
    /// space, a tab or another separator in it (`Host : x` must be rejected, RFC 9112 section
    /// 5.1). Carries the offending line.
    BadHeader(String),
    /// HTTP/1.1 requests must carry a Host header (RFC 9112 section 3.2).
    MissingHost,
}

/// Provided: whether `name` is a token (RFC 9110 section 5.6.2): one or more letters, digits
/// or any of ``!#$%&'*+-.^_`|~``. Header names and methods are tokens.
pub fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

pub fn parse_request(raw: &str) -> Result<Request, ParseError> {
    let (head, body) = raw.split_once("\r\n\r\n").ok_or(ParseError::Incomplete)?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();

    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(ParseError::BadRequestLine);
    };
    if method.is_empty() || !target.starts_with('/') {
        return Err(ParseError::BadRequestLine);
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ParseError::UnsupportedVersion(version.to_string()));
    }

    let mut headers = Vec::new();
    for line in lines {
        let bad = || ParseError::BadHeader(line.to_string());
        let (name, value) = line.split_once(':').ok_or_else(bad)?;
        if !is_token(name) {
            return Err(bad());
        }
        let value = value.trim_matches([' ', '\t']);
        headers.push((name.to_string(), value.to_string()));
    }
    let headers = Headers(headers);

    if version == "HTTP/1.1" && headers.get("host").is_none() {
        return Err(ParseError::MissingHost);
    }

    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
        body: body.to_string(),
    })
}

fn main() {
    let raw =
        "GET /orders/7 HTTP/1.1\r\nHost: shop.local\r\ncontent-type: application/json\r\n\r\n";
    println!("{:?}", parse_request(raw));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_simple_get() {
        let raw = "GET /orders?page=2 HTTP/1.1\r\nHost: shop.local\r\nAccept: */*\r\n\r\n";
        let req = parse_request(raw).expect("a well-formed request must parse");
        assert_eq!(req.method, "GET");
        assert_eq!(
            req.target, "/orders?page=2",
            "the target keeps its query string"
        );
        assert_eq!(req.version, "HTTP/1.1");
        assert_eq!(req.headers.get("Host"), Some("shop.local"));
        assert_eq!(req.body, "", "no body after the empty line");
    }

    #[test]
    fn header_names_are_case_insensitive() {
        let raw = "POST /orders HTTP/1.1\r\nhost: a\r\ncontent-TYPE: application/json\r\n\r\n{}";
        let req = parse_request(raw).unwrap();
        assert_eq!(
            req.headers.get("Content-Type"),
            Some("application/json"),
            "`content-TYPE` and `Content-Type` are the same header"
        );
        assert_eq!(req.headers.get("HOST"), Some("a"));
        assert_eq!(req.headers.get("X-Missing"), None);
        assert_eq!(
            req.body, "{}",
            "everything after the empty line is the body"
        );
    }

    #[test]
    fn the_first_of_repeated_headers_wins() {
        let raw = "GET / HTTP/1.1\r\nHost: a\r\nX-Tag: first\r\nx-tag: second\r\n\r\n";
        let req = parse_request(raw).unwrap();
        assert_eq!(
            req.headers.get("X-Tag"),
            Some("first"),
            "`get` returns the first header with that name, whatever the case of either"
        );
    }

    #[test]
    fn values_are_trimmed_but_keep_inner_spaces() {
        let raw = "GET / HTTP/1.1\r\nHost:\t shop.local \r\nUser-Agent:  curl/8.0 (linux)\r\n\r\n";
        let req = parse_request(raw).unwrap();
        assert_eq!(
            req.headers.get("host"),
            Some("shop.local"),
            "optional whitespace (spaces and tabs) around the value is not part of it"
        );
        assert_eq!(req.headers.get("user-agent"), Some("curl/8.0 (linux)"));
    }

    #[test]
    fn colon_in_value_is_fine() {
        let raw = "GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n";
        let req = parse_request(raw).unwrap();
        assert_eq!(
            req.headers.get("Host"),
            Some("localhost:8080"),
            "split at the FIRST colon only"
        );
    }

    #[test]
    fn incomplete_head() {
        assert_eq!(
            parse_request("GET / HTTP/1.1\r\nHost: a\r\n"),
            Err(ParseError::Incomplete),
            "no empty line yet: the client has not finished sending the head"
        );
        assert_eq!(parse_request(""), Err(ParseError::Incomplete));
    }

    #[test]
    fn bad_request_lines() {
        for raw in [
            "GET /\r\nHost: a\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n",
            "GET orders HTTP/1.1\r\nHost: a\r\n\r\n",
            "\r\nHost: a\r\n\r\n",
        ] {
            assert_eq!(
                parse_request(raw),
                Err(ParseError::BadRequestLine),
                "{raw:?}: a request line is exactly METHOD SP /TARGET SP VERSION"
            );
        }
    }

    #[test]
    fn unsupported_version() {
        assert_eq!(
            parse_request("GET / HTTP/2.0\r\nHost: a\r\n\r\n"),
            Err(ParseError::UnsupportedVersion("HTTP/2.0".into()))
        );
        assert!(
            parse_request("GET / HTTP/1.0\r\n\r\n").is_ok(),
            "HTTP/1.0 is accepted, and it does not require Host"
        );
        for version in [
            "HTTP/1.2",
            "HTTP/1.9",
            "HTTP/1.10",
            "http/1.1",
            "HTTP/1.1.0",
            "HTTP/1",
        ] {
            assert_eq!(
                parse_request(&format!("GET / {version}\r\nHost: a\r\n\r\n")),
                Err(ParseError::UnsupportedVersion(version.into())),
                "only HTTP/1.0 and HTTP/1.1, spelled exactly so, are spoken here"
            );
        }
    }

    #[test]
    fn bad_headers() {
        for line in [
            "NoColonHere",
            ": empty-name",
            "Host : a",
            "Bad Name: x",
            "Host\t: a",
            "X-Tab\tName: x",
            "X(comment): x",
            "X\"quoted\": x",
        ] {
            let raw = format!("GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n");
            assert_eq!(
                parse_request(&raw),
                Err(ParseError::BadHeader(line.to_string())),
                "{line:?} is not a valid header line (and the error should name it)"
            );
        }
    }

    #[test]
    fn http11_requires_host() {
        assert_eq!(
            parse_request("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
            Err(ParseError::MissingHost),
            "an HTTP/1.1 request without Host must be rejected with 400"
        );
    }

    #[test]
    fn lines_end_only_at_crlf() {
        // A bare LF is not a line break in a request head (RFC 9112 section 2.2: a proxy that
        // treats it as one while the server behind it does not is open to header injection).
        assert_eq!(
            parse_request("GET / HTTP/1.1\nHost: a\r\n\r\n"),
            Err(ParseError::BadRequestLine),
            "the request line runs up to the first CRLF: \"GET / HTTP/1.1\\nHost: a\" has four \
             space-separated parts, not a request line and a header"
        );
        for raw in [
            "GET / HTTP/1.1\r\nHost: a\nX-Admin: 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\rX-Admin: 1\r\n\r\n",
        ] {
            match parse_request(raw) {
                Ok(request) => assert_eq!(
                    request.headers.get("X-Admin"),
                    None,
                    "{raw:?}: a bare LF or CR inside a header line does not start a new header"
                ),
                Err(ParseError::BadHeader(_)) => {} // refusing the line is fine too
                Err(other) => panic!("{raw:?}: expected the request or BadHeader, got {other:?}"),
            }
        }
    }

    /// A tiny deterministic generator (xorshift), so the property test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn any_header_name_is_accepted_exactly_when_it_is_a_token() {
        const TCHAR: &str = "!#$%&'*+-.^_`|~09azAZ";
        const NOT_TCHAR: [char; 12] = [' ', '\t', '(', ')', ',', '/', '@', '[', ']', '"', '{', 'é'];
        let mut rng = Rng(0x4854_5450);
        for _ in 0..3_000 {
            let mut name = String::new();
            let mut token = true;
            for _ in 0..rng.below(6) {
                if rng.below(8) == 0 {
                    name.push(NOT_TCHAR[rng.below(NOT_TCHAR.len())]);
                    token = false;
                } else {
                    name.push(TCHAR.as_bytes()[rng.below(TCHAR.len())] as char);
                }
            }
            token &= !name.is_empty();
            let line = format!("{name}: v");
            let raw = format!("GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n");
            let parsed = parse_request(&raw);
            if token {
                assert_eq!(
                    parsed.map(|r| r.headers.get(&name).map(str::to_string)),
                    Ok(Some("v".to_string())),
                    "{name:?} is a token (RFC 9110 5.6.2), so a valid header name"
                );
            } else {
                assert_eq!(
                    parsed,
                    Err(ParseError::BadHeader(line.clone())),
                    "{name:?} is not a token: only letters, digits and !#$%&'*+-.^_`|~ make a \
                     header name"
                );
            }
        }
    }

    #[test]
    fn only_spaces_and_tabs_are_trimmed_from_a_value() {
        // OWS is spaces and tabs only; other whitespace (vertical tab, form feed, NBSP, an
        // em space, NEL) is part of the value and must reach the application as sent.
        const PIECES: [&str; 10] = [
            " ", "\t", "\u{b}", "\u{c}", "\u{a0}", "\u{2003}", "\u{85}", "a", "b c", "é",
        ];
        let mut rng = Rng(0x4f57_5321);
        for _ in 0..2_000 {
            let mut value = String::new();
            for _ in 0..rng.below(7) {
                value.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let expected = value.trim_start_matches([' ', '\t']);
            let expected = expected.trim_end_matches([' ', '\t']);
            let raw = format!("GET / HTTP/1.1\r\nHost: a\r\nX-Value:{value}\r\n\r\n");
            let parsed = parse_request(&raw).expect("a header line with any value is valid");
            assert_eq!(
                parsed.headers.get("x-value"),
                Some(expected),
                "{value:?}: only the spaces and tabs around a value are optional whitespace \
                 (OWS); `str::trim` removes every Unicode whitespace, which is data here"
            );
        }
    }
}
