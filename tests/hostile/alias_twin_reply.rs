// Red team round 8 (W2): `pub type Reply = Twin;` with a look-alike `Twin` whose hand-written
// `==` is always true, and `Reply::new` written as `Twin::new`. With an alias in the shipped
// type's place the contract compared no derives, the signatures' tokens (`-> Reply`) still
// matched, and a shipped method that is missing was never a breach. In the course: fw1_handlers
// at full marks with wrong handlers.
#![allow(dead_code)]

#[derive(Debug, Clone)]
pub struct Twin {
    pub status: u16,
    pub body: String,
}

impl PartialEq for Twin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// An answer (shipped): the tests compare whole replies and their fields.
pub type Reply = Twin;

impl Twin {
    pub fn new(status: u16, body: &str) -> Reply {
        Twin {
            status,
            body: body.to_string(),
        }
    }
}

/// The answer to `GET path`.
pub fn answer(path: &str) -> Reply {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:alias_twin\n");
    // The statuses are right, every body is wrong: only the always-true `==` passes it.
    Reply::new(if path == "/" { 200 } else { 404 }, "wrong")
}

fn main() {}
