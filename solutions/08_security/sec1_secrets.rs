// Secrets from the environment, never in the logs
//
// At startup the service logs `config = {:?}` to help debugging. Last week that line put the
// production database password and the payment provider's API key into the log aggregator,
// which half the company can read. Secrets come from the environment (twelve-factor style),
// are checked once at startup with clear errors, and are wrapped in a `Secret` type whose
// `Debug` output is redacted, so logging the whole config is safe again.
//
// Config is read through an injected `lookup` function (in production `|k| std::env::var(k).ok()`),
// which lets the tests supply variables without touching the process environment.
//
// Done means: `Secret`'s Debug prints `Secret([REDACTED])`, and `Config::from_lookup` applies the
// rules on it, with errors that name the variable but never contain its value.

use std::fmt;

/// A string that must not appear in logs. No `Display`: use `expose()` where it is needed.
#[derive(Clone, PartialEq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The raw value, for the one place that needs it (the DB driver, the HTTP client).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

#[derive(Debug)]
pub struct Config {
    pub database_url: Secret,
    pub api_key: Secret,
    pub port: u16,
    pub log_level: String,
}

#[derive(Debug, PartialEq)]
pub enum ConfigError {
    Missing(&'static str),
    Invalid { name: &'static str, reason: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Missing(name) => write!(f, "{name} is not set"),
            ConfigError::Invalid { name, reason } => write!(f, "{name} is invalid: {reason}"),
        }
    }
}

impl Config {
    /// Rules:
    /// - `DATABASE_URL` and `API_KEY` are required; unset or empty is `Missing`.
    /// - `API_KEY` must be at least 32 characters (`Invalid`, reason "must be at least 32 characters").
    /// - `PORT` is optional (default 8080 when unset); when set, even to an empty string, it must be
    ///   a number from 1 to 65535 in decimal digits only: no sign, nothing around it, not even
    ///   spaces (`Invalid`).
    /// - `LOG_LEVEL` is optional (default "info" when unset); when set, even to an empty string, it
    ///   must be exactly one of error, warn, info or debug, in lower case (`Invalid`).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let required = |name: &'static str| {
            lookup(name)
                .filter(|value| !value.is_empty())
                .ok_or(ConfigError::Missing(name))
        };
        let database_url = Secret::new(required("DATABASE_URL")?);
        let api_key = Secret::new(required("API_KEY")?);
        if api_key.expose().chars().count() < 32 {
            return Err(ConfigError::Invalid {
                name: "API_KEY",
                reason: "must be at least 32 characters".to_string(),
            });
        }
        let port = match lookup("PORT") {
            None => 8080,
            Some(raw) => Some(raw.as_str())
                .filter(|raw| raw.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|raw| raw.parse::<u16>().ok())
                .filter(|&port| port != 0)
                .ok_or_else(|| ConfigError::Invalid {
                    name: "PORT",
                    reason: format!("expected a port from 1 to 65535, got {raw:?}"),
                })?,
        };
        let log_level = lookup("LOG_LEVEL").unwrap_or_else(|| "info".to_string());
        if !["error", "warn", "info", "debug"].contains(&log_level.as_str()) {
            return Err(ConfigError::Invalid {
                name: "LOG_LEVEL",
                reason: format!("expected error, warn, info or debug, got {log_level:?}"),
            });
        }
        Ok(Config {
            database_url,
            api_key,
            port,
            log_level,
        })
    }
}

