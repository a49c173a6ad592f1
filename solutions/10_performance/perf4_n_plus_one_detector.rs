// N+1 queries keep slipping into the API: a loop that runs one query per item looks fine in
// review and on a laptop with 3 rows. The team wants a detector in the test suite: every
// request runs through `TracedDb`, which logs each statement the way the database log shows
// it, with values inlined (`... WHERE author_id = 42`). Afterwards `find_n_plus_one` reports
// every query *shape* that ran at least `threshold` times.
//
// The first draft counts identical SQL strings, so it never fires: `author_id = 1` and
// `author_id = 2` differ. Write `shape`, which replaces literals by `?` and collapses
// whitespace, and group by shape.

use rusqlite::{Connection, Params, Result, Row, Statement};
use std::cell::RefCell;
use std::collections::HashMap;

pub struct TracedDb {
    conn: Connection,
    log: RefCell<Vec<String>>,
}

impl TracedDb {
    pub fn new(conn: Connection) -> Self {
        TracedDb {
            conn,
            log: RefCell::new(Vec::new()),
        }
    }

    /// Runs a query, logging its SQL with the bound values inlined.
    pub fn query<T, P, F>(&self, sql: &str, params: P, mut f: F) -> Result<Vec<T>>
    where
        P: Params,
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        if let Some(expanded) = rows.as_ref().and_then(Statement::expanded_sql) {
            self.log.borrow_mut().push(expanded);
        }
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(f(row)?);
        }
        Ok(out)
    }

    pub fn log(&self) -> Vec<String> {
        self.log.borrow().clone()
    }
}

#[derive(Debug, PartialEq)]
pub struct Suspect {
    pub shape: String,
    pub count: usize,
}

/// The query with every literal (number, 'string') replaced by `?` and every run of
/// whitespace collapsed into one space, trimmed.
pub fn shape(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    // Digits right after a letter or `_` belong to a name (`t1`, `col_2`), not to a literal.
    let mut in_word = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            // A string literal ends at a quote that is not doubled ('' is an escaped quote).
            while let Some(s) = chars.next() {
                if s == '\'' && chars.next_if_eq(&'\'').is_none() {
                    break;
                }
            }
            out.push('?');
        } else if c.is_ascii_digit() && !in_word {
            while chars
                .next_if(|d| d.is_ascii_alphanumeric() || *d == '.')
                .is_some()
            {}
            out.push('?');
        } else if c.is_whitespace() {
            while chars.next_if(|w| w.is_whitespace()).is_some() {}
            out.push(' ');
        } else {
            out.push(c);
        }
        in_word = c.is_alphanumeric() || c == '_';
    }
    out.trim().to_string()
}

/// Shapes that ran at least `threshold` times, in order of their first appearance.
pub fn find_n_plus_one(log: &[String], threshold: usize) -> Vec<Suspect> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut order = Vec::new();
    for sql in log {
        let s = shape(sql);
        let count = counts.entry(s.clone()).or_insert(0);
        if *count == 0 {
            order.push(s);
        }
        *count += 1;
    }
    order
        .into_iter()
        .filter_map(|shape| {
            let count = counts[&shape];
            (count >= threshold).then_some(Suspect { shape, count })
        })
        .collect()
}

