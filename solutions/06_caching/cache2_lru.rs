// Scenario: the image service keeps rendered thumbnails in memory. The cache had no size limit
// and the process was killed by the OOM killer every night. It needs a capacity: when it is
// full, inserting a new thumbnail evicts the *least recently used* one, and reading a thumbnail
// counts as a use, so popular images stay.
//
// Done means: `LruCache` holds at most `capacity` entries, `get` refreshes recency, `put`
// of a new key into a full cache evicts the least recently used entry and returns it, and
// `put` of an existing key replaces the value without evicting anything.
//
// Design: a HashMap for the values plus an ordering structure. Every use stamps the entry with
// a fresh, increasing tick; a BTreeMap from tick to key then has the least recently used key
// first. (Production LRUs use a linked list for O(1); the idea is the same.)

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

pub struct LruCache<K, V> {
    capacity: usize,
    next_tick: u64,
    /// key -> (value, tick of its last use)
    entries: HashMap<K, (V, u64)>,
    /// tick of last use -> key; the first entry is the least recently used
    recency: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "an LRU cache needs room for at least one entry"
        );
        Self {
            capacity,
            next_tick: 0,
            entries: HashMap::new(),
            recency: BTreeMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn tick(&mut self) -> u64 {
        self.next_tick += 1;
        self.next_tick
    }

    /// The value for `key`; a hit makes the key the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let tick = self.tick();
        let (_, last_used) = self.entries.get_mut(key)?;
        self.recency.remove(last_used);
        *last_used = tick;
        self.recency.insert(tick, key.clone());
        self.entries.get(key).map(|(value, _)| value)
    }

    /// Inserts or replaces `key`. Returns the entry evicted to make room, if any.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let tick = self.tick();
        if let Some((old_value, last_used)) = self.entries.get_mut(&key) {
            *old_value = value;
            self.recency.remove(last_used);
            *last_used = tick;
            self.recency.insert(tick, key);
            return None;
        }
        let evicted = if self.entries.len() == self.capacity {
            self.recency.pop_first().and_then(|(_, oldest)| {
                let (value, _) = self.entries.remove(&oldest)?;
                Some((oldest, value))
            })
        } else {
            None
        };
        self.entries.insert(key.clone(), (value, tick));
        self.recency.insert(tick, key);
        evicted
    }
}

