// Red team round 7 (W1): a generic type alias whose parameter is named after a struct of the
// learner's. To rustc, `Id<X>` is `X` (the alias's own parameter `T` shadows the struct), so
// `Id<std::thread::Result<()>>` is std's type; the contract followed the alias to its target `T`,
// found `struct T` and took the impl for one on the learner's own type. In the course it
// answered the tests' `.is_err()` on a caught panic (by value, it beats the inherent `&self`
// one): round 3's, 5's and 6's attack back. Three shapes: at the top, in a module, and with the
// parameter's default standing for the type. Here it only has to get past the contract.
#![allow(dead_code)]

pub struct T;
pub type Id<T> = T;

pub trait Verdict {
    fn is_err(self) -> bool;
}

impl Verdict for Id<std::thread::Result<()>> {
    fn is_err(self) -> bool {
        false
    }
}

pub mod m {
    pub struct U;
    pub type Same<U> = U;
}

pub trait Checked {
    fn is_ok(self) -> bool;
}

impl Checked for m::Same<std::thread::Result<u8>> {
    fn is_ok(self) -> bool {
        true
    }
}

pub struct Outcome;
pub type Caught<Outcome = std::thread::Result<i8>> = Outcome;

pub trait Answer {
    fn unwrap_err(self) -> bool;
}

impl Answer for Caught {
    fn unwrap_err(self) -> bool {
        false
    }
}

fn add(a: i32, b: i32) -> i32 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:generic_alias\n");
    let _ = (a, b);
    0
}

fn main() {}
