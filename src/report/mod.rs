//! Reporters: they consume the course, progress and verdicts and render them. Nothing here
//! runs anything.

pub mod json;
pub mod terminal;
