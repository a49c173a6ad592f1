// The wiki's edit form loads a page, the user edits for a few minutes, then saves. When Alice
// and Bob edit the same page at the same time, whoever saves last silently overwrites the
// other one's work (a "lost update"). Holding a database lock for minutes is not an option.
//
// Use optimistic locking: every row has a `version`. The form remembers the version it
// loaded, and a save succeeds only if the row is still at that version, moving it to the next
// one. If someone saved in between, `save` must report a `Conflict` (the API answers 409 and
// the user reloads) instead of overwriting. Checking the version and writing the row must be
// one atomic step, without holding a transaction open: the tests let another writer save
// between your statements.

use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, PartialEq)]
pub struct Page {
    pub id: i64,
    pub title: String,
    pub version: i64,
}

#[derive(Debug)]
pub enum SaveError {
    /// Someone else saved first; the page is now at `current_version`.
    Conflict {
        current_version: i64,
    },
    NotFound,
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for SaveError {
    fn from(e: rusqlite::Error) -> Self {
        SaveError::Db(e)
    }
}

pub fn setup(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE pages (
             id INTEGER PRIMARY KEY,
             title TEXT NOT NULL,
             version INTEGER NOT NULL DEFAULT 1
         );
         INSERT INTO pages (id, title) VALUES (1, 'Onboarding'), (2, 'On-call');",
    )
}

pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<Page>> {
    conn.query_row(
        "SELECT id, title, version FROM pages WHERE id = ?1",
        [id],
        |r| {
            Ok(Page {
                id: r.get(0)?,
                title: r.get(1)?,
                version: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Saves a new title if the page is still at `expected_version`; returns the new version.
pub fn save(
    conn: &Connection,
    id: i64,
    expected_version: i64,
    title: &str,
) -> Result<i64, SaveError> {
    let changed = conn.execute(
        "UPDATE pages SET title = ?1, version = version + 1 WHERE id = ?2 AND version = ?3",
        params![title, id, expected_version],
    )?;
    if changed == 1 {
        return Ok(expected_version + 1);
    }
    // 0 rows: either the page is gone or its version moved on. Tell the two apart.
    match load(conn, id)? {
        Some(page) => Err(SaveError::Conflict {
            current_version: page.version,
        }),
        None => Err(SaveError::NotFound),
    }
}

fn main() -> Result<(), SaveError> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("{:?}", save(&conn, 1, 1, "Onboarding v2"));
    println!("{:?}", save(&conn, 1, 1, "stale edit"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    use std::cell::{Cell, RefCell};

    thread_local! {
        /// A second connection to the same database: Bob, saving at the worst moment.
        static OTHER_WRITER: RefCell<Option<Connection>> = const { RefCell::new(None) };
        static OTHER_SAVED: Cell<bool> = const { Cell::new(false) };
        static UPDATE_STARTED: Cell<bool> = const { Cell::new(false) };
    }

    struct TempFile(std::path::PathBuf);

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Trace hook: right before the first UPDATE of the traced connection starts, Bob saves
    /// page 1 through his own connection (version 1 -> 2).
    fn bob_saves_first(event: TraceEvent<'_>) {
        let TraceEvent::Stmt(_, sql) = event else {
            return;
        };
        if !sql.trim_start().to_uppercase().starts_with("UPDATE") {
            return;
        }
        if let Some(bob) = OTHER_WRITER.take() {
            let saved = bob.execute(
                "UPDATE pages SET title = 'Bob''s title', version = version + 1 WHERE id = 1",
                [],
            );
            OTHER_SAVED.set(matches!(saved, Ok(1)));
        }
    }

    /// Trace hook: once the traced connection has started an UPDATE, Bob saves page 1 right
    /// before the next statement of that connection starts (if there is one).
    fn bob_saves_after_your_update(event: TraceEvent<'_>) {
        let TraceEvent::Stmt(_, sql) = event else {
            return;
        };
        if !UPDATE_STARTED.get() {
            if sql.trim_start().to_uppercase().starts_with("UPDATE") {
                UPDATE_STARTED.set(true);
            }
            return;
        }
        if let Some(bob) = OTHER_WRITER.take() {
            let saved = bob.execute(
                "UPDATE pages SET title = 'Bob''s title', version = version + 1 WHERE id = 1",
                [],
            );
            OTHER_SAVED.set(matches!(saved, Ok(1)));
        }
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        conn
    }

    fn page(conn: &Connection, id: i64) -> Page {
        load(conn, id).unwrap().unwrap()
    }

    #[test]
    fn save_bumps_the_version() {
        let conn = db();
        let v = save(&conn, 1, 1, "Onboarding (2024)").expect("nobody else edited page 1");
        assert_eq!(v, 2, "a successful save returns the new version");
        assert_eq!(
            page(&conn, 1),
            Page {
                id: 1,
                title: "Onboarding (2024)".into(),
                version: 2
            },
            "the row holds the new title and the incremented version"
        );
    }

    #[test]
    fn stale_save_is_a_conflict_not_a_lost_update() {
        let conn = db();
        let alice = page(&conn, 1);
        let bob = page(&conn, 1);
        save(&conn, alice.id, alice.version, "Alice's title").unwrap();
        let r = save(&conn, bob.id, bob.version, "Bob's title");
        assert!(
            matches!(r, Err(SaveError::Conflict { current_version: 2 })),
            "Bob loaded version 1 but Alice already saved version 2: Conflict, got {r:?}"
        );
        assert_eq!(
            page(&conn, 1).title,
            "Alice's title",
            "Bob's stale save must not overwrite Alice's edit"
        );
    }

    #[test]
    fn a_save_between_your_read_and_your_write_is_a_conflict() {
        // Two connections to one database file, like two app servers.
        let file = TempFile(
            std::env::temp_dir().join(format!("backendlings-sql9-{}.sqlite", std::process::id())),
        );
        let _ = std::fs::remove_file(&file.0);
        let conn = Connection::open(&file.0).unwrap();
        setup(&conn).unwrap();
        OTHER_WRITER.set(Some(Connection::open(&file.0).unwrap()));
        OTHER_SAVED.set(false);
        let alice = page(&conn, 1);
        conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(bob_saves_first));
        let r = save(&conn, alice.id, alice.version, "Alice's title");
        conn.trace_v2(TraceEventCodes::empty(), None);
        assert!(
            OTHER_SAVED.get(),
            "the test makes another writer save just before your UPDATE runs, but it could \
             not: either save ran no UPDATE, or it held a transaction open that locked the \
             other writer out (optimistic locking needs no lock)"
        );
        assert!(
            matches!(r, Err(SaveError::Conflict { current_version: 2 })),
            "Bob saved version 2 after Alice's save read the page and before it wrote: \
             Conflict {{ current_version: 2 }}, got {r:?}. A version checked by an earlier \
             read is already stale; the check must be part of the write itself"
        );
        assert_eq!(
            page(&conn, 1).title,
            "Bob's title",
            "Alice's save must not overwrite Bob's"
        );
    }

    #[test]
    fn the_new_version_is_the_one_your_update_wrote() {
        let file = TempFile(std::env::temp_dir().join(format!(
            "backendlings-sql9-after-{}.sqlite",
            std::process::id()
        )));
        let _ = std::fs::remove_file(&file.0);
        let conn = Connection::open(&file.0).unwrap();
        setup(&conn).unwrap();
        OTHER_WRITER.set(Some(Connection::open(&file.0).unwrap()));
        OTHER_SAVED.set(false);
        UPDATE_STARTED.set(false);
        conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(bob_saves_after_your_update),
        );
        let r = save(&conn, 1, 1, "Alice's title");
        conn.trace_v2(TraceEventCodes::empty(), None);
        OTHER_WRITER.take();
        assert!(
            matches!(r, Ok(2)),
            "Alice's UPDATE moved page 1 from version 1 to 2, so save returns 2, got {r:?} \
             (another writer saved right after your UPDATE: {}). The version your UPDATE \
             wrote is expected_version + 1; reading it back with another statement returns \
             whatever the row holds by then",
            OTHER_SAVED.get()
        );
    }

    #[test]
    fn retry_after_reload_succeeds() {
        let conn = db();
        save(&conn, 1, 1, "Alice's title").unwrap();
        assert!(save(&conn, 1, 1, "Bob's title").is_err());
        let fresh = page(&conn, 1);
        let v = save(&conn, 1, fresh.version, "Bob's title, merged").unwrap();
        assert_eq!(
            v, 3,
            "after reloading version 2, Bob's save produces version 3"
        );
        assert_eq!(page(&conn, 2).version, 1, "other pages are untouched");
    }

    #[test]
    fn only_the_exact_version_may_save() {
        let conn = db();
        for expected in [0, 2, 99] {
            let r = save(&conn, 1, expected, "from another tab");
            assert!(
                matches!(r, Err(SaveError::Conflict { current_version: 1 })),
                "page 1 is at version 1; a save expecting version {expected} did not load \
                 the current page: Conflict {{ current_version: 1 }}, got {r:?}. The check is \
                 `version = ?`, and the new version is the row's own `version + 1`, never a \
                 number the client sent"
            );
        }
        assert_eq!(
            page(&conn, 1),
            Page {
                id: 1,
                title: "Onboarding".into(),
                version: 1
            },
            "refused saves leave the row as it was"
        );
    }

    #[test]
    fn a_stale_save_of_the_same_title_is_still_a_conflict() {
        let conn = db();
        save(&conn, 1, 1, "Onboarding v2").unwrap();
        for title in ["Onboarding v2", "Onboarding"] {
            let r = save(&conn, 1, 1, title);
            assert!(
                matches!(r, Err(SaveError::Conflict { current_version: 2 })),
                "page 1 is at version 2; a save of {title:?} expecting version 1 is stale, \
                 whatever its title: Conflict {{ current_version: 2 }}, got {r:?}. The version \
                 alone decides (`version = ?`), not the content"
            );
        }
        assert_eq!(
            page(&conn, 1),
            Page {
                id: 1,
                title: "Onboarding v2".into(),
                version: 2
            },
            "refused saves leave the row (and its version) as it was"
        );
    }

    #[test]
    fn missing_page_is_not_found() {
        let conn = db();
        let r = save(&conn, 99, 1, "ghost");
        assert!(
            matches!(r, Err(SaveError::NotFound)),
            "0 rows changed because the page does not exist: NotFound (404), not a \
             Conflict (409), got {r:?}"
        );
    }
}
