//! Coloured text as a terminal shows it: the columns a line takes, and lines cut or wrapped to
//! a width without breaking their escape sequences (colours, OSC-8 links, charset switches).
//! Every screen of watch mode goes through here, so every view fits the same way.
//!
//! The escape sequences are recognised by `anstyle-parse` (the VT500 parser state machine, the
//! one terminals use), the columns a character takes by `unicode-width`. Wrapping is ours:
//! `textwrap` wraps at spaces, measures escape sequences other than CSI (OSC-8 links,
//! `ESC ( B`) as text and does not carry colours across lines, while compiler output must be
//! cut at the exact column and keep its colours on every row.

use anstyle_parse::{Params, Parser, Perform};
use console::style;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A tab moves to the next multiple of this many columns.
const TAB_STOP: usize = 4;

/// `keys` as the key legend line at the bottom of a screen: `k what · k what`.
pub fn keys_text(keys: &[(&str, &str)]) -> String {
    keys.iter()
        .map(|(k, what)| format!("{} {what}", style(k).bold()))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Columns `line` takes; escape sequences (including OSC-8 links) take none.
pub fn width(line: &str) -> usize {
    if !line.contains('\x1b') {
        return line.width();
    }
    let shown: String = pieces(line)
        .filter_map(|(_, piece)| match piece {
            Piece::Char(c) => Some(c),
            // Measured by unicode-width's rules, like the text around them.
            Piece::Control(byte) => Some(char::from(byte)),
            Piece::Sgr { .. } | Piece::Escape => None,
        })
        .collect();
    shown.width()
}

/// Cuts a (possibly coloured) line to `width` columns.
pub fn fit(line: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    if self::width(line) <= width {
        return line.to_string();
    }
    // The last column says that the line goes on.
    let mut cut = wrap_line(line, width - 1)
        .into_iter()
        .next()
        .unwrap_or_default();
    cut.push('…');
    cut
}

/// Wraps text into lines of at most `width` columns, keeping colours across the breaks.
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    if width == 0 {
        return Vec::new();
    }
    text.lines().flat_map(|l| wrap_line(l, width)).collect()
}

/// Hard-wraps one line. Escape sequences take no room; the colour codes in force are repeated
/// at the start of each continuation row, since every row is drawn with fresh colours.
fn wrap_line(line: &str, width: usize) -> Vec<String> {
    let mut rows = Rows {
        width,
        ..Rows::default()
    };
    for (text, piece) in pieces(line) {
        match piece {
            Piece::Char(c) => {
                rows.escape(before_last_char(text));
                // Other control characters (DEL, C1 codes) would move the cursor or do nothing.
                if !c.is_control() {
                    rows.push(c, c.width().unwrap_or(0));
                }
            }
            Piece::Control(byte) => {
                rows.escape(before_last_char(text));
                if byte == b'\t' {
                    for _ in 0..TAB_STOP - rows.used % TAB_STOP {
                        rows.push(' ', 1);
                    }
                }
            }
            Piece::Sgr { reset } => {
                rows.escape(text);
                if reset {
                    rows.colours.clear();
                } else if let Some(start) = text.rfind('\x1b') {
                    rows.colours.push_str(&text[start..]);
                }
            }
            Piece::Escape => rows.escape(text),
        }
    }
    rows.done.push(rows.row);
    rows.done
}

/// The rows of a line being wrapped.
#[derive(Default)]
struct Rows {
    width: usize,
    done: Vec<String>,
    row: String,
    /// Columns used in `row`.
    used: usize,
    /// The colour sequences in force, replayed at the start of each new row.
    colours: String,
}

impl Rows {
    fn push(&mut self, c: char, columns: usize) {
        if self.used + columns > self.width && self.used > 0 {
            if !self.colours.is_empty() {
                self.row.push_str("\x1b[0m");
            }
            let next = self.colours.clone();
            self.done.push(std::mem::replace(&mut self.row, next));
            self.used = 0;
        }
        // A character wider than a whole row (a wide one in one column) cannot be shown.
        if columns <= self.width {
            self.row.push(c);
            self.used += columns;
        }
    }

    /// Passes on text that takes no room.
    fn escape(&mut self, text: &str) {
        self.row.push_str(text);
    }
}

/// `text` without its last character: what came before a character in the same piece (an
/// unfinished or ignored sequence), passed on as it was.
fn before_last_char(text: &str) -> &str {
    let last = text.chars().next_back().map_or(0, char::len_utf8);
    &text[..text.len() - last]
}

