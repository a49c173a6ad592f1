// Scenario: `GET /products?q=caf%C3%A9+cr%C3%A8me&page=2&per_page=50` searched for the
// literal text "caf%C3%A9+cr%C3%A8me" and found nothing, and a scraper sent
// `per_page=1000000` and made the database read the whole table.
//
// Done means:
// - `percent_decode` decodes `%XX` escapes into bytes (then UTF-8) and `+` into a space,
//   as browsers encode form queries (WHATWG URL "application/x-www-form-urlencoded");
// - `parse_query` splits the query part of a request target into decoded key/value pairs;
// - `Pagination::from_params` applies defaults (page 1, 20 per page), caps `per_page` at
//   100 and rejects values that make no sense with an error the API turns into a 400.

#[derive(Debug, PartialEq, Eq)]
pub enum QueryError {
    /// `%` not followed by two hex digits.
    BadEscape,
    /// The decoded bytes are not valid UTF-8.
    InvalidUtf8,
    /// A pagination parameter that is not a positive integer (carries its name).
    InvalidParam(String),
}

pub fn percent_decode(s: &str) -> Result<String, QueryError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(QueryError::BadEscape)?;
                let hex = std::str::from_utf8(hex).map_err(|_| QueryError::BadEscape)?;
                if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(QueryError::BadEscape);
                }
                let byte = u8::from_str_radix(hex, 16).map_err(|_| QueryError::BadEscape)?;
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| QueryError::InvalidUtf8)
}

/// `target` is a request target such as `/products?q=x&page=2#frag`.
pub fn parse_query(target: &str) -> Result<Vec<(String, String)>, QueryError> {
    let Some((_, query)) = target.split_once('?') else {
        return Ok(Vec::new());
    };
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq)]
pub struct Pagination {
    pub page: u32,
    pub per_page: u32,
}

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

impl Pagination {
    /// The first occurrence of `page` and `per_page` counts. A missing or empty value
    /// means "use the default". Both must be integers >= 1; `per_page` above the maximum
    /// is capped (not rejected: clients asking for "a lot" get the most we allow).
    pub fn from_params(params: &[(String, String)]) -> Result<Pagination, QueryError> {
        let page = positive_param(params, "page")?.unwrap_or(1);
        let per_page = positive_param(params, "per_page")?
            .unwrap_or(DEFAULT_PER_PAGE)
            .min(MAX_PER_PAGE);
        Ok(Pagination { page, per_page })
    }

    /// The SQL OFFSET for this page. u64: page 4_000_000_000 * 100 does not fit in a u32.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

fn positive_param(params: &[(String, String)], name: &str) -> Result<Option<u32>, QueryError> {
    let Some((_, raw)) = params.iter().find(|(k, _)| k == name) else {
        return Ok(None);
    };
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err(QueryError::InvalidParam(name.to_string())),
    }
}

