import pytest
from pg_support import connect  # noqa: F401 - fixtures

from pg2_advisory_locks import is_running, run_exclusive


def session(connect):
    conn = connect()
    # A lock wait fails fast instead of hanging the test.
    conn.execute("SET lock_timeout = '300ms'")
    return conn


def try_lock(conn, name):
    return conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (name,)).fetchone()[0]


def unlock(conn, name):
    return conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (name,)).fetchone()[0]


def test_a_free_job_runs_and_the_lock_is_released(connect):
    a, b = session(connect), session(connect)
    assert run_exclusive(a, "nightly-report", lambda: 42) == (True, 42)
    assert try_lock(b, "nightly-report") is True


def test_a_job_running_elsewhere_is_skipped_at_once(connect):
    a, b = session(connect), session(connect)
    assert try_lock(b, "nightly-report")
    calls = []
    assert run_exclusive(a, "nightly-report", lambda: calls.append(1)) == (False, None)
    assert calls == []


def test_the_lock_is_held_while_the_job_runs(connect):
    a, b = session(connect), session(connect)
    seen = {}

    def job():
        seen["other session can lock"] = try_lock(b, "nightly-report")
        seen["running"] = is_running(b, "nightly-report")
        return "done"

    assert run_exclusive(a, "nightly-report", job) == (True, "done")
    assert seen == {"other session can lock": False, "running": True}


def test_a_failing_job_releases_the_lock(connect):
    a, b = session(connect), session(connect)

    def job():
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        run_exclusive(a, "nightly-report", job)
    assert try_lock(b, "nightly-report") is True


def test_other_locks_of_the_session_are_kept(connect):
    a, b = session(connect), session(connect)
    assert try_lock(a, "billing")
    run_exclusive(a, "nightly-report", lambda: None)
    assert try_lock(b, "billing") is False
    assert try_lock(b, "nightly-report") is True


def test_a_lock_taken_twice_is_released_once(connect):
    a, b = session(connect), session(connect)
    assert try_lock(a, "nightly-report")  # the session already holds it
    assert run_exclusive(a, "nightly-report", lambda: "nested") == (True, "nested")
    assert try_lock(b, "nightly-report") is False
    assert unlock(a, "nightly-report") is True
    assert try_lock(b, "nightly-report") is True


def test_names_are_separate_locks(connect):
    a, b = session(connect), session(connect)
    assert try_lock(b, "nightly-report")
    assert run_exclusive(a, "weekly-digest", lambda: "ok") == (True, "ok")


@pytest.mark.parametrize("name", ["nightly-report", "é", "x" * 300])
def test_the_key_is_the_same_in_every_session(connect, name):
    a, b = session(connect), session(connect)
    assert try_lock(b, name)
    assert run_exclusive(a, name, lambda: 1) == (False, None)


def test_is_running_reads_the_lock_table(connect):
    a, b = session(connect), session(connect)
    assert is_running(a, "nightly-report") is False
    try_lock(b, "nightly-report")
    assert is_running(a, "nightly-report") is True
    assert is_running(a, "weekly-digest") is False
    unlock(b, "nightly-report")
    assert is_running(a, "nightly-report") is False


def test_is_running_ignores_keys_that_share_the_low_32_bits(connect):
    """The key is 64 bits: pg_locks shows its high half in classid and its low half in objid."""
    a, b = session(connect), session(connect)
    # The same low 32 bits as the key of "nightly-report", another high half (# is XOR).
    assert b.execute(
        "SELECT pg_try_advisory_lock(hashtextextended(%s, 0) # (1::bigint << 32))",
        ("nightly-report",),
    ).fetchone()[0]
    assert is_running(a, "nightly-report") is False
    assert run_exclusive(a, "nightly-report", lambda: "ran") == (True, "ran")


def test_is_running_sees_the_lock_of_its_own_session(connect):
    """The holder's own session asks: the lock table says yes (taking the lock again to probe
    would succeed, locks stack in a session, and answer no)."""
    a = session(connect)
    seen = []
    job = lambda: seen.append(is_running(a, "nightly-report"))  # noqa: E731
    assert run_exclusive(a, "nightly-report", job) == (True, None)
    assert seen == [True]
    assert is_running(a, "nightly-report") is False


def test_is_running_only_counts_locks_in_this_database(connect):
    """Advisory locks belong to a database, and pg_locks lists the locks of every database of
    the server. The checks' role may not connect to another database, so the lock table this
    session reads (a temporary view, found before pg_catalog's) also lists a copy of a real
    advisory lock of the same key, moved to another database."""
    a, b = session(connect), session(connect)
    assert try_lock(b, "nightly-report")
    a.execute(
        "CREATE TEMP TABLE elsewhere AS SELECT * FROM pg_catalog.pg_locks "
        "WHERE locktype = 'advisory' AND pid = %s",
        (b.info.backend_pid,),
    )
    assert unlock(b, "nightly-report")
    a.execute(
        "UPDATE elsewhere SET database = "
        "(SELECT oid FROM pg_catalog.pg_database WHERE datname = 'template1')"
    )
    a.execute(
        "CREATE TEMP VIEW pg_locks AS "
        "SELECT * FROM pg_catalog.pg_locks UNION ALL SELECT * FROM elsewhere"
    )
    copied = a.execute("SELECT count(*) FROM pg_locks WHERE pid = %s", (b.info.backend_pid,))
    assert copied.fetchone()[0] == 1
    assert is_running(a, "nightly-report") is False
    seen = []
    job = lambda: seen.append(is_running(a, "nightly-report"))  # noqa: E731
    assert run_exclusive(a, "nightly-report", job) == (True, None)
    assert seen == [True]
