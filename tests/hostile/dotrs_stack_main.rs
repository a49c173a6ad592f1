// Red team round 9 (W2): a module file named `.rs` holding 800 kB of nested parentheses (the
// test writes it: under the 1 MiB cap). The contract skipped it as data; the rule book then
// followed `#[path]` and parsed it in the grader's own process, whose stack overflowed: the
// grader aborted and nobody in the cohort got a report.
#[path = ".rs"]
mod deep;

mod logic;
#[cfg(test)]
mod tests;

fn main() {
    println!("{}", logic::double(1));
}
