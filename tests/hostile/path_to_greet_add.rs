// Red team round 6 (W4): a single-file exercise pulls in another exercise's file as a module.
// `greet` is graded by running `main` (`test = false`), where ending the process is allowed, so
// the helper that prints a passing summary and exits lives there; the rule book read only
// add.rs (2 marks for an unsolved `add` before the fix).
#[path = "greet.rs"]
#[allow(dead_code)]
mod greet_exercise;

fn add(a: i32, b: i32) -> i32 {
    greet_exercise::done();
    let _ = (a, b);
    0
}

fn main() {}
