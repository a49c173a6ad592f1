// Scenario: our hand-written response writer used `"\n"` line endings and computed
// `Content-Length` with `body.chars().count()`. Strict clients rejected the responses,
// and every body containing "é" or "€" was cut short: the length counted characters, but
// the client reads that many *bytes*. A reviewer also found that a user-controlled value
// copied into a header could contain "\r\n" and inject extra headers (response splitting).
//
// Done means: `Response::to_bytes` writes a valid HTTP/1.1 response (RFC 9112 section 4:
// status line, header lines, empty line, body, every line ending in CRLF), sets
// Content-Length to the body's length in bytes, never sends a body (nor a Content-Length)
// with a status that has none (every 1xx, 204 and 304: RFC 9112 6.3, RFC 9110 8.6), and
// `add_header` refuses values that could break the framing.

#[derive(Debug, PartialEq, Eq)]
pub enum InvalidHeader {
    /// CR or LF in a name or value: would let the value start a new header line.
    ControlCharacter,
    /// Content-Length is computed by `to_bytes`; callers must not set it themselves.
    Reserved,
}

pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        let mut r = Response::new(status);
        r.headers
            .push(("Content-Type".into(), "text/plain; charset=utf-8".into()));
        r.body = body.as_bytes().to_vec();
        r
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        let mut r = Response::new(status);
        r.headers
            .push(("Content-Type".into(), "application/json".into()));
        r.body = value.to_string().into_bytes();
        r
    }

    pub fn add_header(&mut self, name: &str, value: &str) -> Result<(), InvalidHeader> {
        let has_crlf = |s: &str| s.contains(['\r', '\n']);
        if has_crlf(name) || has_crlf(value) {
            return Err(InvalidHeader::ControlCharacter);
        }
        if name.eq_ignore_ascii_case("content-length") {
            return Err(InvalidHeader::Reserved);
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(())
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        )
        .into_bytes();
        for (name, value) in &self.headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        let has_body = !matches!(self.status, 100..=199 | 204 | 304);
        if has_body {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if has_body {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// Provided.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn main() {
    let r = Response::text(200, "héllo");
    print!("{}", String::from_utf8_lossy(&r.to_bytes()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_text(r: &Response) -> String {
        String::from_utf8(r.to_bytes()).expect("these responses are UTF-8")
    }

    #[test]
    fn simple_text_response() {
        let r = Response::text(200, "ok");
        assert_eq!(
            as_text(&r),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nok",
            "status line, headers, Content-Length, an empty line, then the body; every line ends in CRLF"
        );
    }

    #[test]
    fn content_length_counts_bytes() {
        let r = Response::text(200, "héllo €");
        let text = as_text(&r);
        assert!(
            text.contains("Content-Length: 10\r\n"),
            "\"héllo €\" is 7 characters but 10 bytes in UTF-8 (é is 2 bytes, € is 3); \
             Content-Length counts bytes. Got:\n{text}"
        );
        assert!(text.ends_with("\r\n\r\nhéllo €"));
    }

    #[test]
    fn binary_bodies_are_sent_byte_for_byte() {
        // A body is bytes, not text: an image or a gzip stream is not UTF-8.
        let mut r = Response::new(200);
        r.body = vec![0xff, 0x00, 0xfe];
        let bytes = r.to_bytes();
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("the head ends with an empty line")
            + 4;
        let head = String::from_utf8(bytes[..end].to_vec()).expect("the head is ASCII");
        assert!(
            head.contains("Content-Length: 3\r\n"),
            "three body bytes: Content-Length 3. Head:\n{head}"
        );
        assert_eq!(
            &bytes[end..],
            &[0xff, 0x00, 0xfe][..],
            "the body goes out exactly as given, never through a UTF-8 conversion (which would \
             replace 0xff and 0xfe with U+FFFD and send more bytes than Content-Length says)"
        );
    }

    #[test]
    fn json_response() {
        let r = Response::json(201, &serde_json::json!({"id": 7}));
        assert_eq!(
            as_text(&r),
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":7}"
        );
    }

    #[test]
    fn custom_headers_in_order() {
        let mut r = Response::new(404);
        r.add_header("X-Request-Id", "abc").unwrap();
        r.add_header("Cache-Control", "no-store").unwrap();
        assert_eq!(
            as_text(&r),
            "HTTP/1.1 404 Not Found\r\nX-Request-Id: abc\r\nCache-Control: no-store\r\nContent-Length: 0\r\n\r\n",
            "an empty body still gets `Content-Length: 0`, so the client knows the response is complete"
        );
    }

    #[test]
    fn no_body_for_204_and_304() {
        let mut r = Response::text(204, "should not be sent");
        r.add_header("X-Trace", "1").unwrap();
        assert_eq!(
            as_text(&r),
            "HTTP/1.1 204 No Content\r\nContent-Type: text/plain; charset=utf-8\r\nX-Trace: 1\r\n\r\n",
            "a 204 ends right after the empty line: no body, no Content-Length"
        );
        let r = Response::text(304, "cached");
        assert!(
            as_text(&r).ends_with("\r\n\r\n"),
            "a 304 never carries a body either"
        );
    }

    #[test]
    fn no_body_and_no_length_for_any_1xx() {
        for status in 100..=199 {
            let r = Response::text(status, "x");
            let text = as_text(&r);
            assert!(
                text.ends_with("\r\n\r\n") && !text.contains("Content-Length"),
                "{status}: a 1xx response ends with its header section, without a body or a \
                 Content-Length (like 204 and 304). Got:\n{text:?}"
            );
        }
    }

    #[test]
    fn header_injection_is_refused() {
        let mut r = Response::new(200);
        assert_eq!(
            r.add_header("Location", "/home\r\nSet-Cookie: admin=1"),
            Err(InvalidHeader::ControlCharacter),
            "CRLF in a value would start a new header line: response splitting"
        );
        assert_eq!(
            r.add_header("X-Evil\n", "x"),
            Err(InvalidHeader::ControlCharacter)
        );
        assert_eq!(
            r.add_header("X-Note", "a\rSet-Cookie: admin=1"),
            Err(InvalidHeader::ControlCharacter),
            "a bare CR is refused too: some clients treat it as a line break"
        );
        assert_eq!(
            r.add_header("X-Note", "a\nSet-Cookie: admin=1"),
            Err(InvalidHeader::ControlCharacter),
            "and so is a bare LF"
        );
        assert_eq!(
            r.add_header("content-length", "999"),
            Err(InvalidHeader::Reserved),
            "Content-Length is computed from the body; a wrong one desynchronises the connection"
        );
        assert!(
            !as_text(&r).contains("Set-Cookie"),
            "refused headers must not be kept"
        );
    }
}
