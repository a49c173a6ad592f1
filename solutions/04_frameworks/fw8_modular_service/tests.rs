use crate::http::Request;
use crate::routes::route;
use crate::storage::NoteStore;
use serde_json::{Value, json};

fn store_with_two_notes() -> NoteStore {
    let store = NoteStore::open_in_memory().unwrap();
    store.create("groceries", "milk, eggs").unwrap();
    store.create("ideas", "a rustlings for backends").unwrap();
    store
}

fn call(store: &NoteStore, method: &str, path: &str) -> (u16, String) {
    let res = route(store, &Request::new(method, path, ""));
    (res.status, res.body)
}

#[test]
fn existing_endpoints_still_work() {
    let store = store_with_two_notes();
    let res = route(
        &store,
        &Request::new("POST", "/notes", r#"{"title": "todo", "body": "ship it"}"#),
    );
    assert_eq!(res.status, 201);
    let (status, body) = call(&store, "GET", "/notes/3");
    assert_eq!(status, 200);
    let note: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(note, json!({"id": 3, "title": "todo", "body": "ship it"}));
}

#[test]
fn storage_delete_reports_whether_the_row_existed() {
    let store = store_with_two_notes();
    assert!(
        store.delete(1).unwrap(),
        "note 1 existed: delete returns true"
    );
    assert_eq!(store.get(1).unwrap(), None, "and it is gone afterwards");
    assert!(
        !store.delete(1).unwrap(),
        "deleting it again finds nothing: false, not an error"
    );
    assert_eq!(store.list().unwrap().len(), 1, "note 2 is untouched");
}

#[test]
fn delete_endpoint_answers_204_then_404() {
    let store = store_with_two_notes();
    let (status, body) = call(&store, "DELETE", "/notes/1");
    assert_eq!(
        status, 204,
        "DELETE /notes/1 must reach handlers::delete_note (is it in routes.rs?) and answer 204 No Content"
    );
    assert_eq!(body, "", "204 No Content has no body");
    assert_eq!(call(&store, "GET", "/notes/1").0, 404, "the note is gone");
    assert_eq!(
        call(&store, "DELETE", "/notes/1").0,
        404,
        "deleting a missing note: 404 Not Found"
    );
}

#[test]
fn delete_only_touches_the_given_note() {
    let store = store_with_two_notes();
    call(&store, "DELETE", "/notes/2");
    let (_, body) = call(&store, "GET", "/notes");
    let notes: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        notes,
        json!([{"id": 1, "title": "groceries", "body": "milk, eggs"}]),
        "only note 2 was deleted"
    );
}

#[test]
fn requests_that_name_no_note_delete_nothing() {
    let store = store_with_two_notes();
    assert_eq!(call(&store, "DELETE", "/notes/abc").0, 404, "not a note id");
    assert_eq!(call(&store, "DELETE", "/notes/3").0, 404, "no such note");
    call(&store, "DELETE", "/notes");
    assert_eq!(
        store.list().unwrap().len(),
        2,
        "none of these deleted anything (there is no bulk delete)"
    );
}
