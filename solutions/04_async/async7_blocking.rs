// Scenario: the login endpoint checks a password against its stored hash. Password hashes are
// slow on purpose (argon2 or bcrypt: about 100 ms of CPU per check), which is fine in a thread per
// request, and a disaster in an async handler. An async runtime runs many requests on a few
// threads by switching between them at each `.await`; code that computes for 100 ms without an
// `.await` (or sleeps with `std::thread::sleep`, or reads a file with `std::fs`) holds its thread
// the whole time, and every other request on that thread, health checks included, waits. In
// FastAPI the same mistake is calling `bcrypt.checkpw` inside an `async def` route; the fixes are a
// plain `def` route (FastAPI runs it in a thread pool) or `await asyncio.to_thread(...)`.
//
// tokio's fix is `tokio::task::spawn_blocking(closure)`: the closure runs on a pool of threads
// meant for blocking work, and the handler awaits its `JoinHandle` (which yields the thread to
// other tasks meanwhile). The closure must own what it uses (`move`, clone the `Arc`). A panic in
// it comes back as a `JoinError`, as with `tokio::spawn`. (`tokio::spawn` would not help: the
// task still runs on the runtime's threads.)
//
// The tests run on a single-threaded runtime, so blocking it is visible: a "heartbeat" task must
// keep beating while a password is hashed.
//
// Done means: the right password gives 200, a wrong one or an unknown user 401; the hash runs off
// the runtime's threads, so other tasks keep running and two logins hash at the same time; a hasher
// that panics gives 500, not a crashed server.
//
// Tokio tutorial: https://tokio.rs/tokio/tutorial/bridging (and the `spawn_blocking` docs)

use std::collections::HashMap;
use std::sync::Arc;

/// The slow password hash (argon2 in production).
pub type Hasher = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// `POST /login`: 200, 401, or 500 when the hasher failed.
pub async fn login(
    users: &HashMap<String, String>,
    hasher: &Hasher,
    name: &str,
    password: &str,
) -> u16 {
    let Some(stored) = users.get(name) else {
        return 401;
    };
    let hasher = Arc::clone(hasher);
    let password = password.to_string();
    match tokio::task::spawn_blocking(move || hasher(&password)).await {
        Ok(hash) if hash == *stored => 200,
        Ok(_) => 401,
        Err(_panicked) => 500,
    }
}

fn main() {
    let hasher: Hasher = Arc::new(|password: &str| format!("h({password})"));
    let users = HashMap::from([("ada".to_string(), "h(lovelace)".to_string())]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let status = runtime.block_on(login(&users, &hasher, "ada", "lovelace"));
    println!("POST /login -> {status}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::mpsc;
    use std::time::Duration;

    /// A single-threaded runtime, as `#[tokio::test]` sets up: one thread runs every task.
    fn run<F: std::future::Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    /// A real hash takes 100 ms; this one takes as long as the test needs. Bounded waits only:
    /// a wrong solution fails after `PATIENCE`, a right one never waits that long.
    const PATIENCE: Duration = Duration::from_secs(2);

    fn users() -> HashMap<String, String> {
        HashMap::from([
            ("ada".to_string(), "h(lovelace)".to_string()),
            ("grace".to_string(), "h(hopper)".to_string()),
        ])
    }

    fn plain_hasher() -> Hasher {
        Arc::new(|password: &str| format!("h({password})"))
    }

    #[test]
    fn the_right_password_and_only_it_logs_in() {
        let hasher = plain_hasher();
        let users = users();
        assert_eq!(run(login(&users, &hasher, "ada", "lovelace")), 200);
        assert_eq!(run(login(&users, &hasher, "ada", "hopper")), 401);
        assert_eq!(run(login(&users, &hasher, "grace", "hopper")), 200);
        assert_eq!(run(login(&users, &hasher, "linus", "lovelace")), 401);
    }

    #[test]
    fn other_tasks_keep_running_while_a_password_is_hashed() {
        let (beats, heard) = mpsc::channel::<u32>();
        let heard = Mutex::new(heard);
        // The hash finishes only once the heartbeat task has beaten three times.
        let hasher: Hasher =
            Arc::new(
                move |password: &str| match heard.lock().unwrap().recv_timeout(PATIENCE) {
                    Ok(3) => format!("h({password})"),
                    _ => "the runtime was blocked: no heartbeat while hashing".to_string(),
                },
            );
        let users = users();
        let status = run(async {
            tokio::spawn(async move {
                for beat in 1..=3 {
                    if beat == 3 {
                        let _ = beats.send(beat);
                    }
                    tokio::task::yield_now().await;
                }
            });
            login(&users, &hasher, "ada", "lovelace").await
        });
        assert_eq!(status, 200, "the hash blocked the runtime's only thread");
    }

    #[test]
    fn two_logins_hash_at_the_same_time() {
        // Each hash waits for the other one to have started.
        let (ada_started, ada_seen) = mpsc::channel::<()>();
        let (grace_started, grace_seen) = mpsc::channel::<()>();
        let ends = Mutex::new(HashMap::from([
            ("lovelace".to_string(), (ada_started, grace_seen)),
            ("hopper".to_string(), (grace_started, ada_seen)),
        ]));
        let hasher: Hasher = Arc::new(move |password: &str| {
            let (mine, theirs) = ends
                .lock()
                .unwrap()
                .remove(password)
                .expect("one hash each");
            let _ = mine.send(());
            match theirs.recv_timeout(PATIENCE) {
                Ok(()) => format!("h({password})"),
                Err(_) => "hashed alone".to_string(),
            }
        });
        let users = users();
        let statuses = run(async {
            tokio::join!(
                login(&users, &hasher, "ada", "lovelace"),
                login(&users, &hasher, "grace", "hopper"),
            )
        });
        assert_eq!(
            statuses,
            (200, 200),
            "the two hashes ran one after the other"
        );
    }

    #[test]
    fn a_hasher_that_panics_is_a_500() {
        let hasher: Hasher = Arc::new(|_: &str| panic!("argon2: out of memory"));
        let users = users();
        assert_eq!(run(login(&users, &hasher, "ada", "lovelace")), 500);
        assert_eq!(
            run(login(&users, &plain_hasher(), "ada", "lovelace")),
            200,
            "the server still serves"
        );
    }

    #[test]
    fn the_password_is_hashed_exactly_as_typed() {
        let hasher = plain_hasher();
        let users = users();
        for password in ["lovelace ", " lovelace", "lovelace\n", "Lovelace"] {
            assert_eq!(
                run(login(&users, &hasher, "ada", password)),
                401,
                "password {password:?}"
            );
        }
    }
}
