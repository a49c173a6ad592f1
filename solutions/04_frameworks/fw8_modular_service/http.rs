//! The framework part: request and response types.

use serde::Serialize;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub body: String,
}

impl Request {
    pub fn new(method: &str, path: &str, body: &str) -> Self {
        Request {
            method: method.to_string(),
            path: path.to_string(),
            body: body.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn json(status: u16, value: &impl Serialize) -> Self {
        Response {
            status,
            body: serde_json::to_string(value).expect("serializable"),
        }
    }

    pub fn error(status: u16, message: &str) -> Self {
        Response::json(status, &serde_json::json!({ "error": message }))
    }

    /// A response without a body, e.g. 204 No Content.
    pub fn empty(status: u16) -> Self {
        Response {
            status,
            body: String::new(),
        }
    }
}
