// N+1 queries keep slipping into the API: a loop that runs one query per item looks fine in
// review and on a laptop with 3 rows. The team wants a detector in the test suite: every
// request runs through `TracedDb`, which logs each statement the way the database log shows
// it, with values inlined (`... WHERE author_id = 42`). Afterwards `find_n_plus_one` reports
// every query *shape* that ran at least `threshold` times.
//
// The first draft counts identical SQL strings, so it never fires: `author_id = 1` and
// `author_id = 2` differ. Write `shape`, which replaces every value by `?` and collapses
// whitespace, and group by shape. A statement must keep one shape whatever values it ran
// with: the log shows a bound -5 as `-5`, 1e20 as `1.0e+20`, a blob as `x'0aff'` and a
// missing value as `NULL`.

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

/// The query with every value the log can show replaced by `?` and every run of whitespace
/// collapsed into one space, trimmed. Values are numbers (`42`, `9.99`, `-5`, `1.0e+20`),
/// 'strings' (`''` inside is an escaped quote), blobs (`x'00ff'`) and `NULL`; a "quoted name"
/// is an identifier, kept as it is.
pub fn shape(sql: &str) -> String {
    // TODO: walk the characters (a `Peekable` iterator helps: `next_if`, `next_if_eq`) and
    // build the shape. Mind '' inside strings, digits inside names like `t1`, and a `-` that
    // is a sign (`= -5`) rather than a subtraction (`a-1`).
    todo!("normalise {sql}")
}

