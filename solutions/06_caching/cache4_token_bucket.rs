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
        let elapsed = now_ms.saturating_sub(self.last_refill_ms);
        let earned = elapsed / self.refill_every_ms;
        if earned > 0 {
            let missing = u64::from(self.capacity - self.tokens);
            // `min` keeps the value at or below `capacity`, so it fits in a u32.
            self.tokens += earned.min(missing) as u32;
            // Keep the leftover milliseconds: they count towards the next token.
            self.last_refill_ms += earned * self.refill_every_ms;
        }
        if self.tokens == self.capacity {
            // A full bucket does not save up progress towards a token it has no room for.
            self.last_refill_ms = now_ms;
        }
    }

    /// Spends one token, or says how many milliseconds until the next one arrives.
    pub fn try_acquire(&mut self, now_ms: u64) -> Result<(), u64> {
        self.refill(now_ms);
        if self.tokens > 0 {
            self.tokens -= 1;
            Ok(())
        } else {
            Err(self.last_refill_ms + self.refill_every_ms - now_ms)
        }
    }
}

/// The rate-limiting layer in front of the handler.
pub fn rate_limited(bucket: &mut TokenBucket, now_ms: u64) -> Response {
    match bucket.try_acquire(now_ms) {
        Ok(()) => Response {
            status: 200,
            headers: Vec::new(),
        },
        Err(wait_ms) => Response {
            status: 429,
            headers: vec![(
                "Retry-After".to_string(),
                wait_ms.div_ceil(1000).to_string(),
            )],
        },
    }
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
