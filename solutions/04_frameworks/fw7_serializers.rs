// Scenario: `GET /users/7` serialized the database model straight to JSON, and a security
// review found `password_hash` in the response. Worse, `POST /users` deserialized into a struct
// that silently ignored extra fields, and nobody noticed clients sending `"isAdmin": true`.
// Frameworks separate the *model* (what is stored) from *DTOs* (what crosses the wire): DRF
// serializers, FastAPI `response_model`, Django forms' `fields = [...]`.
//
// Done means: `UserDto` is the only thing we serialize: camelCase keys, no password hash, no
// `bio` key at all when there is none; and `CreateUserRequest` rejects unknown fields instead
// of ignoring them (so a mass-assignment attempt fails loudly with 400). A 400 says what was
// wrong without echoing the request: the body holds a plaintext password, and error messages
// end up in logs.

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

/// POST /users: parse the body, build the model, answer with the DTO.
pub fn create_user(body: &str, id: u64, now: u64) -> (u16, String) {
    let req: CreateUserRequest = match serde_json::from_str(body) {
        Ok(req) => req,
        Err(e) => return (400, format!("bad request: {e}")),
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
}
