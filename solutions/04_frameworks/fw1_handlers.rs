// Scenario: you are building the core of a tiny web framework for an internal tool. Every web
// framework has the same idea at its heart: a *handler* is "something that turns a Request into
// a Response", and a router picks the handler for a method + path.
//
// Right now the team can only register plain closures by hand-writing a wrapper struct for each
// one. We want `Handler` implemented for *every* closure or fn `Fn(&Request) -> Response`, so
// `router.route("GET", "/health", health)` and `router.route("GET", "/", |_req| ...)` both work,
// and struct handlers (with their own config) keep working too.
//
// Clients also send HEAD (a GET without the body: link checkers, caches, `curl -I`), and every
// framework answers it from the GET handler so nobody writes HEAD handlers by hand.
//
// Done means: the blanket `impl Handler for F` exists, `StaticText` is a handler, and
// `Router::dispatch` answers a HEAD request for a path without a HEAD handler with that path's
// GET handler, minus the body (RFC 9110 section 9.3.2). The rest of `dispatch` is done: paths
// are matched exactly as registered (`/health/` is another path than `/health`: 404).

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub body: String,
}

impl Request {
    pub fn new(method: &str, path: &str) -> Self {
        Request {
            method: method.to_string(),
            path: path.to_string(),
            body: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn new(status: u16, body: &str) -> Self {
        Response {
            status,
            body: body.to_string(),
        }
    }
}

/// Anything that can answer a request.
pub trait Handler {
    fn call(&self, req: &Request) -> Response;
}

// Every closure or fn item with the right signature is a handler.
impl<F> Handler for F
where
    F: Fn(&Request) -> Response,
{
    fn call(&self, req: &Request) -> Response {
        self(req)
    }
}

/// A handler with its own configuration: always answers 200 with a fixed text.
pub struct StaticText(pub String);

impl Handler for StaticText {
    fn call(&self, _req: &Request) -> Response {
        Response::new(200, &self.0)
    }
}

#[derive(Default)]
pub struct Router {
    // path -> (method -> handler)
    routes: HashMap<String, HashMap<String, Box<dyn Handler>>>,
}

impl Router {
    pub fn new() -> Self {
        Router::default()
    }

    pub fn route(&mut self, method: &str, path: &str, handler: impl Handler + 'static) {
        self.routes
            .entry(path.to_string())
            .or_default()
            .insert(method.to_string(), Box::new(handler));
    }

    pub fn dispatch(&self, req: &Request) -> Response {
        let Some(by_method) = self.routes.get(&req.path) else {
            return Response::new(404, "not found");
        };
        if let Some(handler) = by_method.get(&req.method) {
            return handler.call(req);
        }
        if req.method == "HEAD"
            && let Some(get) = by_method.get("GET")
        {
            let mut res = get.call(req);
            res.body.clear();
            return res;
        }
        Response::new(405, "method not allowed")
    }
}

fn health(_req: &Request) -> Response {
    Response::new(200, "ok")
}

fn main() {
    let mut router = Router::new();
    router.route("GET", "/health", health);
    println!("{:?}", router.dispatch(&Request::new("GET", "/health")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(req: &Request) -> Response {
        Response::new(200, &req.body)
    }

    fn app() -> Router {
        let mut router = Router::new();
        router.route("GET", "/health", health);
        router.route("POST", "/echo", echo);
        router.route("GET", "/about", StaticText("backendlings".to_string()));
        let greeting = String::from("hello");
        router.route("GET", "/", move |_req: &Request| {
            Response::new(200, &greeting)
        });
        router.route("GET", "/teapot", |_req: &Request| {
            Response::new(418, "short and stout")
        });
        router
    }

    #[test]
    fn fn_items_are_handlers() {
        let res = app().dispatch(&Request::new("GET", "/health"));
        assert_eq!(
            res,
            Response::new(200, "ok"),
            "a plain `fn(&Request) -> Response` must be usable as a handler"
        );
    }

    #[test]
    fn closures_capturing_state_are_handlers() {
        let res = app().dispatch(&Request::new("GET", "/"));
        assert_eq!(
            res.body, "hello",
            "a `move` closure that captured a String must be usable as a handler"
        );
    }

    #[test]
    fn handlers_see_the_request() {
        let mut req = Request::new("POST", "/echo");
        req.body = "ping".to_string();
        let res = app().dispatch(&req);
        assert_eq!(
            res.body, "ping",
            "the handler receives the request it answers"
        );
    }

    #[test]
    fn struct_handlers_work_too() {
        let res = app().dispatch(&Request::new("GET", "/about"));
        assert_eq!(
            res,
            Response::new(200, "backendlings"),
            "StaticText answers 200 with its configured text"
        );
    }

    #[test]
    fn head_is_get_without_the_body() {
        let res = app().dispatch(&Request::new("HEAD", "/health"));
        assert_eq!(
            res,
            Response::new(200, ""),
            "HEAD /health: what GET /health answers, without the body"
        );
        let res = app().dispatch(&Request::new("HEAD", "/about"));
        assert_eq!(
            res,
            Response::new(200, ""),
            "struct handlers answer HEAD too"
        );
    }

    #[test]
    fn head_keeps_the_get_handlers_status() {
        let res = app().dispatch(&Request::new("HEAD", "/teapot"));
        assert_eq!(
            res,
            Response::new(418, ""),
            "HEAD runs the GET handler: same status, no body"
        );
    }

    #[test]
    fn methods_are_case_sensitive() {
        // RFC 9110 section 9.1: the method token is case-sensitive. "head" is not HEAD.
        for method in ["head", "Head", "hEAD"] {
            let res = app().dispatch(&Request::new(method, "/health"));
            assert_eq!(
                res.status, 405,
                "{method:?} /health: methods are case-sensitive, only \"HEAD\" borrows the GET handler"
            );
        }
        let res = app().dispatch(&Request::new("get", "/health"));
        assert_eq!(res.status, 405, "\"get\" is not GET either");
    }

    #[test]
    fn only_head_falls_back_to_get() {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let res = app().dispatch(&Request::new(method, "/health"));
            assert_eq!(
                res.status, 405,
                "{method} /health: /health only has GET; only HEAD is answered by the GET handler"
            );
        }
        let res = app().dispatch(&Request::new("GET", "/echo"));
        assert_eq!(res.status, 405, "GET /echo: /echo only has POST");
    }

    #[test]
    fn a_registered_head_handler_wins() {
        use std::cell::Cell;
        use std::rc::Rc;
        let get_calls = Rc::new(Cell::new(0u32));
        let head_calls = Rc::new(Cell::new(0u32));
        let mut router = Router::new();
        let counter = Rc::clone(&get_calls);
        router.route("GET", "/report", move |_req: &Request| {
            counter.set(counter.get() + 1);
            Response::new(200, "an expensive report")
        });
        let counter = Rc::clone(&head_calls);
        router.route("HEAD", "/report", move |_req: &Request| {
            counter.set(counter.get() + 1);
            Response::new(204, "")
        });
        let res = router.dispatch(&Request::new("HEAD", "/report"));
        assert_eq!(
            res,
            Response::new(204, ""),
            "a path with its own HEAD handler answers HEAD with it"
        );
        assert_eq!(
            (head_calls.get(), get_calls.get()),
            (1, 0),
            "(HEAD handler calls, GET handler calls): the GET handler is only a fallback for \
             paths without a HEAD handler"
        );
        let res = router.dispatch(&Request::new("GET", "/report"));
        assert_eq!(res, Response::new(200, "an expensive report"));
        assert_eq!(get_calls.get(), 1, "GET calls its handler once");
    }

    #[test]
    fn head_calls_the_get_handler_once() {
        use std::cell::Cell;
        use std::rc::Rc;
        let calls = Rc::new(Cell::new(0u32));
        let mut router = Router::new();
        let counter = Rc::clone(&calls);
        router.route("GET", "/page", move |req: &Request| {
            counter.set(counter.get() + 1);
            Response::new(200, &format!("{} {}", req.method, req.path))
        });
        let res = router.dispatch(&Request::new("HEAD", "/page"));
        assert_eq!(res, Response::new(200, ""));
        assert_eq!(
            calls.get(),
            1,
            "HEAD without a HEAD handler calls the GET handler once"
        );
    }

    #[test]
    fn head_needs_a_get_handler() {
        let res = app().dispatch(&Request::new("HEAD", "/echo"));
        assert_eq!(
            res.status, 405,
            "/echo only has POST: HEAD is GET without the body, not 'any handler' without the body"
        );
    }

    #[test]
    fn paths_match_exactly_trailing_slash_included() {
        let router = app();
        for path in ["/health/", "/health//", "//health", "/Health", "/about/"] {
            for method in ["GET", "HEAD"] {
                assert_eq!(
                    router.dispatch(&Request::new(method, path)).status,
                    404,
                    "{method} {path}: another path than the registered one"
                );
            }
        }
        assert_eq!(router.dispatch(&Request::new("GET", "/")).status, 200);
        assert_eq!(router.dispatch(&Request::new("GET", "/health")).status, 200);
    }
}
