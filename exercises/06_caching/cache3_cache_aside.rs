// Scenario: every product page runs the same slow query against the database. We put a cache in
// front of it with the cache-aside pattern: the application looks in the cache first; on a miss
// it loads from the database and puts the row in the cache. Writes go to the database and then
// *invalidate* (delete) the cached entry, so the next read loads the fresh row.
//
// Why delete instead of writing the new value into the cache? Two concurrent writers can update
// the cache in the opposite order from the database and leave a stale value forever; a delete
// only costs one extra load.
//
// Why delete *after* the database write, not before? The service is shared by every request
// (so its methods take `&self`), and another request can read between our two steps. Delete
// first, and that reader misses, loads the old row (the write has not happened yet) and puts it
// back in the cache, where it stays until the next write. Delete after, and the worst a reader
// in between can see is the old row once. The tests play that reader: the fake database runs a
// hook in the middle of every write.
//
// Done means: repeated reads hit the database once, an update or delete is visible on the very
// next read, even when another request read during the write, and unknown ids are not cached
// (so a product created later shows up at once). Every write invalidates, even one that finds
// no row: the row is gone, so whatever copy the cache holds is stale.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    pub id: u32,
    pub name: String,
    pub price_cents: u64,
}

/// Provided: a fake of the slow database, shared like a connection pool (`&self`). It counts
/// how often rows are loaded, and runs the hook `during_writes` (if set) at the start of every
/// write, before the row changes: what another request does while the write is in flight.
#[derive(Default)]
pub struct ProductDb {
    rows: RefCell<HashMap<u32, Product>>,
    loads: Cell<usize>,
    during_writes: RefCell<Option<Box<dyn Fn()>>>,
}

impl ProductDb {
    pub fn load(&self, id: u32) -> Option<Product> {
        self.loads.set(self.loads.get() + 1);
        self.rows.borrow().get(&id).cloned()
    }

    pub fn save(&self, product: Product) {
        self.write_starts();
        self.rows.borrow_mut().insert(product.id, product);
    }

    pub fn set_price(&self, id: u32, price_cents: u64) -> bool {
        self.write_starts();
        match self.rows.borrow_mut().get_mut(&id) {
            Some(row) => {
                row.price_cents = price_cents;
                true
            }
            None => false,
        }
    }

    pub fn delete(&self, id: u32) -> bool {
        self.write_starts();
        self.rows.borrow_mut().remove(&id).is_some()
    }

    pub fn loads(&self) -> usize {
        self.loads.get()
    }

    /// Runs `hook` in the middle of every later write.
    pub fn during_writes(&self, hook: impl Fn() + 'static) {
        *self.during_writes.borrow_mut() = Some(Box::new(hook));
    }

    fn write_starts(&self) {
        if let Some(hook) = self.during_writes.borrow().as_ref() {
            hook();
        }
    }
}

/// Shared by every request, so every method takes `&self`; the cache is a `RefCell` (in a
/// threaded server it would be a `Mutex`, or Redis).
pub struct ProductService {
    db: ProductDb,
    cache: RefCell<HashMap<u32, Product>>,
}

