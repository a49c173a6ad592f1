// Rust for Python developers 8: modules and crates instead of packages.
// The Rust Book, chapter 7 (https://doc.rust-lang.org/book/ch07-00-managing-growing-projects-with-packages-crates-and-modules.html)
// and chapter 2, "Using a Crate to Get More Functionality" (dependencies in Cargo.toml).
//
// Scenario: the orders service reads its database URL at startup. The URL holds the database
// password, and last month it ended up in the logs twice: once printed by a health endpoint,
// once by a debug log of the config. We move the URL into a `config` module where the password
// cannot leak: nothing outside the module can read the fields, and the type prints itself
// without the password.
//
// The Python you know:
//
//     # orders/config.py                           # a module is a file; a package a folder
//     class DbUrl:
//         def __init__(self, raw): self._password = ...   # "private" by convention only:
//                                                          # anyone can still read url._password
//     # orders/handlers.py
//     from orders.config import DbUrl              # import by path
//     import json                                  # the standard library, or `pip install x`
//
// In Rust a module is `mod name { ... }` in the same file, or `mod name;` with the code in
// `name.rs` (a real service has `src/config.rs`, `src/handlers.rs`; here they are inline so the
// exercise stays one file). Everything is PRIVATE to its module unless marked `pub`, and the
// compiler enforces it: code outside `config` cannot touch a private field, so the only way to
// get a `DbUrl` is `DbUrl::parse`, and every `DbUrl` in the program is a valid one.
//
//     mod config { pub struct DbUrl { password: String } impl DbUrl { pub fn parse(..) } }
//     use crate::config::DbUrl;     // `crate::` is the root of this program; `super::` the parent
//
// A *crate* is a compiled package: this program is one, and it uses others from crates.io,
// listed in `Cargo.toml` under `[dependencies]` (Python's `pyproject.toml` / requirements.txt,
// with the exact versions pinned in `Cargo.lock`). This course's manifest lists `serde_json`,
// so `use serde_json::json;` brings its `json!` macro into scope, like `from json import dumps`.
//
// Done means: it compiles (make public exactly what the tests use: the type, `parse` and the
// three getters, never the fields), `DbUrl::parse` follows its comment, `Display` and `Debug`
// never show the password, and `handlers::health` builds its JSON with `serde_json::json!`.

pub mod config {
    use std::fmt;

    /// A PostgreSQL connection URL: `postgres://USER:PASSWORD@HOST[:PORT]/DATABASE`.
    pub struct DbUrl {
        user: String,
        password: String,
        host: String,
        port: u16,
        database: String,
    }

    impl DbUrl {
        /// Parses a URL, or says what is wrong with it. The scheme is exactly `postgres://`.
        /// The password may contain `@` and `:`, so the credentials end at the LAST `@`, and the
        /// user ends at the FIRST `:` of the credentials. The user, the host and the database
        /// must not be empty (the password may); the port is optional (default 5432) and, when
        /// given, a number from 1 to 65535. The database is everything after the first `/`
        /// following the host, and may not contain another `/`.
        pub fn parse(url: &str) -> Result<DbUrl, String> {
            let rest = url
                .strip_prefix("postgres://")
                .ok_or("the URL must start with postgres://")?;
            let (credentials, location) = rest
                .rsplit_once('@')
                .ok_or("the URL has no USER:PASSWORD@")?;
            let (user, password) = credentials
                .split_once(':')
                .ok_or("the URL has no password")?;
            let (address, database) = location.split_once('/').ok_or("the URL has no database")?;
            let (host, port) = match address.split_once(':') {
                Some((host, port)) => match port.parse::<u16>() {
                    Ok(port) if port > 0 => (host, port),
                    _ => return Err(format!("invalid port {port:?}")),
                },
                None => (address, 5432),
            };
            if user.is_empty() || host.is_empty() || database.is_empty() {
                return Err("the user, the host and the database must not be empty".into());
            }
            if database.contains('/') {
                return Err("the database name contains '/'".into());
            }
            Ok(DbUrl {
                user: user.to_string(),
                password: password.to_string(),
                host: host.to_string(),
                port,
                database: database.to_string(),
            })
        }

        pub fn host(&self) -> &str {
            &self.host
        }

        pub fn port(&self) -> u16 {
            self.port
        }

        pub fn database(&self) -> &str {
            &self.database
        }

        /// Only code of this crate may ask (the connection pool); not `pub` to the world.
        #[allow(dead_code)]
        pub(crate) fn password(&self) -> &str {
            &self.password
        }
    }

