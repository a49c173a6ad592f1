import sqlite3

import pytest

import sql1_queries as q

SCHEMA = """
CREATE TABLE users (
    id    INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    team  TEXT,
    phone TEXT
)
"""

USERS = [
    # id, email, name, team, phone
    (1, "ada@example.com", "Ada Lovelace", "core", "+44 1"),
    (2, "o'brien@example.com", "Conan O'Brien", None, None),
    (3, "alan@example.com", "Alan Turing", "infra", None),
    (4, "adam@example.com", "adam smith", "core", "+1 555"),
    (5, "ab@example.com", "a_b tester", None, "+49 3"),
    (6, "abn@example.com", "ab_normal", "infra", None),
    (7, "pure@example.com", "100% Pure", "core", None),
    (8, "monkeys@example.com", "1000 Monkeys", None, "+33 9"),
    (9, "slash@example.com", "back\\slash", "infra", None),
    (10, "backs@example.com", "backstage", "core", None),
]


class RecordingConnection:
    """The real connection, with a log of the statements and their parameters."""

    def __init__(self, conn):
        self.conn = conn
        self.calls = []

    def execute(self, sql, parameters=()):
        self.calls.append(("execute", sql, parameters))
        return self.conn.execute(sql, parameters)

    def executemany(self, sql, seq):
        seq = list(seq)
        self.calls.append(("executemany", sql, seq))
        return self.conn.executemany(sql, seq)

    @property
    def total_changes(self):
        # the connection's counter, so that returning it is judged by its value, not an AttributeError
        return self.conn.total_changes


@pytest.fixture
def raw():
    conn = sqlite3.connect(":memory:")
    conn.execute(SCHEMA)
    conn.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?)", USERS)
    yield conn
    conn.close()


@pytest.fixture
def conn(raw):
    return RecordingConnection(raw)


def test_find_by_email_binds_the_value(conn):
    assert q.find_user_by_email(conn, "ada@example.com") == (1, "ada@example.com", "Ada Lovelace")
    kind, sql, params = conn.calls[-1]
    assert "ada@example.com" not in sql, "the value is in the SQL text: bind it with ?"
    assert list(params) == ["ada@example.com"] or params == {"email": "ada@example.com"}


def test_find_by_email_with_a_quote_in_it(conn):
    assert q.find_user_by_email(conn, "o'brien@example.com") == (
        2, "o'brien@example.com", "Conan O'Brien")
    assert "o'brien" not in conn.calls[-1][1] and "o''brien" not in conn.calls[-1][1], (
        "quotes escaped by hand are still a value pasted into SQL"
    )


@pytest.mark.parametrize("attack", [
    "x' OR '1'='1",
    "nobody@example.com' OR email LIKE '%",
    "' UNION SELECT 1, 'root', 'x' --",
])
def test_find_by_email_is_not_injectable(conn, attack):
    assert q.find_user_by_email(conn, attack) is None


def test_find_by_email_is_exact(conn):
    assert q.find_user_by_email(conn, "ADA@example.com") is None
    assert q.find_user_by_email(conn, "ada@example.co") is None
    assert q.find_user_by_email(conn, " ada@example.com ") is None, (
        "exactly this email: never strip (or otherwise clean) what the caller asked for"
    )
    assert q.find_user_by_email(conn, "ada@example.com\n") is None


@pytest.mark.parametrize("prefix, ids", [
    pytest.param("ad", [1, 4], id="case-insensitive"),
    pytest.param("100%", [7], id="percent-is-literal"),
    pytest.param("a_", [5], id="underscore-is-literal"),
    pytest.param("back\\", [9], id="backslash-is-literal"),
    pytest.param("back", [9, 10], id="plain"),
    pytest.param("Ada ", [1], id="trailing-space-is-literal"),
    pytest.param(" Ada", [], id="leading-space-is-literal"),
    pytest.param("%", [], id="only-a-wildcard"),
    pytest.param("", list(range(1, 11)), id="empty-prefix-matches-all"),
    pytest.param("x' OR '1'='1", [], id="injection"),
])
def test_search_by_name_prefix(conn, prefix, ids):
    assert [row[0] for row in q.search_by_name_prefix(conn, prefix)] == ids


def test_search_returns_id_and_name_and_binds_the_prefix(conn):
    assert q.search_by_name_prefix(conn, "alan") == [(3, "Alan Turing")]
    assert "alan" not in conn.calls[-1][1]


@pytest.mark.parametrize("text, escaped", [
    ("50%", "50\\%"), ("a_b", "a\\_b"), ("c:\\", "c:\\\\"), ("\\%", "\\\\\\%"), ("plain", "plain"),
])
def test_escape_like(text, escaped):
    assert q.escape_like(text) == escaped


