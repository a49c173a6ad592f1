// Scenario: the reports endpoint can answer in JSON, CSV or HTML. It always sent JSON,
// so the spreadsheet integration (which sends `Accept: text/csv`) choked, and a client
// that said "anything but JSON" (`application/json;q=0`) still got JSON.
//
// Done means: `parse_accept` reads an Accept header into media ranges with their quality
// values (RFC 9110 section 12.5.1), and `negotiate` picks the representation the client
// prefers among those we offer, or `NotAcceptable` (the handler answers 406).
//
// Rules:
// - no Accept header: the client accepts anything; give our first (preferred) type;
// - a range is `type/subtype`, `type/*` or `*/*`, optionally with `;q=0.xyz` (default 1);
//   anything else (`nonsense`, `text/`, `/csv`, `*/csv`) is not a range and is ignored;
//   names, the parameter name `q` included, are case-insensitive; a q value is `0` or `1`,
//   optionally followed by `.` and at most three digits (`1` only with zeros: RFC 9110
//   section 12.4.2); a range whose q is anything else (`2`, `.5`, `0.5000`, `1e-3`) is
//   ignored;
// - for each type we offer, the MOST SPECIFIC matching range decides its q
//   (`text/csv;q=0` beats `text/*;q=0.5` for text/csv); no matching range means q = 0;
// - q = 0 means "not acceptable"; the highest q wins; ties go to our order.
// Quality values are kept in thousandths (`0.8` -> 800) so they compare exactly.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRange {
    pub kind: String,    // "text", or "*"
    pub subtype: String, // "csv", or "*"
    pub q: u16,          // 0..=1000
}

#[derive(Debug, PartialEq, Eq)]
pub struct NotAcceptable;

pub fn parse_accept(header: &str) -> Vec<MediaRange> {
    header
        .split(',')
        .filter_map(|element| {
            let mut pieces = element.split(';').map(str::trim);
            let (kind, subtype) = pieces.next()?.split_once('/')?;
            if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
                return None;
            }
            let mut q = 1000;
            for param in pieces {
                if let Some((name, value)) = param.split_once('=')
                    && name.trim().eq_ignore_ascii_case("q")
                {
                    q = parse_q(value.trim())?;
                }
            }
            Some(MediaRange {
                kind: kind.to_ascii_lowercase(),
                subtype: subtype.to_ascii_lowercase(),
                q,
            })
        })
        .collect()
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths. Not a
/// float parse: that would accept `1e-3`, `+0.5` or `0.0001` (which rounds to "not acceptable").
fn parse_q(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// How well `range` matches `kind/subtype`: None if it does not, else 0 (*/*),
/// 1 (type/*) or 2 (exact).
fn specificity(range: &MediaRange, kind: &str, subtype: &str) -> Option<u8> {
    match (range.kind.as_str(), range.subtype.as_str()) {
        ("*", "*") => Some(0),
        (k, "*") if k == kind => Some(1),
        (k, s) if k == kind && s == subtype => Some(2),
        _ => None,
    }
}

fn quality(ranges: &[MediaRange], offered: &str) -> u16 {
    let offered = offered.to_ascii_lowercase();
    let (kind, subtype) = offered.split_once('/').unwrap_or((&offered, ""));
    ranges
        .iter()
        .filter_map(|r| specificity(r, kind, subtype).map(|s| (s, r.q)))
        .max_by_key(|&(s, _)| s)
        .map_or(0, |(_, q)| q)
}

/// `offered` lists the types we can produce, our preferred one first.
pub fn negotiate<'a>(accept: Option<&str>, offered: &[&'a str]) -> Result<&'a str, NotAcceptable> {
    let Some(accept) = accept else {
        return offered.first().copied().ok_or(NotAcceptable);
    };
    let ranges = parse_accept(accept);
    let mut best: Option<(&'a str, u16)> = None;
    for &candidate in offered {
        let q = quality(&ranges, candidate);
        if q > 0 && best.is_none_or(|(_, best_q)| q > best_q) {
            best = Some((candidate, q));
        }
    }
    best.map(|(t, _)| t).ok_or(NotAcceptable)
}

