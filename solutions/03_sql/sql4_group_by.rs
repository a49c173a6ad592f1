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
    let mut stmt = conn.prepare(
        "SELECT category, COUNT(*), COUNT(DISTINCT customer), SUM(amount_cents) AS revenue
         FROM sales
         WHERE sold_on >= ?1
         GROUP BY category
         HAVING SUM(amount_cents) >= ?2
         ORDER BY revenue DESC, category ASC",
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
        conn
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
