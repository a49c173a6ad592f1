// The support dashboard has a "find customer by name" box. Someone typed `x' OR '1'='1` into
// it and got the whole customer table back, and a customer called O'Brien can't be found at
// all: the query is built by pasting the input into the SQL text with `format!`.
//
// Fix `find_customers_by_name` so the name travels as a *bound parameter* (`?1`), never as
// part of the SQL text. SQLite then treats it as a value, whatever quotes it contains.
// Done means: the malicious input matches nobody, O'Brien is found, `customers` survives, and
// the name never appears in the SQL text SQLite receives (the tests trace it).

use rusqlite::{Connection, Result, params};

#[derive(Debug, PartialEq)]
pub struct Customer {
    pub id: i64,
    pub name: String,
}

pub fn setup(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO customers (name) VALUES ('Ada'), ('Grace'), ('O''Brien'), ('Linus');",
    )
}

pub fn find_customers_by_name(conn: &Connection, name: &str) -> Result<Vec<Customer>> {
    let mut stmt = conn.prepare("SELECT id, name FROM customers WHERE name = ?1 ORDER BY id")?;
    let rows = stmt.query_map(params![name], |row| {
        Ok(Customer {
            id: row.get(0)?,
            name: row.get(1)?,
        })
    })?;
    rows.collect()
}

