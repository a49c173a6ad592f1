// Scenario: the home page needs the "top products" report, which takes the database 2 seconds.
// It is cached, but when the entry expires at peak time, 300 requests miss at the same moment
// and all 300 run the report: the database falls over (a cache stampede, or "thundering herd").
//
// The fix is single flight: the first request that misses loads the value; the others that ask
// for the same key *while it loads* wait for that load and share its result. Different keys
// must not wait for each other.
//
// Done means: N threads asking for the same missing key trigger exactly one load and all get
// the value, a loaded key is served without loading again, a slow load of one key does not block
// another key, and `invalidate` makes the next request load again.
//
// Tool: `std::sync::OnceLock` runs its initializer at most once, and other threads calling
// `get_or_init` meanwhile block until the value is there. One `OnceLock` per key, kept in a map
// behind a `Mutex`: hold the map lock only to find or create the key's cell, never during the
// load.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub struct SingleFlightCache<V> {
    cells: Mutex<HashMap<String, Arc<OnceLock<V>>>>,
}

impl<V: Clone> Default for SingleFlightCache<V> {
    fn default() -> Self {
        Self {
            cells: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> SingleFlightCache<V> {
    /// The cached value for `key`, running `load` only if no other caller has loaded or is
    /// loading it.
    pub fn get_or_load(&self, key: &str, load: impl FnOnce() -> V) -> V {
        // TODO: today every caller that misses runs `load` itself: a stampede. Find or create
        // the key's `OnceLock` while holding the map lock, release the lock, then let the cell
        // run `load` at most once and hand every caller a clone of the value.
        todo!("single-flight load of {key}")
    }

    /// The next `get_or_load` for `key` loads a fresh value.
    pub fn invalidate(&self, key: &str) {
        // TODO: forget the key's cell so that the next request loads again.
        todo!("invalidate {key}")
    }
}

fn main() {
    let cache = SingleFlightCache::default();
    let report = cache.get_or_load("top-products", || vec!["kettle", "toaster"]);
    println!("{report:?}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Barrier, Condvar};
    use std::thread;
    use std::time::Duration;

    /// Counts loads per key. A load does not finish until a second load of the same key has
    /// started, or until `patience` has passed: so a cache that lets two callers load the
    /// same key is caught whatever the scheduling (the second load releases the first at
    /// once), and a correct cache only costs the wait.
    struct Loads {
        started: Mutex<HashMap<String, usize>>,
        changed: Condvar,
        patience: Duration,
    }

    impl Loads {
        fn new() -> Self {
            Self {
                started: Mutex::new(HashMap::new()),
                changed: Condvar::new(),
                patience: Duration::from_secs(1),
            }
        }

        fn load(&self, key: &str, value: &str) -> String {
            let mut started = self.started.lock().unwrap();
            *started.entry(key.to_string()).or_default() += 1;
            self.changed.notify_all();
            let _ = self
                .changed
                .wait_timeout_while(started, self.patience, |started| started[key] < 2)
                .unwrap();
            value.to_string()
        }

        fn of(&self, key: &str) -> usize {
            self.started.lock().unwrap().get(key).copied().unwrap_or(0)
        }

        fn total(&self) -> usize {
            self.started.lock().unwrap().values().sum()
        }
    }

    #[test]
    fn stampede_triggers_one_load() {
        let cache = SingleFlightCache::default();
        let loads = Loads::new();
        let start = Barrier::new(16);
        let values: Vec<String> = thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        cache.get_or_load("top-products", || loads.load("top-products", "report"))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            loads.of("top-products"),
            1,
            "16 concurrent misses on one key must run the slow load exactly once"
        );
        assert!(
            values.iter().all(|v| v == "report"),
            "every waiting caller gets the loaded value: {values:?}"
        );
    }

    #[test]
    fn first_callers_queued_on_the_map_lock_load_once() {
        // Every round, 16 callers of a new key queue up on the map lock while the test holds
        // it, then all run at once. A cache that looks the key up under the lock and creates
        // its cell under a second lock lets several of them miss before the first one has
        // inserted its cell: each then loads into a cell of its own. Finding or creating the
        // cell must be one step under one lock. (The pause only lets the callers reach the
        // lock; a correct cache passes whatever the timing.)
        for round in 0..100 {
            let cache = SingleFlightCache::default();
            let loads = AtomicUsize::new(0);
            let start = Barrier::new(17);
            let values: Vec<String> = thread::scope(|scope| {
                let held = cache.cells.lock().unwrap();
                let handles: Vec<_> = (0..16)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            cache.get_or_load("k", || {
                                loads.fetch_add(1, Ordering::SeqCst);
                                "v".to_string()
                            })
                        })
                    })
                    .collect();
                start.wait();
                thread::sleep(Duration::from_millis(5));
                drop(held);
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            assert_eq!(
                loads.load(Ordering::SeqCst),
                1,
                "round {round}: 16 callers of a key nobody had asked for yet must run one load"
            );
            assert!(values.iter().all(|v| v == "v"), "{values:?}");
        }
    }

    #[test]
    fn invalidate_forgets_only_its_key() {
        let cache = SingleFlightCache::default();
        cache.get_or_load("a", || "a1".to_string());
        cache.get_or_load("b", || "b1".to_string());
        cache.invalidate("a");
        assert_eq!(
            cache.get_or_load("b", || panic!("'b' was not invalidated: no load expected")),
            "b1",
            "invalidating 'a' must leave 'b' cached (clearing every key is a stampede on all \
             of them)"
        );
        assert_eq!(cache.get_or_load("a", || "a2".to_string()), "a2");
    }

    #[test]
    fn loaded_value_is_served_from_cache() {
        let cache = SingleFlightCache::default();
        let loads = AtomicUsize::new(0);
        for _ in 0..3 {
            let value = cache.get_or_load("k", || {
                loads.fetch_add(1, Ordering::SeqCst);
                "v".to_string()
            });
            assert_eq!(value, "v");
        }
        assert_eq!(
            loads.load(Ordering::SeqCst),
            1,
            "after the first load the key is a hit"
        );
    }

    #[test]
    fn each_key_loads_once() {
        let cache = SingleFlightCache::default();
        let loads = Loads::new();
        let start = Barrier::new(16);
        thread::scope(|scope| {
            for i in 0..16 {
                let (cache, loads, start) = (&cache, &loads, &start);
                scope.spawn(move || {
                    let key = format!("key-{}", i % 4);
                    start.wait();
                    let value = cache.get_or_load(&key, || loads.load(&key, &key));
                    assert_eq!(value, key, "each key gets its own value");
                });
            }
        });
        assert_eq!(
            loads.total(),
            4,
            "4 distinct keys, 4 threads each: one load per key"
        );
    }

    #[test]
    fn slow_key_does_not_block_other_keys() {
        let cache = SingleFlightCache::default();
        let (a_started_tx, a_started_rx) = std::sync::mpsc::channel();
        let (b_loaded_tx, b_loaded_rx) = std::sync::mpsc::channel();
        thread::scope(|scope| {
            let a = scope.spawn(|| {
                cache.get_or_load("a", move || {
                    a_started_tx.send(()).unwrap();
                    // This load only finishes once "b" has been loaded (a correct cache lets
                    // that happen at once; the timeout only ends a cache that would hang).
                    match b_loaded_rx.recv_timeout(Duration::from_secs(5)) {
                        Ok(()) => "a".to_string(),
                        Err(_) => "a gave up waiting for b".to_string(),
                    }
                })
            });
            a_started_rx.recv().unwrap();
            let b = cache.get_or_load("b", move || {
                let _ = b_loaded_tx.send(());
                "b".to_string()
            });
            assert_eq!(b, "b");
            assert_eq!(
                a.join().unwrap(),
                "a",
                "loading 'b' had to wait for the load of 'a': the map lock must not be held \
                 while a value loads"
            );
        });
    }

    #[test]
    fn invalidate_forces_a_reload() {
        let cache = SingleFlightCache::default();
        assert_eq!(cache.get_or_load("k", || "v1".to_string()), "v1");
        cache.invalidate("k");
        assert_eq!(
            cache.get_or_load("k", || "v2".to_string()),
            "v2",
            "after invalidate the next request loads the new value"
        );
        assert_eq!(
            cache.get_or_load("k", || "v3".to_string()),
            "v2",
            "the reloaded value is cached again"
        );
    }
}
