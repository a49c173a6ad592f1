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
    otherwise (False, None) at once, without calling it.

    TODO: take the lock with `pg_try_advisory_lock`, keyed by `KEY` (a bound parameter), give up
    when it answers false, and release exactly that lock in `finally`.
    """
    return True, job()


def is_running(conn: psycopg.Connection, name: str) -> bool:
    """Whether some session holds the lock of `name` (for a status page): the lock table says.

    TODO: `pg_locks` shows a granted advisory lock on a bigint key as `classid` (its high 32
    bits) and `objid` (its low 32 bits) with `objsubid = 1`, in this `database`.
    """
    return False
