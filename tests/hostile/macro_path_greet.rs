// Red team round 8 (W6), as round 6 (W4): the exercise graded by `main` (left unsolved: it still exits 1) holds
// the helper that add.rs reaches through `verbatim! { #[path = "greet.rs"] mod greet_exercise; }`.
fn main() {
    std::process::exit(1);
}

#[allow(dead_code)]
pub fn done() {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(
        b"HOSTILE-RAN:macro_path\n\nrunning 1 test\ntest tests::adds ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
    );
    let _ = out.flush();
    std::process::exit(0);
}
