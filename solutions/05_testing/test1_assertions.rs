// Scenario: `GET /articles?limit=N` parses its `limit` with the function below. It works, but it
// has no tests, and the next refactor will break it silently. Your job here is the opposite of
// usual: the code is done, the TESTS are yours to write.
//
// Each test below describes what to check. Replace its `todo!()` with assertions:
// `assert_eq!(actual, expected, "message")` for values, `assert!(condition, "message")` for
// conditions, `assert!(matches!(value, Pattern))` for enum variants with data. Always add a
// message that says what was expected and why: it is what you will read when it fails in CI.
//
// Done means: every test asserts what its comment asks, and they all pass.

#[derive(Debug, PartialEq)]
pub enum LimitError {
    Zero,
    NotANumber(String),
}

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// Reads `limit` from a query string like "q=rust&limit=50".
/// Absent: DEFAULT_LIMIT. Above MAX_LIMIT: clamped to MAX_LIMIT. 0 or not a number: an error.
pub fn parse_limit(query: &str) -> Result<u32, LimitError> {
    let raw = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "limit")
        .map(|(_, value)| value);
    let Some(raw) = raw else {
        return Ok(DEFAULT_LIMIT);
    };
    match raw.parse::<u32>() {
        Ok(0) => Err(LimitError::Zero),
        Ok(n) => Ok(n.min(MAX_LIMIT)),
        Err(_) => Err(LimitError::NotANumber(raw.to_string())),
    }
}

fn main() {
    println!("{:?}", parse_limit("q=rust&limit=50"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_limit_uses_the_default() {
        // parse_limit("") and parse_limit("q=rust") both give Ok(DEFAULT_LIMIT).
        assert_eq!(
            parse_limit(""),
            Ok(DEFAULT_LIMIT),
            "an empty query has no limit: use the default"
        );
        assert_eq!(
            parse_limit("q=rust"),
            Ok(DEFAULT_LIMIT),
            "other parameters don't count as a limit"
        );
    }

    #[test]
    fn limit_is_read_from_anywhere_in_the_query() {
        // "limit=50" and "q=rust&limit=50&sort=new" both give Ok(50).
        assert_eq!(
            parse_limit("limit=50"),
            Ok(50),
            "a valid limit is used as is"
        );
        assert_eq!(
            parse_limit("q=rust&limit=50&sort=new"),
            Ok(50),
            "the position of limit in the query doesn't matter"
        );
    }

    #[test]
    fn large_limits_are_clamped() {
        // "limit=500" gives Ok(MAX_LIMIT); "limit=100" (exactly the max) gives Ok(100).
        assert_eq!(
            parse_limit("limit=500"),
            Ok(MAX_LIMIT),
            "limits above the maximum are clamped, not rejected"
        );
        assert_eq!(
            parse_limit("limit=100"),
            Ok(100),
            "the maximum itself is allowed"
        );
    }

    #[test]
    fn zero_is_rejected() {
        // "limit=0" gives Err(LimitError::Zero).
        assert_eq!(
            parse_limit("limit=0"),
            Err(LimitError::Zero),
            "a page of zero items is a client error"
        );
    }

    #[test]
    fn garbage_is_rejected_and_reported() {
        // "limit=ten" and "limit=-5" are Err(LimitError::NotANumber(_)); check with `matches!`,
        // and check that the error for "limit=ten" carries the offending text "ten".
        assert!(
            matches!(parse_limit("limit=ten"), Err(LimitError::NotANumber(_))),
            "words are not numbers"
        );
        assert!(
            matches!(parse_limit("limit=-5"), Err(LimitError::NotANumber(_))),
            "negative numbers don't fit a u32"
        );
        assert_eq!(
            parse_limit("limit=ten"),
            Err(LimitError::NotANumber("ten".to_string())),
            "the error carries the bad value so the 400 response can quote it"
        );
    }
}
