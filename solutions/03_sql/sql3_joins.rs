// Two admin reports read from `users` and `orders` (guest checkouts have `user_id` NULL).
//
// 1. `orders_with_buyer`: every order placed by a registered user, with the user's name,
//    by order id. Guest orders have no user and are left out. Not written yet.
// 2. `paid_summary`: one row per user, sorted by the user's name, with how many *paid*
//    orders they have and their total.
//    Marketing wants the users who never paid anything too (to send them a coupon), but the
//    current query silently drops them.
//
// Write the INNER JOIN for the first report and fix the second one with a LEFT JOIN. Each
// report is one query that also sorts (ORDER BY), and the tests count the rows SQLite returns:
// exactly the report's rows.

use rusqlite::{Connection, Result};

#[derive(Debug, PartialEq)]
pub struct OrderRow {
    pub order_id: i64,
    pub buyer: String,
    pub total_cents: i64,
}

#[derive(Debug, PartialEq)]
pub struct UserSummary {
    pub name: String,
    pub paid_orders: i64,
    pub paid_total_cents: i64,
}

pub fn setup(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE orders (
             id INTEGER PRIMARY KEY,
             user_id INTEGER REFERENCES users(id),
             status TEXT NOT NULL,
             total_cents INTEGER NOT NULL
         );
         INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob'), (3, 'cyd'), (4, 'dee');
         INSERT INTO orders (id, user_id, status, total_cents) VALUES
             (10, 1, 'paid', 1500),
             (11, 1, 'paid', 2500),
             (12, 2, 'cancelled', 999),
             (13, NULL, 'paid', 700),
             (14, 3, 'paid', 100),
             (15, 1, 'cancelled', 5000);",
    )
}

pub fn orders_with_buyer(conn: &Connection) -> Result<Vec<OrderRow>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, u.name, o.total_cents
         FROM orders o
         JOIN users u ON u.id = o.user_id
         ORDER BY o.id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(OrderRow {
            order_id: row.get(0)?,
            buyer: row.get(1)?,
            total_cents: row.get(2)?,
        })
    })?;
    rows.collect()
}

