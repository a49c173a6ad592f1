// Scenario: the orders service works, but when it is slow nobody can say which endpoint,
// for whom, or since when. Bolting a log line into every handler was tried and forgotten
// half the time. Instead, one *middleware* wraps every request and produces all the
// signals at once, and the handlers stay unaware of it.
//
// A first attempt labelled metrics with the raw path: `/orders/1`, `/orders/2`, ... one
// time series per order id. Prometheus ran out of memory within a day ("cardinality
// explosion"). Labels must come from a small, fixed set: the route *template*.
//
// Done means `Instrumented::handle`:
// - serves `GET /metrics` itself (Prometheus text format, `Content-Type:
//   text/plain; version=0.0.4`), without recording it;
// - for every other request (`POST /metrics` included): reuses a valid `X-Request-Id`
//   (1..=64 characters of A-Z a-z 0-9 '-' '_' '.', as in obs2) or generates `req-<n>`
//   (n = 1, 2, ...), times `app` with the injected `Clock` (a wall clock can step backwards:
//   the duration is then 0), records the metrics under the route template
//   (`route_template`), writes ONE JSON log line, and returns the response with the
//   `X-Request-Id` header added.
// The log line: {"ts": <start ms>, "level": "info" ("error" for 5xx), "msg": "request",
// "request_id", "method", "route", "status", "duration_ms"}.

mod metrics;
#[cfg(test)]
mod tests;

use metrics::Metrics;
use serde_json::json;

pub trait Clock {
    fn now_ms(&self) -> u64;
}

pub type Headers = Vec<(String, String)>;

pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Headers,
}

pub struct Response {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Provided: the application. It knows nothing about logs or metrics.
pub fn app(req: &Request) -> Response {
    let (status, body) = match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/orders") => (200, "[]".to_string()),
        ("GET", p) if p.starts_with("/orders/") => match p["/orders/".len()..].parse::<u32>() {
            Ok(id) if id <= 100 => (200, format!("{{\"id\":{id}}}")),
            _ => (404, "{\"error\":\"no such order\"}".to_string()),
        },
        ("GET", "/boom") => (500, "{\"error\":\"internal\"}".to_string()),
        _ => (404, "{\"error\":\"not found\"}".to_string()),
    };
    Response {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body,
    }
}

/// Provided: maps a path to a bounded set of route labels.
pub fn route_template(path: &str) -> &'static str {
    match path {
        "/orders" => "/orders",
        p if p.starts_with("/orders/") => "/orders/{id}",
        "/boom" => "/boom",
        _ => "unmatched",
    }
}

pub struct Instrumented<C: Clock> {
    clock: C,
    generated_ids: u64,
    pub metrics: Metrics,
    pub logs: Vec<String>,
}

impl<C: Clock> Instrumented<C> {
    pub fn new(clock: C) -> Self {
        Instrumented {
            clock,
            generated_ids: 0,
            metrics: Metrics::default(),
            logs: Vec::new(),
        }
    }

    pub fn handle(&mut self, req: &Request) -> Response {
        if req.method == "GET" && req.path == "/metrics" {
            return Response {
                status: 200,
                headers: vec![("Content-Type".into(), "text/plain; version=0.0.4".into())],
                body: self.metrics.render(),
            };
        }
        let request_id = self.request_id(&req.headers);
        let start = self.clock.now_ms();
        let mut response = app(req);
        let duration_ms = self.clock.now_ms().saturating_sub(start);

        let route = route_template(&req.path);
        self.metrics
            .record(route, response.status, duration_ms as f64 / 1000.0);
        let level = if response.status >= 500 {
            "error"
        } else {
            "info"
        };
        let line = json!({
            "ts": start,
            "level": level,
            "msg": "request",
            "request_id": request_id,
            "method": req.method,
            "route": route,
            "status": response.status,
            "duration_ms": duration_ms,
        });
        self.logs.push(line.to_string());
        response.headers.push(("X-Request-Id".into(), request_id));
        response
    }

    fn request_id(&mut self, headers: &Headers) -> String {
        let incoming = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-request-id"))
            .map(|(_, v)| v.as_str());
        match incoming {
            Some(id)
                if (1..=64).contains(&id.len())
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
            {
                id.to_string()
            }
            _ => {
                self.generated_ids += 1;
                format!("req-{}", self.generated_ids)
            }
        }
    }
}

fn main() {
    struct Zero;
    impl Clock for Zero {
        fn now_ms(&self) -> u64 {
            0
        }
    }
    let mut service = Instrumented::new(Zero);
    let req = Request {
        method: "GET".into(),
        path: "/orders/7".into(),
        headers: vec![],
    };
    let resp = service.handle(&req);
    println!("{} {}", resp.status, resp.body);
    for line in &service.logs {
        println!("{line}");
    }
}
