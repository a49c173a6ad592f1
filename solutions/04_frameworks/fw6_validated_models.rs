// Scenario: signup data is passed around as plain `String`s, and every function re-checks (or
// forgets to check) that the email looks like an email. Last week a username with spaces broke
// profile URLs. The fix is to "parse, don't validate": newtypes `Email` and `Username` whose
// only constructor is `TryFrom<&str>`, so an invalid value cannot exist at all, and JSON input
// is validated while it is deserialized (like pydantic models or DRF serializer fields).
//
// Done means: both `TryFrom` impls enforce the rules below, and deserializing a `Signup` from
// JSON goes through them (serde's `try_from` container attribute), so bad input is rejected at
// the door with a helpful message.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum ValidationError {
    InvalidEmail(String),
    InvalidUsername(String),
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationError::InvalidEmail(why) => write!(f, "invalid email: {why}"),
            ValidationError::InvalidUsername(why) => write!(f, "invalid username: {why}"),
        }
    }
}

impl std::error::Error for ValidationError {}

/// A syntactically plausible, normalized (trimmed, lowercase) email address. Lowercase means
/// every letter, not only ASCII (`str::to_lowercase`: `ÉLISE@x.org` is `élise@x.org`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// 3 to 20 characters: ASCII only (a-z, 0-9 and '_'), starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl TryFrom<&str> for Email {
    type Error = ValidationError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        let err = |why: &str| Err(ValidationError::InvalidEmail(why.to_string()));
        let email = value.trim().to_lowercase();
        if email.len() > 254 {
            return err("longer than 254 characters");
        }
        if email.chars().any(char::is_whitespace) {
            return err("contains whitespace");
        }
        let Some((local, domain)) = email.split_once('@') else {
            return err("missing '@'");
        };
        if local.is_empty() || domain.contains('@') {
            return err("needs exactly one '@' with something before it");
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return err("domain needs a dot between two labels");
        }
        Ok(Email(email))
    }
}

impl TryFrom<&str> for Username {
    type Error = ValidationError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        let err = |why: &str| Err(ValidationError::InvalidUsername(why.to_string()));
        let len = value.chars().count();
        if !(3..=20).contains(&len) {
            return err("must be 3 to 20 characters");
        }
        if !value.starts_with(|c: char| c.is_ascii_lowercase()) {
            return err("must start with a lowercase letter");
        }
        if !value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return err("only a-z, 0-9 and '_' are allowed");
        }
        Ok(Username(value.to_string()))
    }
}

// serde's `try_from = "String"` needs `TryFrom<String>`; delegate to the `&str` version.
impl TryFrom<String> for Email {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::try_from(value.as_str())
    }
}

impl TryFrom<String> for Username {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Username::try_from(value.as_str())
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl From<Username> for String {
    fn from(value: Username) -> Self {
        value.0
    }
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Username {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Deserialize)]
pub struct Signup {
    pub username: Username,
    pub email: Email,
}

fn main() {
    let input = r#"{"username": "ada_l", "email": "Ada@Example.com"}"#;
    println!("{:?}", serde_json::from_str::<Signup>(input));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_emails_are_normalized() {
        let email = Email::try_from("  Ada.Lovelace@Example.COM ").unwrap();
        assert_eq!(
            email.as_str(),
            "ada.lovelace@example.com",
            "trimmed and lowercased"
        );
        assert!(Email::try_from("a@b.io").is_ok());
    }

    #[test]
    fn emails_are_at_most_254_characters() {
        let longest = format!("{}@example.com", "a".repeat(254 - "@example.com".len()));
        assert_eq!(longest.len(), 254);
        assert!(Email::try_from(longest.as_str()).is_ok(), "254 is allowed");
        let too_long = format!("a{longest}");
        assert!(
            matches!(
                Email::try_from(too_long.as_str()),
                Err(ValidationError::InvalidEmail(_))
            ),
            "255 characters is too long (RFC 5321's limit on a path is 254)"
        );
        assert!(
            Email::try_from(format!("  {longest}  ").as_str()).is_ok(),
            "the limit applies after trimming"
        );
    }

    #[test]
    fn the_length_limit_counts_bytes() {
        // "é" is two bytes in UTF-8: 127 of them are 254 bytes but only 127 characters.
        let domain = "@example.com";
        let fits = format!("{}{}", "é".repeat(121), domain);
        assert_eq!(fits.len(), 254);
        assert!(
            Email::try_from(fits.as_str()).is_ok(),
            "254 bytes is allowed"
        );
        let too_long = format!("a{fits}");
        assert_eq!((too_long.len(), too_long.chars().count()), (255, 134));
        assert!(
            matches!(
                Email::try_from(too_long.as_str()),
                Err(ValidationError::InvalidEmail(_))
            ),
            "255 bytes is too long even though it is only 134 characters (RFC 5321 counts octets)"
        );
    }

    #[test]
    fn no_kind_of_whitespace_inside_an_email() {
        let mut checked = 0;
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            if !c.is_whitespace() {
                continue;
            }
            checked += 1;
            for bad in [
                format!("ada{c}l@example.com"),
                format!("ada@exam{c}ple.com"),
            ] {
                assert!(
                    matches!(
                        Email::try_from(bad.as_str()),
                        Err(ValidationError::InvalidEmail(_))
                    ),
                    "{bad:?} contains the whitespace character U+{:04X}: every kind of whitespace \
                     (char::is_whitespace), not only ' ', is refused",
                    c as u32
                );
            }
        }
        assert!(
            checked > 20,
            "tabs, newlines, no-break spaces, em spaces..."
        );
        let err = serde_json::from_str::<Signup>(
            r#"{"username": "ada_l", "email": "ada\tl@example.com"}"#,
        )
        .expect_err("a tab inside the email in JSON must fail deserialization");
        assert!(err.to_string().contains("invalid email"), "got: {err}");
    }

