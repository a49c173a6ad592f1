use super::*;
use routes::RouteDoc;
use serde_json::{Value, json};

fn doc() -> Value {
    openapi::document(routes::ROUTES)
}

/// Follows a `{"$ref": "#/components/schemas/X"}` to the schema, like a tool would.
fn resolve<'a>(doc: &'a Value, reference: &Value) -> &'a Value {
    let pointer = reference["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("expected a $ref object, got {reference}"));
    let pointer = pointer.strip_prefix('#').expect("local refs start with #");
    doc.pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} must point into the document"))
}

#[test]
fn header_fields() {
    let doc = doc();
    assert_eq!(
        doc["openapi"],
        json!("3.1.0"),
        "the spec version is a string"
    );
    assert_eq!(doc["info"]["title"], json!("Users API"));
    assert_eq!(
        doc["info"]["version"],
        json!("1.0.0"),
        "info.version is OUR API's version"
    );
}

#[test]
fn every_route_has_one_operation() {
    let doc = doc();
    let paths = doc["paths"].as_object().expect("`paths` is an object");
    let mut keys: Vec<&String> = paths.keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["/users", "/users/{id}", "/users/{id}/orders/{order_id}"],
        "one entry per path template, shared by its methods"
    );
    let mut methods: Vec<&String> = paths["/users/{id}"].as_object().unwrap().keys().collect();
    methods.sort();
    assert_eq!(
        methods,
        ["delete", "get"],
        "methods are lower-case keys under the path"
    );
    assert_eq!(
        doc["paths"]["/users"]["post"]["operationId"],
        json!("createUser")
    );
    assert_eq!(
        doc["paths"]["/users"]["get"]["summary"],
        json!("List users, newest first")
    );
}

#[test]
fn responses_are_keyed_by_status_string() {
    let doc = doc();
    let responses = &doc["paths"]["/users/{id}"]["delete"]["responses"];
    assert_eq!(
        responses["204"],
        json!({ "description": "Deleted" }),
        "status codes are string keys; a response without a body has no `content`"
    );
    let ok = &doc["paths"]["/users/{id}"]["get"]["responses"]["200"];
    assert_eq!(ok["description"], json!("The user"));
    let user = resolve(&doc, &ok["content"]["application/json"]["schema"]);
    assert_eq!(user["required"], json!(["id", "displayName"]));
}

#[test]
fn error_responses_use_problem_json() {
    let doc = doc();
    let not_found = &doc["paths"]["/users/{id}"]["get"]["responses"]["404"];
    let content = not_found["content"].as_object().expect("404 has content");
    assert_eq!(
        content.keys().collect::<Vec<_>>(),
        ["application/problem+json"],
        "errors are served as RFC 9457 problem details"
    );
    let problem = resolve(
        &doc,
        &not_found["content"]["application/problem+json"]["schema"],
    );
    assert!(problem["properties"]["title"].is_object());
}

#[test]
fn every_error_status_uses_problem_json() {
    // Every status code a table could hold, each with a body: 1xx-3xx bodies are the resource
    // (application/json), 4xx and 5xx bodies are problems, starting AT 400 Bad Request.
    let responses: Vec<(u16, &'static str, Option<&'static str>)> = (100..600)
        .map(|status| (status, "a response", Some("Problem")))
        .collect();
    let table = [RouteDoc {
        method: "GET",
        path: "/every/status",
        operation_id: "everyStatus",
        summary: "One response per status code",
        request_schema: None,
        responses: responses.leak(),
    }];
    let doc = openapi::document(&table);
    for status in 100..600u16 {
        let content =
            &doc["paths"]["/every/status"]["get"]["responses"][status.to_string()]["content"];
        let media_types: Vec<&String> = content
            .as_object()
            .unwrap_or_else(|| panic!("{status} has a schema, so it has content"))
            .keys()
            .collect();
        let expected = if status >= 400 {
            "application/problem+json"
        } else {
            "application/json"
        };
        assert_eq!(
            media_types,
            [expected],
            "a {status} response: problem+json for every 4xx and 5xx (400 included), \
             application/json below"
        );
    }
}

