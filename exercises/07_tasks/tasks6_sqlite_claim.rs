// Scenario: the job queue is a table in the application database. Several worker processes
// poll it. The first version claimed a job in two steps:
//
//     SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1;   -- worker A and B: 7
//     UPDATE jobs SET status = 'running', worker = ? WHERE id = 7;       -- both run job 7
//
// Between the SELECT and the UPDATE another worker can pick the same row, and customers got
// two invoices. The claim must be atomic: find and mark the job in ONE statement (SQLite runs
// every statement in a transaction and allows one writer at a time), and return the claimed row
// with `RETURNING` (SQLite 3.35+). A `BEGIN IMMEDIATE` transaction around the two statements
// would also work: it takes the write lock before the SELECT.
//
// Done means: `claim_next` marks the oldest queued job as running for this worker and returns
// it (or None when nothing is queued); with several workers on separate connections, no job is
// claimed twice and every job is claimed once; `complete` only lets the worker that holds a job
// mark it done.
//
// The tests make the race happen every time instead of now and then: another worker holds the
// write lock and claims a job exactly while your connection waits for that lock (they install
// a busy handler on your connection, so leave the busy settings of `connect` alone).

use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::time::Duration;

pub fn create_schema(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS jobs (
             id      INTEGER PRIMARY KEY,
             payload TEXT NOT NULL,
             status  TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'done')),
             worker  TEXT
         );",
    )
}

/// A worker's own connection to a database file. Writers take turns; instead of failing at
/// once with SQLITE_BUSY, a connection waits up to 5 s for the lock. WAL mode lets readers
/// run while a writer commits, the usual setting for a database shared by several processes.
pub fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

pub fn enqueue(conn: &Connection, payload: &str) -> rusqlite::Result<i64> {
    conn.execute("INSERT INTO jobs (payload) VALUES (?1)", params![payload])?;
    Ok(conn.last_insert_rowid())
}

#[derive(Debug, PartialEq)]
pub struct ClaimedJob {
    pub id: i64,
    pub payload: String,
}

/// Atomically claims the oldest queued job for `worker`.
pub fn claim_next(conn: &Connection, worker: &str) -> rusqlite::Result<Option<ClaimedJob>> {
    // TODO: one UPDATE statement that marks the oldest queued job as running for `worker` and
    // returns its id and payload (RETURNING). No queued job means no row: turn that into None.
    todo!("claim a job for {worker} on {conn:?}")
}

/// Marks a job done. Only the worker holding the job (status 'running') may do that.
pub fn complete(conn: &Connection, id: i64, worker: &str) -> rusqlite::Result<bool> {
    // TODO: mark the job done only if it is running and held by `worker`; report whether a
    // row changed.
    todo!("complete job {id} for {worker} on {conn:?}")
}

