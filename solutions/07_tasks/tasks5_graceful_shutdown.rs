// Scenario: every deploy restarts the job workers. The old worker process just exited on
// SIGTERM: jobs that were halfway done (a payout half-written, an email half-sent) were cut off,
// and queued jobs were lost with the process memory. The new pool shuts down gracefully:
//
// 1. `begin_shutdown` flips a flag: `submit` now rejects new jobs, and idle workers wake up.
// 2. A worker that is running a job finishes it (in-flight work is never cut off), then sees
//    the flag and exits instead of taking another job.
// 3. `join` waits for every worker thread and reports which jobs completed and which were still
//    queued (not started), so the caller can put those back into the durable queue.
//
// Done means: the tests below pass, and no test depends on sleeping: workers wait on a
// `Condvar`, and shutdown wakes them with `notify_all`.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

#[derive(Debug, PartialEq)]
pub struct Rejected(pub u32);

#[derive(Debug, Default, PartialEq)]
pub struct ShutdownReport {
    pub completed: Vec<u32>,
    pub not_started: Vec<u32>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<u32>,
    shutting_down: bool,
    completed: Vec<u32>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or shutdown begins.
    wake: Condvar,
}

pub struct WorkerPool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

fn worker_loop(shared: &Shared, handler: &(dyn Fn(u32) + Send + Sync)) {
    loop {
        let job = {
            let state = shared.state.lock().expect("pool lock poisoned");
            let mut state = shared
                .wake
                .wait_while(state, |s| s.queue.is_empty() && !s.shutting_down)
                .expect("pool lock poisoned");
            if state.shutting_down {
                return;
            }
            let Some(job) = state.queue.pop_front() else {
                continue;
            };
            job
        }; // the lock is released here: the job runs without holding it
        handler(job);
        shared
            .state
            .lock()
            .expect("pool lock poisoned")
            .completed
            .push(job);
    }
}

impl WorkerPool {
    pub fn start(workers: usize, handler: impl Fn(u32) + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Shared::default());
        let handler = Arc::new(handler);
        let workers = (0..workers)
            .map(|_| {
                let shared = Arc::clone(&shared);
                let handler = Arc::clone(&handler);
                thread::spawn(move || worker_loop(&shared, &*handler))
            })
            .collect();
        Self { shared, workers }
    }

    pub fn submit(&self, job: u32) -> Result<(), Rejected> {
        let mut state = self.shared.state.lock().expect("pool lock poisoned");
        if state.shutting_down {
            return Err(Rejected(job));
        }
        state.queue.push_back(job);
        self.shared.wake.notify_one();
        Ok(())
    }

    pub fn begin_shutdown(&self) {
        self.shared
            .state
            .lock()
            .expect("pool lock poisoned")
            .shutting_down = true;
        self.shared.wake.notify_all();
    }

    /// Shuts down (if not already begun), waits for every worker, reports.
    pub fn join(self) -> ShutdownReport {
        self.begin_shutdown();
        for worker in self.workers {
            worker.join().expect("a worker panicked");
        }
        let mut state = self.shared.state.lock().expect("pool lock poisoned");
        let mut completed = std::mem::take(&mut state.completed);
        completed.sort_unstable();
        ShutdownReport {
            completed,
            not_started: state.queue.drain(..).collect(),
        }
    }
}

fn main() {
    let pool = WorkerPool::start(2, |job| println!("sending email {job}"));
    for job in 1..=3 {
        pool.submit(job).expect("pool is running");
    }
    println!("{:?}", pool.join());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    /// Joins on another thread so that a pool that never stops fails the test instead of
    /// hanging it.
    fn join_within_5s(pool: WorkerPool) -> ShutdownReport {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(pool.join());
        });
        rx.recv_timeout(Duration::from_secs(5)).expect(
            "join did not return: are idle workers woken up (notify_all) when shutdown begins, \
             and do they check the flag?",
        )
    }

    /// A door that jobs wait at until the test opens it.
    #[derive(Default)]
    struct Gate {
        open: Mutex<bool>,
        opened: Condvar,
    }

    impl Gate {
        fn wait(&self) {
            let open = self.open.lock().unwrap();
            let _open = self.opened.wait_while(open, |open| !*open).unwrap();
        }

        fn open(&self) {
            *self.open.lock().unwrap() = true;
            self.opened.notify_all();
        }
    }

    #[test]
    fn idle_pool_shuts_down_promptly() {
        let pool = WorkerPool::start(4, |_| {});
        let report = join_within_5s(pool);
        assert_eq!(
            report,
            ShutdownReport::default(),
            "no jobs: nothing completed, nothing left"
        );
    }

    #[test]
    fn all_jobs_run_while_the_pool_is_up() {
        let (done_tx, done_rx) = mpsc::channel();
        let pool = WorkerPool::start(3, move |job| done_tx.send(job).unwrap());
        for job in 1..=20 {
            pool.submit(job)
                .expect("the pool accepts jobs until shutdown");
        }
        for _ in 1..=20 {
            done_rx
                .recv_timeout(Duration::from_secs(5))
                .expect("every submitted job should run");
        }
        let report = join_within_5s(pool);
        assert_eq!(report.completed, (1..=20).collect::<Vec<_>>());
        assert!(report.not_started.is_empty());
    }

    #[test]
    fn in_flight_jobs_finish_and_queued_jobs_are_returned() {
        let gate = Arc::new(Gate::default());
        let (started_tx, started_rx) = mpsc::channel();
        let pool = {
            let gate = Arc::clone(&gate);
            WorkerPool::start(2, move |job| {
                started_tx.send(job).unwrap();
                gate.wait();
            })
        };
        pool.submit(1).unwrap();
        pool.submit(2).unwrap();
        for _ in 0..2 {
            started_rx
                .recv_timeout(Duration::from_secs(5))
                .expect("two idle workers should each pick up a job");
        }
        // Both workers are busy: these three wait in the queue.
        for job in 3..=5 {
            pool.submit(job).unwrap();
        }

        pool.begin_shutdown();
        assert_eq!(
            pool.submit(6),
            Err(Rejected(6)),
            "after shutdown begins, new jobs are rejected so the caller can requeue them"
        );
        gate.open();

        let report = join_within_5s(pool);
        assert_eq!(
            report.completed,
            vec![1, 2],
            "jobs 1 and 2 were running when shutdown began: they must be allowed to finish"
        );
        assert_eq!(
            report.not_started,
            vec![3, 4, 5],
            "queued jobs are not started after the shutdown signal; they are handed back in \
             order"
        );
        assert!(
            started_rx.try_recv().is_err(),
            "no worker may start a job after the shutdown signal"
        );
    }
}
