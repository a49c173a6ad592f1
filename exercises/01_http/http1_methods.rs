// Scenario: our outbound HTTP client retries a request when the connection drops before a
// response arrives. Last week it retried a `POST /payments` and charged a customer twice.
// A retry is only harmless when the method is *idempotent* (sending it twice has the same
// effect on the server as sending it once), and the response cache may only answer *safe*
// methods (read-only ones).
//
// Done means: `Method::parse` accepts exactly the standard method tokens (they are
// case-sensitive), `is_safe` and `is_idempotent` follow RFC 9110 section 9.2, and
// `should_retry` only retries idempotent requests, or POST/PATCH requests that carry an
// `Idempotency-Key` header (the server then deduplicates them for us).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
}

impl Method {
    pub const ALL: [Method; 9] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Connect,
        Method::Options,
        Method::Trace,
        Method::Patch,
    ];

    /// Parses a method token as it appears in a request line.
    pub fn parse(token: &str) -> Option<Method> {
        // TODO: map each standard token ("GET", "HEAD", ...) to its variant.
        let _ = token;
        todo!()
    }

    /// Safe = the client does not ask for any state change on the server.
    pub fn is_safe(self) -> bool {
        // TODO: which methods only read? (RFC 9110 section 9.2.1)
        todo!()
    }

    /// Idempotent = N identical requests have the same effect as one.
    pub fn is_idempotent(self) -> bool {
        // TODO: RFC 9110 section 9.2.2
        todo!()
    }
}

/// `attempts_made` requests were already sent and all failed at the network level.
/// May we send one more?
pub fn should_retry(
    method: Method,
    has_idempotency_key: bool,
    attempts_made: u32,
    max_attempts: u32,
) -> bool {
    // TODO: respect the attempt limit, then retry idempotent methods, and POST/PATCH
    // only when they carry an Idempotency-Key.
    let _ = (method, has_idempotency_key, attempts_made, max_attempts);
    todo!()
}

fn main() {
    for m in Method::ALL {
        println!(
            "{m:?}: safe={} idempotent={}",
            m.is_safe(),
            m.is_idempotent()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_standard_tokens() {
        assert_eq!(Method::parse("GET"), Some(Method::Get));
        assert_eq!(Method::parse("DELETE"), Some(Method::Delete));
        assert_eq!(Method::parse("PATCH"), Some(Method::Patch));
        assert_eq!(Method::parse("OPTIONS"), Some(Method::Options));
    }

    #[test]
    fn method_tokens_are_case_sensitive() {
        assert_eq!(
            Method::parse("get"),
            None,
            "method names are case-sensitive (RFC 9110 9.1): `get` is not `GET`"
        );
        assert_eq!(Method::parse("Post"), None, "`Post` is not `POST`");
        assert_eq!(Method::parse(""), None, "an empty token is not a method");
        assert_eq!(Method::parse("FETCH"), None, "unknown methods are rejected");
    }

    #[test]
    fn only_the_exact_token_is_a_method() {
        const TOKENS: [&str; 9] = [
            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
        ];
        for (token, method) in TOKENS.into_iter().zip(Method::ALL) {
            assert_eq!(
                Method::parse(token),
                Some(method),
                "{token:?} is {method:?}"
            );
            for ws in [" ", "\t", "\r", "\n", "\r\n", "\u{b}", "\u{c}", "\u{a0}"] {
                for decorated in [
                    format!("{ws}{token}"),
                    format!("{token}{ws}"),
                    format!("{ws}{token}{ws}"),
                ] {
                    assert_eq!(
                        Method::parse(&decorated),
                        None,
                        "{decorated:?}: the request line is split on single spaces, so \
                         whitespace around a token means a malformed request, not a method: \
                         compare the token exactly, do not trim it"
                    );
                }
            }
            assert_eq!(
                Method::parse(&token[..token.len() - 1]),
                None,
                "a prefix of {token:?} is not a method"
            );
            assert_eq!(
                Method::parse(&format!("{token}S")),
                None,
                "{token:?} followed by more letters is not a method"
            );
        }
    }

    #[test]
    fn safe_methods() {
        for m in [Method::Get, Method::Head, Method::Options, Method::Trace] {
            assert!(m.is_safe(), "{m:?} is read-only, so it is safe");
        }
        for m in [
            Method::Post,
            Method::Put,
            Method::Delete,
            Method::Patch,
            Method::Connect,
        ] {
            assert!(!m.is_safe(), "{m:?} may change server state: not safe");
        }
    }

    #[test]
    fn idempotent_methods() {
        assert!(
            Method::Put.is_idempotent(),
            "PUT replaces the resource: doing it twice leaves the same state"
        );
        assert!(
            Method::Delete.is_idempotent(),
            "DELETE twice: the resource is still gone (the status may differ, the state does not)"
        );
        assert!(
            !Method::Post.is_idempotent(),
            "POST twice may create two orders or two charges"
        );
        assert!(
            !Method::Patch.is_idempotent(),
            "PATCH is not idempotent in general (think `{{\"op\":\"increment\"}}`)"
        );
        assert!(!Method::Connect.is_idempotent(), "CONNECT opens a tunnel");
    }

    #[test]
    fn every_safe_method_is_idempotent() {
        for m in Method::ALL {
            if m.is_safe() {
                assert!(m.is_idempotent(), "{m:?} is safe, so it is idempotent too");
            }
        }
    }

    #[test]
    fn retry_policy() {
        assert!(should_retry(Method::Get, false, 1, 3), "GET: retry freely");
        assert!(should_retry(Method::Put, false, 2, 3), "PUT is idempotent");
        assert!(
            !should_retry(Method::Get, false, 3, 3),
            "3 attempts made out of 3 allowed: give up"
        );
        assert!(
            !should_retry(Method::Post, false, 1, 3),
            "a bare POST must never be retried: that is how the customer got charged twice"
        );
        assert!(
            should_retry(Method::Post, true, 1, 3),
            "POST with an Idempotency-Key: the server deduplicates, so retrying is safe"
        );
        assert!(
            should_retry(Method::Patch, true, 1, 3),
            "PATCH with an Idempotency-Key can be retried too"
        );
        assert!(
            !should_retry(Method::Post, true, 3, 3),
            "the key does not lift the attempt limit"
        );
        assert!(
            !should_retry(Method::Connect, true, 0, 3),
            "the Idempotency-Key convention covers POST and PATCH only"
        );
    }
}
