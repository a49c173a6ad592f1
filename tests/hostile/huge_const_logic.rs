// An 8 GiB constant: the compiler tries to build it in memory (the test caps the grader's address
// space at 4 GiB so that a missing limit cannot exhaust a shared machine).
static HUGE: [u8; 1 << 33] = [1; 1 << 33];

pub fn double(x: i32) -> i32 {
    x + i32::from(HUGE[(x & 7) as usize]) - 1
}
