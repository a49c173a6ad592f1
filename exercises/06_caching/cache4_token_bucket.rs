// Scenario: one client hammers the search API with 500 requests per second and slows it down for
// everyone. We add a token bucket per client: the bucket holds up to `capacity` tokens, one
// token comes back every `refill_every_ms`, each request spends one. A short burst is fine; a
// sustained flood gets `429 Too Many Requests` with a `Retry-After` header saying how many
// seconds to wait (RFC 9110 section 10.2.3: a whole number of seconds, so round up).
//
// Done means: tokens are refilled from the elapsed time (time is passed in, never read from the
// system clock), partial progress towards the next token is kept, the bucket never holds more
// than its capacity, and a rejected request gets a correct Retry-After.

pub struct TokenBucket {
    capacity: u32,
    refill_every_ms: u64,
    tokens: u32,
    /// The instant from which progress towards the next token is counted.
    last_refill_ms: u64,
}

#[derive(Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl TokenBucket {
    /// A bucket that starts full at `now_ms`.
    pub fn new(capacity: u32, refill_every_ms: u64, now_ms: u64) -> Self {
        assert!(capacity > 0 && refill_every_ms > 0);
        Self {
            capacity,
            refill_every_ms,
            tokens: capacity,
            last_refill_ms: now_ms,
        }
    }

    fn refill(&mut self, now_ms: u64) {
        // TODO: add one token per whole `refill_every_ms` elapsed since `last_refill_ms`, never
        // more than `capacity`. Move `last_refill_ms` forward by the time those tokens "used",
        // so leftover milliseconds count towards the next token. A full bucket has no room for
        // more, so its progress starts again from `now_ms`.
        todo!("refill at {now_ms}")
    }

    /// Spends one token, or says how many milliseconds until the next one arrives.
    pub fn try_acquire(&mut self, now_ms: u64) -> Result<(), u64> {
        // TODO: refill first, then spend a token or return the wait in milliseconds.
        todo!("acquire at {now_ms}")
    }
}

/// The rate-limiting layer in front of the handler.
pub fn rate_limited(bucket: &mut TokenBucket, now_ms: u64) -> Response {
    // TODO: 200 with no headers when a token is available; otherwise 429 with a `Retry-After`
    // header in whole seconds.
    todo!("respond at t={now_ms} ms")
}

