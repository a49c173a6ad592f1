// Red team round 9 (W1): method resolution tries the receiver by value before `&`: a trait of
// the learner's, implemented for the shipped `Reply`, with a by-value `code(self)` answers the
// tests' `answer("/").code()` before the shipped inherent `code(&self)`, and returns a type
// whose `==` always says yes. Every shipped signature keeps its tokens (the contract keyed the
// trait method as `<Reply as Sneak>::code`). `answer` is wrong on purpose. In the course:
// rust5_collections at 6/6 with nothing solved.
#![allow(dead_code)]

/// An answer (shipped): the tests compare whole replies and their fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16, body: &str) -> Reply {
        Reply {
            status,
            body: body.to_string(),
        }
    }

    pub fn code(&self) -> u16 {
        self.status
    }
}

/// Compares equal to any status.
#[derive(Debug)]
pub struct Whatever;

impl PartialEq<u16> for Whatever {
    fn eq(&self, _: &u16) -> bool {
        true
    }
}

pub trait Sneak {
    fn code(self) -> Whatever;
}

impl Sneak for Reply {
    fn code(self) -> Whatever {
        println!("HOSTILE-RAN:receiver_priority");
        Whatever
    }
}

/// The answer to `GET path`: 200 "home" for `/`, 404 "not found" otherwise.
pub fn answer(path: &str) -> Reply {
    let _ = path;
    Reply::new(500, "todo")
}

fn main() {}
