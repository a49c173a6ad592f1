// Two bugs from the issue tracker:
//
// 1. Signing up twice with the same e-mail (even as `Ada@Example.com` vs `ada@example.com`)
//    returns a 500 "database error". The schema already has a UNIQUE constraint (the only
//    race-free way to enforce uniqueness: SELECT-then-INSERT lets two requests both pass the
//    SELECT). The API must answer 409 Conflict, so `register` has to recognise the constraint
//    violation and return `RegisterError::EmailTaken`.
// 2. The page view counter always shows 1, and `first_seen` moves forward on every view.
//    `INSERT OR REPLACE` deletes the old row and inserts a fresh one. Use an upsert:
//    `INSERT ... ON CONFLICT (...) DO UPDATE SET ...` (`excluded.col` is the rejected value).

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
