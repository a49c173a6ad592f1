// Finance wants a "top categories" report: for every product category, the number of sales,
// the number of *different* customers and the revenue, counting only sales on or after a
// given date, keeping only categories whose revenue reaches a threshold, best first (ties by
// category name). The first attempt crashes with "misuse of aggregate function SUM()".
//
// Fix `top_categories`: filter rows with WHERE, group with GROUP BY, filter groups with
// HAVING, sort by the aggregate, all in one query (the tests trace what SQLite runs).

use rusqlite::{Connection, Result, params};

#[derive(Debug, PartialEq)]
pub struct CategoryRevenue {
    pub category: String,
    pub sales: i64,
    pub customers: i64,
    pub revenue_cents: i64,
}

pub fn setup(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE sales (
             id INTEGER PRIMARY KEY,
             category TEXT NOT NULL,
             customer TEXT NOT NULL,
             amount_cents INTEGER NOT NULL,
             sold_on TEXT NOT NULL -- ISO 8601 dates compare correctly as text
         );
         INSERT INTO sales (category, customer, amount_cents, sold_on) VALUES
             ('books', 'ada', 2000, '2024-01-05'),
             ('books', 'ada', 3000, '2024-02-01'),
             ('books', 'bob', 1500, '2024-02-03'),
             ('books', 'cyd', 9000, '2023-12-30'),
             ('games', 'bob', 6000, '2024-01-10'),
             ('games', 'cyd', 500, '2024-03-01'),
             ('merch', 'ada', 300, '2024-01-02'),
             ('merch', 'ada', 300, '2024-01-03'),
             ('hardware', 'dee', 50000, '2023-11-11');",
    )
}

