"""SQL from Python: bound parameters, `executemany`, and what NULL means.

The tests give you a `sqlite3.Connection` (the standard library's driver, DB-API 2.0, PEP 249)
to a database with one table:

    CREATE TABLE users (
        id    INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name  TEXT NOT NULL,
        team  TEXT,              -- NULL: in no team
        phone TEXT               -- NULL: unknown ('' is a known, empty phone)
    )

1. **Bound parameters, never string formatting.** `conn.execute("... WHERE email = ?", (email,))`
   sends the SQL text and the value separately: the value can never become SQL. Building the
   text with an f-string lets `x' OR '1'='1` rewrite the query (SQL injection, OWASP A03), and
   breaks on an honest `o'brien@example.com`. Escaping quotes by hand is not the fix either: the
   value must not be in the SQL text at all. sqlite3 takes `?` (positional, a tuple) or `:name`
   (named, a dict): https://docs.python.org/3/library/sqlite3.html#sqlite3-placeholders
2. **LIKE has its own metacharacters.** A bound parameter stops injection, not wildcards: in
   `name LIKE ?` the value `100%` still means "100 then anything", `a_` means "a then any one
   character". To match text literally, escape `%`, `_` and the escape character itself, and
   declare it: `LIKE ? ESCAPE '\\'` (https://www.sqlite.org/lang_expr.html#like). SQLite's LIKE
   ignores ASCII case.
3. **`executemany`** runs one prepared statement for a whole list of parameter sets: one call,
   no per-row SQL text. Missing optional fields are `None` in Python, which the driver sends as
   NULL (never the text `'None'`).
4. **NULL is "unknown", not a value.** `x = NULL` and `x != 'a'` are NULL (not true) when `x` is
   NULL, so such rows silently drop out of a WHERE: test with `IS NULL`, `IS NOT NULL`, or
   SQLite's null-safe `IS` / `IS NOT` (PostgreSQL: `IS DISTINCT FROM`). `COUNT(*)` counts rows,
   `COUNT(column)` counts the non-NULL values. https://www.sqlite.org/nulls.html

Every list comes back ordered by `id`.
"""

import sqlite3


def find_user_by_email(conn: sqlite3.Connection, email: str) -> tuple | None:
    """(id, email, name) of the user with exactly this email, or None."""
    # TODO: the email is pasted into the SQL text. Bind it as a parameter instead.
    return conn.execute(f"SELECT id, email, name FROM users WHERE email = '{email}'").fetchone()


def escape_like(text: str) -> str:
    """`text` with LIKE's metacharacters escaped for `ESCAPE '\\'`."""
    # TODO: escape the escape character first, then % and _.
    return text


def search_by_name_prefix(conn: sqlite3.Connection, prefix: str) -> list[tuple]:
    """(id, name) of the users whose name starts with `prefix`, taken literally (ASCII case
    ignored, as LIKE does)."""
    # TODO: a bound parameter is not enough: `%` and `_` in the prefix are still wildcards.
    return conn.execute(
        "SELECT id, name FROM users WHERE name LIKE ? ORDER BY id", (prefix + "%",)
    ).fetchall()


def add_users(conn: sqlite3.Connection, users: list[dict]) -> int:
    """Inserts the users (dicts with "email" and "name", optionally "team" and "phone") with one
    `executemany`; returns how many rows were inserted. A duplicate email is an error
    (`sqlite3.IntegrityError`, from the UNIQUE constraint), never a row silently skipped."""
    # TODO: one `executemany` with named parameters, and real NULLs for missing fields.
    count = 0
    for user in users:
        conn.execute(
            "INSERT INTO users (email, name, team, phone) VALUES (?, ?, ?, ?)",
            (user["email"], user["name"], str(user.get("team")), str(user.get("phone"))),
        )
        count += 1
    return count


def users_without_phone(conn: sqlite3.Connection) -> list[int]:
    """Ids of the users whose phone is unknown (NULL; an empty phone '' is known)."""
    # TODO: `= NULL` is never true.
    rows = conn.execute("SELECT id FROM users WHERE phone = NULL ORDER BY id").fetchall()
    return [row[0] for row in rows]


def users_outside_team(conn: sqlite3.Connection, team: str) -> list[int]:
    """Ids of the users who are not in `team`, including those in no team at all."""
    # TODO: `!=` drops the users whose team is NULL.
    rows = conn.execute("SELECT id FROM users WHERE team != ? ORDER BY id", (team,)).fetchall()
    return [row[0] for row in rows]


def phone_coverage(conn: sqlite3.Connection) -> tuple[int, int]:
    """(number of users, number of users with a known phone, '' included), in one query."""
    # TODO: COUNT(*) counts rows; what counts the known phones?
    return conn.execute("SELECT COUNT(*), COUNT(*) FROM users").fetchone()
