// Scenario: the checkout page asks the pricing service for a quote. The pricing service is
// sometimes slow; past a deadline the page must answer `504 Gateway Timeout` rather than hang.
// And when the shopper closes the tab, there is nobody left to answer: the handler stops
// (`499`, nginx's "client closed request") and the call to the pricing service is cancelled,
// not left running for nothing. In FastAPI: `await asyncio.wait_for(get_quote(sku), timeout=0.5)`,
// and `await request.is_disconnected()` to notice the client went away.
//
// In Rust, cancelling a future is dropping it: a future that is not polled any more never runs
// another line, and its destructors run (guards are released, connections returned). So:
// - `tokio::time::timeout(deadline, future)` gives `Ok(output)`, or `Err(Elapsed)` after the
//   deadline, having dropped the future;
// - `tokio::select! { a = fut_a => ..., b = fut_b => ... }` waits for the first of several
//   futures and drops the others. A branch whose pattern does not match the output (`Ok(()) =
//   rx`) is disabled and `select!` keeps waiting on the others.
// A spawned task is not cancelled by dropping its handle: it runs to its end.
//
// Done means: the quote comes back when it is in time, and a quote that comes back exactly at
// the deadline is in time (the price, not 504); past the deadline the answer is 504 at the
// deadline; a client that goes away (it says so, or its connection's end of the channel is
// dropped) gets 499 at once; in both cases no call to the pricing service is left running.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial/select

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::oneshot;

/// Counts a call while it runs; dropping the call (cancelling it) drops the guard.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn new(counter: &Arc<AtomicUsize>) -> InFlight {
        counter.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(counter))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The pricing service's client.
#[derive(Clone)]
pub struct Pricing {
    pub latency: Duration,
    /// Calls running now.
    pub in_flight: Arc<AtomicUsize>,
    /// Calls that ran to the end.
    pub completed: Arc<AtomicUsize>,
}

impl Pricing {
    pub async fn quote(&self, sku: &str) -> u64 {
        let _call = InFlight::new(&self.in_flight);
        tokio::time::sleep(self.latency).await;
        self.completed.fetch_add(1, Ordering::SeqCst);
        100 * sku.len() as u64
    }
}

#[derive(Debug, PartialEq)]
pub enum Reply {
    /// 200 with the price in cents.
    Price(u64),
    /// 504: the pricing service did not answer in time.
    GatewayTimeout,
    /// 499: the client went away first.
    ClientGone,
}

/// `GET /quote/{sku}`. `disconnected` completes when the client goes away: its connection
/// sends `()`, or drops its sender when the connection ends.
pub async fn quote_handler(
    pricing: &Pricing,
    sku: &str,
    deadline: Duration,
    disconnected: oneshot::Receiver<()>,
) -> Reply {
    tokio::select! {
        quoted = tokio::time::timeout(deadline, pricing.quote(sku)) => match quoted {
            Ok(price) => Reply::Price(price),
            Err(_elapsed) => Reply::GatewayTimeout,
        },
        _gone = disconnected => Reply::ClientGone,
    }
}

fn main() {
    let pricing = Pricing {
        latency: Duration::from_millis(20),
        in_flight: Arc::default(),
        completed: Arc::default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let (_client, disconnected) = oneshot::channel();
    let reply = runtime.block_on(quote_handler(
        &pricing,
        "mug",
        Duration::from_millis(500),
        disconnected,
    ));
    println!("{reply:?}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::{Instant, sleep};

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

    fn pricing(latency_ms: u64) -> Pricing {
        Pricing {
            latency: Duration::from_millis(latency_ms),
            in_flight: Arc::default(),
            completed: Arc::default(),
        }
    }

    /// Runs the handler; returns its reply, when it came, and how many calls were still
    /// running right then.
    async fn timed(
        pricing: &Pricing,
        deadline_ms: u64,
        disconnected: oneshot::Receiver<()>,
    ) -> (Reply, Duration, usize) {
        let start = Instant::now();
        let reply = quote_handler(
            pricing,
            "kettle",
            Duration::from_millis(deadline_ms),
            disconnected,
        )
        .await;
        let running = pricing.in_flight.load(Ordering::SeqCst);
        (reply, start.elapsed(), running)
    }

    #[test]
    fn a_quote_in_time_is_the_answer() {
        let pricing = pricing(120);
        let (_client, disconnected) = oneshot::channel();
        let (reply, elapsed, running) = run(timed(&pricing, 500, disconnected));
        assert_eq!(reply, Reply::Price(600));
        assert_eq!(elapsed, Duration::from_millis(120));
        assert_eq!(running, 0);
        assert_eq!(pricing.completed.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn past_the_deadline_the_answer_is_504_and_the_call_is_cancelled() {
        let pricing = pricing(800);
        let (_client, disconnected) = oneshot::channel();
        let (reply, elapsed, running) = run(async {
            let outcome = timed(&pricing, 500, disconnected).await;
            sleep(Duration::from_secs(10)).await;
            outcome
        });
        assert_eq!(reply, Reply::GatewayTimeout);
        assert_eq!(elapsed, Duration::from_millis(500));
        assert_eq!(running, 0, "the call was still running after the 504");
        assert_eq!(
            pricing.completed.load(Ordering::SeqCst),
            0,
            "the call ran to its end after the 504"
        );
    }

    #[test]
    fn a_quote_exactly_at_the_deadline_is_in_time() {
        let pricing = pricing(500);
        let (_client, disconnected) = oneshot::channel();
        let (reply, elapsed, running) = run(timed(&pricing, 500, disconnected));
        assert_eq!(
            reply,
            Reply::Price(600),
            "a quote that came exactly at the deadline was answered 504: only past it is too late"
        );
        assert_eq!(elapsed, Duration::from_millis(500));
        assert_eq!(running, 0);
        assert_eq!(pricing.completed.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_client_that_leaves_gets_499_at_once_and_the_call_is_cancelled() {
        let pricing = pricing(800);
        let (client, disconnected) = oneshot::channel();
        let (reply, elapsed, running) = run(async {
            tokio::spawn(async move {
                sleep(Duration::from_millis(200)).await;
                let _ = client.send(());
            });
            let outcome = timed(&pricing, 500, disconnected).await;
            sleep(Duration::from_secs(10)).await;
            outcome
        });
        assert_eq!(reply, Reply::ClientGone);
        assert_eq!(elapsed, Duration::from_millis(200));
        assert_eq!(running, 0);
        assert_eq!(pricing.completed.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_dropped_connection_is_a_client_gone_too() {
        let pricing = pricing(800);
        let (client, disconnected) = oneshot::channel::<()>();
        let (reply, elapsed, running) = run(async {
            tokio::spawn(async move {
                sleep(Duration::from_millis(300)).await;
                drop(client);
            });
            timed(&pricing, 500, disconnected).await
        });
        assert_eq!(reply, Reply::ClientGone);
        assert_eq!(elapsed, Duration::from_millis(300));
        assert_eq!(running, 0);
    }

    #[test]
    fn a_client_that_leaves_after_the_answer_changes_nothing() {
        let pricing = pricing(100);
        let (client, disconnected) = oneshot::channel();
        let (reply, elapsed, _) = run(async {
            tokio::spawn(async move {
                sleep(Duration::from_millis(400)).await;
                let _ = client.send(());
            });
            timed(&pricing, 500, disconnected).await
        });
        assert_eq!(reply, Reply::Price(600));
        assert_eq!(elapsed, Duration::from_millis(100));
    }
}
