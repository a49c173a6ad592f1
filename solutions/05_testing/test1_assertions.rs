// Scenario: `GET /articles?limit=N` parses its `limit` with `parse_limit` below. It works, but it
// has no tests, and the next refactor will break it silently. Your job here is the opposite of
// usual: the code is done, the CHECKS are yours to write.
//
// Each `check_*` function receives a parser (`parse_limit`, or a broken copy of it) and must
// PANIC, through a failing assertion, if that parser gets its rule wrong. Its comment says exactly
// what to assert. Use `assert_eq!(actual, expected, "message")` for values,
// `assert!(condition, "message")` for conditions and `assert!(matches!(value, Pattern), "message")`
// for enum variants whose data you don't want to spell out. Always add a message that says what
// was expected and why: it is what you will read when it fails in CI.
//
// The graded tests at the bottom run every check on the correct `parse_limit` and on another
// correct parser (it must NOT panic), and on several parsers with planted bugs, each breaking
// the check's rule in its own way (every one MUST panic: `is_ok()` or `is_err()` is not
// enough, assert the exact answer). Done means: every check passes correct parsers and
// catches all its bugs. (One thing the tests
// cannot see: a check that asks `parse_limit` itself for the expected answer is circular.
// State the expected values, as the comments say.)

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

/// Any function with the same signature as `parse_limit`: the real one or a broken copy.
pub type ParseFn = fn(&str) -> Result<u32, LimitError>;

// ---- Your checks. Each one panics (a failing assert) if `parse` breaks its rule. ----

/// A query without `limit` gets the default page size.
pub fn check_default(parse: ParseFn) {
    // Assert that parse("") and parse("q=rust") both give Ok(DEFAULT_LIMIT).
    assert_eq!(
        parse(""),
        Ok(DEFAULT_LIMIT),
        "an empty query has no limit: use the default"
    );
    assert_eq!(
        parse("q=rust"),
        Ok(DEFAULT_LIMIT),
        "other parameters don't count as a limit: use the default"
    );
}

/// `limit` is found wherever it is in the query.
pub fn check_position_in_query(parse: ParseFn) {
    // Assert that parse("limit=50") and parse("q=rust&limit=50&sort=new") both give Ok(50).
    assert_eq!(parse("limit=50"), Ok(50), "a valid limit is used as is");
    assert_eq!(
        parse("q=rust&limit=50&sort=new"),
        Ok(50),
        "the position of limit in the query doesn't matter"
    );
}

/// Too large is not an error: it is clamped to the maximum.
pub fn check_clamping(parse: ParseFn) {
    // Assert that parse("limit=500") gives Ok(MAX_LIMIT) and parse("limit=100") (exactly the
    // maximum) gives Ok(100).
    assert_eq!(
        parse("limit=500"),
        Ok(MAX_LIMIT),
        "limits above the maximum are clamped, not rejected"
    );
    assert_eq!(parse("limit=100"), Ok(100), "the maximum itself is allowed");
}

/// A page of zero items makes no sense.
pub fn check_zero_rejected(parse: ParseFn) {
    // Assert that parse("limit=0") gives Err(LimitError::Zero).
    assert_eq!(
        parse("limit=0"),
        Err(LimitError::Zero),
        "limit=0 is a client error, not an empty page"
    );
}

/// Text that is not a positive number is an error that quotes the bad value.
pub fn check_garbage_reported(parse: ParseFn) {
    // Assert with `matches!` that parse("limit=-5") is Err(LimitError::NotANumber(_)) (a
    // negative value is NotANumber, not Zero: it is not a count at all), then with `assert_eq!` that
    // parse("limit=ten") is exactly Err(LimitError::NotANumber("ten".to_string())): the 400
    // response quotes the bad value.
    assert!(
        matches!(parse("limit=-5"), Err(LimitError::NotANumber(_))),
        "negative numbers don't fit a u32: not a number"
    );
    assert_eq!(
        parse("limit=ten"),
        Err(LimitError::NotANumber("ten".to_string())),
        "the error carries the bad value so the 400 response can quote it"
    );
}

