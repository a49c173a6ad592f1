// Scenario: the exchange-rate endpoint calls a slow upstream API on every request. Rates may be
// up to 60 seconds old, so we keep them in a cache with a time-to-live (TTL). The first version
// never expired anything: stale rates were served for days. And its tests were slow because they
// waited for real time to pass.
//
// Done means: `TtlCache` reads the time from a `Clock` (so tests can move time forward without
// sleeping), an entry is visible until its TTL has elapsed and gone from that instant on,
// expired entries are removed when they are read, and `purge_expired` sweeps the rest.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

/// Where the cache gets "now" from, in milliseconds. Production code would read
/// `std::time::Instant`; tests use `FakeClock` and move it by hand.
pub trait Clock {
    fn now_ms(&self) -> u64;
}

/// A clock that only moves when told to. Clones share the same time.
#[derive(Clone, Default)]
pub struct FakeClock {
    now: Rc<Cell<u64>>,
}

impl FakeClock {
    pub fn advance(&self, ms: u64) {
        self.now.set(self.now.get() + ms);
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        self.now.get()
    }
}

struct Entry<V> {
    value: V,
    expires_at_ms: u64,
}

pub struct TtlCache<V, C: Clock> {
    ttl_ms: u64,
    clock: C,
    entries: HashMap<String, Entry<V>>,
}

impl<V, C: Clock> TtlCache<V, C> {
    pub fn new(ttl_ms: u64, clock: C) -> Self {
        Self {
            ttl_ms,
            clock,
            entries: HashMap::new(),
        }
    }

    /// Stores `value`; it expires `ttl_ms` after now. Re-inserting a key restarts its TTL.
    pub fn insert(&mut self, key: &str, value: V) {
        let expires_at_ms = self.clock.now_ms() + self.ttl_ms;
        self.entries.insert(
            key.to_string(),
            Entry {
                value,
                expires_at_ms,
            },
        );
    }

    /// The value if present and not expired. An expired entry is removed on the way.
    pub fn get(&mut self, key: &str) -> Option<&V> {
        let now = self.clock.now_ms();
        if self.entries.get(key)?.expires_at_ms <= now {
            self.entries.remove(key);
            return None;
        }
        self.entries.get(key).map(|entry| &entry.value)
    }

    /// Removes every expired entry and returns how many were removed.
    pub fn purge_expired(&mut self) -> usize {
        let now = self.clock.now_ms();
        let before = self.entries.len();
        self.entries.retain(|_, entry| entry.expires_at_ms > now);
        before - self.entries.len()
    }

    /// Entries currently stored, expired or not (what the memory holds).
    pub fn stored(&self) -> usize {
        self.entries.len()
    }
}

fn main() {
    let clock = FakeClock::default();
    let mut rates = TtlCache::new(60_000, clock.clone());
    rates.insert("EUR/USD", 1.08);
    clock.advance(61_000);
    println!("after 61 s: {:?}", rates.get("EUR/USD"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(ttl_ms: u64) -> (TtlCache<&'static str, FakeClock>, FakeClock) {
        let clock = FakeClock::default();
        (TtlCache::new(ttl_ms, clock.clone()), clock)
    }

    #[test]
    fn fresh_entry_is_served() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("EUR/USD", "1.08");
        clock.advance(999);
        assert_eq!(
            cache.get("EUR/USD"),
            Some(&"1.08"),
            "999 ms after insert with a 1000 ms TTL the entry is still fresh"
        );
    }

    #[test]
    fn entry_expires_exactly_at_ttl() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("EUR/USD", "1.08");
        clock.advance(1_000);
        assert_eq!(
            cache.get("EUR/USD"),
            None,
            "a TTL of 1000 ms means the entry is gone at t = insert + 1000 ms, not one tick later"
        );
    }

    #[test]
    fn reads_do_not_extend_the_ttl() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("EUR/USD", "1.08");
        for _ in 0..3 {
            clock.advance(300);
            assert_eq!(cache.get("EUR/USD"), Some(&"1.08"));
            assert_eq!(
                cache.entries["EUR/USD"].expires_at_ms, 1_000,
                "a read must not move the expiry: the TTL bounds how old the copy is, and a \
                 popular key read every second would otherwise never be refreshed"
            );
        }
        clock.advance(100);
        assert_eq!(
            cache.get("EUR/USD"),
            None,
            "inserted at 0 with a TTL of 1000 ms: gone at 1000, however often it was read"
        );
    }

    #[test]
    fn missing_key_is_none() {
        let (mut cache, _clock) = cache(1_000);
        assert_eq!(cache.get("GBP/USD"), None, "never inserted: a cache miss");
    }

    #[test]
    fn expired_entry_is_removed_when_read() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("EUR/USD", "1.08");
        clock.advance(5_000);
        assert_eq!(cache.get("EUR/USD"), None);
        assert_eq!(
            cache.stored(),
            0,
            "reading an expired entry should also delete it, or dead entries pile up in memory"
        );
    }

    #[test]
    fn reinsert_restarts_the_ttl() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("EUR/USD", "1.08");
        clock.advance(800);
        cache.insert("EUR/USD", "1.09");
        clock.advance(800);
        assert_eq!(
            cache.get("EUR/USD"),
            Some(&"1.09"),
            "the entry was refreshed at t=800, so at t=1600 it is 800 ms old: fresh, new value"
        );
    }

    #[test]
    fn purge_removes_only_expired_entries() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("old-1", "a");
        cache.insert("old-2", "b");
        clock.advance(600);
        cache.insert("new", "c");
        clock.advance(600);
        assert_eq!(
            cache.purge_expired(),
            2,
            "at t=1200 the two entries from t=0 are expired, the one from t=600 is not"
        );
        assert_eq!(cache.stored(), 1, "only the fresh entry stays in memory");
        assert_eq!(cache.get("new"), Some(&"c"));
    }

    #[test]
    fn purge_agrees_with_get_at_the_expiry_instant() {
        let (mut cache, clock) = cache(1_000);
        cache.insert("EUR/USD", "1.08");
        clock.advance(999);
        assert_eq!(
            cache.purge_expired(),
            0,
            "at t=999 the entry is still fresh"
        );
        assert_eq!(cache.stored(), 1);
        clock.advance(1);
        assert_eq!(
            cache.purge_expired(),
            1,
            "at t=1000 the entry has expired (`get` would say None): the sweep removes it too"
        );
        assert_eq!(cache.stored(), 0, "nothing expired may stay in memory");
        assert_eq!(
            cache.purge_expired(),
            0,
            "a second sweep finds nothing left to remove"
        );
    }
}
