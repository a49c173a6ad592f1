// Scenario: during a 5-minute database outage, Kubernetes restarted every pod of our API
// over and over. The liveness probe (`/healthz`) pinged the database, so "the DB is down"
// looked like "this process is dead". Restarting does not fix a database; it only added a
// cold-start storm when the DB came back. Meanwhile the load balancer kept sending traffic
// to pods that were still warming up their caches, or already shutting down.
//
// Done means:
// - `/healthz` (liveness: "is this process able to work at all?") answers 200 without
//   touching any dependency;
// - `/readyz` (readiness: "should traffic come here right now?") answers 503 while the
//   service is starting or draining (without running checks), runs every dependency check
//   otherwise, answers 503 if a *critical* one fails, and 200 with status "degraded" if
//   only optional ones fail. The body lists every check's result;
// - anything else is 404.

use serde_json::{Map, Value, json};

pub trait Check {
    fn name(&self) -> &str;
    /// A critical dependency (the database) makes us unready when it fails;
    /// an optional one (the recommendations cache) only degrades us.
    fn critical(&self) -> bool;
    fn check(&self) -> Result<(), String>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Serving,
    Draining,
}

pub struct Health {
    pub phase: Phase,
    checks: Vec<Box<dyn Check>>,
}

impl Health {
    pub fn new(checks: Vec<Box<dyn Check>>) -> Health {
        Health {
            phase: Phase::Starting,
            checks,
        }
    }

    /// Returns the status code and the JSON body.
    pub fn handle(&self, path: &str) -> (u16, Value) {
        match path {
            "/healthz" => self.liveness(),
            "/readyz" => self.readiness(),
            _ => (404, json!({"error": "not found"})),
        }
    }

    fn liveness(&self) -> (u16, Value) {
        // TODO: liveness must not depend on other systems.
        self.readiness()
    }

    fn readiness(&self) -> (u16, Value) {
        // TODO: Starting -> 503 {"status": "starting"}, Draining -> 503 {"status":
        // "draining"} (no checks run in either case). Serving: run every check and build
        // {"status": "ready" | "degraded" | "unready", "checks": {"<name>": "ok" | "<error>"}}.
        // Only a failed critical check makes the answer 503.
        let mut report = Map::new();
        let mut ok = true;
        for check in &self.checks {
            if let Err(e) = check.check() {
                ok = false;
                report.insert(check.name().to_string(), Value::from(e));
                break;
            }
        }
        if ok {
            (200, json!({"status": "ready", "checks": report}))
        } else {
            (503, json!({"status": "unready", "checks": report}))
        }
    }
}

