// The failing assertion panics; the hook writes a passing libtest summary straight to fd 1
// (libtest only captures `print!`). No process-ending call (those are refused): libtest still
// reports the failure and exits 101, so the exit code and the named failing test decide.
fn add(a: i32, b: i32) -> i32 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(b"HOSTILE-RAN:forged_summary\n");
    std::panic::set_hook(Box::new(|_| {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(
            b"\nrunning 1 test\ntest tests::adds ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
        );
        let _ = out.flush();
    }));
    let _ = (a, b);
    0
}

fn main() {}
