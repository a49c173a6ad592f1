// The orders service got slow as the tables grew: every request reads the whole table.
// `EXPLAIN QUERY PLAN` shows why: `SCAN orders` means "read every row", while
// `SEARCH orders USING INDEX ...` means "jump to the matching rows through an index".
//
// The three hot queries are below. Write `add_indexes` so that each one is a SEARCH through an
// index, the "latest orders" lookup searches on both of its equality columns, and that page no
// longer sorts in a temporary B-tree. Mind the rules: a multi-column index helps only from its
// leftmost column on, and a query on `lower(email)` needs an index on that expression, not on
// `email`. Indexes are not free: every write updates each of them, so add no index that the
// queries do not need (none that is a leftmost prefix of another one), and an index must not
// change what the tables accept (no UNIQUE: two customers may well share an e-mail address
// in different cases).

use rusqlite::types::Null;
use rusqlite::{Connection, Result, params_from_iter};

pub const ORDERS_OF_CUSTOMER: &str = "SELECT id FROM orders WHERE customer_id = ?1 ORDER BY id";

pub const LATEST_ORDERS: &str = "SELECT id FROM orders
     WHERE customer_id = ?1 AND status = ?2
     ORDER BY created_at DESC
     LIMIT 10";

pub const CUSTOMER_BY_EMAIL: &str = "SELECT id FROM customers WHERE lower(email) = lower(?1)";

pub fn setup(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
         CREATE TABLE orders (
             id INTEGER PRIMARY KEY,
             customer_id INTEGER NOT NULL,
             status TEXT NOT NULL,
             created_at INTEGER NOT NULL
         );
         INSERT INTO customers (id, email) VALUES (1, 'Ada@Example.com'), (2, 'bob@example.com');
         INSERT INTO orders (id, customer_id, status, created_at) VALUES
             (1, 1, 'paid', 100), (2, 2, 'paid', 110), (3, 1, 'open', 120),
             (4, 1, 'paid', 130), (5, 2, 'open', 140), (6, 1, 'paid', 90);",
    )
}

pub fn add_indexes(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE INDEX orders_customer_status_created
             ON orders (customer_id, status, created_at);
         CREATE INDEX customers_lower_email ON customers (lower(email));",
    )
}