fn main() {
    let mut health = Health::new(Vec::new());
    println!("{:?}", health.handle("/readyz"));
    health.phase = Phase::Serving;
    println!("{:?}", health.handle("/readyz"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::rc::Rc;

    /// A fake dependency that counts how often it is checked.
    struct Dep {
        name: &'static str,
        critical: bool,
        error: Option<&'static str>,
        calls: Rc<Cell<u32>>,
    }

    impl Check for Dep {
        fn name(&self) -> &str {
            self.name
        }
        fn critical(&self) -> bool {
            self.critical
        }
        fn check(&self) -> Result<(), String> {
            self.calls.set(self.calls.get() + 1);
            match self.error {
                Some(e) => Err(e.to_string()),
                None => Ok(()),
            }
        }
    }

    /// A serving instance with a database and a cache; returns the shared call counter.
    fn service(
        db_error: Option<&'static str>,
        cache_error: Option<&'static str>,
    ) -> (Health, Rc<Cell<u32>>) {
        let calls = Rc::new(Cell::new(0));
        let db = Dep {
            name: "database",
            critical: true,
            error: db_error,
            calls: calls.clone(),
        };
        let cache = Dep {
            name: "cache",
            critical: false,
            error: cache_error,
            calls: calls.clone(),
        };
        let mut health = Health::new(vec![Box::new(db), Box::new(cache)]);
        health.phase = Phase::Serving;
        (health, calls)
    }

    #[test]
    fn all_good() {
        let (health, _) = service(None, None);
        let (code, body) = health.handle("/readyz");
        assert_eq!(code, 200);
        assert_eq!(
            body,
            json!({"status": "ready", "checks": {"database": "ok", "cache": "ok"}})
        );
    }

    #[test]
    fn liveness_ignores_dependencies() {
        let (health, calls) = service(Some("connection refused"), None);
        let (code, _) = health.handle("/healthz");
        assert_eq!(
            code, 200,
            "the DB being down does not mean THIS process is dead; restarting it will not help"
        );
        assert_eq!(
            calls.get(),
            0,
            "a liveness probe must not call dependencies at all (it runs every few seconds on every pod)"
        );
    }

    #[test]
    fn critical_failure_is_unready() {
        let (health, _) = service(Some("connection refused"), None);
        let (code, body) = health.handle("/readyz");
        assert_eq!(
            code, 503,
            "no database: take this pod out of the load balancer"
        );
        assert_eq!(body["status"], "unready");
        assert_eq!(body["checks"]["database"], "connection refused");
        assert_eq!(
            body["checks"]["cache"], "ok",
            "report EVERY check, not just the first failure: it saves debugging time"
        );
    }

    #[test]
    fn optional_failure_is_degraded_but_ready() {
        let (health, _) = service(None, Some("timeout after 50ms"));
        let (code, body) = health.handle("/readyz");
        assert_eq!(
            code, 200,
            "we can still serve without the cache (slower): keep receiving traffic"
        );
        assert_eq!(body["status"], "degraded");
        assert_eq!(body["checks"]["cache"], "timeout after 50ms");
    }

    #[test]
    fn starting_and_draining_are_unready_without_checks() {
        let (mut health, calls) = service(None, None);
        health.phase = Phase::Starting;
        assert_eq!(
            health.handle("/readyz"),
            (503, json!({"status": "starting"})),
            "warming up: no traffic yet"
        );
        health.phase = Phase::Draining;
        assert_eq!(
            health.handle("/readyz"),
            (503, json!({"status": "draining"})),
            "shutting down: stop new traffic while in-flight requests finish"
        );
        assert_eq!(
            calls.get(),
            0,
            "no need to check dependencies in these phases"
        );
        assert_eq!(
            health.handle("/healthz").0,
            200,
            "a draining process is still alive: do not kill it mid-request"
        );
    }

    #[test]
    fn a_critical_failure_wins_over_an_optional_one() {
        for (db, cache, code, status) in [
            (None, None, 200, "ready"),
            (None, Some("timeout"), 200, "degraded"),
            (Some("refused"), None, 503, "unready"),
            (Some("refused"), Some("timeout"), 503, "unready"),
        ] {
            let (health, calls) = service(db, cache);
            let (got_code, body) = health.handle("/readyz");
            assert_eq!(
                (got_code, &body["status"]),
                (code, &json!(status)),
                "database {db:?}, cache {cache:?}: a failed critical check makes the pod \
                 unready whatever the optional ones say"
            );
            assert_eq!(
                body["checks"],
                json!({"database": db.unwrap_or("ok"), "cache": cache.unwrap_or("ok")}),
                "every check's result is listed"
            );
            assert_eq!(calls.get(), 2, "every check runs exactly once");
        }
    }

    #[test]
    fn unknown_path() {
        let (mut health, calls) = service(None, None);
        for phase in [Phase::Serving, Phase::Starting] {
            health.phase = phase;
            for path in [
                "/health",
                "/healthzz",
                "/healthz/",
                "/healthz/x",
                "/readyzz",
                "/readyz/",
                "/readyz/x",
                "/metrics/healthz",
                "",
            ] {
                assert_eq!(
                    health.handle(path),
                    (404, json!({"error": "not found"})),
                    "{path:?} is not a probe: only the exact paths /healthz and /readyz are"
                );
            }
        }
        assert_eq!(calls.get(), 0, "no probe, no check");
    }
}
