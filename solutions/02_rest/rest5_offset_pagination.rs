// Offset pagination with next/prev links
//
// `GET /articles` returns all 40,000 articles in one response; the mobile app times out and the
// database is sad. We paginate with `?limit=&offset=`: limit defaults to 20 and is capped at 100
// (a client asking for 10,000 gets 100, it does not get an error), offset defaults to 0.
// Nonsense like `limit=abc` or `limit=0` is a client error. Each page tells the client the
// total and gives ready-made links, so clients never build URLs themselves.
//
// Done means: `parse_params` reads the query string and `paginate` builds the page, with a
// `next` link only when there are more items and a `prev` link only when offset > 0.

use serde::Serialize;

pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;

#[derive(Debug, PartialEq)]
pub struct PageParams {
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Links {
    #[serde(rename = "self")]
    pub this: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub links: Links,
}

/// Parses `limit=10&offset=20` (any order, other parameters ignored, empty query allowed).
/// A `limit` or `offset` without a usable value (`limit`, `limit=`, `offset=x`) is an error:
/// the client asked for something, and we must not guess what.
pub fn parse_params(query: &str) -> Result<PageParams, String> {
    let mut params = PageParams {
        limit: DEFAULT_LIMIT,
        offset: 0,
    };
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{key} must be a non-negative integer, got {value:?}"))
        };
        match key {
            "limit" => {
                let limit = number()?;
                if limit == 0 {
                    return Err("limit must be at least 1".to_string());
                }
                params.limit = limit.min(MAX_LIMIT);
            }
            "offset" => params.offset = number()?,
            _ => {}
        }
    }
    Ok(params)
}

fn link(path: &str, limit: usize, offset: usize) -> String {
    format!("{path}?limit={limit}&offset={offset}")
}

/// One page of `all`, with links built on `path`.
pub fn paginate<T: Clone>(all: &[T], params: &PageParams, path: &str) -> Page<T> {
    let PageParams { limit, offset } = *params;
    let items = all.iter().skip(offset).take(limit).cloned().collect();
    let total = all.len();
    Page {
        items,
        total,
        links: Links {
            this: link(path, limit, offset),
            // `offset` comes from the client: `offset + limit` could overflow, so compare with
            // what is left after the offset instead.
            next: (limit < total.saturating_sub(offset)).then(|| link(path, limit, offset + limit)),
            prev: (offset > 0).then(|| link(path, limit, offset.saturating_sub(limit))),
        },
    }
}

