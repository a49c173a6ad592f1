//! Reporters: they consume the course, progress and verdicts (or a cohort's grades) and render
//! them. Nothing here runs anything.

pub mod cohort;
pub mod csv;
pub mod gradescope;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
pub mod terminal;

/// Text safe for XML 1.0 and spreadsheets: control characters other than tab, newline and
/// carriage return (a learner program may print anything) become U+FFFD.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
