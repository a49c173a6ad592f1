// Red team round 5 (W1): a trait of the learner's on a foreign type, `std::thread::Result`,
// made to look like an impl on the learner's own type by a decoy of the same last name buried
// in a function body. In the course it answered the tests' `.is_err()` on a caught panic (its
// by-value method beats the inherent `&self` one); here it only has to get past the contract.
#![allow(dead_code)]

pub trait Caught {
    fn is_err(self) -> bool;
}

impl Caught for std::thread::Result<()> {
    fn is_err(self) -> bool {
        false
    }
}

fn decoy() {
    struct Result;
}

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    0
}

fn main() {}