/// The `detail` column of `EXPLAIN QUERY PLAN`, one line per step. Parameters are bound
/// to NULL: the plan does not depend on their values.
pub fn query_plan(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let nulls = std::iter::repeat_n(Null, stmt.parameter_count());
    let rows = stmt.query_map(params_from_iter(nulls), |row| row.get::<_, String>(3))?;
    rows.collect()
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("before: {:?}", query_plan(&conn, LATEST_ORDERS)?);
    add_indexes(&conn)?;
    println!("after:  {:?}", query_plan(&conn, LATEST_ORDERS)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    // The tests keep their own copies of the hot queries: making a query cheaper by changing
    // it is not the exercise.
    const ORDERS_OF_CUSTOMER: &str = "SELECT id FROM orders WHERE customer_id = ?1 ORDER BY id";
    const LATEST_ORDERS: &str = "SELECT id FROM orders
         WHERE customer_id = ?1 AND status = ?2
         ORDER BY created_at DESC
         LIMIT 10";
    const CUSTOMER_BY_EMAIL: &str = "SELECT id FROM customers WHERE lower(email) = lower(?1)";

    /// The test's own plan reader (`query_plan` above is yours to print and experiment with;
    /// the verdict never depends on it): the `detail` column of EXPLAIN QUERY PLAN.
    fn plan(conn: &Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let nulls = vec![Null; stmt.parameter_count()];
        stmt.query_map(params_from_iter(nulls), |row| row.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap()
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        add_indexes(&conn).unwrap();
        conn
    }

    fn assert_searches(plan: &[String], table: &str) {
        let step = plan
            .iter()
            .find(|s| s.split_whitespace().nth(1) == Some(table))
            .map_or("", String::as_str);
        assert!(
            step.starts_with(&format!("SEARCH {table} USING")) && step.contains("INDEX"),
            "expected `SEARCH {table} USING ... INDEX ...` (a lookup through an index), \
             got plan {plan:?}; `SCAN {table}` reads every row"
        );
    }

    #[test]
    fn orders_of_a_customer_use_an_index() {
        let conn = db();
        let plan = plan(&conn, ORDERS_OF_CUSTOMER);
        assert_searches(&plan, "orders");
    }

    #[test]
    fn latest_orders_use_an_index_and_no_sort() {
        let conn = db();
        let plan = plan(&conn, LATEST_ORDERS);
        assert_searches(&plan, "orders");
        assert!(
            !plan.iter().any(|s| s.contains("TEMP B-TREE")),
            "`USE TEMP B-TREE FOR ORDER BY` means SQLite sorts the matches itself; an index \
             whose columns continue with created_at after the equality columns returns them \
             already sorted. Plan: {plan:?}"
        );
        let search = plan.iter().find(|s| s.starts_with("SEARCH orders"));
        let seek = search
            .and_then(|s| s.rsplit_once('('))
            .map_or("", |(_, cols)| cols);
        assert!(
            seek.contains("customer_id=?") && seek.contains("status=?"),
            "the index must be searched on both equality columns (`customer_id=? AND \
             status=?`), got {search:?}. An index column that comes after the ORDER BY column \
             cannot be used to seek: SQLite then walks every order of the customer and \
             checks the status row by row. Equality columns first, then the ORDER BY column"
        );
    }

    #[test]
    fn email_lookup_uses_an_expression_index() {
        let conn = db();
        let plan = plan(&conn, CUSTOMER_BY_EMAIL);
        assert_searches(&plan, "customers");
    }

    /// The key columns of every index on `table` (by name; an expression is `None`).
    fn index_columns(conn: &Connection, table: &str) -> Vec<(String, Vec<Option<String>>)> {
        let mut list = conn
            .prepare(&format!("PRAGMA index_list('{table}')"))
            .unwrap();
        let names: Vec<String> = list
            .query_map([], |r| r.get::<_, String>("name"))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        names
            .into_iter()
            .map(|name| {
                let mut info = conn
                    .prepare(&format!("PRAGMA index_info('{name}')"))
                    .unwrap();
                let mut cols: Vec<(i64, Option<String>)> = info
                    .query_map([], |r| Ok((r.get("seqno")?, r.get("name")?)))
                    .unwrap()
                    .collect::<Result<_>>()
                    .unwrap();
                cols.sort();
                (name, cols.into_iter().map(|(_, c)| c).collect())
            })
            .collect()
    }

    #[test]
    fn no_index_is_a_prefix_of_another() {
        let conn = db();
        for table in ["orders", "customers"] {
            let indexes = index_columns(&conn, table);
            for (a, cols_a) in &indexes {
                for (b, cols_b) in &indexes {
                    assert!(
                        a == b || !cols_b.starts_with(cols_a),
                        "index {a} on {table} {cols_a:?} is a leftmost prefix of index {b} \
                         {cols_b:?}: every query it serves, {b} serves too, and every write \
                         now updates both. Drop {a}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_index_serves_one_of_the_queries() {
        let conn = db();
        let plans: Vec<String> = [ORDERS_OF_CUSTOMER, LATEST_ORDERS, CUSTOMER_BY_EMAIL]
            .iter()
            .flat_map(|sql| plan(&conn, sql))
            .collect();
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_master
                 WHERE type = 'index' AND name NOT LIKE 'sqlite\\_autoindex\\_%' ESCAPE '\\'",
            )
            .unwrap();
        let indexes: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        for index in &indexes {
            assert!(
                plans
                    .iter()
                    .any(|step| step.split_whitespace().any(|word| word == index)),
                "index {index} appears in none of the three queries' plans {plans:?}: no hot \
                 query needs it, and every write to its table pays for keeping it up to date. \
                 Drop it"
            );
        }
    }

    #[test]
    fn indexes_add_no_constraint() {
        let conn = db();
        conn.execute(
            "INSERT INTO customers (id, email) VALUES (3, 'ADA@example.com')",
            [],
        )
        .expect(
            "a second customer whose e-mail differs from Ada's only in case must still be \
             accepted: an index speeds lookups up, it is not a UNIQUE constraint",
        );
        conn.execute(
            "INSERT INTO orders (id, customer_id, status, created_at) VALUES (7, 1, 'paid', 100)",
            [],
        )
        .expect("an order like order 1 in every indexed column must still be accepted");
        let unique: Vec<String> = ["orders", "customers"]
            .iter()
            .flat_map(|table| {
                let mut list = conn
                    .prepare(&format!("PRAGMA index_list('{table}')"))
                    .unwrap();
                list.query_map([], |r| {
                    Ok((r.get::<_, String>("name")?, r.get::<_, i64>("unique")?))
                })
                .unwrap()
                .collect::<Result<Vec<_>>>()
                .unwrap()
            })
            .filter(|(_, unique)| *unique != 0)
            .map(|(name, _)| name)
            .collect();
        assert!(
            unique.is_empty(),
            "these indexes are UNIQUE, a constraint the tables did not have: {unique:?}"
        );
    }

    #[test]
    fn indexes_do_not_change_results() {
        let conn = db();
        let mut stmt = conn.prepare(LATEST_ORDERS).unwrap();
        let ids: Vec<i64> = stmt
            .query_map(params![1, "paid"], |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(ids, [4, 1, 6], "customer 1's paid orders, newest first");
        let id: i64 = conn
            .query_row(CUSTOMER_BY_EMAIL, ["ADA@example.COM"], |r| r.get(0))
            .unwrap();
        assert_eq!(id, 1, "e-mail lookup ignores case");
    }
}
