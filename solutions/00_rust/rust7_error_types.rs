// Rust for Python developers 7: error types instead of exception classes.
// The Rust Book, chapter 9.2 (https://doc.rust-lang.org/book/ch09-02-recoverable-errors-with-result.html);
// `std::error::Error` (https://doc.rust-lang.org/std/error/trait.Error.html).
//
// Scenario: the service reads `/etc/orders/settings.conf` at startup (`key = value` lines,
// `#` comments). When it cannot start, the log line must say everything an operator needs:
// `cannot start: cannot read /etc/orders/settings.conf: permission denied`, or
// `cannot start: invalid port on line 3: number too large to fit in target type`.
//
// The Python you know:
//
//     class SettingsError(Exception): ...
//     class BadNumber(SettingsError):
//         def __init__(self, key, line): super().__init__(f"invalid {key} on line {line}")
//     try:
//         port = int(value)
//     except ValueError as e:
//         raise BadNumber("port", n) from e      # the cause travels along: `e.__cause__`
//
// In Rust an error is a value: an `enum` with one variant per failure, carrying its data and
// its cause, plus three impls:
//   - `Display` is the one-line message (Python's `str(e)`): the error's own words, WITHOUT the
//     cause's (the cause prints itself; repeating it doubles the text in the log);
//   - `std::error::Error` with `source()` returns the cause (Python's `__cause__`);
//   - `From<Cause> for OurError` lets `?` convert a cause into our error by itself.
// The `thiserror` crate writes exactly these impls from attributes; most services use it:
//
//     #[derive(Debug, thiserror::Error)]
//     pub enum SettingsError {
//         #[error("cannot read {path}")]
//         Read { path: String, source: io::Error },
//         ...
//     }
//     #[derive(Debug, thiserror::Error)]
//     pub enum StartError {
//         #[error("cannot start")]
//         Settings(#[from] SettingsError),
//     }
//
// Here you write them by hand, to see what the derive does. Done means: `parse_settings`,
// the impls of `SettingsError`, `From<SettingsError> for StartError` and `report` follow their
// comments (`StartError`'s other impls are provided).

use std::error::Error;
use std::fmt;
use std::io;
use std::num::ParseIntError;

#[derive(Debug, PartialEq, Eq)]
pub struct Settings {
    pub port: u16,
    pub workers: u16,
}

#[derive(Debug)]
pub enum SettingsError {
    /// `cannot read {path}`; the cause is the io::Error.
    Read { path: String, source: io::Error },
    /// `line {line} is not key = value` (lines count from 1); no cause.
    Syntax { line: usize },
    /// `invalid {key} on line {line}`; the cause is the ParseIntError.
    BadNumber {
        key: String,
        line: usize,
        source: ParseIntError,
    },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Read { path, .. } => write!(f, "cannot read {path}"),
            SettingsError::Syntax { line } => write!(f, "line {line} is not key = value"),
            SettingsError::BadNumber { key, line, .. } => {
                write!(f, "invalid {key} on line {line}")
            }
        }
    }
}

impl Error for SettingsError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            SettingsError::Read { source, .. } => Some(source),
            SettingsError::Syntax { .. } => None,
            SettingsError::BadNumber { source, .. } => Some(source),
        }
    }
}

/// Parses the settings text. Blank lines and lines starting with `#` (after leading spaces) are
/// skipped. Other lines are `key = value` (split at the first `=`, both sides trimmed, the key
/// not empty). `port` (default 8080) and `workers` (default 4) are numbers (`u16`); other keys
/// are ignored. Lines count from 1, skipped lines included.
pub fn parse_settings(text: &str) -> Result<Settings, SettingsError> {
    let mut settings = Settings {
        port: 8080,
        workers: 4,
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            return Err(SettingsError::Syntax { line });
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() {
            return Err(SettingsError::Syntax { line });
        }
        let slot = match key {
            "port" => &mut settings.port,
            "workers" => &mut settings.workers,
            _ => continue,
        };
        *slot = value.parse().map_err(|source| SettingsError::BadNumber {
            key: key.to_string(),
            line,
            source,
        })?;
    }
    Ok(settings)
}

/// Reads the file with `read` (the real service passes `std::fs::read_to_string`; the tests pass
/// fakes), then parses it. A read error becomes `SettingsError::Read`, naming the path.
pub fn load_settings(
    path: &str,
    read: impl Fn(&str) -> io::Result<String>,
) -> Result<Settings, SettingsError> {
    let text = read(path).map_err(|source| SettingsError::Read {
        path: path.to_string(),
        source,
    })?;
    parse_settings(&text)
}

/// The error `start` returns: the top of the chain.
#[derive(Debug)]
pub enum StartError {
    /// `cannot start`; the cause is the SettingsError.
    Settings(SettingsError),
}

/// Provided.
impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Settings(_) => write!(f, "cannot start"),
        }
    }
}

/// Provided.
impl Error for StartError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            StartError::Settings(cause) => Some(cause),
        }
    }
}

/// Lets `?` turn a SettingsError into a StartError (thiserror's `#[from]`).
impl From<SettingsError> for StartError {
    fn from(cause: SettingsError) -> Self {
        StartError::Settings(cause)
    }
}

