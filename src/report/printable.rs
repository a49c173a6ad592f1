//! Text safe to put in a report. This file is also compiled into the classroom server
//! (`classroom/src/page.rs` includes it by path), so it stays self-contained: no `crate::` paths.

/// Text safe for XML 1.0 and spreadsheets: characters XML 1.0 forbids (control characters other
/// than tab, newline and carriage return, and the non-characters U+FFFE and U+FFFF) and the C1
/// controls become U+FFFD. A learner program may print anything, and one such character would
/// make a whole JUnit file ill-formed. (Lone surrogates, also forbidden, cannot occur in a Rust
/// string.)
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let forbidden = (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c, '\u{FFFE}' | '\u{FFFF}');
            if forbidden { '\u{FFFD}' } else { c }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_replaces_what_xml_forbids() {
        assert_eq!(
            printable("a\u{0}b\u{1b}[31m\u{7f}\u{85}\u{FFFE}\u{FFFF}\t\n\r\u{FFFD}é\u{10FFFF}"),
            "a\u{FFFD}b\u{FFFD}[31m\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\t\n\r\u{FFFD}é\u{10FFFF}"
        );
    }
}
