//! The route table: the single source of truth for routing and for the API description.

pub struct RouteDoc {
    pub method: &'static str,
    /// An OpenAPI path template: `{name}` is a path parameter (always an integer id here).
    pub path: &'static str,
    pub operation_id: &'static str,
    pub summary: &'static str,
    /// Name of the JSON request body schema in `components.schemas`, if the route takes a body.
    pub request_schema: Option<&'static str>,
    /// (status, description, response schema name if the response has a JSON body).
    pub responses: &'static [(u16, &'static str, Option<&'static str>)],
}

pub const ROUTES: &[RouteDoc] = &[
    RouteDoc {
        method: "GET",
        path: "/users",
        operation_id: "listUsers",
        summary: "List users, newest first",
        request_schema: None,
        responses: &[(200, "A page of users", Some("UserPage"))],
    },
    RouteDoc {
        method: "POST",
        path: "/users",
        operation_id: "createUser",
        summary: "Create a user",
        request_schema: Some("CreateUser"),
        responses: &[
            (201, "The created user", Some("User")),
            (422, "Invalid fields", Some("Problem")),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/users/{id}",
        operation_id: "getUser",
        summary: "Fetch one user",
        request_schema: None,
        responses: &[
            (200, "The user", Some("User")),
            (404, "No such user", Some("Problem")),
        ],
    },
    RouteDoc {
        method: "DELETE",
        path: "/users/{id}",
        operation_id: "deleteUser",
        summary: "Delete a user",
        request_schema: None,
        responses: &[
            (204, "Deleted", None),
            (404, "No such user", Some("Problem")),
        ],
    },
    RouteDoc {
        method: "GET",
        path: "/users/{id}/orders/{order_id}",
        operation_id: "getUserOrder",
        summary: "Fetch one order of a user",
        request_schema: None,
        responses: &[
            (200, "The order", Some("Order")),
            (404, "No such user or order", Some("Problem")),
        ],
    },
];
