//! Builds the OpenAPI 3.1 document from the route table.

use crate::routes::RouteDoc;
use serde_json::{Value, json};

/// The document:
/// - `openapi`: "3.1.0"; `info`: `{"title": "Users API", "version": "1.0.0"}`.
/// - `paths`: one entry per path template; under it one operation per method, keyed by the
///   method in lower case. An operation has `operationId`, `summary`, `responses` and, when
///   present, `parameters` and `requestBody`.
/// - `parameters`: for each `{name}` in the path, in order:
///   `{"name": name, "in": "path", "required": true, "schema": {"type": "integer"}}`.
/// - `requestBody`: `{"required": true, "content": {"application/json": {"schema": REF}}}`.
/// - `responses`: keyed by the status code as a string ("200"); each has a `description` and,
///   when it has a schema, `content` with one media type -> `{"schema": REF}`. The media type is
///   `application/problem+json` for 4xx/5xx responses and `application/json` otherwise.
/// - REF is `{"$ref": "#/components/schemas/<Name>"}`; `components.schemas` is `schemas()`.
pub fn document(routes: &[RouteDoc]) -> Value {
    // TODO: build the document described above with serde_json::json! and
    // serde_json::Map. Hints: group routes by path (an `entry(..).or_insert_with(..)` on a
    // Map), and find parameters by looking for path segments that look like `{name}`.
    let _ = routes;
    todo!()
}

/// The JSON Schemas (OpenAPI 3.1 uses JSON Schema 2020-12) of request and response bodies.
pub fn schemas() -> Value {
    json!({
        "User": {
            "type": "object",
            "required": ["id", "displayName"],
            "properties": {
                "id": { "type": "integer" },
                "displayName": { "type": "string" },
                "nickname": { "type": ["string", "null"] }
            }
        },
        "CreateUser": {
            "type": "object",
            "required": ["displayName", "emailAddress"],
            "properties": {
                "displayName": { "type": "string" },
                "emailAddress": { "type": "string", "format": "email" }
            }
        },
        "UserPage": {
            "type": "object",
            "properties": {
                "items": { "type": "array", "items": { "$ref": "#/components/schemas/User" } },
                "next": { "type": ["string", "null"] }
            }
        },
        "Order": {
            "type": "object",
            "properties": { "id": { "type": "integer" }, "total_cents": { "type": "integer" } }
        },
        "Problem": {
            "type": "object",
            "properties": {
                "type": { "type": "string" },
                "title": { "type": "string" },
                "status": { "type": "integer" },
                "detail": { "type": "string" }
            }
        }
    })
}
