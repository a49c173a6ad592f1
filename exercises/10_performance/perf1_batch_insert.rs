// The analytics importer loads a file of events into SQLite, one `conn.execute` per event.
// Outside a transaction every INSERT is its own transaction: SQLite commits (and on disk,
// fsyncs) after each row, and re-parses the SQL each time. Importing 100k events takes
// minutes. Worse, when row 50 000 is rejected, the first 49 999 stay in the table and a
// retry imports them twice.
//
// Make `import_events` insert all events in ONE transaction, through ONE prepared statement
// reused for every row. Done means: the count is right, the import is all or nothing, and
// no transaction is left open.

use rusqlite::{Connection, Result, params};

pub struct Event {
    pub user_id: i64,
    pub kind: String,
    pub at: i64,
}

pub fn setup(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE events (
             id INTEGER PRIMARY KEY,
             user_id INTEGER NOT NULL,
             kind TEXT NOT NULL,
             at INTEGER NOT NULL
         );",
    )
}

/// Inserts every event and returns how many rows were inserted.
pub fn import_events(conn: &mut Connection, events: &[Event]) -> Result<usize> {
    // TODO: one transaction (`conn.transaction()`), one prepared statement (`prepare`) that
    // is executed once per event, then commit.
    for e in events {
        conn.execute(
            "INSERT INTO events (user_id, kind, at) VALUES (?1, ?2, ?3)",
            params![e.user_id, e.kind, e.at],
        )?;
    }
    Ok(events.len())
}

fn main() -> Result<()> {
    let mut conn = Connection::open_in_memory()?;
    setup(&conn)?;
    let events: Vec<Event> = (0..10_000)
        .map(|i| Event {
            user_id: i % 97,
            kind: "page_view".into(),
            at: i,
        })
        .collect();
    println!("imported {}", import_events(&mut conn, &events)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(n: i64) -> Vec<Event> {
        (0..n)
            .map(|i| Event {
                user_id: i % 7,
                kind: if i == 1500 { "poison" } else { "click" }.into(),
                at: 1_700_000_000 + i,
            })
            .collect()
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        conn
    }

    fn rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn imports_every_event() {
        let mut conn = db();
        let before = conn.total_changes();
        let n = import_events(&mut conn, &events(1000)).unwrap();
        assert_eq!(n, 1000, "returns the number of imported events");
        assert_eq!(rows(&conn), 1000, "every event is a row");
        assert_eq!(
            conn.total_changes() - before,
            1000,
            "exactly one row change per event, nothing else written"
        );
        assert!(conn.is_autocommit(), "the transaction must be committed");
    }

    #[test]
    fn empty_import_is_fine() {
        let mut conn = db();
        assert_eq!(import_events(&mut conn, &[]).unwrap(), 0);
        assert!(conn.is_autocommit());
    }

    #[test]
    fn import_is_one_transaction() {
        let mut conn = db();
        // The database rejects event number 1500, like a constraint on real data would.
        conn.execute_batch(
            "CREATE TRIGGER reject_poison BEFORE INSERT ON events WHEN NEW.kind = 'poison'
             BEGIN SELECT RAISE(ABORT, 'poison event'); END;",
        )
        .unwrap();
        let r = import_events(&mut conn, &events(3000));
        assert!(r.is_err(), "event 1500 is rejected, so the import fails");
        assert_eq!(
            rows(&conn),
            0,
            "the 1500 events before the rejected one must be rolled back too: in one \
             transaction the import is all or nothing (and a retry can't duplicate rows)"
        );
        assert!(
            conn.is_autocommit(),
            "the failed transaction must not stay open"
        );
    }
}