fn main() {
    let params = parse_query("/products?q=caf%C3%A9+cr%C3%A8me&page=2&per_page=50");
    println!("{params:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(k, val)| (k.to_string(), val.to_string()))
            .collect()
    }

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(percent_decode("a%20b").unwrap(), "a b");
        assert_eq!(
            percent_decode("caf%C3%A9+cr%C3%A8me").unwrap(),
            "café crème",
            "%C3%A9 is the two UTF-8 bytes of 'é'; '+' is a space in form-encoded queries"
        );
        assert_eq!(
            percent_decode("100%25").unwrap(),
            "100%",
            "%25 is a literal percent sign"
        );
        assert_eq!(percent_decode("a%2Bb").unwrap(), "a+b", "%2B is a real '+'");
        assert_eq!(
            percent_decode("%e2%82%ac").unwrap(),
            "€",
            "hex digits may be lowercase"
        );
    }

    #[test]
    fn rejects_bad_escapes() {
        assert_eq!(
            percent_decode("50%"),
            Err(QueryError::BadEscape),
            "'%' at the end"
        );
        assert_eq!(
            percent_decode("%4"),
            Err(QueryError::BadEscape),
            "one digit only"
        );
        assert_eq!(percent_decode("%zz"), Err(QueryError::BadEscape), "not hex");
        assert_eq!(
            percent_decode("%+1"),
            Err(QueryError::BadEscape),
            "'+1' is not hex"
        );
        assert_eq!(
            percent_decode("%C3"),
            Err(QueryError::InvalidUtf8),
            "half of a UTF-8 character"
        );
    }

    #[test]
    fn parses_query_pairs() {
        assert_eq!(
            parse_query("/products?q=caf%C3%A9&page=2&flag#top").unwrap(),
            pairs(&[("q", "café"), ("page", "2"), ("flag", "")]),
            "split on '&', then at the first '='; the #fragment is not part of the query"
        );
        assert_eq!(
            parse_query("/search?a=1&&b=x%3Dy").unwrap(),
            pairs(&[("a", "1"), ("b", "x=y")]),
            "empty pieces are skipped; an encoded '=' belongs to the value"
        );
        assert_eq!(
            parse_query("/search?q=salt%26pepper&a%3Db=c").unwrap(),
            pairs(&[("q", "salt&pepper"), ("a=b", "c")]),
            "split first, decode each side after: an encoded '&' or '=' is data, not syntax"
        );
        assert_eq!(
            parse_query("/products").unwrap(),
            vec![],
            "no '?', no params"
        );
        assert_eq!(parse_query("/p?x=%ZZ"), Err(QueryError::BadEscape));
    }

    #[test]
    fn pagination_defaults() {
        let p = Pagination::from_params(&pairs(&[("q", "tea")])).unwrap();
        assert_eq!(
            p,
            Pagination {
                page: 1,
                per_page: 20
            }
        );
        assert_eq!(p.offset(), 0, "page 1 starts at row 0");
        let p = Pagination::from_params(&pairs(&[("page", ""), ("per_page", "")])).unwrap();
        assert_eq!(p.page, 1, "`page=` (empty) means the default");
        assert_eq!(p.per_page, 20);
    }

    #[test]
    fn pagination_values_and_offset() {
        let p = Pagination::from_params(&pairs(&[("page", "3"), ("per_page", "50")])).unwrap();
        assert_eq!(p.page, 3);
        assert_eq!(p.per_page, 50);
        assert_eq!(
            p.offset(),
            100,
            "pages 1 and 2 hold 2 * 50 rows before page 3"
        );
        let p = Pagination::from_params(&pairs(&[("page", "2"), ("page", "9")])).unwrap();
        assert_eq!(p.page, 2, "the first occurrence wins");
    }

    #[test]
    fn per_page_is_capped() {
        let p = Pagination::from_params(&pairs(&[("per_page", "1000000")])).unwrap();
        assert_eq!(
            p.per_page, 100,
            "never let a client read more than MAX_PER_PAGE rows per request"
        );
    }

    #[test]
    fn invalid_pagination_is_an_error() {
        for (k, v) in [
            ("page", "0"),
            ("page", "-1"),
            ("page", "two"),
            ("per_page", "0"),
            ("per_page", "1.5"),
            ("page", "99999999999"),
        ] {
            assert_eq!(
                Pagination::from_params(&pairs(&[(k, v)])),
                Err(QueryError::InvalidParam(k.to_string())),
                "{k}={v} must be rejected (400), naming the parameter"
            );
        }
    }

    #[test]
    fn offset_does_not_overflow() {
        let p = Pagination {
            page: 4_000_000_000,
            per_page: 100,
        };
        assert_eq!(p.offset(), 399_999_999_900);
    }

    /// A tiny deterministic generator (xorshift), so the property tests need no crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Encodes `text` as a browser may: some characters must be escaped, the others may be.
    fn encode(rng: &mut Rng, text: &str, in_key: bool) -> String {
        let mut out = String::new();
        for c in text.chars() {
            let must_escape = matches!(c, '&' | '#' | '%' | '+') || (in_key && c == '=');
            if c == ' ' && rng.below(2) == 0 {
                out.push('+');
            } else if must_escape || c == ' ' || !c.is_ascii() || rng.below(4) == 0 {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    let hex = format!("%{b:02X}");
                    out.push_str(&if rng.below(2) == 0 {
                        hex.to_lowercase()
                    } else {
                        hex
                    });
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn any_encoded_query_decodes_to_its_pairs() {
        const CHARS: [char; 14] = [
            'a', 'Z', '0', '-', '.', '=', '&', '#', '+', '%', ' ', '?', 'é', '€',
        ];
        let mut rng = Rng(0x5155_4552);
        for _ in 0..2_000 {
            let mut expected = Vec::new();
            let mut pieces = Vec::new();
            for _ in 0..rng.below(4) {
                let mut text = || -> String {
                    (0..rng.below(4))
                        .map(|_| CHARS[rng.below(CHARS.len())])
                        .collect()
                };
                let (key, value) = (text(), text());
                let mut piece = encode(&mut rng, &key, true);
                if !value.is_empty() || key.is_empty() || rng.below(2) == 0 {
                    piece.push('=');
                    piece.push_str(&encode(&mut rng, &value, false));
                }
                if rng.below(4) == 0 {
                    pieces.push(String::new());
                }
                pieces.push(piece);
                expected.push((key, value));
            }
            let mut target = format!("/search?{}", pieces.join("&"));
            if rng.below(3) == 0 {
                target.push_str("#a=b&c");
            }
            assert_eq!(
                parse_query(&target),
                Ok(expected),
                "{target:?}: split on '&', then at the FIRST '=' (a value may contain '='), \
                 decode each side after splitting, stop at '#'"
            );
        }
    }

    #[test]
    fn pagination_values_are_not_trimmed() {
        let mut rng = Rng(0x5041_4745);
        const SPACES: [&str; 6] = [" ", "\t", "\n", "\r", "\u{a0}", "\u{3000}"];
        for _ in 0..500 {
            let n = (1 + rng.below(100)).to_string();
            let space = SPACES[rng.below(SPACES.len())];
            let decorated = match rng.below(3) {
                0 => format!("{space}{n}"),
                1 => format!("{n}{space}"),
                _ => format!("{space}{n}{space}"),
            };
            for key in ["page", "per_page"] {
                assert_eq!(
                    Pagination::from_params(&pairs(&[(key, &n)])).map(|_| ()),
                    Ok(()),
                    "{key}={n} is valid"
                );
                assert_eq!(
                    Pagination::from_params(&pairs(&[(key, &decorated)])),
                    Err(QueryError::InvalidParam(key.to_string())),
                    "{key}={decorated:?} is not a positive integer: reject it (400) rather \
                     than guess by trimming"
                );
            }
        }
    }
}
