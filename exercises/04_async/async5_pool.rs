// Scenario: every request of the orders service needs a database connection. Opening one costs a
// TCP and TLS handshake and the database accepts only so many, so connections are pooled: at most
// `max_size` exist, a request borrows an idle one (or opens one if there is room), and gives it
// back when it is done. When all are borrowed, a request waits, but only up to `wait`: then it
// fails fast (a 503 beats a request hanging until the client gives up). `wait` bounds only the
// wait for a place: a request that has one opens its connection however long the handshake
// takes, so a pool with a free place never answers `Timeout`. A connection that broke
// while borrowed is thrown away, not handed to the next request. This is what SQLAlchemy's
// `QueuePool(pool_size=..., pool_timeout=...)` does behind a FastAPI dependency, and what
// sqlx's and deadpool's pools do in Rust.
//
// The tools: a `tokio::sync::Semaphore` with `max_size` permits counts the connections that may
// exist; `Arc<Semaphore>::acquire_owned().await` waits for a permit and returns an
// `OwnedSemaphorePermit`, which gives the permit back when it is dropped. Keeping the permit
// inside the borrowed connection's guard ties the two together: RAII, as with `MutexGuard`. And
// `Drop` on the guard is where the connection goes back to the idle list.
//
// Done means: connections are reused, never more than `max_size` exist or are borrowed at once
// (an idle one is lent only with a place too), a request waits for a connection to come back and
// fails with `Timeout` after `wait` (the handshake is not counted in it), a broken connection is discarded
// and its place freed, and a request that gave up holds nothing.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial/shared-state (and the `Semaphore` docs)

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug, PartialEq)]
pub struct Conn {
    pub id: u32,
    /// Set when a query failed in a way that leaves the connection unusable.
    pub broken: bool,
}

#[derive(Debug, PartialEq)]
pub enum PoolError {
    Timeout,
}

pub struct Pool {
    /// Connections open and not borrowed.
    idle: Mutex<Vec<Conn>>,
    /// One permit per connection that may exist (borrowed or being opened).
    permits: Arc<Semaphore>,
    /// Connections opened so far (also the next id).
    opened: AtomicU32,
    connect_latency: Duration,
}

impl Pool {
    pub fn new(max_size: usize, connect_latency: Duration) -> Arc<Pool> {
        Arc::new(Pool {
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(max_size)),
            opened: AtomicU32::new(0),
            connect_latency,
        })
    }

    /// How many connections were opened so far.
    pub fn opened(&self) -> u32 {
        self.opened.load(Ordering::SeqCst)
    }

    /// How many connections are idle in the pool.
    pub fn idle(&self) -> usize {
        self.idle.lock().unwrap().len()
    }

    /// Opens a new connection (the handshakes).
    async fn connect(&self) -> Conn {
        tokio::time::sleep(self.connect_latency).await;
        let id = self.opened.fetch_add(1, Ordering::SeqCst) + 1;
        Conn { id, broken: false }
    }

    /// Borrows a connection, waiting at most `wait` for a place (a handshake, if one is needed,
    /// comes after and is not counted in `wait`).
    pub async fn get(self: &Arc<Self>, wait: Duration) -> Result<Pooled, PoolError> {
        // TODO: this opens a new connection for every request, as many as there are requests.
        // Wait (at most `wait`) for a permit, reuse an idle connection when there is one, and
        // keep the permit in the guard.
        let _ = wait;
        // A permit for zero connections: it limits nothing.
        let permit = Arc::clone(&self.permits)
            .try_acquire_many_owned(0)
            .expect("zero permits");
        let conn = self.connect().await;
        Ok(Pooled {
            conn: Some(conn),
            pool: Arc::clone(self),
            _permit: permit,
        })
    }
}

/// A borrowed connection: use it like a `Conn`; dropping it gives it back.
pub struct Pooled {
    /// Always `Some` until `drop` takes it out.
    conn: Option<Conn>,
    pool: Arc<Pool>,
    _permit: OwnedSemaphorePermit,
}

