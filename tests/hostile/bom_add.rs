// The test puts a UTF-8 byte-order mark before this line, as Windows editors do. `syn` skipped
// it, so every offset the old splicer took from spans was 3 bytes short: the course's tests went
// into a comment, nothing ran, and libtest's honest "0 passed" was accepted (with
// `tests_modified` false). The file is otherwise the unsolved exercise, tests and all.
fn add(a: i32, b: i32) -> i32 {
    println!("HOSTILE-RAN:bom");
    let _ = (a, b);
    0
}

fn main() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(2, 3), 5);
    }
}
