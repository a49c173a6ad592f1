// Scenario: the thumbnail worker is deployed several times a day. Each deploy sends it SIGTERM;
// ten seconds later the orchestrator kills it. Killing it mid-job leaves half-written files and
// jobs nobody retries; ignoring SIGTERM only delays the kill. Graceful shutdown: on the signal,
// stop taking new jobs, let the jobs in flight finish within a grace period, then abort whatever
// is still running and report it (those jobs will be redelivered). uvicorn does this for FastAPI
// (`--timeout-graceful-shutdown`), and FastAPI's `lifespan` runs your cleanup after it;
// `axum::serve(...).with_graceful_shutdown(signal)` is the same idea for an HTTP server.
//
// The parts, all seen before: a `JoinSet` of in-flight jobs, `tokio::select!` over "a new job",
// "a job finished" and "the signal", a `sleep` for the grace period, `abort_all`. Two details:
// `&mut shutdown` in `select!` polls the receiver without giving it away (so the loop can poll it
// again), a `select!` branch can have a condition (`..., if !set.is_empty() => ...`), and when
// several branches are ready at once `select!` picks one AT RANDOM, unless it starts with
// `biased;`, which tries them in the order written (so the signal can come first).
//
// Done means: jobs run concurrently as they arrive; after the signal no new job starts; the jobs
// in flight get the grace period, counted from the signal, and no more; what is still running
// then is aborted (not left running) and counted; when the queue closes, the worker finishes
// the jobs it has and returns, and a signal that comes while it finishes them still gives them
// only the grace period.
//
// Tokio tutorial: https://tokio.rs/tokio/topics/shutdown

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

#[derive(Debug, Clone)]
pub struct Job {
    pub id: u32,
    pub cost: Duration,
}

#[derive(Debug, PartialEq)]
pub struct Report {
    /// Jobs that ran to the end.
    pub completed: usize,
    /// Jobs stopped at the end of the grace period.
    pub aborted: usize,
}

/// Processes one job; `done` records the jobs that finished.
pub async fn process(job: Job, done: Arc<Mutex<Vec<u32>>>) {
    tokio::time::sleep(job.cost).await;
    done.lock().unwrap().push(job.id);
}

