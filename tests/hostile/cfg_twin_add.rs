// Red team round 6 (W2): the `add` the compiler builds has another signature, and a twin with
// the shipped one follows it under `#[cfg(any())]` (never compiled). The contract kept the last
// item of a name, so it read the twin and found the signature kept. In the course the real one
// returned a type equal to everything; here it only has to get past the contract (it prints
// the marker when the test calls it).
#![allow(dead_code)]

fn add(a: i32, b: i32) -> i64 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:cfg_twin\n");
    let _ = (a, b);
    0
}

#[cfg(any())]
fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn main() {}
