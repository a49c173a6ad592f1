//! What must survive a restart, in SQLite: the room's secrets (so printed URLs stay valid), the
//! learners, every event (append-only, each stored once) and the instructor's note.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::room::{Event, Room};

pub struct Store {
    conn: Connection,
}

pub struct Secrets {
    pub join_code: String,
    pub instructor: String,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, String> {
        let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
        let conn = Connection::open(path).map_err(fail)?;
        // WAL with NORMAL sync: a committed event survives the server being killed.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS learners (
                 id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                 joined_at INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS events (
                 id INTEGER PRIMARY KEY, learner INTEGER NOT NULL REFERENCES learners(id),
                 client_id TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (learner, client_id));",
        )
        .map_err(fail)?;
        Ok(Store { conn })
    }

    fn meta(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    }

    fn set_meta(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// The room's secrets, made on first start and kept afterwards.
    pub fn secrets(&self, fresh: impl Fn(usize) -> String) -> rusqlite::Result<Secrets> {
        let get = |key: &str, len: usize| -> rusqlite::Result<String> {
            if let Some(value) = self.meta(key)? {
                return Ok(value);
            }
            let value = fresh(len);
            self.set_meta(key, &value)?;
            Ok(value)
        };
        Ok(Secrets {
            join_code: get("join_code", 10)?,
            instructor: get("instructor_secret", 32)?,
        })
    }

    pub fn set_note(&self, note: &str) -> rusqlite::Result<()> {
        self.set_meta("note", note)
    }

    pub fn add_learner(&self, token: &str, name: &str, now: i64) -> rusqlite::Result<i64> {
        self.conn.execute(
            "INSERT INTO learners (token, name, joined_at) VALUES (?1, ?2, ?3)",
            params![token, name, now],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn learner(&self, token: &str) -> rusqlite::Result<Option<i64>> {
        self.conn
            .query_row("SELECT id FROM learners WHERE token = ?1", [token], |r| {
                r.get(0)
            })
            .optional()
    }

    /// Stores the events not stored before (by the client's id) in one transaction and returns
    /// those that are new, for the room.
    pub fn add_events(&mut self, learner: i64, events: Vec<Event>) -> rusqlite::Result<Vec<Event>> {
        let tx = self.conn.transaction()?;
        let mut new = Vec::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO events (learner, client_id, body) VALUES (?1, ?2, ?3)",
            )?;
            for event in events {
                let body = serde_json::to_string(&event).expect("an event serializes");
                if insert.execute(params![learner, event.id, body])? == 1 {
                    new.push(event);
                }
            }
        }
        tx.commit()?;
        Ok(new)
    }

    /// The room as it was when the server stopped.
    pub fn load_room(&self) -> rusqlite::Result<Room> {
        let mut room = Room {
            note: self.meta("note")?.unwrap_or_default(),
            ..Room::default()
        };
        let mut learners = self
            .conn
            .prepare("SELECT id, name FROM learners ORDER BY id")?;
        let rows = learners.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, name) = row?;
            room.add_learner(id, name);
        }
        let mut events = self
            .conn
            .prepare("SELECT learner, body FROM events ORDER BY id")?;
        let rows = events.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (learner, body) = row?;
            // Only this server writes bodies; one it cannot read is skipped, not fatal.
            if let Ok(event) = serde_json::from_str::<Event>(&body) {
                room.apply(learner, &event);
            }
        }
        Ok(room)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::Kind;

    #[test]
    fn events_are_stored_once_and_survive_a_reopen() {
        let dir = std::env::temp_dir().join(format!("classroom-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("room.db");
        let _ = std::fs::remove_file(&path);
        let event = Event {
            id: "e1".into(),
            kind: Kind::Opened,
            exercise: "http1".into(),
            at: 1,
            status: None,
            failing: vec![],
            seconds: 0,
            position: Some(0),
        };
        let code;
        {
            let mut store = Store::open(&path).unwrap();
            code = store.secrets(|n| "x".repeat(n)).unwrap().join_code;
            let id = store.add_learner("tok", "ada", 0).unwrap();
            assert_eq!(store.add_events(id, vec![event.clone()]).unwrap().len(), 1);
            assert_eq!(store.add_events(id, vec![event.clone()]).unwrap().len(), 0);
            store.set_note("break at 11").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.secrets(|n| "y".repeat(n)).unwrap().join_code, code);
        let room = store.load_room().unwrap();
        assert_eq!((room.events, room.note.as_str()), (1, "break at 11"));
        assert_eq!(room.learners[&1].exercise.as_deref(), Some("http1"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
