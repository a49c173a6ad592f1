// Scenario: sessions expire after 30 minutes without activity, and after 8 hours no matter what
// (OWASP Session Management: idle and absolute timeouts). The only test for this slept for 30
// minutes, so it was deleted, and an expiry bug went to production. Time is a dependency like
// any other: the store asks a `Clock` for "now", production passes `SystemClock`, tests pass a
// `FakeClock` they can move forward instantly.
//
// Done means: `FakeClock` starts at a given time and `advance` moves it; `SessionStore::validate`
// enforces both timeouts using only its clock and renews the idle timeout on each valid use.

use std::cell::Cell;
use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

pub trait Clock {
    /// Seconds since the Unix epoch.
    fn now(&self) -> u64;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_secs()
    }
}

/// A clock that only moves when told to. `Cell` lets tests advance it through a shared `&`.
pub struct FakeClock {
    now: Cell<u64>,
}

impl FakeClock {
    pub fn at(start: u64) -> Self {
        FakeClock {
            now: Cell::new(start),
        }
    }

    pub fn advance(&self, secs: u64) {
        self.now.set(self.now.get() + secs);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> u64 {
        self.now.get()
    }
}

pub const IDLE_TIMEOUT: u64 = 30 * 60;
pub const ABSOLUTE_TIMEOUT: u64 = 8 * 60 * 60;

struct Session {
    user_id: u64,
    created_at: u64,
    last_seen: u64,
}

pub struct SessionStore<'c> {
    clock: &'c dyn Clock,
    sessions: HashMap<String, Session>,
    next_token: u64,
}

impl<'c> SessionStore<'c> {
    pub fn new(clock: &'c dyn Clock) -> Self {
        SessionStore {
            clock,
            sessions: HashMap::new(),
            next_token: 0,
        }
    }

    /// Starts a session and returns its token. (Real tokens come from a CSPRNG; a counter
    /// keeps the exercise deterministic.)
    pub fn create(&mut self, user_id: u64) -> String {
        self.next_token += 1;
        let token = format!("session-{}", self.next_token);
        let now = self.clock.now();
        self.sessions.insert(
            token.clone(),
            Session {
                user_id,
                created_at: now,
                last_seen: now,
            },
        );
        token
    }

    /// The session's user if it is still valid. A session is valid while less than
    /// IDLE_TIMEOUT has passed since it was last seen AND less than ABSOLUTE_TIMEOUT since it was
    /// created. A valid use counts as activity; an expired session is removed.
    pub fn validate(&mut self, token: &str) -> Option<u64> {
        let now = self.clock.now();
        let session = self.sessions.get_mut(token)?;
        let idle = now - session.last_seen >= IDLE_TIMEOUT;
        let too_old = now - session.created_at >= ABSOLUTE_TIMEOUT;
        if idle || too_old {
            self.sessions.remove(token);
            return None;
        }
        session.last_seen = now;
        Some(session.user_id)
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

fn main() {
    let clock = SystemClock;
    let mut store = SessionStore::new(&clock);
    let token = store.create(42);
    println!("{token}: {:?}", store.validate(&token));
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: u64 = 1_700_000_000;

    #[test]
    fn fake_clock_moves_only_when_told() {
        let clock = FakeClock::at(START);
        assert_eq!(clock.now(), START, "starts where the test says");
        assert_eq!(
            clock.now(),
            START,
            "and stays there: no wall clock involved"
        );
        clock.advance(90);
        assert_eq!(
            clock.now(),
            START + 90,
            "advance moves it forward by that many seconds"
        );
    }

    #[test]
    fn fresh_session_is_valid() {
        let clock = FakeClock::at(START);
        let mut store = SessionStore::new(&clock);
        let token = store.create(42);
        assert_eq!(store.validate(&token), Some(42));
        assert_eq!(store.validate("session-999"), None, "unknown token");
    }

    #[test]
    fn system_clock_tells_the_real_time() {
        let now = SystemClock.now();
        assert!(
            now >= START,
            "SystemClock counts seconds since 1970: {now} is before November 2023"
        );
    }

    #[test]
    fn every_session_has_its_own_token() {
        let clock = FakeClock::at(START);
        let mut store = SessionStore::new(&clock);
        assert!(store.is_empty(), "a new store holds no session");
        let ada = store.create(1);
        let bob = store.create(2);
        assert_ne!(ada, bob, "two sessions, two tokens");
        assert_eq!(store.len(), 2, "and both are kept");
        assert!(!store.is_empty());
        assert_eq!(store.validate(&ada), Some(1));
        assert_eq!(store.validate(&bob), Some(2));
        clock.advance(20 * 60);
        assert_eq!(store.validate(&bob), Some(2));
        clock.advance(10 * 60);
        assert_eq!(store.validate(&ada), None, "ada idled for 30:00");
        assert_eq!(store.len(), 1, "only the expired session is removed");
        assert_eq!(
            store.validate(&bob),
            Some(2),
            "bob was active 10 minutes ago"
        );
    }

    #[test]
    fn idle_timeout_boundary() {
        let clock = FakeClock::at(START);
        let mut store = SessionStore::new(&clock);
        let token = store.create(42);
        clock.advance(29 * 60 + 59);
        assert_eq!(
            store.validate(&token),
            Some(42),
            "29:59 of inactivity: still valid"
        );
        clock.advance(30 * 60);
        assert_eq!(
            store.validate(&token),
            None,
            "exactly 30:00 since the last use: expired"
        );
        assert!(store.is_empty(), "expired sessions are removed");
    }

    #[test]
    fn activity_renews_the_idle_timeout() {
        let clock = FakeClock::at(START);
        let mut store = SessionStore::new(&clock);
        let token = store.create(7);
        for check in 1..=6 {
            clock.advance(20 * 60);
            assert_eq!(
                store.validate(&token),
                Some(7),
                "used every 20 minutes, the session stays alive (check #{check})"
            );
        }
    }

    #[test]
    fn absolute_timeout_wins_over_activity() {
        let clock = FakeClock::at(START);
        let mut store = SessionStore::new(&clock);
        let token = store.create(7);
        // Stay active every 10 minutes until just before 8 hours...
        for _ in 0..47 {
            clock.advance(10 * 60);
            assert_eq!(store.validate(&token), Some(7));
        }
        clock.advance(9 * 60 + 59);
        assert_eq!(store.validate(&token), Some(7), "7:59:59 old: still valid");
        clock.advance(1);
        assert_eq!(
            store.validate(&token),
            None,
            "8 hours after login the session ends even if the user is active"
        );
        assert!(store.is_empty(), "and the expired session is removed");
    }
}