    #[test]
    fn invalid_emails_cannot_be_built() {
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "ada@localhost",
            "ada@@example.com",
            "ada@example.",
            "ada@.com",
            "ada lovelace@example.com",
        ] {
            assert!(
                matches!(Email::try_from(bad), Err(ValidationError::InvalidEmail(_))),
                "{bad:?} must be rejected with ValidationError::InvalidEmail"
            );
        }
    }

    #[test]
    fn usernames() {
        for good in ["ada", "ada_lovelace", "a1b2c3", "abcdefghijklmnopqrst"] {
            assert!(
                Username::try_from(good).is_ok(),
                "{good:?} is a valid username"
            );
        }
        for bad in [
            "ab",
            "abcdefghijklmnopqrstu",
            "Ada",
            "1ada",
            "_ada",
            "ada lovelace",
            "ada-l",
            "adé",
        ] {
            assert!(
                matches!(
                    Username::try_from(bad),
                    Err(ValidationError::InvalidUsername(_))
                ),
                "{bad:?} must be rejected with ValidationError::InvalidUsername"
            );
        }
    }

    #[test]
    fn json_is_validated_while_parsing() {
        let ok: Signup =
            serde_json::from_str(r#"{"username": "ada_l", "email": "ADA@example.com"}"#).unwrap();
        assert_eq!(
            ok.email.as_str(),
            "ada@example.com",
            "normalized during parsing"
        );
        assert_eq!(ok.username.as_str(), "ada_l");

        let err = serde_json::from_str::<Signup>(r#"{"username": "ada_l", "email": "nope"}"#)
            .expect_err("an invalid email in JSON must fail deserialization");
        assert!(
            err.to_string().contains("invalid email"),
            "the error explains what was wrong, got: {err}"
        );
        let err = serde_json::from_str::<Signup>(r#"{"username": "A D A", "email": "a@b.io"}"#)
            .expect_err("an invalid username in JSON must fail deserialization");
        assert!(err.to_string().contains("invalid username"), "got: {err}");
    }

    #[test]
    fn serializes_as_a_plain_string() {
        let email = Email::try_from("a@b.io").unwrap();
        assert_eq!(
            serde_json::to_string(&email).unwrap(),
            r#""a@b.io""#,
            "on the wire a newtype is just its string"
        );
    }

    #[test]
    fn emails_are_lowercased_beyond_ascii() {
        for (typed, stored) in [
            ("ÉLISE@x.org", "élise@x.org"),
            ("Ölçer@Örnek.COM", "ölçer@örnek.com"),
            ("ΑΘΗΝΑ@x.gr", "αθηνα@x.gr"),
            ("ДОМ@Пример.рф", "дом@пример.рф"),
        ] {
            let email = Email::try_from(typed).unwrap();
            assert_eq!(email.as_str(), stored, "{typed}: every letter lowercased");
            assert_eq!(
                Email::try_from(stored).unwrap(),
                email,
                "one address, one form"
            );
        }
        let signup: Signup =
            serde_json::from_str(r#"{"email": "ÉLISE@X.ORG", "username": "elise"}"#).unwrap();
        assert_eq!(signup.email.as_str(), "élise@x.org");
    }

    #[test]
    fn username_characters_are_exactly_the_ascii_ones() {
        // Every character of the planes that hold letters and digits (0 to 3), in first and in
        // later position: only a-z first, then only a-z, 0-9 and '_'. `char::is_numeric`, `is_alphanumeric` or `is_lowercase` let in
        // Arabic-Indic digits, superscripts, fractions, full-width digits, ñ, ß...
        let mut name = String::new();
        for c in (0..=0x3FFFFu32).filter_map(char::from_u32) {
            let later = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
            for (first, allowed) in [(false, later), (true, c.is_ascii_lowercase())] {
                name.clear();
                if first {
                    name.push(c);
                    name.push_str("bc");
                } else {
                    name.push_str("abc");
                    name.push(c);
                }
                let got = Username::try_from(name.as_str());
                assert!(
                    if allowed {
                        got.is_ok()
                    } else {
                        matches!(got, Err(ValidationError::InvalidUsername(_)))
                    },
                    "{name:?} (U+{:04X}): usernames are lowercase ASCII letters, ASCII digits \
                     and '_', starting with a letter; allowed: {allowed}, got: {got:?}",
                    c as u32
                );
            }
        }
        for name in [
            "abc\u{0661}\u{0662}",
            "ab\u{00B2}",
            "user\u{00BD}",
            "abc\u{FF11}",
        ] {
            let json = format!(r#"{{"username": "{name}", "email": "a@b.io"}}"#);
            let err = serde_json::from_str::<Signup>(&json)
                .expect_err("a username with a non-ASCII digit must fail deserialization");
            assert!(
                err.to_string().contains("invalid username"),
                "{name}: {err}"
            );
        }
    }
}