def test_add_users_is_one_executemany(conn, raw):
    new = [
        {"email": "grace@example.com", "name": "Grace Hopper", "team": "core", "phone": "+1 7"},
        {"email": "linus@example.com", "name": "Linus"},
        {"email": "barbara@example.com", "name": "Barbara Liskov", "phone": "+1 8"},
    ]
    assert q.add_users(conn, new) == 3
    assert [c[0] for c in conn.calls] == ["executemany"], "one executemany, no execute per row"
    kind, sql, seq = conn.calls[0]
    assert "grace" not in sql and len(seq) == 3
    rows = raw.execute("SELECT email, name, team, phone FROM users WHERE id > 10 ORDER BY id").fetchall()
    assert rows == [
        ("grace@example.com", "Grace Hopper", "core", "+1 7"),
        ("linus@example.com", "Linus", None, None),
        ("barbara@example.com", "Barbara Liskov", None, "+1 8"),
    ], "a missing field is NULL (None), never the text 'None'"


def test_add_users_keeps_hostile_text_as_data(conn, raw):
    assert q.add_users(conn, [{"email": "e@x.org", "name": "Robert'); DROP TABLE users;--"}]) == 1
    assert raw.execute("SELECT name FROM users WHERE email = 'e@x.org'").fetchone() == (
        "Robert'); DROP TABLE users;--",)
    assert raw.execute("SELECT COUNT(*) FROM users").fetchone() == (11,)


def test_add_users_leaves_the_callers_dicts_alone(conn):
    new = [{"email": "grace@example.com", "name": "Grace Hopper"},
           {"email": "linus@example.com", "name": "Linus", "phone": "+1 9"}]
    copies = [dict(user) for user in new]
    assert q.add_users(conn, new) == 2
    assert new == copies, "the caller's dicts are theirs: build new ones, never fill in theirs"


def test_a_duplicate_email_is_not_counted_as_inserted(conn, raw):
    rows = [{"email": "new@example.com", "name": "New"}, {"email": "ada@example.com", "name": "Copy"}]
    try:
        count = q.add_users(conn, rows)
    except sqlite3.IntegrityError:
        return  # the UNIQUE violation reaches the caller: fine
    inserted = raw.execute("SELECT COUNT(*) FROM users").fetchone()[0] - len(USERS)
    assert count == inserted, (
        f"{count} returned, {inserted} inserted: return the rows the database inserted "
        "(cursor.rowcount), never len(users)"
    )


def test_add_users_returns_this_calls_rowcount_not_the_connections_total(conn, raw):
    raw.execute("UPDATE users SET team = team")  # 10 more changes on this connection
    assert q.add_users(conn, [{"email": "g@example.com", "name": "G"}]) == 1, (
        "the rows this executemany inserted (cursor.rowcount), not conn.total_changes"
    )


@pytest.mark.parametrize("emails", [
    pytest.param(["new@example.com", "ada@example.com"], id="already-stored"),
    pytest.param(["new@example.com", "twice@example.com", "twice@example.com"], id="twice-in-the-batch"),
])
def test_a_duplicate_email_raises(conn, raw, emails):
    with pytest.raises(sqlite3.IntegrityError):  # never skipped (OR IGNORE) nor replaced
        q.add_users(conn, [{"email": e, "name": "N"} for e in emails])
    # (the rows before the duplicate stay in the open transaction: committing or rolling back is
    # the caller's decision, as with any error)


def test_add_no_users(conn):
    assert q.add_users(conn, []) == 0


def test_users_without_phone(conn):
    assert q.users_without_phone(conn) == [2, 3, 6, 7, 9, 10]


def test_users_outside_team_include_those_in_no_team(conn):
    assert q.users_outside_team(conn, "core") == [2, 3, 5, 6, 8, 9]
    assert q.users_outside_team(conn, "infra") == [1, 2, 4, 5, 7, 8, 10]
    assert q.users_outside_team(conn, "nobody") == list(range(1, 11))
    assert all("core" not in c[1] for c in conn.calls)


def test_users_outside_the_empty_team_include_those_in_no_team(conn, raw):
    raw.execute("INSERT INTO users VALUES (11, 'e@example.com', 'Empty team', '', NULL)")
    assert q.users_outside_team(conn, "") == list(range(1, 11)), (
        "NULL (no team) is not the team '': COALESCE(team, '') makes them equal"
    )
    assert q.users_outside_team(conn, "core") == [2, 3, 5, 6, 8, 9, 11]


def test_phone_coverage(conn, raw):
    assert tuple(q.phone_coverage(conn)) == (10, 4)
    raw.execute("UPDATE users SET phone = NULL")
    assert tuple(q.phone_coverage(conn)) == (10, 0)
    assert len(conn.calls) == 2, "one query each time"


def test_an_empty_phone_is_known_only_null_is_unknown(conn, raw):
    raw.execute("INSERT INTO users VALUES (11, 'e@example.com', 'Empty phone', NULL, '')")
    assert q.users_without_phone(conn) == [2, 3, 6, 7, 9, 10], "'' is a known (empty) phone, not NULL"
    assert tuple(q.phone_coverage(conn)) == (11, 5), "'' is a known (empty) phone: count it"


def test_phone_coverage_of_an_empty_table(conn, raw):
    raw.execute("DELETE FROM users")
    assert tuple(q.phone_coverage(conn)) == (0, 0), (
        "no users: 0 with a known phone, not NULL (SUM of no rows is NULL, COUNT is 0)"
    )
