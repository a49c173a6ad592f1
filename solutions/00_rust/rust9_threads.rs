// Rust for Python developers 9: threads, `move` closures, `Arc<Mutex<T>>`, channels and `Drop`.
// The Rust Book, chapter 16 (https://doc.rust-lang.org/book/ch16-00-concurrency.html) and
// chapter 15.3 (`Drop`: https://doc.rust-lang.org/book/ch15-03-drop.html).
//
// Scenario: uploaded images are resized by a small pool of worker threads, and the `/metrics`
// endpoint shows how many jobs are in progress right now. A job that panics (a corrupt image)
// must not leave the gauge counting it forever.
//
// The Python you know:
//
//     with ThreadPoolExecutor(max_workers=3) as pool:
//         results = sorted(zip(jobs, pool.map(work, jobs)))
//
//     lock = threading.Lock()
//     with lock:                      # held until the end of the block
//         job = queue.pop()
//
//     in_flight += 1
//     try: resize(job)
//     finally: in_flight -= 1         # or a context manager's __exit__
//
// The Rust way:
//   - `thread::spawn(move || { ... })` starts a thread; `move` gives the closure ownership of
//     what it uses, because the thread may outlive the function that started it. `join()` waits.
//   - Threads share data through `Arc<T>` (a reference-counted pointer: `Arc::clone(&a)` is one
//     more owner) and change it through `Mutex<T>`: `m.lock().unwrap()` returns a guard that
//     unlocks when it is dropped, at the end of its scope or of its statement:
//         let job = queue.lock().unwrap().pop();   // locked for this line only
//     A guard kept in a `let` stays locked until the end of the block: every other thread waits.
//   - `mpsc::channel()` is a `queue.Queue`: any number of `Sender`s (`tx.clone()`), one
//     `Receiver`. `rx.iter()` yields messages until every Sender is gone: drop yours, or it
//     waits forever.
//   - `impl Drop for T` runs when a value of T goes away: at the end of its scope, on `drop(x)`,
//     and while a panic unwinds. It is `finally` that you cannot forget to write.
//
// Done means: `run_pool` and the `InFlight` guard follow their comments.

use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;

/// Runs `work` on every job, on `workers` threads started for this call (never on the caller's
/// thread), each taking the next job as soon as it is free, so the jobs run side by side. Every
/// job runs exactly once. Returns `(job, result)` pairs sorted by job. `workers` is at least 1.
/// A job that panics makes `run_pool` panic too, once the workers are done (as `pool.map`
/// re-raises a job's exception): `join()` says whether a thread panicked.
/// The bounds on `F` say what threads need of `work`: it can be called many times (`Fn`), moved
/// to another thread (`Send`) and used by several at once (`Sync`), and it owns what it uses
/// (`'static`: no borrow that could end while a thread still runs). The Rust Book ch. 16.4.
pub fn run_pool<F>(jobs: Vec<u32>, workers: usize, work: F) -> Vec<(u32, u64)>
where
    F: Fn(u32) -> u64 + Send + Sync + 'static,
{
    let queue = Arc::new(Mutex::new(jobs));
    let work = Arc::new(work);
    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::new();
    for _ in 0..workers {
        let queue = Arc::clone(&queue);
        let work = Arc::clone(&work);
        let tx = tx.clone();
        handles.push(thread::spawn(move || {
            loop {
                let job = queue.lock().unwrap_or_else(PoisonError::into_inner).pop();
                let Some(job) = job else { break };
                if tx.send((job, work(job))).is_err() {
                    break;
                }
            }
        }));
    }
    drop(tx);
    let mut results: Vec<(u32, u64)> = rx.iter().collect();
    for handle in handles {
        handle.join().expect("a worker panicked");
    }
    results.sort_unstable();
    results
}

/// Counts one job in progress on `gauge` for as long as it lives: `enter` adds one, and dropping
/// the guard (however the job ends: done, `return`, `?` or a panic) takes it away again.
pub struct InFlight {
    gauge: Arc<Mutex<usize>>,
}

impl InFlight {
    pub fn enter(gauge: &Arc<Mutex<usize>>) -> InFlight {
        *gauge.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        InFlight {
            gauge: Arc::clone(gauge),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        *self.gauge.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
    }
}

fn main() {
    let gauge = Arc::new(Mutex::new(0));
    let metrics = Arc::clone(&gauge);
    let results = run_pool((1..=6).collect(), 3, move |n| {
        let _busy = InFlight::enter(&metrics);
        u64::from(n) * 100
    });
    println!("{results:?}, in flight now: {}", gauge.lock().unwrap());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// How long a test waits for something that should happen at once, before it fails.
    const PATIENCE: Duration = Duration::from_secs(5);

    #[test]
    fn every_job_once_results_sorted() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let jobs: Vec<u32> = (1..=40).rev().collect();
        let results = run_pool(jobs, 3, move |n| {
            counter.fetch_add(1, Ordering::SeqCst);
            u64::from(n) * u64::from(n)
        });
        let expected: Vec<(u32, u64)> = (1..=40).map(|n| (n, u64::from(n * n))).collect();
        assert_eq!(results, expected, "every job's result, sorted by job");
        assert_eq!(
            calls.load(Ordering::SeqCst),
            40,
            "each job runs exactly once"
        );
    }

