// Rust for Python developers 5: `HashMap` and `Vec` instead of `dict` and `list`.
// The Rust Book, chapter 8 (https://doc.rust-lang.org/book/ch08-00-common-collections.html).
//
// Scenario: a status board collects health reports from every service (`api`, `db`, ...) and
// shows one line per service on the on-call dashboard. Reports travel over a queue, so they can
// arrive late and out of order: a report older than the one we have must not undo it.
//
// The Python you know:
//
//     latest = {}
//     failures[svc] = failures.get(svc, 0) + 1      # or a defaultdict(int)
//     failures["unknown"]                           # KeyError
//     for svc, report in latest.items(): ...        # insertion order, since Python 3.7
//
// The Rust way:
//
//     let mut failures: HashMap<String, u32> = HashMap::new();
//     *failures.entry(service.to_string()).or_insert(0) += 1;   // get-or-create, then change
//     failures.get("unknown")          // Option<&u32>: no KeyError, a None to handle
//     failures["unknown"]              // compiles, and panics like a KeyError: avoid it
//     failures.get_mut("db")           // Option<&mut u32>: change in place
//
// One difference bites every Python developer: a `HashMap` has NO order. Iterating it gives the
// entries in an order that changes from one map to the next (it is randomized), so anything a
// person or a test reads must be sorted first (or kept in a `BTreeMap`, which is always sorted).
//
// Done means: `StatusBoard` follows the comments of its methods.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub healthy: bool,
    /// When the check ran, in seconds since the epoch.
    pub at: u64,
}

#[derive(Debug, Default)]
pub struct StatusBoard {
    /// The newest report of each service.
    latest: HashMap<String, Report>,
    /// How many unhealthy reports in a row each service has sent (its newest ones).
    failures: HashMap<String, u32>,
}

impl StatusBoard {
    /// Records a report. A report older (smaller `at`) than the service's newest one arrived
    /// late: it is ignored entirely. Otherwise it becomes the newest (at the same `at` too), and
    /// the failure streak grows by one (unhealthy) or goes back to 0 (healthy).
    pub fn record(&mut self, service: &str, report: Report) {
        if let Some(newest) = self.latest.get(service)
            && report.at < newest.at
        {
            return;
        }
        self.latest.insert(service.to_string(), report);
        let streak = self.failures.entry(service.to_string()).or_insert(0);
        if report.healthy {
            *streak = 0;
        } else {
            *streak += 1;
        }
    }

    /// Whether the service's newest report is healthy; None for a service we never heard of.
    pub fn is_up(&self, service: &str) -> Option<bool> {
        self.latest.get(service).map(|report| report.healthy)
    }

    /// The failure streak of a service; 0 for a service we never heard of.
    pub fn consecutive_failures(&self, service: &str) -> u32 {
        self.failures.get(service).copied().unwrap_or(0)
    }

    /// The services that are down, sorted by name.
    pub fn down(&self) -> Vec<&str> {
        let mut down: Vec<&str> = self
            .latest
            .iter()
            .filter(|(_, report)| !report.healthy)
            .map(|(service, _)| service.as_str())
            .collect();
        down.sort_unstable();
        down
    }

    /// The dashboard: one line per service, sorted by name: `api: up`, or `db: DOWN (1 failure)`,
    /// `db: DOWN (3 failures)`.
    pub fn table(&self) -> Vec<String> {
        let mut services: Vec<&String> = self.latest.keys().collect();
        services.sort_unstable();
        services
            .into_iter()
            .map(|service| {
                if self.latest[service].healthy {
                    return format!("{service}: up");
                }
                match self.consecutive_failures(service) {
                    1 => format!("{service}: DOWN (1 failure)"),
                    n => format!("{service}: DOWN ({n} failures)"),
                }
            })
            .collect()
    }
}

fn main() {
    let mut board = StatusBoard::default();
    board.record(
        "db",
        Report {
            healthy: false,
            at: 10,
        },
    );
    board.record(
        "api",
        Report {
            healthy: true,
            at: 11,
        },
    );
    for line in board.table() {
        println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(at: u64) -> Report {
        Report { healthy: true, at }
    }

    fn down(at: u64) -> Report {
        Report { healthy: false, at }
    }

    #[test]
    fn unknown_services() {
        let board = StatusBoard::default();
        assert_eq!(board.is_up("api"), None, "never heard of it: None");
        assert_eq!(
            board.consecutive_failures("api"),
            0,
            "an unknown service has no failures (and no panic: `map[key]` panics like KeyError)"
        );
        assert!(board.down().is_empty());
        assert!(board.table().is_empty());
    }

    #[test]
    fn the_newest_report_counts() {
        let mut board = StatusBoard::default();
        board.record("api", up(10));
        assert_eq!(board.is_up("api"), Some(true));
        board.record("api", down(11));
        assert_eq!(board.is_up("api"), Some(false));
        assert_eq!(
            board.is_up("db"),
            None,
            "one service's report is not another's"
        );
    }

    #[test]
    fn failure_streaks_grow_and_reset() {
        let mut board = StatusBoard::default();
        board.record("db", down(1));
        board.record("db", down(2));
        board.record("api", down(2));
        assert_eq!(board.consecutive_failures("db"), 2);
        assert_eq!(board.consecutive_failures("api"), 1);
        board.record("db", up(3));
        assert_eq!(
            board.consecutive_failures("db"),
            0,
            "a healthy report resets"
        );
        board.record("db", down(4));
        assert_eq!(board.consecutive_failures("db"), 1);
    }

    #[test]
    fn a_late_report_is_ignored_entirely() {
        let mut board = StatusBoard::default();
        board.record("db", up(20));
        board.record("db", down(19));
        assert_eq!(
            board.is_up("db"),
            Some(true),
            "a report from before is stale"
        );
        assert_eq!(
            board.consecutive_failures("db"),
            0,
            "a stale report does not count as a failure either"
        );
        board.record("db", down(20));
        assert_eq!(
            board.is_up("db"),
            Some(false),
            "a report from the same second is not older: it replaces"
        );
        board.record("db", down(21));
        board.record("db", up(5));
        assert_eq!(board.consecutive_failures("db"), 2);
        assert_eq!(board.is_up("db"), Some(false));
    }

    #[test]
    fn down_is_sorted() {
        let mut board = StatusBoard::default();
        for (i, name) in [
            "queue", "db", "search", "api", "mail", "cache", "auth", "billing",
        ]
        .into_iter()
        .enumerate()
        {
            let at = i as u64;
            board.record(name, if i % 3 == 0 { up(at) } else { down(at) });
        }
        assert_eq!(board.down(), ["billing", "cache", "db", "mail", "search"]);
    }

    #[test]
    fn the_table_is_sorted_by_name() {
        let mut board = StatusBoard::default();
        let names = [
            "web", "db", "queue", "api", "search", "mail", "cache", "auth", "billing", "cdn",
        ];
        for name in names {
            board.record(name, up(1));
        }
        board.record("db", down(2));
        board.record("db", down(3));
        board.record("db", down(4));
        board.record("mail", down(2));
        assert_eq!(
            board.table(),
            [
                "api: up",
                "auth: up",
                "billing: up",
                "cache: up",
                "cdn: up",
                "db: DOWN (3 failures)",
                "mail: DOWN (1 failure)",
                "queue: up",
                "search: up",
                "web: up",
            ],
            "a HashMap iterates in no particular order: sort before showing"
        );
    }
}
