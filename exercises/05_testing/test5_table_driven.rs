// Scenario: article URLs use a slug made from the title ("Don't Panic!" -> "dont-panic").
// Every bug report adds one more special case, and writing one #[test] per case has produced 40
// near-identical functions. Table-driven tests keep the cases as data: one row per
// (input, expected) pair, one loop that runs them all, and a report listing EVERY failing row
// (not just the first) with its number and input, so one run shows the whole picture.
//
// Done means: `table_failures` runs a table and describes each failing row, and `slugify`
// passes the whole `SLUG_CASES` table. The tests also try titles the table does not list, so
// implement the rules, not the rows.

/// Slug rules: ASCII letters and digits are kept (lowercased); apostrophes are dropped; every
/// run of other characters becomes a single '-'; no '-' at the start or end.
pub fn slugify(title: &str) -> String {
    // TODO: this only handles the first rows of the table. Run the tests to see which rows
    // fail, then implement the rules above.
    title.to_lowercase().replace(' ', "-")
}

/// Runs `f` on every row's input and returns one line per failing row, formatted as
/// `case <index>: f("<input>") = "<actual>", expected "<expected>"` (index from 0, strings
/// shown with `{:?}`). An empty Vec means every row passed.
pub fn table_failures(f: fn(&str) -> String, cases: &[(&str, &str)]) -> Vec<String> {
    // TODO: call `f` on each row and collect a line for every mismatch.
    let _ = (f, cases);
    todo!()
}

pub const SLUG_CASES: &[(&str, &str)] = &[
    ("hello", "hello"),
    ("Hello World", "hello-world"),
    ("Don't Panic!", "dont-panic"),
    ("  leading and trailing  ", "leading-and-trailing"),
    ("many   spaces", "many-spaces"),
    ("Rust 2024: what's new?", "rust-2024-whats-new"),
    ("snake_case_title", "snake-case-title"),
    ("--already-slugged--", "already-slugged"),
    ("Crème brûlée", "cr-me-br-l-e"),
    ("!!!", ""),
    ("", ""),
];

