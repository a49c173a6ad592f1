// Two bugs from the issue tracker:
//
// 1. Signing up twice with the same e-mail (even as `Ada@Example.com` vs `ada@example.com`)
//    returns a 500 "database error". The schema already has a UNIQUE constraint (the only
//    race-free way to enforce uniqueness: SELECT-then-INSERT lets two requests both pass the
//    SELECT). The API must answer 409 Conflict, so `register` has to recognise the constraint
//    violation and return `RegisterError::EmailTaken` (and only that violation: other
//    failures stay `Db`).
// 2. The page view counter always shows 1, and `first_seen` moves forward on every view.
//    `INSERT OR REPLACE` deletes the old row and inserts a fresh one. Use an upsert:
//    `INSERT ... ON CONFLICT (...) DO UPDATE SET ...` (`excluded.col` is the rejected value).
//
// The tests trace the SQL you run: `register` and `record_view` each run one statement.

use rusqlite::{Connection, params};

#[derive(Debug)]
pub enum RegisterError {
    EmailTaken,
    Db(rusqlite::Error),
}

pub fn setup(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE accounts (
             id INTEGER PRIMARY KEY,
             email TEXT NOT NULL UNIQUE COLLATE NOCASE
         );
         CREATE TABLE page_views (
             path TEXT PRIMARY KEY,
             hits INTEGER NOT NULL,
             first_seen INTEGER NOT NULL,
             last_seen INTEGER NOT NULL
         );",
    )
}

/// Creates the account and returns its id.
pub fn register(conn: &Connection, email: &str) -> Result<i64, RegisterError> {
    // TODO: recognise the UNIQUE violation and return EmailTaken. The error is a
    // `rusqlite::Error::SqliteFailure`; its `extended_code` tells which constraint failed
    // (constants in `rusqlite::ffi`).
    match conn.execute("INSERT INTO accounts (email) VALUES (?1)", params![email]) {
        Ok(_) => Ok(conn.last_insert_rowid()),
        Err(e) => Err(RegisterError::Db(e)),
    }
}

/// Counts one view of `path` at time `now` and returns the new hit count.
pub fn record_view(conn: &Connection, path: &str, now: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        // TODO: REPLACE throws the old row away. Make this an upsert.
        "INSERT OR REPLACE INTO page_views (path, hits, first_seen, last_seen)
         VALUES (?1, 1, ?2, ?2)
         RETURNING hits",
        params![path, now],
        |row| row.get(0),
    )
}