/// Shapes that ran at least `threshold` times, in order of their first appearance.
pub fn find_n_plus_one(log: &[String], threshold: usize) -> Vec<Suspect> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut order = Vec::new();
    for sql in log {
        // TODO: group by shape, not by the raw SQL text.
        let s = sql.clone();
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
    fn values_of_every_kind_become_placeholders() {
        assert_eq!(
            shape("UPDATE accounts SET balance = -5 WHERE id IN (-1, -2) LIMIT -1"),
            "UPDATE accounts SET balance = ? WHERE id IN (?, ?) LIMIT ?",
            "a `-` right before a digit, not after a name, a value or `)`, is the sign of the \
             number: `-5` is one value"
        );
        assert_eq!(
            shape(
                "SELECT a-1, a - -2.5e-7, (b)-3, c - 4, 2-1, 3+4, 1e5-1 FROM t WHERE d > 1.0e+20"
            ),
            "SELECT a-?, a - ?, (b)-?, c - ?, ?-?, ?+?, ?-? FROM t WHERE d > ?",
            "after a name, a value or `)` a `-` subtracts; an exponent with its sign is part of \
             the number"
        );
        assert_eq!(
            shape("INSERT INTO t (x, nullable) VALUES (NULL, null, x'00ff', X'', max(x))"),
            "INSERT INTO t (x, nullable) VALUES (?, ?, ?, ?, max(x))",
            "NULL is a value, and so is a blob x'...'; the names x and nullable are not"
        );
    }

    #[test]
    fn a_backslash_is_an_ordinary_character_in_a_string() {
        assert_eq!(
            shape("SELECT * FROM f WHERE path = 'C:\\' AND owner = 7"),
            "SELECT * FROM f WHERE path = ? AND owner = ?",
            "in SQL a string ends at the first lone quote, whatever comes before it: a \\ \
             escapes nothing (only '' stands for a quote), so 'C:\\' is a whole string"
        );
    }

    #[test]
    fn quoted_names_are_not_values() {
        assert_eq!(
            shape(r#"SELECT "name" FROM "users" WHERE "id" = 7"#),
            r#"SELECT "name" FROM "users" WHERE "id" = ?"#,
            "a double-quoted word is a name (an identifier), not a string literal"
        );
        assert_eq!(
            shape(r#"SELECT "col  2", "it's", "say ""hi""" FROM "2fa" WHERE x = 'a"b'"#),
            r#"SELECT "col  2", "it's", "say ""hi""" FROM "2fa" WHERE x = ?"#,
            "a quoted name is kept exactly as it is, up to the closing \" (\"\" inside is an \
             escaped quote)"
        );
        let log = [
            r#"SELECT * FROM "users" WHERE "id" = 1"#.to_string(),
            r#"SELECT * FROM "orders" WHERE "id" = 2"#.to_string(),
        ];
        assert!(
            find_n_plus_one(&log, 2).is_empty(),
            "two different tables are two different shapes"
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
            "UPDATE \"2fa\" SET \"v1\" = {} WHERE x = {} - {} OR y IN ({},{})",
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
            "-5",
            "-0.5",
            "1.0e+20",
            "2.5e-7",
            "NULL",
            "null",
            "x'00ff'",
            "X''",
            "'\"q\"'",
            "'C:\\'",
            "'\\\\'",
            "'a\\''b'",
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
    fn every_bound_value_gives_the_same_shape() {
        use rusqlite::types::Value;
        let db = blog();
        let mut next = generator(0x2545_f491_4f6c_dd1d);
        let ints = [0, 7, -1, -42, i64::MIN, i64::MAX, 1_700_000_000];
        let reals = [
            0.5,
            -2.5e-7,
            1e300,
            -1e-300,
            3.0,
            1e16,
            123_456_789.125,
            -0.0,
        ];
        let texts = [
            "",
            "O'Brien",
            "say \"hi\"",
            "a''b",
            "-5",
            "NULL",
            "x'00'",
            "line\nbreak",
            "t1 = 3",
        ];
        let mut value = || match next(5) {
            0 => Value::Integer(ints[next(ints.len())]),
            1 => Value::Real(reals[next(reals.len())]),
            2 => Value::Text(texts[next(texts.len())].to_string()),
            // Not empty: SQLite logs an empty blob as `zeroblob(0)`, a function call.
            3 => Value::Blob((0..1 + next(4)).map(|_| next(256) as u8).collect()),
            _ => Value::Null,
        };
        for _ in 0..60 {
            db.query(
                "SELECT id FROM authors WHERE id = ?1 OR name IN (?2, ?3) OR id - ?1 > ?2",
                [value(), value(), value()],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        }
        let log = db.log();
        assert_eq!(
            find_n_plus_one(&log, 60),
            [Suspect {
                shape: "SELECT id FROM authors WHERE id = ? OR name IN (?, ?) OR id - ? > ?".into(),
                count: 60
            }],
            "one statement run with 60 sets of values (integers, reals, text, blobs, NULL) is \
             one shape; the log shows the values like this: {:?}, and the shapes are {:?}",
            &log[..5],
            find_n_plus_one(&log, 1)
        );
    }

    #[test]
    fn an_interleaved_n_plus_one_is_flagged() {
        let db = blog();
        let authors = db
            .query("SELECT id FROM authors ORDER BY id", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap();
        for id in authors {
            db.query("SELECT name FROM authors WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
            db.query("SELECT title FROM posts WHERE author_id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .unwrap();
        }
        assert_eq!(
            find_n_plus_one(&db.log(), 3),
            [
                Suspect {
                    shape: "SELECT name FROM authors WHERE id = ?".into(),
                    count: 10
                },
                Suspect {
                    shape: "SELECT title FROM posts WHERE author_id = ?".into(),
                    count: 10
                }
            ],
            "two queries per author, alternating: each shape ran 10 times in the request, \
             whether or not the runs are back to back"
        );
        let log: Vec<String> = ["a", "b", "b", "a", "b", "a"]
            .iter()
            .enumerate()
            .map(|(i, t)| format!("SELECT * FROM {t} WHERE id = {i}"))
            .collect();
        let suspects = |threshold| -> Vec<(String, usize)> {
            find_n_plus_one(&log, threshold)
                .into_iter()
                .map(|s| (s.shape, s.count))
                .collect()
        };
        assert_eq!(
            suspects(3),
            [
                ("SELECT * FROM a WHERE id = ?".to_string(), 3),
                ("SELECT * FROM b WHERE id = ?".to_string(), 3)
            ],
            "counts cover the whole log, and the order is the order of first appearance"
        );
        assert_eq!(
            suspects(1)
                .into_iter()
                .map(|(_, count)| count)
                .collect::<Vec<_>>(),
            [3, 3],
            "threshold 1: every shape that ran is reported"
        );
        assert_eq!(
            find_n_plus_one(&log[..1], 1),
            [Suspect {
                shape: "SELECT * FROM a WHERE id = ?".into(),
                count: 1
            }],
            "threshold 1: a query that ran once is reported too"
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
