// Scenario: our orders API answers `200 OK` to everything and puts `{"error": ...}` in the
// body. Clients cannot tell a success from a failure without parsing the body, the load
// balancer counts every failure as a success, and mobile apps retry validation errors forever.
//
// The handlers already report *what happened* as an `Outcome`. Done means: `status_for`
// picks the status code that says the same thing to any HTTP client (RFC 9110 section 15),
// and `allows_body` knows which responses must not carry a body.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// GET found the resource.
    Found,
    /// POST created a new order (the response carries a Location header).
    Created,
    /// POST queued a long export job; it is not finished yet.
    QueuedForLater,
    /// DELETE worked; there is nothing to send back.
    Deleted,
    /// The client's cached copy (If-None-Match) is still current.
    NotModified,
    /// The body is not valid JSON at all.
    MalformedJson,
    /// The JSON is well-formed but `quantity` is -3.
    ValidationFailed,
    /// No credentials, or an expired token.
    NotAuthenticated,
    /// Valid credentials, but this user may not see other users' orders.
    NotPermitted,
    /// No order with that id.
    NoSuchOrder,
    /// `DELETE /orders` (the collection) is not supported; GET and POST are.
    MethodNotSupported,
    /// Creating an order with a client reference that already exists.
    DuplicateReference,
    /// The body is 40 MB; the limit is 1 MB.
    BodyTooLarge,
    /// The client sent `Content-Type: application/xml`; we only read JSON.
    UnsupportedBodyType,
    /// The client exceeded its rate limit.
    RateLimited,
    /// A bug: a handler panicked.
    Bug,
    /// The payment provider answered with garbage.
    UpstreamInvalidResponse,
    /// We are in maintenance mode / overloaded.
    TemporarilyUnavailable,
    /// The payment provider did not answer in time.
    UpstreamTimeout,
}

pub fn status_for(outcome: Outcome) -> u16 {
    match outcome {
        Outcome::Found => 200,
        Outcome::Created => 201,
        Outcome::QueuedForLater => 202,
        Outcome::Deleted => 204,
        Outcome::NotModified => 304,
        Outcome::MalformedJson => 400,
        Outcome::NotAuthenticated => 401,
        Outcome::NotPermitted => 403,
        Outcome::NoSuchOrder => 404,
        Outcome::MethodNotSupported => 405,
        Outcome::DuplicateReference => 409,
        Outcome::BodyTooLarge => 413,
        Outcome::UnsupportedBodyType => 415,
        Outcome::ValidationFailed => 422,
        Outcome::RateLimited => 429,
        Outcome::Bug => 500,
        Outcome::UpstreamInvalidResponse => 502,
        Outcome::TemporarilyUnavailable => 503,
        Outcome::UpstreamTimeout => 504,
    }
}

/// Some responses are defined to have no content at all.
pub fn allows_body(status: u16) -> bool {
    !matches!(status, 100..=199 | 204 | 304)
}

/// The standard reason phrases (provided).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

fn main() {
    let s = status_for(Outcome::Created);
    println!("HTTP/1.1 {s} {}", reason_phrase(s));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(outcome: Outcome, expected: u16, why: &str) {
        let got = status_for(outcome);
        assert_eq!(
            got,
            expected,
            "{outcome:?}: expected {expected} {}, got {got} {}. {why}",
            reason_phrase(expected),
            reason_phrase(got)
        );
    }

    #[test]
    fn successes() {
        check(Outcome::Found, 200, "a plain successful read");
        check(Outcome::Created, 201, "a new resource exists now");
        check(Outcome::QueuedForLater, 202, "accepted, but not done yet");
        check(Outcome::Deleted, 204, "success with nothing to return");
        check(
            Outcome::NotModified,
            304,
            "the client may keep its cached copy",
        );
    }

    #[test]
    fn client_errors_that_look_alike() {
        check(
            Outcome::MalformedJson,
            400,
            "the request cannot even be parsed",
        );
        check(
            Outcome::ValidationFailed,
            422,
            "parsed fine, but the content is semantically wrong",
        );
        check(
            Outcome::NotAuthenticated,
            401,
            "'who are you?': the client should (re)authenticate",
        );
        check(
            Outcome::NotPermitted,
            403,
            "'I know who you are, and the answer is no': logging in again will not help",
        );
        check(Outcome::NoSuchOrder, 404, "the path names nothing");
        check(
            Outcome::MethodNotSupported,
            405,
            "the path exists but not with this method (send an Allow header)",
        );
        check(
            Outcome::DuplicateReference,
            409,
            "conflicts with the current state of the resource",
        );
    }

    #[test]
    fn client_errors_about_the_body_and_the_rate() {
        check(Outcome::BodyTooLarge, 413, "the body exceeds our limit");
        check(
            Outcome::UnsupportedBodyType,
            415,
            "the request body's Content-Type is not one we read (406 is about the response's type)",
        );
        check(Outcome::RateLimited, 429, "slow down (send Retry-After)");
    }

    #[test]
    fn server_errors() {
        check(Outcome::Bug, 500, "our fault, nothing more specific to say");
        check(
            Outcome::UpstreamInvalidResponse,
            502,
            "we are a gateway and the upstream answered badly",
        );
        check(
            Outcome::TemporarilyUnavailable,
            503,
            "temporary: the client may retry later",
        );
        check(
            Outcome::UpstreamTimeout,
            504,
            "we are a gateway and the upstream did not answer in time",
        );
    }

    #[test]
    fn bodiless_responses() {
        assert!(
            !allows_body(204),
            "204 No Content has no body by definition"
        );
        assert!(!allows_body(304), "304 Not Modified has no body");
        for informational in [100, 101, 103] {
            assert!(
                !allows_body(informational),
                "{informational}: 1xx informational responses have no body"
            );
        }
        assert!(allows_body(200), "200 usually has a body");
        assert!(
            allows_body(404),
            "errors should explain themselves in a body"
        );
        assert!(allows_body(201), "201 may return the created resource");
    }

    #[test]
    fn bodiless_exactly_for_1xx_204_and_304() {
        // Every u16, not only the registered 100..=599: "everything else may" carry a body,
        // so an unknown 600 or 99 is not a reason to drop one.
        for status in 0..=u16::MAX {
            if status == 205 {
                // 205 Reset Content: RFC 9110 forbids content in it, but its framing
                // (RFC 9112 section 6.3) is an ordinary one; not graded either way.
                continue;
            }
            let bodiless = (100..=199).contains(&status) || status == 204 || status == 304;
            assert_eq!(
                allows_body(status),
                !bodiless,
                "{status}: only every 1xx (100 to 199), 204 and 304 are defined to have no \
                 content; any other status, 3xx redirects and codes outside 100..=599 included, \
                 may carry a body"
            );
        }
    }
}
