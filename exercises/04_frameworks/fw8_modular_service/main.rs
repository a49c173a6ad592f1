// Scenario: the notes service outgrew one file and was split the way every framework project
// is laid out: `http` (request/response types), `storage` (the database), `handlers` (one
// function per endpoint) and `routes` (the URL table). Product wants `DELETE /notes/{id}`.
// A colleague started it but left three gaps, one per layer: the storage method, the handler
// and the route.
//
// Done means: `NoteStore::delete` removes the row with one DELETE statement (the id bound as a
// parameter) and says whether it existed, `handlers::delete_note` answers 204 No Content,
// 404 Not Found, or 500 when storage fails (the same generic `{"error": "storage error"}` as
// the other handlers: never the database's own error text), and the router sends
// `DELETE /notes/{id}` (the method is case-sensitive, as every method is) to it. The tests live in `tests.rs` and go
// through `routes::route`; they trace the SQL the store runs (`storage::open_with`).

mod handlers;
mod http;
mod routes;
mod storage;

#[cfg(test)]
mod tests;

fn main() {
    let store = storage::NoteStore::open_in_memory().expect("open database");
    let req = http::Request::new("POST", "/notes", r#"{"title": "hello", "body": "world"}"#);
    let res = routes::route(&store, &req);
    println!("{} {}", res.status, res.body);
}
