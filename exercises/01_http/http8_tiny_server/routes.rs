// The application routes. Every response closes the connection (no keep-alive here).

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    pub fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: body.to_string(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        out.push_str(&self.body);
        out.into_bytes()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        _ => "Unknown",
    }
}

/// GET /health -> "ok"; GET /hello/<name> -> "hello, <name>".
pub fn route(method: &str, path: &str) -> Reply {
    let known_path = path == "/health" || path.starts_with("/hello/");
    if known_path && method != "GET" {
        let mut reply = Reply::text(405, "method not allowed\n");
        reply.headers.push(("Allow", "GET".into()));
        return reply;
    }
    match (method, path) {
        ("GET", "/health") => Reply::text(200, "ok\n"),
        ("GET", p) if p.starts_with("/hello/") => {
            Reply::text(200, &format!("hello, {}\n", &p["/hello/".len()..]))
        }
        _ => Reply::text(404, "not found\n"),
    }
}
