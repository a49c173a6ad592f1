// Scenario: the public API promises "100 requests per minute per API key". The first limiter
// used fixed windows (a counter reset at every full minute), so a client could send 100
// requests at 11:59:59 and 100 more at 12:00:00: 200 requests in one second. We switch to a
// sliding window: a request is allowed if fewer than `limit` requests *from this key* were
// allowed in the last `window_ms` milliseconds, measured back from now.
//
// Done means: each API key has its own log of recent request times, entries older than the
// window are dropped, rejected requests are not logged (a client that keeps retrying is not
// punished forever), a rejection says how long until a slot frees up, and idle keys can be
// forgotten so memory does not grow with every key ever seen.

use std::collections::{HashMap, VecDeque};

#[derive(Debug, PartialEq)]
pub enum Decision {
    Allowed { remaining: usize },
    Limited { retry_after_ms: u64 },
}

pub struct SlidingWindowLimiter {
    limit: usize,
    window_ms: u64,
    /// API key -> times of its allowed requests in the current window, oldest first.
    hits: HashMap<String, VecDeque<u64>>,
}

impl SlidingWindowLimiter {
    pub fn new(limit: usize, window_ms: u64) -> Self {
        assert!(limit > 0 && window_ms > 0);
        Self {
            limit,
            window_ms,
            hits: HashMap::new(),
        }
    }

    /// A request made at `at_ms` still counts while `now_ms - at_ms < window_ms`.
    fn drop_expired(log: &mut VecDeque<u64>, window_ms: u64, now_ms: u64) {
        // TODO: pop requests from the front of the log while they are a full window old or
        // older.
        todo!("{log:?} {window_ms} {now_ms}")
    }

    pub fn check(&mut self, api_key: &str, now_ms: u64) -> Decision {
        // TODO: find (or create) this key's log and drop its expired entries. Below the limit:
        // log the request and say how many remain. At the limit: say how long until the oldest
        // logged request leaves the window, and do not log this one.
        todo!("check {api_key} at {now_ms}")
    }

    /// Forgets every key with no request inside the window.
    pub fn forget_idle(&mut self, now_ms: u64) {
        // TODO: remove keys whose log is empty once the expired entries are dropped.
        todo!("forget idle keys at {now_ms}")
    }

    pub fn tracked_keys(&self) -> usize {
        self.hits.len()
    }
}

