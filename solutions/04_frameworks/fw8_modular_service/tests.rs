use crate::http::Request;
use crate::routes::route;
use crate::storage::{NoteStore, open_with};
use rusqlite::Connection;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use serde_json::{Value, json};
use std::cell::RefCell;

thread_local! {
    /// The SQL text of every statement run on this thread's traced connections.
    static STATEMENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The same statements with their bound values written in, as SQLite sees them.
    static EXPANDED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn record(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(stmt, sql) = event {
        STATEMENTS.with_borrow_mut(|s| s.push(sql.to_owned()));
        let expanded = stmt.expanded_sql().unwrap_or_default();
        EXPANDED.with_borrow_mut(|s| s.push(expanded));
    }
}

/// A store on a connection these tests prepared: the notes table is created first (as
/// `open_with` creates it), then `setup` runs (rows, triggers), then every statement is traced.
fn prepared_store(setup: &str) -> NoteStore {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);",
    )
    .unwrap();
    conn.execute_batch(setup).unwrap();
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
    open_with(conn).unwrap()
}

/// The SQL text of the statements `f` made SQLite run (bound values are not part of it).
fn statements_of(f: impl FnOnce()) -> Vec<String> {
    STATEMENTS.with_borrow_mut(Vec::clear);
    f();
    STATEMENTS.take()
}

/// The statements `f` made SQLite run, with their bound values written in: an integer as
/// `7`, a text as `'7'`, a real as `7.0`.
fn expanded_statements_of(f: impl FnOnce()) -> Vec<String> {
    EXPANDED.with_borrow_mut(Vec::clear);
    f();
    EXPANDED.take()
}

fn assert_one_delete_without_the_id(sql: &[String], id: &str) {
    assert_eq!(
        sql.len(),
        1,
        "deleting a note is ONE statement, the DELETE (its row count says whether the note \
         existed; a lookup first is a second round-trip and a race). SQLite ran: {sql:?}"
    );
    assert!(
        sql[0].trim_start().to_uppercase().starts_with("DELETE"),
        "the one statement is a DELETE, got: {sql:?}"
    );
    assert!(
        !sql[0].contains(id),
        "the id {id} is in the SQL text SQLite parsed: {sql:?}. Send it as a bound parameter \
         (?1), never pasted into the text"
    );
}

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

#[test]
fn delete_runs_one_statement_with_the_id_bound() {
    let store = prepared_store(
        "INSERT INTO notes (id, title, body) VALUES (73519, 'far', 'away'), (86427, 'other', 'x');",
    );
    let sql = statements_of(|| assert!(store.delete(73519).unwrap(), "note 73519 existed"));
    assert_one_delete_without_the_id(&sql, "73519");
    let sql = statements_of(|| assert!(!store.delete(73519).unwrap(), "it is gone now"));
    assert_one_delete_without_the_id(&sql, "73519");
    let sql = statements_of(|| assert_eq!(call(&store, "DELETE", "/notes/86427").0, 204));
    assert_one_delete_without_the_id(&sql, "86427");
    let sql = statements_of(|| assert_eq!(call(&store, "DELETE", "/notes/99173").0, 404));
    assert_one_delete_without_the_id(&sql, "99173");
}

#[test]
fn a_storage_error_is_500_not_404() {
    // The database refuses every DELETE: a broken storage layer, not a missing note.
    let store = prepared_store(
        "INSERT INTO notes (id, title, body) VALUES (1, 'groceries', 'milk, eggs');
         CREATE TRIGGER notes_are_kept BEFORE DELETE ON notes
         BEGIN SELECT RAISE(ABORT, 'the disk is on fire'); END;",
    );
    assert!(
        store.delete(1).is_err(),
        "a DELETE that SQLite refused is an error from NoteStore::delete, not Ok(false)"
    );
    let (status, body) = call(&store, "DELETE", "/notes/1");
    assert_eq!(
        status, 500,
        "storage failed: 500 Internal Server Error. 404 would tell the client the note does \
         not exist, and it does (body: {body})"
    );
    assert_eq!(
        call(&store, "GET", "/notes/1").0,
        200,
        "the note is still there"
    );
}

#[test]
fn methods_are_case_sensitive() {
    let store = store_with_two_notes();
    for method in ["delete", "Delete", "dELETE"] {
        assert_eq!(
            call(&store, method, "/notes/1").0,
            405,
            "{method:?} is not DELETE: HTTP methods are case-sensitive (RFC 9110 9.1)"
        );
    }
    assert_eq!(call(&store, "get", "/notes/1").0, 405, "nor is \"get\" GET");
    assert_eq!(
        store.list().unwrap().len(),
        2,
        "none of these deleted anything"
    );
}

#[test]
fn a_storage_error_does_not_leak_the_database_message() {
    // SQLite's error text names tables, columns, triggers and SQL: it is for the logs only.
    let store = prepared_store(
        "INSERT INTO notes (id, title, body) VALUES (1, 'groceries', 'milk, eggs');
         CREATE TRIGGER notes_are_kept BEFORE DELETE ON notes
         BEGIN SELECT RAISE(ABORT, 'the disk is on fire in table notes'); END;",
    );
    let (status, body) = call(&store, "DELETE", "/notes/1");
    assert_eq!(status, 500);
    assert!(
        !body.contains("fire"),
        "the 500 leaks SQLite's error text: {body}"
    );
    let body: Value = serde_json::from_str(&body).expect("the 500 body is JSON");
    assert_eq!(
        body,
        json!({ "error": "storage error" }),
        "the same generic storage error as every other handler"
    );
}

fn assert_bound_as_an_integer(expanded: &[String], id: &str) {
    assert_eq!(expanded.len(), 1, "one DELETE, got: {expanded:?}");
    let bound: Vec<&str> = expanded[0]
        .split(|c: char| c.is_whitespace() || "=(),;".contains(c))
        .filter(|token| token.contains(id))
        .collect();
    assert_eq!(
        bound,
        [id],
        "the id is bound as an integer (params![id], an i64), so SQLite runs `DELETE FROM notes \
         WHERE id = {id}` with the value written in; it ran {:?}",
        expanded[0]
    );
}

#[test]
fn the_id_is_bound_as_an_integer() {
    // `id` is an INTEGER column: bound as text ('73519') it only matches through SQLite's type
    // affinity, and the same habit breaks on a column without one.
    let store = prepared_store(
        "INSERT INTO notes (id, title, body) VALUES (73519, 'far', 'away'), (86427, 'other', 'x');",
    );
    let expanded = expanded_statements_of(|| assert!(store.delete(73519).unwrap()));
    assert_bound_as_an_integer(&expanded, "73519");
    let expanded =
        expanded_statements_of(|| assert_eq!(call(&store, "DELETE", "/notes/86427").0, 204));
    assert_bound_as_an_integer(&expanded, "86427");
}
