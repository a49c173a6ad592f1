// Rust for Python developers 3: `Option`, `Result` and `?` instead of `None` and exceptions.
// The Rust Book, chapter 6.1 (`Option`: https://doc.rust-lang.org/book/ch06-01-defining-an-enum.html)
// and chapter 9 (https://doc.rust-lang.org/book/ch09-00-error-handling.html).
//
// Scenario: the service reads its configuration from environment variables at startup, as a
// twelve-factor app does. A bad value must stop the start with a message that names the
// variable, not crash later, and not be silently replaced by a default.
//
// The Python you know:
//
//     url = env.get("DATABASE_URL")            # None if missing: every caller must remember
//     if not url:                              # to check, or crash later with AttributeError
//         raise ConfigError("DATABASE_URL is required")
//     port = int(env.get("PORT", "8080"))      # raises ValueError, far from here, unless caught
//     debug = bool(env.get("DEBUG", ""))       # bool("false") is True: a classic
//
// In Rust a value that may be missing is an `Option<T>` (`Some(v)` or `None`) and an operation
// that may fail returns a `Result<T, E>` (`Ok(v)` or `Err(e)`): the type says so, and you cannot
// use the `T` inside without deciding what happens otherwise. The tools:
//
//     let url = lookup(env, "DATABASE_URL").ok_or(ConfigError::Missing("DATABASE_URL"))?;
//     //        Option -> Result with `ok_or`; `?` returns the Err from this function at once
//     //        (like an exception propagating), or unwraps the Ok value.
//     let port = value.parse::<u16>().map_err(|_| ConfigError::Invalid { .. })?;
//     //        `map_err` turns the library's error into ours (Python: `raise ... from e`).
//     let Some(raw) = lookup(env, "PORT") else {
//         return Ok(8080);                     // `let ... else`: unpack, or leave the function
//     };
//     let workers = maybe.unwrap_or(4);        // a default, for a missing value only
//
// Done means: `lookup`, `parse_port`, `parse_flag` and `load` follow their comments, and `load`
// reports the first problem in the order the fields are listed in `Config`.

#[derive(Debug, PartialEq, Eq)]
pub struct Config {
    /// DATABASE_URL: required, not empty.
    pub database_url: String,
    /// PORT: optional, default 8080; 1 to 65535.
    pub port: u16,
    /// DEBUG: optional, default false; exactly `true`, `false`, `1` or `0`.
    pub debug: bool,
    /// WORKERS: optional, default 4; 1 to 64.
    pub workers: u16,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// A required variable is missing or empty. (`&'static str`: a string that lives as long as
    /// the program, such as the literal `"DATABASE_URL"`.)
    Missing(&'static str),
    /// A variable is set to a value we cannot use: the variable and the value as given.
    Invalid { key: &'static str, value: String },
}

/// The value of `key` in `env`, or None. When a variable appears twice, the last one wins (as in
/// a shell, or a `.env` file read top to bottom). The answer borrows from `env`.
pub fn lookup<'a>(env: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    env.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// PORT: a whole number from 1 to 65535 (`str::parse::<u16>` already refuses `-1`, spaces,
/// `8080.0` and anything above 65535; 0 is yours to refuse).
pub fn parse_port(value: &str) -> Result<u16, ConfigError> {
    let invalid = || ConfigError::Invalid {
        key: "PORT",
        value: value.to_string(),
    };
    let port: u16 = value.parse().map_err(|_| invalid())?;
    if port == 0 {
        return Err(invalid());
    }
    Ok(port)
}

/// A boolean flag such as DEBUG: `true` and `1` are true, `false` and `0` are false, anything else
/// (`yes`, `TRUE`, an empty value) is an error naming `key`.
pub fn parse_flag(key: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ConfigError::Invalid {
            key,
            value: value.to_string(),
        }),
    }
}

pub fn load(env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let database_url = lookup(env, "DATABASE_URL")
        .filter(|url| !url.is_empty())
        .ok_or(ConfigError::Missing("DATABASE_URL"))?;
    let port = match lookup(env, "PORT") {
        Some(value) => parse_port(value)?,
        None => 8080,
    };
    let debug = match lookup(env, "DEBUG") {
        Some(value) => parse_flag("DEBUG", value)?,
        None => false,
    };
    let workers = match lookup(env, "WORKERS") {
        Some(value) => match value.parse::<u16>() {
            Ok(n @ 1..=64) => n,
            _ => {
                return Err(ConfigError::Invalid {
                    key: "WORKERS",
                    value: value.to_string(),
                });
            }
        },
        None => 4,
    };
    Ok(Config {
        database_url: database_url.to_string(),
        port,
        debug,
        workers,
    })
}

