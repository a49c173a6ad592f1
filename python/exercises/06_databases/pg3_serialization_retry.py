"""SERIALIZABLE transactions and the retry loop they need.

Two doctors are on call; each may go off call if at least one other doctor stays. Under READ
COMMITTED (PostgreSQL's default) both check "2 on call", both update, both commit: nobody is on
call. That is *write skew*: each transaction read what the other wrote. Under SERIALIZABLE
(https://www.postgresql.org/docs/current/transaction-iso.html#XACT-SERIALIZABLE) PostgreSQL
detects it and aborts one of them with SQLSTATE 40001 `serialization_failure` (psycopg raises
`psycopg.errors.SerializationFailure`), at a statement or at COMMIT.

The contract of SERIALIZABLE is that the application retries: roll back and run the *whole*
transaction again, reads included, because the decision was made on data that changed. Retry
only serialization failures (and deadlocks, 40P01, the same kind of conflict), not a constraint
violation or a bug; retry a bounded number of times, waiting a little longer each time
(exponential backoff); and when the attempts run out, raise the last failure.

`conn` is an autocommit connection; `with conn.transaction():` issues BEGIN and COMMIT (or
ROLLBACK when the block raises). The isolation level is set by the first statement of each
transaction: `SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`.
"""

import time
from collections.abc import Callable
from typing import TypeVar

import psycopg
from psycopg import errors

T = TypeVar("T")

RETRYABLE = (errors.SerializationFailure, errors.DeadlockDetected)


def run_serializable(
    conn: psycopg.Connection,
    work: Callable[[psycopg.Connection], T],
    max_attempts: int = 5,
    base_delay: float = 0.01,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Runs `work(conn)` in a SERIALIZABLE transaction, retrying it on serialization failures
    and deadlocks up to `max_attempts` times in all, sleeping `base_delay * 2**(n-1)` after the
    n-th failed attempt."""
    # TODO: SERIALIZABLE as the transaction's first statement, and the bounded retry loop
    # around the whole transaction (a new transaction per attempt) with exponential backoff.
    with conn.transaction():
        return work(conn)


def go_off_call(conn: psycopg.Connection, doctor: str) -> bool:
    """The business rule: `doctor` goes off call only if another doctor stays on call. To be
    run inside `run_serializable`."""
    row = conn.execute("SELECT count(*) FROM doctors WHERE on_call").fetchone()
    if row is None or row[0] < 2:
        return False
    conn.execute("UPDATE doctors SET on_call = false WHERE name = %s", (doctor,))
    return True
