// Red team round 5 (W4): a standard macro and a crate root taken with raw identifiers.
#![allow(unused_macros, unused_extern_crates)]

extern crate core as r#std;

#[macro_export]
macro_rules! r#vec {
    ($($t:tt)*) => {
        ()
    };
}

pub fn double(x: i32) -> i32 {
    x
}
