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
// Done means: the tests below pass, and no test depends on sleeping: idle workers wait on the
// condition variable (and go back to sleep after a wake-up that brought no job), and shutdown
// wakes them with `notify_all`. `submit` checks the flag and queues the job under one lock, and
// a job is completed once its handler has returned, not when a worker takes it.
//
// The lock and the condition variable are given as one value: `Monitor<State>` (module
// `monitor` below, which you must not edit) is a `Mutex<State>` and a `Condvar`, with the same
// methods: `lock`, `wait`, `wait_while`, `notify_one`, `notify_all`. The tests read how the
// workers use it, and they pause a worker right after it releases the lock to submit a job or
// begin the shutdown exactly then, or hold the thread that called `notify_all` until the
// workers it woke have looked at the state: a wake-up lost in such a gap is lost every run, not
// once in a thousand.

use monitor::Monitor;
use std::collections::VecDeque;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

/// A `Mutex` and a `Condvar` in one value. LOCKED: the grader restores this module as the
/// course ships it. In test builds it records how threads use it (module `probe`).
pub mod monitor {
    use std::ops::{Deref, DerefMut};
    use std::sync::{Condvar, Mutex, MutexGuard};

    pub struct Monitor<T> {
        mutex: Mutex<T>,
        condvar: Condvar,
        #[cfg(test)]
        pub probe: probe::Probe,
    }