pub fn top_categories(
    conn: &Connection,
    since: &str,
    min_revenue_cents: i64,
) -> Result<Vec<CategoryRevenue>> {
    // TODO: WHERE runs on single rows, before grouping, so it can't see SUM(). Move the
    // revenue condition to HAVING, count distinct customers and sort best first.
    let mut stmt = conn.prepare(
        "SELECT category, COUNT(*), COUNT(customer), SUM(amount_cents) AS revenue
         FROM sales
         WHERE sold_on >= ?1 AND SUM(amount_cents) >= ?2
         GROUP BY category",
    )?;
    let rows = stmt.query_map(params![since, min_revenue_cents], |row| {
        Ok(CategoryRevenue {
            category: row.get(0)?,
            sales: row.get(1)?,
            customers: row.get(2)?,
            revenue_cents: row.get(3)?,
        })
    })?;
    rows.collect()
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("{:#?}", top_categories(&conn, "2024-01-01", 1000)?);
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

        /// A day of the first quarter of 2024, as `sales` stores it.
        fn date(&mut self) -> String {
            format!("2024-{:02}-{:02}", 1 + self.below(3), 1 + self.below(28))
        }
    }

    #[test]
    fn aggregates_per_category() {
        let conn = db();
        let rows = top_categories(&conn, "2024-01-01", 0).unwrap();
        assert_eq!(
            rows.first(),
            Some(&CategoryRevenue {
                category: "books".into(),
                sales: 3,
                customers: 2,
                revenue_cents: 6500,
            }),
            "books since 2024: 3 sales by 2 different customers (ada twice, bob once; \
             COUNT(DISTINCT ...)), 6500 in total; cyd's 2023 sale is filtered out by WHERE"
        );
        let merch = rows.iter().find(|r| r.category == "merch");
        assert_eq!(
            merch.map(|r| (r.sales, r.customers, r.revenue_cents)),
            Some((2, 1, 600)),
            "merch: 2 sales, both by ada, so 1 customer; two sales of 300 are 600 of revenue \
             (DISTINCT belongs to the customer count, not to the sum)"
        );
    }

    #[test]
    fn both_bounds_are_inclusive() {
        let conn = db();
        let names: Vec<String> = top_categories(&conn, "2024-01-01", 6500)
            .unwrap()
            .into_iter()
            .map(|r| r.category)
            .collect();
        assert_eq!(
            names,
            ["books", "games"],
            "books and games made exactly 6500: a threshold of 6500 is *reached* (>=)"
        );
        let rows = top_categories(&conn, "2024-03-01", 0).unwrap();
        assert_eq!(
            rows,
            [CategoryRevenue {
                category: "games".into(),
                sales: 1,
                customers: 1,
                revenue_cents: 500,
            }],
            "since 2024-03-01 means on or after that day: games sold for 500 on 2024-03-01"
        );
    }

    #[test]
    fn having_filters_groups_and_order_is_by_revenue() {
        let conn = db();
        let names: Vec<String> = top_categories(&conn, "2024-01-01", 1000)
            .unwrap()
            .into_iter()
            .map(|r| r.category)
            .collect();
        assert_eq!(
            names,
            ["books", "games"],
            "merch (600) is below the threshold and must be dropped by HAVING; books and \
             games both made 6500, so the tie is broken by name"
        );
    }

    #[test]
    fn the_database_groups_and_filters_the_groups() {
        let conn = db();
        let (rows, statements, produced) =
            traced(&conn, || top_categories(&conn, "2024-01-01", 1000).unwrap());
        assert_eq!(
            (statements.len(), produced),
            (1, rows.len()),
            "one query whose result is the report: got {produced} rows from {statements:?} \
             for a report of {} rows. Summing or dropping groups in Rust is GROUP BY and \
             HAVING done by hand",
            rows.len()
        );
        assert!(
            statements[0].to_uppercase().contains("ORDER BY"),
            "top_categories: the order of the report is the database's job too (ORDER BY), got \
             {statements:?}"
        );
    }

    #[test]
    fn the_date_bound_is_a_day_not_a_month() {
        let conn = db();
        let books = top_categories(&conn, "2024-02-02", 0)
            .unwrap()
            .into_iter()
            .find(|r| r.category == "books");
        assert_eq!(
            books.map(|r| (r.sales, r.revenue_cents)),
            Some((1, 1500)),
            "since 2024-02-02: only bob's sale of 2024-02-03 counts for books; ada's of \
             2024-02-01 is in the same month but before the day (compare whole dates)"
        );
    }

    #[test]
    fn generated_sales_agree_with_the_specification() {
        const CATEGORIES: [&str; 4] = ["books", "games", "Books", "merch"];
        const CUSTOMERS: [&str; 4] = ["ada", "bob", "Ada", "cyd"];
        const AMOUNTS: [i64; 4] = [100, 250, 250, 1000];
        let mut g = Gen(0x5EED_0304);
        for round in 0..20 {
            let conn = db();
            conn.execute("DELETE FROM sales", []).unwrap();
            let mut sales = Vec::new();
            for _ in 0..14 {
                let sale = (
                    CATEGORIES[g.below(CATEGORIES.len())],
                    CUSTOMERS[g.below(CUSTOMERS.len())],
                    AMOUNTS[g.below(AMOUNTS.len())],
                    g.date(),
                );
                conn.execute(
                    "INSERT INTO sales (category, customer, amount_cents, sold_on)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![sale.0, sale.1, sale.2, sale.3],
                )
                .unwrap();
                sales.push(sale);
            }
            for _ in 0..8 {
                // Half the bounds are days that have a sale, to test the edge.
                let since = if g.below(2) == 0 {
                    sales[g.below(sales.len())].3.clone()
                } else {
                    g.date()
                };
                let min = [0, 250, 1000, 1500][g.below(4)];
                let mut expected: Vec<CategoryRevenue> = Vec::new();
                for category in CATEGORIES {
                    let kept: Vec<_> = sales
                        .iter()
                        .filter(|s| s.0 == category && s.3 >= since)
                        .collect();
                    let mut customers: Vec<&str> = kept.iter().map(|s| s.1).collect();
                    customers.sort();
                    customers.dedup();
                    let revenue: i64 = kept.iter().map(|s| s.2).sum();
                    if !kept.is_empty() && revenue >= min {
                        expected.push(CategoryRevenue {
                            category: category.into(),
                            sales: kept.len() as i64,
                            customers: customers.len() as i64,
                            revenue_cents: revenue,
                        });
                    }
                }
                expected.sort_by(|a, b| {
                    (b.revenue_cents, &a.category).cmp(&(a.revenue_cents, &b.category))
                });
                assert_eq!(
                    top_categories(&conn, &since, min).unwrap(),
                    expected,
                    "round {round}, sales (category, customer, amount, day) {sales:?}, since \
                     {since}, min revenue {min}: per category, the sales on or after that day, \
                     their distinct customers and revenue, categories reaching the threshold, \
                     best revenue first, ties by name"
                );
            }
        }
    }

    #[test]
    fn where_runs_before_grouping() {
        let conn = db();
        let rows = top_categories(&conn, "2024-01-01", 0).unwrap();
        assert!(
            rows.iter().all(|r| r.category != "hardware"),
            "hardware only sold in 2023: no row survives WHERE, so there is no group at all"
        );
        let all_time = top_categories(&conn, "2000-01-01", 10_000).unwrap();
        let names: Vec<&str> = all_time.iter().map(|r| r.category.as_str()).collect();
        assert_eq!(
            names,
            ["hardware", "books"],
            "all time: hardware 50000, books 15500, the rest below 10000"
        );
    }
}
