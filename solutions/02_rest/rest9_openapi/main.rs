// An OpenAPI 3.1 document for the users API
//
// Three client teams integrate with our users API and each keeps its own (wrong) notes about
// it. We will publish `GET /openapi.json`, an OpenAPI 3.1 document that tools turn into docs,
// clients and contract tests. It must be generated from the route table in `routes.rs`, so it
// cannot drift from the code: adding a route adds it to the document.
//
// Done means: `openapi::document` (in openapi.rs) builds the document with serde_json as the
// doc comment there describes. The tests (tests.rs) read it like a tool would, and feed it
// route tables of their own.

mod openapi;
mod routes;

fn main() {
    let document = openapi::document(routes::ROUTES);
    println!("{document:#}");
}

#[cfg(test)]
mod tests;
