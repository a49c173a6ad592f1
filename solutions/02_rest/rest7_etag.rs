// ETags, 304 Not Modified and lost updates
//
// The dashboard polls `GET /articles/{id}` every 5 seconds and downloads the same JSON again
// and again. And two editors saving the same article overwrite each other's changes. Both are
// solved with entity tags (RFC 9110 section 8.8.3): the server labels each version of a
// representation with an `ETag`; a client sends it back in `If-None-Match` ("send it only if it
// changed": answer 304 with no body when it did not) or in `If-Match` ("save only if nobody
// changed it": answer 412 Precondition Failed when someone did).
//
// The two headers compare tags differently (RFC 9110 section 8.8.3.2). A tag may be weak,
// `W/"..."`: "semantically the same", not byte for byte (a cache or a proxy that compressed
// the body turns our strong tag into a weak one). That is good enough to skip a download, so
// If-None-Match uses the *weak* comparison (`W/"x"` matches `"x"`). It is not good enough to
// guard a write, so If-Match uses the *strong* comparison: a weak tag never matches.
//
// Done means: `etag_for` is a quoted, content-derived tag (first 16 hex digits of the SHA-256
// of the body), `if_none_match_matches` and `if_match_matches` understand lists and `*` and
// compare weakly and strongly, `handle_get` answers 200/304/404 and `handle_put` requires
// If-Match (428 without it) and refuses stale versions. PUT only updates: it never creates an
// article, so a PUT to a missing id is 404 whatever its If-Match says, `*` included (`If-Match: *`
// means "only if it exists", and RFC 9110 section 13.2.1 has the server ignore preconditions when
// the request would fail without them).

use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    pub etag: Option<String>,
    pub body: String,
}

pub struct Store {
    /// id -> JSON representation of the article.
    pub articles: HashMap<u64, String>,
}