impl ProductService {
    pub fn new(db: ProductDb) -> Self {
        Self {
            db,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// Cache-aside read: cache first, database on a miss, remember what was found.
    pub fn get(&self, id: u32) -> Option<Product> {
        // TODO: return the cached product if there is one (`self.cache.borrow()`); otherwise
        // load it from `self.db`, keep a copy in the cache (`self.cache.borrow_mut()`) and
        // return it. A product that does not exist is not cached.
        todo!("read product {id}")
    }

    /// Writes the new price to the database. Returns false for an unknown product.
    pub fn update_price(&self, id: u32, price_cents: u64) -> bool {
        // TODO: the database is updated, but the cache keeps serving the old price. Mind the
        // order (the comment at the top says why).
        self.db.set_price(id, price_cents)
    }

    /// Creates or replaces a product.
    pub fn save(&self, product: Product) {
        // TODO: same problem as in `update_price`.
        self.db.save(product);
    }

    pub fn delete(&self, id: u32) -> bool {
        // TODO: and here.
        self.db.delete(id)
    }

    pub fn db_loads(&self) -> usize {
        self.db.loads()
    }
}

fn main() {
    let db = ProductDb::default();
    db.save(Product {
        id: 1,
        name: "kettle".into(),
        price_cents: 2_999,
    });
    let service = ProductService::new(db);
    service.get(1);
    service.get(1);
    println!("two reads, {} database load(s)", service.db_loads());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn kettle(price_cents: u64) -> Product {
        Product {
            id: 1,
            name: "kettle".into(),
            price_cents,
        }
    }

    fn service() -> ProductService {
        let db = ProductDb::default();
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
        let service = service();
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
        let service = service();
        service.get(1);
        service.get(2);
        service.get(1);
        service.get(2);
        assert_eq!(service.db_loads(), 2, "one load per product id, then hits");
    }

    #[test]
    fn update_is_visible_on_next_read() {
        let service = service();
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
        let service = service();
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

    fn is_cached(service: &ProductService, id: u32) -> bool {
        service.cache.borrow().contains_key(&id)
    }

    #[test]
    fn every_write_deletes_the_entry() {
        let service = service();
        service.get(1);
        service.update_price(1, 1_999);
        assert!(
            !is_cached(&service, 1),
            "update_price must delete the cached entry, not refresh it"
        );
        service.get(1);
        service.save(kettle(2_499));
        assert!(
            !is_cached(&service, 1),
            "save must delete the cached entry, not write the new row into the cache: two \
             writers racing could leave the older row cached forever"
        );
        service.get(1);
        assert!(is_cached(&service, 1));
        service.delete(1);
        assert!(
            !is_cached(&service, 1),
            "delete must delete the cached entry"
        );
    }

    #[test]
    fn a_write_that_finds_no_row_still_invalidates() {
        let service = service();
        service.get(1);
        service.get(2);
        // Another instance of the service deletes both rows behind this one's back.
        service.db.delete(1);
        service.db.delete(2);
        assert!(
            !service.update_price(1, 1_999),
            "product 1 is no longer in the database"
        );
        assert_eq!(
            service.get(1),
            None,
            "the database said there is no product 1: the cached copy is stale and must go \
             with the write, whatever the write returned"
        );
        assert!(!service.delete(2), "product 2 is no longer in the database");
        assert_eq!(
            service.get(2),
            None,
            "and the same for a delete that deleted nothing"
        );
    }

    #[test]
    fn write_to_one_key_keeps_the_others_cached() {
        let service = service();
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
        let service = service();
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
    fn misses_go_to_the_database_every_time() {
        let service = service();
        assert_eq!(service.get(99), None);
        assert_eq!(service.get(99), None);
        assert_eq!(
            service.db_loads(),
            2,
            "an unknown id is not cached (not even as a 'known missing' entry): each read asks \
             the database"
        );
        // Another instance of the service creates product 99 behind this one's back.
        service.db.save(Product {
            id: 99,
            name: "waffle iron".into(),
            price_cents: 3_999,
        });
        assert_eq!(
            service.get(99).map(|p| p.name),
            Some("waffle iron".to_string()),
            "a product created elsewhere shows up on the next read"
        );
    }

    #[test]
    fn delete_is_visible_on_next_read() {
        let service = service();
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
        let service = service();
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

    /// The service, shared, with another request that reads product `id` in the middle of
    /// every database write (before the row changes), and what that reader saw.
    fn service_with_a_reader_during_writes(
        id: u32,
    ) -> (Rc<ProductService>, Rc<RefCell<Vec<Option<Product>>>>) {
        let service = Rc::new(service());
        let seen = Rc::new(RefCell::new(Vec::new()));
        let reader = Rc::downgrade(&service);
        let log = Rc::clone(&seen);
        service.db.during_writes(move || {
            if let Some(service) = reader.upgrade() {
                log.borrow_mut().push(service.get(id));
            }
        });
        (service, seen)
    }

    #[test]
    fn a_read_during_an_update_does_not_bring_the_old_price_back() {
        for cached_before in [true, false] {
            let (service, seen) = service_with_a_reader_during_writes(1);
            if cached_before {
                service.get(1);
            }
            assert!(service.update_price(1, 1_999));
            assert_eq!(
                *seen.borrow(),
                [Some(kettle(2_999))],
                "the other request read while the write was in flight"
            );
            assert_eq!(
                service.get(1),
                Some(kettle(1_999)),
                "a request read product 1 during the update (cached before: {cached_before}). \
                 If the cache entry is deleted before the database write, that reader misses, \
                 loads the old row and caches it again, and the old price stays: delete after \
                 the write"
            );
        }
    }

    #[test]
    fn a_read_during_a_save_does_not_bring_the_old_row_back() {
        let (service, seen) = service_with_a_reader_during_writes(1);
        service.get(1);
        let renamed = Product {
            name: "electric kettle".into(),
            ..kettle(3_499)
        };
        service.save(renamed.clone());
        assert_eq!(
            *seen.borrow(),
            [Some(kettle(2_999))],
            "the other request read while the save was in flight"
        );
        assert_eq!(
            service.get(1),
            Some(renamed),
            "a request read product 1 during the save: invalidate after the database write"
        );
    }

    #[test]
    fn a_read_during_a_delete_does_not_bring_the_row_back() {
        let (service, seen) = service_with_a_reader_during_writes(2);
        service.get(2);
        assert!(service.delete(2));
        assert_eq!(
            seen.borrow().len(),
            1,
            "the other request read while the delete was in flight"
        );
        assert_eq!(seen.borrow()[0].as_ref().map(|p| p.id), Some(2));
        assert_eq!(
            service.get(2),
            None,
            "a request read product 2 during the delete: invalidate after the database write"
        );
    }
}