fn main() {
    let mut thumbnails = LruCache::new(2);
    thumbnails.put("cat.png", vec![1u8]);
    thumbnails.put("dog.png", vec![2u8]);
    thumbnails.get(&"cat.png");
    let evicted = thumbnails.put("fox.png", vec![3u8]);
    println!("evicted: {:?}", evicted.map(|(key, _)| key));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two maps describe the same entries: each entry's tick leads back to its key in
    /// `recency`, and `recency` holds nothing else.
    fn assert_in_sync<K: Hash + Eq + Clone + std::fmt::Debug, V>(cache: &LruCache<K, V>) {
        assert_eq!(
            cache.recency.len(),
            cache.entries.len(),
            "`recency` must hold exactly one tick per entry"
        );
        for (key, (_, tick)) in &cache.entries {
            assert_eq!(
                cache.recency.get(tick),
                Some(key),
                "the tick stored next to {key:?} must be its tick in `recency`: a use updates both"
            );
        }
    }

    #[test]
    fn stores_and_reads_values() {
        let mut cache = LruCache::new(2);
        assert!(cache.is_empty(), "a new cache holds nothing");
        assert_eq!(cache.put("a", 1), None, "room left: nothing is evicted");
        assert!(!cache.is_empty());
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.get(&"a"), Some(&1));
        assert_eq!(cache.get(&"zzz"), None, "never inserted: a miss");
    }

    #[test]
    fn evicts_least_recently_inserted_when_full() {
        let mut cache = LruCache::new(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assert_eq!(
            cache.put("c", 3),
            Some(("a", 1)),
            "full cache, nobody read anything: the oldest insert ('a') is evicted"
        );
        assert_eq!(cache.len(), 2, "the capacity is never exceeded");
        assert_eq!(cache.get(&"a"), None, "'a' was evicted");
    }

    #[test]
    fn get_refreshes_recency() {
        let mut cache = LruCache::new(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get(&"a");
        assert_eq!(
            cache.put("c", 3),
            Some(("b", 2)),
            "'a' was read after 'b' was inserted, so 'b' is the least recently used"
        );
        assert_eq!(
            cache.get(&"a"),
            Some(&1),
            "'a' survived because it was used"
        );
    }

    #[test]
    fn missed_get_changes_nothing() {
        let mut cache = LruCache::new(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get(&"nope");
        assert_eq!(
            cache.put("c", 3),
            Some(("a", 1)),
            "a miss must not disturb the order: 'a' is still the least recently used"
        );
    }

    #[test]
    fn updating_existing_key_does_not_evict() {
        let mut cache = LruCache::new(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assert_eq!(
            cache.put("a", 10),
            None,
            "replacing a value needs no room: nothing is evicted"
        );
        assert_eq!(cache.len(), 2);
        assert_eq!(
            cache.get(&"a"),
            Some(&10),
            "the new value replaced the old one"
        );
        assert_eq!(
            cache.put("c", 3),
            Some(("b", 2)),
            "updating 'a' counted as a use, so 'b' is now the least recently used"
        );
    }

    #[test]
    fn put_of_an_existing_key_counts_as_a_use() {
        let mut cache = LruCache::new(2);
        cache.put("a", 1);
        cache.put("b", 2);
        assert_eq!(cache.put("a", 10), None);
        assert_in_sync(&cache);
        assert_eq!(
            cache.put("c", 3),
            Some(("b", 2)),
            "'a' was written after 'b' (no read in between): writing is a use, so 'b' is the \
             least recently used"
        );
        assert_in_sync(&cache);
        assert_eq!(cache.get(&"a"), Some(&10));
    }

    #[test]
    #[should_panic]
    fn zero_capacity_is_refused() {
        // A cache with no room would have to evict the entry it is inserting.
        let _ = LruCache::<&str, u8>::new(0);
    }

    /// Random gets and puts (from a fixed seed) against a plain list kept in recency order.
    #[test]
    fn behaves_like_a_list_in_recency_order() {
        let mut seed: u64 = 0x5eed_cafe;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        for round in 0..200 {
            let capacity = 1 + next(4) as usize;
            let mut cache = LruCache::new(capacity);
            // Least recently used first.
            let mut model: Vec<(u64, u64)> = Vec::new();
            let mut ops = Vec::new();
            for step in 0..30 {
                let key = next(6);
                if next(2) == 0 {
                    ops.push(format!("get({key})"));
                    let expected = model.iter().position(|&(k, _)| k == key).map(|at| {
                        let entry = model.remove(at);
                        model.push(entry);
                        entry.1
                    });
                    assert_eq!(
                        cache.get(&key).copied(),
                        expected,
                        "round {round}, capacity {capacity}, after {ops:?}"
                    );
                } else {
                    let value = step;
                    ops.push(format!("put({key}, {value})"));
                    let expected = match model.iter().position(|&(k, _)| k == key) {
                        Some(at) => {
                            model.remove(at);
                            None
                        }
                        None if model.len() == capacity => Some(model.remove(0)),
                        None => None,
                    };
                    model.push((key, value));
                    assert_eq!(
                        cache.put(key, value),
                        expected,
                        "round {round}, capacity {capacity}, after {ops:?}"
                    );
                }
                assert_eq!(cache.len(), model.len(), "after {ops:?}");
                assert_in_sync(&cache);
            }
        }
    }

    #[test]
    fn long_sequence_keeps_the_hot_key() {
        let mut cache = LruCache::new(3);
        cache.put(0, "hot");
        for key in 1..100 {
            cache.get(&0);
            cache.put(key, "cold");
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(
            cache.get(&0),
            Some(&"hot"),
            "key 0 is read before every insert, so it is never the least recently used"
        );
        assert_eq!(
            cache.get(&99),
            Some(&"cold"),
            "the newest insert is present"
        );
        assert_eq!(cache.get(&1), None, "old cold keys were evicted long ago");
    }

    #[test]
    fn memory_stays_bounded_however_many_reads() {
        let mut cache = LruCache::new(3);
        for key in ["a", "b", "c"] {
            cache.put(key, 0);
        }
        for round in 0..1_000 {
            let key = ["a", "b", "c"][round % 3];
            assert_eq!(cache.get(&key), Some(&0));
            assert_eq!(
                cache.recency.len(),
                cache.entries.len(),
                "after {} reads, `recency` holds {} ticks for {} entries: a read must move the \
                 key's tick, not add one (or the map grows with every get)",
                round + 1,
                cache.recency.len(),
                cache.entries.len()
            );
        }
        for i in 0..100 {
            cache.put(["a", "b", "c", "d", "e"][i % 5], i);
            assert!(cache.entries.len() <= 3 && cache.recency.len() == cache.entries.len());
        }
    }
}