/// What one piece of a line is to a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// A character to show (the last one of the piece's text).
    Char(char),
    /// A C0 control character (tab, carriage return, shift-in ...).
    Control(u8),
    /// A colour sequence (SGR); `reset` when it sets every attribute back.
    Sgr { reset: bool },
    /// Any other escape sequence, or an unfinished one at the end of the line.
    Escape,
}

/// Splits `line` into its pieces, each with the text it is made of. The texts put together
/// are `line`.
fn pieces(line: &str) -> Pieces<'_> {
    Pieces {
        line,
        parser: Parser::default(),
        next: 0,
        start: 0,
    }
}

struct Pieces<'a> {
    line: &'a str,
    parser: Parser,
    /// The next byte to parse.
    next: usize,
    /// Where the text of the next piece starts.
    start: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = (&'a str, Piece);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.line.as_bytes();
        let mut found = Found(None);
        while self.next < bytes.len() {
            self.parser.advance(&mut found, bytes[self.next]);
            self.next += 1;
            // A piece ends where the parser acted; ignored bytes (DEL, SOS/PM/APC strings)
            // join the next piece. Malformed input can make the parser act in the middle of a
            // character: the piece then runs on to the end of that character.
            if let Some(piece) = found.0
                && self.line.is_char_boundary(self.next)
            {
                let text = &self.line[self.start..self.next];
                self.start = self.next;
                return Some((text, piece));
            }
        }
        (self.start < bytes.len()).then(|| {
            let text = &self.line[self.start..];
            self.start = bytes.len();
            (text, Piece::Escape)
        })
    }
}

/// The parser's last action. Two actions in one piece (see [`Pieces::next`]) make it an
/// escape: nothing in it is shown.
struct Found(Option<Piece>);

impl Found {
    fn set(&mut self, piece: Piece) {
        self.0 = Some(if self.0.is_some() {
            Piece::Escape
        } else {
            piece
        });
    }
}

impl Perform for Found {
    fn print(&mut self, c: char) {
        self.set(Piece::Char(c));
    }

