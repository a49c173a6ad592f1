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
        while log
            .front()
            .is_some_and(|&at_ms| at_ms + window_ms <= now_ms)
        {
            log.pop_front();
        }
    }

    pub fn check(&mut self, api_key: &str, now_ms: u64) -> Decision {
        let log = self.hits.entry(api_key.to_string()).or_default();
        Self::drop_expired(log, self.window_ms, now_ms);
        if log.len() < self.limit {
            log.push_back(now_ms);
            Decision::Allowed {
                remaining: self.limit - log.len(),
            }
        } else {
            // The log is full, so it has a front: the slot it holds frees up first.
            let oldest = log[0];
            Decision::Limited {
                retry_after_ms: oldest + self.window_ms - now_ms,
            }
        }
    }

    /// Forgets every key with no request inside the window.
    pub fn forget_idle(&mut self, now_ms: u64) {
        let window_ms = self.window_ms;
        self.hits.retain(|_, log| {
            Self::drop_expired(log, window_ms, now_ms);
            !log.is_empty()
        });
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
    fn idle_keys_are_forgotten() {
        let mut limiter = SlidingWindowLimiter::new(5, 1_000);
        limiter.check("old", 0);
        limiter.check("recent", 600);
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
    }
}
