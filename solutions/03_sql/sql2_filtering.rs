// The shop's product listing endpoint `GET /products?category=books&max_price=2000&limit=2`
// returns every product, including sold-out ones, in whatever order SQLite happens to store
// them. The frontend wants: only products in stock, optionally only one category, at most
// `max_price_cents`, cheapest first (ties broken by name, so pages are stable), and no more
// than `limit` rows.
//
// Make `search_products` do the filtering, ordering and limiting in SQL (WHERE, ORDER BY,
// LIMIT) with bound parameters, in one query. Done means: the tests below pass; they also
// count the rows SQLite hands back, which must be exactly the rows of the page, and read the
// SQL text, where no value (category, price, limit) may appear.

use rusqlite::{Connection, Result, params};

#[derive(Debug, PartialEq)]
pub struct Product {
    pub name: String,
    pub price_cents: i64,
}

pub struct ProductQuery<'a> {
    /// `None` means "any category".
    pub category: Option<&'a str>,
    pub max_price_cents: i64,
    pub limit: u32,
}

pub fn setup(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE products (
             id INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             category TEXT NOT NULL,
             price_cents INTEGER NOT NULL,
             in_stock INTEGER NOT NULL
         );
         INSERT INTO products (name, category, price_cents, in_stock) VALUES
             ('Rust in Action', 'books', 3999, 1),
             ('SQL Antipatterns', 'books', 2000, 1),
             ('The Pragmatic Programmer', 'books', 2000, 1),
             ('Designing Data-Intensive Applications', 'books', 4500, 0),
             ('Mechanical keyboard', 'hardware', 8900, 1),
             ('USB-C cable', 'hardware', 900, 1),
             ('Sticker pack', 'merch', 300, 1),
             ('Mug', 'merch', 1200, 0);",
    )
}

