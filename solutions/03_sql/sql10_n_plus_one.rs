// The blog's front page lists every author with the titles of their posts. It is correct but
// slow: one query loads the authors, then the loop runs one more query *per author* to load
// their posts. 50 authors = 51 round trips to the database: the classic "N+1 queries".
//
// `Db` wraps the connection and counts every statement it runs (think of it as the query log
// of your ORM); the tests count what SQLite itself executes. Rewrite `front_page` so it needs at most 2 statements whatever the number of
// authors: one LEFT JOIN grouped in Rust, or the authors plus one query for all their posts
// (`WHERE author_id IN (SELECT ...)`). Values are never pasted into the SQL text: the SQL
// SQLite receives is the same whatever the authors. The result must stay exactly the same,
// including authors without posts.

use rusqlite::{Connection, Params, Result, Row};
use std::cell::Cell;

pub struct Db {
    conn: Connection,
    statements: Cell<usize>,
}

impl Db {
    pub fn new(conn: Connection) -> Self {
        Db {
            conn,
            statements: Cell::new(0),
        }
    }

    /// Runs one query and maps every row. Counts as one statement.
    pub fn query<T, P, F>(&self, sql: &str, params: P, f: F) -> Result<Vec<T>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        self.statements.set(self.statements.get() + 1);
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, f)?;
        rows.collect()
    }

    pub fn statements(&self) -> usize {
        self.statements.get()
    }
}

#[derive(Debug, PartialEq)]
pub struct AuthorPosts {
    pub author: String,
    /// Titles in publication order (by post id).
    pub titles: Vec<String>,
}

/// Creates `authors` authors; author i has i % 3 posts (so every third one has none).
pub fn setup(conn: &Connection, authors: i64) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         CREATE TABLE posts (
             id INTEGER PRIMARY KEY,
             author_id INTEGER NOT NULL REFERENCES authors(id),
             title TEXT NOT NULL
         );
         CREATE INDEX posts_author ON posts (author_id);",
    )?;
    for i in 1..=authors {
        conn.execute(
            "INSERT INTO authors (id, name) VALUES (?1, ?2)",
            (i, format!("author {i:03}")),
        )?;
        for n in 1..=i % 3 {
            conn.execute(
                "INSERT INTO posts (author_id, title) VALUES (?1, ?2)",
                (i, format!("post {n} by {i}")),
            )?;
        }
    }
    Ok(())
}

