// Scenario: the checkout service writes its logs with `format!("{} [{}] {}", ...)`.
// The log pipeline (Loki/Elasticsearch) cannot filter on fields, a message containing a
// quote broke the JSON we glued together by hand, a stack trace with newlines became 30
// separate "events", and DEBUG lines flood production because there is no level filter.
//
// Done means: `Logger::log` emits one JSON object per line (`serde_json` does the escaping),
// with the keys `ts` (milliseconds, injected: tests need no clock), `level` (lowercase),
// `msg`, plus the caller's fields; events below the configured level are dropped; fields
// cannot overwrite the core keys (a field named `level` is renamed `field_level`); and the
// level comes from a config string such as `"warn"` (case-insensitive).

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// Parses a configured level: "debug", "INFO", "Warn", ... (also "warning").
    pub fn parse(s: &str) -> Option<Level> {
        // TODO: case-insensitive; "warning" is an accepted alias for Warn.
        let _ = s;
        todo!()
    }
}

const CORE_KEYS: [&str; 3] = ["ts", "level", "msg"];

pub struct Logger {
    min_level: Level,
    /// Where lines go. A real logger writes them to stdout; we keep them for the tests.
    pub lines: Vec<String>,
}

impl Logger {
    pub fn new(min_level: Level) -> Logger {
        Logger {
            min_level,
            lines: Vec::new(),
        }
    }

    /// Builds a logger from configuration (like `LOG_LEVEL=warn`).
    pub fn from_config(level: &str) -> Result<Logger, String> {
        // TODO: an unknown level is a configuration error that names the bad value
        // (fail at startup, do not silently log everything).
        let _ = level;
        Ok(Logger::new(Level::Debug))
    }

    pub fn log(&mut self, ts_ms: u64, level: Level, msg: &str, fields: &[(&str, Value)]) {
        // TODO: filter by level, build a JSON object (serde_json::Map / json!), rename
        // fields that collide with CORE_KEYS, and push exactly one line.
        let mut line = format!(
            "{{\"ts\":{ts_ms},\"level\":\"{}\",\"msg\":\"{msg}\"",
            level.as_str()
        );
        for (key, value) in fields {
            line.push_str(&format!(",\"{key}\":{value}"));
        }
        line.push('}');
        let _ = CORE_KEYS;
        self.lines.push(line);
    }
}

