// Scenario: the signup logic talks to SQLite directly, so every unit test needs a database and
// the rules ("emails are unique, case-insensitive") are tangled with SQL. We pull storage behind
// a `UserRepo` trait and *inject* it: production passes `SqliteUserRepo`, tests pass a fast
// in-memory fake. This is what FastAPI's `Depends`, Spring's constructor injection or a Django
// "repository/service" layer give you.
//
// Done means: `InMemoryUserRepo` behaves like the SQLite repo (same contract tests pass for
// both), and `UserService::register` enforces the rules using only the injected repo.

use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// Storage for users. Ids are assigned by the repo, starting at 1.
pub trait UserRepo {
    fn find_by_email(&self, email: &str) -> Option<User>;
    fn insert(&mut self, email: &str, name: &str) -> User;
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

    fn insert(&mut self, email: &str, name: &str) -> User {
        self.conn
            .execute(
                "INSERT INTO users (email, name) VALUES (?1, ?2)",
                params![email, name],
            )
            .expect("insert user");
        User {
            id: self.conn.last_insert_rowid(),
            email: email.to_string(),
            name: name.to_string(),
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
    // TODO: implement the three methods on top of `self.users` so that the fake passes the
    // same contract test as `SqliteUserRepo` (ids start at 1 and increase).
    fn find_by_email(&self, email: &str) -> Option<User> {
        let _ = email;
        todo!()
    }

    fn insert(&mut self, email: &str, name: &str) -> User {
        let _ = (email, name);
        todo!()
    }

    fn count(&self) -> usize {
        todo!()
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

    /// Trims and lowercases the email, trims the name, rejects an empty name and an email that
    /// is already registered, then stores the user.
    pub fn register(&mut self, email: &str, name: &str) -> Result<User, RegisterError> {
        // TODO: normalize, validate, check for a duplicate with `self.repo`, then insert.
        let _ = (email, name);
        todo!()
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

    /// Contract test: any UserRepo must pass it, the real one and the fake.
    fn repo_contract(mut repo: impl UserRepo) {
        assert_eq!(repo.count(), 0, "a new repo is empty");
        let ada = repo.insert("ada@example.com", "Ada");
        let bob = repo.insert("bob@example.com", "Bob");
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
}