fn main() -> Result<()> {
    let db = TracedDb::new(Connection::open_in_memory()?);
    for id in 1..=3 {
        db.query("SELECT ?1 + 1", [id], |r| r.get::<_, i64>(0))?;
    }
    println!("{:?}", find_n_plus_one(&db.log(), 3));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blog() -> TracedDb {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT);
             WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 10)
             INSERT INTO authors (id, name) SELECT i, 'author ' || i FROM seq;
             INSERT INTO posts (author_id, title) SELECT id, 'hello from ' || name FROM authors;",
        )
        .unwrap();
        TracedDb::new(conn)
    }

    #[test]
    fn literals_become_placeholders() {
        assert_eq!(
            shape("SELECT title FROM posts WHERE author_id = 42"),
            "SELECT title FROM posts WHERE author_id = ?"
        );
        assert_eq!(
            shape("SELECT id FROM users WHERE name = 'O''Brien' AND city = 'New York'"),
            "SELECT id FROM users WHERE name = ? AND city = ?",
            "a string literal runs to the closing quote; '' inside it is an escaped quote"
        );
        assert_eq!(
            shape("SELECT price FROM t WHERE price > 9.99 LIMIT 10"),
            "SELECT price FROM t WHERE price > ? LIMIT ?",
            "decimal numbers are one literal"
        );
    }

    #[test]
    fn names_with_digits_are_kept() {
        assert_eq!(
            shape("SELECT col2 FROM t1 WHERE v_3 = 3"),
            "SELECT col2 FROM t1 WHERE v_3 = ?",
            "digits inside identifiers (col2, t1, v_3) are not literals"
        );
    }

    #[test]
    fn whitespace_is_normalised() {
        assert_eq!(
            shape("  SELECT a,\n       b\n  FROM   t  "),
            "SELECT a, b FROM t",
            "runs of spaces and newlines become one space; the ends are trimmed"
        );
    }

    /// A tiny deterministic generator (xorshift64) for cases the exercise does not list.
    fn generator(mut state: u64) -> impl FnMut(usize) -> usize {
        move |bound| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        }
    }

    #[test]
    fn generated_queries_keep_their_shape() {
        const TEMPLATES: &[&str] = &[
            "SELECT c1 FROM t2 WHERE a = {} AND b_3 = {}",
            "UPDATE x9 SET v = {} WHERE id = {}",
            "INSERT INTO log_2024 (a1, b2) VALUES ({}, {})",
            "SELECT * FROM t WHERE x IN ({}, {}) LIMIT {}",
            "DELETE FROM s3ssions WHERE token = {} OR owner = {}",
        ];
        const LITERALS: &[&str] = &[
            "0",
            "42",
            "9.99",
            "1700000000",
            "'x'",
            "'O''Brien'",
            "'New  York'",
            "'42'",
            "''",
            "'a''''b'",
            "'t1 = 3'",
            "7",
        ];
        const SPACES: &[&str] = &[" ", "  ", "\n", "\t ", " \n   "];
        let mut next = generator(0x9e37_79b9_7f4a_7c15);
        for case in 0..300 {
            let template = TEMPLATES[next(TEMPLATES.len())];
            let mut sql = String::new();
            for (i, piece) in template.split("{}").enumerate() {
                if i > 0 {
                    sql.push_str(LITERALS[next(LITERALS.len())]);
                }
                for (j, word) in piece.split(' ').enumerate() {
                    if j > 0 {
                        sql.push_str(SPACES[next(SPACES.len())]);
                    }
                    sql.push_str(word);
                }
            }
            let expected = template.replace("{}", "?");
            assert_eq!(
                shape(&sql),
                expected,
                "generated case {case}: the shape of {sql:?}"
            );
        }
    }

    #[test]
    fn suspects_are_reported_in_order_of_first_appearance() {
        let mut next = generator(7);
        let tables = [
            "zeta", "alpha", "mu", "beta", "omega", "gamma", "kappa", "delta",
        ];
        let mut log = Vec::new();
        for (n, table) in tables.iter().enumerate() {
            for _ in 0..(2 + (n * 5) % 7) {
                log.push(format!("SELECT * FROM {table} WHERE id = {}", next(1000)));
            }
        }
        // A second round, backwards: every shape appears again later.
        for table in tables.iter().rev() {
            log.push(format!("SELECT * FROM {table} WHERE id = {}", next(1000)));
        }
        let reported: Vec<String> = find_n_plus_one(&log, 2)
            .into_iter()
            .map(|s| s.shape)
            .collect();
        let expected: Vec<String> = tables
            .iter()
            .map(|t| format!("SELECT * FROM {t} WHERE id = ?"))
            .collect();
        assert_eq!(
            reported, expected,
            "every shape repeats, so all are reported, in order of first appearance (not by \
             name, count or hash order)"
        );
    }

    #[test]
    fn flags_a_real_n_plus_one() {
        let db = blog();
        let authors = db
            .query("SELECT id FROM authors ORDER BY id", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap();
        for id in authors {
            db.query("SELECT title FROM posts WHERE author_id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        }
        assert_eq!(
            find_n_plus_one(&db.log(), 5),
            [Suspect {
                shape: "SELECT title FROM posts WHERE author_id = ?".into(),
                count: 10
            }],
            "the per-author query ran 10 times with different ids: one shape, count 10; \
             the authors query ran once and is not a suspect"
        );
    }

    #[test]
    fn a_join_is_not_flagged() {
        let db = blog();
        db.query(
            "SELECT a.name, p.title FROM authors a JOIN posts p ON p.author_id = a.id",
            [],
            |r| r.get::<_, String>(1),
        )
        .unwrap();
        db.query(
            "SELECT COUNT(*) FROM posts WHERE title LIKE 'hello%'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap();
        assert!(
            find_n_plus_one(&db.log(), 2).is_empty(),
            "two different queries, once each: nothing to report"
        );
    }

    #[test]
    fn below_threshold_is_not_flagged() {
        let log: Vec<String> = (1..=4)
            .map(|i| format!("SELECT * FROM carts WHERE id = {i}"))
            .collect();
        assert!(
            find_n_plus_one(&log, 5).is_empty(),
            "4 repetitions < threshold 5"
        );
        assert_eq!(
            find_n_plus_one(&log, 4),
            [Suspect {
                shape: "SELECT * FROM carts WHERE id = ?".into(),
                count: 4
            }],
            "threshold is inclusive: 4 repetitions with threshold 4 is a suspect"
        );
    }
}
