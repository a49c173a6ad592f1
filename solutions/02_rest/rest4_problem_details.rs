// One error shape: RFC 9457 problem details
//
// Our API has grown five error formats: `{"error": "..."}`, `{"msg": "..."}`, plain text, and
// worse, one handler returns the database's error message to the client (table names and all).
// Client developers asked for ONE shape. RFC 9457 defines it: a JSON object served as
// `application/problem+json` with `type` (a URI naming the kind of problem), `title` (short,
// the same for every occurrence of that type), `status` (the HTTP status again), `detail`
// (this occurrence, for humans) and optionally `instance` (the request path). Extra members
// are allowed: validation problems add `errors`.
//
// Done means: every `ApiError` becomes a `Problem` with the fields in the table on
// `to_problem`, and internal errors never reveal their message.

use serde::Serialize;

pub const PROBLEM_BASE: &str = "https://api.example.com/problems/";

#[derive(Debug)]
pub enum ApiError {
    NotFound {
        resource: &'static str,
        id: u64,
    },
    /// (field, message) pairs.
    Validation(Vec<(String, String)>),
    Conflict(String),
    /// An unexpected failure. The message is for our logs only.
    Internal(String),
}

#[derive(Debug, PartialEq, Serialize)]
pub struct InvalidParam {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidParam>,
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl ApiError {
    /// | variant    | type                | title                   | status | detail                                   |
    /// |------------|---------------------|-------------------------|--------|------------------------------------------|
    /// | NotFound   | BASE + "not-found"  | "Resource not found"    | 404    | "{resource} {id} does not exist"         |
    /// | Validation | BASE + "validation" | "Invalid request data"  | 422    | "{n} field(s) failed validation" + errors|
    /// | Conflict   | BASE + "conflict"   | "Conflict"              | 409    | the message                              |
    /// | Internal   | "about:blank"       | "Internal Server Error" | 500    | "An unexpected error occurred."          |
    ///
    /// `instance` is the request path. In the Validation detail, `n` is the number of
    /// (field, message) pairs, one per entry of `errors`: a field that breaks two rules counts
    /// twice. Internal's detail is always that fixed sentence, whatever the message.
    pub fn to_problem(&self, path: &str) -> Problem {
        let (kind, title, status, detail, errors) = match self {
            ApiError::NotFound { resource, id } => (
                Some("not-found"),
                "Resource not found",
                404,
                format!("{resource} {id} does not exist"),
                Vec::new(),
            ),
            ApiError::Validation(fields) => (
                Some("validation"),
                "Invalid request data",
                422,
                format!("{} field(s) failed validation", fields.len()),
                fields
                    .iter()
                    .map(|(name, reason)| InvalidParam {
                        name: name.clone(),
                        reason: reason.clone(),
                    })
                    .collect(),
            ),
            ApiError::Conflict(message) => (
                Some("conflict"),
                "Conflict",
                409,
                message.clone(),
                Vec::new(),
            ),
            ApiError::Internal(_) => (
                None,
                "Internal Server Error",
                500,
                "An unexpected error occurred.".to_string(),
                Vec::new(),
            ),
        };
        Problem {
            problem_type: kind.map_or_else(
                || "about:blank".to_string(),
                |k| format!("{PROBLEM_BASE}{k}"),
            ),
            title: title.to_string(),
            status,
            detail,
            instance: Some(path.to_string()),
            errors,
        }
    }
}

/// The HTTP response for an error: the problem's status, the problem+json media type, the JSON.
pub fn error_response(error: &ApiError, path: &str) -> Response {
    let problem = error.to_problem(path);
    Response {
        status: problem.status,
        content_type: "application/problem+json",
        body: serde_json::to_string(&problem).expect("Problem always serializes"),
    }
}

fn main() {
    let response = error_response(
        &ApiError::NotFound {
            resource: "order",
            id: 9,
        },
        "/orders/9",
    );
    println!(
        "{} {} {}",
        response.status, response.content_type, response.body
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn body(error: ApiError, path: &str) -> (Response, Value) {
        let response = error_response(&error, path);
        let value = serde_json::from_str(&response.body).expect("the body must be JSON");
        (response, value)
    }

    #[test]
    fn not_found_problem() {
        let (response, value) = body(
            ApiError::NotFound {
                resource: "order",
                id: 9,
            },
            "/orders/9",
        );
        assert_eq!(response.status, 404);
        assert_eq!(
            response.content_type, "application/problem+json",
            "RFC 9457 registers its own media type; clients switch on it"
        );
        assert_eq!(
            value,
            json!({
                "type": "https://api.example.com/problems/not-found",
                "title": "Resource not found",
                "status": 404,
                "detail": "order 9 does not exist",
                "instance": "/orders/9"
            }),
            "the member is called `type` on the wire (a Rust keyword: rename the field with serde)"
        );
    }

    #[test]
    fn validation_problem_carries_errors_extension() {
        let (response, value) = body(
            ApiError::Validation(vec![
                ("email".into(), "not an email address".into()),
                ("age".into(), "must be at least 13".into()),
            ]),
            "/signup",
        );
        assert_eq!(response.status, 422);
        assert_eq!(
            value["type"],
            json!("https://api.example.com/problems/validation")
        );
        assert_eq!(value["detail"], json!("2 field(s) failed validation"));
        assert_eq!(
            value["errors"],
            json!([
                { "name": "email", "reason": "not an email address" },
                { "name": "age", "reason": "must be at least 13" }
            ]),
            "extension members are allowed by RFC 9457; ours is `errors`"
        );
    }

    #[test]
    fn errors_member_is_absent_when_empty() {
        let (_, value) = body(
            ApiError::Conflict("email already registered".into()),
            "/signup",
        );
        assert_eq!(value["status"], json!(409));
        assert_eq!(value["title"], json!("Conflict"));
        assert_eq!(value["detail"], json!("email already registered"));
        assert!(
            value.get("errors").is_none(),
            "only validation problems have `errors`; skip it when empty"
        );
    }

    #[test]
    fn internal_errors_do_not_leak() {
        let secret = "SQLITE_ERROR: no such column users.password_hash";
        let (response, value) = body(ApiError::Internal(secret.into()), "/users/1");
        assert_eq!(response.status, 500);
        assert_eq!(
            value["type"],
            json!("about:blank"),
            "RFC 9457: `about:blank` means 'nothing more than the status code'"
        );
        assert_eq!(value["title"], json!("Internal Server Error"));
        assert!(
            !response.body.contains("password_hash"),
            "internal details belong in logs, never in the response (OWASP: error handling)"
        );
    }

    #[test]
    fn internal_detail_is_the_fixed_generic_sentence() {
        for secret in [
            "",
            "x",
            "SQLITE_BUSY: database is locked",
            "An unexpected error occurred.",
        ] {
            let problem = ApiError::Internal(secret.into()).to_problem("/orders");
            assert_eq!(
                problem.detail, "An unexpected error occurred.",
                "the table gives Internal a fixed detail: the client learns that it failed, \
                 nothing about why (message {secret:?})"
            );
        }
    }

    #[test]
    fn validation_detail_counts_every_pair() {
        // A small seeded generator (xorshift): lists of (field, message) pairs over few names,
        // so fields and messages repeat.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for _ in 0..200 {
            let length = next(6);
            let pairs: Vec<(String, String)> = (0..length)
                .map(|_| (format!("f{}", next(3)), format!("m{}", next(2))))
                .collect();
            let problem = ApiError::Validation(pairs.clone()).to_problem("/signup");
            assert_eq!(
                problem.detail,
                format!("{} field(s) failed validation", pairs.len()),
                "n counts the (field, message) pairs, one per entry of `errors`: {pairs:?}"
            );
            let listed: Vec<(String, String)> = problem
                .errors
                .into_iter()
                .map(|p| (p.name, p.reason))
                .collect();
            assert_eq!(listed, pairs, "`errors` lists every pair, in order");
        }
    }

    #[test]
    fn the_body_is_json_whatever_the_strings_hold() {
        // A conflict message, a resource name and a request path come from code and clients:
        // they may hold quotes, backslashes, control characters and non-ASCII text. The body is
        // JSON written by a JSON serializer, never pasted together with format!.
        let awkward = [
            r#"title "Dune" already exists"#,
            r"C:\books\dune",
            "line one\nline two\ttabbed",
            "\u{1}\u{1f} controls",
            "caf\u{e9} \u{1f600} \u{2028}",
            "\\\"",
            "",
        ];
        for (i, text) in awkward.iter().enumerate() {
            let path = format!("/books/{}?q={}", i, awkward[(i + 1) % awkward.len()]);
            let response = error_response(&ApiError::Conflict((*text).to_string()), &path);
            let value: Value = serde_json::from_str(&response.body).unwrap_or_else(|e| {
                panic!(
                    "the body must be JSON even when the detail is {text:?} and the path \
                     {path:?} ({e}): {}",
                    response.body
                )
            });
            assert_eq!(
                value["detail"],
                json!(text),
                "the detail arrives exactly as written"
            );
            assert_eq!(
                value["instance"],
                json!(path),
                "the path arrives exactly as written"
            );
            assert_eq!(value["title"], json!("Conflict"));
        }
        let response = error_response(
            &ApiError::Validation(vec![("na\"me".into(), "back\\slash \"quoted\"".into())]),
            "/a\"b",
        );
        let value: Value = serde_json::from_str(&response.body).expect("the body must be JSON");
        assert_eq!(
            value["errors"],
            json!([{ "name": "na\"me", "reason": "back\\slash \"quoted\"" }])
        );
        assert_eq!(value["instance"], json!("/a\"b"));
    }

    #[test]
    fn status_in_body_matches_response() {
        for error in [
            ApiError::NotFound {
                resource: "user",
                id: 1,
            },
            ApiError::Validation(vec![]),
            ApiError::Conflict("x".into()),
            ApiError::Internal("x".into()),
        ] {
            let (response, value) = body(error, "/x");
            assert_eq!(
                value["status"],
                json!(response.status),
                "the `status` member repeats the HTTP status code"
            );
            assert_eq!(
                value["instance"],
                json!("/x"),
                "`instance` is the request path"
            );
        }
    }
}
