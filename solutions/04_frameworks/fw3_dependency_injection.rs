// Scenario: the signup logic talks to SQLite directly, so every unit test needs a database and
// the rules ("emails are unique, case-insensitive") are tangled with SQL. We pull storage behind
// a `UserRepo` trait and *inject* it: production passes `SqliteUserRepo`, tests pass a fast
// in-memory fake. This is what FastAPI's `Depends`, Spring's constructor injection or a Django
// "repository/service" layer give you.
//
// Two signups for the same email can arrive at the same moment. "Look it up, then insert if it
// is free" lets both through the gap between the two steps; the database's UNIQUE constraint
// (sql5) does not have that gap. So the repo's `insert` itself refuses a taken email, in one
// step, and the service relies on that answer.
//
// Done means: `InMemoryUserRepo` behaves like the SQLite repo (same contract tests pass for
// both, duplicates included), and `UserService::register` enforces the rules using only the
// injected repo. (The tests let a rival signup land between a lookup and the insert; they
// cannot tell a harmless extra lookup from none, only that the race never makes two accounts.)

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// The email is already registered.
#[derive(Debug, PartialEq)]
pub struct DuplicateEmail;

/// Storage for users. Ids are assigned by the repo, starting at 1. Emails are stored and
/// compared exactly as given, byte for byte (as SQLite's `=` compares TEXT): normalizing them
/// is the service's job, not the repo's.
pub trait UserRepo {
    fn find_by_email(&self, email: &str) -> Option<User>;
    /// Stores a new user, or refuses a taken email: check and write are ONE step, with no
    /// moment in between where another signup could slip in. A refused insert stores nothing.
    fn insert(&mut self, email: &str, name: &str) -> Result<User, DuplicateEmail>;
    fn count(&self) -> usize;
}

pub struct SqliteUserRepo {
    conn: Connection,
}

impl SqliteUserRepo {
    pub fn open_in_memory() -> rusqlite::Result<Self> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL
            );",
        )?;
        Ok(SqliteUserRepo { conn })
    }
}

impl UserRepo for SqliteUserRepo {
    fn find_by_email(&self, email: &str) -> Option<User> {
        self.conn
            .query_row(
                "SELECT id, email, name FROM users WHERE email = ?1",
                params![email],
                |row| {
                    Ok(User {
                        id: row.get(0)?,
                        email: row.get(1)?,
                        name: row.get(2)?,
                    })
                },
            )
            .optional()
            .expect("query users")
    }

    fn insert(&mut self, email: &str, name: &str) -> Result<User, DuplicateEmail> {
        // The UNIQUE constraint decides, inside the INSERT itself.
        match self.conn.execute(
            "INSERT INTO users (email, name) VALUES (?1, ?2)",
            params![email, name],
        ) {
            Ok(_) => Ok(User {
                id: self.conn.last_insert_rowid(),
                email: email.to_string(),
                name: name.to_string(),
            }),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                Err(DuplicateEmail)
            }
            Err(e) => panic!("insert user: {e}"),
        }
    }

    fn count(&self) -> usize {
        self.conn
            .query_row("SELECT COUNT(*) FROM users", [], |row| row.get(0))
            .expect("count users")
    }
}

/// The test double: same contract, no database.
#[derive(Default)]
pub struct InMemoryUserRepo {
    users: Vec<User>,
}

impl UserRepo for InMemoryUserRepo {
    fn find_by_email(&self, email: &str) -> Option<User> {
        self.users.iter().find(|u| u.email == email).cloned()
    }

    fn insert(&mut self, email: &str, name: &str) -> Result<User, DuplicateEmail> {
        if self.users.iter().any(|u| u.email == email) {
            return Err(DuplicateEmail);
        }
        let user = User {
            id: self.users.len() as i64 + 1,
            email: email.to_string(),
            name: name.to_string(),
        };
        self.users.push(user.clone());
        Ok(user)
    }

    fn count(&self) -> usize {
        self.users.len()
    }
}

#[derive(Debug, PartialEq)]
pub enum RegisterError {
    EmptyName,
    EmailTaken,
}

pub struct UserService<R: UserRepo> {
    repo: R,
}

impl<R: UserRepo> UserService<R> {
    pub fn new(repo: R) -> Self {
        UserService { repo }
    }

    pub fn repo(&self) -> &R {
        &self.repo
    }