    /// The lock, held: like a `MutexGuard`, it gives access to the value and releases the lock
    /// when dropped.
    pub struct Guard<'a, T> {
        held: Option<MutexGuard<'a, T>>,
        #[cfg(test)]
        probe: &'a probe::Probe,
    }

    impl<T: Default> Default for Monitor<T> {
        fn default() -> Self {
            Self::new(T::default())
        }
    }

    impl<T> Monitor<T> {
        pub fn new(value: T) -> Self {
            Self {
                mutex: Mutex::new(value),
                condvar: Condvar::new(),
                #[cfg(test)]
                probe: probe::Probe::new(),
            }
        }

        /// Takes the lock (`Mutex::lock`); a poisoned lock panics.
        pub fn lock(&self) -> Guard<'_, T> {
            #[cfg(test)]
            self.probe.lock_called();
            let held = self.mutex.lock().expect("pool lock poisoned");
            #[cfg(test)]
            self.probe.acquired();
            Guard {
                held: Some(held),
                #[cfg(test)]
                probe: &self.probe,
            }
        }

        /// Releases the lock and sleeps until notified (or woken spuriously), then takes the
        /// lock again (`Condvar::wait`).
        pub fn wait<'a>(&self, mut guard: Guard<'a, T>) -> Guard<'a, T> {
            let held = guard.held.take().expect("a guard holds the lock");
            #[cfg(test)]
            self.probe.wait_begins();
            let held = self.condvar.wait(held).expect("pool lock poisoned");
            #[cfg(test)]
            self.probe.wait_ends();
            guard.held = Some(held);
            guard
        }

        /// Sleeps while `condition` holds, checking it under the lock before every sleep and
        /// after every wake-up (`Condvar::wait_while`).
        pub fn wait_while<'a>(
            &self,
            mut guard: Guard<'a, T>,
            mut condition: impl FnMut(&mut T) -> bool,
        ) -> Guard<'a, T> {
            #[cfg(test)]
            self.probe.wait_called();
            while condition(&mut *guard) {
                guard = self.wait(guard);
            }
            guard
        }

        /// Wakes one sleeping thread, if any (`Condvar::notify_one`).
        pub fn notify_one(&self) {
            self.condvar.notify_one();
            #[cfg(test)]
            self.probe.notified();
        }

        /// Wakes every sleeping thread (`Condvar::notify_all`).
        pub fn notify_all(&self) {
            self.condvar.notify_all();
            #[cfg(test)]
            self.probe.notified();
            #[cfg(test)]
            self.probe.notified_all();
        }
    }

    impl<T> Deref for Guard<'_, T> {
        type Target = T;

        fn deref(&self) -> &T {
            self.held.as_ref().expect("a guard holds the lock")
        }
    }

    impl<T> DerefMut for Guard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.held.as_mut().expect("a guard holds the lock")
        }
    }

    #[cfg(test)]
    impl<T> Drop for Guard<'_, T> {
        fn drop(&mut self) {
            if self.held.take().is_some() {
                // The lock is free now.
                self.probe.released();
            }
        }
    }

    /// What the tests see of a monitor.
    #[cfg(test)]
    pub mod probe {
        use std::cell::Cell;
        use std::collections::{HashMap, HashSet};
        use std::sync::{Condvar, Mutex, MutexGuard};
        use std::thread::{self, ThreadId};
        use std::time::Duration;

        #[derive(Debug, Default)]
        pub struct Seen {
            /// The threads that called `wait` or `wait_while`.
            pub waiters: HashSet<ThreadId>,
            /// How many threads sleep in `wait` now.
            pub sleeping: usize,
            /// How many times a thread woke up in `wait` so far.
            pub wakeups: usize,
            /// How many times `notify_one` or `notify_all` was called so far.
            pub notifications: usize,
            /// How many times each thread called `lock`.
            locks: HashMap<ThreadId, usize>,
            /// The thread that holds the lock, if any.
            holder: Option<ThreadId>,
            /// Whether `notify_all` waits for the threads it woke (`pause_after_notify_all`).
            hold_notifier: bool,
            pause: Pause,
        }

        #[derive(Debug, Default, PartialEq)]
        enum Pause {
            #[default]
            Off,
            /// The first thread other than this one to release the lock will pause.
            Armed(ThreadId),
            Paused,
        }

        pub struct Probe {
            seen: Mutex<Seen>,
            changed: Condvar,
        }

        thread_local! {
            static ARMED: Cell<bool> = const { Cell::new(false) };
        }

        /// The next monitor made on this thread pauses the first other thread that releases its
        /// lock (by dropping the guard, not in `wait`) until `resume`.
        pub fn pause_first_release() {
            ARMED.with(|armed| armed.set(true));
        }

        impl Probe {
            pub(super) fn new() -> Self {
                let pause = if ARMED.with(|armed| armed.replace(false)) {
                    Pause::Armed(thread::current().id())
                } else {
                    Pause::Off
                };
                Self {
                    seen: Mutex::new(Seen {
                        pause,
                        ..Seen::default()
                    }),
                    changed: Condvar::new(),
                }
            }

            fn seen(&self) -> MutexGuard<'_, Seen> {
                self.seen
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
            }

            fn update(&self, change: impl FnOnce(&mut Seen)) {
                change(&mut self.seen());
                self.changed.notify_all();
            }

            pub(super) fn wait_called(&self) {
                self.update(|seen| {
                    seen.waiters.insert(thread::current().id());
                });
            }

            pub(super) fn wait_begins(&self) {
                self.update(|seen| {
                    seen.waiters.insert(thread::current().id());
                    seen.sleeping += 1;
                    seen.holder = None;
                });
            }

            pub(super) fn wait_ends(&self) {
                self.update(|seen| {
                    seen.sleeping -= 1;
                    seen.wakeups += 1;
                    seen.holder = Some(thread::current().id());
                });
            }

            pub(super) fn acquired(&self) {
                self.update(|seen| seen.holder = Some(thread::current().id()));
            }

            /// After `pause_after_notify_all`, a thread that called `notify_all` without holding
            /// the lock waits (at most 5 s) until every thread that slept has woken up: each of
            /// them has then looked at the state, under the lock, before this thread goes on.
            pub(super) fn notified_all(&self) {
                let me = thread::current().id();
                let seen = self.seen();
                if !seen.hold_notifier || seen.holder == Some(me) {
                    return;
                }
                let woken = seen.wakeups + seen.sleeping;
                let _woken = self
                    .changed
                    .wait_timeout_while(seen, Duration::from_secs(5), |seen| seen.wakeups < woken)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }

            pub(super) fn notified(&self) {
                self.update(|seen| seen.notifications += 1);
            }

            pub(super) fn lock_called(&self) {
                *self.seen().locks.entry(thread::current().id()).or_default() += 1;
            }

            pub(super) fn released(&self) {
                let me = thread::current().id();
                let mut seen = self.seen();
                seen.holder = None;
                if matches!(seen.pause, Pause::Armed(by) if by != me) {
                    seen.pause = Pause::Paused;
                    self.changed.notify_all();
                    let _resumed = self
                        .changed
                        .wait_while(seen, |seen| seen.pause == Pause::Paused)
                        .unwrap_or_else(|poisoned| poisoned.into_inner());
                }
            }

            /// Waits until `done` holds, for at most 5 s; whether it does.
            pub fn wait_until(&self, mut done: impl FnMut(&Seen) -> bool) -> bool {
                let (seen, _) = self
                    .changed
                    .wait_timeout_while(self.seen(), Duration::from_secs(5), |seen| !done(seen))
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                done(&seen)
            }

            /// After `pause_first_release`: waits (at most 5 s) until a thread is paused or
            /// `sleeping` threads sleep in `wait`, and stops pausing threads. `Some(true)`: a
            /// thread is paused; `Some(false)`: none is, and none will be; `None`: neither
            /// happened.
            pub fn paused_or_sleeping(&self, sleeping: usize) -> Option<bool> {
                let (mut seen, _) = self
                    .changed
                    .wait_timeout_while(self.seen(), Duration::from_secs(5), |seen| {
                        seen.pause != Pause::Paused && seen.sleeping < sleeping
                    })
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                if seen.pause == Pause::Paused {
                    Some(true)
                } else {
                    seen.pause = Pause::Off;
                    (seen.sleeping >= sleeping).then_some(false)
                }
            }

            /// From now on, a thread that calls `notify_all` without holding the lock goes on
            /// only once the threads sleeping in `wait` then have woken up and looked at the
            /// state (at most 5 s).
            pub fn pause_after_notify_all(&self) {
                self.update(|seen| seen.hold_notifier = true);
            }

            /// Lets the paused thread go on.
            pub fn resume(&self) {
                self.update(|seen| {
                    if seen.pause == Pause::Paused {
                        seen.pause = Pause::Off;
                    }
                });
            }

            /// How many threads called `wait` or `wait_while` so far.
            pub fn waiter_threads(&self) -> usize {
                self.seen().waiters.len()
            }

            /// How many times a thread woke up in `wait` so far.
            pub fn wakeups(&self) -> usize {
                self.seen().wakeups
            }

            /// How many times `notify_one` or `notify_all` was called so far.
            pub fn notifications(&self) -> usize {
                self.seen().notifications
            }

            /// How many times the calling thread called `lock` so far.
            pub fn locks_by_this_thread(&self) -> usize {
                let me = thread::current().id();
                self.seen().locks.get(&me).copied().unwrap_or(0)
            }
        }
    }
}

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
    /// The jobs whose handler has returned.
    completed: Vec<u32>,
}