    /// `postgres://USER:***@HOST:PORT/DATABASE`: the port always shown, the password never.
    impl fmt::Display for DbUrl {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "postgres://{}:***@{}:{}/{}",
                self.user, self.host, self.port, self.database
            )
        }
    }

    /// Provided: `{:?}` in a log line must not print the password either (a derived Debug
    /// would print every field).
    impl fmt::Debug for DbUrl {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("DbUrl")
                .field("user", &self.user)
                .field("host", &self.host)
                .field("port", &self.port)
                .field("database", &self.database)
                .finish_non_exhaustive()
        }
    }
}

pub mod handlers {
    use crate::config::DbUrl;
    use serde_json::{Value, json};

    /// `GET /health`: status 200 and `{"status": "ok", "database": {"host": ..., "port": ...,
    /// "name": ...}}` when the database answers, else 503 and `"status": "unavailable"` with
    /// the same `database` object. Never the password, never the whole URL.
    pub fn health(db: &DbUrl, reachable: bool) -> (u16, Value) {
        let (status, word) = if reachable {
            (200, "ok")
        } else {
            (503, "unavailable")
        };
        let body = json!({
            "status": word,
            "database": {
                "host": db.host(),
                "port": db.port(),
                "name": db.database(),
            },
        });
        (status, body)
    }
}

use config::DbUrl;

fn main() {
    match DbUrl::parse("postgres://orders:s3cret@db.internal/orders") {
        Ok(url) => {
            println!("connecting to {url}");
            println!("{:?}", handlers::health(&url, true));
        }
        Err(error) => println!("bad DATABASE_URL: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parts(url: &str) -> (String, u16, String) {
        let url = DbUrl::parse(url).unwrap_or_else(|e| panic!("{url:?} must parse: {e}"));
        (
            url.host().to_string(),
            url.port(),
            url.database().to_string(),
        )
    }

    #[test]
    fn parses_a_url() {
        assert_eq!(
            parts("postgres://orders:s3cret@db.internal:6432/orders"),
            ("db.internal".to_string(), 6432, "orders".to_string())
        );
        assert_eq!(
            parts("postgres://orders:s3cret@db.internal/orders").1,
            5432,
            "no port: PostgreSQL's default"
        );
        assert_eq!(
            parts("postgres://orders:@localhost:1/x"),
            ("localhost".to_string(), 1, "x".to_string()),
            "an empty password is allowed; port 1 is a port"
        );
        assert_eq!(parts("postgres://o:p@h:65535/d").1, 65535);
    }

    #[test]
    fn the_password_may_contain_at_signs_and_colons() {
        let url = DbUrl::parse("postgres://orders:p@ss:w@rd@db.internal/orders").unwrap();
        assert_eq!(
            url.host(),
            "db.internal",
            "the credentials end at the last @"
        );
        assert_eq!(
            url.password(),
            "p@ss:w@rd",
            "the password ends at the last @"
        );
        assert_eq!(
            url.to_string(),
            "postgres://orders:***@db.internal:5432/orders",
            "the user ends at the first ':'"
        );
    }

    #[test]
    fn refuses_what_is_not_a_postgres_url() {
        for bad in [
            "mysql://orders:pw@db/orders",
            "postgresql://orders:pw@db/orders",
            "POSTGRES://orders:pw@db/orders",
            "postgres://db.internal/orders",
            "postgres://orders@db.internal/orders",
            "postgres://:pw@db.internal/orders",
            "postgres://orders:pw@/orders",
            "postgres://orders:pw@db.internal",
            "postgres://orders:pw@db.internal/",
            "postgres://orders:pw@db.internal:0/orders",
            "postgres://orders:pw@db.internal:65536/orders",
            "postgres://orders:pw@db.internal:/orders",
            "postgres://orders:pw@db.internal:pg/orders",
            "postgres://orders:pw@db.internal/orders/extra",
            "",
        ] {
            assert!(DbUrl::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn display_and_debug_never_show_the_password() {
        let url = DbUrl::parse("postgres://orders:hunter2@db.internal/orders").unwrap();
        assert_eq!(
            url.to_string(),
            "postgres://orders:***@db.internal:5432/orders"
        );
        let debug = format!("{url:?}");
        assert!(
            !debug.contains("hunter2"),
            "Debug leaks the password: {debug}"
        );
        assert!(debug.contains("db.internal"), "{debug}");
    }

    #[test]
    fn health_reports_the_database_without_secrets() {
        let url = DbUrl::parse("postgres://orders:hunter2@db.internal:6432/orders").unwrap();
        let expected_db = json!({"host": "db.internal", "port": 6432, "name": "orders"});
        assert_eq!(
            handlers::health(&url, true),
            (200, json!({"status": "ok", "database": expected_db}))
        );
        let (status, body) = handlers::health(&url, false);
        assert_eq!(status, 503);
        assert_eq!(
            body,
            json!({"status": "unavailable", "database": expected_db})
        );
        assert!(!body.to_string().contains("hunter2"));
    }
}
