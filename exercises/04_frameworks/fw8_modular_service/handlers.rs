//! One function per endpoint: parse input, call storage, build the response.

use crate::http::{Request, Response};
use crate::storage::NoteStore;
use serde::Deserialize;

#[derive(Deserialize)]
struct NewNote {
    title: String,
    #[serde(default)]
    body: String,
}

pub fn list_notes(store: &NoteStore) -> Response {
    match store.list() {
        Ok(notes) => Response::json(200, &notes),
        Err(_) => Response::error(500, "storage error"),
    }
}

pub fn create_note(store: &NoteStore, req: &Request) -> Response {
    let Ok(new) = serde_json::from_str::<NewNote>(&req.body) else {
        return Response::error(400, "body must be JSON with a \"title\"");
    };
    if new.title.trim().is_empty() {
        return Response::error(422, "title must not be empty");
    }
    match store.create(new.title.trim(), &new.body) {
        Ok(note) => Response::json(201, &note),
        Err(_) => Response::error(500, "storage error"),
    }
}

pub fn get_note(store: &NoteStore, id: i64) -> Response {
    match store.get(id) {
        Ok(Some(note)) => Response::json(200, &note),
        Ok(None) => Response::error(404, "no such note"),
        Err(_) => Response::error(500, "storage error"),
    }
}

pub fn delete_note(store: &NoteStore, id: i64) -> Response {
    // TODO: 204 No Content (empty body) when the note was deleted, 404 when there was no such
    // note, 500 on a storage error. `get_note` above has the same shape.
    let _ = (store, id);
    todo!()
}
