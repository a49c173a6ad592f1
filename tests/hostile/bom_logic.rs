// The test puts a UTF-8 byte-order mark before this line. In a folder exercise, a top-level
// macro call that names `test` made the expected count "unknown", which was accepted: here it
// generates a test that passes next to the course's, which must still run and fail.
macro_rules! generate {
    ($($item:item)*) => {
        $($item)*
    };
}

generate! {
    #[test]
    fn generated() {}
}

pub fn double(x: i32) -> i32 {
    println!("HOSTILE-RAN:bom");
    x
}
