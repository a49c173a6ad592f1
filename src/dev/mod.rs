//! Course authoring commands: `dev check` validates a course, `dev new` starts one, `dev update`
//! regenerates the exercise package's `bin` list.

mod check;
mod layout;
mod locked;
mod new;
mod problem;
mod programs;
mod update;

pub use check::check;
pub use new::new;
pub use update::update;
