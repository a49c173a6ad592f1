// The nightly export loads customers and orders from the database and builds two things in
// Rust: every order with its customer's name, and the list of customers who ordered (each
// once, in order of their first order). With 100 customers it was instant; with 200k
// customers and 1M orders it runs for hours. Both functions hide a loop inside a loop: for
// every order they walk the whole customer list (or the list built so far), O(n * m).
//
// Rewrite both with a HashMap / HashSet so each order costs O(1) on average. `CustomerId`
// counts every operation on an id (comparing, hashing, reading its number), so the tests can
// tell O(n) from O(n * m) without a stopwatch.

use rusqlite::{Connection, Result};
use std::collections::{HashMap, HashSet};

/// The counted id type (locked: the grader restores this module as the course ships it).
/// The number inside a `CustomerId` is private to this module, so every way of looking at
/// an id, `==`, hashing or `get`, goes through the counter.
mod ids {
    use std::cell::Cell;
    use std::hash::{Hash, Hasher};

    thread_local! {
        static OPERATIONS: Cell<u64> = const { Cell::new(0) };
    }

    fn count() {
        OPERATIONS.with(|c| c.set(c.get() + 1));
    }

    /// How many id operations (comparisons, hashes, `get`s) ran on this thread so far.
    pub fn id_operations() -> u64 {
        OPERATIONS.with(Cell::get)
    }

    #[derive(Debug, Clone, Copy)]
    pub struct CustomerId(i64);

    impl CustomerId {
        pub fn new(id: i64) -> Self {
            CustomerId(id)
        }

        /// The number itself (counted like a comparison).
        pub fn get(self) -> i64 {
            count();
            self.0
        }
    }

    impl PartialEq for CustomerId {
        fn eq(&self, other: &Self) -> bool {
            count();
            self.0 == other.0
        }
    }

    impl Eq for CustomerId {}

    impl Hash for CustomerId {
        fn hash<H: Hasher>(&self, state: &mut H) {
            count();
            self.0.hash(state);
        }
    }
}

pub use ids::{CustomerId, id_operations};

pub struct Customer {
    pub id: CustomerId,
    pub name: String,
}

pub struct Order {
    pub id: i64,
    pub customer: CustomerId,
}

/// `customers` customers and `orders` orders; every 10th order belongs to a deleted customer.
pub fn setup(conn: &Connection, customers: i64, orders: i64) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL);",
    )?;
    conn.execute(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
         INSERT INTO customers (id, name) SELECT i, 'customer ' || i FROM seq",
        [customers],
    )?;
    conn.execute(
        "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
         INSERT INTO orders (id, customer_id)
         SELECT i, CASE WHEN i % 10 = 0 THEN ?2 + i ELSE (i * 7919) % ?2 + 1 END FROM seq",
        [orders, customers],
    )?;
    Ok(())
}

pub fn load(conn: &Connection) -> Result<(Vec<Customer>, Vec<Order>)> {
    let customers = conn
        .prepare("SELECT id, name FROM customers ORDER BY id")?
        .query_map([], |r| {
            Ok(Customer {
                id: CustomerId::new(r.get(0)?),
                name: r.get(1)?,
            })
        })?
        .collect::<Result<_>>()?;
    let orders = conn
        .prepare("SELECT id, customer_id FROM orders ORDER BY id")?
        .query_map([], |r| {
            Ok(Order {
                id: r.get(0)?,
                customer: CustomerId::new(r.get(1)?),
            })
        })?
        .collect::<Result<_>>()?;
    Ok((customers, orders))
}

/// (order id, customer name) for every order, in order; "(deleted)" if the customer is gone.
pub fn orders_with_names(customers: &[Customer], orders: &[Order]) -> Vec<(i64, String)> {
    let names: HashMap<CustomerId, &str> =
        customers.iter().map(|c| (c.id, c.name.as_str())).collect();
    orders
        .iter()
        .map(|o| {
            let name = names.get(&o.customer).copied().unwrap_or("(deleted)");
            (o.id, name.to_string())
        })
        .collect()
}

