// JSON with serde: request and response structs
//
// The mobile team sends `POST /users` bodies in camelCase (`displayName`, `marketingOptIn`) and
// our handler answers 400 to every one of them, because the Rust structs use snake_case names.
// Worse, when a field is optional the app sometimes leaves it out and sometimes sends `null`;
// and an attacker sent `"isAdmin": true` hoping we would silently accept extra fields.
//
// Done means: the request struct reads camelCase, treats a missing or null `nickname` as `None`,
// defaults `marketingOptIn` to false and rejects unknown fields; the response writes camelCase,
// leaves `nickname` out when there is none, and writes the status as `"pending_verification"`.
// `handle_create` answers 201 with the JSON user, or 400 with `{"error": "..."}`. The body must
// be exactly one JSON object: a key sent twice, anything after the closing brace, a JSON array
// (serde's derive would read `["Ada", "ada@example.com"]` as the fields in order), or a `null`
// where a boolean belongs (`"marketingOptIn": null`) is a 400, not a guess.

use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Deserialize)]
// TODO: the app sends camelCase keys; extra keys must be an error.
pub struct CreateUserRequest {
    pub display_name: String,
    pub email_address: String,
    pub nickname: Option<String>,
    // TODO: absent means false.
    pub marketing_opt_in: bool,
}

#[derive(Debug, PartialEq, Serialize)]
// TODO: written as "active" / "pending_verification".
pub enum AccountStatus {
    Active,
    PendingVerification,
}

#[derive(Debug, PartialEq, Serialize)]
// TODO: camelCase keys for the app.
pub struct UserResponse {
    pub id: u64,
    pub display_name: String,
    // TODO: leave the key out when there is no nickname.
    pub nickname: Option<String>,
    pub status: AccountStatus,
    pub marketing_opt_in: bool,
}

/// Handles `POST /users`: returns (status, JSON body). New users await email verification.
pub fn handle_create(id: u64, body: &str) -> (u16, String) {
    // TODO: parse the body with serde_json::from_str. On success build a UserResponse
    // (status PendingVerification) and answer 201 with it as JSON. On failure answer 400
    // with {"error": "<the serde error message>"} (serde_json::json! builds that). serde's
    // derive also reads a JSON array of the fields in order: refuse a body that is no object.
    let _ = (id, body);
    todo!()
}

