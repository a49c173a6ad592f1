// Scenario: after a photo upload, the media service renders one thumbnail per size by calling an
// image service. In FastAPI you would start each call with `asyncio.create_task(...)`, or gather
// them with `asyncio.gather(*calls, return_exceptions=True)` so that one failure does not lose
// the others, and a "first one wins" lookup with `asyncio.wait(..., return_when=FIRST_COMPLETED)`
// followed by cancelling the rest.
//
// In tokio, `tokio::spawn(future)` starts a *task*: it runs on its own, even if nobody awaits it,
// and must own everything it uses (`'static`: clone the `Arc`, move the job in). It returns a
// `JoinHandle<T>`; awaiting it gives `Result<T, JoinError>`. A panic inside a task does not crash
// the server: the runtime catches it and the handle says so (`JoinError::is_panic`). Dropping a
// `JoinHandle` does NOT stop its task. A `tokio::task::JoinSet` holds many tasks, hands back their
// results in the order they finish (`join_next`), and aborts whatever is still running when it is
// dropped (or on `abort_all`).
//
// Done means: `render_all` runs every job at once and reports each one's outcome in the order of
// the jobs, panics included; `first_ready` answers with the first thumbnail that renders and
// leaves no other render running.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial/spawning

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: u32,
    pub width: u32,
    /// How long the image service takes for it.
    pub cost_ms: u64,
    /// The image service answers with an error.
    pub fails: bool,
    /// The renderer has a bug for this one and panics.
    pub panics: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Thumb {
    pub job: u32,
    pub url: String,
}

#[derive(Debug, PartialEq)]
pub enum Outcome {
    Done(Thumb),
    /// The job's id and the image service's error.
    Failed(u32, String),
    /// The job's task panicked.
    Crashed(u32),
}

/// One call to the image service. `rendered` counts the renders that ran to the end.
pub async fn render(job: Job, rendered: Arc<AtomicUsize>) -> Result<Thumb, String> {
    tokio::time::sleep(Duration::from_millis(job.cost_ms)).await;
    if job.panics {
        panic!("renderer bug on job {}", job.id);
    }
    if job.fails {
        return Err(format!("unsupported format for job {}", job.id));
    }
    rendered.fetch_add(1, Ordering::SeqCst);
    Ok(Thumb {
        job: job.id,
        url: format!("/thumbs/{}/{}.webp", job.id, job.width),
    })
}

/// Renders every job at once; one outcome per job, in the order of `jobs`.
pub async fn render_all(jobs: Vec<Job>, rendered: Arc<AtomicUsize>) -> Vec<Outcome> {
    // TODO: this renders one job after the other, and a panicking render takes the whole
    // request down with it. Spawn one task per job first, then await their handles in order.
    let mut outcomes = Vec::new();
    for job in jobs {
        let id = job.id;
        outcomes.push(match render(job, Arc::clone(&rendered)).await {
            Ok(thumb) => Outcome::Done(thumb),
            Err(error) => Outcome::Failed(id, error),
        });
    }
    outcomes
}

/// The first thumbnail that renders (failures and crashes skipped), or `None` if none does.
/// No render is left running when it returns.
pub async fn first_ready(jobs: Vec<Job>, rendered: Arc<AtomicUsize>) -> Option<Thumb> {
    // TODO: spawn every render into a `JoinSet`, take results as they finish, and make sure the
    // losers stop.
    let _ = (jobs, rendered, JoinSet::<()>::new());
    todo!("the first thumbnail")
}

fn main() {
    let jobs = vec![
        Job {
            id: 1,
            width: 64,
            cost_ms: 20,
            fails: false,
            panics: false,
        },
        Job {
            id: 2,
            width: 256,
            cost_ms: 10,
            fails: true,
            panics: false,
        },
    ];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let rendered = Arc::new(AtomicUsize::new(0));
    println!("{:?}", runtime.block_on(render_all(jobs, rendered)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

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

    fn job(id: u32, cost_ms: u64) -> Job {
        Job {
            id,
            width: 128,
            cost_ms,
            fails: false,
            panics: false,
        }
    }

    fn done(id: u32) -> Outcome {
        Outcome::Done(Thumb {
            job: id,
            url: format!("/thumbs/{id}/128.webp"),
        })
    }

    #[test]
    fn every_job_renders_at_once_and_outcomes_keep_the_jobs_order() {
        let rendered = Arc::new(AtomicUsize::new(0));
        let (outcomes, elapsed) = run(async {
            let start = Instant::now();
            let outcomes = render_all(
                vec![job(7, 300), job(2, 100), job(5, 200)],
                Arc::clone(&rendered),
            )
            .await;
            (outcomes, start.elapsed())
        });
        assert_eq!(
            outcomes,
            [done(7), done(2), done(5)],
            "not in the order of the jobs"
        );
        assert_eq!(
            elapsed,
            Duration::from_millis(300),
            "the jobs ran one after another"
        );
        assert_eq!(rendered.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_failure_and_a_panic_lose_no_other_thumbnail() {
        let rendered = Arc::new(AtomicUsize::new(0));
        let failing = Job {
            fails: true,
            ..job(2, 10)
        };
        let buggy = Job {
            panics: true,
            ..job(3, 20)
        };
        let outcomes = run(render_all(
            vec![job(1, 30), failing, buggy, job(4, 40)],
            Arc::clone(&rendered),
        ));
        assert_eq!(
            outcomes,
            [
                done(1),
                Outcome::Failed(2, "unsupported format for job 2".into()),
                Outcome::Crashed(3),
                done(4),
            ]
        );
    }

    #[test]
    fn no_jobs_no_outcomes() {
        let rendered = Arc::new(AtomicUsize::new(0));
        assert_eq!(run(render_all(Vec::new(), rendered)), []);
    }

    #[test]
    fn the_first_thumbnail_wins_and_the_others_stop() {
        let rendered = Arc::new(AtomicUsize::new(0));
        let (thumb, elapsed) = run(async {
            let start = Instant::now();
            let thumb = first_ready(
                vec![job(1, 500), job(2, 150), job(3, 400)],
                Arc::clone(&rendered),
            )
            .await;
            let elapsed = start.elapsed();
            // Long after the slower renders would have finished, had they kept running.
            tokio::time::sleep(Duration::from_secs(10)).await;
            (thumb, elapsed)
        });
        assert_eq!(thumb.map(|t| t.job), Some(2));
        assert_eq!(elapsed, Duration::from_millis(150));
        assert_eq!(
            rendered.load(Ordering::SeqCst),
            1,
            "the losing renders kept running after the answer"
        );
    }

    #[test]
    fn failures_and_crashes_do_not_win() {
        let rendered = Arc::new(AtomicUsize::new(0));
        let jobs = vec![
            Job {
                fails: true,
                ..job(1, 10)
            },
            Job {
                panics: true,
                ..job(2, 20)
            },
            job(3, 90),
        ];
        let thumb = run(first_ready(jobs, Arc::clone(&rendered)));
        assert_eq!(thumb.map(|t| t.job), Some(3));
    }

    #[test]
    fn nothing_renders_nothing_wins() {
        let rendered = Arc::new(AtomicUsize::new(0));
        let jobs = vec![
            Job {
                fails: true,
                ..job(1, 10)
            },
            Job {
                panics: true,
                ..job(2, 20)
            },
        ];
        assert_eq!(run(first_ready(jobs, rendered)), None);
        assert_eq!(
            run(first_ready(Vec::new(), Arc::new(AtomicUsize::new(0)))),
            None
        );
    }
}
