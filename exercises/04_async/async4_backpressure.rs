// Scenario: `POST /events` takes analytics events from every page view and hands them to a
// writer task that stores them in batches (one database round trip per batch). Between the two
// sits a queue. An unbounded queue turns a traffic spike into a memory spike and, minutes later,
// an out-of-memory kill; a bounded queue that makes the request *wait* for room turns it into
// thousands of stuck requests. Backpressure done right: the queue is bounded, and when it is
// full the endpoint answers `503 Service Unavailable` with `Retry-After` at once (load
// shedding), so clients back off. In FastAPI you would reach for `asyncio.Queue(maxsize=n)` and
// `put_nowait`, which raises `QueueFull`.
//
// tokio's `mpsc::channel(capacity)` is that bounded queue. `send(v).await` waits for room;
// `try_send(v)` never waits: it fails with `TrySendError::Full(v)` or, when the receiver is gone,
// `TrySendError::Closed(v)`. On the other side, `recv().await` gives one message, or `None` once
// every sender is dropped and the queue is empty; `recv_many(&mut buf, n).await` takes whatever is
// queued, up to `n`, waiting only while nothing is.
//
// Done means: the queue holds `capacity` events, no more; a full queue gets 503 with
// `Retry-After: 1` without waiting, a queue without a writer gets 500; the writer writes what is
// queued in batches of at most `max_batch`, never waits to fill a batch, and when every sender is
// gone it writes what is left and returns.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial/channels

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::mpsc;
#[allow(unused_imports)]
use tokio::sync::mpsc::error::TrySendError;

pub type Event = u64;

#[derive(Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub retry_after: Option<u32>,
}

/// The endpoint's side of the queue.
pub struct Ingest {
    tx: mpsc::Sender<Event>,
}

impl Ingest {
    /// A queue that holds at most `capacity` events, and the writer's end of it.
    pub fn new(capacity: usize) -> (Ingest, mpsc::Receiver<Event>) {
        // TODO: the queue must hold `capacity` events, no more.
        let _ = capacity;
        let (tx, rx) = mpsc::channel(1024);
        (Ingest { tx }, rx)
    }

    /// `POST /events`: 202 once queued.
    pub async fn accept(&self, event: Event) -> Response {
        // TODO: `send().await` holds the request until there is room. Answer at once instead:
        // 503 with `Retry-After: 1` when the queue is full, 500 when the writer is gone.
        match self.tx.send(event).await {
            Ok(()) => Response {
                status: 202,
                retry_after: None,
            },
            Err(_closed) => Response {
                status: 500,
                retry_after: None,
            },
        }
    }
}

/// The database: one `write` is one round trip.
pub struct Db {
    pub latency: Duration,
    pub batches: Mutex<Vec<Vec<Event>>>,
}

impl Db {
    pub async fn write(&self, batch: Vec<Event>) {
        tokio::time::sleep(self.latency).await;
        self.batches.lock().unwrap().push(batch);
    }
}

