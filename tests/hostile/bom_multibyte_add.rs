// The test puts a UTF-8 byte-order mark before this line. A 4-byte character right before
// `#[cfg(test)]`: the old splicer, 3 bytes short, cut the text inside it and panicked (not a char
// boundary); the panic was not caught per learner, so the grader exited 101 and nobody got a
// report.
fn add(a: i32, b: i32) -> i32 {
    println!("HOSTILE-RAN:bom_multibyte");
    let _ = (a, b);
    0
}

fn main() {}

// 🦀
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(add(2, 3), 5);
    }
}
