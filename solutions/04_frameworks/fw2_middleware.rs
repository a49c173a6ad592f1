// Scenario: the admin API logs every request and requires a bearer token. Today each handler
// does its own logging and token check, copy-pasted, and two handlers already forgot the check.
// Frameworks solve this with *middleware*: a function that takes the next handler and returns a
// new handler wrapping it (Express/Flask "before/after request", Django middleware, Tower layers).
//
// Done means: `require_auth` rejects requests without the right `Authorization: Bearer <token>`
// header with 401 (and never calls the inner handler), whatever the method: OPTIONS and HEAD
// are no exception (this API does not do CORS preflight, and a HEAD runs the GET handler); as in http6, the scheme name is
// case-insensitive, and the token is a `Secret`, which only compares in constant time (a `==`
// that stops at the first wrong byte tells an attacker, by its timing, how much was right;
// a test cannot measure that reliably, so `Secret` makes such a comparison impossible to write).
// And `stack` applies a list of middleware so that the FIRST one in the list is the OUTERMOST:
// it sees the request first and the response last. Order matters: logging outside auth logs
// rejected requests, logging inside auth doesn't.

use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn get(path: &str) -> Self {
        Request {
            method: "GET".to_string(),
            path: path.to_string(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Header names are case-insensitive (RFC 9110 5.1).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn new(status: u16, body: &str) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }
}

/// Provided (the grader restores it): a token that can only be compared in constant time.
/// It has no `==` and no way to read it back, on purpose.
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(value: &str) -> Secret {
        Secret(value.as_bytes().to_vec())
    }

    /// Whether `candidate` is the secret. Looks at every byte whatever the first difference,
    /// so the time taken does not say how much of a guess was right.
    pub fn matches(&self, candidate: &str) -> bool {
        let (ours, theirs) = (&self.0, candidate.as_bytes());
        let mut difference = ours.len() ^ theirs.len();
        for i in 0..ours.len().max(theirs.len()) {
            let a = ours.get(i).copied().unwrap_or(0);
            let b = theirs.get(i).copied().unwrap_or(0);
            difference |= usize::from(a ^ b);
        }
        difference == 0
    }
}

pub type Handler = Box<dyn Fn(&Request) -> Response>;
pub type Middleware = Box<dyn Fn(Handler) -> Handler>;

/// Records "METHOD path -> status" after the inner handler answered.
pub fn logging(log: Rc<RefCell<Vec<String>>>) -> Middleware {
    Box::new(move |next: Handler| {
        let log = Rc::clone(&log);
        Box::new(move |req: &Request| {
            let res = next(req);
            log.borrow_mut()
                .push(format!("{} {} -> {}", req.method, req.path, res.status));
            res
        })
    })
}

/// Lets the request through only with `Authorization: Bearer <token>`; otherwise answers 401
/// with a `WWW-Authenticate: Bearer` header and does not call the inner handler.
pub fn require_auth(token: Secret) -> Middleware {
    let token = Rc::new(token);
    Box::new(move |next: Handler| {
        let token = Rc::clone(&token);
        Box::new(move |req: &Request| {
            let presented = req
                .header("authorization")
                .and_then(|value| value.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, credentials)| credentials.trim());
            if presented.is_some_and(|credentials| token.matches(credentials)) {
                next(req)
            } else {
                let mut res = Response::new(401, "unauthorized");
                res.headers
                    .push(("WWW-Authenticate".to_string(), "Bearer".to_string()));
                res
            }
        })
    })
}

/// Wraps `handler` in `middlewares`; the first middleware of the list is the outermost.
pub fn stack(handler: Handler, middlewares: Vec<Middleware>) -> Handler {
    middlewares
        .into_iter()
        .rev()
        .fold(handler, |inner, middleware| middleware(inner))
}