fn main() {
    let mut bucket = TokenBucket::new(2, 1_000, 0);
    for now_ms in [0, 10, 20, 1_500] {
        let response = rate_limited(&mut bucket, now_ms);
        println!("t={now_ms} ms -> {response:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(bucket: &mut TokenBucket, now_ms: u64, requests: usize) -> Vec<u16> {
        (0..requests)
            .map(|_| rate_limited(bucket, now_ms).status)
            .collect()
    }

    #[test]
    fn burst_up_to_capacity_then_429() {
        let mut bucket = TokenBucket::new(3, 1_000, 0);
        assert_eq!(
            statuses(&mut bucket, 0, 4),
            vec![200, 200, 200, 429],
            "a full bucket of 3 allows a burst of 3; the 4th request is rejected"
        );
    }

    #[test]
    fn success_has_no_retry_after() {
        let mut bucket = TokenBucket::new(1, 1_000, 0);
        let response = rate_limited(&mut bucket, 0);
        assert_eq!(response.status, 200);
        assert_eq!(
            response.header("Retry-After"),
            None,
            "Retry-After only makes sense on a rejection"
        );
    }

    #[test]
    fn retry_after_is_rounded_up_to_whole_seconds() {
        let mut bucket = TokenBucket::new(2, 2_500, 0);
        statuses(&mut bucket, 0, 2);
        let response = rate_limited(&mut bucket, 0);
        assert_eq!(response.status, 429);
        assert_eq!(
            response.header("Retry-After"),
            Some("3"),
            "the next token arrives in 2500 ms; Retry-After is whole seconds, rounded up to 3 \
             (rounding down would send the client back too early)"
        );
        let response = rate_limited(&mut bucket, 1_000);
        assert_eq!(
            response.header("Retry-After"),
            Some("2"),
            "at t=1000 the token is 1500 ms away: 2 seconds"
        );
    }

    #[test]
    fn waiting_retry_after_is_enough() {
        let mut bucket = TokenBucket::new(1, 2_500, 0);
        rate_limited(&mut bucket, 0);
        assert_eq!(
            rate_limited(&mut bucket, 2_499).status,
            429,
            "1 ms too early"
        );
        assert_eq!(
            rate_limited(&mut bucket, 2_500).status,
            200,
            "one token is back exactly 2500 ms after the bucket was emptied"
        );
    }

    #[test]
    fn retry_after_of_a_whole_number_of_seconds_is_not_rounded_further() {
        for (refill_every_ms, expected) in [(1_000, "1"), (2_000, "2"), (3_000, "3")] {
            let mut bucket = TokenBucket::new(1, refill_every_ms, 0);
            rate_limited(&mut bucket, 0);
            let response = rate_limited(&mut bucket, 0);
            assert_eq!(response.status, 429);
            assert_eq!(
                response.header("Retry-After"),
                Some(expected),
                "the next token is exactly {refill_every_ms} ms away: {expected} s, not one more"
            );
        }
    }

    #[test]
    fn a_token_is_earned_once() {
        let mut bucket = TokenBucket::new(2, 1_000, 0);
        statuses(&mut bucket, 0, 2);
        assert_eq!(
            rate_limited(&mut bucket, 1_000).status,
            200,
            "the token of t=1000"
        );
        let response = rate_limited(&mut bucket, 1_000);
        assert_eq!(
            response.status, 429,
            "the token that arrived at t=1000 was just spent: the 1000 ms that earned it must \
             not earn another one (move `last_refill_ms` past the time a token used)"
        );
        assert_eq!(response.header("Retry-After"), Some("1"));
        assert_eq!(rate_limited(&mut bucket, 1_999).status, 429);
        assert_eq!(rate_limited(&mut bucket, 2_000).status, 200);
    }

    #[test]
    #[should_panic]
    fn a_bucket_without_tokens_is_refused() {
        // It would reject every request while promising a token in `refill_every_ms`.
        let _ = TokenBucket::new(0, 1_000, 0);
    }

    #[test]
    #[should_panic]
    fn a_bucket_that_never_refills_is_refused() {
        let _ = TokenBucket::new(1, 0, 0);
    }

    /// Random request times (from a fixed seed) against a bucket simulated one millisecond at a
    /// time: while not full, every millisecond is progress, `refill_every_ms` of it make a
    /// token, and a full bucket keeps no progress.
    #[test]
    fn matches_a_millisecond_by_millisecond_simulation() {
        let mut seed: u64 = 0x0b0c_4e75;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        for round in 0..60 {
            let capacity = 1 + next(4) as u32;
            let refill_every_ms = [1, 7, 250, 1_000, 1_500, 2_000][next(6) as usize];
            let start_ms = next(5_000);
            let mut bucket = TokenBucket::new(capacity, refill_every_ms, start_ms);
            let (mut tokens, mut progress, mut now_ms) = (capacity, 0, start_ms);
            let mut requests = Vec::new();
            for _ in 0..40 {
                let gap = match next(3) {
                    0 => 0,
                    1 => next(refill_every_ms + 1),
                    _ => next(3 * refill_every_ms + 1),
                };
                for _ in 0..gap {
                    if tokens < capacity {
                        progress += 1;
                        if progress == refill_every_ms {
                            tokens += 1;
                            progress = 0;
                        }
                    }
                }
                now_ms += gap;
                requests.push(now_ms);
                let response = rate_limited(&mut bucket, now_ms);
                let expected = if tokens > 0 {
                    tokens -= 1;
                    (200, None)
                } else {
                    let wait_ms = refill_every_ms - progress;
                    (429, Some(wait_ms.div_ceil(1_000).to_string()))
                };
                assert_eq!(
                    (
                        response.status,
                        response.header("Retry-After").map(String::from)
                    ),
                    expected,
                    "round {round}: capacity {capacity}, a token every {refill_every_ms} ms, \
                     created at t={start_ms}, requests at {requests:?}"
                );
            }
        }
    }

    #[test]
    fn partial_progress_is_kept() {
        let mut bucket = TokenBucket::new(2, 1_000, 0);
        statuses(&mut bucket, 0, 2);
        assert_eq!(
            rate_limited(&mut bucket, 1_500).status,
            200,
            "the token from t=1000 is spent at t=1500"
        );
        assert_eq!(
            rate_limited(&mut bucket, 2_000).status,
            200,
            "tokens arrive every 1000 ms from t=0: at 1000, 2000, ... Spending at t=1500 must \
             not restart the count, or the 500 ms already elapsed are lost"
        );
    }

    #[test]
    fn bucket_never_exceeds_capacity() {
        let mut bucket = TokenBucket::new(3, 1_000, 0);
        statuses(&mut bucket, 0, 3);
        assert_eq!(
            statuses(&mut bucket, 100_000, 4),
            vec![200, 200, 200, 429],
            "100 s of idle time earns 100 tokens, but the bucket only holds 3"
        );
    }

    #[test]
    fn full_bucket_does_not_bank_progress() {
        let mut bucket = TokenBucket::new(1, 1_000, 0);
        assert_eq!(rate_limited(&mut bucket, 700).status, 200);
        let response = rate_limited(&mut bucket, 1_000);
        assert_eq!(
            response.status, 429,
            "the bucket was full until t=700, so the next token is due at t=1700, not t=1000"
        );
        assert_eq!(response.header("Retry-After"), Some("1"), "700 ms -> 1 s");
        assert_eq!(rate_limited(&mut bucket, 1_700).status, 200);
    }
}
