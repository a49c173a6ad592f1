"""Indexes and query plans: read `EXPLAIN QUERY PLAN`, then make the database SEARCH.

The tests give you a `sqlite3.Connection` with these tables (and thousands of rows):

    users  (id, email, name)                          -- no index on email yet
    events (id, user_id, kind, created_at, payload)   -- created_at: 'YYYY-MM-DD HH:MM:SS[.fff]'
    orders (id, customer_id, status, total_cents)

The queries below are what the application runs. Your job: the indexes that make each of them
fast (`INDEXES`, created by `create_indexes`), a helper that shows the plan, and one query
rewritten so an index can serve it.

1. **`EXPLAIN QUERY PLAN <query>`** returns one row per step, `(id, parent, notused, detail)`;
   the `detail` text is the plan (https://www.sqlite.org/eqp.html). Bind the query's parameters
   as usual: the plan is computed, the query is NOT run.
   - `SCAN events`: every row of the table is read. Fine for ten rows, a disaster for ten
     million.
   - `SEARCH events USING INDEX ix (user_id=?)`: the index B-tree finds the rows; what is in
     the parentheses is the part of the WHERE clause the index answers.
   - `USING COVERING INDEX`: the index holds every column the query needs, so the table itself
     is never read.
   - `USE TEMP B-TREE FOR ORDER BY` / `GROUP BY`: the rows are sorted after being found, because
     no index delivers them in order.
2. **Composite indexes are used left to right** (https://www.sqlite.org/queryplanner.html):
   an index on `(user_id, created_at)` serves `user_id = ?`, `user_id = ? AND created_at > ?`
   and `user_id = ? ORDER BY created_at`, but not `created_at > ?` alone. Equality columns first,
   then the range or sort column. Because it serves `user_id = ?` too, a second index on
   `(user_id)` alone is redundant: every index costs space and slows every INSERT and UPDATE.
3. **Covering**: add the columns the query reads to the end of the key
   (`(customer_id, status)` for a per-status count of one customer).
4. **An expression index** (https://www.sqlite.org/expridx.html) serves a WHERE on the same
   expression: `lower(email) = lower(?)` needs an index on `lower(email)`; make it `UNIQUE` and
   it also enforces case-insensitive uniqueness of emails.
5. **Sargable predicates**: a function around an indexed column (`date(created_at) = ?`) hides
   it from the index. Compare the bare column with a half-open range instead:
   `created_at >= '2026-03-01' AND created_at < '2026-03-02'` (never `<= '... 23:59:59'`, which
   loses 23:59:59.5).

PostgreSQL says the same with `EXPLAIN (ANALYZE)`: Seq Scan, Index Scan, Index Only Scan
(https://www.postgresql.org/docs/current/using-explain.html). Django declares indexes in
`Meta.indexes = [models.Index(fields=["user", "created_at"])]`, expression indexes with
`models.Index(Lower("email"), name=...)` and covering ones with `include=[...]` (PostgreSQL);
`QuerySet.explain()` prints the plan.
"""

import datetime
import sqlite3

# The indexes of the application: CREATE INDEX statements, run in order by `create_indexes`.
INDEXES = [
    "CREATE INDEX ix_events_user_created ON events (user_id, created_at)",
    "CREATE INDEX ix_orders_customer_status ON orders (customer_id, status)",
    "CREATE UNIQUE INDEX ux_users_lower_email ON users (lower(email))",
]


def create_indexes(conn: sqlite3.Connection) -> None:
    for statement in INDEXES:
        conn.execute(statement)


def plan(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> list[str]:
    """The `detail` text of each row of the query's plan, in order."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return [row[3] for row in rows]


# The application's queries. Only `events_on_day` is yours to change.


def recent_events(conn: sqlite3.Connection, user_id: int, limit: int = 20) -> list[tuple]:
    return conn.execute(
        "SELECT id, kind, created_at FROM events WHERE user_id = ? "
        "ORDER BY created_at DESC, id DESC LIMIT ?",
        (user_id, limit),
    ).fetchall()


def order_status_counts(conn: sqlite3.Connection, customer_id: int) -> list[tuple]:
    return conn.execute(
        "SELECT status, COUNT(*) FROM orders WHERE customer_id = ? GROUP BY status ORDER BY status",
        (customer_id,),
    ).fetchall()


def find_user_by_email(conn: sqlite3.Connection, email: str) -> tuple | None:
    return conn.execute(
        "SELECT id, email FROM users WHERE lower(email) = lower(?)", (email,)
    ).fetchone()


def events_on_day(conn: sqlite3.Connection, user_id: int, day: datetime.date) -> list[tuple]:
    """(id, kind, created_at) of the user's events on `day`, oldest first."""
    start = day.isoformat()
    end = (day + datetime.timedelta(days=1)).isoformat()
    return conn.execute(
        "SELECT id, kind, created_at FROM events "
        "WHERE user_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id",
        (user_id, start, end),
    ).fetchall()
