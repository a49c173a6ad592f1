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

impl NoteStore {
    pub fn open_in_memory() -> rusqlite::Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE TABLE notes (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                body TEXT NOT NULL
            );",
        )?;
        Ok(NoteStore { conn })
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
        // TODO: run a DELETE statement. `Connection::execute` returns how many rows changed.
        let _ = id;
        todo!()
    }
}
