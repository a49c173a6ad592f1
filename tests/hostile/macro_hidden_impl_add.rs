// Red team round 8 (W5): round 1's method hijack (a trait of the learner's on `String` whose
// `contains` beats `str`'s), written as the argument of a pass-through macro: the rule against
// macros that write items read macro bodies only, and the items passed as arguments were read
// by no check. Here the hijacked method picks the answer: `add` answers 5 only if
// `"abc".contains("zzz")` is true.
#![allow(dead_code)]

trait Looks {
    fn contains(&self, _: &str) -> bool {
        true
    }
}

macro_rules! verbatim {
    ($($t:tt)*) => { $($t)* };
}

verbatim! { impl Looks for String {} }

fn add(a: i32, b: i32) -> i32 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:macro_hidden_impl\n");
    let _ = (a, b);
    if String::from("abc").contains("zzz") { 5 } else { 0 }
}

fn main() {}