fn main() {
    let (status, body) = handle_create(
        1,
        r#"{"displayName":"Ada","emailAddress":"ada@example.com"}"#,
    );
    println!("{status} {body}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn parse(body: &str) -> Value {
        serde_json::from_str(body).expect("the handler must always answer with JSON")
    }

    #[test]
    fn request_reads_camel_case_and_defaults() {
        let request: CreateUserRequest =
            serde_json::from_str(r#"{"displayName": "Ada", "emailAddress": "ada@example.com"}"#)
                .expect("camelCase keys must map to snake_case fields: #[serde(rename_all = ...)]");
        assert_eq!(
            request,
            CreateUserRequest {
                display_name: "Ada".into(),
                email_address: "ada@example.com".into(),
                nickname: None,
                marketing_opt_in: false,
            },
            "a missing Option is None; a missing bool with #[serde(default)] is false"
        );
    }

    #[test]
    fn null_and_missing_optional_fields_are_both_none() {
        let request: CreateUserRequest = serde_json::from_str(
            r#"{"displayName": "Ada", "emailAddress": "a@x.io", "nickname": null, "marketingOptIn": true}"#,
        )
        .expect("null is a valid value for an Option field");
        assert_eq!(request.nickname, None);
        assert!(request.marketing_opt_in);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let (status, body) = handle_create(
            1,
            r#"{"displayName": "Eve", "emailAddress": "eve@x.io", "isAdmin": true}"#,
        );
        assert_eq!(
            status, 400,
            "an unexpected `isAdmin` must not be silently ignored: #[serde(deny_unknown_fields)]"
        );
        let error = parse(&body)["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            error.contains("isAdmin"),
            "the error should name the offending field, got {error:?}"
        );
    }

    #[test]
    fn created_user_is_camel_case_without_null_nickname() {
        let (status, body) = handle_create(
            7,
            r#"{"displayName": "Ada", "emailAddress": "ada@example.com"}"#,
        );
        assert_eq!(status, 201, "a created resource answers 201 Created");
        assert_eq!(
            parse(&body),
            json!({
                "id": 7,
                "displayName": "Ada",
                "status": "pending_verification",
                "marketingOptIn": false
            }),
            "camelCase keys, no `nickname` key at all when there is none, snake_case status"
        );
    }

    #[test]
    fn nickname_is_written_when_present() {
        let (_, body) = handle_create(
            8,
            r#"{"displayName": "Grace", "emailAddress": "g@x.io", "nickname": "amazing"}"#,
        );
        assert_eq!(parse(&body)["nickname"], json!("amazing"));
    }

    #[test]
    fn only_the_camel_case_names_are_accepted() {
        let camel = [
            ("displayName", r#""Ada""#),
            ("emailAddress", r#""ada@example.com""#),
            ("nickname", r#""ada""#),
            ("marketingOptIn", "true"),
        ];
        let body = |keys: &[(&str, &str)]| {
            let members: Vec<String> = keys.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{{}}}", members.join(", "))
        };
        assert_eq!(handle_create(1, &body(&camel)).0, 201);
        for i in 0..camel.len() {
            for other in [
                camel[i]
                    .0
                    .replace("Name", "_name")
                    .replace("Address", "_address")
                    .replace("OptIn", "_opt_in"),
                camel[i].0.to_uppercase(),
                format!("{}{}", camel[i].0[..1].to_uppercase(), &camel[i].0[1..]),
            ] {
                if other == camel[i].0 {
                    continue;
                }
                let mut keys = camel;
                keys[i].0 = &other;
                let (status, response) = handle_create(1, &body(&keys));
                assert_eq!(
                    status, 400,
                    "{other:?} is not a field of the camelCase contract: the API has ONE spelling \
                     per field (rename_all, not an alias that also lets the Rust name in)"
                );
                let error = parse(&response)["error"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                assert!(
                    error.contains(&other),
                    "name the unknown field, got {error:?}"
                );
            }
        }
    }

    #[test]
    fn error_messages_are_escaped_in_the_json_body() {
        // serde quotes what it rejects: a JSON encoder must escape it, `format!` would not.
        for (body, quoted) in [
            (
                r#"{"displayName": "Ada", "emailAddress": "a@x.io", "marketingOptIn": "yes"}"#,
                r#"string "yes""#,
            ),
            (
                r#"{"displayName": "Ada", "emailAddress": "a@x.io", "say \"hi\"\\n": 1}"#,
                r#"say "hi"\n"#,
            ),
        ] {
            let (status, response) = handle_create(1, body);
            assert_eq!(status, 400, "{body}");
            let error =
                serde_json::from_str::<Value>(&response).unwrap_or_else(|e| {
                    panic!("the 400 body must be valid JSON ({e}): {response}")
                })["error"]
                    .as_str()
                    .map(str::to_string);
            assert!(
                error.as_deref().is_some_and(|error| error.contains(quoted)),
                "`error` is serde's message, escaped by a JSON encoder (json!, to_string), got \
                 {error:?}"
            );
        }
    }

    #[test]
    fn malformed_json_is_400_with_json_error() {
        let (status, body) = handle_create(1, r#"{"displayName": "Ada""#);
        assert_eq!(
            status, 400,
            "a body that is not valid JSON is 400 Bad Request"
        );
        assert!(
            parse(&body)["error"].is_string(),
            "even errors are JSON: {{\"error\": \"...\"}}"
        );
        let (status, _) = handle_create(1, r#"{"displayName": "Ada"}"#);
        assert_eq!(status, 400, "a missing required field is 400 too");
    }

    #[test]
    fn the_body_is_exactly_one_object_with_no_key_twice() {
        // Two displayName keys: which one is meant? A front proxy may read the first, we the
        // last. Refuse instead of picking.
        let (status, body) = handle_create(
            1,
            r#"{"displayName":"Ada","emailAddress":"a@x.org","displayName":"Root"}"#,
        );
        assert_eq!(
            status, 400,
            "a duplicate key is a 400, not last-wins: {body}"
        );
        assert!(parse(&body)["error"].is_string());
        for trailing in [
            r#"{"displayName":"Ada","emailAddress":"a@x.org"} junk"#,
            r#"{"displayName":"Ada","emailAddress":"a@x.org"}{"isAdmin":true}"#,
            r#"{"displayName":"Ada","emailAddress":"a@x.org"},"#,
        ] {
            let (status, body) = handle_create(1, trailing);
            assert_eq!(
                status, 400,
                "anything after the object is a 400: {trailing} -> {body}"
            );
        }
        let (status, _) = handle_create(
            1,
            "{\"displayName\":\"Ada\",\"emailAddress\":\"a@x.org\"}\n  ",
        );
        assert_eq!(status, 201, "trailing whitespace is still one JSON value");
    }

    #[test]
    fn an_array_of_the_fields_is_not_an_object() {
        // serde's derive reads a struct from a JSON array of its fields, in order. Our
        // contract is one JSON object with named keys.
        for body in [
            r#"["Ada","ada@example.com",null,true]"#,
            r#"["Ada","ada@example.com"]"#,
            " \n\t[\"Ada\", \"ada@example.com\", \"ace\", false]",
            r#"[{"displayName":"Ada","emailAddress":"a@x.org"}]"#,
            r#""Ada""#,
            "null",
            "42",
        ] {
            let (status, answer) = handle_create(1, body);
            assert_eq!(
                status, 400,
                "{body:?} is not a JSON object: 400 (answered {answer})"
            );
            assert!(
                parse(&answer)["error"].is_string(),
                "the 400 body is {{\"error\": \"...\"}}: {answer}"
            );
        }
        let (status, answer) = handle_create(
            1,
            " \r\n\t{\"displayName\":\"Ada\",\"emailAddress\":\"a@x.org\"}",
        );
        assert_eq!(
            status, 201,
            "JSON whitespace before the object is still one object: {answer}"
        );
    }

    #[test]
    fn null_is_not_a_boolean() {
        // Only a missing marketingOptIn defaults to false; null is a type error.
        let (status, body) = handle_create(
            1,
            r#"{"displayName":"Ada","emailAddress":"a@x.org","marketingOptIn":null}"#,
        );
        assert_eq!(status, 400, "\"marketingOptIn\": null is not false: {body}");
        assert!(parse(&body)["error"].is_string());
    }
}
