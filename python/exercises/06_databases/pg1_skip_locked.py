"""A job queue in PostgreSQL: workers claim jobs with `SELECT ... FOR UPDATE SKIP LOCKED`.

Many workers poll one `jobs` table. A worker must claim a job that no other worker is claiming,
without waiting behind them and without two of them getting the same job. In one transaction:

    SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now()
    ORDER BY run_at, id LIMIT 1
    FOR UPDATE SKIP LOCKED

locks the first row nobody else has locked, skipping (not waiting for) the ones being claimed
(https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE); then an UPDATE
of that row marks it `running` for this worker. Without `FOR UPDATE` two workers read the same
row; with `FOR UPDATE` alone the second waits for the first; `NOWAIT` makes it fail instead.
`LIMIT 1` goes with it: without it every matching row is locked.

The claim happens in the *caller's* transaction (these functions never commit): if the worker
crashes before committing, the transaction is rolled back and the job is `queued` again, with
nothing else to clean up. Every value is a bound parameter (`%s`), never part of the SQL text.
"""

import json

import psycopg

SCHEMA = """
CREATE TABLE jobs (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done')),
    run_at timestamptz NOT NULL DEFAULT now(),
    locked_by text,
    attempts integer NOT NULL DEFAULT 0
)
"""


def create_schema(conn: psycopg.Connection) -> None:
    conn.execute(SCHEMA)


def enqueue(conn: psycopg.Connection, kind: str, payload: dict, delay_s: float = 0) -> int:
    row = conn.execute(
        "INSERT INTO jobs (kind, payload, run_at) "
        "VALUES (%s, %s::jsonb, now() + make_interval(secs => %s)) RETURNING id",
        (kind, json.dumps(payload), delay_s),
    ).fetchone()
    assert row is not None
    return row[0]


def claim(conn: psycopg.Connection, worker: str) -> dict | None:
    """Claims the job due first (oldest `run_at`, then lowest id) that no other transaction is
    claiming, in the caller's transaction; None when there is none.

    TODO: this SELECT reads a row that another worker may be claiming right now (both get it),
    ignores `run_at` and orders by id only. Lock the row you pick, skip the ones others hold,
    lock one row only.
    """
    row = conn.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY id").fetchone()
    if row is None:
        return None
    claimed = conn.execute(
        "UPDATE jobs SET status = 'running', locked_by = %s, attempts = attempts + 1 "
        "WHERE id = %s RETURNING id, kind, payload, attempts",
        (worker, row[0]),
    ).fetchone()
    assert claimed is not None
    return {"id": claimed[0], "kind": claimed[1], "payload": claimed[2], "attempts": claimed[3]}


def finish(conn: psycopg.Connection, job_id: int, worker: str) -> bool:
    """Marks a running job done, only for the worker that claimed it."""
    # TODO: only a running job, only its own worker's.
    cur = conn.execute("UPDATE jobs SET status = 'done' WHERE id = %s", (job_id,))
    return cur.rowcount == 1
