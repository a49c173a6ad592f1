// Scenario: `GET /users/7` serialized the database model straight to JSON, and a security
// review found `password_hash` in the response. Worse, `POST /users` deserialized into a struct
// that silently ignored extra fields, and nobody noticed clients sending `"isAdmin": true`.
// Frameworks separate the *model* (what is stored) from *DTOs* (what crosses the wire): DRF
// serializers, FastAPI `response_model`, Django forms' `fields = [...]`.
//
// Done means: `UserDto` is the only thing we serialize: camelCase keys, no password hash (not
// even a field serde skips: DTOs get logged with `{:?}`), no `bio` key at all when there is
// none (`None`; an empty bio `Some("")` is still sent as ""); and `CreateUserRequest` rejects
// unknown fields instead of ignoring them (so a mass-assignment attempt fails loudly with 400).
// A 400 says what was wrong without echoing the request: the body holds a plaintext password,
// and error messages end up in logs (serde's own message can quote a value, so `bad_request`
// keeps only the kind of mistake and the field).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The database model. Never serialize this.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: u64,
    pub username: String,
    pub email: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub bio: Option<String>,
    pub created_at: u64,
}

/// What API clients see.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    pub id: u64,
    pub username: String,
    pub email: String,
    pub is_admin: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    pub created_at: u64,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> Self {
        UserDto {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            is_admin: user.is_admin,
            bio: user.bio.clone(),
            created_at: user.created_at,
        }
    }
}

/// What API clients may send to create a user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub username: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub bio: Option<String>,
}

