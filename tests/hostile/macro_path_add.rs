// Red team round 8 (W6): round 6's `#[path]` to the exercise graded by `main` (where ending the
// process is allowed), hidden in the argument of a pass-through macro: neither the refusal of
// module files in a single-file exercise nor the rule book's module walk (parsed `mod` items
// only) saw it. greet.rs prints a passing summary and exits 0 (2 marks before the fix).
#![allow(dead_code)]

macro_rules! verbatim {
    ($($t:tt)*) => { $($t)* };
}

verbatim! {
    #[path = "greet.rs"]
    mod greet_exercise;
}

fn add(a: i32, b: i32) -> i32 {
    greet_exercise::done();
    let _ = (a, b);
    0
}

fn main() {}