/// Provided: what `main` would do before serving.
pub fn start(
    path: &str,
    read: impl Fn(&str) -> io::Result<String>,
) -> Result<Settings, StartError> {
    let settings = load_settings(path, read)?;
    Ok(settings)
}

/// The log line for an error: its message, then each cause's message (`source()`, then the
/// source's source ...), joined with `: `.
pub fn report(error: &dyn Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        line.push_str(": ");
        line.push_str(&inner.to_string());
        cause = inner.source();
    }
    line
}

fn main() {
    let read = |_: &str| Ok("port = 99999\n".to_string());
    match start("/etc/orders/settings.conf", read) {
        Ok(settings) => println!("{settings:?}"),
        Err(error) => println!("{}", report(&error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/etc/orders/settings.conf";

    fn text(body: &str) -> impl Fn(&str) -> io::Result<String> {
        let body = body.to_string();
        move |_| Ok(body.clone())
    }

    fn denied(_: &str) -> io::Result<String> {
        Err(io::Error::from(io::ErrorKind::PermissionDenied))
    }

    #[test]
    fn parses_settings_with_comments_and_defaults() {
        let conf = "# orders service\n\nport = 9000\n  # workers: one per core\nname = orders\n";
        assert_eq!(
            parse_settings(conf).unwrap(),
            Settings {
                port: 9000,
                workers: 4
            }
        );
        assert_eq!(
            parse_settings("workers=16\nport=1").unwrap(),
            Settings {
                port: 1,
                workers: 16
            },
            "spaces around `=` are optional"
        );
        assert_eq!(
            parse_settings("").unwrap(),
            Settings {
                port: 8080,
                workers: 4
            }
        );
        assert_eq!(
            parse_settings("motd = a = b\nport = 81").unwrap().port,
            81,
            "the first `=` splits; unknown keys are ignored"
        );
        assert!(
            matches!(
                parse_settings("port = 81 = 82"),
                Err(SettingsError::BadNumber { line: 1, .. })
            ),
            "the value is `81 = 82`: not a number"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let error = parse_settings("# settings\nport = 80\nworkers 4\n").unwrap_err();
        assert!(
            matches!(error, SettingsError::Syntax { line: 3 }),
            "line 3 has no `=`, got {error:?}"
        );
        assert_eq!(error.to_string(), "line 3 is not key = value");
        assert!(error.source().is_none(), "a syntax error has no cause");
        let error = parse_settings(" = 5").unwrap_err();
        assert!(
            matches!(error, SettingsError::Syntax { line: 1 }),
            "an empty key is a syntax error, got {error:?}"
        );
    }

    #[test]
    fn a_bad_number_keeps_its_cause() {
        let error = parse_settings("port = 80\n\nport = 99999\n").unwrap_err();
        let SettingsError::BadNumber { key, line, .. } = &error else {
            panic!("expected BadNumber, got {error:?}");
        };
        assert_eq!((key.as_str(), *line), ("port", 3));
        assert_eq!(error.to_string(), "invalid port on line 3");
        let cause = error.source().expect("the ParseIntError is the cause");
        assert!(
            cause.downcast_ref::<ParseIntError>().is_some(),
            "the cause is the ParseIntError itself"
        );
        assert_eq!(cause.to_string(), "number too large to fit in target type");
        let error = parse_settings("workers = four").unwrap_err();
        assert_eq!(error.to_string(), "invalid workers on line 1");
    }

    #[test]
    fn a_read_error_names_the_path_and_keeps_the_io_error() {
        let error = load_settings(PATH, denied).unwrap_err();
        assert_eq!(error.to_string(), format!("cannot read {PATH}"));
        let cause = error.source().expect("the io::Error is the cause");
        let io_error = cause
            .downcast_ref::<io::Error>()
            .expect("the cause is the io::Error itself");
        assert_eq!(io_error.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(
            load_settings(PATH, text("workers = 2")).unwrap(),
            Settings {
                port: 8080,
                workers: 2
            }
        );
    }

    #[test]
    fn question_mark_converts_into_the_start_error() {
        let error = start(PATH, text("port = x")).unwrap_err();
        let StartError::Settings(inner) = &error;
        assert!(matches!(inner, SettingsError::BadNumber { line: 1, .. }));
        assert_eq!(start(PATH, text("")).unwrap().port, 8080);
    }

    #[test]
    fn the_log_line_walks_the_whole_chain() {
        let error = start(PATH, denied).unwrap_err();
        assert_eq!(
            report(&error),
            format!("cannot start: cannot read {PATH}: permission denied"),
            "each error says its own part once, causes in order"
        );
        let error = start(PATH, text("port = 99999")).unwrap_err();
        assert_eq!(
            report(&error),
            "cannot start: invalid port on line 1: number too large to fit in target type"
        );
        let error = start(PATH, text("x")).unwrap_err();
        assert_eq!(report(&error), "cannot start: line 1 is not key = value");
        let alone = io::Error::other("disk on fire");
        assert_eq!(
            report(&alone),
            "disk on fire",
            "no cause: the message alone"
        );
    }
}