impl Deref for Pooled {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn.as_ref().expect("a borrowed connection")
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn.as_mut().expect("a borrowed connection")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // TODO: give the connection back to the pool, unless it is broken.
        let _ = &self.pool;
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let pool = Pool::new(2, Duration::from_millis(5));
        let first = pool
            .get(Duration::from_millis(50))
            .await
            .expect("a connection");
        println!("borrowed connection {}", first.id);
        drop(first);
        let again = pool
            .get(Duration::from_millis(50))
            .await
            .expect("a connection");
        println!(
            "borrowed connection {} again; {} opened",
            again.id,
            pool.opened()
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;
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

    /// `pool.get(wait)`, which must answer by itself within `wait` (and a connect).
    async fn get(pool: &Arc<Pool>, wait_ms: u64) -> Result<Pooled, PoolError> {
        timeout(
            Duration::from_millis(wait_ms) + Duration::from_secs(60),
            pool.get(Duration::from_millis(wait_ms)),
        )
        .await
        .expect("get waited past its own limit")
    }

    #[test]
    fn a_returned_connection_is_reused() {
        run(async {
            let pool = Pool::new(3, Duration::from_millis(40));
            let start = Instant::now();
            let conn = get(&pool, 100).await.unwrap();
            assert_eq!(conn.id, 1);
            assert_eq!(start.elapsed(), Duration::from_millis(40), "one connect");
            drop(conn);
            assert_eq!(pool.idle(), 1);
            let start = Instant::now();
            let conn = get(&pool, 100).await.unwrap();
            assert_eq!(conn.id, 1);
            assert_eq!(
                start.elapsed(),
                Duration::ZERO,
                "an idle connection needs no connect"
            );
            assert_eq!(pool.opened(), 1);
            assert_eq!(pool.idle(), 0, "a borrowed connection is not idle");
        });
    }

    #[test]
    fn a_request_waits_for_a_connection_to_come_back() {
        run(async {
            let pool = Pool::new(2, Duration::from_millis(10));
            let first = get(&pool, 100).await.unwrap();
            let second = get(&pool, 100).await.unwrap();
            assert_eq!((first.id, second.id), (1, 2));
            tokio::spawn(async move {
                sleep(Duration::from_millis(300)).await;
                drop(second);
                sleep(Duration::from_secs(60)).await;
                drop(first);
            });
            let start = Instant::now();
            let third = get(&pool, 1_000).await.unwrap();
            assert_eq!(start.elapsed(), Duration::from_millis(300));
            assert_eq!(third.id, 2, "the connection given back is the one borrowed");
            assert_eq!(pool.opened(), 2, "more connections than max_size");
        });
    }

    #[test]
    fn a_request_gives_up_after_wait_and_holds_nothing() {
        run(async {
            let pool = Pool::new(1, Duration::from_millis(10));
            let held = get(&pool, 100).await.unwrap();
            let start = Instant::now();
            assert_eq!(get(&pool, 500).await.err(), Some(PoolError::Timeout));
            assert_eq!(start.elapsed(), Duration::from_millis(500));
            drop(held);
            let start = Instant::now();
            let again = get(&pool, 100).await.unwrap();
            assert_eq!(start.elapsed(), Duration::ZERO);
            assert_eq!(again.id, 1);
        });
    }

    #[test]
    fn a_broken_connection_is_discarded_and_its_place_freed() {
        run(async {
            let pool = Pool::new(1, Duration::from_millis(10));
            let mut conn = get(&pool, 100).await.unwrap();
            conn.broken = true;
            drop(conn);
            assert_eq!(pool.idle(), 0, "a broken connection went back to the pool");
            let conn = get(&pool, 100).await.unwrap();
            assert_eq!(conn.id, 2);
            assert!(!conn.broken);
            assert_eq!(pool.opened(), 2);
        });
    }

    #[test]
    fn many_requests_share_max_size_connections() {
        run(async {
            let pool = Pool::new(3, Duration::from_millis(10));
            let mut tasks = Vec::new();
            for _ in 0..12 {
                let pool = Arc::clone(&pool);
                tasks.push(tokio::spawn(async move {
                    let conn = get(&pool, 10_000).await.unwrap();
                    sleep(Duration::from_millis(100)).await;
                    conn.id
                }));
            }
            let mut ids = Vec::new();
            for task in tasks {
                ids.push(task.await.unwrap());
            }
            assert!(ids.iter().all(|id| (1..=3).contains(id)), "{ids:?}");
            assert_eq!(pool.opened(), 3);
            assert_eq!(pool.idle(), 3);
        });
    }

    #[test]
    fn a_broken_connection_frees_its_place_once() {
        run(async {
            let pool = Pool::new(1, Duration::from_millis(5));
            let mut a = get(&pool, 10).await.unwrap();
            a.broken = true;
            drop(a);
            let b = get(&pool, 10).await.unwrap();
            assert_eq!(
                get(&pool, 10).await.err(),
                Some(PoolError::Timeout),
                "a second connection was borrowed from a pool of one"
            );
            assert_eq!(pool.opened(), 2);
            drop(b);
        });
    }

    #[test]
    fn wait_bounds_the_wait_for_a_place_not_the_handshake() {
        run(async {
            let pool = Pool::new(1, Duration::from_millis(50));
            let start = Instant::now();
            let conn = get(&pool, 10)
                .await
                .expect("the place was free at once: a slow handshake is not a pool timeout");
            assert_eq!(start.elapsed(), Duration::from_millis(50), "one connect");
            assert_eq!(conn.id, 1);
            assert_eq!(pool.opened(), 1);
        });
    }

    #[test]
    fn an_idle_connection_is_lent_only_with_a_place() {
        run(async {
            let pool = Pool::new(2, Duration::from_millis(5));
            let a = get(&pool, 10).await.unwrap();
            let b = get(&pool, 10).await.unwrap();
            drop(a);
            let c = get(&pool, 10).await.unwrap();
            assert_eq!(c.id, 1, "the idle connection is reused");
            assert_eq!(
                get(&pool, 10).await.err(),
                Some(PoolError::Timeout),
                "a third connection was borrowed at once from a pool of two"
            );
            assert_eq!(pool.opened(), 2);
            drop((b, c));
        });
    }

    /// A waker that notes how many connections were idle when it was woken.
    struct Witness {
        pool: Arc<Pool>,
        idle_when_woken: Mutex<Vec<usize>>,
    }

    impl std::task::Wake for Witness {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }
        fn wake_by_ref(self: &Arc<Self>) {
            let idle = self.pool.idle();
            self.idle_when_woken.lock().unwrap().push(idle);
        }
    }

