// The analytics importer loads a file of events into SQLite, one `conn.execute` per event.
// Outside a transaction every INSERT is its own transaction: SQLite commits (and on disk,
// fsyncs) after each row, and re-parses the SQL each time. Importing 100k events takes
// minutes. Worse, when row 50 000 is rejected, the first 49 999 stay in the table and a
// retry imports them twice.
//
// Make `import_events` insert all events in ONE transaction, through ONE prepared statement
// reused for every row. Done means: the count is right, the import is all or nothing, no
// transaction is left open, and (the tests trace it) every row ran through the same statement.

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
    let tx = conn.transaction()?;
    {
        // The statement borrows `tx`, so it must be dropped before `commit` consumes `tx`.
        let mut insert =
            tx.prepare("INSERT INTO events (user_id, kind, at) VALUES (?1, ?2, ?3)")?;
        for e in events {
            insert.execute(params![e.user_id, e.kind, e.at])?;
        }
    }
    tx.commit()?;
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
    use rusqlite::StatementStatus;
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    use std::cell::RefCell;

    thread_local! {
        /// Each statement execution: its SQL text and how often that same prepared
        /// statement had run before.
        static EXECUTIONS: RefCell<Vec<(String, i32)>> = const { RefCell::new(Vec::new()) };
    }

    fn record(event: TraceEvent<'_>) {
        if let TraceEvent::Stmt(stmt, sql) = event {
            let runs_before = stmt.get_status(StatementStatus::Run);
            EXECUTIONS.with_borrow_mut(|e| e.push((sql.to_owned(), runs_before)));
        }
    }

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
    fn one_prepared_statement_runs_once_per_event() {
        let mut conn = db();
        EXECUTIONS.with_borrow_mut(Vec::clear);
        conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
        let r = import_events(&mut conn, &events(1000));
        conn.trace_v2(TraceEventCodes::empty(), None);
        r.unwrap();
        let inserts: Vec<(String, i32)> = EXECUTIONS
            .take()
            .into_iter()
            .filter(|(sql, _)| sql.to_uppercase().contains("INSERT"))
            .collect();
        assert_eq!(
            inserts.len(),
            1000,
            "one INSERT execution per event (rows as bound parameters)"
        );
        assert!(
            inserts.iter().all(|(sql, _)| !sql.contains("click")),
            "event data goes into bound parameters, never into the SQL text: {:?}",
            inserts[0].0
        );
        let reuses = inserts.iter().map(|&(_, runs)| runs).max().unwrap_or(0);
        assert_eq!(
            reuses,
            999,
            "the 1000 INSERTs must be one prepared statement run 1000 times; the busiest \
             statement ran only {} times. `execute` on the connection prepares (parses and \
             plans) the SQL again for every row",
            reuses + 1
        );
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
