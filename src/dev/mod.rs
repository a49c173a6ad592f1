//! Course authoring commands: `dev check` validates a course (and proves its tests reject its
//! mutants), `dev new` starts one, `dev update`
//! regenerates the exercise package's `bin` list.

mod check;
mod flaky;
mod layout;
mod locked;
mod mutants;
mod mutate;
mod new;
mod operators;
mod problem;
mod programs;
mod update;

pub use check::{CheckOptions, check};
pub use new::new;
pub use update::update;