pub fn paid_summary(conn: &Connection) -> Result<Vec<UserSummary>> {
    // The status filter sits in ON: in WHERE it would throw away the NULL rows that
    // LEFT JOIN produced for users without paid orders.
    let mut stmt = conn.prepare(
        "SELECT u.name, COUNT(o.id), COALESCE(SUM(o.total_cents), 0)
         FROM users u
         LEFT JOIN orders o ON o.user_id = u.id AND o.status = 'paid'
         GROUP BY u.id
         ORDER BY u.name",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(UserSummary {
            name: row.get(0)?,
            paid_orders: row.get(1)?,
            paid_total_cents: row.get(2)?,
        })
    })?;
    rows.collect()
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("{:#?}", paid_summary(&conn)?);
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
        // SQLite stores the tables shows it.
        conn.pragma_update(None, "reverse_unordered_selects", true)
            .unwrap();
        conn
    }

    fn summary(name: &str, paid_orders: i64, paid_total_cents: i64) -> UserSummary {
        UserSummary {
            name: name.into(),
            paid_orders,
            paid_total_cents,
        }
    }

    #[test]
    fn inner_join_lists_registered_buyers() {
        let conn = db();
        let rows = orders_with_buyer(&conn).unwrap();
        let ids: Vec<i64> = rows.iter().map(|r| r.order_id).collect();
        assert_eq!(
            ids,
            [10, 11, 12, 14, 15],
            "every order with a user, ordered by id; guest order 13 has no user to join"
        );
        assert_eq!(
            rows[2],
            OrderRow {
                order_id: 12,
                buyer: "bob".into(),
                total_cents: 999
            },
            "each row carries the buyer's name from `users`"
        );
    }

    #[test]
    fn users_without_paid_orders_appear() {
        let conn = db();
        let names: Vec<String> = paid_summary(&conn)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(
            names,
            ["ada", "bob", "cyd", "dee"],
            "one row per user, even bob (only a cancelled order) and dee (no orders): \
             that is what LEFT JOIN is for"
        );
    }

    #[test]
    fn the_summary_is_sorted_by_name_not_by_id() {
        let conn = db();
        conn.execute("INSERT INTO users (id, name) VALUES (5, 'abe')", [])
            .unwrap();
        let names: Vec<String> = paid_summary(&conn)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(
            names,
            ["abe", "ada", "bob", "cyd", "dee"],
            "abe joined last (id 5) but comes first: the report is sorted by name"
        );
    }

    #[test]
    fn counts_and_totals_only_paid_orders() {
        let conn = db();
        let rows = paid_summary(&conn).unwrap();
        assert_eq!(
            rows.first(),
            Some(&summary("ada", 2, 4000)),
            "ada: 2 paid orders (1500 + 2500); her cancelled order does not count"
        );
        assert_eq!(
            rows.get(2),
            Some(&summary("cyd", 1, 100)),
            "cyd: one paid order of 100"
        );
    }

    #[test]
    fn only_the_status_paid_counts_as_paid() {
        let conn = db();
        conn.execute_batch(
            "INSERT INTO orders (id, user_id, status, total_cents) VALUES
                 (20, 4, 'refunded', 1),
                 (21, 4, 'pending', 2),
                 (22, 4, 'paid_back', 4),
                 (23, 4, 'PAID', 8),
                 (24, 4, 'Paid', 16),
                 (25, 4, 'paid ', 32),
                 (26, 4, 'unpaid', 64),
                 (27, 4, 'paid', 128),
                 (28, 2, 'pending', 256),
                 (29, 2, 'paid%', 512);",
        )
        .unwrap();
        let rows = paid_summary(&conn).unwrap();
        assert_eq!(
            rows.get(3),
            Some(&summary("dee", 1, 128)),
            "dee has orders refunded, pending, paid_back, PAID, Paid, 'paid ', unpaid and one \
             'paid' (128): only the status that is exactly 'paid' counts; \"not cancelled\", a \
             prefix (LIKE 'paid%') or another case is another status"
        );
        assert_eq!(
            rows.get(1),
            Some(&summary("bob", 0, 0)),
            "bob's orders are cancelled, pending and 'paid%': none is paid"
        );
    }

    #[test]
    fn each_report_is_one_query_returning_only_its_rows() {
        let conn = db();
        let (rows, statements, produced) = traced(&conn, || orders_with_buyer(&conn).unwrap());
        assert_eq!(
            (statements.len(), produced),
            (1, rows.len()),
            "orders_with_buyer: one JOIN that returns exactly the report's rows; got \
             {produced} rows from {statements:?}. Loading both tables and matching them in \
             Rust is the join done by hand"
        );
        assert!(
            statements[0].to_uppercase().contains("ORDER BY"),
            "orders_with_buyer: the order of the report is the database's job too (ORDER BY), got \
             {statements:?}"
        );
        let (rows, statements, produced) = traced(&conn, || paid_summary(&conn).unwrap());
        assert_eq!(
            (statements.len(), produced),
            (1, rows.len()),
            "paid_summary: one query, one row per user (GROUP BY does the counting); got \
             {produced} rows from {statements:?}"
        );
        assert!(
            statements[0].to_uppercase().contains("ORDER BY"),
            "paid_summary: the order of the report is the database's job too (ORDER BY), got \
             {statements:?}"
        );
    }

    #[test]
    fn users_who_share_a_name_stay_apart() {
        let conn = db();
        conn.execute_batch(
            "INSERT INTO users (id, name) VALUES (5, 'ada');
             INSERT INTO orders (id, user_id, status, total_cents) VALUES (16, 5, 'paid', 42);",
        )
        .unwrap();
        let mut adas: Vec<(i64, i64)> = paid_summary(&conn)
            .unwrap()
            .into_iter()
            .filter(|s| s.name == "ada")
            .map(|s| (s.paid_orders, s.paid_total_cents))
            .collect();
        adas.sort();
        assert_eq!(
            adas,
            [(1, 42), (2, 4000)],
            "two users called ada are two rows, each with their own paid orders: names are \
             not unique, so group by the user's id"
        );
    }

    #[test]
    fn no_paid_orders_means_zero_not_one_or_null() {
        let conn = db();
        let rows = paid_summary(&conn).unwrap();
        assert_eq!(
            rows.get(1),
            Some(&summary("bob", 0, 0)),
            "bob has no paid order: COUNT(*) would count the NULL row as 1 (count a column \
             of `orders` instead) and SUM of nothing is NULL (COALESCE it to 0)"
        );
        assert_eq!(rows.get(3), Some(&summary("dee", 0, 0)));
    }
}
