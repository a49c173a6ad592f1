// Learner items named like the language. The course's tests `use super::*`, which glob-imports
// every name this file binds, and a glob import beats the prelude and the primitive types: a
// shipped signature mentioning `u16`, `str`, `bool` or `Result` keeps its tokens while meaning
// the learner's type, whose `==` always says yes.
#![allow(non_camel_case_types, dead_code)]

#[derive(Debug, Clone, Copy)]
pub struct u16;

impl<T> PartialEq<T> for u16 {
    fn eq(&self, _: &T) -> bool {
        true
    }
}

pub type str = u16;

#[derive(Debug, Clone, Copy)]
pub enum bool {
    Always,
}

pub type Result<T, E> = std::result::Result<u16, (T, E)>;

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    0
}

fn main() {}