    /// Trims and lowercases the email (all of it, not only ASCII: `str::to_lowercase`, so
    /// `ÉLISE@x.org` is `élise@x.org`), trims the name, rejects an empty name and an email that
    /// is already registered, then stores the user. Trimming removes whitespace of any kind
    /// (`str::trim`: tabs, line breaks, no-break and ideographic spaces, not only `' '`).
    pub fn register(&mut self, email: &str, name: &str) -> Result<User, RegisterError> {
        let email = email.trim().to_lowercase();
        let name = name.trim();
        if name.is_empty() {
            return Err(RegisterError::EmptyName);
        }
        self.repo
            .insert(&email, name)
            .map_err(|DuplicateEmail| RegisterError::EmailTaken)
    }
}

/// Read-only code can take the dependency as a trait object.
pub fn is_registered(repo: &dyn UserRepo, email: &str) -> bool {
    repo.find_by_email(&email.trim().to_lowercase()).is_some()
}

fn main() {
    let repo = SqliteUserRepo::open_in_memory().expect("open sqlite");
    let mut service = UserService::new(repo);
    println!("{:?}", service.register("Ada@Example.com", "Ada"));
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::cell::RefCell;

    /// Contract test: any UserRepo must pass it, the real one and the fake.
    fn repo_contract(mut repo: impl UserRepo) {
        assert_eq!(repo.count(), 0, "a new repo is empty");
        let ada = repo.insert("ada@example.com", "Ada").unwrap();
        let bob = repo.insert("bob@example.com", "Bob").unwrap();
        assert_eq!(
            ada.id, 1,
            "ids start at 1 (like SQLite's INTEGER PRIMARY KEY)"
        );
        assert_eq!(bob.id, 2, "ids increase");
        assert_eq!(repo.count(), 2);
        assert_eq!(repo.find_by_email("bob@example.com"), Some(bob));
        assert_eq!(
            repo.find_by_email("carol@example.com"),
            None,
            "unknown email: None"
        );
        assert_eq!(
            repo.insert("bob@example.com", "Bobby"),
            Err(DuplicateEmail),
            "the repo itself refuses a taken email (the UNIQUE constraint, in SQLite)"
        );
        assert_eq!(repo.count(), 2, "a refused insert stores nothing");
        assert_eq!(
            repo.find_by_email("bob@example.com").map(|u| u.name),
            Some("Bob".to_string()),
            "and does not overwrite the first user"
        );
        let carol = repo.insert("carol@example.com", "Carol").unwrap();
        assert_eq!(carol.id, 3, "a refused insert does not use up an id");

        // The repo compares emails exactly, as SQLite's `=` does: a fake that is more lenient
        // than the real repo would hide a service that forgets to normalize.
        assert_eq!(
            repo.find_by_email("CAROL@example.com"),
            None,
            "the repo compares emails exactly (normalizing is the service's job)"
        );
        let shouting = repo.insert("Carol@Example.COM", "Carol again");
        assert_eq!(
            shouting.as_ref().map(|u| (u.id, u.email.as_str())),
            Ok((4, "Carol@Example.COM")),
            "an email differing only in case is another email to the repo, as in SQLite"
        );
        assert_eq!(repo.count(), 4);
        assert_eq!(
            repo.find_by_email("carol@example.com"),
            Some(carol),
            "each spelling finds its own row"
        );
    }

    /// Another signup for the same email lands between any lookup and the next write: this
    /// repo lets a rival insert the email each time `find_by_email` does not find it.
    struct RivalSignup<R: UserRepo> {
        inner: RefCell<R>,
    }

    impl<R: UserRepo> UserRepo for RivalSignup<R> {
        fn find_by_email(&self, email: &str) -> Option<User> {
            let found = self.inner.borrow().find_by_email(email);
            if found.is_none() {
                let _ = self.inner.borrow_mut().insert(email, "Rival");
            }
            found
        }

        fn insert(&mut self, email: &str, name: &str) -> Result<User, DuplicateEmail> {
            self.inner.get_mut().insert(email, name)
        }

        fn count(&self) -> usize {
            self.inner.borrow().count()
        }
    }

    fn with_rival<R: UserRepo>(repo: R) -> UserService<RivalSignup<R>> {
        UserService::new(RivalSignup {
            inner: RefCell::new(repo),
        })
    }

    fn check_race(mut service: UserService<RivalSignup<impl UserRepo>>) {
        let outcome = service.register("ada@example.com", "Ada");
        let stored = service.repo().find_by_email("ada@example.com");
        match outcome {
            Ok(user) => assert_eq!(
                stored,
                Some(user),
                "register said Ok: the stored user must be the one it returned"
            ),
            Err(error) => assert_eq!(
                error,
                RegisterError::EmailTaken,
                "a rival took the email first: EmailTaken"
            ),
        }
        assert_eq!(
            service.repo().count(),
            1,
            "one email, one account, whoever wins the race"
        );
    }

    #[test]
    fn a_concurrent_signup_cannot_slip_in_with_the_real_repo() {
        check_race(with_rival(SqliteUserRepo::open_in_memory().unwrap()));
    }

    #[test]
    fn a_concurrent_signup_cannot_slip_in_with_the_fake() {
        check_race(with_rival(InMemoryUserRepo::default()));
    }

    #[test]
    fn sqlite_repo_follows_the_contract() {
        repo_contract(SqliteUserRepo::open_in_memory().unwrap());
    }

    #[test]
    fn in_memory_fake_follows_the_contract() {
        repo_contract(InMemoryUserRepo::default());
    }

    #[test]
    fn register_normalizes_and_stores() {
        let mut service = UserService::new(InMemoryUserRepo::default());
        let user = service.register("  Ada@Example.COM ", " Ada ").unwrap();
        assert_eq!(
            user,
            User {
                id: 1,
                email: "ada@example.com".to_string(),
                name: "Ada".to_string(),
            },
            "email is trimmed and lowercased, name trimmed"
        );
        assert_eq!(
            service.repo().count(),
            1,
            "the user went into the injected repo"
        );
    }

    #[test]
    fn register_lowercases_beyond_ascii() {
        fn check(mut service: UserService<impl UserRepo>) {
            let user = service.register(" ÉLISE@Exemple.fr", "Élise").unwrap();
            assert_eq!(
                user.email, "élise@exemple.fr",
                "the whole email is lowercased, accented letters too (str::to_lowercase)"
            );
            assert_eq!(
                service.register("élise@exemple.fr", "Impostor"),
                Err(RegisterError::EmailTaken),
                "ÉLISE@exemple.fr and élise@exemple.fr are one email"
            );
            assert_eq!(
                service
                    .register("ÖSTEN@EXAMPLE.COM", "Östen")
                    .map(|u| u.email),
                Ok("östen@example.com".to_string())
            );
            assert_eq!(service.repo().count(), 2);
        }
        check(UserService::new(InMemoryUserRepo::default()));
        check(UserService::new(SqliteUserRepo::open_in_memory().unwrap()));
    }

    #[test]
    fn register_rejects_duplicates_case_insensitively() {
        let mut service = UserService::new(InMemoryUserRepo::default());
        service.register("ada@example.com", "Ada").unwrap();
        assert_eq!(
            service.register("ADA@example.com", "Impostor"),
            Err(RegisterError::EmailTaken),
            "emails are compared after normalization"
        );
        assert_eq!(
            service.repo().count(),
            1,
            "a rejected signup stores nothing"
        );
    }

    #[test]
    fn register_rejects_blank_names() {
        let mut service = UserService::new(InMemoryUserRepo::default());
        assert_eq!(
            service.register("ada@example.com", "   "),
            Err(RegisterError::EmptyName)
        );
        assert_eq!(
            service.repo().count(),
            0,
            "a rejected signup stores nothing"
        );
    }

    #[test]
    fn same_service_works_with_the_real_repo() {
        let mut service = UserService::new(SqliteUserRepo::open_in_memory().unwrap());
        service.register("ada@example.com", "Ada").unwrap();
        assert_eq!(
            service.register("Ada@Example.com", "Ada again"),
            Err(RegisterError::EmailTaken),
            "the service must not care which repo it was given"
        );
        assert!(is_registered(service.repo(), " ADA@example.com"));
    }

    #[test]
    fn trimming_removes_every_kind_of_whitespace() {
        let mut service = UserService::new(InMemoryUserRepo::default());
        let user = service
            .register("\u{3000}Cy@x.org\r\n", "\tCy\u{a0}")
            .unwrap();
        assert_eq!(
            (user.email.as_str(), user.name.as_str()),
            ("cy@x.org", "Cy"),
            "tabs, line breaks, no-break and ideographic spaces are trimmed too"
        );
        service.register("ada@x.org", "Ada").unwrap();
        for email in [
            "\tada@x.org",
            "ada@x.org\n",
            "\u{a0}ada@x.org",
            " ADA@x.org\u{2003}",
        ] {
            assert_eq!(
                service.register(email, "Ada Again"),
                Err(RegisterError::EmailTaken),
                "{email:?} is ada@x.org once trimmed: the same account"
            );
        }
        for name in ["\u{a0}", "\t", "\r\n", "\u{3000} \u{2009}"] {
            assert_eq!(
                service.register("new@x.org", name),
                Err(RegisterError::EmptyName),
                "{name:?} is blank"
            );
        }
        assert_eq!(service.repo().count(), 2, "rejected signups store nothing");
    }
}
