import psycopg
import pytest
from pg_support import connect, fresh  # noqa: F401 - fixtures
from psycopg import errors

from pg3_serialization_retry import go_off_call, run_serializable


@pytest.fixture
def db(connect):
    conn = connect()
    fresh(conn, "doctors")
    conn.execute("CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean NOT NULL)")
    conn.execute("INSERT INTO doctors VALUES ('alice', true), ('bob', true)")
    return conn


def on_call(db):
    return [r[0] for r in db.execute("SELECT name FROM doctors WHERE on_call ORDER BY name")]


def test_the_transaction_is_serializable(db):
    def work(conn):
        return conn.execute("SHOW transaction_isolation").fetchone()[0]

    assert run_serializable(db, work) == "serializable"
    assert db.execute("SHOW transaction_isolation").fetchone()[0] == "read committed"


def test_a_successful_transaction_is_committed(db, connect):
    assert run_serializable(db, lambda conn: go_off_call(conn, "alice")) is True
    assert on_call(connect()) == ["bob"]


def test_write_skew_is_caught_and_retried(db, connect):
    """Alice and Bob go off call at the same time: one of them must stay."""
    bob = connect()
    attempts = []
    sleeps = []

    def alice(conn):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            # Alice has not read yet; Bob's whole transaction runs after her snapshot.
            conn.execute("SELECT count(*) FROM doctors WHERE on_call").fetchone()
            assert run_serializable(bob, lambda c: go_off_call(c, "bob")) is True
        return go_off_call(conn, "alice")

    assert run_serializable(db, alice, sleep=sleeps.append) is False
    assert attempts == [1, 2]
    assert sleeps == [0.01]
    assert on_call(db) == ["alice"]


def test_the_whole_transaction_is_rerun_after_a_failure(db):
    seen = []

    def work(conn):
        seen.append(conn.execute("SELECT count(*) FROM doctors WHERE on_call").fetchone()[0])
        conn.execute("UPDATE doctors SET on_call = false WHERE name = 'alice'")
        if len(seen) == 1:
            raise errors.SerializationFailure("could not serialize access")
        return "ok"

    assert run_serializable(db, work, sleep=lambda s: None) == "ok"
    # The first attempt's update was rolled back before the second read.
    assert seen == [2, 2]
    assert on_call(db) == ["bob"]


def test_deadlocks_are_retried_too(db):
    calls = []

    def work(conn):
        calls.append(1)
        if len(calls) < 3:
            raise errors.DeadlockDetected("deadlock detected")
        return "ok"

    sleeps = []
    assert run_serializable(db, work, base_delay=0.5, sleep=sleeps.append) == "ok"
    assert sleeps == [0.5, 1.0]


def test_other_errors_are_not_retried(db):
    calls = []

    def work(conn):
        calls.append(1)
        conn.execute("INSERT INTO doctors VALUES ('alice', true)")

    with pytest.raises(errors.UniqueViolation):
        run_serializable(db, work, sleep=lambda s: None)
    assert calls == [1]

    def bug(conn):
        calls.append(2)
        raise ValueError("bug")

    with pytest.raises(ValueError):
        run_serializable(db, bug, sleep=lambda s: None)
    assert calls == [1, 2]


@pytest.mark.parametrize(
    "error", [errors.LockNotAvailable, errors.QueryCanceled, errors.AdminShutdown]
)
def test_other_operational_errors_are_not_retried(db, error):
    """A lock timeout, a cancelled statement or a lost server is not a serialization conflict:
    retrying it is not the contract (only 40001 and 40P01 are)."""
    calls = []
    sleeps = []

    def work(conn):
        calls.append(1)
        raise error("not a serialization conflict")

    with pytest.raises(error):
        run_serializable(db, work, sleep=sleeps.append)
    assert calls == [1]
    assert sleeps == []


def test_attempts_are_bounded_and_the_last_failure_is_raised(db):
    calls = []
    sleeps = []

    def work(conn):
        calls.append(1)
        raise errors.SerializationFailure(f"attempt {len(calls)}")

    with pytest.raises(errors.SerializationFailure, match="attempt 4"):
        run_serializable(db, work, max_attempts=4, base_delay=0.1, sleep=sleeps.append)
    assert len(calls) == 4
    assert sleeps == pytest.approx([0.1, 0.2, 0.4])


def test_a_failed_attempt_leaves_no_open_transaction(db):
    def work(conn):
        raise errors.SerializationFailure("no")

    with pytest.raises(errors.SerializationFailure):
        run_serializable(db, work, max_attempts=2, sleep=lambda s: None)
    assert db.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_go_off_call_keeps_the_last_doctor(db):
    assert run_serializable(db, lambda c: go_off_call(c, "alice")) is True
    assert run_serializable(db, lambda c: go_off_call(c, "bob")) is False
    assert on_call(db) == ["bob"]
