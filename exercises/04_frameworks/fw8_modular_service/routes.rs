//! The URL table: which handler answers which method + path.

use crate::handlers;
use crate::http::{Request, Response};
use crate::storage::NoteStore;

pub fn route(store: &NoteStore, req: &Request) -> Response {
    let segments: Vec<&str> = req.path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["notes"] => match req.method.as_str() {
            "GET" => handlers::list_notes(store),
            "POST" => handlers::create_note(store, req),
            _ => Response::error(405, "method not allowed"),
        },
        ["notes", id] => {
            let Ok(id) = id.parse::<i64>() else {
                return Response::error(404, "no such note");
            };
            match req.method.as_str() {
                "GET" => handlers::get_note(store, id),
                // TODO: DELETE /notes/{id} goes to handlers::delete_note.
                _ => Response::error(405, "method not allowed"),
            }
        }
        _ => Response::error(404, "not found"),
    }
}