    #[test]
    fn no_jobs_no_results() {
        assert_eq!(run_pool(Vec::new(), 4, |n| u64::from(n)), Vec::new());
        assert_eq!(run_pool(vec![7], 1, |n| u64::from(n) + 1), [(7, 8)]);
    }

    #[test]
    fn at_most_workers_threads_and_never_the_callers() {
        let seen = Arc::new(Mutex::new(HashSet::new()));
        let record = Arc::clone(&seen);
        let results = run_pool((0..30).collect(), 2, move |n| {
            record.lock().unwrap().insert(thread::current().id());
            u64::from(n)
        });
        assert_eq!(results.len(), 30);
        let seen = seen.lock().unwrap();
        assert!(
            !seen.contains(&thread::current().id()),
            "jobs run on the pool's threads, not on the caller's"
        );
        assert!(
            (1..=2).contains(&seen.len()),
            "2 workers means at most 2 threads, not one per job: {} threads ran jobs",
            seen.len()
        );
    }

    #[test]
    fn jobs_run_side_by_side() {
        // Each job says it started, then waits for a go. With 3 workers, 3 jobs start before
        // any of them finishes; a pool that works one job at a time never gets there.
        let (started_tx, started_rx) = mpsc::channel::<u32>();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = Arc::new(Mutex::new(go_rx));
        let pool = thread::spawn(move || {
            run_pool(vec![1, 2, 3], 3, move |n| {
                started_tx.send(n).unwrap();
                let go = go_rx.lock().unwrap().recv_timeout(PATIENCE);
                u64::from(go.is_ok())
            })
        });
        let mut started = Vec::new();
        for _ in 0..3 {
            match started_rx.recv_timeout(PATIENCE) {
                Ok(n) => started.push(n),
                Err(_) => break,
            }
        }
        for _ in 0..3 {
            go_tx.send(()).unwrap();
        }
        let results = pool.join().expect("the pool finishes");
        started.sort_unstable();
        assert_eq!(
            started,
            [1, 2, 3],
            "3 workers run 3 jobs at the same time (is a lock held while a job runs?)"
        );
        assert_eq!(results, [(1, 1), (2, 1), (3, 1)]);
    }

    #[test]
    fn a_slow_job_does_not_hold_up_the_others() {
        // The first job to start waits for a go; meanwhile the other worker takes every other
        // job, one after the other. (Jobs split up front, a share per worker, would leave the
        // slow job's share waiting behind it.)
        let (done_tx, done_rx) = mpsc::channel::<u32>();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = Mutex::new(go_rx);
        let slow = Mutex::new(None);
        let pool = thread::spawn(move || {
            run_pool((1..=6).collect(), 2, move |n| {
                let first = *slow.lock().unwrap().get_or_insert(n) == n;
                if first {
                    let _ = go_rx.lock().unwrap().recv_timeout(PATIENCE);
                } else {
                    done_tx.send(n).unwrap();
                }
                u64::from(n)
            })
        });
        let mut others = Vec::new();
        while others.len() < 5 {
            match done_rx.recv_timeout(PATIENCE) {
                Ok(n) => others.push(n),
                Err(_) => break,
            }
        }
        go_tx.send(()).unwrap();
        let results = pool.join().expect("the pool finishes");
        assert_eq!(
            others.len(),
            5,
            "while one job is slow, the other worker runs all 5 others: a free worker takes the \
             next job"
        );
        assert_eq!(results.len(), 6);
    }

