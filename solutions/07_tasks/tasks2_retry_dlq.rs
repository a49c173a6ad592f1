// Scenario: the webhook sender posts order events to partner URLs. Partners go down, so a failed
// delivery must be retried, but the old code retried immediately in a tight loop and hammered
// servers that were already struggling. And a job that could never succeed (a malformed URL)
// was retried forever, clogging the queue.
//
// Done means:
// - Retries wait longer each time (exponential backoff): `base_delay_ms` before the 2nd attempt,
//   twice that before the 3rd, and so on, never more than `max_delay_ms`, and without
//   overflowing for large attempt numbers.
// - A job gets at most `max_attempts` attempts, and always at least one: a policy with
//   `max_attempts: 0` (a config typo) runs each job once, it never drops a job unrun. A job that
//   still fails goes to the dead-letter queue (DLQ) with its attempt count and last error, for a
//   human to look at.
// - A permanent error (retrying cannot help) goes to the DLQ at once.
// - Nothing sleeps: `process` returns the retry schedule it would use, so it can be tested.

#[derive(Debug, Clone, PartialEq)]
pub enum JobError {
    /// Worth retrying: timeouts, 503s, connection resets.
    Transient(String),
    /// Retrying cannot help: a 400, a malformed URL, a deleted account.
    Permanent(String),
}

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
}

impl RetryPolicy {
    /// How long to wait after failed attempt number `failed_attempt` (1-based; 0, which is no
    /// attempt number, counts as 1: no underflow).
    pub fn backoff_ms(&self, failed_attempt: u32) -> u64 {
        let factor = 2u64.saturating_pow(failed_attempt.saturating_sub(1));
        self.base_delay_ms
            .saturating_mul(factor)
            .min(self.max_delay_ms)
    }
}

#[derive(Debug, PartialEq)]
pub struct ScheduledRetry {
    pub job_id: u32,
    /// The attempt that will run after the delay (2 for the first retry).
    pub attempt: u32,
    pub delay_ms: u64,
}

#[derive(Debug, PartialEq)]
pub struct DeadLetter {
    pub job_id: u32,
    pub attempts: u32,
    pub last_error: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub succeeded: Vec<u32>,
    pub retries: Vec<ScheduledRetry>,
    pub dead_letters: Vec<DeadLetter>,
}

/// Runs each job until it succeeds, fails permanently or runs out of attempts.
/// `run(job_id, attempt)` performs one attempt.
pub fn process(
    job_ids: &[u32],
    policy: &RetryPolicy,
    mut run: impl FnMut(u32, u32) -> Result<(), JobError>,
) -> Outcome {
    let mut outcome = Outcome::default();
    for &job_id in job_ids {
        let mut attempt = 1;
        loop {
            match run(job_id, attempt) {
                Ok(()) => {
                    outcome.succeeded.push(job_id);
                    break;
                }
                Err(JobError::Transient(_)) if attempt < policy.max_attempts => {
                    outcome.retries.push(ScheduledRetry {
                        job_id,
                        attempt: attempt + 1,
                        delay_ms: policy.backoff_ms(attempt),
                    });
                    attempt += 1;
                }
                Err(JobError::Transient(last_error) | JobError::Permanent(last_error)) => {
                    outcome.dead_letters.push(DeadLetter {
                        job_id,
                        attempts: attempt,
                        last_error,
                    });
                    break;
                }
            }
        }
    }
    outcome
}

