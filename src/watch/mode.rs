//! Which screen watch mode shows, with what that screen keeps while it is shown.

use super::list::ListView;

/// What fills the screen.
#[derive(Debug)]
pub enum Mode {
    /// The course's welcome message, shown once per learner.
    Welcome,
    /// The current exercise with its latest verdict.
    Exercise,
    /// "Reset this exercise?" waiting for y/n; returns to the list it came from, if any.
    ConfirmReset {
        index: usize,
        list: Option<ListView>,
    },
    List(ListView),
    /// Every exercise passed the final verification.
    Finished,
}
