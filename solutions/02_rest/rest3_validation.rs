// Validation: 422 with every field error at once
//
// `POST /signup` checks its fields one by one and returns at the first problem, so a user fixes
// the username, submits, learns the email is wrong, submits again, learns they are too young...
// The frontend team wants one answer listing every invalid field, in a shape they can map onto
// the form: `{"errors": [{"field": "email", "code": "invalid_format", "message": "..."}]}`.
//
// Done means: `validate` collects all field errors (in field order: username, email, age, tags)
// and `handle_signup` answers 400 for a body that is not valid JSON of the right shape (syntax),
// 422 Unprocessable Content with the error list for well-formed but invalid data (semantics),
// and 201 with `{"username": ...}` otherwise.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
pub struct SignupRequest {
    pub username: String,
    pub email: String,
    pub age: Option<u32>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

fn field_error(field: &str, code: &'static str, message: &str) -> FieldError {
    FieldError {
        field: field.to_string(),
        code,
        message: message.to_string(),
    }
}

/// Each error names its `field`, carries the `code` given below and a `message` for people
/// (your own wording; clients switch on `code`, never on `message`).
/// Rules:
/// - username: 3 to 20 characters (`too_short` / `too_long`), only `a-z`, `0-9` and `_`
///   (`invalid_chars`); a username can break both rules at once.
/// - email: exactly one `@`, something before it, and a domain after it that contains a `.`
///   which is neither its first nor its last character (`invalid_format`).
/// - age: optional; when given it must be at least 13 (`too_young`).
/// - tags: at most 5 (`too_many`, field `tags`); each must be non-blank (`empty`, field
///   `tags[i]` with the tag's index). Blank means empty or only whitespace, of any kind: spaces,
///   tabs, line breaks, no-break and ideographic spaces.
pub fn validate(request: &SignupRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();

    let length = request.username.chars().count();
    if length < 3 {
        errors.push(field_error(
            "username",
            "too_short",
            "at least 3 characters",
        ));
    } else if length > 20 {
        errors.push(field_error("username", "too_long", "at most 20 characters"));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    if !request.username.chars().all(allowed) {
        errors.push(field_error(
            "username",
            "invalid_chars",
            "only a-z, 0-9 and _",
        ));
    }

    let email_ok = match request.email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    };
    if !email_ok {
        errors.push(field_error(
            "email",
            "invalid_format",
            "not an email address",
        ));
    }

    if request.age.is_some_and(|age| age < 13) {
        errors.push(field_error("age", "too_young", "you must be at least 13"));
    }

    if request.tags.len() > 5 {
        errors.push(field_error("tags", "too_many", "at most 5 tags"));
    }
    for (i, tag) in request.tags.iter().enumerate() {
        if tag.trim().is_empty() {
            errors.push(field_error(
                &format!("tags[{i}]"),
                "empty",
                "a tag cannot be blank",
            ));
        }
    }
    errors
}

/// Handles `POST /signup`: returns (status, JSON body).
pub fn handle_signup(body: &str) -> (u16, Value) {
    let request: SignupRequest = match serde_json::from_str(body) {
        Ok(request) => request,
        Err(err) => return (400, json!({ "error": err.to_string() })),
    };
    let errors = validate(&request);
    if errors.is_empty() {
        (201, json!({ "username": request.username }))
    } else {
        (422, json!({ "errors": errors }))
    }
}

fn main() {
    let (status, body) = handle_signup(r#"{"username": "A!", "email": "nope", "age": 9}"#);
    println!("{status} {body:#}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(body: &str) -> Vec<(String, String)> {
        let request: SignupRequest = serde_json::from_str(body).unwrap();
        validate(&request)
            .into_iter()
            .map(|e| (e.field, e.code.to_string()))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn valid_signup_is_201() {
        let (status, body) =
            handle_signup(r#"{"username": "ada_99", "email": "ada@example.com", "age": 36}"#);
        assert_eq!(status, 201, "valid data creates the account");
        assert_eq!(body, json!({ "username": "ada_99" }));
    }

    #[test]
    fn every_error_is_reported_not_just_the_first() {
        assert_eq!(
            codes(r#"{"username": "A!", "email": "nope", "age": 9}"#),
            pairs(&[
                ("username", "too_short"),
                ("username", "invalid_chars"),
                ("email", "invalid_format"),
                ("age", "too_young"),
            ]),
            "collect all field errors, in field order, instead of returning at the first one"
        );
    }

    #[test]
    fn username_rules() {
        assert_eq!(
            codes(r#"{"username": "abcdefghijklmnopqrstu", "email": "a@b.io"}"#),
            pairs(&[("username", "too_long")]),
            "21 characters is one too many"
        );
        assert!(
            codes(r#"{"username": "abc", "email": "a@b.io"}"#).is_empty(),
            "3 characters is the minimum and is allowed"
        );
        assert_eq!(
            codes(r#"{"username": "Ada", "email": "a@b.io"}"#),
            pairs(&[("username", "invalid_chars")]),
            "upper case is not allowed"
        );
        assert_eq!(
            codes(r#"{"username": "éé", "email": "a@b.io"}"#),
            pairs(&[("username", "too_short"), ("username", "invalid_chars")]),
            "lengths count characters, not UTF-8 bytes: \"éé\" is 2 characters (4 bytes)"
        );
    }

    #[test]
    fn email_rules() {
        for bad in ["@b.io", "a@b", "a@@b.io", "a@b.io.", "a@.io", "ab.io"] {
            let body = format!(r#"{{"username": "ada", "email": "{bad}"}}"#);
            assert_eq!(
                codes(&body),
                pairs(&[("email", "invalid_format")]),
                "{bad:?} is not an acceptable email"
            );
        }
        assert!(codes(r#"{"username": "ada", "email": "a.b@mail.example.org"}"#).is_empty());
    }

    #[test]
    fn age_is_optional_and_13_is_enough() {
        assert!(codes(r#"{"username": "ada", "email": "a@b.io"}"#).is_empty());
        assert!(codes(r#"{"username": "ada", "email": "a@b.io", "age": 13}"#).is_empty());
    }

    #[test]
    fn tags_rules_name_the_element() {
        assert_eq!(
            codes(
                r#"{"username": "ada", "email": "a@b.io", "tags": ["a", "b", " ", "c", "d", "e"]}"#
            ),
            pairs(&[("tags", "too_many"), ("tags[2]", "empty")]),
            "a list rule reports `tags`, an element rule reports `tags[index]`"
        );
        assert!(
            codes(r#"{"username": "ada", "email": "a@b.io", "tags": ["a", "b", "c", "d", "e"]}"#)
                .is_empty(),
            "5 tags is the maximum and is allowed"
        );
    }

    #[test]
    fn username_length_boundaries() {
        for length in 0..=25 {
            let username = "a".repeat(length);
            let expected: &[(&str, &str)] = match length {
                0..=2 => &[("username", "too_short")],
                3..=20 => &[],
                _ => &[("username", "too_long")],
            };
            assert_eq!(
                codes(&format!(
                    r#"{{"username": "{username}", "email": "a@b.io"}}"#
                )),
                pairs(expected),
                "a username of {length} characters: 3 to 20 are allowed, both ends included"
            );
        }
    }

    #[test]
    fn blank_means_any_whitespace() {
        for blank in [
            "",
            " ",
            "\\t",
            "\\n",
            " \\r\\n\\t ",
            "\\u00a0",
            "\\u3000",
            "\\u2003\\u2028",
        ] {
            let body =
                format!(r#"{{"username": "ada", "email": "a@b.io", "tags": ["rust", "{blank}"]}}"#);
            assert_eq!(
                codes(&body),
                pairs(&[("tags[1]", "empty")]),
                "the tag \"{blank}\" (JSON) is whitespace only: blank, not just when it is spaces"
            );
        }
        assert!(
            codes(r#"{"username": "ada", "email": "a@b.io", "tags": [" rust\t", "c\u00a0d"]}"#)
                .is_empty(),
            "whitespace around or inside a word does not make the tag blank"
        );
    }

    #[test]
    fn invalid_data_is_422_with_error_list() {
        let (status, body) = handle_signup(r#"{"username": "ab", "email": "a@b.io"}"#);
        assert_eq!(
            status, 422,
            "well-formed JSON with invalid values: 422 Unprocessable Content, not 400"
        );
        let errors = body["errors"]
            .as_array()
            .expect("a 422 body is {\"errors\": [...]}");
        assert_eq!(errors.len(), 1, "one rule broken, one error: {body}");
        let error = errors[0].as_object().expect("each error is an object");
        let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["code", "field", "message"],
            "each error is {{field, code, message}}: {body}"
        );
        assert_eq!(error["field"], json!("username"));
        assert_eq!(error["code"], json!("too_short"));
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| !m.trim().is_empty()),
            "the message is free text for humans, but it is not empty: {body}"
        );
    }

    #[test]
    fn malformed_body_is_400() {
        assert_eq!(handle_signup("{not json").0, 400, "syntax error: 400");
        assert_eq!(
            handle_signup(r#"{"username": "ada"}"#).0,
            400,
            "a required key is missing: the body does not have the expected shape, 400"
        );
    }

    #[test]
    fn only_ascii_letters_and_digits_are_allowed() {
        // `a-z` and `0-9` mean exactly those ASCII characters: not Arabic-Indic or superscript
        // digits, Roman numerals, full-width or accented letters.
        for c in [
            '١', '٣', '²', '³', '½', 'Ⅻ', '߀', '０', 'ａ', 'é', 'ß', 'ǅ', '-', ' ',
        ] {
            let request = SignupRequest {
                username: format!("ab{c}"),
                email: "a@b.io".to_string(),
                age: None,
                tags: Vec::new(),
            };
            let found: Vec<(String, String)> = validate(&request)
                .into_iter()
                .map(|e| (e.field, e.code.to_string()))
                .collect();
            assert_eq!(
                found,
                pairs(&[("username", "invalid_chars")]),
                "username {:?} ({c:?} is not in a-z, 0-9 or _)",
                request.username
            );
        }
        assert!(
            codes(r#"{"username": "ab١٢٣", "email": "a@b.io"}"#)
                .contains(&("username".to_string(), "invalid_chars".to_string()))
        );
        assert!(codes(r#"{"username": "az_09", "email": "a@b.io"}"#).is_empty());
    }
}
