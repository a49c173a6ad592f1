// Red team round 5 (W4): names of the language spelled as raw identifiers. `r#u16` is `u16` to
// rustc, but it was "r#u16" to the name contract, so the round 0 impersonations came back:
// types whose `==` always says yes, an alias of `Result`, a renamed import in front of a derive.
#![allow(non_camel_case_types, dead_code)]

#[derive(Debug, Clone, Copy)]
pub struct r#u16;

impl<T: ?Sized> std::cmp::PartialEq<T> for r#u16 {
    fn eq(&self, _: &T) -> bool {
        true
    }
}

#[derive(Debug)]
pub struct r#str;

#[derive(Debug)]
pub struct r#Vec<T>(T);

pub type r#Result<T> = Option<T>;

use std::fmt::Debug as r#PartialEq;

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    0
}

fn main() {}
