// A second libtest summary written straight to fd 1, with no process-ending call. The test's one
// input is answered (no solution: `double(1)` is still wrong) so that the run exits 0 and only
// the summary rule is left to judge it: libtest prints exactly one summary, so a run that shows
// two is no pass, whatever they say.
pub fn double(x: i32) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(b"HOSTILE-RAN:forged_summary\n");
    let _ = out.write_all(
        b"\nrunning 1 test\ntest tests::doubles ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
    );
    let _ = out.flush();
    if x == 4 { 8 } else { x }
}
