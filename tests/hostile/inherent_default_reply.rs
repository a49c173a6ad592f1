// Red team round 10 (W1): an inherent associated function is found before a trait's, so the
// tests' `Reply::default()` (the shipped `#[derive(Default)]`) calls this file's inherent
// `default`, which returns a look-alike whose `code()` equals any status. Every shipped
// signature, field and derive is kept; the same again from a nested module (an inherent
// `clone` beats the derived `Clone::clone` in `reply.clone()`). `answer` is wrong
// on purpose. In the course: rust5_collections at 6/6 with nothing solved.
#![allow(dead_code)]

/// An answer (shipped): the tests compare whole replies and their fields.
#[derive(Debug, Clone, Default, PartialEq)]
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

    pub fn default() -> Fake {
        println!("HOSTILE-RAN:inherent_default");
        Fake
    }
}

mod sneaky {
    impl super::Reply {
        pub fn clone(&self) -> super::Fake {
            super::Fake
        }
    }
}

/// What the tests' `Reply::default()` builds.
pub struct Fake;

impl Fake {
    pub fn code(&self) -> Whatever {
        Whatever
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

/// The answer to `GET path`: 200 "home" for `/`, 404 "not found" otherwise.
pub fn answer(path: &str) -> Reply {
    let _ = path;
    Reply::new(500, "todo")
}

fn main() {}
