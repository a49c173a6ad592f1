import time

import psycopg
import pytest
from pg_support import connect, dsn, fresh  # noqa: F401 - fixtures

from pg1_skip_locked import claim, create_schema, enqueue, finish


@pytest.fixture
def db(connect):
    conn = connect()
    fresh(conn, "jobs")
    create_schema(conn)
    return conn


def worker_conn(connect):
    """A worker's session: its own transactions, and a lock wait that fails fast."""
    conn = connect(autocommit=False)
    conn.execute("SET lock_timeout = '300ms'")
    conn.commit()
    return conn


def wait_until_gone(db, pid, deadline_s=10.0):
    """`close()` does not wait for the server: its backend may still hold the row lock for a
    moment (longer on a busy server). Wait until it has ended."""
    end = time.monotonic() + deadline_s
    while db.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
        assert time.monotonic() < end, f"backend {pid} still running after {deadline_s} s"
        time.sleep(0.02)


def status(db, job_id):
    return db.execute("SELECT status, locked_by FROM jobs WHERE id = %s", (job_id,)).fetchone()


def test_claim_takes_the_oldest_due_job_and_marks_it(db, connect):
    first = enqueue(db, "email", {"to": "ada@example.com"})
    enqueue(db, "email", {"to": "bo@example.com"})
    w = worker_conn(connect)
    job = claim(w, "w1")
    w.commit()
    assert job == {"id": first, "kind": "email", "payload": {"to": "ada@example.com"}, "attempts": 1}
    assert status(db, first) == ("running", "w1")


def test_jobs_not_yet_due_are_not_claimed(db, connect):
    later = enqueue(db, "report", {}, delay_s=3600)
    now = enqueue(db, "report", {})
    w = worker_conn(connect)
    assert claim(w, "w1")["id"] == now
    assert claim(w, "w1") is None
    w.commit()
    assert status(db, later) == ("queued", None)


def test_due_order_is_run_at_then_id(db, connect):
    db.execute(
        "INSERT INTO jobs (id, kind, run_at) VALUES "
        "(1, 'a', now() - interval '1 minute'), (2, 'b', now() - interval '1 hour'), "
        "(3, 'c', now() - interval '1 hour')"
    )
    w = worker_conn(connect)
    assert [claim(w, "w")["id"] for _ in range(3)] == [2, 3, 1]
    w.commit()


def test_a_second_worker_skips_the_job_being_claimed(db, connect):
    first = enqueue(db, "a", {})
    second = enqueue(db, "b", {})
    w1, w2 = worker_conn(connect), worker_conn(connect)
    assert claim(w1, "w1")["id"] == first  # w1's transaction is still open
    assert claim(w2, "w2")["id"] == second  # no wait, no duplicate
    w2.commit()
    w1.commit()
    assert status(db, first) == ("running", "w1")
    assert status(db, second) == ("running", "w2")


def test_only_one_row_is_locked_per_claim(db, connect):
    ids = [enqueue(db, "a", {}) for _ in range(3)]
    w1, w2 = worker_conn(connect), worker_conn(connect)
    claim(w1, "w1")
    assert [claim(w2, "w2")["id"] for _ in range(2)] == ids[1:]
    w2.commit()
    w1.commit()


def test_all_jobs_being_claimed_means_none_for_now(db, connect):
    enqueue(db, "a", {})
    w1, w2 = worker_conn(connect), worker_conn(connect)
    assert claim(w1, "w1") is not None
    assert claim(w2, "w2") is None
    w2.commit()
    w1.commit()


def test_a_crashed_worker_gives_its_job_back(db, connect):
    job_id = enqueue(db, "a", {})
    w1, w2 = worker_conn(connect), worker_conn(connect)
    assert claim(w1, "w1")["id"] == job_id
    pid = w1.info.backend_pid
    w1.close()  # the worker dies before committing: its transaction is rolled back
    wait_until_gone(db, pid)
    assert status(db, job_id) == ("queued", None)
    job = claim(w2, "w2")
    w2.commit()
    assert job["id"] == job_id and job["attempts"] == 1


def test_claim_does_not_commit_for_the_caller(db, connect):
    job_id = enqueue(db, "a", {})
    w = worker_conn(connect)
    claim(w, "w1")
    assert status(db, job_id) == ("queued", None)
    w.rollback()
    assert status(db, job_id) == ("queued", None)


def test_finish_only_for_the_worker_that_claimed(db, connect):
    job_id = enqueue(db, "a", {})
    w = worker_conn(connect)
    claim(w, "w1")
    w.commit()
    assert finish(w, job_id, "w2") is False
    assert finish(w, job_id, "w1") is True
    assert finish(w, job_id, "w1") is False
    w.commit()
    assert status(db, job_id) == ("done", "w1")


def test_values_are_bound_parameters(db, connect):
    job_id = enqueue(db, "a", {"note": "it's"})
    w = worker_conn(connect)
    claim(w, "o'brien")
    w.commit()
    assert status(db, job_id) == ("running", "o'brien")
    assert finish(w, job_id, "o'brien') OR ('1'='1") is False
    w.commit()


def test_concurrent_workers_claim_each_job_once(db, connect):
    import threading

    ids = {enqueue(db, "a", {}) for _ in range(40)}
    claimed, errors = [], []

    def work(name):
        conn = psycopg.connect(dsn(), autocommit=False)
        try:
            conn.execute("SET lock_timeout = '2s'")
            while True:
                job = claim(conn, name)
                conn.commit()
                if job is None:
                    return
                claimed.append(job["id"])
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            conn.close()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    assert sorted(claimed) == sorted(ids)


def test_finish_does_not_commit_for_the_caller(db, connect):
    job_id = enqueue(db, "a", {})
    w = worker_conn(connect)
    claim(w, "w1")
    w.commit()
    assert finish(w, job_id, "w1") is True
    w.rollback()  # the worker's transaction failed after finish: nothing of it stays
    assert status(db, job_id) == ("running", "w1")


def test_a_row_any_other_transaction_locks_is_skipped(db, connect):
    """A row another transaction holds even a share lock on (another worker's FOR SHARE claim)
    is skipped: claim's lock must conflict with every other row lock."""
    first = enqueue(db, "a", {})
    second = enqueue(db, "b", {})
    other = worker_conn(connect)
    other.execute("SELECT id FROM jobs WHERE id = %s FOR SHARE", (first,))
    w = worker_conn(connect)
    assert claim(w, "w1")["id"] == second
    w.commit()
    other.rollback()


def test_a_job_enqueued_in_the_claiming_transaction_is_due(db, connect):
    """now() is the transaction's start: a job enqueued and claimed in one transaction has
    run_at = now(), and it is due."""
    w = worker_conn(connect)
    job_id = enqueue(w, "a", {})
    assert claim(w, "w1")["id"] == job_id
    w.commit()
