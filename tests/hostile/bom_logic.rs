// The test puts a UTF-8 byte-order mark before this line, in a module file of a folder exercise.
// (Until red team round 8 a macro call here also generated a test next to the course's; items
// passed to a macro are refused since, see `macro_test_count`.)
pub fn double(x: i32) -> i32 {
    println!("HOSTILE-RAN:bom");
    x
}