fn main() -> rusqlite::Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("{:?}", register(&conn, "ada@example.com"));
    println!("{:?}", register(&conn, "ADA@example.com"));
    println!("{:?}", record_view(&conn, "/", 100));
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
    fn registers_new_emails() {
        let conn = db();
        let a = register(&conn, "ada@example.com").expect("first sign-up works");
        let b = register(&conn, "bob@example.com").expect("another e-mail works");
        assert_ne!(a, b, "each account gets its own id");
    }

    #[test]
    fn duplicate_email_is_email_taken() {
        let conn = db();
        register(&conn, "ada@example.com").unwrap();
        let again = register(&conn, "Ada@Example.com");
        assert!(
            matches!(again, Err(RegisterError::EmailTaken)),
            "a second sign-up with the same e-mail (the column is COLLATE NOCASE) must be \
             EmailTaken so the API can answer 409, got {again:?}"
        );
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM accounts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "the UNIQUE constraint keeps exactly one account");
    }

    #[test]
    fn other_errors_stay_db_errors() {
        let conn = db();
        conn.execute_batch("DROP TABLE accounts").unwrap();
        let r = register(&conn, "ada@example.com");
        assert!(
            matches!(r, Err(RegisterError::Db(_))),
            "only a constraint violation means EmailTaken; a missing table is a real \
             database error (500), got {r:?}"
        );
    }

    #[test]
    fn register_is_one_insert_guarded_by_the_constraint() {
        let conn = db();
        for (email, new) in [("ada@example.com", true), ("ADA@example.com", false)] {
            let (r, statements, _) = traced(&conn, || register(&conn, email));
            assert_eq!(r.is_ok(), new, "register({email:?}) returned {r:?}");
            assert!(
                statements.len() == 1 && statements[0].to_uppercase().contains("INSERT"),
                "register must run one statement, the INSERT, and let UNIQUE refuse a \
                 duplicate; a SELECT first is a race (two requests both see the e-mail \
                 free). register({email:?}) ran: {statements:?}"
            );
        }
    }

    #[test]
    fn other_constraint_failures_are_not_email_taken() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE accounts (
                 id INTEGER PRIMARY KEY,
                 email TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '%_@_%')
             );",
        )
        .unwrap();
        let r = register(&conn, "not-an-e-mail");
        assert!(
            matches!(r, Err(RegisterError::Db(_))),
            "a CHECK failure is a constraint violation too, but not a taken e-mail: only \
             SQLITE_CONSTRAINT_UNIQUE means EmailTaken, got {r:?}"
        );
    }

    #[test]
    fn taken_is_read_from_the_error_code_not_the_message() {
        // A trigger refuses sign-ups with a message that happens to mention UNIQUE.
        let conn = db();
        conn.execute_batch(
            "CREATE TRIGGER signups_closed BEFORE INSERT ON accounts
             BEGIN SELECT RAISE(ABORT, 'sign-ups closed: UNIQUE invite codes only'); END;",
        )
        .unwrap();
        let r = register(&conn, "ada@example.com");
        assert!(
            matches!(r, Err(RegisterError::Db(_))),
            "a trigger refused the row (SQLITE_CONSTRAINT_TRIGGER): nobody has this e-mail, so \
             it is not EmailTaken, whatever the message says, got {r:?}. Message texts are \
             for humans; match on `extended_code`"
        );
        // A primary key clash in another table: its message reads "UNIQUE constraint
        // failed", but its code is SQLITE_CONSTRAINT_PRIMARYKEY.
        let conn = db();
        conn.execute_batch(
            "CREATE TABLE welcome_mails (id INTEGER PRIMARY KEY);
             CREATE TRIGGER queue_welcome AFTER INSERT ON accounts
             BEGIN INSERT INTO welcome_mails (id) VALUES (1); END;",
        )
        .unwrap();
        register(&conn, "ada@example.com").unwrap();
        let r = register(&conn, "bob@example.com");
        assert!(
            matches!(r, Err(RegisterError::Db(_))),
            "bob's e-mail is free; the sign-up failed on another table's primary key, which is \
             a bug to report (500), not EmailTaken, got {r:?}"
        );
    }

    #[test]
    fn a_view_is_one_statement_that_keeps_the_row() {
        let conn = db();
        record_view(&conn, "/a", 1).unwrap();
        record_view(&conn, "/b", 2).unwrap();
        let rowid = || -> i64 {
            conn.query_row("SELECT rowid FROM page_views WHERE path = '/a'", [], |r| {
                r.get(0)
            })
            .unwrap()
        };
        let before = rowid();
        let (hits, statements, _) = traced(&conn, || record_view(&conn, "/a", 3).unwrap());
        assert_eq!(hits, 2, "the second view of /a");
        assert_eq!(
            statements.len(),
            1,
            "count a view with one statement (an upsert); a read or an UPDATE followed by an \
             INSERT is two, and another request can slip in between. Ran: {statements:?}"
        );
        assert_eq!(
            rowid(),
            before,
            "the existing row must be updated in place; REPLACE deletes it and inserts a new \
             row (with a new rowid)"
        );
    }

    #[test]
    fn views_are_counted() {
        let conn = db();
        let hits: Vec<i64> = (0..3)
            .map(|t| record_view(&conn, "/pricing", 100 + t).unwrap())
            .collect();
        assert_eq!(hits, [1, 2, 3], "every view adds one to the existing row");
        assert_eq!(
            record_view(&conn, "/docs", 200).unwrap(),
            1,
            "another path has its own counter"
        );
    }

    #[test]
    fn upsert_keeps_first_seen_and_moves_last_seen() {
        let conn = db();
        record_view(&conn, "/pricing", 100).unwrap();
        record_view(&conn, "/pricing", 250).unwrap();
        let (first, last): (i64, i64) = conn
            .query_row(
                "SELECT first_seen, last_seen FROM page_views WHERE path = '/pricing'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (first, last),
            (100, 250),
            "first_seen stays at the first view, last_seen takes the new value; \
             REPLACE would have reset both"
        );
    }
}
