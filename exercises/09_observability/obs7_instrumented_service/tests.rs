use super::*;
use serde_json::Value;
use std::cell::Cell;

/// Starts at 1_000 ms; every request takes `step` ms (the clock advances on every read).
struct FakeClock {
    now: Cell<u64>,
    step: u64,
    reads: Cell<u32>,
}

impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        let reads = self.reads.get();
        self.reads.set(reads + 1);
        if reads % 2 == 1 {
            self.now.set(self.now.get() + self.step);
        }
        self.now.get()
    }
}

fn service(step_ms: u64) -> Instrumented<FakeClock> {
    Instrumented::new(FakeClock {
        now: Cell::new(1_000),
        step: step_ms,
        reads: Cell::new(0),
    })
}

fn get(path: &str) -> Request {
    Request {
        method: "GET".into(),
        path: path.into(),
        headers: vec![],
    }
}

fn log_lines(svc: &Instrumented<FakeClock>) -> Vec<Value> {
    svc.logs
        .iter()
        .map(|l| serde_json::from_str(l).expect("log lines are JSON"))
        .collect()
}

#[test]
fn one_structured_log_line_per_request() {
    let mut svc = service(30);
    let resp = svc.handle(&get("/orders/7"));
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.body, "{\"id\":7}",
        "the middleware must not change the body"
    );
    let logs = log_lines(&svc);
    assert_eq!(logs.len(), 1, "exactly one line per request");
    assert_eq!(
        logs[0],
        serde_json::json!({
            "ts": 1000, "level": "info", "msg": "request", "request_id": "req-1",
            "method": "GET", "route": "/orders/{id}", "status": 200, "duration_ms": 30
        }),
        "ts is the start time; duration comes from the injected clock; route is the template"
    );
}

#[test]
fn request_id_is_reused_or_generated_and_returned() {
    let mut svc = service(5);
    let mut req = get("/orders");
    req.headers.push(("x-request-id".into(), "gw-42".into()));
    let resp = svc.handle(&req);
    assert_eq!(resp.header("X-Request-Id"), Some("gw-42"));
    assert_eq!(
        resp.header("Content-Type"),
        Some("application/json"),
        "keep the app's own headers"
    );
    let resp = svc.handle(&get("/orders"));
    assert_eq!(
        resp.header("X-Request-Id"),
        Some("req-1"),
        "the first GENERATED id is req-1 (the incoming one did not use up a number)"
    );
    let mut bad = get("/orders");
    bad.headers
        .push(("X-Request-Id".into(), "bad id\nforged".into()));
    assert_eq!(svc.handle(&bad).header("X-Request-Id"), Some("req-2"));
    let ids: Vec<Value> = log_lines(&svc)
        .iter()
        .map(|l| l["request_id"].clone())
        .collect();
    assert_eq!(
        ids,
        vec!["gw-42", "req-1", "req-2"],
        "logs carry the same ids"
    );
}

#[test]
fn server_errors_log_at_error_level() {
    let mut svc = service(5);
    assert_eq!(svc.handle(&get("/boom")).status, 500);
    assert_eq!(svc.handle(&get("/orders/999")).status, 404);
    let logs = log_lines(&svc);
    assert_eq!(
        logs[0]["level"], "error",
        "a 5xx is our failure: level error"
    );
    assert_eq!(
        logs[1]["level"], "info",
        "a 404 is the client's business, not an error of ours"
    );
}

#[test]
fn metrics_use_route_templates() {
    let mut svc = service(20);
    for id in 1..=50 {
        svc.handle(&get(&format!("/orders/{id}")));
    }
    svc.handle(&get("/orders/12345"));
    svc.handle(&get("/wp-admin.php"));
    assert_eq!(svc.metrics.requests("/orders/{id}", 200), 50);
    assert_eq!(svc.metrics.requests("/orders/{id}", 404), 1);
    assert_eq!(
        svc.metrics.requests("unmatched", 404),
        1,
        "scanners hitting random paths all share one label"
    );
    assert_eq!(
        svc.metrics.series_count(),
        5,
        "52 requests, 5 series: 3 counters ((/orders/{{id}},200), (/orders/{{id}},404), \
         (unmatched,404)) and 2 latency histograms (/orders/{{id}}, unmatched). Labelling by \
         raw path would create a series per order id"
    );
}

#[test]
fn metrics_endpoint() {
    let mut svc = service(70);
    svc.handle(&get("/orders"));
    svc.handle(&get("/orders"));
    let resp = svc.handle(&get("/metrics"));
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("Content-Type"),
        Some("text/plain; version=0.0.4")
    );
    assert!(
        resp.body
            .contains("http_requests_total{route=\"/orders\",status=\"200\"} 2\n"),
        "got:\n{}",
        resp.body
    );
    assert!(
        resp.body
            .contains("http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.05\"} 0\n")
            && resp
                .body
                .contains("http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.1\"} 2\n"),
        "70 ms = 0.07 s: above 0.05, within 0.1 (durations are recorded in SECONDS). Got:\n{}",
        resp.body
    );
    assert!(
        !resp.body.contains("/metrics"),
        "scrapes are not recorded as application traffic"
    );
    assert_eq!(svc.logs.len(), 2, "and not logged either");
}