/// Every author, ordered by name, with their post titles.
pub fn front_page(db: &Db) -> Result<Vec<AuthorPosts>> {
    let rows = db.query(
        "SELECT a.id, a.name, p.title
         FROM authors a
         LEFT JOIN posts p ON p.author_id = a.id
         ORDER BY a.name, a.id, p.id",
        [],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        },
    )?;
    // Rows of one author are adjacent thanks to ORDER BY: start a new entry when the id changes.
    let mut page: Vec<AuthorPosts> = Vec::new();
    let mut last_id = None;
    for (id, author, title) in rows {
        if last_id != Some(id) {
            last_id = Some(id);
            page.push(AuthorPosts {
                author,
                titles: Vec::new(),
            });
        }
        if let (Some(entry), Some(title)) = (page.last_mut(), title) {
            entry.titles.push(title);
        }
    }
    Ok(page)
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn, 5)?;
    let db = Db::new(conn);
    println!("{:#?}", front_page(&db)?);
    println!("statements: {}", db.statements());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    use std::cell::{Cell, RefCell};

    thread_local! {
        static STATEMENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        static ROWS: Cell<usize> = const { Cell::new(0) };
    }

    fn record(event: TraceEvent<'_>) {
        match event {
            TraceEvent::Stmt(_, sql) => STATEMENTS.with_borrow_mut(|s| s.push(sql.to_owned())),
            TraceEvent::Row(_) => ROWS.set(ROWS.get() + 1),
            _ => {}
        }
    }

    /// What SQLite did while `f` ran: the statements it executed and the rows it produced.
    fn traced<T>(conn: &Connection, f: impl FnOnce() -> T) -> (T, Vec<String>, usize) {
        STATEMENTS.with_borrow_mut(Vec::clear);
        ROWS.set(0);
        let codes = TraceEventCodes::SQLITE_TRACE_STMT | TraceEventCodes::SQLITE_TRACE_ROW;
        conn.trace_v2(codes, Some(record));
        let out = f();
        conn.trace_v2(TraceEventCodes::empty(), None);
        (out, STATEMENTS.take(), ROWS.get())
    }

    fn db(authors: i64) -> Db {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn, authors).unwrap();
        // Rows a query does not order come back in reverse: an order that only comes from how
        // SQLite stores the tables shows it.
        conn.pragma_update(None, "reverse_unordered_selects", true)
            .unwrap();
        Db::new(conn)
    }

    #[test]
    fn lists_every_author_with_their_posts() {
        let db = db(4);
        let page = front_page(&db).unwrap();
        let expected = [
            ("author 001", vec!["post 1 by 1"]),
            ("author 002", vec!["post 1 by 2", "post 2 by 2"]),
            ("author 003", vec![]),
            ("author 004", vec!["post 1 by 4"]),
        ];
        let expected: Vec<AuthorPosts> = expected
            .into_iter()
            .map(|(a, t)| AuthorPosts {
                author: a.into(),
                titles: t.into_iter().map(String::from).collect(),
            })
            .collect();
        assert_eq!(
            page, expected,
            "authors by name, titles in post order; author 003 has no posts and must still \
             appear with an empty list"
        );
    }

    #[test]
    fn authors_are_ordered_by_name_not_by_id() {
        let db = db(3);
        db.conn
            .execute_batch(
                "INSERT INTO authors (id, name) VALUES (100, 'aaa'), (50, 'zed');
                 INSERT INTO posts (author_id, title) VALUES (100, 'first post by aaa');",
            )
            .unwrap();
        let page = front_page(&db).unwrap();
        let authors: Vec<&str> = page.iter().map(|a| a.author.as_str()).collect();
        assert_eq!(
            authors,
            ["aaa", "author 001", "author 002", "author 003", "zed"],
            "aaa joined last (id 100) and zed before it (id 50): the page is sorted by name, \
             ids only break ties between equal names"
        );
        assert_eq!(
            page.first().map(|a| a.titles.clone()),
            Some(vec!["first post by aaa".to_string()]),
            "aaa's entry carries aaa's post"
        );
    }

    #[test]
    fn authors_who_share_a_name_stay_apart() {
        let db = db(2);
        db.conn
            .execute_batch(
                "UPDATE authors SET name = 'Sam' WHERE id IN (1, 2);
                 INSERT INTO posts (author_id, title) VALUES (1, 'late post by 1');",
            )
            .unwrap();
        let page = front_page(&db).unwrap();
        let titles: Vec<Vec<&str>> = page
            .iter()
            .map(|a| a.titles.iter().map(String::as_str).collect())
            .collect();
        assert_eq!(
            titles,
            [
                vec!["post 1 by 1", "late post by 1"],
                vec!["post 1 by 2", "post 2 by 2"]
            ],
            "two authors called Sam are two entries (names are not unique: group by id), \
             each with their own posts in post order"
        );
    }

    #[test]
    fn titles_stay_whole_and_in_post_order_whatever_the_indexes() {
        let db = db(3);
        // A title with commas, and an index that hands out each author's posts by title.
        db.conn
            .execute_batch(
                "INSERT INTO posts (author_id, title) VALUES (2, 'Aardvarks, and why, briefly');
                 CREATE INDEX posts_author_title ON posts (author_id, title);",
            )
            .unwrap();
        let page = front_page(&db).unwrap();
        let titles: Vec<&str> = page
            .get(1)
            .map(|a| a.titles.iter().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            titles,
            ["post 1 by 2", "post 2 by 2", "Aardvarks, and why, briefly"],
            "author 002's titles in publication order (post id), each title whole. The order \
             of rows the database happens to produce changes with its indexes: only ORDER BY \
             (ending with p.id) fixes it. And a title may contain a comma, so titles glued \
             together and split again come apart"
        );
    }

    #[test]
    fn the_sql_text_does_not_depend_on_the_authors() {
        let small = db(5);
        small
            .conn
            .execute(
                "INSERT INTO authors (id, name) VALUES (987654, 'author 987654')",
                [],
            )
            .unwrap();
        let (_, small_sql, _) = traced(&small.conn, || front_page(&small).unwrap());
        let pasted: Vec<&String> = small_sql.iter().filter(|s| s.contains("987654")).collect();
        assert!(
            pasted.is_empty(),
            "an author id is in the SQL text: {pasted:?}. Ids pasted into the SQL (an IN list \
             built with format!) are string-built SQL: bind values, or let SQL find them \
             (a JOIN or a subquery)"
        );
        let large = db(50);
        let (_, large_sql, _) = traced(&large.conn, || front_page(&large).unwrap());
        assert_eq!(
            small_sql, large_sql,
            "the statements for 6 and for 50 authors differ: each page gets a new statement \
             text (to parse, plan and cache again) that grows with the number of authors"
        );
    }

    #[test]
    fn statement_count_does_not_grow_with_authors() {
        let db = db(50);
        // SQLite itself reports every statement it executes, however it was prepared.
        let (page, executed, _) = traced(&db.conn, || front_page(&db).unwrap());
        assert_eq!(page.len(), 50, "all 50 authors are listed");
        let posts: usize = page.iter().map(|a| a.titles.len()).sum();
        assert_eq!(posts, 51, "author i has i % 3 posts: 51 in total");
        assert!(
            executed.len() <= 2,
            "front_page executed {} statements for 50 authors; one query per author is the \
             N+1 pattern (prepared once or not, each execution is a round trip). Load \
             everything with a JOIN (1 statement) or with an IN list (2)",
            executed.len()
        );
    }
}