fn main() {
    let offered = ["application/json", "text/csv", "text/html"];
    println!("{:?}", negotiate(Some("text/csv, */*;q=0.1"), &offered));
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFERED: [&str; 3] = ["application/json", "text/csv", "text/html"];

    fn range(kind: &str, subtype: &str, q: u16) -> MediaRange {
        MediaRange {
            kind: kind.into(),
            subtype: subtype.into(),
            q,
        }
    }

    #[test]
    fn parses_ranges_and_q_values() {
        assert_eq!(
            parse_accept("text/HTML, application/json;q=0.8 , */*; q=0.05"),
            vec![
                range("text", "html", 1000),
                range("application", "json", 800),
                range("*", "*", 50),
            ],
            "q defaults to 1 (1000); spaces around elements and parameters are allowed; names are lowercased"
        );
        assert_eq!(
            parse_accept("text/plain;charset=utf-8;q=0.5"),
            vec![range("text", "plain", 500)],
            "other parameters may come before q"
        );
    }

    #[test]
    fn invalid_ranges_are_ignored() {
        assert_eq!(
            parse_accept("text/csv;q=2, text/html;q=abc, nonsense, application/json"),
            vec![range("application", "json", 1000)],
            "q=2 and q=abc are invalid, `nonsense` has no '/': ignore them, keep the rest"
        );
    }

    #[test]
    fn only_the_three_shapes_of_range_are_kept() {
        for kind in ["text", "*", ""] {
            for subtype in ["csv", "*", ""] {
                let element = format!("{kind}/{subtype}");
                let valid =
                    !kind.is_empty() && !subtype.is_empty() && (kind != "*" || subtype == "*");
                let expected: Vec<MediaRange> = valid
                    .then(|| range(kind, subtype, 1000))
                    .into_iter()
                    .chain([range("application", "json", 1000)])
                    .collect();
                assert_eq!(
                    parse_accept(&format!("{element}, application/json")),
                    expected,
                    "{element:?}: a range is `type/subtype`, `type/*` or `*/*`; an empty part \
                     or a `*` type with a named subtype is not a range: ignore it"
                );
            }
        }
        assert_eq!(
            negotiate(Some("*/csv"), &["text/csv"]),
            Err(NotAcceptable),
            "`*/csv` is not a range, so it matches nothing (not text/csv)"
        );
        assert_eq!(
            negotiate(Some("*/csv, text/html;q=0.5"), &OFFERED),
            Ok("text/html"),
            "`*/csv` is ignored: html is the only acceptable type"
        );
    }

    #[test]
    fn the_q_parameter_name_is_case_insensitive() {
        assert_eq!(
            parse_accept("text/csv;Q=0.3, text/html; Q=0"),
            vec![range("text", "csv", 300), range("text", "html", 0)],
            "parameter names are case-insensitive (RFC 9110 5.6.6): `Q=0` is `q=0`"
        );
        assert_eq!(
            negotiate(Some("*/*, application/json;Q=0"), &OFFERED),
            Ok("text/csv"),
            "`Q=0` still means \"anything but JSON\""
        );
    }

    #[test]
    fn q_values_follow_their_grammar() {
        for (q, expected) in [
            ("0", Some(0)),
            ("0.", Some(0)),
            ("0.5", Some(500)),
            ("0.05", Some(50)),
            ("0.125", Some(125)),
            ("1", Some(1000)),
            ("1.0", Some(1000)),
            ("1.000", Some(1000)),
            ("1.001", None),
            ("0.5000", None),
            ("0.0001", None),
            (".5", None),
            ("+0.5", None),
            ("1e-3", None),
            ("01", None),
            ("0.-1", None),
            ("2", None),
            ("", None),
        ] {
            let ranges = parse_accept(&format!("text/csv;q={q}, text/html"));
            let expected: Vec<MediaRange> = expected
                .map(|thousandths| range("text", "csv", thousandths))
                .into_iter()
                .chain([range("text", "html", 1000)])
                .collect();
            assert_eq!(
                ranges, expected,
                "q={q:?}: a q value is 0 or 1, then optionally '.' and up to three digits \
                 (1 only with zeros); anything else makes the range invalid"
            );
        }
    }

    #[test]
    fn no_accept_header_means_anything() {
        assert_eq!(negotiate(None, &OFFERED), Ok("application/json"));
    }

    #[test]
    fn exact_match_wins() {
        assert_eq!(negotiate(Some("text/csv"), &OFFERED), Ok("text/csv"));
        assert_eq!(
            negotiate(Some("TEXT/CSV"), &OFFERED),
            Ok("text/csv"),
            "media types are case-insensitive"
        );
    }

    #[test]
    fn highest_q_wins() {
        assert_eq!(
            negotiate(Some("application/json;q=0.5, text/html;q=0.9"), &OFFERED),
            Ok("text/html")
        );
        assert_eq!(
            negotiate(Some("text/*"), &OFFERED),
            Ok("text/csv"),
            "csv and html tie at q=1: our order decides"
        );
    }

    #[test]
    fn most_specific_range_decides() {
        assert_eq!(
            negotiate(Some("text/*;q=0.5, text/csv;q=0, */*;q=0.1"), &OFFERED),
            Ok("text/html"),
            "csv: `text/csv;q=0` is more specific than `text/*`, so csv is excluded; \
             html gets 0.5 from text/*, json 0.1 from */*"
        );
        assert_eq!(
            negotiate(Some("*/*, application/json;q=0"), &OFFERED),
            Ok("text/csv"),
            "`application/json;q=0` means \"anything but JSON\""
        );
    }

    #[test]
    fn nothing_acceptable_is_406() {
        assert_eq!(
            negotiate(Some("image/png"), &OFFERED),
            Err(NotAcceptable),
            "we cannot produce PNG: 406 Not Acceptable"
        );
        assert_eq!(
            negotiate(Some("application/json;q=0"), &["application/json"]),
            Err(NotAcceptable),
            "q=0 means \"not acceptable\", not \"acceptable but least preferred\""
        );
        assert_eq!(
            negotiate(Some("application/xml;q=0.9, */*;q=0"), &OFFERED),
            Err(NotAcceptable)
        );
    }
}
