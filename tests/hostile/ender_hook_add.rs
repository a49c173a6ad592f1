// The failing assertion panics; the hook prints a passing summary straight to fd 1 (libtest only
// captures `print!`) and exits 0 before libtest can report the failure. Refused by the
// process-ender rule (a path to `std::process::exit`) before anything is built.
fn add(a: i32, b: i32) -> i32 {
    std::panic::set_hook(Box::new(|_| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(
            b"\nrunning 1 test\ntest tests::adds ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
        );
        let _ = out.flush();
        std::process::exit(0);
    }));
    let _ = (a, b);
    0
}

fn main() {}