fn main() {
    // Your checks must all pass on the real parser.
    check_default(parse_limit);
    check_position_in_query(parse_limit);
    check_clamping(parse_limit);
    check_zero_rejected(parse_limit);
    check_garbage_reported(parse_limit);
    println!("{:?}", parse_limit("q=rust&limit=50"));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parsers a test judges a check on, in an order no code of the learner's can
    /// predict: a check that counts its calls, or remembers which came first, learns nothing
    /// (red team round 8). The seed comes from the standard library's per-process random hash
    /// keys, and is printed when a test fails.
    fn shuffled<T>(mut items: Vec<T>) -> (Vec<T>, u64) {
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
            | 1;
        let mut state = seed;
        for i in (1..items.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            items.swap(i, (state % (i as u64 + 1)) as usize);
        }
        (items, seed)
    }

    /// Runs `check` on `parse` in a thread of its own, named like every other (so the name
    /// tells nothing); true if it panicked (its message is printed above).
    fn panics(check: fn(ParseFn), parse: ParseFn) -> bool {
        std::thread::Builder::new()
            .name("judge".to_string())
            .spawn(move || check(parse))
            .expect("a thread")
            .join()
            .is_err()
    }

    /// `check` must accept the correct parsers and catch every buggy one, all of them judged
    /// in one shuffled run.
    fn grade(name: &str, check: fn(ParseFn), bugs: &[(ParseFn, &str)]) {
        let mut judged: Vec<(ParseFn, Option<&str>)> =
            vec![(parse_limit, None), (correct_rewrite, None)];
        judged.extend(bugs.iter().map(|&(buggy, bug)| (buggy, Some(bug))));
        let (judged, seed) = shuffled(judged);
        for (parse, bug) in judged {
            match bug {
                None => assert!(
                    !panics(check, parse),
                    "{name} panics on a CORRECT parser (parse_limit, or a rewrite that follows \
                     every rule; see the assertion above): it expects something a correct \
                     parser rightly doesn't do, or judges which function it is given or when \
                     it is called rather than what the parser answers (order seed {seed})"
                ),
                Some(bug) => assert!(
                    panics(check, parse),
                    "{name} passes a buggy parser that {bug}: assert the exact answers its \
                     comment asks for (order seed {seed})"
                ),
            }
        }
    }

    // ---- Planted bugs: each parser breaks exactly one rule, several per check, so only a
    // check that asserts the exact answers catches them all. ----

    fn find_limit(query: &str) -> Option<&str> {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "limit")
            .map(|(_, value)| value)
    }

    fn to_limit(raw: &str) -> Result<u32, LimitError> {
        match raw.parse::<u32>() {
            Ok(0) => Err(LimitError::Zero),
            Ok(n) => Ok(n.min(MAX_LIMIT)),
            Err(_) => Err(LimitError::NotANumber(raw.to_string())),
        }
    }

    /// Follows every rule, through code of its own.
    fn correct_rewrite(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => to_limit(raw),
        }
    }

    fn buggy_forgets_default(query: &str) -> Result<u32, LimitError> {
        to_limit(find_limit(query).unwrap_or(""))
    }

    fn buggy_default_only_for_an_empty_query(query: &str) -> Result<u32, LimitError> {
        if query.is_empty() {
            return Ok(DEFAULT_LIMIT);
        }
        to_limit(find_limit(query).unwrap_or(""))
    }

    fn buggy_wrong_default(query: &str) -> Result<u32, LimitError> {
        find_limit(query).map_or(Ok(10), to_limit)
    }

    fn buggy_last_pair_only(query: &str) -> Result<u32, LimitError> {
        let last = query.rsplit('&').next().unwrap_or("");
        match last.strip_prefix("limit=") {
            Some(raw) => to_limit(raw),
            None => Ok(DEFAULT_LIMIT),
        }
    }

    fn buggy_first_digit_only(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => to_limit(raw.get(..1).unwrap_or(raw)),
        }
    }

    fn buggy_clamps_one_below_the_maximum(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => to_limit(raw).map(|n| n.min(MAX_LIMIT - 1)),
        }
    }

    fn buggy_rejects_above_the_maximum(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if n > MAX_LIMIT => Err(LimitError::NotANumber(raw.to_string())),
                _ => to_limit(raw),
            },
        }
    }

    fn buggy_zero_means_default(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None | Some("0") => Ok(DEFAULT_LIMIT),
            Some(raw) => to_limit(raw),
        }
    }

    fn buggy_zero_is_not_a_number(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some("0") => Err(LimitError::NotANumber("0".to_string())),
            Some(raw) => to_limit(raw),
        }
    }

    fn buggy_ignores_the_sign(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => to_limit(raw.trim_start_matches('-')),
        }
    }

    fn buggy_quotes_the_whole_query(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => to_limit(raw).map_err(|error| match error {
                LimitError::NotANumber(_) => LimitError::NotANumber(query.to_string()),
                other => other,
            }),
        }
    }

    /// Splits every pair strictly, so a pair without '=' (the empty query is one) is an error.
    fn buggy_strict_pairs(query: &str) -> Result<u32, LimitError> {
        let mut limit = None;
        for pair in query.split('&') {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| LimitError::NotANumber(pair.to_string()))?;
            if key == "limit" {
                limit = Some(value);
            }
        }
        limit.map_or(Ok(DEFAULT_LIMIT), to_limit)
    }

    /// Looks for "&limit=" (to avoid matching "xlimit="), so a limit at the start is missed.
    fn buggy_needs_a_pair_before(query: &str) -> Result<u32, LimitError> {
        match query.split_once("&limit=") {
            None => Ok(DEFAULT_LIMIT),
            Some((_, rest)) => to_limit(rest.split('&').next().unwrap_or("")),
        }
    }

    /// Accepts the exclusive range 1..MAX_LIMIT and clamps what is above it, so the maximum
    /// itself falls through to the error branch.
    fn buggy_exclusive_maximum(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (1..MAX_LIMIT).contains(&n) => Ok(n),
                Ok(n) if n > MAX_LIMIT => Ok(MAX_LIMIT),
                Ok(_) => Err(LimitError::Zero),
                Err(_) => Err(LimitError::NotANumber(raw.to_string())),
            },
        }
    }

    /// Parses a signed number and calls everything up to 0 Zero.
    fn buggy_negative_is_zero(query: &str) -> Result<u32, LimitError> {
        match find_limit(query) {
            None => Ok(DEFAULT_LIMIT),
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if n <= 0 => Err(LimitError::Zero),
                Ok(n) => Ok(u32::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT)),
                Err(_) => Err(LimitError::NotANumber(raw.to_string())),
            },
        }
    }

    fn buggy_first_pair_only(query: &str) -> Result<u32, LimitError> {
        let first = query.split('&').next().unwrap_or("");
        match first.strip_prefix("limit=") {
            Some(raw) => to_limit(raw),
            None => Ok(DEFAULT_LIMIT),
        }
    }

    fn buggy_no_clamp(query: &str) -> Result<u32, LimitError> {
        let Some(raw) = find_limit(query) else {
            return Ok(DEFAULT_LIMIT);
        };
        match raw.parse::<u32>() {
            Ok(0) => Err(LimitError::Zero),
            Ok(n) => Ok(n),
            Err(_) => Err(LimitError::NotANumber(raw.to_string())),
        }
    }

    fn buggy_accepts_zero(query: &str) -> Result<u32, LimitError> {
        let Some(raw) = find_limit(query) else {
            return Ok(DEFAULT_LIMIT);
        };
        raw.parse::<u32>()
            .map(|n| n.min(MAX_LIMIT))
            .map_err(|_| LimitError::NotANumber(raw.to_string()))
    }

    fn buggy_loses_text(query: &str) -> Result<u32, LimitError> {
        let Some(raw) = find_limit(query) else {
            return Ok(DEFAULT_LIMIT);
        };
        to_limit(raw).map_err(|error| match error {
            LimitError::NotANumber(_) => LimitError::NotANumber(String::new()),
            other => other,
        })
    }

    #[test]
    fn the_documented_limits() {
        assert_eq!(
            (DEFAULT_LIMIT, MAX_LIMIT),
            (20, 100),
            "the API documents a default page of 20 items and a maximum of 100"
        );
    }

    #[test]
    fn check_default_works() {
        grade(
            "check_default",
            check_default,
            &[
                (
                    buggy_forgets_default,
                    "answers NotANumber(\"\") when limit is absent",
                ),
                (
                    buggy_default_only_for_an_empty_query,
                    "gives the default only to an empty query, not to q=rust",
                ),
                (buggy_wrong_default, "uses 10 as the default"),
                (
                    buggy_strict_pairs,
                    "answers NotANumber(\"\") for the empty query (a pair without '=')",
                ),
            ],
        );
    }

    #[test]
    fn check_position_in_query_works() {
        grade(
            "check_position_in_query",
            check_position_in_query,
            &[
                (
                    buggy_first_pair_only,
                    "only looks at the first pair of the query",
                ),
                (
                    buggy_last_pair_only,
                    "only looks at the last pair of the query",
                ),
                (
                    buggy_first_digit_only,
                    "reads only the first digit of the value (limit=50 is 5)",
                ),
                (
                    buggy_needs_a_pair_before,
                    "only finds \"&limit=\", so limit=50 alone gives the default",
                ),
            ],
        );
    }

    #[test]
    fn check_clamping_works() {
        grade(
            "check_clamping",
            check_clamping,
            &[
                (buggy_no_clamp, "returns limit=500 as 500"),
                (
                    buggy_clamps_one_below_the_maximum,
                    "clamps to 99, so the maximum itself is refused",
                ),
                (
                    buggy_rejects_above_the_maximum,
                    "answers an error for limit=500 instead of clamping",
                ),
                (
                    buggy_exclusive_maximum,
                    "refuses limit=100 (exactly the maximum) as Zero",
                ),
            ],
        );
    }

    #[test]
    fn check_zero_rejected_works() {
        grade(
            "check_zero_rejected",
            check_zero_rejected,
            &[
                (buggy_accepts_zero, "accepts limit=0 as Ok(0)"),
                (buggy_zero_means_default, "turns limit=0 into the default"),
                (
                    buggy_zero_is_not_a_number,
                    "reports limit=0 as NotANumber(\"0\") instead of Zero",
                ),
            ],
        );
    }

    #[test]
    fn check_garbage_reported_works() {
        grade(
            "check_garbage_reported",
            check_garbage_reported,
            &[
                (
                    buggy_loses_text,
                    "reports NotANumber(\"\") instead of quoting the bad text",
                ),
                (buggy_ignores_the_sign, "reads limit=-5 as 5"),
                (
                    buggy_quotes_the_whole_query,
                    "quotes the whole query instead of the bad value",
                ),
                (
                    buggy_negative_is_zero,
                    "answers Zero for limit=-5 instead of NotANumber",
                ),
            ],
        );
    }
}
