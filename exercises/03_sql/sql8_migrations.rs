// The service runs `migrate` at every start-up. Today it replays every migration each time,
// so the second start crashes with "table users already exists", and a migration that fails
// halfway leaves a half-changed schema behind.
//
// SQLite keeps a free integer in the database header, `PRAGMA user_version` (0 in a new
// database). Use it as "number of migrations applied": on start-up apply only
// `migrations[version..]`, each one in its own transaction together with the version bump,
// so a migration is applied completely or not at all. Refuse to touch a database whose version
// is higher than the migrations this binary knows (it was migrated by a newer release).
// `migrate` leaves the connection's settings (PRAGMAs such as `foreign_keys`) as it found them.
// The tests trace the statements `migrate` runs to check where each transaction begins and ends.

use rusqlite::Connection;

pub const MIGRATIONS: &[&str] = &[
    "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);",
    "ALTER TABLE users ADD COLUMN display_name TEXT;",
    "CREATE TABLE sessions (
         token TEXT PRIMARY KEY,
         user_id INTEGER NOT NULL REFERENCES users(id)
     );
     CREATE INDEX sessions_user ON sessions (user_id);",
];

#[derive(Debug)]
pub enum MigrateError {
    /// The database was migrated further than the migrations we know.
    TooNew { db_version: u32, known: usize },
    /// Migration number `version` (1-based: the version it would have produced) failed.
    Failed {
        version: u32,
        source: rusqlite::Error,
    },
}

pub fn schema_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Applies the pending migrations and returns how many were applied.
pub fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<usize, MigrateError> {
    // TODO: read the current version, refuse a database that is too new, and apply only the
    // pending migrations, each in a transaction that also sets `user_version` (see
    // `Connection::pragma_update`).
    for (i, sql) in migrations.iter().enumerate() {
        conn.execute_batch(sql)
            .map_err(|source| MigrateError::Failed {
                version: i as u32 + 1,
                source,
            })?;
    }
    Ok(migrations.len())
}