/// `"` + the first 16 lowercase hex digits of SHA-256(body) + `"`. The quotes are part of it.
pub fn etag_for(body: &str) -> String {
    let digest = Sha256::digest(body.as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Does an `If-None-Match` header value match `current` (a strong tag of ours)? The value is
/// `*` (matches any existing representation) or a comma-separated list of entity tags, compared
/// weakly: `W/"x"` matches `"x"`. The `W/` prefix is case-sensitive. `*` is only ever the whole
/// value: inside a list it is not an entity tag and matches nothing.
pub fn if_none_match_matches(header: &str, current: &str) -> bool {
    header.trim() == "*"
        || header.split(',').any(|tag| {
            let tag = tag.trim();
            tag.strip_prefix("W/").unwrap_or(tag) == current
        })
}

/// Does an `If-Match` header value match `current` (a strong tag of ours)? `*` or a
/// comma-separated list, compared strongly: a weak tag `W/"x"` never matches. As in
/// If-None-Match, `*` counts only as the whole value, never as a member of a list.
pub fn if_match_matches(header: &str, current: &str) -> bool {
    header.trim() == "*" || header.split(',').any(|tag| tag.trim() == current)
}

pub fn handle_get(store: &Store, id: u64, if_none_match: Option<&str>) -> Response {
    let Some(body) = store.articles.get(&id) else {
        return Response {
            status: 404,
            etag: None,
            body: String::new(),
        };
    };
    let etag = etag_for(body);
    if if_none_match.is_some_and(|header| if_none_match_matches(header, &etag)) {
        // The client's copy is current: no body, but tell it which version that is.
        return Response {
            status: 304,
            etag: Some(etag),
            body: String::new(),
        };
    }
    Response {
        status: 200,
        etag: Some(etag),
        body: body.clone(),
    }
}

pub fn handle_put(store: &mut Store, id: u64, if_match: Option<&str>, new_body: &str) -> Response {
    let status = |status| Response {
        status,
        etag: None,
        body: String::new(),
    };
    let Some(current) = store.articles.get(&id) else {
        return status(404);
    };
    let Some(if_match) = if_match else {
        return status(428);
    };
    if !if_match_matches(if_match, &etag_for(current)) {
        return status(412);
    }
    store.articles.insert(id, new_body.to_string());
    Response {
        status: 200,
        etag: Some(etag_for(new_body)),
        body: new_body.to_string(),
    }
}

fn main() {
    let store = Store {
        articles: HashMap::from([(1, r#"{"title":"Hello"}"#.to_string())]),
    };
    let first = handle_get(&store, 1, None);
    let again = handle_get(&store, 1, first.etag.as_deref());
    println!("{} then {}", first.status, again.status);
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"{"title":"Hello"}"#;
    const V2: &str = r#"{"title":"Hello, world"}"#;

    fn store() -> Store {
        Store {
            articles: HashMap::from([(1, V1.to_string())]),
        }
    }

    #[test]
    fn etag_is_quoted_and_content_derived() {
        let tag = etag_for(V1);
        assert_eq!(
            tag, "\"5c924960820d681c\"",
            "first 16 hex digits of SHA-256, in quotes"
        );
        assert_eq!(tag, etag_for(V1), "same content, same tag");
        assert_ne!(tag, etag_for(V2), "new content, new tag");
    }

    #[test]
    fn if_none_match_lists_and_star() {
        let tag = etag_for(V1);
        assert!(if_none_match_matches(&tag, &tag));
        assert!(
            if_none_match_matches(&format!("\"aaaa\", {tag}"), &tag),
            "the header may list several tags, separated by commas and spaces"
        );
        assert!(
            if_none_match_matches("*", &tag),
            "`*` matches any current representation"
        );
        assert!(!if_none_match_matches("\"aaaa\"", &tag));
        assert!(
            !if_none_match_matches(tag.trim_matches('"'), &tag),
            "the quotes are part of the entity tag"
        );
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = etag_for(V1);
        assert!(
            if_none_match_matches(&format!("W/{tag}"), &tag),
            "a weak tag for the same content still means 'I have it': W/\"x\" matches \"x\""
        );
        assert!(if_none_match_matches(&format!("\"aaaa\", W/{tag}"), &tag));
        assert!(!if_none_match_matches("W/\"aaaa\"", &tag));
        assert!(
            !if_none_match_matches(&format!("w/{tag}"), &tag),
            "the weak prefix is exactly `W/` (RFC 9110: %s\"W/\", case-sensitive)"
        );
    }

    #[test]
    fn if_match_compares_strongly() {
        let tag = etag_for(V1);
        assert!(if_match_matches(&tag, &tag));
        assert!(if_match_matches(&format!("\"aaaa\", {tag}"), &tag));
        assert!(
            if_match_matches("*", &tag),
            "`*`: any current representation"
        );
        assert!(
            !if_match_matches(&format!("W/{tag}"), &tag),
            "a weak tag never matches in If-Match: 'semantically the same' is not enough to \
             guard a write (RFC 9110 13.1.1)"
        );
        assert!(!if_match_matches(&format!("\"aaaa\", W/{tag}"), &tag));
        assert!(!if_match_matches(tag.trim_matches('"'), &tag));
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

    #[test]
    fn every_list_of_tags_is_compared_by_the_rules() {
        let current = etag_for(V1);
        let other = etag_for(V2);
        let mut rng = Rng(0x5eed_e7a9);
        for _ in 0..2_000 {
            // A list as RFC 9110 5.6.1 allows it: elements separated by commas, optional
            // spaces and tabs around them, and empty elements.
            let mut elements = Vec::new();
            let (mut weak_match, mut strong_match) = (false, false);
            for _ in 0..1 + rng.below(4) {
                let element = match rng.below(7) {
                    0 => {
                        strong_match = true;
                        weak_match = true;
                        current.clone()
                    }
                    1 => {
                        weak_match = true;
                        format!("W/{current}")
                    }
                    2 => other.clone(),
                    3 => format!("W/{other}"),
                    4 => format!("w/{current}"),
                    5 => "*".to_string(),
                    _ => String::new(),
                };
                let space = |rng: &mut Rng| ["", " ", "\t", " \t "][rng.below(4)];
                elements.push(format!("{}{element}{}", space(&mut rng), space(&mut rng)));
            }
            let header = elements.join(",");
            // `*` alone is the whole value and matches; a `*` in a list is no entity tag. (A
            // `*` among empty elements only is neither: the rules leave it to us, so skip it.)
            let non_empty: Vec<&str> = elements
                .iter()
                .map(|e| e.trim())
                .filter(|e| !e.is_empty())
                .collect();
            if non_empty == ["*"] {
                if elements.len() > 1 {
                    continue;
                }
                weak_match = true;
                strong_match = true;
            }
            assert_eq!(
                if_none_match_matches(&header, &current),
                weak_match,
                "If-None-Match: {header:?} (weak comparison; spaces and tabs around elements \
                 are not part of them)"
            );
            assert_eq!(
                if_match_matches(&header, &current),
                strong_match,
                "If-Match: {header:?} (strong comparison; spaces and tabs around elements are \
                 not part of them)"
            );
        }
    }

    #[test]
    fn a_star_inside_a_list_is_not_a_wildcard() {
        let tag = etag_for(V1);
        for header in [
            "\"0000000000000000\", *",
            "*, \"0000000000000000\"",
            "*,*",
            "W/\"0000000000000000\", *",
        ] {
            assert!(
                !if_match_matches(header, &tag),
                "If-Match: {header:?}: `*` is only a wildcard as the whole value; in a list it is \
                 no entity tag, and no tag of the list is the current one"
            );
            assert!(
                !if_none_match_matches(header, &tag),
                "If-None-Match: {header:?}: `*` is only a wildcard as the whole value"
            );
        }
        assert!(
            if_match_matches(&format!("*, {tag}"), &tag),
            "the current tag is listed"
        );
        let mut store = store();
        let response = handle_put(&mut store, 1, Some("\"0000000000000000\", *"), V2);
        assert_eq!(
            response.status, 412,
            "a stale tag next to a `*` in a list authorizes nothing"
        );
        assert_eq!(store.articles[&1], V1, "the article is unchanged");
        assert_eq!(
            handle_get(&store, 1, Some("\"0000000000000000\", *")).status,
            200,
            "a stale tag next to a `*` in a list: the client's copy is not current"
        );
    }

    #[test]
    fn first_get_is_200_with_etag() {
        let response = handle_get(&store(), 1, None);
        assert_eq!(response.status, 200);
        assert_eq!(
            response.etag,
            Some(etag_for(V1)),
            "every 200 carries the ETag"
        );
        assert_eq!(response.body, V1);
    }

    #[test]
    fn matching_if_none_match_is_304_without_body() {
        let tag = etag_for(V1);
        let response = handle_get(&store(), 1, Some(&tag));
        assert_eq!(
            response.status, 304,
            "the client's copy is current: 304 Not Modified"
        );
        assert!(
            response.body.is_empty(),
            "a 304 never has a body: that is the saving"
        );
        assert_eq!(response.etag, Some(tag), "a 304 still sends the ETag");
    }

    #[test]
    fn a_weak_tag_for_the_current_version_is_304() {
        let tag = etag_for(V1);
        let response = handle_get(&store(), 1, Some(&format!("W/{tag}")));
        assert_eq!(
            response.status, 304,
            "a proxy that compressed our body sends our tag back as W/\"...\": still the \
             same version, so 304"
        );
    }

    #[test]
    fn stale_if_none_match_is_200() {
        let response = handle_get(&store(), 1, Some("\"0000000000000000\""));
        assert_eq!(
            response.status, 200,
            "the client has an old version: send the new one"
        );
        assert_eq!(response.body, V1);
    }

    #[test]
    fn missing_article_is_404() {
        assert_eq!(handle_get(&store(), 2, Some("*")).status, 404);
    }

    #[test]
    fn put_requires_if_match() {
        let mut store = store();
        assert_eq!(
            handle_put(&mut store, 1, None, V2).status,
            428,
            "428 Precondition Required: this API refuses blind overwrites"
        );
        assert_eq!(store.articles[&1], V1, "nothing was written");
    }

    #[test]
    fn put_with_current_etag_saves_and_returns_new_etag() {
        let mut store = store();
        let response = handle_put(&mut store, 1, Some(&etag_for(V1)), V2);
        assert_eq!(response.status, 200);
        assert_eq!(response.etag, Some(etag_for(V2)), "the new version's tag");
        assert_eq!(store.articles[&1], V2);
    }

    #[test]
    fn a_weak_tag_cannot_authorize_a_write() {
        let mut store = store();
        let weak = format!("W/{}", etag_for(V1));
        assert_eq!(
            handle_put(&mut store, 1, Some(&weak), V2).status,
            412,
            "If-Match uses the strong comparison: a weak tag never matches"
        );
        assert_eq!(store.articles[&1], V1, "nothing was written");
    }

    #[test]
    fn second_editor_with_stale_etag_gets_412() {
        let mut store = store();
        let old = etag_for(V1);
        assert_eq!(handle_put(&mut store, 1, Some(&old), V2).status, 200);
        let response = handle_put(&mut store, 1, Some(&old), r#"{"title":"Mine!"}"#);
        assert_eq!(
            response.status, 412,
            "the article changed since this editor loaded it: 412 Precondition Failed"
        );
        assert_eq!(store.articles[&1], V2, "the first editor's change survives");
        assert_eq!(
            handle_get(&store, 1, Some(&old)).status,
            200,
            "the old tag no longer matches on GET either"
        );
    }

    #[test]
    fn put_never_creates_a_missing_article() {
        for if_match in [Some("*"), Some(" * "), Some("\"0123456789abcdef\""), None] {
            let mut store = store();
            let response = handle_put(&mut store, 9, if_match, V2);
            assert_eq!(
                response.status, 404,
                "PUT /articles/9 with If-Match {if_match:?}: the article does not exist; \
                 `If-Match: *` means \"only if it exists\", it does not create"
            );
            assert_eq!(store.articles.len(), 1, "nothing was stored");
            assert!(!store.articles.contains_key(&9));
        }
    }
}
