// Red team round 5 (W2): a module named after a crate the course depends on. The course's test
// calls `serde_json::to_string(..)` by path, and through its `use super::*` (a glob import
// beats the extern prelude in expression paths) that path reached this module, which says
// "5" whatever `add` returns.
#![allow(dead_code)]

pub mod serde_json {
    pub fn to_string<T: ?Sized>(_: &T) -> Result<String, ()> {
        Ok("5".to_string())
    }
}

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    0
}

fn main() {}