    #[test]
    fn a_waiter_is_woken_only_once_the_connection_is_back() {
        // On a multi-threaded server the woken request runs on another thread at once: if its
        // place is freed before the connection is back in the idle list, it finds none and
        // opens an extra one. The waker below looks at the idle list the moment it is called.
        run(async {
            let pool = Pool::new(1, Duration::from_millis(5));
            let held = get(&pool, 10).await.unwrap();
            let witness = Arc::new(Witness {
                pool: Arc::clone(&pool),
                idle_when_woken: Mutex::new(Vec::new()),
            });
            let waker = std::task::Waker::from(Arc::clone(&witness));
            let mut waiting = Box::pin(pool.get(Duration::from_secs(10)));
            let polled = std::future::Future::poll(
                waiting.as_mut(),
                &mut std::task::Context::from_waker(&waker),
            );
            assert!(
                polled.is_pending(),
                "a pool of one lent a second connection"
            );
            drop(held);
            let seen = witness.idle_when_woken.lock().unwrap().clone();
            assert!(
                !seen.is_empty(),
                "giving the connection back woke no waiter"
            );
            assert!(
                seen.iter().all(|&idle| idle == 1),
                "the waiter was woken before the connection was back in the idle list: {seen:?}"
            );
            let conn = timeout(Duration::from_secs(60), waiting)
                .await
                .expect("the waiter never got the connection")
                .unwrap();
            assert_eq!(conn.id, 1);
            assert_eq!(pool.opened(), 1);
        });
    }
}
