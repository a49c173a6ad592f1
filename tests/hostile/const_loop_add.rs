// Endless constant evaluation: the compiler never finishes (the lint that would stop it after a
// while is allowed on the item).
#[allow(long_running_const_eval)]
const SPIN: u64 = {
    let mut i: u64 = 0;
    while i < u64::MAX {
        i += 1;
    }
    i
};

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b, SPIN);
    0
}

fn main() {}
