"""Advisory locks: one instance of a scheduled job across many servers, with no lock table.

Three servers run the same cron entry at 03:00; the nightly report must run once. PostgreSQL's
advisory locks are locks on a number that means whatever the application says
(https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS):
`pg_try_advisory_lock(key)` takes the lock and answers true, or answers false at once when
another session holds it (`pg_advisory_lock` would wait instead: a blocked cron job is not what
we want). A session-level lock lasts until `pg_advisory_unlock(key)` or until the session ends,
so a crashed server never holds it forever; it also *stacks*: taken twice, it must be released
twice. Release it in `finally`, and release only that key (`pg_advisory_unlock_all()` would also
drop the other locks this session holds).

The key is a bigint. Derive it from the job's name in SQL with
`hashtextextended(name, 0)` (https://www.postgresql.org/docs/current/functions-admin.html), the
same on every server and in every process; Python's `hash()` is salted per process, so two
servers would compute two different keys and both run the job.
"""

from collections.abc import Callable
from typing import TypeVar

import psycopg

T = TypeVar("T")

KEY = "hashtextextended(%s, 0)"


def run_exclusive(conn: psycopg.Connection, name: str, job: Callable[[], T]) -> tuple[bool, T | None]:
    """Runs `job` if no other session is running the job called `name`: (True, its result);
    otherwise (False, None) at once, without calling it."""
    row = conn.execute(f"SELECT pg_try_advisory_lock({KEY})", (name,)).fetchone()
    if row is None or not row[0]:
        return False, None
    try:
        return True, job()
    finally:
        conn.execute(f"SELECT pg_advisory_unlock({KEY})", (name,))


def is_running(conn: psycopg.Connection, name: str) -> bool:
    """Whether some session holds the lock of `name` (for a status page): the lock table says."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND objsubid = 1 AND database = (SELECT oid FROM pg_database "
        "WHERE datname = current_database()) "
        f"AND ((classid::bigint << 32) | objid::bigint) = {KEY})",
        (name,),
    ).fetchone()
    return bool(row and row[0])

