// A constructor in `.init_array` runs before libtest's `main` and writes a passing libtest summary
// with the right test count. It calls nothing that ends the process (that rule would refuse it
// first): what stops it is `forbid_unsafe`, since `#[unsafe(link_section)]` is unsafe code.
use std::io::Write;

extern "C" fn forge() {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(
        b"\nrunning 1 test\ntest tests::adds ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
    );
    let _ = out.flush();
}

#[used]
#[unsafe(link_section = ".init_array")]
static FORGE: extern "C" fn() = forge;

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    0
}

fn main() {}
