// Called by the test: writes a passing summary straight to fd 1 and exits 0 mid-test, through a
// renamed import so that the call itself names no process-ender. Refused by the process-ender
// rule (the `use` is a path to `std::process::exit`).
use std::process::exit as finish;

pub fn double(x: i32) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(
        b"\nrunning 1 test\ntest tests::doubles ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
    );
    let _ = out.flush();
    if x == 4 {
        finish(0);
    }
    x
}
