"""The course's PostgreSQL fixtures (read it, do not edit it).

The runner starts one PostgreSQL server per session (on a unix socket only) and gives each check
a database of its own, owned by a role of its own, dropped after the check. The tests find it in
`BACKENDLINGS_POSTGRES_DSN`, a libpq URI
(`postgresql://ROLE:PASSWORD@/DATABASE?host=/socket/folder&port=5432`) that `psycopg.connect`
takes as it is. Locks and isolation levels are properties of a real server: two connections
here are two real sessions, as two workers or two web requests would be.
"""

import os

import psycopg
import pytest

DSN_VARIABLE = "BACKENDLINGS_POSTGRES_DSN"


def dsn() -> str:
    value = os.environ.get(DSN_VARIABLE)
    if not value:
        pytest.fail(
            f"{DSN_VARIABLE} is not set: run this exercise with backendlings, which starts PostgreSQL"
        )
    return value


@pytest.fixture
def connect():
    """Opens connections to the check's database (autocommit unless asked otherwise), each a
    session of its own; all are closed after the test, and the tables named in `fresh(...)` are
    dropped before it."""
    opened = []

    def make(autocommit: bool = True) -> psycopg.Connection:
        conn = psycopg.connect(dsn(), autocommit=autocommit, connect_timeout=10)
        opened.append(conn)
        return conn

    yield make
    for conn in opened:
        conn.close()


def fresh(conn: psycopg.Connection, *tables: str) -> None:
    """Drops `tables` (the previous test's), so that each test starts from the schema alone."""
    for table in tables:
        conn.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
