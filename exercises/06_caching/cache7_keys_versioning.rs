// Scenario: the product listing is cached by URL. Hit rate is 3%: `?page=2&sort=name`,
// `?sort=name&page=2` and `?sort=name&page=2&utm_source=newsletter` are the same page but three
// cache entries. Worse, last week's deploy changed the JSON shape of a product, and for an hour
// the new code read old-shaped entries from the cache and crashed.
//
// Done means:
// - `normalize_query` gives equivalent queries one spelling: empty pieces and tracking
//   parameters (`utm_*`, `fbclid`, `gclid`) are dropped and parameters are sorted by name. The
//   sort is stable: repeated parameters (`tag=b&tag=a`) keep their order, since it may matter.
// - `CacheKeys::key` builds `namespace:v<schema version>:<path>?<query>`, without a trailing
//   slash on the path and without `?` when the query is empty. Keys longer than 250 bytes
//   (memcached's limit) become `namespace:v<version>:sha256:<hex of sha256(path?query)>`.
// - Bumping the schema version makes every old key a miss, and `purge_stale` frees old entries.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub const MAX_KEY_LEN: usize = 250;

fn is_tracking_param(name: &str) -> bool {
    name.starts_with("utm_") || name == "fbclid" || name == "gclid"
}

pub fn normalize_query(query: &str) -> String {
    // TODO: split on '&', drop empty pieces, split each piece into name and value (a piece
    // without '=' has an empty value), drop tracking parameters, sort stably by name and join
    // the pieces back as `name=value` with '&'.
    todo!("normalize {query:?}")
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub struct CacheKeys {
    namespace: String,
    schema_version: u32,
}

impl CacheKeys {
    pub fn new(namespace: &str, schema_version: u32) -> Self {
        Self {
            namespace: namespace.to_string(),
            schema_version,
        }
    }

    fn prefix(&self) -> String {
        format!("{}:v{}:", self.namespace, self.schema_version)
    }

    pub fn key(&self, path: &str, query: &str) -> String {
        // TODO: strip trailing slashes from the path ("/" stays "/"), normalize the query and
        // build `prefix + path[?query]`. If that is longer than MAX_KEY_LEN bytes, use
        // `prefix + "sha256:" + sha256_hex(path[?query])` instead.
        todo!("key for {path}?{query} under {}", self.prefix())
    }

    /// True if `key` was built with this namespace and schema version.
    pub fn is_current(&self, key: &str) -> bool {
        // TODO: careful: "products:v1..." must not count as current for version 12.
        todo!("is {key} current?")
    }

    pub fn bump_version(&mut self) {
        self.schema_version += 1;
    }
}

pub struct ResponseCache {
    keys: CacheKeys,
    entries: HashMap<String, String>,
}

impl ResponseCache {
    pub fn new(keys: CacheKeys) -> Self {
        Self {
            keys,
            entries: HashMap::new(),
        }
    }

    pub fn get(&self, path: &str, query: &str) -> Option<&String> {
        self.entries.get(&self.keys.key(path, query))
    }

    pub fn put(&mut self, path: &str, query: &str, body: &str) {
        self.entries
            .insert(self.keys.key(path, query), body.to_string());
    }

    /// Deploying a new response shape: every existing entry becomes unreachable.
    pub fn bump_version(&mut self) {
        self.keys.bump_version();
    }

    /// Removes entries written under an older version; returns how many.
    pub fn purge_stale(&mut self) -> usize {
        let before = self.entries.len();
        let keys = &self.keys;
        self.entries.retain(|key, _| keys.is_current(key));
        before - self.entries.len()
    }
}

fn main() {
    let keys = CacheKeys::new("products", 3);
    println!(
        "{}",
        keys.key("/products/", "sort=name&utm_source=newsletter&page=2")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_sorted_by_name() {
        assert_eq!(
            normalize_query("sort=name&page=2"),
            "page=2&sort=name",
            "the same parameters in another order are the same page"
        );
    }

    #[test]
    fn tracking_params_and_empty_pieces_are_dropped() {
        assert_eq!(
            normalize_query("utm_source=news&page=2&fbclid=abc&&gclid=x&utm_medium=mail&"),
            "page=2",
            "utm_*, fbclid and gclid do not change the response; empty pieces are noise"
        );
        assert_eq!(normalize_query(""), "", "no query, nothing to normalize");
    }

    #[test]
    fn repeated_params_keep_their_order() {
        assert_eq!(
            normalize_query("tag=z&sort=asc&tag=a"),
            "sort=asc&tag=z&tag=a",
            "sort by name only, and stably: tag=z stays before tag=a"
        );
    }

    #[test]
    fn param_without_value_gets_an_equals_sign() {
        assert_eq!(
            normalize_query("in_stock&page=1"),
            "in_stock=&page=1",
            "a bare flag and `flag=` mean the same thing; spell both `flag=`"
        );
    }

    #[test]
    fn key_has_namespace_version_path_and_query() {
        let keys = CacheKeys::new("products", 3);
        assert_eq!(
            keys.key("/products", "page=2&sort=name"),
            "products:v3:/products?page=2&sort=name"
        );
        assert_eq!(
            keys.key("/products", ""),
            "products:v3:/products",
            "no query: no dangling '?'"
        );
        assert_eq!(
            keys.key("/", ""),
            "products:v3:/",
            "the root path stays '/'"
        );
    }

    #[test]
    fn equivalent_urls_share_one_key() {
        let keys = CacheKeys::new("products", 3);
        assert_eq!(
            keys.key("/products/", "sort=name&utm_campaign=spring&page=2"),
            keys.key("/products", "page=2&sort=name"),
            "trailing slash, parameter order and tracking parameters must not split the cache"
        );
    }

    #[test]
    fn long_keys_are_hashed() {
        let keys = CacheKeys::new("products", 3);
        let ids: Vec<String> = (1000..1100).map(|id| format!("id={id}")).collect();
        let query = ids.join("&");
        let key = keys.key("/products", &query);
        assert!(
            key.len() <= MAX_KEY_LEN,
            "memcached rejects keys over 250 bytes; got {} bytes",
            key.len()
        );
        let digest = key
            .strip_prefix("products:v3:sha256:")
            .expect("a hashed key keeps the namespace and version, then 'sha256:'");
        assert_eq!(
            digest,
            sha256_hex(&format!("/products?{}", normalize_query(&query))),
            "the digest is the SHA-256 hex of the normalized 'path?query'"
        );
        let other = keys.key("/products", &format!("{query}&id=1"));
        assert_ne!(key, other, "different queries must hash to different keys");
    }

    #[test]
    fn short_keys_are_not_hashed() {
        let keys = CacheKeys::new("p", 1);
        let query = format!("q={}", "x".repeat(250 - "p:v1:/?q=".len()));
        let key = keys.key("/", &query);
        assert_eq!(
            key,
            format!("p:v1:/?{query}"),
            "exactly 250 bytes is still allowed: keep the readable key"
        );
        assert_eq!(key.len(), 250);
        let longer = format!("{query}x");
        assert_eq!(
            keys.key("/", &longer),
            format!("p:v1:sha256:{}", sha256_hex(&format!("/?{longer}"))),
            "251 bytes is one too many for memcached: hash it"
        );
    }

    #[test]
    fn the_limit_is_in_bytes_not_characters() {
        let keys = CacheKeys::new("products", 3);
        let path = format!("/{}", "é".repeat(120));
        let readable = format!("products:v3:{path}");
        assert_eq!((readable.len(), readable.chars().count()), (253, 133));
        assert_eq!(
            keys.key(&path, ""),
            format!("products:v3:sha256:{}", sha256_hex(&path)),
            "'é' takes 2 bytes in UTF-8: this key has 133 characters but 253 bytes, over \
             memcached's limit of 250 bytes"
        );
    }

    #[test]
    fn equivalent_long_urls_share_one_hashed_key() {
        let keys = CacheKeys::new("products", 3);
        let ids: Vec<String> = (1000..1040).map(|id| format!("id={id}")).collect();
        let normalized = format!("{}&sort=name", ids.join("&"));
        let spelled_otherwise = format!("sort=name&utm_source=newsletter&{}&", ids.join("&"));
        let expected = format!(
            "products:v3:sha256:{}",
            sha256_hex(&format!("/products?{normalized}"))
        );
        assert_eq!(keys.key("/products", &normalized), expected);
        assert_eq!(
            keys.key("/products/", &spelled_otherwise),
            expected,
            "a long URL is normalized before it is hashed, like a short one: the same page \
             must get the same key"
        );
    }

    #[test]
    fn every_trailing_slash_goes() {
        let keys = CacheKeys::new("products", 3);
        assert_eq!(keys.key("/products//", ""), "products:v3:/products");
        assert_eq!(keys.key("/products///", "a=1"), "products:v3:/products?a=1");
        assert_eq!(
            keys.key("//", ""),
            "products:v3:/",
            "only slashes: the root path"
        );
    }

    #[test]
    fn only_the_listed_tracking_params_are_dropped() {
        assert_eq!(
            normalize_query("utmost=1&utm=2&utm_source=x&fbclid=a&fbclids=b&gclid=c&xgclid=d"),
            "fbclids=b&utm=2&utmost=1&xgclid=d",
            "tracking parameters are utm_* (with the underscore), fbclid and gclid exactly; \
             'utmost' is a real parameter"
        );
    }

    /// Random queries (from a fixed seed) with many repeated names: sorted by name, and the
    /// values of each name in the order they came.
    #[test]
    fn sorting_is_stable_on_long_queries() {
        let mut seed: u64 = 0x50_47_ab1e;
        let mut next = move |bound: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        for _ in 0..50 {
            let names = ["tag", "page", "sort", "color", "size"];
            let count = 10 + next(60);
            let params: Vec<(&str, String)> = (0..count)
                .map(|i| (names[next(names.len() as u64) as usize], i.to_string()))
                .collect();
            let query = params
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("&");
            let mut sorted_names = names.to_vec();
            sorted_names.sort();
            let expected = sorted_names
                .iter()
                .flat_map(|&wanted| {
                    params
                        .iter()
                        .filter(move |(name, _)| *name == wanted)
                        .map(|(name, value)| format!("{name}={value}"))
                })
                .collect::<Vec<_>>()
                .join("&");
            assert_eq!(
                normalize_query(&query),
                expected,
                "repeated parameters keep their order, however many there are (an unstable \
                 sort only looks stable on short inputs)"
            );
        }
    }

    #[test]
    fn bumping_the_version_invalidates_old_entries() {
        let mut cache = ResponseCache::new(CacheKeys::new("products", 3));
        cache.put("/products", "page=1", "[old shape]");
        assert_eq!(
            cache.get("/products", "page=1").map(String::as_str),
            Some("[old shape]")
        );
        cache.put("/products", "page=3", "[old shape]");
        cache.bump_version();
        assert_eq!(
            cache.get("/products", "page=1"),
            None,
            "after a schema bump the new code must never read an old-shaped entry"
        );
        cache.put("/products", "page=2", "[new shape]");
        assert_eq!(
            cache.purge_stale(),
            2,
            "the two v3 entries are stale under v4 and are removed; the v4 entry stays"
        );
        assert_eq!(cache.purge_stale(), 0, "nothing stale is left");
        assert_eq!(cache.entries.len(), 1);
        assert_eq!(
            cache.get("/products", "page=2").map(String::as_str),
            Some("[new shape]")
        );
    }

    #[test]
    fn bumping_moves_to_the_next_version() {
        let mut keys = CacheKeys::new("products", 3);
        keys.bump_version();
        assert_eq!(keys.key("/products", ""), "products:v4:/products");
        keys.bump_version();
        assert_eq!(
            keys.key("/products", ""),
            "products:v5:/products",
            "each bump moves to the next version: v3, v4, v5"
        );
        assert!(!keys.is_current("products:v4:/products"));
    }

    #[test]
    fn is_current_checks_namespace_and_version() {
        let keys = CacheKeys::new("products", 12);
        assert!(keys.is_current("products:v12:/products"));
        assert!(
            !keys.is_current("products:v1:/products"),
            "v1 is an old version, even though 'v1' is a prefix of 'v12'"
        );
        assert!(
            !keys.is_current("users:v12:/users"),
            "another namespace is not ours"
        );
        let v1 = CacheKeys::new("products", 1);
        assert!(
            !v1.is_current("products:v12:/products"),
            "a key of v12 is not current for v1, even though 'products:v1' is a prefix of it"
        );
    }
}
