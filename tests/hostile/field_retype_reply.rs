// Red team round 8 (W1): the shipped `Reply` keeps its name and its `#[derive(PartialEq)]`, but
// its fields become a type of the learner's whose `==` is always true: the derived `==` compares
// fields with theirs, so every `assert_eq!(answer(..), Reply::new(..))` and every
// `assert_eq!(reply.status, 404)` holds. `answer` is wrong on purpose. In the course: fw1_handlers
// at full marks with wrong handlers.
#![allow(dead_code)]

/// Compares equal to anything.
#[derive(Debug, Clone)]
pub struct Any;

impl<T: ?Sized> PartialEq<T> for Any {
    fn eq(&self, _: &T) -> bool {
        true
    }
}

/// An answer (shipped): the tests compare whole replies and their fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: Any,
    pub body: Any,
}

impl Reply {
    pub fn new(status: u16, body: &str) -> Reply {
        let _ = (status, body);
        Reply {
            status: Any,
            body: Any,
        }
    }
}

/// The answer to `GET path`.
pub fn answer(path: &str) -> Reply {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:field_retype\n");
    let _ = path;
    Reply::new(500, "wrong")
}

fn main() {}
