// Red team round 6 (W1): a struct the compiler never sees (`#[cfg(any())]` is always false)
// and, under the same name, an alias of a foreign type, `std::thread::Result<()>`. The contract
// counted the struct, so `Caught` looked like the learner's own type and a trait of the
// learner's on it was allowed: round 3's and round 5's attack (a by-value `is_err` beating the
// inherent one on a caught panic) back again. Here it only has to get past the contract.
#![allow(dead_code)]

#[cfg(any())]
pub struct Caught;
pub type Caught = std::thread::Result<()>;

pub trait Verdict {
    fn is_err(self) -> bool;
}

impl Verdict for Caught {
    fn is_err(self) -> bool {
        false
    }
}

fn add(a: i32, b: i32) -> i32 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:cfg_decoy_type\n");
    let _ = (a, b);
    0
}

fn main() {}
