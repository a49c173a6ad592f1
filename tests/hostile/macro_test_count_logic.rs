// A top-level macro invocation that names `test` generates one more test, which passes, and the
// course's one input is answered (no solution: `double(1)` is still wrong). A count read from
// this file is "unknown" (a macro may generate tests), and libtest says "2 passed": only a count
// that comes from the course (1) refuses the run.
macro_rules! generate {
    ($($item:item)*) => {
        $($item)*
    };
}

generate! {
    #[test]
    fn generated() {
        use std::io::Write;
        let _ = std::io::stdout().write_all(b"HOSTILE-RAN:macro_test_count\n");
    }
}

pub fn double(x: i32) -> i32 {
    if x == 4 { 8 } else { x }
}