    fn execute(&mut self, byte: u8) {
        self.set(Piece::Control(byte));
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], _ignore: bool, action: u8) {
        self.set(if action == b'm' && intermediates.is_empty() {
            // `ESC [ m` and `ESC [ 0 m` both reach here as the one parameter 0.
            Piece::Sgr {
                reset: params.iter().eq([[0].as_slice()]),
            }
        } else {
            Piece::Escape
        });
    }

    fn esc_dispatch(&mut self, _intermediates: &[u8], _ignore: bool, _byte: u8) {
        self.set(Piece::Escape);
    }

    fn osc_dispatch(&mut self, _params: &[&[u8]], _bell_terminated: bool) {
        self.set(Piece::Escape);
    }

    fn hook(&mut self, _params: &Params, _intermediates: &[u8], _ignore: bool, _action: u8) {
        self.set(Piece::Escape);
    }

    fn put(&mut self, _byte: u8) {
        self.set(Piece::Escape);
    }

    fn unhook(&mut self) {
        self.set(Piece::Escape);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        console::strip_ansi_codes(text).into_owned()
    }

    #[test]
    fn wrapping_keeps_colours_and_widths() {
        let red = "\x1b[31mabcdefgh\x1b[0m";
        let rows = wrap_line(red, 3);
        assert_eq!(rows.len(), 3);
        assert!(rows[1].starts_with("\x1b[31m"), "{rows:?}");
        assert!(rows[0].ends_with("\x1b[0m"), "{rows:?}");
        for row in &rows {
            assert!(width(row) <= 3, "{row:?}");
        }
        assert_eq!(plain(&rows.concat()), "abcdefgh");
    }

    #[test]
    fn a_reset_ends_the_colours_carried_over() {
        for reset in ["\x1b[0m", "\x1b[m"] {
            let rows = wrap_line(&format!("\x1b[1m\x1b[31mab{reset}cd"), 2);
            assert_eq!(rows[0], format!("\x1b[1m\x1b[31mab{reset}"), "{rows:?}");
            assert_eq!(rows[1], "cd", "{rows:?}");
        }
        // Colours set after a reset are carried again.
        let rows = wrap_line("\x1b[31ma\x1b[0m\x1b[32mbc", 2);
        assert_eq!(rows[1], "\x1b[32mc", "{rows:?}");
    }

    #[test]
    fn tiny_widths_do_not_panic() {
        for width in 0..4 {
            let _ = wrap_text(
                "héllo wörld\t✓ 漢字 \x1b]8;;file:///x\x1b\\link\x1b]8;;\x1b\\",
                width,
            );
            assert!(fit("\x1b[1mbold text\x1b[0m", width).len() < 40);
        }
        assert_eq!(wrap_text("漢", 1), vec![String::new()]);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("漢字 ok"), 7);
        assert_eq!(width("\x1b[31m漢字\x1b[0m"), 4);
        assert_eq!(wrap_line("漢字x", 3), ["漢", "字x"]);
        // A wide character does not straddle the edge: the cut leaves a column free.
        assert_eq!(fit("ab漢字", 4), "ab…");
        assert_eq!(width(&fit("ab漢字", 4)), 3);
    }

    #[test]
    fn tabs_move_to_the_next_stop() {
        assert_eq!(wrap_line("a\tb", 80), ["a   b"]);
        assert_eq!(wrap_line("abcd\tb", 80), ["abcd    b"]);
        // Carriage returns and other control characters are dropped.
        assert_eq!(wrap_line("a\rb\x07c\x7f", 80), ["abc"]);
    }

    #[test]
    fn charset_selections_take_no_room() {
        // libtest's coloured `FAILED` ends with `ESC ( B ESC [ m`.
        let line = "ok \x1b[31mFAILED\x1b(B\x1b[m.";
        assert_eq!(width(&wrap_line(line, 80)[0]), 10);
        assert_eq!(wrap_line(line, 80)[0], line);
        assert_eq!(width(line), 10);
    }

    #[test]
    fn a_cut_line_ends_with_an_ellipsis() {
        let line = "\x1b[31m✗ one: tests failed (tests::a, tests::b)\x1b[0m";
        let cut = fit(line, 12);
        assert_eq!(width(&cut), 12);
        assert!(plain(&cut).ends_with('…'), "{cut:?}");
        assert_eq!(fit("short", 12), "short");
    }

    #[test]
    fn links_are_not_counted_and_stay_whole() {
        let link = "\x1b]8;;file:///tmp/é x.rs\x1b\\path\x1b]8;;\x1b\\";
        let line = format!("a {link}");
        assert_eq!(width(&line), 6);
        assert_eq!(width("a \x1b]8;;file:///x\x07path\x1b]8;;\x07"), 6);
        // Cut in the middle, both halves keep whole sequences.
        let rows = wrap_line(&line, 4);
        assert_eq!(
            rows,
            ["a \x1b]8;;file:///tmp/é x.rs\x1b\\pa", "th\x1b]8;;\x1b\\"]
        );
        assert_eq!(rows.concat(), line);
    }

    #[test]
    fn unfinished_and_ignored_sequences_do_not_panic() {
        // Cut off in the middle of a colour.
        assert_eq!(wrap_line("ab\x1b[3", 80), ["ab\x1b[3"]);
        assert_eq!(width("ab\x1b[3"), 2);
        // An APC string ends at a byte 0x9c, here the second byte of a four-byte character.
        let odd = "\x1b_\u{1C000}\u{1C000}x";
        for width in 0..4 {
            let _ = wrap_line(odd, width);
            let _ = fit(odd, width);
        }
        assert_eq!(pieces(odd).map(|(text, _)| text).collect::<String>(), odd);
    }

    #[test]
    fn pieces_put_together_are_the_line() {
        let line = "a\x1b[1;31mb\x1b(Bc\x1b]8;;x\x1b\\d\te\x1b[3";
        let pieces: Vec<_> = pieces(line).collect();
        assert_eq!(
            pieces.iter().map(|(text, _)| *text).collect::<String>(),
            line
        );
        let kinds: Vec<Piece> = pieces.iter().map(|(_, piece)| *piece).collect();
        assert_eq!(
            kinds,
            [
                Piece::Char('a'),
                Piece::Sgr { reset: false },
                Piece::Char('b'),
                Piece::Escape,
                Piece::Char('c'),
                Piece::Escape,
                Piece::Escape,
                Piece::Char('d'),
                Piece::Control(b'\t'),
                Piece::Char('e'),
                Piece::Escape,
            ]
        );
    }

    #[test]
    fn key_legends_are_joined_with_dots() {
        let keys = plain(&keys_text(&[("q", "quit"), ("l", "list")]));
        assert_eq!(keys, "q quit · l list");
    }
}
