// Rust for Python developers 6: traits instead of duck typing and protocols.
// The Rust Book, chapter 10.2 (https://doc.rust-lang.org/book/ch10-02-traits.html) and chapter
// 18.2 (trait objects: https://doc.rust-lang.org/book/ch18-02-trait-objects.html).
//
// Scenario: the orchestrator asks `GET /ready` before sending traffic to an instance. Readiness
// runs every health check: a failing *critical* check (the database, the disk) means "not ready,
// send nothing"; a failing non-critical one (a long job queue) means "degraded, still serving".
//
// The Python you know:
//
//     class HealthCheck(Protocol):          # or no declaration at all: duck typing
//         def name(self) -> str: ...
//         def check(self) -> str | None: ...   # None when healthy, else the reason
//         critical: bool = True
//
//     def readiness(checks: list[HealthCheck]): ...   # anything with those methods will do;
//                                                     # a typo shows up at run time
//     def __str__(self): return "ready"               # how print() shows an object
//
// In Rust the protocol is a `trait`, and a type has it only where you write `impl Trait for
// Type` (the compiler checks every method is there, with the right types):
//
//     pub trait HealthCheck {
//         fn name(&self) -> &str;
//         fn check(&self) -> Result<(), String>;
//         fn critical(&self) -> bool { true }        // a default method: implementors may override
//     }
//     impl HealthCheck for DiskSpace { fn name(&self) -> &str { "disk" } ... }
//
// Two ways to accept "anything that is a HealthCheck":
//   - `fn describe(check: &impl HealthCheck)` (generic): one compiled copy per concrete type;
//   - `&[Box<dyn HealthCheck>]` (a trait object): one list holding different types, each call
//     looked up at run time, which is what Python always does.
// Python's dunder methods are traits too: `__str__` is `std::fmt::Display` (what `{}` and
// `to_string()` use), `__repr__` is `Debug` (`{:?}`), `__eq__` is `PartialEq`.
//
// Done means: `DiskSpace` and `QueueDepth` are health checks, `describe` and `readiness` follow
// their comments, and `Readiness` displays as its comment says.

use std::fmt;

pub trait HealthCheck {
    /// A short name for the dashboard (`db`, `disk`).
    fn name(&self) -> &str;
    /// `Ok(())` when healthy, else `Err(reason)`.
    fn check(&self) -> Result<(), String>;
    /// A failing critical check makes the instance not ready; others only degrade it.
    fn critical(&self) -> bool {
        true
    }
}

/// Provided: the database answers a ping (here: a recorded answer).
pub struct Database {
    pub reachable: bool,
}

impl HealthCheck for Database {
    fn name(&self) -> &str {
        "db"
    }

    fn check(&self) -> Result<(), String> {
        if self.reachable {
            Ok(())
        } else {
            Err("connection refused".to_string())
        }
    }
}

/// Critical, named `disk`: healthy while at least `min_free_bytes` are free, else
/// `Err("only N bytes free")` with N the free bytes.
pub struct DiskSpace {
    pub free_bytes: u64,
    pub min_free_bytes: u64,
}

// TODO: the compiler lists the methods this impl is missing. `critical` has a default.
impl HealthCheck for DiskSpace {}

/// NOT critical, named `queue`: healthy while at most `max` jobs wait, else
/// `Err("N jobs waiting")`.
pub struct QueueDepth {
    pub waiting: usize,
    pub max: usize,
}

// TODO: this one is not critical: override the default method.
impl HealthCheck for QueueDepth {}

/// One dashboard line: `disk: ok`, or `disk: FAILING (only 10 bytes free)`.
pub fn describe(check: &impl HealthCheck) -> String {
    // TODO
    let _ = check;
    todo!()
}

#[derive(Debug, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Only non-critical checks fail: their names, in the order of the checks.
    Degraded(Vec<String>),
    /// Critical checks fail: the names of the failing critical checks, in order.
    NotReady(Vec<String>),
}

/// Runs every check (not only up to the first failure: the response lists them all).
pub fn readiness(checks: &[Box<dyn HealthCheck>]) -> Readiness {
    // TODO: every check, then decide. `check.critical()` works on a `Box<dyn HealthCheck>` as
    // on the type inside.
    let _ = checks;
    todo!()
}

/// The body of `GET /ready`: `ready`, `degraded: queue`, `not ready: db, disk`.
impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // TODO: `write!(f, "...")` writes into the formatter, as `format!` does into a String.
        let _ = f;
        todo!()
    }
}

