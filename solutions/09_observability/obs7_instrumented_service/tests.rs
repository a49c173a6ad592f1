use super::*;
use serde_json::Value;
use std::cell::Cell;

/// Returns the given readings in order, then the last one again: NTP can step a wall clock
/// backwards between two reads.
struct ScriptedClock {
    readings: Vec<u64>,
    next: Cell<usize>,
}

impl Clock for ScriptedClock {
    fn now_ms(&self) -> u64 {
        let i = self.next.get();
        self.next.set(i + 1);
        self.readings[i.min(self.readings.len() - 1)]
    }
}

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

fn log_lines<C: Clock>(svc: &Instrumented<C>) -> Vec<Value> {
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

#[test]
fn a_clock_stepping_back_gives_a_zero_duration() {
    let mut svc = Instrumented::new(ScriptedClock {
        readings: vec![1_000, 900],
        next: Cell::new(0),
    });
    let resp = svc.handle(&get("/orders"));
    assert_eq!(resp.status, 200);
    let logs = log_lines(&svc);
    assert_eq!(
        (&logs[0]["ts"], &logs[0]["duration_ms"]),
        (&serde_json::json!(1000), &serde_json::json!(0)),
        "the clock went from 1000 to 900 ms: the duration is 0 (saturating_sub), not a panic \
         or an 18-quintillion-ms request"
    );
    assert!(
        svc.handle(&get("/metrics"))
            .body
            .contains("http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.05\"} 1\n"),
        "and it is recorded as 0 s"
    );
}

#[test]
fn only_get_metrics_is_the_scrape() {
    let mut svc = service(5);
    for method in ["POST", "DELETE", "get"] {
        let mut req = get("/metrics");
        req.method = method.into();
        let resp = svc.handle(&req);
        assert_eq!(
            (resp.status, resp.body.as_str()),
            (404, "{\"error\":\"not found\"}"),
            "{method} /metrics is not a scrape: it goes through the app like any request"
        );
        assert!(resp.header("X-Request-Id").is_some());
    }
    assert_eq!(
        svc.metrics.requests("unmatched", 404),
        3,
        "and it is counted like any request"
    );
    assert_eq!(svc.logs.len(), 3, "and logged");
}

#[test]
fn scrapes_are_neither_recorded_nor_logged() {
    let mut svc = service(5);
    let empty = "# HELP http_requests_total Requests handled.\n\
                 # TYPE http_requests_total counter\n\
                 # HELP http_request_duration_seconds Request latency.\n\
                 # TYPE http_request_duration_seconds histogram\n";
    assert_eq!(svc.handle(&get("/metrics")).body, empty);
    assert_eq!(
        svc.handle(&get("/metrics")).body,
        empty,
        "the first scrape left no series behind"
    );
    assert_eq!(svc.metrics.series_count(), 0, "two scrapes, no series");
    assert!(
        svc.logs.is_empty(),
        "scrapes are not logged: {:?}",
        svc.logs
    );
}

#[test]
fn scrapes_use_up_no_request_id() {
    let mut svc = service(5);
    svc.handle(&get("/metrics"));
    svc.handle(&get("/metrics"));
    assert_eq!(
        svc.handle(&get("/orders")).header("X-Request-Id"),
        Some("req-1"),
        "a scrape is answered before anything else: it takes no generated id, so the first \
         request after two scrapes is still req-1"
    );
}

#[test]
fn the_whole_metrics_page() {
    let mut svc = service(50);
    svc.handle(&get("/orders"));
    svc.handle(&get("/boom"));
    svc.handle(&get("/orders"));
    assert_eq!(svc.metrics.requests("/orders", 500), 0, "no such series");
    let expected = "\
# HELP http_requests_total Requests handled.
# TYPE http_requests_total counter
http_requests_total{route=\"/boom\",status=\"500\"} 1
http_requests_total{route=\"/orders\",status=\"200\"} 2
# HELP http_request_duration_seconds Request latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{route=\"/boom\",le=\"0.05\"} 1
http_request_duration_seconds_bucket{route=\"/boom\",le=\"0.1\"} 1
http_request_duration_seconds_bucket{route=\"/boom\",le=\"0.5\"} 1
http_request_duration_seconds_bucket{route=\"/boom\",le=\"1\"} 1
http_request_duration_seconds_bucket{route=\"/boom\",le=\"+Inf\"} 1
http_request_duration_seconds_sum{route=\"/boom\"} 0.05
http_request_duration_seconds_count{route=\"/boom\"} 1
http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.05\"} 2
http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.1\"} 2
http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.5\"} 2
http_request_duration_seconds_bucket{route=\"/orders\",le=\"1\"} 2
http_request_duration_seconds_bucket{route=\"/orders\",le=\"+Inf\"} 2
http_request_duration_seconds_sum{route=\"/orders\"} 0.1
http_request_duration_seconds_count{route=\"/orders\"} 2
";
    assert_eq!(
        svc.handle(&get("/metrics")).body,
        expected,
        "50 ms is 0.05 s, which belongs to the le=\"0.05\" bucket (le = less or equal)"
    );
}

#[test]
fn order_ids_up_to_100_exist() {
    let mut svc = service(5);
    assert_eq!(svc.handle(&get("/orders/100")).status, 200);
    assert_eq!(svc.handle(&get("/orders/101")).status, 404);
    assert_eq!(svc.handle(&get("/orders/99")).status, 200);
}

#[test]
fn hostile_methods_stay_one_valid_log_line() {
    let mut svc = service(5);
    let method = "GE\"T\n\u{1b}[31m\\";
    let mut req = get("/orders");
    req.method = method.into();
    assert_eq!(svc.handle(&req).status, 404);
    assert_eq!(svc.logs.len(), 1);
    assert!(
        !svc.logs[0].contains('\n') && !svc.logs[0].contains('\u{1b}'),
        "a newline or a control character in the method must be escaped: {}",
        svc.logs[0]
    );
    let line: Value = serde_json::from_str(&svc.logs[0]).unwrap_or_else(|e| {
        panic!(
            "build the line with serde_json, not format! ({e}): {}",
            svc.logs[0]
        )
    });
    assert_eq!(line["method"], method, "the method survives the round trip");
}

/// A tiny deterministic generator (xorshift), so the property test needs no crate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn any_incoming_id_is_reused_exactly_when_it_follows_the_grammar() {
    const ALLOWED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    const OTHERS: [char; 16] = [
        'ñ', '٣', 'ｆ', ' ', '\t', '\n', '\r', '"', '\'', '<', '/', ':', '\u{0}', '\u{1b}',
        '\u{7f}', '😀',
    ];
    let longest = "a".repeat(64);
    let too_long = "b".repeat(65);
    let mut cases: Vec<String> = ["7", "", longest.as_str(), too_long.as_str(), "ñ-1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rng = Rng(0x4f42_5337);
    for _ in 0..1_500 {
        let len = match rng.below(3) {
            0 => [0, 1, 2, 63, 64, 65][rng.below(6)],
            _ => rng.below(80),
        };
        let mut id: Vec<char> = (0..len)
            .map(|_| ALLOWED.as_bytes()[rng.below(ALLOWED.len())] as char)
            .collect();
        if len > 0 && rng.below(3) == 0 {
            let at = rng.below(len);
            id[at] = OTHERS[rng.below(OTHERS.len())];
        }
        cases.push(id.into_iter().collect());
    }
    let mut svc = service(1);
    let mut generated = 0;
    for id in cases {
        let valid = (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        let mut req = get("/orders");
        req.headers.push(("X-Request-Id".into(), id.clone()));
        let resp = svc.handle(&req);
        if valid {
            assert_eq!(
                resp.header("X-Request-Id"),
                Some(id.as_str()),
                "{id:?} is 1..=64 characters of A-Z a-z 0-9 - _ . : reuse it"
            );
        } else {
            generated += 1;
            assert_eq!(
                resp.header("X-Request-Id"),
                Some(format!("req-{generated}").as_str()),
                "{id:?} is not a valid id: generate the next one"
            );
        }
    }
}