fn main() {
    let mut logger = Logger::from_config("info").unwrap();
    logger.log(
        1_700_000_000_000,
        Level::Info,
        "order placed",
        &[("order_id", 42.into())],
    );
    for line in &logger.lines {
        println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(logger: &Logger) -> Vec<Value> {
        logger
            .lines
            .iter()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("every line must be valid JSON ({e}): {l}"))
            })
            .collect()
    }

    #[test]
    fn levels_parse_case_insensitively() {
        assert_eq!(Level::parse("debug"), Some(Level::Debug));
        assert_eq!(Level::parse("INFO"), Some(Level::Info));
        assert_eq!(Level::parse("Warning"), Some(Level::Warn));
        assert_eq!(Level::parse("error"), Some(Level::Error));
        assert_eq!(Level::parse("verbose"), None);
        assert!(
            Level::Debug < Level::Error,
            "levels are ordered by severity"
        );
    }
    #[test]
    fn a_level_is_one_of_the_names_never_a_prefix_or_a_longer_word() {
        for wrong in [
            "whatever", "w", "warnings", "war", "e", "errors", "inf", "infos", "debugger",
        ] {
            assert_eq!(
                Level::parse(wrong),
                None,
                "{wrong:?} is not a level: compare the whole name, not its first letters"
            );
        }
        assert!(
            Logger::from_config("whatever").is_err(),
            "LOG_LEVEL=whatever is a typo to report at startup, not Warn"
        );
        // Seeded random words over the letters of the level names, in any case: a word is a
        // level exactly when it is one of the names, case aside.
        let letters: Vec<char> = "debuginfowarnngerror".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let names = [
            ("debug", Level::Debug),
            ("info", Level::Info),
            ("warn", Level::Warn),
            ("warning", Level::Warn),
            ("error", Level::Error),
        ];
        let mut words: Vec<String> = Vec::new();
        for (name, _) in names {
            // Every prefix and every one-letter extension of every name.
            for end in 0..name.len() {
                words.push(name[..end].to_string());
            }
            for &c in &letters {
                words.push(format!("{name}{c}"));
                words.push(format!("{c}{name}"));
            }
        }
        for _ in 0..2_000 {
            let len = next(9);
            words.push((0..len).map(|_| letters[next(letters.len())]).collect());
        }
        for word in words {
            let word: String = word
                .chars()
                .map(|c| {
                    if next(2) == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            let expected = names
                .iter()
                .find(|(name, _)| word.eq_ignore_ascii_case(name))
                .map(|&(_, level)| level);
            assert_eq!(
                Level::parse(&word),
                expected,
                "{word:?}: a level is debug, info, warn (or warning) or error, in any case, and \
                 nothing else"
            );
        }
    }

    #[test]
    fn unknown_config_level_is_an_error() {
        let err = Logger::from_config("loud")
            .err()
            .expect("a typo in LOG_LEVEL must fail at startup, not log everything");
        assert!(
            err.contains("loud"),
            "the error should name the bad value: {err}"
        );
        assert!(Logger::from_config("WARN").is_ok());
    }

    #[test]
    fn one_json_object_per_line() {
        let mut logger = Logger::new(Level::Info);
        logger.log(
            1_000,
            Level::Info,
            "order placed",
            &[("order_id", json!(42)), ("total_cents", json!(1999))],
        );
        assert_eq!(logger.lines.len(), 1);
        assert_eq!(
            parsed(&logger)[0],
            json!({"ts": 1000, "level": "info", "msg": "order placed", "order_id": 42, "total_cents": 1999}),
            "core keys plus the fields, with their JSON types (numbers stay numbers)"
        );
    }

    #[test]
    fn hostile_messages_stay_one_valid_line() {
        let mut logger = Logger::new(Level::Debug);
        let msg = "payment failed: \"card declined\"\n  at gateway.rs:12\n\tretrying";
        logger.log(5, Level::Error, msg, &[("user", json!("o'brien \"ob\""))]);
        assert_eq!(logger.lines.len(), 1);
        assert!(
            !logger.lines[0].contains('\n'),
            "a newline in the message must be escaped, or one event becomes several lines"
        );
        let event = &parsed(&logger)[0];
        assert_eq!(
            event["msg"], msg,
            "the message survives the round trip exactly"
        );
        assert_eq!(event["user"], "o'brien \"ob\"");
    }

    #[test]
    fn control_characters_are_escaped_by_json_rules() {
        // An ANSI escape sequence (a terminal-injection attempt), a NUL and a DEL: JSON writes
        // control characters as \u001b, while Rust's {:?} would write \u{1b}, which is not JSON.
        let mut logger = Logger::new(Level::Debug);
        let msg = "login failed for \u{1b}[31madmin\u{1b}[0m\u{0}\u{7f} ✓";
        logger.log(9, Level::Warn, msg, &[("path", json!("/a\u{1b}b\\c"))]);
        let line = &logger.lines[0];
        assert!(
            line.contains("\\u001b") && !line.contains('\u{1b}'),
            "control characters are written as \\u00XX escapes, never raw: {line}"
        );
        let event = &parsed(&logger)[0];
        assert_eq!(
            event["msg"], msg,
            "the message survives the round trip exactly"
        );
        assert_eq!(event["path"], "/a\u{1b}b\\c");
    }

    #[test]
    fn events_below_the_level_are_dropped() {
        let mut logger = Logger::from_config("warn").unwrap();
        logger.log(1, Level::Debug, "cache miss", &[]);
        logger.log(2, Level::Info, "request done", &[]);
        logger.log(3, Level::Warn, "slow query", &[("ms", json!(950))]);
        logger.log(4, Level::Error, "db down", &[]);
        let levels: Vec<Value> = parsed(&logger).iter().map(|e| e["level"].clone()).collect();
        assert_eq!(
            levels,
            vec![json!("warn"), json!("error")],
            "with level=warn, only warn and error are written"
        );
    }

    #[test]
    fn fields_cannot_overwrite_core_keys() {
        let mut logger = Logger::new(Level::Info);
        logger.log(
            7,
            Level::Info,
            "user input",
            &[
                ("level", json!("error")),
                ("msg", json!("forged")),
                ("ok", json!(true)),
            ],
        );
        let event = &parsed(&logger)[0];
        assert_eq!(event["level"], "info", "the real level wins");
        assert_eq!(event["msg"], "user input");
        assert_eq!(
            event["field_level"], "error",
            "the colliding field is kept, renamed"
        );
        assert_eq!(event["field_msg"], "forged");
        assert_eq!(event["ok"], true);
    }
}
