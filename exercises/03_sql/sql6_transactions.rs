// The wallet service moves money between accounts in three steps: debit the sender, credit
// the receiver, write a ledger row. Support found money that vanished: a transfer to a closed
// (deleted) account debited the sender, then failed on the credit, and nothing put the money
// back. The same happens when the ledger insert fails.
//
// Make `transfer` atomic: run the three steps in one transaction, so that either all of them
// are committed or none is. Done means: every failed transfer leaves all balances and the
// ledger exactly as they were, and the connection is not left inside an open transaction.
// The tests trace the statements you run: every write must happen inside the transaction
// (putting money back with another UPDATE is not all-or-nothing: a crash in between loses it).

use rusqlite::{Connection, params};

#[derive(Debug)]
pub enum TransferError {
    InsufficientFunds,
    UnknownAccount(i64),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for TransferError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            // The CHECK (balance >= 0) constraint is what refuses an overdraft.
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_CHECK =>
            {
                TransferError::InsufficientFunds
            }
            e => TransferError::Db(e),
        }
    }
}

pub fn setup(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE accounts (
             id INTEGER PRIMARY KEY,
             balance INTEGER NOT NULL CHECK (balance >= 0)
         );
         CREATE TABLE ledger (
             id INTEGER PRIMARY KEY,
             from_id INTEGER NOT NULL,
             to_id INTEGER NOT NULL,
             amount INTEGER NOT NULL
         );
         INSERT INTO accounts (id, balance) VALUES (1, 100), (2, 50);",
    )
}

pub fn transfer(
    conn: &mut Connection,
    from: i64,
    to: i64,
    amount: i64,
) -> Result<(), TransferError> {
    // TODO: the three steps below must succeed or fail together. Start a transaction
    // (`Connection::transaction`), run the steps on it and commit at the end.
    let debited = conn.execute(
        "UPDATE accounts SET balance = balance - ?1 WHERE id = ?2",
        params![amount, from],
    )?;
    if debited == 0 {
        return Err(TransferError::UnknownAccount(from));
    }
    let credited = conn.execute(
        "UPDATE accounts SET balance = balance + ?1 WHERE id = ?2",
        params![amount, to],
    )?;
    if credited == 0 {
        return Err(TransferError::UnknownAccount(to));
    }
    conn.execute(
        "INSERT INTO ledger (from_id, to_id, amount) VALUES (?1, ?2, ?3)",
        params![from, to, amount],
    )?;
    Ok(())
}

