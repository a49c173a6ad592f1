// Compile-time reads of the grader's environment and files, printed by a failing test (its
// output lands in every report).
fn add(a: i32, b: i32) -> i32 {
    println!("ENV {}", env!("HOSTILE_GRADER_TOKEN"));
    println!("OPTION_ENV {:?}", option_env!("HOSTILE_GRADER_TOKEN"));
    println!("SOLUTION {}", include_str!("@COURSE@/solutions/basics/add.rs"));
    let _ = (a, b);
    0
}

fn main() {}