fn main() {
    let articles: Vec<u32> = (1..=45).collect();
    let params = parse_params("limit=20&offset=20").unwrap();
    let page = paginate(&articles, &params, "/articles");
    println!("{}", serde_json::to_string_pretty(&page).unwrap());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn articles() -> Vec<u32> {
        (1..=45).collect()
    }

    #[test]
    fn defaults_apply_to_an_empty_query() {
        assert_eq!(
            parse_params(""),
            Ok(PageParams {
                limit: 20,
                offset: 0
            }),
            "no parameters: limit 20, offset 0"
        );
        assert_eq!(
            parse_params("sort=title&offset=5"),
            Ok(PageParams {
                limit: 20,
                offset: 5
            }),
            "unknown parameters are someone else's business"
        );
    }

    #[test]
    fn only_the_exact_names_are_read() {
        // Names that contain, start or end with `limit` / `offset` belong to someone else, even
        // with values that would be errors for ours.
        let others = [
            "rate_limit=5",
            "my_offset=x",
            "limits=7",
            "offset2=-1",
            "xlimitx=0",
            "page_offset=",
            "limit_=abc",
            "_offset",
            "LIMIT=3",
            "Offset=9",
        ];
        for (i, other) in others.iter().enumerate() {
            let alone = parse_params(other);
            assert_eq!(
                alone,
                Ok(PageParams {
                    limit: 20,
                    offset: 0
                }),
                "{other:?} is another parameter: ignored (names are matched exactly)"
            );
            let mixed = format!(
                "{other}&limit=7&{}&offset=3",
                others[(i + 3) % others.len()]
            );
            assert_eq!(
                parse_params(&mixed),
                Ok(PageParams {
                    limit: 7,
                    offset: 3
                }),
                "{mixed:?}: only `limit` and `offset` themselves count"
            );
        }
    }

    #[test]
    fn limit_is_capped_not_rejected() {
        assert_eq!(
            parse_params("limit=10000").map(|p| p.limit),
            Ok(100),
            "an oversized limit is clamped to MAX_LIMIT"
        );
    }

    #[test]
    fn bad_numbers_are_errors() {
        for query in [
            "limit=abc",
            "limit=0",
            "offset=-1",
            "limit=",
            "limit=10&offset=x",
        ] {
            assert!(
                parse_params(query).is_err(),
                "{query:?} is a client error (the handler answers 400)"
            );
        }
    }

    #[test]
    fn a_name_without_a_value_is_an_error() {
        for query in [
            "limit",
            "offset",
            "offset&limit=5",
            "limit=5&offset",
            "sort=title&limit&offset=2",
            "limit&",
        ] {
            assert!(
                parse_params(query).is_err(),
                "{query:?}: `limit` or `offset` without '=' names our parameter with no value, \
                 a client error like `limit=` (not a parameter to skip)"
            );
        }
        assert_eq!(
            parse_params("debug&limit=5&verbose"),
            Ok(PageParams {
                limit: 5,
                offset: 0
            }),
            "other names without a value are someone else's business"
        );
    }

    #[test]
    fn seeded_queries_over_the_grammar() {
        // Each segment: its text, and what it means (None: ignored; Some(Err): client error;
        // Some(Ok(n)): the value). Each query holds at most one limit and one offset segment,
        // shuffled among ignored ones and empty segments.
        let limits: [(&str, Option<Result<usize, ()>>); 8] = [
            ("limit=7", Some(Ok(7))),
            ("limit=100", Some(Ok(100))),
            ("limit=250", Some(Ok(100))),
            ("limit=1", Some(Ok(1))),
            ("limit", Some(Err(()))),
            ("limit=", Some(Err(()))),
            ("limit=0", Some(Err(()))),
            ("limit=3x", Some(Err(()))),
        ];
        let offsets: [(&str, Option<Result<usize, ()>>); 7] = [
            ("offset=0", Some(Ok(0))),
            ("offset=12", Some(Ok(12))),
            ("offset", Some(Err(()))),
            ("offset=", Some(Err(()))),
            ("offset=-2", Some(Err(()))),
            ("offset= 4", Some(Err(()))),
            ("offset=1.5", Some(Err(()))),
        ];
        let others = [
            "",
            "sort=title",
            "debug",
            "limits=0",
            "q=limit",
            "=5",
            "page=offset",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        for _ in 0..500 {
            let mut segments: Vec<&str> = Vec::new();
            let mut limit = Ok(DEFAULT_LIMIT);
            let mut offset = Ok(0);
            if next(4) > 0 {
                let (text, meaning) = limits[next(limits.len())];
                segments.push(text);
                limit = meaning.unwrap();
            }
            if next(4) > 0 {
                let (text, meaning) = offsets[next(offsets.len())];
                segments.push(text);
                offset = meaning.unwrap();
            }
            for _ in 0..next(4) {
                segments.push(others[next(others.len())]);
            }
            for i in (1..segments.len()).rev() {
                segments.swap(i, next(i + 1));
            }
            let query = segments.join("&");
            let expected = match (limit, offset) {
                (Ok(limit), Ok(offset)) => Some(PageParams { limit, offset }),
                _ => None,
            };
            assert_eq!(parse_params(&query).ok(), expected, "query {query:?}");
        }
    }

    #[test]
    fn first_page_has_next_but_no_prev() {
        let page = paginate(&articles(), &parse_params("limit=20").unwrap(), "/articles");
        assert_eq!(page.items, (1..=20).collect::<Vec<_>>());
        assert_eq!(page.total, 45);
        assert_eq!(
            page.links,
            Links {
                this: "/articles?limit=20&offset=0".into(),
                next: Some("/articles?limit=20&offset=20".into()),
                prev: None,
            },
            "the first page has no previous page"
        );
    }

    #[test]
    fn last_page_has_prev_but_no_next() {
        let page = paginate(
            &articles(),
            &parse_params("offset=40&limit=20").unwrap(),
            "/articles",
        );
        assert_eq!(page.items, vec![41, 42, 43, 44, 45], "a short last page");
        assert_eq!(
            page.links.next, None,
            "offset 40 + limit 20 >= 45: there is no next page"
        );
        assert_eq!(page.links.prev, Some("/articles?limit=20&offset=20".into()));
    }

    #[test]
    fn a_last_page_that_ends_exactly_at_the_total_has_no_next() {
        let articles: Vec<u32> = (1..=40).collect();
        let page = paginate(&articles, &parse_params("offset=20").unwrap(), "/a");
        assert_eq!(page.items.len(), 20);
        assert_eq!(
            page.links.next, None,
            "items 21..=40 of 40: nothing follows, so no next link (it would lead to an empty page)"
        );
        let page = paginate(&articles, &parse_params("offset=19").unwrap(), "/a");
        assert_eq!(
            page.links.next,
            Some("/a?limit=20&offset=39".into()),
            "items 20..=39 of 40: item 40 still follows"
        );
    }

    #[test]
    fn prev_never_goes_below_zero() {
        let page = paginate(
            &articles(),
            &parse_params("offset=5&limit=20").unwrap(),
            "/a",
        );
        assert_eq!(page.links.prev, Some("/a?limit=20&offset=0".into()));
    }

    #[test]
    fn offset_past_the_end_is_an_empty_page() {
        let page = paginate(&articles(), &parse_params("offset=100").unwrap(), "/a");
        assert!(
            page.items.is_empty(),
            "past the end: no items, not an error"
        );
        assert_eq!(page.total, 45);
        assert_eq!(page.links.next, None);
    }

    #[test]
    fn a_huge_offset_is_an_empty_page_not_a_crash() {
        let params = parse_params(&format!("offset={}&limit=100", usize::MAX)).unwrap();
        assert_eq!(params.offset, usize::MAX, "any usize is a valid offset");
        let page = paginate(&articles(), &params, "/a");
        assert!(page.items.is_empty());
        assert_eq!(
            page.links.next, None,
            "offset + limit must not be computed when it overflows: compare limit with what \
             is left after the offset (the offset comes from the client)"
        );
        assert_eq!(
            page.links.prev,
            Some(format!("/a?limit=100&offset={}", usize::MAX - 100))
        );
    }

    #[test]
    fn json_shape() {
        let page = paginate(
            &articles(),
            &parse_params("limit=2&offset=2").unwrap(),
            "/a",
        );
        assert_eq!(
            serde_json::to_value(&page).unwrap(),
            json!({
                "items": [3, 4],
                "total": 45,
                "links": {
                    "self": "/a?limit=2&offset=2",
                    "next": "/a?limit=2&offset=4",
                    "prev": "/a?limit=2&offset=0"
                }
            })
        );
    }

    #[test]
    fn the_value_is_everything_after_the_first_equals_sign() {
        // `limit=10=5` has the value "10=5", which is not a number: an error, not 10.
        for query in [
            "limit=10=5",
            "offset=3=x",
            "limit=10&offset=0=0",
            "limit==10",
        ] {
            assert!(
                parse_params(query).is_err(),
                "{query:?}: the value is everything after the first '=', and it is not a number"
            );
        }
        assert_eq!(
            parse_params("limit=10"),
            Ok(PageParams {
                limit: 10,
                offset: 0
            })
        );
    }
}