fn main() {
    let policy = RetryPolicy {
        max_attempts: 4,
        base_delay_ms: 1_000,
        max_delay_ms: 60_000,
    };
    let outcome = process(&[7], &policy, |_, attempt| {
        Err(JobError::Transient(format!("503 on attempt {attempt}")))
    });
    println!("{outcome:#?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay_ms: 100,
        max_delay_ms: 1_000,
    };

    fn timeout(attempt: u32) -> JobError {
        JobError::Transient(format!("timeout on attempt {attempt}"))
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let delays: Vec<u64> = (1..=6).map(|n| POLICY.backoff_ms(n)).collect();
        assert_eq!(
            delays,
            vec![100, 200, 400, 800, 1_000, 1_000],
            "base, 2x, 4x, 8x ... but never above max_delay_ms"
        );
    }

    #[test]
    fn backoff_does_not_overflow() {
        assert_eq!(
            POLICY.backoff_ms(200),
            1_000,
            "2^199 does not fit in a u64: saturate instead of panicking or wrapping to 0"
        );
        assert_eq!(
            POLICY.backoff_ms(0),
            100,
            "0 is no attempt number: it counts as 1 (the base delay); `failed_attempt - 1` \
             would underflow"
        );
    }

    #[test]
    fn backoff_saturates_instead_of_wrapping() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay_ms: 1_000,
            max_delay_ms: 60_000,
        };
        for failed_attempt in [62, 63, 64, 65] {
            assert_eq!(
                policy.backoff_ms(failed_attempt),
                60_000,
                "1000 * 2^{} does not fit in a u64: it must saturate to the cap, not wrap \
                 around to a small delay (checked_shl only refuses shifts of 64 bits or more; \
                 wrapping_mul and plain `*` in release builds wrap)",
                failed_attempt - 1
            );
        }
        let mut previous = 0;
        for failed_attempt in 1..=200 {
            let delay = policy.backoff_ms(failed_attempt);
            assert!(
                delay >= previous,
                "backoff never shrinks: {previous} ms after attempt {}, {delay} ms after \
                 attempt {failed_attempt}",
                failed_attempt - 1
            );
            previous = delay;
        }
    }

    #[test]
    fn backoff_is_exact_integer_arithmetic() {
        let base = (1u64 << 53) + 1;
        let policy = RetryPolicy {
            max_attempts: 3,
            base_delay_ms: base,
            max_delay_ms: u64::MAX,
        };
        assert_eq!(
            policy.backoff_ms(1),
            base,
            "2^53 + 1 ms after the first failure, exactly: an f64 has 53 bits of mantissa \
             and rounds it to 2^53"
        );
        assert_eq!(policy.backoff_ms(2), 2 * base, "twice the base, exactly");
        assert_eq!(
            policy.backoff_ms(11),
            (1 << 63) + (1 << 10),
            "2^10 * (2^53 + 1), exactly"
        );
        assert_eq!(
            policy.backoff_ms(12),
            u64::MAX,
            "2^11 * (2^53 + 1) does not fit: saturate"
        );
    }

    /// The backoff of every policy and attempt, against a model in u128 arithmetic (seeded,
    /// the same cases every run).
    #[test]
    fn backoff_matches_the_formula_for_many_policies() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2_000 {
            let base = next() >> (next() % 64);
            let max = next() >> (next() % 64);
            let failed_attempt = (next() % 70) as u32 + 1;
            let policy = RetryPolicy {
                max_attempts: 100,
                base_delay_ms: base,
                max_delay_ms: max,
            };
            let shift = failed_attempt - 1;
            let doubled = match (base, shift) {
                (0, _) => 0,
                (_, 64..) => u128::MAX,
                _ => u128::from(base) << shift,
            };
            let expected = doubled.min(u128::from(u64::MAX)).min(u128::from(max)) as u64;
            assert_eq!(
                policy.backoff_ms(failed_attempt),
                expected,
                "base {base} ms, cap {max} ms, after failed attempt {failed_attempt}: \
                 min(base * 2^(attempt - 1), cap), computed without overflow"
            );
        }
    }

    #[test]
    fn success_needs_no_retry() {
        let outcome = process(&[1], &POLICY, |_, _| Ok(()));
        assert_eq!(
            outcome,
            Outcome {
                succeeded: vec![1],
                ..Outcome::default()
            },
            "a job that works the first time is neither retried nor dead-lettered"
        );
    }

    #[test]
    fn transient_failures_are_retried_with_backoff() {
        let outcome = process(&[9], &POLICY, |_, attempt| {
            if attempt < 3 {
                Err(timeout(attempt))
            } else {
                Ok(())
            }
        });
        assert_eq!(outcome.succeeded, vec![9], "the third attempt works");
        assert_eq!(
            outcome.retries,
            vec![
                ScheduledRetry {
                    job_id: 9,
                    attempt: 2,
                    delay_ms: 100
                },
                ScheduledRetry {
                    job_id: 9,
                    attempt: 3,
                    delay_ms: 200
                },
            ],
            "attempt 2 after 100 ms, attempt 3 after 200 ms"
        );
        assert!(outcome.dead_letters.is_empty());
    }

    #[test]
    fn exhausted_job_goes_to_the_dead_letter_queue() {
        let mut calls = 0;
        let outcome = process(&[5], &POLICY, |_, attempt| {
            calls += 1;
            Err(timeout(attempt))
        });
        assert_eq!(
            calls, 4,
            "max_attempts is 4: run exactly 4 times, then stop"
        );
        assert_eq!(
            outcome
                .retries
                .iter()
                .map(|r| r.delay_ms)
                .collect::<Vec<_>>(),
            vec![100, 200, 400],
            "3 retries between 4 attempts; no retry is scheduled after the last attempt"
        );
        assert_eq!(
            outcome.dead_letters,
            vec![DeadLetter {
                job_id: 5,
                attempts: 4,
                last_error: "timeout on attempt 4".to_string()
            }],
            "the DLQ keeps the attempt count and the *last* error"
        );
        assert!(outcome.succeeded.is_empty());
    }

    #[test]
    fn permanent_error_is_not_retried() {
        let outcome = process(&[3], &POLICY, |_, _| {
            Err(JobError::Permanent("400: malformed URL".to_string()))
        });
        assert!(
            outcome.retries.is_empty(),
            "retrying a malformed URL cannot help: no retries"
        );
        assert_eq!(
            outcome.dead_letters,
            vec![DeadLetter {
                job_id: 3,
                attempts: 1,
                last_error: "400: malformed URL".to_string()
            }]
        );
    }

    #[test]
    fn jobs_are_independent() {
        let outcome = process(&[1, 2, 3], &POLICY, |job_id, attempt| match job_id {
            2 => Err(timeout(attempt)),
            _ => Ok(()),
        });
        assert_eq!(
            outcome.succeeded,
            vec![1, 3],
            "job 2 failing must not affect jobs 1 and 3"
        );
        assert_eq!(outcome.dead_letters.len(), 1);
        assert_eq!(outcome.dead_letters[0].job_id, 2);
    }

    #[test]
    fn every_job_runs_at_least_once() {
        // `max_attempts: 0` is a config mistake; it must not make jobs vanish, neither
        // succeeded nor dead-lettered. Each job runs once and ends up in exactly one list.
        for max_attempts in [0, 1] {
            let policy = RetryPolicy {
                max_attempts,
                ..POLICY
            };
            let mut calls = Vec::new();
            let outcome = process(&[1, 2, 3], &policy, |job_id, attempt| {
                calls.push((job_id, attempt));
                match job_id {
                    1 => Ok(()),
                    2 => Err(timeout(attempt)),
                    _ => Err(JobError::Permanent("410: gone".to_string())),
                }
            });
            assert_eq!(
                calls,
                vec![(1, 1), (2, 1), (3, 1)],
                "max_attempts {max_attempts}: every job gets exactly one attempt"
            );
            assert_eq!(
                outcome,
                Outcome {
                    succeeded: vec![1],
                    retries: vec![],
                    dead_letters: vec![
                        DeadLetter {
                            job_id: 2,
                            attempts: 1,
                            last_error: "timeout on attempt 1".to_string()
                        },
                        DeadLetter {
                            job_id: 3,
                            attempts: 1,
                            last_error: "410: gone".to_string()
                        },
                    ],
                },
                "max_attempts {max_attempts}: no retry, a failed job is dead-lettered, none is lost"
            );
        }
    }
}