pub fn search_products(conn: &Connection, q: &ProductQuery) -> Result<Vec<Product>> {
    let mut stmt = conn.prepare(
        "SELECT name, price_cents FROM products
         WHERE in_stock = 1
           AND (?1 IS NULL OR category = ?1)
           AND price_cents <= ?2
         ORDER BY price_cents ASC, name ASC
         LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![q.category, q.max_price_cents, q.limit], |row| {
        Ok(Product {
            name: row.get(0)?,
            price_cents: row.get(1)?,
        })
    })?;
    rows.collect()
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    let q = ProductQuery {
        category: Some("books"),
        max_price_cents: 5000,
        limit: 10,
    };
    println!("{:?}", search_products(&conn, &q)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    use std::cell::{Cell, RefCell};

    thread_local! {
        static STATEMENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        static ROWS: Cell<usize> = const { Cell::new(0) };
    }

    fn record(event: TraceEvent<'_>) {
        match event {
            TraceEvent::Stmt(_, sql) => STATEMENTS.with_borrow_mut(|s| s.push(sql.to_owned())),
            TraceEvent::Row(_) => ROWS.set(ROWS.get() + 1),
            _ => {}
        }
    }

    /// What SQLite did while `f` ran: the statements it executed and the rows it produced.
    fn traced<T>(conn: &Connection, f: impl FnOnce() -> T) -> (T, Vec<String>, usize) {
        STATEMENTS.with_borrow_mut(Vec::clear);
        ROWS.set(0);
        let codes = TraceEventCodes::SQLITE_TRACE_STMT | TraceEventCodes::SQLITE_TRACE_ROW;
        conn.trace_v2(codes, Some(record));
        let out = f();
        conn.trace_v2(TraceEventCodes::empty(), None);
        (out, STATEMENTS.take(), ROWS.get())
    }

    fn names(conn: &Connection, category: Option<&str>, max: i64, limit: u32) -> Vec<String> {
        let q = ProductQuery {
            category,
            max_price_cents: max,
            limit,
        };
        search_products(conn, &q)
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        // Rows a query does not order come back in reverse: an order that only comes from how
        // SQLite stores the table shows it.
        conn.pragma_update(None, "reverse_unordered_selects", true)
            .unwrap();
        conn
    }

    /// A small deterministic generator (xorshift64*): the same cases on every run.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    #[test]
    fn filters_by_category_and_stock() {
        let conn = db();
        assert_eq!(
            names(&conn, Some("books"), 10_000, 10),
            [
                "SQL Antipatterns",
                "The Pragmatic Programmer",
                "Rust in Action"
            ],
            "only in-stock books (Designing Data-Intensive Applications is sold out), cheapest \
             first, equal prices sorted by name"
        );
    }

    #[test]
    fn max_price_is_inclusive() {
        let conn = db();
        assert_eq!(
            names(&conn, Some("books"), 2000, 10),
            ["SQL Antipatterns", "The Pragmatic Programmer"],
            "max_price_cents = 2000 must include products that cost exactly 2000 (use <=)"
        );
    }

    #[test]
    fn no_category_means_all_categories() {
        let conn = db();
        assert_eq!(
            names(&conn, None, 1000, 10),
            ["Sticker pack", "USB-C cable"],
            "category None: every category, still only in stock and under the price cap"
        );
    }

    #[test]
    fn an_empty_category_is_a_category() {
        let conn = db();
        assert_eq!(
            names(&conn, Some(""), 100_000, 10),
            Vec::<String>::new(),
            "Some(\"\") asks for the category named \"\", which no product has: only None \
             means any category (do not encode \"any\" as an empty string)"
        );
    }

    #[test]
    fn limit_keeps_the_cheapest() {
        let conn = db();
        assert_eq!(
            names(&conn, None, 100_000, 2),
            ["Sticker pack", "USB-C cable"],
            "LIMIT applies after ORDER BY: the 2 cheapest in-stock products of all"
        );
    }

    #[test]
    fn equal_prices_are_ordered_by_name() {
        let conn = db();
        conn.execute(
            "INSERT INTO products (name, category, price_cents, in_stock)
             VALUES ('A Philosophy of Software Design', 'books', 2000, 1)",
            [],
        )
        .unwrap();
        assert_eq!(
            names(&conn, Some("books"), 2000, 10),
            [
                "A Philosophy of Software Design",
                "SQL Antipatterns",
                "The Pragmatic Programmer"
            ],
            "three books at 2000: the tie-breaker (name) decides, not the order of insertion"
        );
    }

    #[test]
    fn sqlite_returns_only_the_rows_of_the_page() {
        let conn = db();
        for (category, max, limit) in [
            (Some("books"), 10_000, 10),
            (None, 1000, 10),
            (None, 100_000, 2),
            (Some("merch"), 100_000, 1),
        ] {
            let (found, statements, rows) = traced(&conn, || names(&conn, category, max, limit));
            assert_eq!(
                statements.len(),
                1,
                "one query per search, got {statements:?}"
            );
            assert_eq!(
                rows,
                found.len(),
                "search {category:?}, max {max}, limit {limit}: SQLite produced {rows} rows \
                 for a page of {}. Filtering, sorting or cutting in Rust ships rows the page \
                 throws away: let WHERE, ORDER BY and LIMIT do it",
                found.len()
            );
        }
    }

    #[test]
    fn the_query_is_filtered_ordered_and_limited_by_bound_parameters() {
        let conn = db();
        for category in [Some("books"), Some("O'Reilly"), None] {
            let q = ProductQuery {
                category,
                max_price_cents: 4321,
                limit: 7,
            };
            let (found, statements, _) = traced(&conn, || search_products(&conn, &q));
            assert!(
                found.is_ok(),
                "search {category:?} failed: {found:?}. A quote in a category is just a \
                 character when the category is a bound parameter"
            );
            let sql = statements.concat();
            assert!(
                !sql.contains("4321"),
                "the price cap is pasted into the SQL text: {statements:?}; bind it"
            );
            if let Some(c) = category {
                assert!(
                    !sql.contains(c.trim_matches('\'')) && !sql.contains("Reilly"),
                    "the SQL text SQLite parsed contains the category {c:?}: {statements:?}. \
                     An optional filter is still user input: send it as a bound parameter \
                     (`?1 IS NULL OR category = ?1`), never with format!"
                );
            }
            let upper = sql.to_uppercase();
            let limit = upper.rfind("LIMIT").map(|i| upper[i + 5..].trim_start());
            assert!(
                limit.is_some_and(|rest| rest.starts_with(['?', ':', '@', '$'])),
                "the page size must be cut by SQL (`LIMIT ?3`, bound), got {statements:?}. \
                 Stopping the iterator in Rust (.take) or pasting the number leaves the \
                 database without the limit it plans with"
            );
        }
    }

    #[test]
    fn the_category_is_matched_exactly() {
        let conn = db();
        for category in ["%", "book%", "b_oks", "BOOKS", "books' OR '1'='1"] {
            assert_eq!(
                names(&conn, Some(category), 100_000, 10),
                Vec::<String>::new(),
                "no category is called {category:?}: the filter is an exact match (`=`); \
                 LIKE treats `%` and `_` as wildcards and ignores case"
            );
        }
    }

    #[test]
    fn a_limit_of_zero_is_an_empty_page() {
        let conn = db();
        for category in [Some("books"), None] {
            assert_eq!(
                names(&conn, category, 100_000, 0),
                Vec::<String>::new(),
                "limit 0 asks for a page of no rows ({category:?}): bind it as it is, it does \
                 not mean \"no limit\""
            );
        }
    }

    #[test]
    fn generated_catalogs_and_queries_agree_with_the_specification() {
        const CATEGORIES: [&str; 7] = ["books", "Books", "merch", "", "b%", "books ", "O'Reilly"];
        const PRICES: [i64; 5] = [0, 999, 1000, 1001, 2500];
        const NAMES: [&str; 8] = ["a", "B", "b", "ab", "Ab", "a b", "é", "_"];
        let mut g = Gen(0x5EED_0302);
        for round in 0..20 {
            let conn = db();
            conn.execute("DELETE FROM products", []).unwrap();
            // (name, category, price, in stock), inserted in random order.
            let mut catalog = Vec::new();
            for name in NAMES {
                let product = (
                    name,
                    g.pick(&CATEGORIES),
                    PRICES[g.below(PRICES.len())],
                    g.below(4) != 0,
                );
                conn.execute(
                    "INSERT INTO products (name, category, price_cents, in_stock)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![product.0, product.1, product.2, product.3],
                )
                .unwrap();
                catalog.push(product);
            }
            for _ in 0..15 {
                let category = if g.below(3) == 0 {
                    None
                } else {
                    Some(g.pick(&CATEGORIES))
                };
                let max = PRICES[g.below(PRICES.len())] + [-1, 0, 1][g.below(3)];
                let limit = g.below(5) as u32;
                let mut expected: Vec<(i64, &str)> = catalog
                    .iter()
                    .filter(|(_, c, price, stock)| {
                        *stock && category.is_none_or(|want| want == *c) && *price <= max
                    })
                    .map(|(name, _, price, _)| (*price, *name))
                    .collect();
                expected.sort();
                expected.truncate(limit as usize);
                let expected: Vec<&str> = expected.into_iter().map(|(_, name)| name).collect();
                assert_eq!(
                    names(&conn, category, max, limit),
                    expected,
                    "round {round}, catalog (name, category, price, in stock) {catalog:?}, \
                     category {category:?}, max price {max}, limit {limit}: in stock, exactly \
                     that category (None: any), price <= max, by price then name, at most \
                     `limit` rows"
                );
            }
        }
    }

    #[test]
    fn unknown_category_is_empty_not_an_error() {
        let conn = db();
        assert!(
            names(&conn, Some("garden"), 100_000, 10).is_empty(),
            "no products in that category: an empty list, not every product"
        );
    }
}
