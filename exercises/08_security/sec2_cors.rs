// CORS: answering preflight requests with an allow-list
//
// Our SPA at https://app.example.com calls the API at https://api.example.com, and the browser
// blocks every `DELETE` and every request with a JSON body: it sends an `OPTIONS` preflight
// first and our server answers 404. A colleague's quick fix was `Access-Control-Allow-Origin: *`
// for everything, which (with cookies) would let any website act as our users. We implement
// CORS properly: only listed origins get the `Access-Control-Allow-*` headers, the origin is
// echoed exactly (never `*`), and every answer carries `Vary: Origin` so caches do not serve
// one origin's answer to another.
//
// Done means: `preflight` answers an OPTIONS preflight (204, with the CORS headers only when
// the origin, method and headers are all allowed), and `add_cors_headers` decorates a normal
// response.

pub struct CorsPolicy {
    /// Exact origins: scheme://host[:port], no trailing slash.
    pub allowed_origins: Vec<&'static str>,
    pub allowed_methods: Vec<&'static str>,
    /// Lower-case header names.
    pub allowed_headers: Vec<&'static str>,
    pub max_age_secs: u32,
}

pub struct Request {
    pub method: &'static str,
    pub headers: Vec<(&'static str, &'static str)>,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// Header names are case-insensitive (RFC 9110 section 5.1).
    pub fn header(&self, name: &str) -> Option<&'static str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|&(_, value)| value)
    }
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn set(&mut self, name: &str, value: impl Into<String>) {
        self.headers.push((name.to_string(), value.into()));
    }
}

impl CorsPolicy {
    /// Exact, case-sensitive comparison: no prefix or suffix tricks, no `null`.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        // TODO: is this exact origin on the allow-list?
        let _ = origin;
        todo!()
    }

    fn headers_allowed(&self, requested: Option<&str>) -> bool {
        // TODO: every name in the comma-separated Access-Control-Request-Headers value
        // (trimmed, lower-cased) must be in `allowed_headers`. No header requested is fine.
        let _ = requested;
        todo!()
    }
}

/// Answers `OPTIONS` with `Origin` and `Access-Control-Request-Method`. Always 204 and
/// `Vary: Origin`; the `Access-Control-Allow-*` headers only when everything is allowed.
pub fn preflight(policy: &CorsPolicy, request: &Request) -> Response {
    // TODO: start a 204 response with `Vary: Origin` (`response.set`). If the request has
    // both Origin and Access-Control-Request-Method, and origin, method and requested headers
    // are all allowed, add Access-Control-Allow-Origin (the origin itself), -Methods and
    // -Headers (joined with ", ") and -Max-Age.
    let _ = (policy, request);
    todo!()
}

/// For a normal (non-preflight) request: adds `Vary: Origin`, and
/// `Access-Control-Allow-Origin` when the request's origin is allowed.
pub fn add_cors_headers(policy: &CorsPolicy, origin: Option<&str>, response: &mut Response) {
    // TODO: always Vary: Origin; Access-Control-Allow-Origin only for an allowed origin.
    let _ = (policy, origin, response);
    todo!()
}