fn main() {
    for (input, _) in SLUG_CASES {
        println!("{input:?} -> {:?}", slugify(input));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The course's own table runner: what `table_failures` must report. The tests judge
    /// `slugify` with it, so that no verdict on `slugify` rests on the harness under test.
    fn expected_report(f: fn(&str) -> String, cases: &[(&str, &str)]) -> Vec<String> {
        let mut report = Vec::new();
        for (index, (input, expected)) in cases.iter().enumerate() {
            let actual = f(input);
            if actual.as_str() != *expected {
                report.push(format!(
                    "case {index}: f({input:?}) = {actual:?}, expected {expected:?}"
                ));
            }
        }
        report
    }

    #[test]
    fn slug_table() {
        let failures = expected_report(slugify, SLUG_CASES);
        assert!(
            failures.is_empty(),
            "{} of {} slug cases failed:\n{}",
            failures.len(),
            SLUG_CASES.len(),
            failures.join("\n")
        );
        assert_eq!(
            table_failures(slugify, SLUG_CASES),
            failures,
            "table_failures must report on slugify what it reports on any function"
        );
    }

    /// Slugifiers the harness is tried on: right ones written differently, and wrong ones with
    /// the bugs a slug table exists to catch. None is `slugify` itself.
    fn right_slugifiers() -> Vec<fn(&str) -> String> {
        vec![reference_slug, |title| reference_slug(title), |title| {
            reference_slug(&title.replace('\'', ""))
        }]
    }

    fn wrong_slugifiers() -> Vec<fn(&str) -> String> {
        vec![
            // The starter's slugify.
            |title| title.to_lowercase().replace(' ', "-"),
            // An apostrophe as a separator.
            |title| reference_slug(&title.replace('\'', " ")),
            // Non-ASCII letters kept.
            |title| {
                title
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .map(|word| word.replace('\'', "").to_lowercase())
                    .filter(|word| !word.is_empty())
                    .collect::<Vec<_>>()
                    .join("-")
            },
            // A trailing dash.
            |title| format!("{}-", reference_slug(title)),
            // Right on the first rows only.
            |title| {
                if title.len() < 6 {
                    reference_slug(title)
                } else {
                    title.to_string()
                }
            },
        ]
    }

    #[test]
    fn the_harness_judges_every_function_alike() {
        let hidden = [
            ("it's 4:20", "its-4-20"),
            ("A-B_C D", "a-b-c-d"),
            ("x", "x"),
        ];
        for table in [SLUG_CASES, &hidden[..]] {
            for (n, f) in right_slugifiers().into_iter().enumerate() {
                assert_eq!(
                    table_failures(f, table),
                    Vec::<String>::new(),
                    "right slugifier {n}: a function that follows the rules passes the table"
                );
            }
            for (n, f) in wrong_slugifiers().into_iter().enumerate() {
                let expected = expected_report(f, table);
                assert_eq!(
                    table_failures(f, table),
                    expected,
                    "planted bug {n}: every failing row, with its index, input, actual and expected value"
                );
            }
        }
        assert!(
            wrong_slugifiers()
                .into_iter()
                .all(|f| !expected_report(f, SLUG_CASES).is_empty()),
            "every planted bug fails some row of SLUG_CASES"
        );
    }

    /// The slug rules again, written differently: split on everything that is not an ASCII
    /// letter or digit (after dropping apostrophes) and join the lowercased words with '-'.
    fn reference_slug(title: &str) -> String {
        let without_apostrophes: String = title.chars().filter(|&c| c != '\'').collect();
        without_apostrophes
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Titles the table does not list, from a fixed seed: the same on every run.
    fn generated_titles(count: usize) -> Vec<String> {
        const PIECES: &[&str] = &[
            "a", "Z", "q", "M", "7", "0", " ", "  ", "-", "_", "'", "!", "?", ":", ".", "é", "ü",
            "ß", "日", "\t", "Rust", "API", "v2", "--", "it's", "\u{212A}", "\u{130}",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: usize| {
            // xorshift64: a tiny deterministic generator.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        (0..count)
            .map(|_| (0..next(9)).map(|_| PIECES[next(PIECES.len())]).collect())
            .collect()
    }

    #[test]
    fn slug_rules_hold_beyond_the_table() {
        let hidden: &[(&str, &str)] = &[
            ("Ünïcödé Title", "n-c-d-title"),
            ("it's 4:20", "its-4-20"),
            ("'quoted'", "quoted"),
            ("tab\tand\nnewline", "tab-and-newline"),
            ("A-B_C D", "a-b-c-d"),
            ("x", "x"),
            // Non-ASCII letters whose Unicode lowercase is ASCII are still not ASCII letters.
            ("\u{212A}elvin", "elvin"),
            ("\u{130}stanbul", "stanbul"),
        ];
        let failures = expected_report(slugify, hidden);
        assert!(
            failures.is_empty(),
            "slugify must follow the rules, not the rows of SLUG_CASES; cases the table does \
             not list:\n{}",
            failures.join("\n")
        );
        let titles = generated_titles(400);
        let expected: Vec<String> = titles.iter().map(|t| reference_slug(t)).collect();
        let generated: Vec<(&str, &str)> = titles
            .iter()
            .zip(&expected)
            .map(|(t, e)| (t.as_str(), e.as_str()))
            .collect();
        let failures = expected_report(slugify, &generated);
        assert!(
            failures.is_empty(),
            "{} of {} generated titles break the slug rules, e.g.:\n{}",
            failures.len(),
            generated.len(),
            failures[..failures.len().min(5)].join("\n")
        );
    }

    fn lowercase_only(s: &str) -> String {
        s.to_lowercase()
    }

    #[test]
    fn report_lists_every_failing_row() {
        let cases = [("abc", "abc"), ("A B", "a-b"), ("X", "x"), ("C D", "c-d")];
        assert_eq!(
            table_failures(lowercase_only, &cases),
            [
                r#"case 1: f("A B") = "a b", expected "a-b""#,
                r#"case 3: f("C D") = "c d", expected "c-d""#,
            ],
            "one line per failing row, with its index, input, actual and expected value"
        );
    }

    fn uppercase(s: &str) -> String {
        s.to_uppercase()
    }

    fn trailing_space(s: &str) -> String {
        format!("{s} ")
    }

    fn leading_tab(s: &str) -> String {
        format!("\t{s}")
    }

    #[test]
    fn report_compares_exactly() {
        let cases = [("abc", "abc")];
        assert_eq!(
            table_failures(uppercase, &cases),
            [r#"case 0: f("abc") = "ABC", expected "abc""#],
            "a slug with uppercase letters is a wrong slug: compare with ==, not ignoring case"
        );
        assert_eq!(
            table_failures(trailing_space, &cases),
            [r#"case 0: f("abc") = "abc ", expected "abc""#],
            "a stray space is a wrong slug: compare the strings as they are, not trimmed"
        );
        assert_eq!(
            table_failures(leading_tab, &cases),
            [r#"case 0: f("abc") = "\tabc", expected "abc""#],
            "and {{:?}} shows the tab as \\t"
        );
    }

    #[test]
    fn passing_table_reports_nothing() {
        let cases = [("abc", "abc"), ("ABC", "abc")];
        assert!(table_failures(lowercase_only, &cases).is_empty());
        assert!(
            table_failures(lowercase_only, &[]).is_empty(),
            "an empty table has no failures"
        );
    }
}
