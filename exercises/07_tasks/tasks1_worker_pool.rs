// Scenario: after a bulk import, 10,000 product images need thumbnails. The import endpoint
// generated them one after another inside the request and timed out. We move the work to a
// pool of worker threads: the jobs go into a channel, N workers take jobs from it, and the
// results come back on a second channel.
//
// Done means: `run_pool` runs every job exactly once on `workers` threads that really run at
// the same time, returns one result per job sorted by job id, and returns (does not hang) once
// the work is done: the job channel is closed so the workers leave their loop, and every
// worker thread is joined.

use std::sync::{Mutex, mpsc};
use std::thread;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: u32,
    pub payload: String,
}

#[derive(Debug, PartialEq)]
pub struct JobResult {
    pub id: u32,
    pub output: String,
}

pub fn run_pool<F>(jobs: Vec<Job>, workers: usize, handler: F) -> Vec<JobResult>
where
    F: Fn(&Job) -> String + Sync,
{
    assert!(workers > 0, "a pool needs at least one worker");
    // TODO:
    // 1. A job channel and a result channel (`mpsc::channel`). The job receiver is shared by
    //    all workers, so put it behind a `Mutex`.
    // 2. Start `workers` threads inside `thread::scope` (it lets them borrow `handler` and joins
    //    them all at the end). Each one loops: take the next job, run `handler`, send the
    //    result. A `recv` error means the job channel is closed: leave the loop.
    // 3. Send every job, then drop the job sender. Drop your own result sender too, so that the
    //    result channel closes when the last worker is done.
    // 4. Collect the results and sort them by job id.
    todo!("run {} jobs on {workers} workers", jobs.len())
}

fn main() {
    let jobs = (1..=5)
        .map(|id| Job {
            id,
            payload: format!("image-{id}.png"),
        })
        .collect();
    for result in run_pool(jobs, 2, |job| format!("thumb-{}", job.payload)) {
        println!("{result:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Condvar;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn jobs(count: u32) -> Vec<Job> {
        (1..=count)
            .map(|id| Job {
                id,
                payload: format!("img{id}"),
            })
            .collect()
    }

    /// Lets jobs wait until `expected` of them are running at the same time. A correct pool
    /// gets there as soon as its threads are scheduled; the 5 s patience only ends the wait of
    /// a pool that runs jobs one at a time, and once one job gave up the others do not wait.
    struct Rendezvous {
        /// (jobs arrived, someone gave up)
        state: Mutex<(usize, bool)>,
        changed: Condvar,
        expected: usize,
    }

    impl Rendezvous {
        fn new(expected: usize) -> Self {
            Self {
                state: Mutex::new((0, false)),
                changed: Condvar::new(),
                expected,
            }
        }

        /// True if `expected` jobs were in flight together.
        fn arrive(&self) -> bool {
            let mut state = self.state.lock().unwrap();
            state.0 += 1;
            self.changed.notify_all();
            let (mut state, _) = self
                .changed
                .wait_timeout_while(state, Duration::from_secs(5), |(arrived, gave_up)| {
                    *arrived < self.expected && !*gave_up
                })
                .unwrap();
            if state.0 < self.expected {
                state.1 = true;
                self.changed.notify_all();
                return false;
            }
            true
        }
    }

    #[test]
    fn every_job_gets_a_result_in_id_order() {
        let results = run_pool(jobs(50), 3, |job| job.payload.to_uppercase());
        assert_eq!(results.len(), 50, "one result per job");
        for (i, result) in results.iter().enumerate() {
            let id = i as u32 + 1;
            assert_eq!(
                result,
                &JobResult {
                    id,
                    output: format!("IMG{id}")
                },
                "results sorted by job id, each with its handler output"
            );
        }
    }

    #[test]
    fn results_are_sorted_even_when_jobs_come_unsorted() {
        let unsorted: Vec<Job> = [3, 1, 2]
            .into_iter()
            .map(|id| Job {
                id,
                payload: format!("img{id}"),
            })
            .collect();
        let ids: Vec<u32> = run_pool(unsorted, 1, |job| job.payload.clone())
            .iter()
            .map(|result| result.id)
            .collect();
        assert_eq!(
            ids,
            vec![1, 2, 3],
            "results come back in the order the jobs finish; sort them by job id"
        );
    }

    #[test]
    fn each_job_runs_exactly_once() {
        let runs = AtomicUsize::new(0);
        run_pool(jobs(40), 4, |_| {
            runs.fetch_add(1, Ordering::SeqCst);
            String::new()
        });
        assert_eq!(
            runs.load(Ordering::SeqCst),
            40,
            "40 jobs, 40 handler calls: no job lost, none run twice"
        );
    }

    #[test]
    fn workers_run_in_parallel() {
        let rendezvous = Rendezvous::new(4);
        let results = run_pool(jobs(4), 4, |_| rendezvous.arrive().to_string());
        assert!(
            results.iter().all(|r| r.output == "true"),
            "4 workers and 4 jobs: all 4 jobs must be running at once. If workers run one at \
             a time, check that no worker holds the queue lock while it runs a job"
        );
    }

    #[test]
    fn no_jobs_returns_empty_and_does_not_hang() {
        let results = run_pool(Vec::new(), 3, |job| job.payload.clone());
        assert!(
            results.is_empty(),
            "nothing to do: the workers see the closed channel and exit"
        );
    }

    #[test]
    fn more_workers_than_jobs() {
        let results = run_pool(jobs(2), 8, |job| job.payload.clone());
        assert_eq!(results.len(), 2, "idle workers simply exit");
    }
}