/// The writer task: stores queued events in batches of at most `max_batch` until every sender
/// is gone and the queue is empty.
pub async fn run_writer(mut rx: mpsc::Receiver<Event>, max_batch: usize, db: &Db) {
    // TODO: one round trip per event. Write what is queued, up to `max_batch` at a time.
    let _ = max_batch;
    while let Some(event) = rx.recv().await {
        db.write(vec![event]).await;
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (ingest, rx) = Ingest::new(2);
        for event in 1..=3 {
            println!("event {event}: {:?}", ingest.accept(event).await);
        }
        drop(ingest);
        let db = Db {
            latency: Duration::from_millis(5),
            batches: Mutex::new(Vec::new()),
        };
        run_writer(rx, 10, &db).await;
        println!("written: {:?}", db.batches.lock().unwrap());
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use tokio::time::{sleep, timeout};

    /// A single-threaded runtime on paused time (what `#[tokio::test(start_paused = true)]`
    /// sets up): sleeps take no real time, and when every task waits the clock jumps to the
    /// next timer, so a request that waits forever fails the `timeout` below at once.
    fn run<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    const ACCEPTED: Response = Response {
        status: 202,
        retry_after: None,
    };
    const SHED: Response = Response {
        status: 503,
        retry_after: Some(1),
    };

    /// `accept`, which must answer without waiting for room in the queue.
    async fn post(ingest: &Ingest, event: Event) -> Response {
        timeout(Duration::from_secs(5), ingest.accept(event))
            .await
            .expect("the request waited for room in the queue instead of answering")
    }

    fn db(latency_ms: u64) -> Arc<Db> {
        Arc::new(Db {
            latency: Duration::from_millis(latency_ms),
            batches: Mutex::new(Vec::new()),
        })
    }

    #[test]
    fn a_full_queue_sheds_load_at_once() {
        run(async {
            let (ingest, _rx) = Ingest::new(3);
            for event in 1..=3 {
                assert_eq!(post(&ingest, event).await, ACCEPTED, "event {event}");
            }
            assert_eq!(post(&ingest, 4).await, SHED);
            assert_eq!(post(&ingest, 5).await, SHED);
        });
    }

    #[test]
    fn room_made_by_the_writer_is_taken_again() {
        run(async {
            let (ingest, mut rx) = Ingest::new(1);
            assert_eq!(post(&ingest, 1).await, ACCEPTED);
            assert_eq!(post(&ingest, 2).await, SHED);
            assert_eq!(rx.recv().await, Some(1));
            assert_eq!(post(&ingest, 3).await, ACCEPTED);
            assert_eq!(
                rx.recv().await,
                Some(3),
                "a shed event was queued after all"
            );
        });
    }

    #[test]
    fn without_a_writer_the_answer_is_500() {
        run(async {
            let (ingest, rx) = Ingest::new(4);
            drop(rx);
            assert_eq!(
                post(&ingest, 1).await,
                Response {
                    status: 500,
                    retry_after: None
                }
            );
        });
    }

    #[test]
    fn the_writer_writes_in_batches_and_finishes_the_queue() {
        let db = db(10);
        run(async {
            let (ingest, rx) = Ingest::new(8);
            for event in 1..=5 {
                assert_eq!(post(&ingest, event).await, ACCEPTED);
            }
            drop(ingest);
            timeout(Duration::from_secs(5), run_writer(rx, 2, &db))
                .await
                .expect("the writer did not return once every sender was gone");
        });
        assert_eq!(
            *db.batches.lock().unwrap(),
            [vec![1, 2], vec![3, 4], vec![5]]
        );
    }

    #[test]
    fn the_writer_never_waits_to_fill_a_batch() {
        let db = db(100);
        run(async {
            let (ingest, rx) = Ingest::new(8);
            let writer = tokio::spawn({
                let db = Arc::clone(&db);
                async move { run_writer(rx, 50, &db).await }
            });
            assert_eq!(post(&ingest, 1).await, ACCEPTED);
            sleep(Duration::from_millis(150)).await;
            assert_eq!(*db.batches.lock().unwrap(), [vec![1]]);
            // While that batch was written, more events queued: they go out together.
            assert_eq!(post(&ingest, 2).await, ACCEPTED);
            sleep(Duration::from_millis(10)).await;
            assert_eq!(post(&ingest, 3).await, ACCEPTED);
            assert_eq!(post(&ingest, 4).await, ACCEPTED);
            sleep(Duration::from_millis(200)).await;
            assert_eq!(*db.batches.lock().unwrap(), [vec![1], vec![2], vec![3, 4]]);
            drop(ingest);
            writer.await.unwrap();
        });
    }

    #[test]
    fn a_request_is_answered_at_its_first_poll_even_when_its_task_must_yield() {
        // Tokio gives each task a budget of operations per poll; once it is spent, every
        // awaited channel operation yields (`Pending`) to let other tasks run, even when it
        // could go ahead. A request that looks and takes in one step (`try_send`) never awaits
        // the queue, so it answers at once all the same; one that awaits it (`send().await`)
        // yields here, as it would wait on a full queue.
        use std::task::Poll;

        let (ingest, _rx) = Ingest::new(4);
        let answer = run(std::future::poll_fn(|cx| {
            // Spend this task's budget: `consume_budget` yields once it is used up.
            while std::pin::pin!(tokio::task::coop::consume_budget())
                .poll(cx)
                .is_ready()
            {}
            Poll::Ready(std::pin::pin!(ingest.accept(1)).poll(cx))
        }));
        assert_eq!(
            answer,
            Poll::Ready(ACCEPTED),
            "accept waited on the queue (send().await) instead of taking a place at once"
        );
    }

    #[test]
    fn a_request_that_finds_room_takes_it_in_the_same_step() {
        // Looking (`capacity()`) and then taking (`send().await`) is two steps: on a
        // multi-threaded server another request can take the last place between them, and
        // this one then waits for room. Here another thread fills and empties the queue
        // without pause while this one posts: every `accept` must answer at its first poll,
        // 202 or 503, never wait (`try_send` looks and takes in one step). The test stops once
        // 1000 events got in, or after 5 seconds on a busy machine.
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::task::Poll;

        let (ingest, mut rx) = Ingest::new(1);
        let other = ingest.tx.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let started = Arc::new(AtomicBool::new(false));
        let churn = std::thread::spawn({
            let (stop, started) = (Arc::clone(&stop), Arc::clone(&started));
            move || {
                started.store(true, Ordering::SeqCst);
                let mut turn = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    // The queue is full for a while, then empty for a while.
                    turn = turn.wrapping_add(1);
                    let _ = other.try_send(0);
                    for _ in 0..turn % 64 {
                        std::hint::spin_loop();
                    }
                    let _ = rx.try_recv();
                    for _ in 0..turn % 61 {
                        std::hint::spin_loop();
                    }
                }
            }
        });
        while !started.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        let waited = run(async {
            let deadline = std::time::Instant::now() + Duration::from_secs(5);
            let mut accepted = 0;
            let mut event = 0;
            while accepted < 1_000 && std::time::Instant::now() < deadline {
                event += 1;
                let mut request = std::pin::pin!(ingest.accept(event));
                match std::future::poll_fn(|cx| Poll::Ready(request.as_mut().poll(cx))).await {
                    Poll::Ready(response) if response == ACCEPTED => accepted += 1,
                    Poll::Ready(response) => assert_eq!(response, SHED, "event {event}"),
                    Poll::Pending => return Some(event),
                }
            }
            None
        });
        stop.store(true, Ordering::Relaxed);
        churn.join().unwrap();
        assert_eq!(
            waited, None,
            "a request saw room in the queue, then waited for it: another request took the \
             place between the look and the send"
        );
    }
}