/// Stand-in so the example has no extra dependencies. Real password storage uses a slow,
/// salted KDF (Argon2id, scrypt, bcrypt): see the OWASP Password Storage Cheat Sheet.
fn hash_password(password: &str) -> String {
    let digest = Sha256::digest(password.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 400's message: what was wrong, never a value from the request. serde's own message can
/// quote one (`invalid type: integer `31415926`, expected a string`: that was the password), so
/// only the kind of mistake, the field it names and where it is are kept.
fn bad_request(e: &serde_json::Error) -> String {
    let at = format!("at line {} column {}", e.line(), e.column());
    if e.classify() != serde_json::error::Category::Data {
        return format!("bad request: malformed JSON {at}");
    }
    let message = e.to_string();
    for kind in ["unknown field", "missing field", "duplicate field"] {
        if message.starts_with(kind) {
            // serde names the field between backticks: "unknown field `isAdmin`, expected ..."
            let field = message.split('`').nth(1).unwrap_or_default();
            return format!("bad request: {kind} `{field}`");
        }
    }
    format!("bad request: a field has the wrong type or value {at}")
}

/// POST /users: parse the body, build the model, answer with the DTO.
pub fn create_user(body: &str, id: u64, now: u64) -> (u16, String) {
    let req: CreateUserRequest = match serde_json::from_str(body) {
        Ok(req) => req,
        Err(e) => return (400, bad_request(&e)),
    };
    let user = User {
        id,
        username: req.username,
        email: req.email,
        password_hash: hash_password(&req.password),
        is_admin: false,
        bio: req.bio,
        created_at: now,
    };
    let json = serde_json::to_string(&UserDto::from(&user)).expect("DTO serializes");
    (201, json)
}

fn main() {
    let body = r#"{"username": "ada", "email": "ada@example.com", "password": "hunter2"}"#;
    println!("{:?}", create_user(body, 1, 1_700_000_000));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn ada() -> User {
        User {
            id: 7,
            username: "ada".to_string(),
            email: "ada@example.com".to_string(),
            password_hash: hash_password("hunter2"),
            is_admin: false,
            bio: None,
            created_at: 1_700_000_000,
        }
    }

    #[test]
    fn dto_has_exactly_the_public_fields_in_camel_case() {
        let value = serde_json::to_value(UserDto::from(&ada())).unwrap();
        assert_eq!(
            value,
            json!({
                "id": 7,
                "username": "ada",
                "email": "ada@example.com",
                "isAdmin": false,
                "createdAt": 1_700_000_000,
            }),
            "camelCase keys for JS clients, no password hash, and no \"bio\": null when there is no bio"
        );
    }

    #[test]
    fn dto_copies_every_public_field() {
        // Every field away from the defaults of `ada()`, so a hard-coded value shows.
        let grace = User {
            id: 12,
            username: "grace".to_string(),
            email: "grace@navy.mil".to_string(),
            password_hash: hash_password("cobol"),
            is_admin: true,
            bio: Some("Found the first bug.".to_string()),
            created_at: 1_800_000_000,
        };
        let value = serde_json::to_value(UserDto::from(&grace)).unwrap();
        assert_eq!(
            value,
            json!({
                "id": 12,
                "username": "grace",
                "email": "grace@navy.mil",
                "isAdmin": true,
                "bio": "Found the first bug.",
                "createdAt": 1_800_000_000,
            }),
            "the DTO reports what the model holds: an admin is sent with \"isAdmin\": true"
        );
    }

    #[test]
    fn bio_appears_when_present() {
        let mut user = ada();
        user.bio = Some("First programmer.".to_string());
        let value = serde_json::to_value(UserDto::from(&user)).unwrap();
        assert_eq!(value["bio"], "First programmer.");
    }

    #[test]
    fn the_hash_never_leaks() {
        let user = ada();
        let json = serde_json::to_string(&UserDto::from(&user)).unwrap();
        assert!(
            !json.contains(&user.password_hash) && !json.to_lowercase().contains("password"),
            "the response must not contain the password hash in any form: {json}"
        );
    }

    #[test]
    fn create_user_answers_201_with_the_dto() {
        let body = r#"{"username": "ada", "email": "ada@example.com", "password": "hunter2"}"#;
        let (status, json) = create_user(body, 7, 1_700_000_000);
        assert_eq!(status, 201);
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value, serde_json::to_value(UserDto::from(&ada())).unwrap());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let body =
            r#"{"username": "eve", "email": "eve@example.com", "password": "x", "isAdmin": true}"#;
        let (status, message) = create_user(body, 8, 1_700_000_000);
        assert_eq!(
            status, 400,
            "a client trying to set isAdmin must get 400, not a silently ignored field"
        );
        assert!(
            message.contains("unknown field"),
            "tell the client which field was wrong, got: {message}"
        );
    }

    #[test]
    fn a_400_never_echoes_the_password() {
        let secret = "c0rrect-h0rse-battery";
        for body in [
            format!(
                r#"{{"username": "eve", "email": "e@x.org", "password": "{secret}", "isAdmin": true}}"#
            ),
            format!(r#"{{"username": "eve", "password": "{secret}"}}"#),
            format!(
                r#"{{"username": "eve", "email": "e@x.org", "password": "{secret}"}} trailing"#
            ),
            format!(
                r#"{{"username": "eve", "email": "e@x.org", "password": "{secret}", "bio": 7}}"#
            ),
        ] {
            let (status, message) = create_user(&body, 9, 1_700_000_000);
            assert_eq!(status, 400, "{body}");
            assert!(
                !message.contains(secret) && !message.contains("c0rrect"),
                "the 400 must not reflect the plaintext password back (nor into logs): {message}"
            );
        }
    }

    #[test]
    fn an_empty_bio_is_still_a_bio() {
        let mut user = ada();
        user.bio = Some(String::new());
        let value = serde_json::to_value(UserDto::from(&user)).unwrap();
        assert_eq!(
            value.get("bio"),
            Some(&json!("")),
            "only a missing bio (None) leaves the key out: Some(\"\") is a bio the user emptied, \
             and clients must be able to tell the two apart: {value}"
        );
    }

    #[test]
    fn the_dto_never_holds_the_hash() {
        // DTOs end up in logs through `{:?}`: the hash must not be in the DTO at all, not
        // merely hidden from serde by an attribute.
        let user = ada();
        let dto = UserDto::from(&user);
        let debug = format!("{dto:?}");
        assert!(
            !debug.contains(&user.password_hash) && !debug.to_lowercase().contains("password"),
            "the DTO carries the password hash (its Debug shows it): {debug}"
        );
    }

    #[test]
    fn a_400_never_echoes_a_value_of_the_wrong_type() {
        // serde's message for a type mismatch quotes the value: "invalid type: integer
        // `31415926`, expected a string". A password sent as a number is still a password.
        for (body, value) in [
            (
                r#"{"username":"ada","email":"a@x.org","password":31415926}"#,
                "31415926",
            ),
            (
                r#"{"username":"ada","email":"a@x.org","password":2.7182818}"#,
                "7182818",
            ),
            (
                r#"{"username":"ada","email":"a@x.org","password":"x","bio":16180339}"#,
                "16180339",
            ),
            (
                r#"{"username":"ada","email":-14142135,"password":"x"}"#,
                "14142135",
            ),
        ] {
            let (status, message) = create_user(body, 1, 1);
            assert_eq!(status, 400, "{body}");
            assert!(
                !message.contains(value),
                "the 400 quotes a value of the request back: {message}"
            );
            assert!(message.starts_with("bad request"), "{message}");
        }
        let (status, message) = create_user(r#"{"username":"ada","password":"x"}"#, 1, 1);
        assert_eq!(status, 400);
        assert!(
            message.contains("missing field") && message.contains("email"),
            "the 400 still names the field that is missing: {message}"
        );
    }
}
