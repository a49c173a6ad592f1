import datetime
import re
import sqlite3

import pytest

import sql3_indexes as ix

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, kind TEXT NOT NULL,
    created_at TEXT NOT NULL, payload TEXT
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, status TEXT NOT NULL,
    total_cents INTEGER NOT NULL
);
"""
KINDS = ["login", "view", "click", "purchase"]
STATUSES = ["paid", "pending", "refunded"]

# The application's queries, as the tests explain them.
RECENT = ("SELECT id, kind, created_at FROM events WHERE user_id = ? "
          "ORDER BY created_at DESC, id DESC LIMIT ?")
RANGE = "SELECT id FROM events WHERE user_id = ? AND created_at >= ? AND created_at < ?"
STATUS_COUNTS = ("SELECT status, COUNT(*) FROM orders WHERE customer_id = ? "
                 "GROUP BY status ORDER BY status")
BY_EMAIL = "SELECT id, email FROM users WHERE lower(email) = lower(?)"


def fill(conn):
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO users VALUES (1, 'Ada@Example.com', 'Ada')")
    conn.executemany("INSERT INTO users VALUES (?, ?, ?)",
                     [(i, f"user{i}@example.com", f"User {i}") for i in range(2, 51)])
    start = datetime.datetime(2026, 2, 20)
    conn.executemany(
        "INSERT INTO events (user_id, kind, created_at) VALUES (?, ?, ?)",
        [((i * 7) % 50 + 1, KINDS[i % 4],
          (start + datetime.timedelta(minutes=97 * i)).isoformat(" ")) for i in range(600)],
    )
    conn.executemany(
        "INSERT INTO orders (customer_id, status, total_cents) VALUES (?, ?, ?)",
        [((i * 3) % 50 + 1, STATUSES[i % 3], 100 * i) for i in range(300)],
    )


class RecordingConnection:
    def __init__(self, conn):
        self.conn = conn
        self.calls = []

    def execute(self, sql, parameters=()):
        self.calls.append((sql, tuple(parameters)))
        return self.conn.execute(sql, parameters)


@pytest.fixture
def bare():
    conn = sqlite3.connect(":memory:")
    fill(conn)
    yield conn
    conn.close()


@pytest.fixture
def db(bare):
    ix.create_indexes(bare)
    return bare


def details(conn, sql, params):
    return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


# plan() ---------------------------------------------------------------------------------


def test_plan_returns_the_detail_of_each_step_in_order(bare):
    assert ix.plan(bare, "SELECT * FROM events WHERE user_id = ? ORDER BY created_at", (3,)) == [
        "SCAN events", "USE TEMP B-TREE FOR ORDER BY"]
    assert ix.plan(bare, "SELECT e.id FROM events e JOIN users u ON u.id = e.user_id "
                         "WHERE e.kind = ?", ("login",)) == [
        "SCAN e", "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"]


def test_plan_binds_the_parameters_and_runs_nothing(bare):
    recording = RecordingConnection(bare)
    assert ix.plan(recording, "DELETE FROM events WHERE kind = ?", ("login",)) == ["SCAN events"]
    sql, params = recording.calls[0]
    assert sql.upper().startswith("EXPLAIN QUERY PLAN") and "login" not in sql
    assert params == ("login",)
    assert bare.execute("SELECT COUNT(*) FROM events").fetchone() == (600,), (
        "EXPLAIN QUERY PLAN shows the plan without running the statement"
    )


def test_plan_without_parameters(bare):
    assert ix.plan(bare, "SELECT COUNT(*) FROM users") == ["SCAN users"]


# The indexes ------------------------------------------------------------------------------


def test_recent_events_search_the_index_in_order(db):
    steps = details(db, RECENT, (7, 20))
    assert len(steps) == 1, (
        f"no USE TEMP B-TREE FOR ORDER BY: the index must deliver the rows in created_at order: {steps}"
    )
    assert re.fullmatch(r"SEARCH events USING (COVERING )?INDEX \w+ \(user_id=\?\)", steps[0]), steps
    rows = ix.recent_events(db, 7, 5)
    everything = db.execute("SELECT id, kind, created_at FROM events WHERE user_id = 7").fetchall()
    assert rows == sorted(everything, key=lambda r: (r[2], r[0]), reverse=True)[:5]


def test_a_range_uses_both_columns_of_the_composite_index(db):
    steps = details(db, RANGE, (7, "2026-02-21", "2026-02-23"))
    step = " / ".join(steps)
    assert re.fullmatch(
        r"SEARCH events USING (COVERING )?INDEX \w+ \(user_id=\? AND created_at>\? AND created_at<\?\)",
        step), f"the index must answer the equality AND the range: {step}"


def test_one_index_per_table_no_redundant_ones(db):
    count = {t: len(db.execute(f"PRAGMA index_list({t})").fetchall())
             for t in ("events", "orders", "users")}
    assert count == {"events": 1, "orders": 1, "users": 1}, (
        "an index on (user_id) next to one on (user_id, created_at) is redundant; every index "
        f"slows every write: {count}"
    )


def test_status_counts_read_only_a_covering_index(db):
    steps = details(db, STATUS_COUNTS, (4,))
    assert len(steps) == 1 and re.fullmatch(
        r"SEARCH orders USING COVERING INDEX \w+ \(customer_id=\?\)", steps[0]
    ), f"the index holds customer_id AND status: no table read, no temp B-tree for GROUP BY: {steps}"
    expected = db.execute(
        "SELECT status, COUNT(*) FROM orders NOT INDEXED WHERE customer_id = 4 GROUP BY status "
        "ORDER BY status").fetchall()
    assert ix.order_status_counts(db, 4) == expected and expected


def test_the_covering_index_holds_exactly_what_the_query_needs(db):
    [(name,)] = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'").fetchall()
    key = [row[2] for row in db.execute(f"PRAGMA index_info({name})")]
    assert key == ["customer_id", "status"], (
        f"the per-status count reads customer_id and status: {key} is wider than that, and every "
        "change of a column in the key rewrites the index"
    )


def test_email_lookup_searches_an_expression_index(db):
    step = " / ".join(details(db, BY_EMAIL, ("ada@example.com",)))
    assert re.fullmatch(r"SEARCH users USING (COVERING )?INDEX \w+ \(<expr>=\?\)", step), step
    assert ix.find_user_by_email(db, "ADA@example.COM") == (1, "Ada@Example.com")


def test_emails_are_unique_whatever_their_case(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO users VALUES (99, 'ada@example.com', 'Impostor')")
    db.execute("INSERT INTO users VALUES (99, 'ada2@example.com', 'Ada 2')")


# A sargable query ---------------------------------------------------------------------------


@pytest.fixture
def day_events(db):
    rows = [
        (9001, 99, "login", "2026-03-01 23:59:59.999"),   # the day before
        (9002, 99, "view", "2026-03-02 00:00:00"),        # first instant
        (9003, 99, "click", "2026-03-02 12:30:00"),
        (9004, 99, "purchase", "2026-03-02 23:59:59.500"),  # last half second
        (9005, 99, "login", "2026-03-03 00:00:00"),       # the day after
        (9006, 98, "view", "2026-03-02 10:00:00"),        # another user
    ]
    db.executemany("INSERT INTO events (id, user_id, kind, created_at) VALUES (?, ?, ?, ?)", rows)
    return db


def test_events_on_day_keeps_exactly_the_day(day_events):
    assert ix.events_on_day(day_events, 99, datetime.date(2026, 3, 2)) == [
        (9002, "view", "2026-03-02 00:00:00"),
        (9003, "click", "2026-03-02 12:30:00"),
        (9004, "purchase", "2026-03-02 23:59:59.500"),
    ]
    assert ix.events_on_day(day_events, 99, datetime.date(2026, 3, 4)) == []


def test_events_at_the_same_instant_come_back_by_id():
    # A table whose storage order is not the id order (id is not the rowid here, and the rows
    # go in newest id first): only an ORDER BY that ends with id gives the ties in id order.
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA.replace(
        "id INTEGER PRIMARY KEY, user_id", "seq INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE, user_id"))
    ix.create_indexes(conn)
    conn.executemany("INSERT INTO events (id, user_id, kind, created_at) VALUES (?, 99, 'view', ?)", [
        (9105, "2026-03-02 08:00:00"), (9104, "2026-03-02 08:00:00"), (9103, "2026-03-02 08:00:00"),
        (9102, "2026-03-02 07:00:00"), (9101, "2026-03-02 09:00:00"),
    ])
    try:
        assert [r[0] for r in ix.events_on_day(conn, 99, datetime.date(2026, 3, 2))] == [
            9102, 9103, 9104, 9105, 9101], (
            "events at the same instant in id order: ORDER BY created_at, id (a timestamp is no key)"
        )
    finally:
        conn.close()


def test_events_on_day_across_a_month_end(day_events):
    assert [r[0] for r in ix.events_on_day(day_events, 99, datetime.date(2026, 3, 1))] == [9001]


@pytest.mark.parametrize("day", [
    datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 12, 31),
], ids=str)
def test_events_on_the_last_day_of_a_month(db, day):
    after = day + datetime.timedelta(days=1)
    db.executemany("INSERT INTO events (id, user_id, kind, created_at) VALUES (?, 99, 'view', ?)", [
        (9101, f"{day} 23:59:59.900"),
        (9102, f"{after} 00:00:00"),
    ])
    assert [r[0] for r in ix.events_on_day(db, 99, day)] == [9101], (
        "the day after the last of a month is the first of the next one: day + timedelta(days=1)"
    )


def test_events_on_day_is_answered_by_the_index_range(day_events):
    recording = RecordingConnection(day_events)
    ix.events_on_day(recording, 99, datetime.date(2026, 3, 2))
    assert len(recording.calls) == 1, "one query"
    [(sql, params)] = recording.calls
    step = " / ".join(details(day_events, sql, params))
    assert "user_id=? AND created_at>? AND created_at<?)" in step, (
        f"a function around created_at hides it from the index: {step}"
    )
