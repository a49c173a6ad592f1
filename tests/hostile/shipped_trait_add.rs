// Red team round 7 (W2): the name of a trait the course ships let a trait of the learner's onto
// foreign types. The contract exempted any trait whose bare name the course's file defines,
// without comparing definitions: the shipped `Summed` given an extra method (`contains`) and
// implemented for `String`, and a trait of the learner's own, in a module, under the shipped
// name, implemented for `str` and brought into scope by `use .. as _`. In the course the extra
// method answered the tests' `.contains("/reset?token=")` on a `String` (a trait method on
// `String` beats `str`'s inherent one reached through `Deref`). Here it only has to get past
// the contract.
#![allow(dead_code)]

/// What the tests sum with (shipped).
pub trait Summed {
    fn total(&self) -> i32;
    fn contains(&self, _: &str) -> bool {
        true
    }
}

impl Summed for String {
    fn total(&self) -> i32 {
        0
    }
}

pub mod hide {
    pub trait Summed {
        fn starts_with(&self, _: &str) -> bool;
    }
    impl Summed for str {
        fn starts_with(&self, _: &str) -> bool {
            true
        }
    }
}
pub use hide::Summed as _;

fn add(a: i32, b: i32) -> i32 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:shipped_trait\n");
    let _ = (a, b);
    0
}

fn main() {}