#[test]
fn path_parameters_are_declared_in_order() {
    let doc = doc();
    let get = &doc["paths"]["/users/{id}/orders/{order_id}"]["get"];
    assert_eq!(
        get["parameters"],
        json!([
            { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
            { "name": "order_id", "in": "path", "required": true, "schema": { "type": "integer" } }
        ]),
        "every {{name}} in the template is a required path parameter"
    );
    assert!(
        doc["paths"]["/users"]["get"].get("parameters").is_none(),
        "no template variables: no `parameters` member"
    );
}

#[test]
fn request_body_only_where_the_route_takes_one() {
    let doc = doc();
    let body = &doc["paths"]["/users"]["post"]["requestBody"];
    assert_eq!(body["required"], json!(true));
    let schema = resolve(&doc, &body["content"]["application/json"]["schema"]);
    assert_eq!(schema["required"], json!(["displayName", "emailAddress"]));
    assert!(
        doc["paths"]["/users/{id}"]["get"]
            .get("requestBody")
            .is_none(),
        "GET takes no body"
    );
}

/// A second API, unknown to `openapi.rs`: the document must follow whatever table it is given.
const TEAM_ROUTES: &[RouteDoc] = &[
    RouteDoc {
        method: "PUT",
        path: "/teams/{team}/members/{member}",
        operation_id: "putMember",
        summary: "Add or replace a member",
        request_schema: Some("CreateUser"),
        responses: &[
            (200, "Replaced", Some("User")),
            (201, "Added", Some("User")),
            (409, "The team is full", Some("Problem")),
        ],
    },
    RouteDoc {
        method: "PATCH",
        path: "/teams/{team}/members/{member}",
        operation_id: "patchMember",
        summary: "Change a member",
        request_schema: Some("User"),
        responses: &[
            (204, "Changed", None),
            (503, "Try again later", Some("Problem")),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/status",
        operation_id: "status",
        summary: "Is the service up?",
        request_schema: None,
        responses: &[(200, "Up", None)],
    },
];

#[test]
fn the_document_follows_the_route_table_it_is_given() {
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let member = |name: &str| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "integer" } });
    let expected = json!({
        "openapi": "3.1.0",
        "info": { "title": "Users API", "version": "1.0.0" },
        "paths": {
            "/teams/{team}/members/{member}": {
                "put": {
                    "operationId": "putMember",
                    "summary": "Add or replace a member",
                    "parameters": [member("team"), member("member")],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": reference("CreateUser") } }
                    },
                    "responses": {
                        "200": {
                            "description": "Replaced",
                            "content": { "application/json": { "schema": reference("User") } }
                        },
                        "201": {
                            "description": "Added",
                            "content": { "application/json": { "schema": reference("User") } }
                        },
                        "409": {
                            "description": "The team is full",
                            "content": { "application/problem+json": { "schema": reference("Problem") } }
                        }
                    }
                },
                "patch": {
                    "operationId": "patchMember",
                    "summary": "Change a member",
                    "parameters": [member("team"), member("member")],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": reference("User") } }
                    },
                    "responses": {
                        "204": { "description": "Changed" },
                        "503": {
                            "description": "Try again later",
                            "content": { "application/problem+json": { "schema": reference("Problem") } }
                        }
                    }
                }
            },
            "/status": {
                "get": {
                    "operationId": "status",
                    "summary": "Is the service up?",
                    "responses": { "200": { "description": "Up" } }
                }
            }
        },
        "components": { "schemas": openapi::schemas() }
    });
    assert_eq!(
        openapi::document(TEAM_ROUTES),
        expected,
        "the document is generated from the routes it is given, not written by hand"
    );
}

#[test]
fn a_route_added_to_the_table_appears_in_the_document() {
    let mut table: Vec<RouteDoc> = TEAM_ROUTES[2..].iter().map(copy).collect();
    assert_eq!(
        openapi::document(&table)["paths"]
            .as_object()
            .map(|paths| paths.len()),
        Some(1),
        "one route, one path"
    );
    table.push(RouteDoc {
        method: "DELETE",
        path: "/status/{check}",
        operation_id: "muteCheck",
        summary: "Mute a failing check",
        request_schema: None,
        responses: &[(204, "Muted", None)],
    });
    let doc = openapi::document(&table);
    assert_eq!(
        doc["paths"]["/status/{check}"]["delete"]["parameters"][0]["name"],
        json!("check")
    );
    assert_eq!(
        doc["paths"]["/status/{check}"]["delete"]["operationId"],
        json!("muteCheck")
    );
    assert_eq!(
        openapi::document(&[])["paths"],
        json!({}),
        "no routes, no paths"
    );
}

fn copy(route: &RouteDoc) -> RouteDoc {
    RouteDoc { ..*route }
}

#[test]
fn operation_ids_are_unique() {
    let doc = doc();
    let mut ids = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            ids.push(operation["operationId"].as_str().unwrap().to_string());
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(count, 5, "five routes, five operations");
    assert_eq!(ids.len(), count, "code generators need unique operationIds");
}

#[test]
fn error_responses_reference_the_schema_the_table_names() {
    // problem+json is the media type of every error body; the schema is still the table's.
    let table = [RouteDoc {
        method: "PUT",
        path: "/locks/{id}",
        operation_id: "takeLock",
        summary: "Take a lock",
        request_schema: None,
        responses: &[
            (200, "Taken", Some("Lock")),
            (409, "Conflict", Some("ConflictInfo")),
            (423, "Locked", Some("LockHolder")),
            (400, "Bad request", None),
            (503, "Busy", Some("RetryAdvice")),
        ],
    }];
    let doc = openapi::document(&table);
    let responses = &doc["paths"]["/locks/{id}"]["put"]["responses"];
    for (status, media_type, name) in [
        ("200", "application/json", "Lock"),
        ("409", "application/problem+json", "ConflictInfo"),
        ("423", "application/problem+json", "LockHolder"),
        ("503", "application/problem+json", "RetryAdvice"),
    ] {
        assert_eq!(
            responses[status]["content"],
            json!({ media_type: { "schema": { "$ref": format!("#/components/schemas/{name}") } } }),
            "the {status} response references the schema named in the route table ({name})"
        );
    }
    assert!(
        responses["400"].get("content").is_none(),
        "a response without a schema has no content, error or not"
    );
}