/// The worker: runs jobs from `jobs` until `shutdown` fires (or the queue closes), then shuts
/// down gracefully.
pub async fn serve(
    mut jobs: mpsc::Receiver<Job>,
    mut shutdown: oneshot::Receiver<()>,
    grace: Duration,
    done: Arc<Mutex<Vec<u32>>>,
) -> Report {
    let mut running: JoinSet<()> = JoinSet::new();
    let mut completed = 0;
    let mut open = true;
    loop {
        if !open && running.is_empty() {
            return Report {
                completed,
                aborted: 0,
            };
        }
        tokio::select! {
            biased;
            _ = &mut shutdown => break,
            job = jobs.recv(), if open => match job {
                Some(job) => {
                    running.spawn(process(job, Arc::clone(&done)));
                }
                // The queue closed: no more jobs, and no hurry for the ones running.
                None => open = false,
            },
            Some(_) = running.join_next(), if !running.is_empty() => completed += 1,
        }
    }
    let deadline = tokio::time::sleep(grace);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            finished = running.join_next() => match finished {
                Some(_) => completed += 1,
                None => break,
            },
            _ = &mut deadline => {
                let aborted = running.len();
                running.abort_all();
                return Report { completed, aborted };
            }
        }
    }
    Report {
        completed,
        aborted: 0,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (tx, rx) = mpsc::channel(8);
        let (stop, shutdown) = oneshot::channel();
        let done = Arc::new(Mutex::new(Vec::new()));
        let worker = tokio::spawn(serve(rx, shutdown, Duration::from_millis(50), done));
        for (id, ms) in [(1, 10), (2, 500)] {
            let _ = tx
                .send(Job {
                    id,
                    cost: Duration::from_millis(ms),
                })
                .await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        let _ = stop.send(());
        println!("{:?}", worker.await);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::task::JoinHandle;
    use tokio::time::{Instant, sleep, timeout};

    /// A single-threaded runtime on paused time (what `#[tokio::test(start_paused = true)]`
    /// sets up): sleeps take no real time and elapsed times are exact.
    fn run<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    struct Worker {
        jobs: mpsc::Sender<Job>,
        stop: Option<oneshot::Sender<()>>,
        done: Arc<Mutex<Vec<u32>>>,
        handle: JoinHandle<(Report, Duration)>,
    }

    /// Starts the worker; its handle gives the report and when, since the start, it came.
    fn start(grace_ms: u64) -> Worker {
        let (jobs, rx) = mpsc::channel(16);
        let (stop, shutdown) = oneshot::channel();
        let done = Arc::new(Mutex::new(Vec::new()));
        let worker_done = Arc::clone(&done);
        let handle = tokio::spawn(async move {
            let start = Instant::now();
            let report = serve(rx, shutdown, Duration::from_millis(grace_ms), worker_done).await;
            (report, start.elapsed())
        });
        Worker {
            jobs,
            stop: Some(stop),
            done,
            handle,
        }
    }

    impl Worker {
        async fn submit(&self, id: u32, cost_ms: u64) {
            let job = Job {
                id,
                cost: Duration::from_millis(cost_ms),
            };
            self.jobs.send(job).await.expect("the worker takes jobs");
        }

        /// Closes the queue: the worker's last sender is dropped.
        fn close_queue(&mut self) {
            self.jobs = mpsc::channel(1).0;
        }

        fn sigterm(&mut self) {
            let _ = self.stop.take().expect("one signal").send(());
        }

        async fn finish(self) -> (Report, Duration, Vec<u32>) {
            let (report, elapsed) = timeout(Duration::from_secs(3600), self.handle)
                .await
                .expect("the worker never returned")
                .unwrap();
            let done = self.done.lock().unwrap().clone();
            (report, elapsed, done)
        }
    }

    #[test]
    fn jobs_run_concurrently_as_they_arrive() {
        run(async {
            let mut worker = start(1_000);
            for id in 1..=3 {
                worker.submit(id, 200).await;
            }
            sleep(Duration::from_millis(200)).await;
            sleep(Duration::from_millis(1)).await;
            assert_eq!(
                worker.done.lock().unwrap().len(),
                3,
                "the jobs ran one at a time"
            );
            worker.sigterm();
            let (report, elapsed, _) = worker.finish().await;
            assert_eq!(
                report,
                Report {
                    completed: 3,
                    aborted: 0
                }
            );
            assert_eq!(
                elapsed,
                Duration::from_millis(201),
                "an idle worker stops at once"
            );
        });
    }

    #[test]
    fn jobs_in_flight_finish_after_the_signal() {
        run(async {
            let mut worker = start(1_000);
            worker.submit(1, 300).await;
            worker.submit(2, 700).await;
            sleep(Duration::from_millis(100)).await;
            worker.sigterm();
            let (report, elapsed, done) = worker.finish().await;
            assert_eq!(done, [1, 2]);
            assert_eq!(
                report,
                Report {
                    completed: 2,
                    aborted: 0
                }
            );
            assert_eq!(
                elapsed,
                Duration::from_millis(700),
                "the worker waited longer than its jobs"
            );
        });
    }

    #[test]
    fn no_new_job_starts_after_the_signal() {
        // Twenty times: when the signal and a job are both waiting, the signal must win every
        // time, not every other time.
        for round in 0..20 {
            run(async {
                let mut worker = start(1_000);
                worker.submit(1, 300).await;
                sleep(Duration::from_millis(100)).await;
                worker.sigterm();
                // Queued when the worker hears the signal: it is left for the next worker.
                let _ = worker.jobs.try_send(Job {
                    id: 2,
                    cost: Duration::from_millis(10),
                });
                let (report, _, done) = worker.finish().await;
                assert_eq!(done, [1], "round {round}");
                assert_eq!(
                    report,
                    Report {
                        completed: 1,
                        aborted: 0
                    }
                );
            });
        }
    }

    #[test]
    fn the_grace_period_ends_with_the_slow_jobs_aborted() {
        run(async {
            let mut worker = start(1_000);
            worker.submit(1, 500).await;
            worker.submit(2, 5_000).await;
            worker.submit(3, 60_000).await;
            sleep(Duration::from_millis(2_000)).await;
            worker.sigterm();
            let done = Arc::clone(&worker.done);
            let (report, elapsed, _) = worker.finish().await;
            assert_eq!(
                elapsed,
                Duration::from_millis(3_000),
                "grace counts from the signal"
            );
            assert_eq!(
                report,
                Report {
                    completed: 1,
                    aborted: 2
                }
            );
            sleep(Duration::from_secs(120)).await;
            assert_eq!(*done.lock().unwrap(), [1], "an aborted job kept running");
        });
    }

    #[test]
    fn a_closed_queue_lets_the_last_jobs_finish() {
        run(async {
            let mut worker = start(100);
            worker.submit(1, 400).await;
            worker.submit(2, 900).await;
            worker.close_queue();
            let (report, elapsed, done) = worker.finish().await;
            assert_eq!(done, [1, 2]);
            assert_eq!(
                report,
                Report {
                    completed: 2,
                    aborted: 0
                }
            );
            assert_eq!(elapsed, Duration::from_millis(900));
        });
    }

    #[test]
    fn a_signal_after_the_queue_closed_still_ends_with_the_grace_period() {
        run(async {
            let mut worker = start(50);
            worker.submit(1, 1_000).await;
            worker.close_queue();
            sleep(Duration::from_millis(10)).await;
            worker.sigterm();
            let done = Arc::clone(&worker.done);
            let (report, elapsed, _) = worker.finish().await;
            assert_eq!(
                report,
                Report {
                    completed: 0,
                    aborted: 1
                },
                "the signal was not heard once the queue had closed"
            );
            assert_eq!(
                elapsed,
                Duration::from_millis(60),
                "grace counts from the signal"
            );
            sleep(Duration::from_secs(2)).await;
            assert!(
                done.lock().unwrap().is_empty(),
                "an aborted job kept running"
            );
        });
    }

    #[test]
    fn the_grace_period_counts_from_the_signal_not_from_the_last_finished_job() {
        run(async {
            let mut worker = start(50);
            for (id, cost_ms) in [(1, 40), (2, 70), (3, 100), (4, 510)] {
                worker.submit(id, cost_ms).await;
            }
            sleep(Duration::from_millis(10)).await;
            // Left at the signal: 30, 60, 90 and 500 ms; the grace period ends 50 ms later.
            worker.sigterm();
            let done = Arc::clone(&worker.done);
            let (report, elapsed, _) = worker.finish().await;
            assert_eq!(
                report,
                Report {
                    completed: 1,
                    aborted: 3
                },
                "the grace period was restarted when a job finished"
            );
            assert_eq!(
                elapsed,
                Duration::from_millis(60),
                "grace counts from the signal"
            );
            sleep(Duration::from_secs(1)).await;
            assert_eq!(*done.lock().unwrap(), [1], "an aborted job kept running");
        });
    }
}
