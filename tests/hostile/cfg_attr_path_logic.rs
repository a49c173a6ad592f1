// Red team round 6 (W3): the test calls `double`, which hands over to the module file that no
// check read.
pub fn double(x: i32) -> i32 {
    crate::notes::done();
    x
}