fn main() -> Result<()> {
    let conn = Connection::open_in_memory()?;
    setup(&conn)?;
    println!("{:?}", find_customers_by_name(&conn, "Ada")?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    use std::cell::RefCell;

    thread_local! {
        /// The SQL text of every statement run on this thread's traced connection.
        static STATEMENTS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn record(event: TraceEvent<'_>) {
        if let TraceEvent::Stmt(_, sql) = event {
            STATEMENTS.with_borrow_mut(|s| s.push(sql.to_owned()));
        }
    }

    /// Runs `find_customers_by_name` and returns the SQL text SQLite was given (what it
    /// parses as code; bound values are not part of it).
    fn sql_text_of_search(conn: &Connection, name: &str) -> Vec<String> {
        STATEMENTS.with_borrow_mut(Vec::clear);
        conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
        let _ = find_customers_by_name(conn, name);
        conn.trace_v2(TraceEventCodes::empty(), None);
        STATEMENTS.take()
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        // Rows a query does not order come back in reverse: a result that is in id order only
        // because of how SQLite stores the table shows it.
        conn.pragma_update(None, "reverse_unordered_selects", true)
            .unwrap();
        conn
    }

    /// A small deterministic generator (xorshift64*): the same cases on every run.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        /// A name of 0 to 3 pieces taken from what breaks a sloppy lookup: quotes, LIKE
        /// wildcards, case, whitespace, non-ASCII letters. Short, so names repeat.
        fn name(&mut self) -> String {
            const PIECES: [&str; 10] = ["a", "A", "b", "'", "%", "_", " ", "\t", "é", "É"];
            let len = self.below(4);
            (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
        }
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn finds_an_exact_name() {
        let conn = db();
        let found = find_customers_by_name(&conn, "Grace").unwrap();
        assert_eq!(
            found,
            vec![Customer {
                id: 2,
                name: "Grace".into()
            }]
        );
    }

    #[test]
    fn the_name_never_appears_in_the_sql_text() {
        let conn = db();
        for name in ["Grace", "Zoë Quux-7", "O'Brien"] {
            let sql = sql_text_of_search(&conn, name);
            assert!(
                !sql.is_empty(),
                "find_customers_by_name ran no SQL statement for {name:?}"
            );
            // Escaping changes the quotes, so look for the pieces between them.
            let pieces: Vec<&str> = name.split('\'').filter(|p| p.len() > 3).collect();
            assert!(
                sql.iter().all(|s| pieces.iter().all(|p| !s.contains(p))),
                "the SQL text SQLite parsed contains the input {name:?}: {sql:?}. Escaped, \
                 quoted or not, pasted input is SQL code; send it as a bound parameter (?1)"
            );
        }
    }

    #[test]
    fn tautology_injection_matches_nobody() {
        let conn = db();
        let found = find_customers_by_name(&conn, "x' OR '1'='1").unwrap();
        assert!(
            found.is_empty(),
            "the input `x' OR '1'='1` is a *name*, and nobody is called that; got {} rows, \
             which means the quote closed the SQL string and `OR '1'='1'` ran as SQL",
            found.len()
        );
    }

    #[test]
    fn names_with_quotes_are_found() {
        let conn = db();
        let found = find_customers_by_name(&conn, "O'Brien");
        assert!(
            matches!(found.as_deref(), Ok([Customer { id: 3, .. }])),
            "O'Brien must be found (got {found:?}): a quote inside a bound parameter is just a \
             character, no escaping needed"
        );
    }

    #[test]
    fn the_name_is_matched_exactly() {
        let conn = db();
        for name in ["%", "_%", "Gr_ce", "A%", "ada", "GRACE"] {
            let found = find_customers_by_name(&conn, name);
            assert!(
                matches!(found.as_deref(), Ok([])),
                "nobody is called {name:?}, got {found:?}: the search box looks up one exact \
                 name (`=`). LIKE treats `%` and `_` as wildcards and ignores case, so a `%` \
                 would list every customer"
            );
        }
    }

    #[test]
    fn every_customer_with_the_name_is_found_in_id_order() {
        let conn = db();
        conn.execute_batch("INSERT INTO customers (name) VALUES ('Linus'), ('Ada');")
            .unwrap();
        let found = find_customers_by_name(&conn, "Ada").unwrap();
        assert_eq!(
            found,
            vec![
                Customer {
                    id: 1,
                    name: "Ada".into()
                },
                Customer {
                    id: 6,
                    name: "Ada".into()
                },
            ],
            "two customers are called Ada: the search returns both, by id (a name is not a key)"
        );
    }

    #[test]
    fn an_empty_search_matches_nobody() {
        let conn = db();
        let found = find_customers_by_name(&conn, "");
        assert!(
            matches!(found.as_deref(), Ok([])),
            "nobody is called \"\" (the empty string), got {found:?}: an empty search box is \
             a name like any other, not a shortcut for \"everyone\""
        );
    }

    #[test]
    fn generated_names_find_exactly_the_customers_called_that() {
        let mut g = Gen(0x5EED_0301);
        for round in 0..20 {
            let conn = db();
            conn.execute("DELETE FROM customers", []).unwrap();
            let stored: Vec<String> = (0..12).map(|_| g.name()).collect();
            for name in &stored {
                conn.execute("INSERT INTO customers (name) VALUES (?1)", [name])
                    .unwrap();
            }
            let mut all: Vec<Customer> = conn
                .prepare("SELECT id, name FROM customers")
                .unwrap()
                .query_map([], |r| {
                    Ok(Customer {
                        id: r.get(0)?,
                        name: r.get(1)?,
                    })
                })
                .unwrap()
                .collect::<Result<_>>()
                .unwrap();
            all.sort_by_key(|c| c.id);
            let queries: Vec<String> = stored
                .iter()
                .cloned()
                .chain((0..10).map(|_| g.name()))
                .chain([String::new()])
                .collect();
            for name in queries {
                let expected: Vec<&Customer> = all.iter().filter(|c| c.name == name).collect();
                let found = find_customers_by_name(&conn, &name).unwrap();
                assert_eq!(
                    found.iter().collect::<Vec<_>>(),
                    expected,
                    "round {round}, customers {stored:?}: a search for {name:?} returns exactly \
                     the customers with that name, byte for byte (empty, quotes, `%`, `_`, case \
                     and whitespace included), in id order"
                );
            }
        }
    }

    #[test]
    fn the_input_is_bound_as_typed() {
        let conn = db();
        for name in [" Ada", "Ada ", "Ada\n", "\tGrace", " Grace\r\n"] {
            let found = find_customers_by_name(&conn, name);
            assert!(
                matches!(found.as_deref(), Ok([])),
                "nobody is called {name:?} (the stored names have no surrounding whitespace), \
                 got {found:?}: bind the input exactly as given, without trimming it"
            );
        }
    }

    #[test]
    fn stacked_statements_do_not_run() {
        let conn = db();
        // Whatever this returns, it must not drop the table.
        let _ = find_customers_by_name(&conn, "x'; DROP TABLE customers; --");
        assert_eq!(
            count(&conn),
            4,
            "the customers table must still hold its 4 rows: input is data, never SQL"
        );
    }
}