fn main() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let app = stack(
        Box::new(|_req: &Request| Response::new(200, "secret stats")),
        vec![
            logging(Rc::clone(&log)),
            require_auth(Secret::new("s3cret")),
        ],
    );
    println!("{:?}", app(&Request::get("/admin/stats")));
    println!("{:?}", log.borrow());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> Handler {
        Box::new(|_req: &Request| Response::new(200, "secret stats"))
    }

    fn auth() -> Middleware {
        require_auth(Secret::new("s3cret"))
    }

    /// A middleware that records when the request passes in and the response passes out.
    fn tracer(name: &'static str, trace: Rc<RefCell<Vec<String>>>) -> Middleware {
        Box::new(move |next: Handler| {
            let trace = Rc::clone(&trace);
            Box::new(move |req: &Request| {
                trace.borrow_mut().push(format!("{name} in"));
                let res = next(req);
                trace.borrow_mut().push(format!("{name} out"));
                res
            })
        })
    }

    #[test]
    fn auth_lets_the_right_token_through() {
        let app = stack(stats(), vec![auth()]);
        let res = app(&Request::get("/admin/stats").with_header("Authorization", "Bearer s3cret"));
        assert_eq!(res.status, 200, "correct bearer token: the handler runs");
        assert_eq!(res.body, "secret stats");
    }

    #[test]
    fn the_scheme_is_case_insensitive() {
        let app = stack(stats(), vec![auth()]);
        for value in ["bearer s3cret", "BEARER s3cret", "Bearer  s3cret "] {
            let res = app(&Request::get("/admin/stats").with_header("Authorization", value));
            assert_eq!(
                res.status, 200,
                "{value:?}: the scheme name is case-insensitive and the spaces around the token \
                 are not part of it (RFC 9110 11.1, as in http6)"
            );
        }
    }

    #[test]
    fn auth_rejects_missing_or_wrong_token() {
        let calls = Rc::new(RefCell::new(0));
        let counted: Handler = {
            let calls = Rc::clone(&calls);
            Box::new(move |_req: &Request| {
                *calls.borrow_mut() += 1;
                Response::new(200, "secret stats")
            })
        };
        let app = stack(counted, vec![auth()]);
        for req in [
            Request::get("/admin/stats"),
            Request::get("/admin/stats").with_header("authorization", "Bearer wrong"),
            Request::get("/admin/stats").with_header("authorization", "Bearer s3cre"),
            Request::get("/admin/stats").with_header("authorization", "Bearer s3cret2"),
            Request::get("/admin/stats").with_header("authorization", "s3cret"),
            Request::get("/admin/stats").with_header("authorization", "Basic s3cret"),
            Request::get("/admin/stats").with_header("authorization", "Bearer"),
        ] {
            let res = app(&req);
            assert_eq!(
                res.status, 401,
                "no valid credentials is 401 Unauthorized (403 means: known user, not allowed). Request: {req:?}"
            );
            assert_ne!(res.body, "secret stats", "the handler must not run");
            assert!(
                res.headers
                    .iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case("www-authenticate") && v == "Bearer"),
                "a 401 must tell the client how to authenticate: WWW-Authenticate: Bearer (RFC 9110 11.6.1)"
            );
        }
        assert_eq!(
            *calls.borrow(),
            0,
            "a rejected request never reaches the handler (it might have side effects)"
        );
    }

    /// Sends `value` as the Authorization header through `auth` around a handler that counts
    /// its calls; returns the status and whether the handler ran.
    fn try_authorization(value: &str) -> (u16, bool) {
        let calls = Rc::new(RefCell::new(0));
        let counted: Handler = {
            let calls = Rc::clone(&calls);
            Box::new(move |_req: &Request| {
                *calls.borrow_mut() += 1;
                Response::new(200, "secret stats")
            })
        };
        let app = stack(counted, vec![auth()]);
        let res = app(&Request::get("/admin/stats").with_header("Authorization", value));
        let ran = *calls.borrow() > 0;
        (res.status, ran)
    }

    #[test]
    fn the_scheme_is_the_whole_word_bearer() {
        let mut values = vec![" s3cret".to_string()];
        // Not a prefix match: a longer word that starts with "Bearer" (any case) is another
        // scheme, and so is a word that merely ends with it.
        for junk in ["X", "s", "_", "-ish", "1", "Bearer", ":"] {
            for scheme in ["Bearer", "bearer", "BEARER"] {
                values.push(format!("{scheme}{junk} s3cret"));
                values.push(format!("{junk}{scheme} s3cret"));
            }
        }
        for value in &values {
            assert_eq!(
                try_authorization(value),
                (401, false),
                "Authorization: {value:?}: the scheme is the word \"Bearer\" (any case), nothing \
                 more and nothing less; (status, handler ran) must be a 401 that never reaches \
                 the handler"
            );
        }
    }

    #[test]
    fn the_credentials_are_one_token() {
        for value in [
            "Bearer junk s3cret",
            "Bearer s3cret s3cret",
            "Bearer wrong s3cret",
            "Bearer s3cret junk",
            "bearer Bearer s3cret",
            "Bearer s3 cret",
        ] {
            assert_eq!(
                try_authorization(value),
                (401, false),
                "Authorization: {value:?}: the header is the scheme, a space and ONE token \
                 (spaces around it aside); extra words are not skipped to find the token"
            );
        }
        assert_eq!(
            try_authorization("Bearer s3cret"),
            (200, true),
            "the right token reaches the handler"
        );
    }

    #[test]
    fn first_middleware_is_outermost() {
        let trace = Rc::new(RefCell::new(Vec::new()));
        let app = stack(
            stats(),
            vec![
                tracer("a", Rc::clone(&trace)),
                tracer("b", Rc::clone(&trace)),
            ],
        );
        app(&Request::get("/"));
        assert_eq!(
            *trace.borrow(),
            ["a in", "b in", "b out", "a out"],
            "middleware nests like function calls: the first in the list wraps all the others"
        );
    }

    #[test]
    fn logging_outside_auth_sees_rejected_requests() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let app = stack(stats(), vec![logging(Rc::clone(&log)), auth()]);
        let res = app(&Request::get("/admin/stats"));
        assert_eq!(res.status, 401);
        assert_eq!(
            *log.borrow(),
            ["GET /admin/stats -> 401"],
            "logging is outside auth, so it logs the rejected request with its 401"
        );
    }

    #[test]
    fn logging_inside_auth_never_sees_rejected_requests() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let app = stack(stats(), vec![auth(), logging(Rc::clone(&log))]);
        app(&Request::get("/admin/stats"));
        app(&Request::get("/admin/stats").with_header("Authorization", "Bearer s3cret"));
        assert_eq!(
            *log.borrow(),
            ["GET /admin/stats -> 200"],
            "auth is outside logging, so only the authenticated request reaches the logger"
        );
    }

    #[test]
    fn every_method_needs_the_token() {
        // No method is "harmless": letting OPTIONS or HEAD through unauthenticated is fail-open.
        for method in [
            "OPTIONS", "HEAD", "GET", "POST", "PUT", "PATCH", "DELETE", "TRACE",
        ] {
            let calls = Rc::new(RefCell::new(0));
            let seen = Rc::clone(&calls);
            let app = stack(
                Box::new(move |_req: &Request| {
                    *seen.borrow_mut() += 1;
                    Response::new(200, "secret stats")
                }),
                vec![require_auth(Secret::new("s3cret"))],
            );
            let request = Request {
                method: method.to_string(),
                path: "/admin/stats".to_string(),
                headers: Vec::new(),
            };
            assert_eq!(app(&request).status, 401, "{method} without a token is 401");
            let wrong = request.clone().with_header("Authorization", "Bearer nope");
            assert_eq!(
                app(&wrong).status,
                401,
                "{method} with a wrong token is 401"
            );
            assert_eq!(*calls.borrow(), 0, "{method}: the inner handler never ran");
            let right = request.with_header("Authorization", "Bearer s3cret");
            assert_eq!(
                app(&right).status,
                200,
                "{method} with the token goes through"
            );
            assert_eq!(*calls.borrow(), 1);
        }
    }

    #[test]
    fn the_header_name_is_case_insensitive() {
        // HTTP/2 and HTTP/3 send every header name in lowercase, and proxies may change the case.
        for name in [
            "authorization",
            "AUTHORIZATION",
            "aUtHoRiZaTiOn",
            "Authorization",
        ] {
            let calls = Rc::new(RefCell::new(0));
            let seen = Rc::clone(&calls);
            let app = stack(
                Box::new(move |_req: &Request| {
                    *seen.borrow_mut() += 1;
                    Response::new(200, "secret stats")
                }),
                vec![auth()],
            );
            let res = app(&Request::get("/admin/stats").with_header(name, "Bearer s3cret"));
            assert_eq!(
                (res.status, *calls.borrow()),
                (200, 1),
                "{name}: Bearer s3cret: header names are case-insensitive (RFC 9110 5.1; \
                 Request::header compares them so); (status, handler calls)"
            );
            let res = app(&Request::get("/admin/stats").with_header(name, "Bearer nope"));
            assert_eq!(
                (res.status, *calls.borrow()),
                (401, 1),
                "{name}: a wrong token"
            );
        }
    }
}