fn main() {
    let mut limiter = SlidingWindowLimiter::new(2, 60_000);
    for now_ms in [0, 1_000, 2_000, 60_000] {
        println!("t={now_ms}: {:?}", limiter.check("key-abc", now_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(decision: &Decision) -> bool {
        matches!(decision, Decision::Allowed { .. })
    }

    #[test]
    fn allows_up_to_limit_and_counts_down() {
        let mut limiter = SlidingWindowLimiter::new(3, 10_000);
        assert_eq!(limiter.check("k", 0), Decision::Allowed { remaining: 2 });
        assert_eq!(limiter.check("k", 1), Decision::Allowed { remaining: 1 });
        assert_eq!(
            limiter.check("k", 2),
            Decision::Allowed { remaining: 0 },
            "the third of three allowed requests leaves 0 remaining"
        );
        assert_eq!(
            limiter.check("k", 3),
            Decision::Limited {
                retry_after_ms: 9_997
            },
            "the oldest request (t=0) leaves the 10 s window at t=10000, 9997 ms from now"
        );
    }

    #[test]
    fn keys_are_limited_separately() {
        let mut limiter = SlidingWindowLimiter::new(1, 10_000);
        assert!(allowed(&limiter.check("alice", 0)));
        assert!(
            !allowed(&limiter.check("alice", 1)),
            "alice used her one slot"
        );
        assert!(
            allowed(&limiter.check("bob", 2)),
            "bob has his own window: alice's traffic must not limit him"
        );
    }

    #[test]
    fn window_slides_one_request_at_a_time() {
        let mut limiter = SlidingWindowLimiter::new(3, 10_000);
        for now_ms in [0, 5_000, 9_000] {
            assert!(allowed(&limiter.check("k", now_ms)));
        }
        assert_eq!(
            limiter.check("k", 9_999),
            Decision::Limited { retry_after_ms: 1 }
        );
        assert!(
            allowed(&limiter.check("k", 10_000)),
            "at t=10000 the request from t=0 is exactly one window old and no longer counts"
        );
        assert_eq!(
            limiter.check("k", 10_001),
            Decision::Limited {
                retry_after_ms: 4_999
            },
            "now 5000, 9000 and 10000 are in the window; the slot of t=5000 frees at 15000"
        );
    }

    #[test]
    fn no_double_burst_at_a_window_boundary() {
        let mut limiter = SlidingWindowLimiter::new(3, 10_000);
        for now_ms in [9_000, 9_500, 9_900] {
            assert!(allowed(&limiter.check("k", now_ms)));
        }
        assert!(
            !allowed(&limiter.check("k", 10_100)),
            "three requests in the last 1.1 s: a fixed window would reset at t=10000 and allow \
             a second burst, a sliding window must not"
        );
    }

    #[test]
    fn rejected_requests_do_not_count() {
        let mut limiter = SlidingWindowLimiter::new(1, 1_000);
        assert!(allowed(&limiter.check("k", 0)));
        for now_ms in (100..1_000).step_by(100) {
            assert!(!allowed(&limiter.check("k", now_ms)));
        }
        assert!(
            allowed(&limiter.check("k", 1_000)),
            "only allowed requests take a slot; nine rejected retries must not push the \
             client's window further out"
        );
    }

    #[test]
    fn a_whole_burst_leaves_the_window_together() {
        let mut limiter = SlidingWindowLimiter::new(3, 1_000);
        for now_ms in [0, 1, 2] {
            assert!(allowed(&limiter.check("k", now_ms)));
        }
        assert_eq!(
            limiter.check("k", 2_000),
            Decision::Allowed { remaining: 2 },
            "at t=2000 all three requests of the burst are older than the window: drop every \
             expired entry, not just the first"
        );
    }

    #[test]
    #[should_panic]
    fn a_limit_of_zero_is_refused() {
        // It would reject every request, with no request in the log to compute a wait from.
        let _ = SlidingWindowLimiter::new(0, 1_000);
    }

    #[test]
    #[should_panic]
    fn an_empty_window_is_refused() {
        let _ = SlidingWindowLimiter::new(1, 0);
    }

    /// Random requests of three keys and sweeps (from a fixed seed) against the definition:
    /// the times of all allowed requests, counted when less than a window old.
    #[test]
    fn matches_the_definition() {
        let mut seed: u64 = 0x51_1d_e5;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        for round in 0..100 {
            let limit = 1 + next(4) as usize;
            let window_ms = [1, 10, 1_000, 1_500][next(4) as usize];
            let mut limiter = SlidingWindowLimiter::new(limit, window_ms);
            let mut allowed_at: HashMap<&str, Vec<u64>> = HashMap::new();
            let mut now_ms = next(10_000);
            let mut events = Vec::new();
            for _ in 0..50 {
                now_ms += match next(4) {
                    0 => 0,
                    1 => next(window_ms / 3 + 1),
                    2 => next(window_ms + 1),
                    _ => next(3 * window_ms + 1),
                };
                let in_window = |times: &Vec<u64>| -> Vec<u64> {
                    times
                        .iter()
                        .copied()
                        .filter(|&at_ms| now_ms - at_ms < window_ms)
                        .collect()
                };
                if next(8) == 0 {
                    events.push(format!("forget_idle at {now_ms}"));
                    limiter.forget_idle(now_ms);
                    let active = allowed_at
                        .values()
                        .filter(|times| !in_window(times).is_empty())
                        .count();
                    assert_eq!(
                        limiter.tracked_keys(),
                        active,
                        "round {round}: limit {limit}, window {window_ms} ms, after {events:?}"
                    );
                    continue;
                }
                let key = ["alice", "bob", "carol"][next(3) as usize];
                events.push(format!("{key} at {now_ms}"));
                let times = allowed_at.entry(key).or_default();
                let counted = in_window(times);
                let expected = if counted.len() < limit {
                    times.push(now_ms);
                    Decision::Allowed {
                        remaining: limit - counted.len() - 1,
                    }
                } else {
                    Decision::Limited {
                        retry_after_ms: counted[0] + window_ms - now_ms,
                    }
                };
                assert_eq!(
                    limiter.check(key, now_ms),
                    expected,
                    "round {round}: limit {limit}, window {window_ms} ms, after {events:?}"
                );
            }
        }
    }

    #[test]
    fn idle_keys_are_forgotten() {
        let mut limiter = SlidingWindowLimiter::new(5, 1_000);
        limiter.check("old", 0);
        limiter.check("recent", 600);
        assert_eq!(limiter.tracked_keys(), 2, "two keys made requests");
        limiter.forget_idle(1_200);
        assert_eq!(
            limiter.tracked_keys(),
            1,
            "'old' made no request in the last 1000 ms and is dropped; 'recent' is kept"
        );
        assert_eq!(
            limiter.check("recent", 1_200),
            Decision::Allowed { remaining: 3 },
            "forgetting idle keys must not lose the hits of active ones"
        );
        limiter.forget_idle(2_200);
        assert_eq!(
            limiter.tracked_keys(),
            0,
            "by t=2200 the requests of 'recent' (t=600 and t=1200) are a window old: no key is \
             active, none is kept"
        );
    }
}