    #[test]
    fn never_more_jobs_at_once_than_workers() {
        // 2 workers, 4 jobs that each wait for a go: 2 start, and no third one can start until
        // a go arrives. A pool with a thread per job starts a third one at once: the test waits
        // a fifth of a second for it (a correct pool always passes; the wait is all it costs).
        let (started_tx, started_rx) = mpsc::channel::<u32>();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let go_rx = Arc::new(Mutex::new(go_rx));
        let pool = thread::spawn(move || {
            run_pool(vec![1, 2, 3, 4], 2, move |n| {
                started_tx.send(n).unwrap();
                let go = go_rx.lock().unwrap().recv_timeout(PATIENCE);
                u64::from(go.is_ok())
            })
        });
        let first_two = [
            started_rx.recv_timeout(PATIENCE),
            started_rx.recv_timeout(PATIENCE),
        ];
        let third_early = started_rx.recv_timeout(Duration::from_millis(200));
        for _ in 0..4 {
            go_tx.send(()).unwrap();
        }
        let results = pool.join().expect("the pool finishes");
        assert!(
            first_two.iter().all(Result::is_ok),
            "2 workers start 2 jobs at once"
        );
        assert_eq!(
            third_early.ok(),
            None,
            "2 workers never run a third job while two are still running"
        );
        assert_eq!(results, [(1, 1), (2, 1), (3, 1), (4, 1)]);
    }

    #[test]
    fn a_panicking_job_is_not_swallowed() {
        let outcome = std::panic::catch_unwind(|| {
            run_pool(vec![1, 2, 3], 2, |n| {
                if n == 2 {
                    panic!("job 2 fails (a panic the test expects)");
                }
                u64::from(n)
            })
        });
        assert!(
            outcome.is_err(),
            "a job's panic reaches the caller (like an exception from `pool.map`), instead of a \
             result list with a job silently missing: {outcome:?}"
        );
    }

    #[test]
    fn the_gauge_counts_live_guards() {
        let gauge = Arc::new(Mutex::new(0));
        let first = InFlight::enter(&gauge);
        let second = InFlight::enter(&gauge);
        assert_eq!(*gauge.lock().unwrap(), 2);
        drop(first);
        assert_eq!(*gauge.lock().unwrap(), 1, "dropping a guard takes one away");
        {
            let _third = InFlight::enter(&gauge);
            assert_eq!(*gauge.lock().unwrap(), 2);
        }
        assert_eq!(*gauge.lock().unwrap(), 1, "the end of a scope drops it too");
        drop(second);
        assert_eq!(*gauge.lock().unwrap(), 0);
    }

    #[test]
    fn a_panicking_job_gives_its_count_back() {
        let gauge = Arc::new(Mutex::new(0));
        let shared = Arc::clone(&gauge);
        let crashed = thread::spawn(move || {
            let _busy = InFlight::enter(&shared);
            if *shared.lock().unwrap() == 1 {
                panic!("corrupt image (a panic the test expects)");
            }
        })
        .join();
        assert!(crashed.is_err(), "the job panicked");
        assert_eq!(
            *gauge.lock().unwrap(),
            0,
            "the guard is dropped while the panic unwinds"
        );
    }

    #[test]
    fn one_worker_is_still_a_worker_thread_not_the_caller() {
        let caller = thread::current().id();
        let ids = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&ids);
        run_pool(vec![1, 2, 3], 1, move |n| {
            seen.lock().unwrap().push(thread::current().id());
            u64::from(n)
        });
        let ids = ids.lock().unwrap();
        assert_eq!(ids.len(), 3);
        assert!(
            ids.iter().all(|id| *id != caller),
            "a pool of one still runs its jobs on its worker, never on the caller's thread"
        );
    }

    #[test]
    fn a_blocked_job_never_holds_up_a_job_queued_behind_it() {
        use std::sync::Condvar;
        // Job `blocked` waits until the three others are done: a free worker must take them.
        // A pool that splits the jobs between workers up front queues one of them behind it.
        for blocked in 1..=4u32 {
            let state = Arc::new((Mutex::new(0usize), Condvar::new()));
            let shared = Arc::clone(&state);
            let results = run_pool((1..=4).collect(), 2, move |n| {
                let (done, changed) = &*shared;
                if n == blocked {
                    let guard = done.lock().unwrap();
                    let (guard, _) = changed
                        .wait_timeout_while(guard, PATIENCE, |d| *d < 3)
                        .unwrap();
                    u64::from(*guard == 3)
                } else {
                    *done.lock().unwrap() += 1;
                    changed.notify_all();
                    1
                }
            });
            assert!(
                results.iter().all(|&(_, ok)| ok == 1),
                "job {blocked} waited for a job queued behind it: {results:?}"
            );
        }
    }

    #[test]
    fn a_poisoned_gauge_still_counts_down() {
        let gauge = Arc::new(Mutex::new(0usize));
        let guard = InFlight::enter(&gauge);
        let shared = Arc::clone(&gauge);
        let _ = thread::spawn(move || {
            let _held = shared.lock().unwrap();
            panic!("a metrics reader crashed while holding the gauge");
        })
        .join();
        drop(guard);
        assert_eq!(
            *gauge.lock().unwrap_or_else(PoisonError::into_inner),
            0,
            "a request that ends is counted out even after another thread poisoned the gauge"
        );
    }
}