fn main() {
    let checks: Vec<Box<dyn HealthCheck>> = vec![
        Box::new(Database { reachable: true }),
        Box::new(DiskSpace {
            free_bytes: 10,
            min_free_bytes: 1024,
        }),
        Box::new(QueueDepth {
            waiting: 3,
            max: 100,
        }),
    ];
    println!("{}", readiness(&checks));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(free_bytes: u64) -> DiskSpace {
        DiskSpace {
            free_bytes,
            min_free_bytes: 1000,
        }
    }

    fn queue(waiting: usize) -> QueueDepth {
        QueueDepth { waiting, max: 50 }
    }

    #[test]
    fn disk_space_check() {
        assert_eq!(disk(1000).name(), "disk");
        assert!(disk(1000).critical(), "a full disk stops the instance");
        assert_eq!(disk(5000).check(), Ok(()));
        assert_eq!(disk(1000).check(), Ok(()), "exactly the minimum is enough");
        assert_eq!(disk(999).check(), Err("only 999 bytes free".to_string()));
        assert_eq!(disk(0).check(), Err("only 0 bytes free".to_string()));
    }

    #[test]
    fn queue_depth_check() {
        assert_eq!(queue(0).name(), "queue");
        assert!(
            !queue(0).critical(),
            "a long queue only degrades the instance"
        );
        assert_eq!(queue(50).check(), Ok(()), "exactly the maximum is fine");
        assert_eq!(queue(51).check(), Err("51 jobs waiting".to_string()));
    }

    #[test]
    fn describe_works_for_any_check() {
        assert_eq!(describe(&disk(2000)), "disk: ok");
        assert_eq!(describe(&disk(10)), "disk: FAILING (only 10 bytes free)");
        assert_eq!(describe(&queue(70)), "queue: FAILING (70 jobs waiting)");
        assert_eq!(
            describe(&Database { reachable: false }),
            "db: FAILING (connection refused)"
        );
        assert_eq!(describe(&Database { reachable: true }), "db: ok");
    }

    #[test]
    fn all_healthy_is_ready() {
        let checks: Vec<Box<dyn HealthCheck>> = vec![
            Box::new(Database { reachable: true }),
            Box::new(disk(1000)),
            Box::new(queue(50)),
        ];
        assert_eq!(readiness(&checks), Readiness::Ready);
        assert_eq!(readiness(&[]), Readiness::Ready, "nothing to check: ready");
    }

    #[test]
    fn a_non_critical_failure_only_degrades() {
        let checks: Vec<Box<dyn HealthCheck>> = vec![
            Box::new(queue(99)),
            Box::new(Database { reachable: true }),
            Box::new(queue(51)),
        ];
        assert_eq!(
            readiness(&checks),
            Readiness::Degraded(vec!["queue".to_string(), "queue".to_string()])
        );
    }

    #[test]
    fn critical_failures_make_the_instance_not_ready() {
        let checks: Vec<Box<dyn HealthCheck>> = vec![
            Box::new(Database { reachable: false }),
            Box::new(queue(500)),
            Box::new(disk(1)),
            Box::new(disk(1000)),
        ];
        assert_eq!(
            readiness(&checks),
            Readiness::NotReady(vec!["db".to_string(), "disk".to_string()]),
            "every failing critical check, in order; the failing queue is not listed"
        );
    }

    #[test]
    fn any_type_that_implements_the_trait_takes_part() {
        struct Always(Result<(), String>, bool);
        impl HealthCheck for Always {
            fn name(&self) -> &str {
                "custom"
            }
            fn check(&self) -> Result<(), String> {
                self.0.clone()
            }
            fn critical(&self) -> bool {
                self.1
            }
        }
        struct DefaultCritical;
        impl HealthCheck for DefaultCritical {
            fn name(&self) -> &str {
                "plain"
            }
            fn check(&self) -> Result<(), String> {
                Err("down".to_string())
            }
        }
        let checks: Vec<Box<dyn HealthCheck>> = vec![
            Box::new(Always(Err("x".to_string()), false)),
            Box::new(Always(Ok(()), true)),
        ];
        assert_eq!(
            readiness(&checks),
            Readiness::Degraded(vec!["custom".to_string()]),
            "readiness asks each check whether it is critical"
        );
        let checks: Vec<Box<dyn HealthCheck>> = vec![Box::new(DefaultCritical)];
        assert_eq!(
            readiness(&checks),
            Readiness::NotReady(vec!["plain".to_string()]),
            "a check that does not say otherwise is critical (the default method)"
        );
        assert_eq!(describe(&DefaultCritical), "plain: FAILING (down)");
    }

    #[test]
    fn readiness_displays_as_the_response_body() {
        assert_eq!(Readiness::Ready.to_string(), "ready");
        assert_eq!(
            Readiness::Degraded(vec!["queue".to_string()]).to_string(),
            "degraded: queue"
        );
        assert_eq!(
            Readiness::NotReady(vec!["db".to_string(), "disk".to_string()]).to_string(),
            "not ready: db, disk"
        );
        assert_eq!(
            format!("{}", Readiness::Ready),
            "ready",
            "`{{}}` uses Display"
        );
    }
}
