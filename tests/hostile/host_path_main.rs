// Red team round 9 (W4): the rule book, in the grader's process (outside every sandbox),
// followed an absolute `#[path]` to any host `.rs` file: it read and parsed
// `@WORK@/outside.rs` (not part of any learner tree) and quoted it in the report. A relative
// path out of the exercise's folder is the same escape.
#[path = "@WORK@/outside.rs"]
mod outside;
#[path = "../../../../outside.rs"]
mod up;

mod logic;
#[cfg(test)]
mod tests;

fn main() {
    println!("{}", logic::double(1));
}