fn main() {
    let policy = CorsPolicy {
        allowed_origins: vec!["https://app.example.com"],
        allowed_methods: vec!["GET", "POST", "DELETE"],
        allowed_headers: vec!["content-type", "authorization"],
        max_age_secs: 600,
    };
    let request = Request {
        method: "OPTIONS",
        headers: vec![
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "DELETE"),
        ],
    };
    println!("{} {:?}", request.method, preflight(&policy, &request));
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "https://app.example.com";

    fn policy() -> CorsPolicy {
        CorsPolicy {
            allowed_origins: vec![APP, "http://localhost:5173"],
            allowed_methods: vec!["GET", "POST", "DELETE"],
            allowed_headers: vec!["content-type", "authorization"],
            max_age_secs: 600,
        }
    }

    fn options(headers: Vec<(&'static str, &'static str)>) -> Request {
        Request {
            method: "OPTIONS",
            headers,
        }
    }

    fn has_cors(response: &Response) -> bool {
        response
            .headers
            .iter()
            .any(|(name, _)| name.to_ascii_lowercase().starts_with("access-control-"))
    }

    #[test]
    fn allowed_preflight_gets_all_headers() {
        let response = preflight(
            &policy(),
            &options(vec![
                ("Origin", APP),
                ("Access-Control-Request-Method", "DELETE"),
                (
                    "Access-Control-Request-Headers",
                    "Content-Type, Authorization",
                ),
            ]),
        );
        assert_eq!(
            response.status, 204,
            "a preflight has no body: 204 No Content"
        );
        assert_eq!(
            response.header("Access-Control-Allow-Origin"),
            Some(APP),
            "echo the exact origin, never `*` for an API used with credentials"
        );
        assert_eq!(
            response.header("Access-Control-Allow-Methods"),
            Some("GET, POST, DELETE")
        );
        assert_eq!(
            response.header("Access-Control-Allow-Headers"),
            Some("content-type, authorization")
        );
        assert_eq!(response.header("Access-Control-Max-Age"), Some("600"));
        assert_eq!(response.header("Vary"), Some("Origin"));
    }

    #[test]
    fn header_names_are_case_insensitive() {
        let response = preflight(
            &policy(),
            &options(vec![
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "POST"),
                ("ACCESS-CONTROL-REQUEST-HEADERS", "content-type"),
            ]),
        );
        assert_eq!(
            response.header("Access-Control-Allow-Origin"),
            Some("http://localhost:5173")
        );
    }

    #[test]
    fn look_alike_origins_are_refused() {
        for origin in [
            "https://app.example.com.evil.io",
            "https://evil-app.example.com",
            "http://app.example.com",
            "https://app.example.com:8443",
            "https://APP.example.com",
            "https://app.example.com/",
            "null",
        ] {
            let response = preflight(
                &policy(),
                &options(vec![
                    ("Origin", origin),
                    ("Access-Control-Request-Method", "GET"),
                ]),
            );
            assert!(
                !has_cors(&response),
                "{origin} is not on the allow-list: compare whole origins exactly, no prefix/suffix matching"
            );
            assert_eq!(
                response.header("Vary"),
                Some("Origin"),
                "the answer depends on Origin even when it is a refusal"
            );
        }
    }

    #[test]
    fn disallowed_method_or_header_gets_no_cors_headers() {
        let put = preflight(
            &policy(),
            &options(vec![
                ("Origin", APP),
                ("Access-Control-Request-Method", "PUT"),
            ]),
        );
        assert!(!has_cors(&put), "PUT is not an allowed method");
        let header = preflight(
            &policy(),
            &options(vec![
                ("Origin", APP),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type, x-admin"),
            ]),
        );
        assert!(
            !has_cors(&header),
            "every requested header must be allowed; x-admin is not"
        );
    }

    #[test]
    fn options_without_preflight_headers_is_not_a_preflight() {
        for headers in [
            vec![("Origin", APP)],
            vec![("Access-Control-Request-Method", "DELETE")],
            vec![],
        ] {
            let response = preflight(&policy(), &options(headers.clone()));
            assert!(
                !has_cors(&response),
                "{headers:?}: without both Origin and Access-Control-Request-Method it is not a CORS preflight"
            );
            assert_eq!(response.status, 204, "{headers:?}");
            assert_eq!(
                response.header("Vary"),
                Some("Origin"),
                "{headers:?}: every answer to OPTIONS depends on Origin, this one too (set Vary before any early return)"
            );
        }
    }

    #[test]
    fn methods_are_case_sensitive() {
        for method in ["get", "Post", "delete", "DELETe", "PUT"] {
            let response = preflight(
                &policy(),
                &options(vec![
                    ("Origin", APP),
                    ("Access-Control-Request-Method", method),
                ]),
            );
            assert!(
                !has_cors(&response),
                "{method} is not an allowed method: methods are case-sensitive (RFC 9110 section 9.1), compare them exactly"
            );
        }
    }

    #[test]
    fn requested_headers_follow_the_list_grammar() {
        // Access-Control-Request-Headers is a comma-separated list, with optional whitespace
        // (spaces or tabs) around each comma; browsers send it lower-case without spaces:
        // "content-type,authorization". A seeded walk over that grammar: random names in any
        // case, random separators; the preflight is allowed exactly when every name is.
        let names = [
            "content-type",
            "Content-Type",
            "AUTHORIZATION",
            "authorization",
            "x-admin",
            "X-Requested-With",
            "content-type-x",
        ];
        let separators = [",", ", ", " ,", " , ", ",\t", "\t,", ",  "];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let chosen: Vec<&str> = (0..1 + next(3)).map(|_| names[next(names.len())]).collect();
            let mut list = String::new();
            for (i, name) in chosen.iter().enumerate() {
                if i > 0 {
                    list.push_str(separators[next(separators.len())]);
                }
                list.push_str(name);
            }
            let expected = chosen.iter().all(|name| {
                ["content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str())
            });
            let list: &'static str = Box::leak(list.into_boxed_str());
            let response = preflight(
                &policy(),
                &options(vec![
                    ("Origin", APP),
                    ("Access-Control-Request-Method", "POST"),
                    ("Access-Control-Request-Headers", list),
                ]),
            );
            assert_eq!(
                has_cors(&response),
                expected,
                "Access-Control-Request-Headers: {list:?}: allowed exactly when every listed name is \
                 (split on ',', trim spaces and tabs, compare lower-case)"
            );
        }
    }

    #[test]
    fn actual_requests_get_origin_and_vary() {
        let mut ok = Response {
            status: 200,
            headers: vec![],
        };
        add_cors_headers(&policy(), Some(APP), &mut ok);
        assert_eq!(ok.header("Access-Control-Allow-Origin"), Some(APP));
        assert_eq!(ok.header("Vary"), Some("Origin"));

        let mut other = Response {
            status: 200,
            headers: vec![],
        };
        add_cors_headers(&policy(), Some("https://evil.io"), &mut other);
        assert!(
            !has_cors(&other),
            "the browser will hide this response from evil.io"
        );
        assert_eq!(
            other.header("Vary"),
            Some("Origin"),
            "Vary: Origin on every response, or a shared cache may serve one origin's answer to another"
        );
    }

    #[test]
    fn actual_requests_compare_whole_origins_and_always_vary() {
        for origin in [
            None,
            Some("https://app.example.com.evil.io"),
            Some("https://app.example.com:8443"),
            Some("https://evil.io/https://app.example.com"),
            Some("https://evil.io?https://app.example.com"),
            Some("HTTPS://APP.EXAMPLE.COM"),
            Some("https://app.example.co"),
            Some("https://app.example.com/"),
            Some(""),
        ] {
            let mut response = Response {
                status: 200,
                headers: vec![],
            };
            add_cors_headers(&policy(), origin, &mut response);
            assert!(
                !has_cors(&response),
                "{origin:?} is not on the allow-list: compare the whole origin exactly (no prefix, \
                 substring or case-insensitive match)"
            );
            assert_eq!(
                response.header("Vary"),
                Some("Origin"),
                "{origin:?}: Vary: Origin on every response, also without an Origin header: a \
                 shared cache must not serve this no-Origin answer to a cross-origin caller"
            );
        }
    }
}
