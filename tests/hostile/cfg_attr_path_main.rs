// Red team round 6 (W3): `#[path]` inside `#[cfg_attr]` (its condition always true). The checks
// read only a plain `#[path]`, so neither the contract's refusal of non-`.rs` module files nor
// the rule book's module tree saw `notes.txt`, which was copied in as a data file; it prints a
// passing summary and ends the process (3 marks for an unsolved `double` before the fix).
#[cfg_attr(all(), path = "notes.txt")]
mod notes;
mod logic;
#[cfg(test)]
mod tests;

fn main() {
    println!("{}", logic::double(1));
}