/// Every customer id that appears in `orders`, once, in order of first appearance.
pub fn distinct_buyers(orders: &[Order]) -> Vec<CustomerId> {
    let mut seen = HashSet::new();
    orders
        .iter()
        .map(|o| o.customer)
        .filter(|&id| seen.insert(id))
        .collect()
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn, 3, 5)?;
    let (customers, orders) = load(&conn)?;
    println!("{:?}", orders_with_names(&customers, &orders));
    println!("{:?}", distinct_buyers(&orders));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(customers: i64, orders: i64) -> (Vec<Customer>, Vec<Order>) {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn, customers, orders).unwrap();
        load(&conn).unwrap()
    }

    #[test]
    fn names_are_attached() {
        let (customers, orders) = data(3, 10);
        let rows = orders_with_names(&customers, &orders);
        assert_eq!(rows.len(), 10, "one row per order");
        assert_eq!(
            rows[0],
            (1, "customer 3".to_string()),
            "order 1: (1*7919) % 3 + 1 = 3"
        );
        assert_eq!(rows[1], (2, "customer 2".to_string()));
        assert_eq!(
            rows[9],
            (10, "(deleted)".to_string()),
            "order 10 belongs to a customer that no longer exists"
        );
    }

    #[test]
    fn buyers_are_distinct_in_first_seen_order() {
        let (_, orders) = data(3, 10);
        let ids: Vec<i64> = distinct_buyers(&orders).iter().map(|c| c.get()).collect();
        assert_eq!(
            ids,
            [3, 2, 1, 13],
            "each customer once, in the order of their first order (13 is the deleted one)"
        );
    }
    #[test]
    fn ids_are_keys_not_positions() {
        let customer = |id: i64, name: &str| Customer {
            id: CustomerId::new(id),
            name: name.to_string(),
        };
        let order = |id: i64, customer: i64| Order {
            id,
            customer: CustomerId::new(customer),
        };
        let customers = [
            customer(-1, "legacy import"),
            customer(4_000_000_000_000, "sharded id"),
        ];
        let orders = [order(1, 4_000_000_000_000), order(2, -1), order(3, 7)];
        assert_eq!(
            orders_with_names(&customers, &orders),
            [
                (1, "sharded id".to_string()),
                (2, "legacy import".to_string()),
                (3, "(deleted)".to_string()),
            ],
            "an id is any i64, negative or far apart: look it up by key (HashMap), never use \
             it as a position in a Vec sized by the largest id"
        );
    }

    #[test]
    fn joining_is_linear() {
        let (customers, orders) = data(2_000, 4_000);
        let before = id_operations();
        let rows = orders_with_names(&customers, &orders);
        let used = id_operations() - before;
        assert_eq!(rows.len(), 4_000);
        assert!(
            used <= 5 * (4_000 + 2_000),
            "{used} id operations for 4000 orders and 2000 customers: scanning (or indexing) \
             the customer list again for every order is O(orders * customers). Index the \
             customers by id in a HashMap once, then each lookup costs about one hash and \
             one comparison"
        );
    }

    #[test]
    fn dedup_is_linear() {
        let (_, orders) = data(2_000, 4_000);
        let before = id_operations();
        let buyers = distinct_buyers(&orders);
        let used = id_operations() - before;
        assert_eq!(
            buyers.len(),
            2_200,
            "1800 of the customers ordered, plus 400 deleted ids: each one listed once"
        );
        let mut first_seen: Vec<i64> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for o in &orders {
            if seen.insert(o.customer.get()) {
                first_seen.push(o.customer.get());
            }
        }
        assert!(
            buyers.iter().map(|c| c.get()).eq(first_seen),
            "each buyer once, in the order of their first order"
        );
        assert!(
            used <= 5 * 4_000,
            "{used} id operations to dedup 4000 orders: `Vec::contains` walks the whole list \
             every time, O(n^2). A HashSet answers \"seen before?\" in O(1)"
        );
    }
}