pub struct WorkerPool {
    /// The state behind the pool's lock. Its condition variable is signalled when a job is
    /// queued or shutdown begins.
    shared: Arc<Monitor<State>>,
    workers: Vec<JoinHandle<()>>,
}

fn worker_loop(shared: &Monitor<State>, handler: &(dyn Fn(u32) + Send + Sync)) {
    // TODO: loop:
    // - lock the state and wait on the condition variable while there is no job and no
    //   shutdown (`shared.wait_while`);
    // - if shutdown has begun, return, even if jobs are queued;
    // - otherwise pop a job, RELEASE the lock, run `handler`, then record the job in
    //   `completed`.
    todo!("worker loop")
}

impl WorkerPool {
    pub fn start(workers: usize, handler: impl Fn(u32) + Send + Sync + 'static) -> Self {
        let shared = Arc::new(Monitor::<State>::default());
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
        // TODO: reject the job once shutdown has begun; otherwise queue it and wake one
        // worker. Check the flag and queue the job under ONE lock: a check made under one lock
        // and acted on under another is the race this exercise is about.
        todo!("submit job {job}")
    }

    pub fn begin_shutdown(&self) {
        // TODO: set the flag (under the lock) and wake EVERY waiting worker.
        todo!("begin shutdown")
    }

    /// Shuts down (if not already begun), waits for every worker, reports.
    pub fn join(self) -> ShutdownReport {
        self.begin_shutdown();
        for worker in self.workers {
            worker.join().expect("a worker panicked");
        }
        let mut state = self.shared.lock();
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
    use std::sync::{Condvar, Mutex, mpsc};
    use std::time::{Duration, Instant};

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

    /// Whether `job` shows up in the pool's completed list within 5 s. Another thread looks, so
    /// that a worker that keeps the lock cannot hang the test.
    fn completed_within_5s(pool: &WorkerPool, job: u32) -> bool {
        let shared = Arc::clone(&pool.shared);
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if shared.lock().completed.contains(&job) {
                    let _ = tx.send(());
                    return;
                }
                thread::sleep(Duration::from_millis(1));
            }
        });
        rx.recv_timeout(Duration::from_secs(6)).is_ok()
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

    #[test]
    fn idle_workers_sleep_on_the_condition_variable() {
        let (done_tx, done_rx) = mpsc::channel();
        let pool = WorkerPool::start(3, move |job| done_tx.send(job).unwrap());
        let shared = Arc::clone(&pool.shared);
        assert!(
            shared.probe.wait_until(|seen| seen.sleeping >= 3),
            "3 idle workers should all sleep on the condition variable (`wait_while`), not \
             poll the queue with a sleep in between"
        );
        pool.submit(1).unwrap();
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(5)),
            Ok(1),
            "every worker was asleep: `submit` must wake one (notify_one)"
        );
        let report = join_within_5s(pool);
        assert_eq!(report.completed, vec![1]);
        assert_eq!(
            shared.probe.waiter_threads(),
            3,
            "a pool of 3 is 3 worker threads, each waiting on the condition variable when idle"
        );
    }

    #[test]
    fn the_shutdown_flag_lives_behind_the_lock() {
        let pool = WorkerPool::start(2, |_| {});
        pool.begin_shutdown();
        assert!(
            pool.shared.lock().shutting_down,
            "begin_shutdown sets `shutting_down` in the state, under the lock the workers' wait \
             condition is checked under. A flag kept elsewhere (an AtomicBool) can change, and \
             its notify_all can fire, between a worker's check and its sleep: that wake-up is \
             lost and join hangs"
        );
        join_within_5s(pool);
    }

    /// Starts a pool of one worker that pauses right after it first releases the lock, runs
    /// `act` while it is paused (or, if the worker went to sleep in `wait` first, while it
    /// sleeps), then lets it go on.
    fn act_between_release_and_wait(
        act: impl FnOnce(&WorkerPool),
    ) -> (WorkerPool, mpsc::Receiver<u32>) {
        monitor::probe::pause_first_release();
        let (done_tx, done_rx) = mpsc::channel();
        let pool = WorkerPool::start(1, move |job| done_tx.send(job).unwrap());
        assert!(
            pool.shared.probe.paused_or_sleeping(1).is_some(),
            "the idle worker should go to sleep on the condition variable"
        );
        act(&pool);
        pool.shared.probe.resume();
        (pool, done_rx)
    }

    #[test]
    fn a_job_submitted_between_check_and_sleep_is_not_lost() {
        let (pool, done_rx) = act_between_release_and_wait(|pool| pool.submit(1).unwrap());
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(5)),
            Ok(1),
            "the worker released the lock after it found the queue empty, and job 1 was \
             submitted right then: it must still run. Check the queue and go to sleep under \
             one lock (`wait_while`), never on what an earlier lock showed"
        );
        assert_eq!(join_within_5s(pool).completed, vec![1]);
    }

    #[test]
    fn a_shutdown_begun_between_check_and_sleep_is_not_lost() {
        let (pool, _done_rx) = act_between_release_and_wait(|pool| pool.begin_shutdown());
        let report = join_within_5s(pool);
        assert_eq!(report, ShutdownReport::default());
    }
    #[test]
    fn a_wake_up_without_a_job_sends_the_worker_back_to_sleep() {
        let (done_tx, done_rx) = mpsc::channel();
        let pool = WorkerPool::start(2, move |job| done_tx.send(job).unwrap());
        let shared = Arc::clone(&pool.shared);
        assert!(
            shared.probe.wait_until(|seen| seen.sleeping >= 2),
            "2 idle workers should sleep on the condition variable"
        );
        let wakeups = {
            // Both workers released the lock to sleep: holding it, the notify reaches both, and
            // it is a wake-up with nothing to do (no job, no shutdown).
            let _state = shared.lock();
            shared.notify_all();
            shared.probe.wakeups()
        };
        assert!(
            shared
                .probe
                .wait_until(|seen| seen.wakeups >= wakeups + 2 && seen.sleeping >= 2),
            "notify_all woke both idle workers with no job and no shutdown: each should check \
             again and go back to sleep (`wait_while` loops; `if` around one `wait` does not, \
             and a worker that panics holding the lock poisons it)"
        );
        pool.submit(1).unwrap();
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(5)),
            Ok(1),
            "a condition variable may wake a thread with nothing to do (a spurious wake-up, or \
             another worker took the job first): check the condition again and sleep again, \
             in a loop (`wait_while`), never `if` around one `wait`"
        );
        assert_eq!(join_within_5s(pool).completed, vec![1]);
    }

    #[test]
    fn workers_woken_by_the_shutdown_find_the_flag_set() {
        let pool = WorkerPool::start(2, |_| {});
        let shared = Arc::clone(&pool.shared);
        assert!(
            shared.probe.wait_until(|seen| seen.sleeping >= 2),
            "2 idle workers should sleep on the condition variable"
        );
        // Both workers released the lock to sleep: from now on they sleep in `wait`.
        drop(shared.lock());
        shared.probe.pause_after_notify_all();
        pool.begin_shutdown();
        assert!(
            shared.probe.wait_until(|seen| seen.sleeping == 0),
            "begin_shutdown woke the idle workers, and they looked at the state before it went \
             on: they must find `shutting_down` set and leave. Set the flag under the lock \
             first, then notify_all: a worker woken before the flag is set goes back to sleep, \
             and nothing wakes it again"
        );
        assert_eq!(join_within_5s(pool), ShutdownReport::default());
    }

    #[test]
    fn submit_checks_the_flag_and_queues_under_one_lock() {
        let pool = WorkerPool::start(1, |_| {});
        let before = pool.shared.probe.locks_by_this_thread();
        pool.submit(1).unwrap();
        assert_eq!(
            pool.shared.probe.locks_by_this_thread() - before,
            1,
            "submit should take the lock once: checking `shutting_down` under one lock and \
             queueing under another lets shutdown begin in between, and the job is accepted \
             after the pool stopped accepting jobs"
        );
        join_within_5s(pool);
    }

    #[test]
    fn a_job_is_completed_only_when_its_handler_returns() {
        let gate = Arc::new(Gate::default());
        let (started_tx, started_rx) = mpsc::channel();
        let pool = {
            let gate = Arc::clone(&gate);
            WorkerPool::start(1, move |job| {
                started_tx.send(job).unwrap();
                gate.wait();
            })
        };
        pool.submit(1).unwrap();
        assert_eq!(started_rx.recv_timeout(Duration::from_secs(5)), Ok(1));
        assert!(
            pool.shared.lock().completed.is_empty(),
            "job 1's handler is still running: record it in `completed` after the handler \
             returns, not when the worker takes it (a handler that dies halfway did not \
             complete its job)"
        );
        gate.open();
        assert_eq!(join_within_5s(pool).completed, vec![1]);
    }

    #[test]
    fn completed_jobs_are_reported_in_id_order() {
        let gate = Arc::new(Gate::default());
        let (started_tx, started_rx) = mpsc::channel();
        let pool = {
            let gate = Arc::clone(&gate);
            WorkerPool::start(2, move |job| {
                started_tx.send(job).unwrap();
                if job == 1 {
                    gate.wait();
                }
            })
        };
        pool.submit(1).unwrap();
        assert_eq!(started_rx.recv_timeout(Duration::from_secs(5)), Ok(1));
        pool.submit(2).unwrap();
        // Job 1 waits at the gate until job 2 is done: job 2 completes first.
        assert!(
            completed_within_5s(&pool, 2),
            "job 2 should run on the idle worker while job 1 waits"
        );
        gate.open();
        assert_eq!(
            join_within_5s(pool).completed,
            vec![1, 2],
            "job 2 finished before job 1; the report lists completed jobs by id"
        );
    }

    #[test]
    fn every_queued_job_signals_the_condition_variable() {
        // "Only the first job needs a wake-up" (notify when the queue goes from empty to one)
        // loses wake-ups: a burst of jobs submitted while several workers sleep wakes one of
        // them, and the others sleep on with jobs queued. Each job queued is one signal. With
        // the only worker held at a gate, the queue fills up; the count does not race.
        let gate = Arc::new(Gate::default());
        let (started_tx, started_rx) = mpsc::channel();
        let pool = {
            let gate = Arc::clone(&gate);
            WorkerPool::start(1, move |job| {
                started_tx.send(job).unwrap();
                gate.wait();
            })
        };
        let shared = Arc::clone(&pool.shared);
        pool.submit(1).unwrap();
        assert_eq!(
            started_rx.recv_timeout(Duration::from_secs(5)),
            Ok(1),
            "the worker should pick up job 1"
        );
        let before = shared.probe.notifications();
        for job in 2..=4 {
            pool.submit(job).unwrap();
        }
        assert_eq!(
            shared.probe.notifications() - before,
            3,
            "3 jobs queued, 3 signals (notify_one each): a job queued behind another needs its \
             own wake-up, or sleeping workers stay asleep while jobs wait"
        );
        pool.begin_shutdown();
        gate.open();
        let report = join_within_5s(pool);
        assert_eq!(report.completed, vec![1]);
        assert_eq!(report.not_started, vec![2, 3, 4]);
    }
}