fn main() -> rusqlite::Result<()> {
    let conn = Connection::open_in_memory()?;
    create_schema(&conn)?;
    enqueue(&conn, "send invoice 1001")?;
    let job = claim_next(&conn, "worker-a")?;
    println!("claimed {job:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::HashSet;
    use std::path::PathBuf;
    use std::sync::Barrier;
    use std::thread;

    fn memory_queue(payloads: &[&str]) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        create_schema(&conn).unwrap();
        for payload in payloads {
            enqueue(&conn, payload).unwrap();
        }
        conn
    }

    fn status_and_worker(conn: &Connection, id: i64) -> (String, Option<String>) {
        conn.query_row(
            "SELECT status, worker FROM jobs WHERE id = ?1",
            params![id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap()
    }

    /// A scratch directory under the system temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir =
                std::env::temp_dir().join(format!("backendlings-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn claims_the_oldest_queued_job() {
        let conn = memory_queue(&["first", "second"]);
        let job = claim_next(&conn, "w1").unwrap();
        assert_eq!(
            job,
            Some(ClaimedJob {
                id: 1,
                payload: "first".to_string()
            }),
            "the oldest queued job (lowest id) is claimed first"
        );
        assert_eq!(
            status_and_worker(&conn, 1),
            ("running".to_string(), Some("w1".to_string())),
            "the claimed row is marked running and records its worker"
        );
        assert_eq!(
            claim_next(&conn, "w2").unwrap().map(|job| job.id),
            Some(2),
            "a running job is not claimable again: the next claim gets job 2"
        );
    }

    #[test]
    fn empty_queue_gives_none() {
        let conn = memory_queue(&["only"]);
        assert!(claim_next(&conn, "w1").unwrap().is_some());
        assert_eq!(
            claim_next(&conn, "w1").unwrap(),
            None,
            "nothing queued: None, not an error (QueryReturnedNoRows -> `optional()`)"
        );
    }

    #[test]
    fn the_oldest_job_whatever_order_sqlite_scans_in() {
        let conn = memory_queue(&["first", "second", "third"]);
        // SQLite may return rows in any order unless the query asks for one; this setting
        // makes it scan in reverse wherever no ORDER BY says otherwise.
        conn.pragma_update(None, "reverse_unordered_selects", true)
            .unwrap();
        assert_eq!(
            claim_next(&conn, "w1").unwrap().map(|job| job.id),
            Some(1),
            "\"the oldest queued job\" is an order: without ORDER BY id, SQLite returns \
             whichever row it meets first"
        );
    }

    #[test]
    fn sql_errors_are_errors_not_an_empty_queue() {
        let conn = Connection::open_in_memory().unwrap(); // no jobs table
        assert!(
            claim_next(&conn, "w1").is_err(),
            "the statement failed (no such table): report the error; only \
             QueryReturnedNoRows means \"nothing queued\" (`optional()`, not `ok()`)"
        );
    }

    #[test]
    fn connect_sets_the_documented_pragmas() {
        let dir = TempDir::new("tasks6-pragmas");
        let conn = connect(&dir.0.join("queue.db")).unwrap();
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("PRAGMA {name}"), [], |row| {
                row.get::<_, rusqlite::types::Value>(0)
            })
            .map(|value| format!("{value:?}"))
            .unwrap()
        };
        assert_eq!(
            pragma("busy_timeout"),
            "Integer(5000)",
            "connect waits up to 5 s for the write lock: the concurrent tests rely on it"
        );
        assert_eq!(pragma("journal_mode"), "Text(\"wal\")");
        assert_eq!(pragma("synchronous"), "Integer(1)", "NORMAL is 1");
    }

    #[test]
    fn only_the_owner_completes_a_job() {
        let conn = memory_queue(&["job"]);
        let job = claim_next(&conn, "w1").unwrap().unwrap();
        assert!(
            !complete(&conn, job.id, "w2").unwrap(),
            "w2 does not hold this job and must not complete it"
        );
        assert!(complete(&conn, job.id, "w1").unwrap(), "the owner can");
        assert_eq!(status_and_worker(&conn, job.id).0, "done");
        assert!(
            !complete(&conn, job.id, "w1").unwrap(),
            "a job that is already done cannot be completed again"
        );
    }

    thread_local! {
        /// The other worker's connection, inside a `BEGIN IMMEDIATE` transaction (it holds the
        /// write lock) until the busy handler below lets it claim a job and commit.
        static RIVAL: RefCell<Option<Connection>> = const { RefCell::new(None) };
        /// The id of the job the rival claimed, once it has.
        static RIVAL_CLAIM: Cell<Option<i64>> = const { Cell::new(None) };
    }

    /// Busy handler of the learner's connection: SQLite calls it when that connection wants the
    /// write lock the rival holds. The first call lets the rival claim the oldest queued job and
    /// commit, then asks SQLite to try again; so the rival's claim lands exactly between
    /// anything the learner's connection read before and the write it is waiting to make.
    fn rival_claims_then_retry(_attempt: i32) -> bool {
        let Some(rival) = RIVAL.with(|slot| slot.borrow_mut().take()) else {
            return false; // the rival is done: nobody else holds the lock
        };
        let id: i64 = rival
            .query_row(
                "UPDATE jobs SET status = 'running', worker = 'rival'
                 WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1)
                 RETURNING id",
                [],
                |row| row.get(0),
            )
            .expect("the rival's claim");
        rival.execute_batch("COMMIT").expect("the rival's commit");
        RIVAL_CLAIM.with(|claim| claim.set(Some(id)));
        true
    }

    #[test]
    fn a_claim_made_while_you_wait_for_the_lock_is_not_taken_again() {
        let dir = TempDir::new("tasks6-rival");
        let path = dir.0.join("queue.db");
        let setup = connect(&path).unwrap();
        create_schema(&setup).unwrap();
        for n in 1..=3 {
            enqueue(&setup, &format!("job {n}")).unwrap();
        }
        let mine = connect(&path).unwrap();
        mine.busy_handler(Some(rival_claims_then_retry)).unwrap();
        let rival = connect(&path).unwrap();
        rival.execute_batch("BEGIN IMMEDIATE").unwrap();
        RIVAL.with(|slot| *slot.borrow_mut() = Some(rival));

        // The rival holds the write lock; your claim has to wait for it, and while it waits
        // the rival claims job 1. No threads, no timing: the same interleaving every run.
        let job = claim_next(&mine, "me").expect(
            "claim_next failed while another worker held the write lock (SQLITE_BUSY?): \
             a read that is later upgraded to a write cannot wait for the lock",
        );
        assert_eq!(
            RIVAL_CLAIM.with(Cell::get),
            Some(1),
            "claim_next never waited for the write lock that another worker held"
        );
        assert_eq!(
            job.map(|job| job.id),
            Some(2),
            "another worker claimed job 1 between your read and your write: your claim must \
             get job 2, not job 1 a second time (find and mark the job in one statement)"
        );
        assert_eq!(
            status_and_worker(&setup, 1).1.as_deref(),
            Some("rival"),
            "job 1 belongs to the worker that claimed it first; your claim overwrote it"
        );
    }

    #[test]
    fn concurrent_workers_never_share_a_job() {
        let dir = TempDir::new("tasks6-claim");
        let path = dir.0.join("queue.db");
        let setup = connect(&path).unwrap();
        create_schema(&setup).unwrap();
        for n in 0..40 {
            enqueue(&setup, &format!("job {n}")).unwrap();
        }

        // 4 workers claim in lock-step rounds, so their claims really overlap. 12 rounds of 4
        // claims are more than enough for 40 jobs.
        let start_round = Barrier::new(4);
        let claims: Vec<(String, Vec<i64>, Vec<String>)> = thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|w| {
                    let (path, start_round) = (&path, &start_round);
                    scope.spawn(move || {
                        let worker = format!("w{w}");
                        let conn = connect(path).unwrap();
                        let mut errors = Vec::new();
                        let mut ids = Vec::new();
                        for _ in 0..12 {
                            start_round.wait();
                            // No unwrap here: a worker that panicked would leave the others
                            // waiting at the barrier forever.
                            match claim_next(&conn, &worker) {
                                Ok(Some(job)) => ids.push(job.id),
                                Ok(None) => {}
                                Err(err) => errors.push(err.to_string()),
                            }
                        }
                        (worker, ids, errors)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });

        let mut seen = HashSet::new();
        for (worker, ids, errors) in &claims {
            assert!(
                errors.is_empty(),
                "claim_next failed for {worker} while other workers claimed: {errors:?}"
            );
            for id in ids {
                assert!(
                    seen.insert(*id),
                    "job {id} was claimed twice (again by {worker}): the claim is not atomic"
                );
                assert_eq!(
                    status_and_worker(&setup, *id).1.as_deref(),
                    Some(worker.as_str()),
                    "the row must name the worker that claimed it"
                );
            }
        }
        assert_eq!(seen.len(), 40, "every one of the 40 jobs is claimed once");
    }

    #[test]
    fn done_jobs_are_never_claimed_again() {
        let conn = memory_queue(&["one", "two"]);
        let first = claim_next(&conn, "w1").unwrap().unwrap();
        assert!(complete(&conn, first.id, "w1").unwrap());
        let second = claim_next(&conn, "w1").unwrap().unwrap();
        assert_eq!(second.id, 2, "job 1 is done: the next claim is job 2");
        assert!(complete(&conn, second.id, "w1").unwrap());
        assert_eq!(
            claim_next(&conn, "w2").unwrap(),
            None,
            "every job is done: nothing is claimable (claim status = 'queued', not \
             \"anything but running\")"
        );
        assert_eq!(
            status_and_worker(&conn, 1),
            ("done".to_string(), Some("w1".to_string()))
        );
    }

    #[test]
    fn the_worker_is_compared_exactly() {
        // The worker name is data, compared with `=`: LIKE ignores ASCII case and treats `%`
        // and `_` as wildcards, so "%" would complete anybody's job.
        for other in [
            "%", "worker%", "WORKER-A", "Worker-A", "worker_a", "worker-_", "_orker-a",
        ] {
            let conn = memory_queue(&["job"]);
            let job = claim_next(&conn, "worker-a").unwrap().unwrap();
            assert!(
                !complete(&conn, job.id, other).unwrap(),
                "{other:?} is not \"worker-a\": it must not complete its job"
            );
            assert_eq!(status_and_worker(&conn, job.id).0, "running", "{other:?}");
            assert!(
                complete(&conn, job.id, "worker-a").unwrap(),
                "the owner can"
            );
        }
    }
}
