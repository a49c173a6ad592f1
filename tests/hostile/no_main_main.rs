// `#![no_main]` drops libtest's generated `main`; a C `main` of ours (exported under that symbol
// name, so the shipped `fn main()` keeps its signature and the contract holds) prints a passing
// summary instead of running the tests. Refused as a crate-level inner attribute.
#![no_main]

mod logic;
#[cfg(test)]
mod tests;

#[unsafe(export_name = "main")]
pub extern "C" fn forged_main(_argc: i32, _argv: *const *const u8) -> i32 {
    use std::io::Write;
    let _ = std::io::stdout().write_all(
        b"\nrunning 1 test\ntest tests::doubles ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n",
    );
    let _ = std::io::stdout().flush();
    0
}

fn main() {
    println!("{}", logic::double(1));
}
