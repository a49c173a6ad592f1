// Red team round 9 (W3): a module file named `.rs` (no extension to `Path::extension`) was data
// to the contract, copied into the sandbox unread, but a fine module path to the compiler: its
// `pub struct u16;` reached the course's tests through `pub use deep::*;` and their
// `use super::*`, past every contract rule. The module file is `.rs` next to this one.
#[path = ".rs"]
mod deep;
pub use deep::*;

mod logic;
#[cfg(test)]
mod tests;

fn main() {
    println!("{}", logic::double(1));
}