fn main() {
    let env = [("DATABASE_URL", "postgres://db/app"), ("PORT", "eighty")];
    match load(&env) {
        Ok(config) => println!("{config:?}"),
        Err(error) => println!("cannot start: {error:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: (&str, &str) = ("DATABASE_URL", "postgres://db/app");

    #[test]
    fn lookup_finds_the_last_value() {
        let env = [("PORT", "1"), ("HOST", "a"), ("PORT", "2")];
        assert_eq!(lookup(&env, "PORT"), Some("2"), "the last one wins");
        assert_eq!(lookup(&env, "HOST"), Some("a"));
        assert_eq!(lookup(&env, "port"), None, "names are case-sensitive");
        assert_eq!(lookup(&env, "USER"), None);
        assert_eq!(lookup(&[], "USER"), None);
    }

    #[test]
    fn defaults_apply_only_to_missing_variables() {
        assert_eq!(
            load(&[URL]),
            Ok(Config {
                database_url: "postgres://db/app".to_string(),
                port: 8080,
                debug: false,
                workers: 4,
            })
        );
    }

    #[test]
    fn every_variable_is_read() {
        let env = [URL, ("PORT", "9000"), ("DEBUG", "1"), ("WORKERS", "16")];
        assert_eq!(
            load(&env),
            Ok(Config {
                database_url: "postgres://db/app".to_string(),
                port: 9000,
                debug: true,
                workers: 16,
            })
        );
    }

    #[test]
    fn the_database_url_is_required() {
        assert_eq!(load(&[]), Err(ConfigError::Missing("DATABASE_URL")));
        assert_eq!(
            load(&[("DATABASE_URL", ""), ("PORT", "1")]),
            Err(ConfigError::Missing("DATABASE_URL")),
            "an empty value is as good as none"
        );
        assert_eq!(
            load(&[URL, ("DATABASE_URL", "")]),
            Err(ConfigError::Missing("DATABASE_URL")),
            "the last value counts"
        );
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port("1"), Ok(1));
        assert_eq!(parse_port("65535"), Ok(65535));
        for bad in ["0", "65536", "-1", " 80", "80 ", "", "eighty", "8080.0"] {
            assert_eq!(
                parse_port(bad),
                Err(ConfigError::Invalid {
                    key: "PORT",
                    value: bad.to_string()
                }),
                "{bad:?} is not a port"
            );
        }
    }

    #[test]
    fn a_bad_port_stops_the_start() {
        assert_eq!(
            load(&[URL, ("PORT", "eighty")]),
            Err(ConfigError::Invalid {
                key: "PORT",
                value: "eighty".to_string()
            }),
            "never fall back to the default when a value is given but wrong"
        );
    }

    #[test]
    fn flags_are_exact() {
        assert_eq!(parse_flag("DEBUG", "true"), Ok(true));
        assert_eq!(parse_flag("DEBUG", "1"), Ok(true));
        assert_eq!(parse_flag("DEBUG", "false"), Ok(false));
        assert_eq!(parse_flag("DEBUG", "0"), Ok(false));
        for bad in ["yes", "TRUE", "False", "", "2", " 1"] {
            assert_eq!(
                parse_flag("VERBOSE", bad),
                Err(ConfigError::Invalid {
                    key: "VERBOSE",
                    value: bad.to_string()
                }),
                "{bad:?} is neither true nor false (Python's bool(\"false\") is True: not here)"
            );
        }
        assert_eq!(load(&[URL, ("DEBUG", "false")]).map(|c| c.debug), Ok(false));
        assert_eq!(
            load(&[URL, ("DEBUG", "on")]),
            Err(ConfigError::Invalid {
                key: "DEBUG",
                value: "on".to_string()
            })
        );
    }

    #[test]
    fn workers_are_bounded() {
        for (value, workers) in [("1", 1), ("64", 64)] {
            assert_eq!(
                load(&[URL, ("WORKERS", value)]).map(|c| c.workers),
                Ok(workers)
            );
        }
        for bad in ["0", "65", "-4", "four", ""] {
            assert_eq!(
                load(&[URL, ("WORKERS", bad)]),
                Err(ConfigError::Invalid {
                    key: "WORKERS",
                    value: bad.to_string()
                }),
                "{bad:?} workers"
            );
        }
    }

    #[test]
    fn the_first_problem_is_reported() {
        let env = [("PORT", "0"), ("DEBUG", "maybe"), ("WORKERS", "0")];
        assert_eq!(load(&env), Err(ConfigError::Missing("DATABASE_URL")));
        let env = [URL, ("WORKERS", "0"), ("DEBUG", "maybe"), ("PORT", "0")];
        assert_eq!(
            load(&env),
            Err(ConfigError::Invalid {
                key: "PORT",
                value: "0".to_string()
            }),
            "fields are checked in the order of `Config`, whatever the order of `env`"
        );
        let env = [URL, ("WORKERS", "0"), ("DEBUG", "maybe")];
        assert_eq!(
            load(&env),
            Err(ConfigError::Invalid {
                key: "DEBUG",
                value: "maybe".to_string()
            })
        );
    }
}
