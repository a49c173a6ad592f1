// Scenario: every product page runs the same slow query against the database. We put a cache in
// front of it with the cache-aside pattern: the application looks in the cache first; on a miss
// it loads from the database and puts the row in the cache. Writes go to the database and then
// *invalidate* (delete) the cached entry, so the next read loads the fresh row.
//
// Why delete instead of writing the new value into the cache? Two concurrent writers can update
// the cache in the opposite order from the database and leave a stale value forever; a delete
// only costs one extra load.
//
// Done means: repeated reads hit the database once, an update or delete is visible on the very
// next read, and unknown ids are not cached (so a product created later shows up at once).

use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    pub id: u32,
    pub name: String,
    pub price_cents: u64,
}

/// A fake of the slow database. It counts how often rows are loaded.
#[derive(Default)]
pub struct ProductDb {
    rows: HashMap<u32, Product>,
    loads: usize,
}

impl ProductDb {
    pub fn load(&mut self, id: u32) -> Option<Product> {
        self.loads += 1;
        self.rows.get(&id).cloned()
    }

    pub fn save(&mut self, product: Product) {
        self.rows.insert(product.id, product);
    }

    pub fn set_price(&mut self, id: u32, price_cents: u64) -> bool {
        match self.rows.get_mut(&id) {
            Some(row) => {
                row.price_cents = price_cents;
                true
            }
            None => false,
        }
    }

    pub fn delete(&mut self, id: u32) -> bool {
        self.rows.remove(&id).is_some()
    }

    pub fn loads(&self) -> usize {
        self.loads
    }
}

pub struct ProductService {
    db: ProductDb,
    cache: HashMap<u32, Product>,
}

impl ProductService {
    pub fn new(db: ProductDb) -> Self {
        Self {
            db,
            cache: HashMap::new(),
        }
    }

    /// Cache-aside read: cache first, database on a miss, remember what was found.
    pub fn get(&mut self, id: u32) -> Option<Product> {
        if let Some(product) = self.cache.get(&id) {
            return Some(product.clone());
        }
        let product = self.db.load(id)?;
        self.cache.insert(id, product.clone());
        Some(product)
    }

    /// Writes the new price to the database. Returns false for an unknown product.
    pub fn update_price(&mut self, id: u32, price_cents: u64) -> bool {
        let updated = self.db.set_price(id, price_cents);
        self.cache.remove(&id);
        updated
    }

    /// Creates or replaces a product.
    pub fn save(&mut self, product: Product) {
        let id = product.id;
        self.db.save(product);
        self.cache.remove(&id);
    }

    pub fn delete(&mut self, id: u32) -> bool {
        let deleted = self.db.delete(id);
        self.cache.remove(&id);
        deleted
    }

    pub fn db_loads(&self) -> usize {
        self.db.loads()
    }
}

fn main() {
    let mut db = ProductDb::default();
    db.save(Product {
        id: 1,
        name: "kettle".into(),
        price_cents: 2_999,
    });
    let mut service = ProductService::new(db);
    service.get(1);
    service.get(1);
    println!("two reads, {} database load(s)", service.db_loads());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kettle(price_cents: u64) -> Product {
        Product {
            id: 1,
            name: "kettle".into(),
            price_cents,
        }
    }

    fn service() -> ProductService {
        let mut db = ProductDb::default();
        db.save(kettle(2_999));
        db.save(Product {
            id: 2,
            name: "toaster".into(),
            price_cents: 4_999,
        });
        ProductService::new(db)
    }

    #[test]
    fn repeated_reads_load_once() {
        let mut service = service();
        for _ in 0..5 {
            assert_eq!(service.get(1), Some(kettle(2_999)));
        }
        assert_eq!(
            service.db_loads(),
            1,
            "the first read misses and loads; the other four must be served by the cache"
        );
    }

    #[test]
    fn each_key_is_loaded_separately() {
        let mut service = service();
        service.get(1);
        service.get(2);
        service.get(1);
        service.get(2);
        assert_eq!(service.db_loads(), 2, "one load per product id, then hits");
    }

    #[test]
    fn update_is_visible_on_next_read() {
        let mut service = service();
        assert_eq!(service.get(1), Some(kettle(2_999)));
        assert!(service.update_price(1, 1_999), "product 1 exists");
        assert_eq!(
            service.get(1),
            Some(kettle(1_999)),
            "after a write the cache must not serve the old price: invalidate the entry"
        );
    }

    #[test]
    fn write_invalidates_instead_of_updating_the_cache() {
        let mut service = service();
        service.get(1);
        service.update_price(1, 1_999);
        let loads_after_write = service.db_loads();
        service.get(1);
        assert_eq!(
            service.db_loads(),
            loads_after_write + 1,
            "cache-aside deletes the entry on write; the next read loads the fresh row"
        );
        service.get(1);
        assert_eq!(
            service.db_loads(),
            loads_after_write + 1,
            "and after that reload the entry is cached again"
        );
    }

    #[test]
    fn write_to_one_key_keeps_the_others_cached() {
        let mut service = service();
        service.get(1);
        service.get(2);
        service.update_price(1, 1_999);
        let loads = service.db_loads();
        service.get(2);
        assert_eq!(
            service.db_loads(),
            loads,
            "only product 1 changed; product 2 must still be a cache hit"
        );
    }

    #[test]
    fn unknown_ids_are_not_cached() {
        let mut service = service();
        assert_eq!(service.get(42), None, "no product 42 in the database");
        service.save(Product {
            id: 42,
            name: "blender".into(),
            price_cents: 5_999,
        });
        assert_eq!(
            service.get(42).map(|p| p.name),
            Some("blender".to_string()),
            "a miss must not be remembered, or new products stay invisible"
        );
    }

    #[test]
    fn delete_is_visible_on_next_read() {
        let mut service = service();
        service.get(2);
        assert!(service.delete(2));
        assert_eq!(
            service.get(2),
            None,
            "a deleted product must disappear from the cache too"
        );
    }

    #[test]
    fn replacing_a_product_is_visible_on_next_read() {
        let mut service = service();
        assert_eq!(service.get(1), Some(kettle(2_999)));
        let renamed = Product {
            name: "electric kettle".into(),
            ..kettle(3_499)
        };
        service.save(renamed.clone());
        assert_eq!(
            service.get(1),
            Some(renamed),
            "save replaced product 1 in the database: the cached copy must not outlive it"
        );
    }
}