fn main() -> Result<(), MigrateError> {
    let mut conn = Connection::open_in_memory().expect("in-memory database");
    println!("applied {}", migrate(&mut conn, MIGRATIONS)?);
    println!("applied {}", migrate(&mut conn, MIGRATIONS)?);
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

    fn is_version_bump(sql: &str) -> bool {
        let upper = sql.to_uppercase();
        upper.contains("USER_VERSION") && (upper.contains('=') || upper.contains('('))
    }

    /// Splits traced statements into the transactions (BEGIN ... COMMIT/ROLLBACK) and the
    /// changes that ran outside any transaction.
    fn transactions(statements: &[String]) -> (Vec<Vec<String>>, Vec<String>) {
        let (mut done, mut outside) = (Vec::new(), Vec::new());
        let mut current: Option<Vec<String>> = None;
        let mut depth = 0usize;
        for sql in statements {
            let upper = sql.trim_start().to_uppercase();
            let first = upper.split_whitespace().next().unwrap_or("");
            match first {
                "BEGIN" | "SAVEPOINT" => {
                    depth += 1;
                    current.get_or_insert_with(Vec::new);
                }
                "COMMIT" | "END" | "RELEASE" | "ROLLBACK" => {
                    let closes_all = first != "RELEASE" && !upper.contains(" TO ");
                    depth = if closes_all {
                        0
                    } else {
                        depth.saturating_sub(1)
                    };
                    if depth == 0 {
                        done.extend(current.take());
                    }
                }
                _ if first == "SELECT" || (first == "PRAGMA" && !is_version_bump(sql)) => {}
                _ => match current.as_mut() {
                    Some(tx) => tx.push(sql.clone()),
                    None => outside.push(sql.clone()),
                },
            }
        }
        (done, outside)
    }

    fn table_exists(conn: &Connection, name: &str) -> bool {
        conn.query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    }

    #[test]
    fn fresh_database_gets_every_migration() {
        let mut conn = Connection::open_in_memory().unwrap();
        let applied = migrate(&mut conn, MIGRATIONS).expect("a fresh database migrates");
        assert_eq!(applied, 3, "all 3 migrations are pending on a new database");
        assert_eq!(
            schema_version(&conn).unwrap(),
            3,
            "user_version = migrations applied"
        );
        conn.execute(
            "INSERT INTO users (email, display_name) VALUES ('a@x.io', 'Ada')",
            [],
        )
        .expect("users has the column added by migration 2");
        assert!(table_exists(&conn, "sessions"));
    }

    #[test]
    fn each_migration_commits_together_with_its_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        let (r, statements, _) = traced(&mut conn, |c| migrate(c, MIGRATIONS));
        assert!(matches!(r, Ok(3)), "a fresh database migrates, got {r:?}");
        let (txs, outside) = transactions(&statements);
        assert!(
            outside.is_empty(),
            "these changes ran outside a transaction: {outside:?}. If the process dies right \
             after one of them, the schema and user_version disagree (all statements: \
             {statements:?})"
        );
        let shape: Vec<(usize, usize)> = txs
            .iter()
            .map(|tx| {
                let bumps = tx.iter().filter(|s| is_version_bump(s)).count();
                (tx.len() - bumps, bumps)
            })
            .filter(|&(changes, bumps)| changes + bumps > 0)
            .collect();
        assert!(
            shape.len() == 3
                && shape
                    .iter()
                    .all(|&(changes, bumps)| changes > 0 && bumps == 1),
            "expected 3 transactions, each with one migration's statements and its \
             user_version bump; got {txs:?}"
        );
    }

    #[test]
    fn running_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, MIGRATIONS).unwrap();
        let again = migrate(&mut conn, MIGRATIONS);
        assert!(
            matches!(again, Ok(0)),
            "the second start-up must apply nothing (user_version is already 3), got {again:?}"
        );
        assert_eq!(schema_version(&conn).unwrap(), 3);
    }

    #[test]
    fn only_new_migrations_run_and_data_survives() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn, &MIGRATIONS[..1]).unwrap(), 1);
        conn.execute("INSERT INTO users (email) VALUES ('a@x.io')", [])
            .unwrap();
        let applied = migrate(&mut conn, MIGRATIONS).unwrap();
        assert_eq!(
            applied, 2,
            "the release with 3 migrations finds version 1 and applies only 2 and 3"
        );
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1, "migrating must not lose existing rows");
        assert_eq!(
            schema_version(&conn).unwrap(),
            3,
            "version 1 plus the 2 migrations applied now: user_version counts from the \
             database's version, not from 1 within the pending ones"
        );
        let again = migrate(&mut conn, MIGRATIONS);
        assert!(
            matches!(again, Ok(0)),
            "the next start-up finds version 3 and applies nothing, got {again:?}"
        );
    }

    #[test]
    fn successive_releases_count_versions_from_the_database() {
        // Each list is the number of migrations known by successive releases.
        for releases in [&[1, 2, 3][..], &[1, 3], &[2, 3], &[0, 2, 2, 3], &[3, 3]] {
            let mut conn = Connection::open_in_memory().unwrap();
            let mut version = 0;
            for &known in releases {
                let r = migrate(&mut conn, &MIGRATIONS[..known]);
                assert!(
                    matches!(r, Ok(n) if n == known - version),
                    "releases {releases:?}: at version {version}, a release with {known} \
                     migrations applies {}, got {r:?}",
                    known - version
                );
                version = known;
                assert_eq!(
                    schema_version(&conn).unwrap() as usize,
                    version,
                    "releases {releases:?}: after the release with {known} migrations, \
                     user_version is {known}"
                );
            }
        }
    }

    #[test]
    fn a_failure_after_earlier_releases_names_its_own_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, &MIGRATIONS[..1]).unwrap();
        let broken = [
            MIGRATIONS[0],
            MIGRATIONS[1],
            "INSERT INTO no_such_table VALUES (1);",
        ];
        let r = migrate(&mut conn, &broken);
        assert!(
            matches!(r, Err(MigrateError::Failed { version: 3, .. })),
            "the database was at version 1, migration 2 applies and migration 3 fails: the \
             error names version 3, got {r:?}"
        );
        assert_eq!(schema_version(&conn).unwrap(), 2);
    }

    #[test]
    fn failed_migration_is_rolled_back_completely() {
        let mut conn = Connection::open_in_memory().unwrap();
        let broken = [
            MIGRATIONS[0],
            MIGRATIONS[1],
            "CREATE TABLE audit (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);",
        ];
        let r = migrate(&mut conn, &broken);
        assert!(
            matches!(r, Err(MigrateError::Failed { version: 3, .. })),
            "the third migration fails, got {r:?}"
        );
        assert_eq!(
            schema_version(&conn).unwrap(),
            2,
            "migrations 1 and 2 were committed, 3 was not"
        );
        assert!(
            !table_exists(&conn, "audit"),
            "the first half of migration 3 (CREATE TABLE audit) must be rolled back with it, \
             otherwise the next start-up fails with `table audit already exists`"
        );
        assert!(conn.is_autocommit(), "no transaction may stay open");
    }

    /// The connection-wide settings a migration runner is tempted to change.
    fn settings(conn: &Connection) -> Vec<(&'static str, i64)> {
        [
            "foreign_keys",
            "defer_foreign_keys",
            "legacy_alter_table",
            "recursive_triggers",
            "ignore_check_constraints",
            "synchronous",
            "busy_timeout",
        ]
        .into_iter()
        .map(|name| {
            let value = conn.pragma_query_value(None, name, |r| r.get(0)).unwrap();
            (name, value)
        })
        .collect()
    }

    #[test]
    fn the_connection_settings_are_left_as_they_were() {
        let broken = [MIGRATIONS[0], "INSERT INTO no_such_table VALUES (1);"];
        for (label, migrations) in [("success", MIGRATIONS), ("failure", &broken[..])] {
            let mut conn = Connection::open_in_memory().unwrap();
            conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 1234;")
                .unwrap();
            let before = settings(&conn);
            let _ = migrate(&mut conn, migrations);
            assert_eq!(
                settings(&conn),
                before,
                "after a migration {label}, the connection's settings changed. The service \
                 keeps using this connection: a PRAGMA turned off for a migration (foreign \
                 keys, say) must be put back, on every path out of migrate"
            );
        }
    }

    #[test]
    fn database_from_a_newer_release_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
        let r = migrate(&mut conn, MIGRATIONS);
        assert!(
            matches!(
                r,
                Err(MigrateError::TooNew {
                    db_version: 7,
                    known: 3
                })
            ),
            "version 7 > 3 known migrations: an old binary must not guess, got {r:?}"
        );
    }
}
