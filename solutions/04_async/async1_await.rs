// Scenario: the profile page of a shop calls two upstream services, the user service and the order
// service, and records the view for analytics. In FastAPI you would write
//
//     @app.get("/profile/{user_id}")
//     async def profile(user_id: int):
//         user, orders = await asyncio.gather(get_user(user_id), get_orders(user_id))
//         await record_view(user_id)
//
// Rust's `async fn` is the same idea with one difference that bites everyone once: calling an
// async function does nothing. It returns a *future*, a value describing the work; the work
// happens only when the future is `.await`ed (Python warns "coroutine was never awaited"; Rust
// warns "unused implementer of `Future` that must be used"). Two futures awaited one after the
// other run one after the other; `tokio::join!` (asyncio.gather) polls both at once, and
// `tokio::try_join!` also stops at the first error, dropping the other future (which cancels it).
//
// Done means: the two upstream calls overlap (the page takes as long as the slower one, not their
// sum), a failing call answers at once without waiting for the other one, and the view is recorded
// exactly once, only for a page that loaded.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial/async (and "Spawning", "Select" later on).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: u64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: u64,
    pub total_cents: u64,
}

#[derive(Debug, PartialEq)]
pub struct Profile {
    pub user: User,
    pub orders: Vec<Order>,
}

#[derive(Debug, PartialEq)]
pub enum PageError {
    /// The user service does not know the user: 404.
    NotFound,
    /// An upstream service failed: 502.
    Upstream(&'static str),
}

/// The two upstream services and the analytics sink, with their latencies (simulated with
/// tokio's timer, so the tests can run on paused time).
pub struct Upstreams {
    pub users: HashMap<u64, User>,
    pub orders: HashMap<u64, Vec<Order>>,
    pub user_latency: Duration,
    pub orders_latency: Duration,
    /// The order service is down.
    pub orders_down: bool,
    pub views: Mutex<Vec<u64>>,
}

impl Upstreams {
    pub async fn user(&self, id: u64) -> Result<User, PageError> {
        tokio::time::sleep(self.user_latency).await;
        self.users.get(&id).cloned().ok_or(PageError::NotFound)
    }

    pub async fn orders(&self, id: u64) -> Result<Vec<Order>, PageError> {
        tokio::time::sleep(self.orders_latency).await;
        if self.orders_down {
            return Err(PageError::Upstream("orders"));
        }
        Ok(self.orders.get(&id).cloned().unwrap_or_default())
    }

    pub async fn record_view(&self, id: u64) {
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.views.lock().unwrap().push(id);
    }
}

/// The profile page's handler.
pub async fn load_profile(api: &Upstreams, id: u64) -> Result<Profile, PageError> {
    let (user, orders) = tokio::try_join!(api.user(id), api.orders(id))?;
    api.record_view(id).await;
    Ok(Profile { user, orders })
}

fn main() {
    let api = Upstreams {
        users: HashMap::from([(
            1,
            User {
                id: 1,
                name: "Ada".into(),
            },
        )]),
        orders: HashMap::new(),
        user_latency: Duration::from_millis(30),
        orders_latency: Duration::from_millis(20),
        orders_down: false,
        views: Mutex::new(Vec::new()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    println!("{:?}", runtime.block_on(load_profile(&api, 1)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    /// What `#[tokio::test(start_paused = true)]` does: a single-threaded runtime whose clock
    /// only moves when every task waits on a timer, and then jumps straight to the next one.
    /// Sleeps take no real time, and elapsed times are exact.
    fn run<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    fn api(user_ms: u64, orders_ms: u64) -> Upstreams {
        Upstreams {
            users: HashMap::from([(
                7,
                User {
                    id: 7,
                    name: "Grace".into(),
                },
            )]),
            orders: HashMap::from([(
                7,
                vec![
                    Order {
                        id: 70,
                        total_cents: 1299,
                    },
                    Order {
                        id: 71,
                        total_cents: 450,
                    },
                ],
            )]),
            user_latency: Duration::from_millis(user_ms),
            orders_latency: Duration::from_millis(orders_ms),
            orders_down: false,
            views: Mutex::new(Vec::new()),
        }
    }

    #[test]
    fn the_page_has_the_user_and_their_orders() {
        let api = api(30, 20);
        let profile = run(load_profile(&api, 7)).unwrap();
        assert_eq!(profile.user.name, "Grace");
        assert_eq!(
            profile.orders.iter().map(|o| o.id).collect::<Vec<_>>(),
            [70, 71]
        );
    }

    #[test]
    fn the_two_calls_overlap() {
        let api = api(300, 200);
        let elapsed = run(async {
            let start = Instant::now();
            load_profile(&api, 7).await.unwrap();
            start.elapsed()
        });
        // 300 ms for the slower call, then 5 ms to record the view: not 300 + 200 + 5.
        assert_eq!(elapsed, Duration::from_millis(305));
    }

    #[test]
    fn a_missing_user_answers_without_waiting_for_the_orders() {
        let api = api(100, 1_000);
        let (result, elapsed) = run(async {
            let start = Instant::now();
            let result = load_profile(&api, 8).await;
            (result, start.elapsed())
        });
        assert_eq!(result, Err(PageError::NotFound));
        assert_eq!(
            elapsed,
            Duration::from_millis(100),
            "the 404 waited for the order service"
        );
    }

    #[test]
    fn a_failing_order_service_is_a_bad_gateway() {
        let mut api = api(1_000, 50);
        api.orders_down = true;
        let (result, elapsed) = run(async {
            let start = Instant::now();
            let result = load_profile(&api, 7).await;
            (result, start.elapsed())
        });
        assert_eq!(result, Err(PageError::Upstream("orders")));
        assert_eq!(
            elapsed,
            Duration::from_millis(50),
            "the 502 waited for the user service"
        );
    }

    #[test]
    fn the_view_is_recorded_once_for_a_page_that_loaded() {
        let api = api(10, 10);
        run(load_profile(&api, 7)).unwrap();
        assert_eq!(*api.views.lock().unwrap(), [7]);
    }

    #[test]
    fn no_view_is_recorded_for_a_page_that_failed() {
        let api = api(10, 10);
        assert_eq!(run(load_profile(&api, 8)), Err(PageError::NotFound));
        let mut down = self::api(10, 10);
        down.orders_down = true;
        assert!(run(load_profile(&down, 7)).is_err());
        assert!(api.views.lock().unwrap().is_empty());
        assert!(down.views.lock().unwrap().is_empty());
    }
}