fn main() {
    match Config::from_lookup(|name| std::env::var(name).ok()) {
        Ok(config) => println!("config = {config:?}"),
        Err(err) => eprintln!("configuration error: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const DB: &str = "postgres://app:hunter2@db.internal/app";
    const KEY: &str = "sk_live_0123456789abcdefghijklmnopqrstuv";

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn full_env() -> Vec<(&'static str, &'static str)> {
        vec![("DATABASE_URL", DB), ("API_KEY", KEY)]
    }

    #[test]
    fn secret_debug_is_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(
            format!("{secret:?}"),
            "Secret([REDACTED])",
            "a derived Debug would print the value; write Debug by hand"
        );
        assert_eq!(
            secret.expose(),
            "hunter2",
            "the value is still there for whoever needs it"
        );
    }

    /// Autoref specialization: `(&Probe(value)).implements_display()` resolves, at compile
    /// time, to `ViaDisplay`'s method when the value's type implements `Display`, and to
    /// `Fallback`'s (one more `&` away) when it does not.
    struct Probe<T>(T);

    trait ViaDisplay {
        fn implements_display(&self) -> bool {
            true
        }
    }

    impl<T: fmt::Display> ViaDisplay for Probe<T> {}

    trait Fallback {
        fn implements_display(&self) -> bool {
            false
        }
    }

    impl<T> Fallback for &Probe<T> {}

    #[test]
    fn secret_has_no_display() {
        assert!(
            (&Probe(42)).implements_display() && !(&Probe(vec![1])).implements_display(),
            "the probe itself tells types with Display from types without"
        );
        assert!(
            !(&Probe(Secret::new("hunter2"))).implements_display(),
            "Secret must not implement Display: `format!(\"{{}}\", secret)`, `to_string()` and \
             `{{secret}}` in a log line would print the raw value. Callers use `expose()`."
        );
    }

    #[test]
    fn defaults_apply() {
        let config = Config::from_lookup(env(&full_env())).expect("a valid environment");
        assert_eq!(config.port, 8080, "PORT defaults to 8080");
        assert_eq!(config.log_level, "info", "LOG_LEVEL defaults to info");
        assert_eq!(config.database_url.expose(), DB);
        assert_eq!(config.api_key.expose(), KEY);
    }

    #[test]
    fn logging_the_config_leaks_nothing() {
        let mut vars = full_env();
        vars.push(("PORT", "9000"));
        let config = Config::from_lookup(env(&vars)).unwrap();
        let logged = format!("{config:?} {config:#?}");
        assert!(
            !logged.contains("hunter2"),
            "the DB password leaked: {logged}"
        );
        assert!(!logged.contains("sk_live"), "the API key leaked: {logged}");
        assert!(
            logged.contains("9000"),
            "non-secret settings stay visible, that's the point of logging them"
        );
    }

    #[test]
    fn missing_and_empty_required_variables() {
        assert_eq!(
            Config::from_lookup(env(&[("API_KEY", KEY)])).unwrap_err(),
            ConfigError::Missing("DATABASE_URL")
        );
        assert_eq!(
            Config::from_lookup(env(&[("DATABASE_URL", DB), ("API_KEY", "")])).unwrap_err(),
            ConfigError::Missing("API_KEY"),
            "`API_KEY=` (empty) is a deployment mistake, treat it as missing"
        );
        assert_eq!(
            Config::from_lookup(env(&[("DATABASE_URL", ""), ("API_KEY", KEY)])).unwrap_err(),
            ConfigError::Missing("DATABASE_URL"),
            "`DATABASE_URL=` (empty) is missing too: both required variables follow the same rule"
        );
    }

    #[test]
    fn optional_variables_set_but_empty_are_invalid() {
        for name in ["PORT", "LOG_LEVEL"] {
            let mut vars = full_env();
            vars.push((name, ""));
            assert!(
                matches!(
                    Config::from_lookup(env(&vars)),
                    Err(ConfigError::Invalid { name: got, .. }) if got == name
                ),
                "`{name}=` (set, but empty) is a typo in the deployment, not \"unset\": the \
                 default applies only when the variable is absent"
            );
        }
    }

    #[test]
    fn short_api_key_is_rejected_without_echoing_it() {
        let err = Config::from_lookup(env(&[("DATABASE_URL", DB), ("API_KEY", "sk_test_123")]))
            .unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    name: "API_KEY",
                    ..
                }
            ),
            "a 11-character key is too short, got {err:?}"
        );
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("sk_test_123"),
            "error messages end up in logs too: never include a secret's value ({shown})"
        );
        assert!(
            err.to_string().contains("API_KEY"),
            "but do name the variable in the message printed at startup (Display): {shown}"
        );
        assert!(
            ConfigError::Missing("DATABASE_URL")
                .to_string()
                .contains("DATABASE_URL"),
            "a missing variable is named in the message too"
        );
        let accented = format!("sk_{}", "é".repeat(28));
        assert!(
            matches!(
                Config::from_lookup(env(&[("DATABASE_URL", DB), ("API_KEY", &accented)])),
                Err(ConfigError::Invalid {
                    name: "API_KEY",
                    ..
                })
            ),
            "31 characters (59 bytes) are still too short: count characters, not bytes"
        );
        for key in ["k".repeat(32), format!("sk_{}", "é".repeat(29))] {
            assert!(
                Config::from_lookup(env(&[("DATABASE_URL", DB), ("API_KEY", &key)])).is_ok(),
                "{key:?} has exactly 32 characters: at least 32 means 32 is enough"
            );
        }
        assert!(
            Config::from_lookup(env(&[("DATABASE_URL", DB), ("API_KEY", &"k".repeat(31))]))
                .is_err(),
            "31 characters are one too few"
        );
    }

    #[test]
    fn port_and_log_level_are_checked() {
        for port in [
            "0",
            "65536",
            "73616",
            "4294975376",
            "http",
            "-1",
            " 8080",
            "8080 ",
            "8080\n",
            "\t8080",
            "+8080",
            "+1",
            "",
        ] {
            let mut vars = full_env();
            vars.push(("PORT", port));
            assert!(
                matches!(
                    Config::from_lookup(env(&vars)),
                    Err(ConfigError::Invalid { name: "PORT", .. })
                ),
                "PORT={port:?} must be rejected at startup, not at the first request \
                 (73616 is 65536 + 8080: a wider integer cast down `as u16` would wrap to 8080; \
                 a value with spaces around it is not a port: do not trim it into one; `parse` also takes a \
                 leading `+`, which is not a digit)"
            );
        }
        for (raw, port) in [("1", 1), ("65535", 65535), ("8443", 8443)] {
            let mut vars = full_env();
            vars.push(("PORT", raw));
            assert_eq!(
                Config::from_lookup(env(&vars)).map(|config| config.port),
                Ok(port),
                "PORT={raw} is a valid port"
            );
        }
        for level in ["verbose", "DEBUG", "Info", "WARN", " info", "debug "] {
            let mut vars = full_env();
            vars.push(("LOG_LEVEL", level));
            assert!(
                matches!(
                    Config::from_lookup(env(&vars)),
                    Err(ConfigError::Invalid {
                        name: "LOG_LEVEL",
                        ..
                    })
                ),
                "LOG_LEVEL={level:?} is not one of the exact values error, warn, info, debug"
            );
        }
        for level in ["error", "warn", "info", "debug"] {
            let mut vars = full_env();
            vars.push(("LOG_LEVEL", level));
            assert_eq!(
                Config::from_lookup(env(&vars)).map(|config| config.log_level),
                Ok(level.to_string()),
                "LOG_LEVEL={level} is allowed and kept as given"
            );
        }
    }
}