fn main() -> rusqlite::Result<()> {
    let mut conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("{:?}", transfer(&mut conn, 1, 2, 30));
    println!("{:?}", transfer(&mut conn, 1, 99, 30));
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
    fn traced<T>(
        conn: &mut Connection,
        f: impl FnOnce(&mut Connection) -> T,
    ) -> (T, Vec<String>, usize) {
        STATEMENTS.with_borrow_mut(Vec::clear);
        ROWS.set(0);
        let codes = TraceEventCodes::SQLITE_TRACE_STMT | TraceEventCodes::SQLITE_TRACE_ROW;
        conn.trace_v2(codes, Some(record));
        let out = f(conn);
        conn.trace_v2(TraceEventCodes::empty(), None);
        (out, STATEMENTS.take(), ROWS.get())
    }

    /// The writes among `statements` that ran outside BEGIN ... COMMIT/ROLLBACK.
    fn writes_outside_a_transaction(statements: &[String]) -> Vec<String> {
        let mut depth = 0usize;
        let mut outside = Vec::new();
        for sql in statements {
            let upper = sql.trim_start().to_uppercase();
            match upper.split_whitespace().next().unwrap_or("") {
                "BEGIN" | "SAVEPOINT" => depth += 1,
                "RELEASE" => depth = depth.saturating_sub(1),
                "COMMIT" | "END" => depth = 0,
                "ROLLBACK" if !upper.contains(" TO ") => depth = 0,
                "UPDATE" | "INSERT" | "DELETE" | "REPLACE" if depth == 0 => {
                    outside.push(sql.clone())
                }
                _ => {}
            }
        }
        outside
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        conn
    }

    fn balances(conn: &Connection) -> Vec<(i64, i64)> {
        let mut stmt = conn
            .prepare("SELECT id, balance FROM accounts ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn ledger_rows(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM ledger", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn successful_transfer_moves_money_and_writes_ledger() {
        let mut conn = db();
        transfer(&mut conn, 1, 2, 30).expect("1 has 100, can send 30");
        assert_eq!(balances(&conn), [(1, 70), (2, 80)]);
        assert_eq!(ledger_rows(&conn), 1, "one ledger row per transfer");
        assert!(conn.is_autocommit(), "the transaction must be committed");
    }

    #[test]
    fn overdraft_is_refused() {
        let mut conn = db();
        let r = transfer(&mut conn, 2, 1, 51);
        assert!(
            matches!(r, Err(TransferError::InsufficientFunds)),
            "2 only has 50: the CHECK constraint fails, got {r:?}"
        );
        assert_eq!(balances(&conn), [(1, 100), (2, 50)]);
    }

    #[test]
    fn failed_credit_rolls_back_the_debit() {
        let mut conn = db();
        let r = transfer(&mut conn, 1, 99, 30);
        assert!(
            matches!(r, Err(TransferError::UnknownAccount(99))),
            "account 99 does not exist, got {r:?}"
        );
        assert_eq!(
            balances(&conn),
            [(1, 100), (2, 50)],
            "the debit of account 1 happened before the credit failed; without a \
             transaction it stays, and 30 disappear"
        );
        assert!(
            conn.is_autocommit(),
            "after a failure the transaction must be rolled back, not left open"
        );
    }

    #[test]
    fn a_receiver_closed_during_the_transfer_is_unknown() {
        let mut conn = db();
        // Debiting account 1 closes account 2, as another request could do between a check
        // and the credit: only the result of the credit itself tells whether it happened.
        conn.execute_batch(
            "CREATE TRIGGER close_receiver AFTER UPDATE ON accounts WHEN NEW.id = 1
             BEGIN DELETE FROM accounts WHERE id = 2; END;",
        )
        .unwrap();
        let r = transfer(&mut conn, 1, 2, 30);
        assert!(
            matches!(r, Err(TransferError::UnknownAccount(2))),
            "account 2 was gone when the credit ran (it changed no row): the transfer fails \
             with UnknownAccount(2), got {r:?}. A SELECT before the transaction proves nothing \
             about the moment of the credit: check how many rows the credit changed"
        );
        assert_eq!(
            balances(&conn),
            [(1, 100), (2, 50)],
            "the failed transfer is rolled back whole: the debit, and the closing it caused"
        );
        assert_eq!(
            ledger_rows(&conn),
            0,
            "no transfer happened, so no ledger row"
        );
        assert!(conn.is_autocommit(), "no transaction may stay open");
    }

    #[test]
    fn unknown_sender_creates_no_money() {
        let mut conn = db();
        let r = transfer(&mut conn, 99, 2, 30);
        assert!(
            matches!(r, Err(TransferError::UnknownAccount(99))),
            "account 99 does not exist, so it cannot send anything: the debit changed no row, \
             got {r:?}"
        );
        assert_eq!(
            balances(&conn),
            [(1, 100), (2, 50)],
            "a debit of no account followed by a credit creates 30 out of nothing"
        );
        assert_eq!(
            ledger_rows(&conn),
            0,
            "no transfer happened, so no ledger row"
        );
        assert!(conn.is_autocommit(), "no transaction may stay open");
    }

    #[test]
    fn database_errors_are_not_unknown_accounts() {
        let mut conn = db();
        conn.execute_batch("DROP TABLE accounts").unwrap();
        let r = transfer(&mut conn, 1, 2, 30);
        assert!(
            matches!(r, Err(TransferError::Db(_))),
            "the accounts table is gone: that is a database error (500), not an unknown \
             account (404); do not turn every error into an answer with `.ok()`, got {r:?}"
        );
        assert!(conn.is_autocommit(), "no transaction may stay open");
    }

    #[test]
    fn failed_ledger_write_rolls_back_both_updates() {
        let mut conn = db();
        conn.execute_batch(
            "CREATE TRIGGER ledger_down BEFORE INSERT ON ledger
             BEGIN SELECT RAISE(ABORT, 'ledger is read-only'); END;",
        )
        .unwrap();
        let r = transfer(&mut conn, 1, 2, 30);
        assert!(
            matches!(r, Err(TransferError::Db(_))),
            "the ledger insert fails: a database error, got {r:?}"
        );
        assert_eq!(
            balances(&conn),
            [(1, 100), (2, 50)],
            "debit and credit both succeeded, then the last step failed: all or nothing"
        );
        assert_eq!(ledger_rows(&conn), 0);
        assert!(conn.is_autocommit(), "no transaction may stay open");
    }

    #[test]
    fn a_failed_commit_is_a_failed_transfer() {
        let mut conn = db();
        // Every ledger row now writes an audit row whose foreign key points nowhere. The key
        // is DEFERRABLE INITIALLY DEFERRED: SQLite checks it only at COMMIT, so every step of
        // the transfer succeeds and the COMMIT itself fails.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             CREATE TABLE auditors (id INTEGER PRIMARY KEY);
             CREATE TABLE audit (
                 auditor_id INTEGER NOT NULL
                     REFERENCES auditors(id) DEFERRABLE INITIALLY DEFERRED
             );
             CREATE TRIGGER audit_ledger AFTER INSERT ON ledger
             BEGIN INSERT INTO audit (auditor_id) VALUES (42); END;",
        )
        .unwrap();
        let r = transfer(&mut conn, 1, 2, 30);
        assert!(
            matches!(r, Err(TransferError::Db(_))),
            "the COMMIT failed (a deferred foreign key), so nothing was transferred: that is a \
             database error, not Ok; the result of commit() must not be thrown away, got {r:?}"
        );
        assert_eq!(
            balances(&conn),
            [(1, 100), (2, 50)],
            "a transaction whose COMMIT failed changed nothing"
        );
        assert_eq!(ledger_rows(&conn), 0);
        assert!(conn.is_autocommit(), "no transaction may stay open");
    }

    #[test]
    fn every_write_runs_inside_the_transaction() {
        let mut conn = db();
        for (to, amount) in [(2, 10), (99, 10), (2, 1000)] {
            let (r, statements, _) = traced(&mut conn, |c| transfer(c, 1, to, amount));
            let outside = writes_outside_a_transaction(&statements);
            assert!(
                outside.is_empty(),
                "transfer(1 -> {to}, {amount}) returned {r:?} and ran these writes outside a \
                 transaction: {outside:?} (all statements: {statements:?}). Undoing a step \
                 with another UPDATE is not atomic: a crash or error in between loses money"
            );
        }
    }

    #[test]
    fn later_transfers_still_work_after_a_failure() {
        let mut conn = db();
        let _ = transfer(&mut conn, 1, 99, 30);
        transfer(&mut conn, 1, 2, 10).expect("a failure must not poison the connection");
        assert_eq!(balances(&conn), [(1, 90), (2, 60)]);
    }
}
