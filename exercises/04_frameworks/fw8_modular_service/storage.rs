//! The storage layer: everything that knows SQL lives here.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub id: i64,
    pub title: String,
    pub body: String,
}

pub struct NoteStore {
    conn: Connection,
}

/// A store on `conn`, creating the notes table unless it is there already. LOCKED: the grader
/// restores this function as the course ships it. The tests open stores on connections they
/// prepared: they trace the SQL the store runs, and can make a statement fail.
pub fn open_with(conn: Connection) -> rusqlite::Result<NoteStore> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS notes (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL
        );",
    )?;
    Ok(NoteStore { conn })
}

impl NoteStore {
    pub fn open_in_memory() -> rusqlite::Result<Self> {
        open_with(Connection::open_in_memory()?)
    }

    pub fn create(&self, title: &str, body: &str) -> rusqlite::Result<Note> {
        self.conn.execute(
            "INSERT INTO notes (title, body) VALUES (?1, ?2)",
            params![title, body],
        )?;
        Ok(Note {
            id: self.conn.last_insert_rowid(),
            title: title.to_string(),
            body: body.to_string(),
        })
    }

    pub fn get(&self, id: i64) -> rusqlite::Result<Option<Note>> {
        self.conn
            .query_row(
                "SELECT id, title, body FROM notes WHERE id = ?1",
                params![id],
                |row| {
                    Ok(Note {
                        id: row.get(0)?,
                        title: row.get(1)?,
                        body: row.get(2)?,
                    })
                },
            )
            .optional()
    }

    pub fn list(&self) -> rusqlite::Result<Vec<Note>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, title, body FROM notes ORDER BY id")?;
        let rows = stmt.query_map([], |row| {
            Ok(Note {
                id: row.get(0)?,
                title: row.get(1)?,
                body: row.get(2)?,
            })
        })?;
        rows.collect()
    }

    /// Deletes the note; `Ok(true)` if it existed, `Ok(false)` if there was nothing to delete.
    pub fn delete(&self, id: i64) -> rusqlite::Result<bool> {
        // TODO: run ONE DELETE statement, with the id as a bound parameter (`?1`, bound as the
        // integer it is, not as text), never pasted into the SQL text (the tests trace what
        // SQLite runs). `Connection::execute` returns how many rows changed.
        let _ = id;
        todo!()
    }
}
