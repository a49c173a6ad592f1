// Routing with path parameters: 404 vs 405
//
// The users service answers every request it cannot route with `404 Not Found`. A client that
// sent `PUT /users/7` (the route exists, only `GET` and `DELETE` are supported) concluded that
// user 7 was gone and deleted its local copy. RFC 9110 says: an unknown path is 404, but a known
// path with the wrong method is `405 Method Not Allowed` and the response MUST carry an `Allow`
// header listing the methods the resource does support.
//
// Done means: `match_path` extracts `{name}` parameters from a path, `route` picks the handler
// (ignoring the query string) or says why it could not, and `respond` turns the outcome into a
// status code plus headers.

use std::collections::HashMap;

/// The route table: (method, pattern). `{name}` matches exactly one non-empty path segment.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/users"),
    ("POST", "/users"),
    ("GET", "/users/{id}"),
    ("DELETE", "/users/{id}"),
    ("GET", "/users/{id}/orders"),
];

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A route matched: its pattern and the extracted path parameters.
    Found {
        pattern: &'static str,
        params: HashMap<String, String>,
    },
    /// No pattern matches the path, whatever the method.
    NotFound,
    /// The path matches, but not with this method. Methods listed in table order.
    MethodNotAllowed(Vec<&'static str>),
}

/// Matches `path` (no query string) against `pattern`, returning the `{name}` parameters.
pub fn match_path(pattern: &str, path: &str) -> Option<HashMap<String, String>> {
    // TODO: walk the pattern's and the path's segments (split on '/') side by side.
    // A `{name}` segment captures one non-empty path segment; a literal must be equal;
    // both must run out at the same time.
    let _ = (pattern, path);
    todo!()
}

/// Routes a request line: `method` and `target` (a path, maybe followed by `?query`).
/// The path is matched as sent, without percent-decoding: `/users/7%2Forders` is user
/// `7%2Forders`, never the orders route (decoding `%2F` first would let an encoded slash
/// smuggle a request onto another route). The table is exact: a method it does not list,
/// `HEAD` included, is 405 like any other (this service has no HEAD routes).
pub fn route(method: &str, target: &str) -> Outcome {
    // TODO: drop the query string, then try every route in ROUTES. Remember the methods of
    // routes whose pattern matches the path: they decide between 404 and 405.
    let _ = (method, target);
    todo!()
}

/// Status code and extra headers for an outcome. `Found` is answered by the handler: 200 here.
pub fn respond(outcome: &Outcome) -> (u16, Vec<(String, String)>) {
    // TODO: 200 for Found, 404 for NotFound, 405 plus an `Allow` header ("GET, DELETE").
    let _ = outcome;
    todo!()
}

fn main() {
    for (method, target) in [("GET", "/users/7"), ("PUT", "/users/7"), ("GET", "/nope")] {
        println!("{method} {target} -> {:?}", respond(&route(method, target)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn match_path_extracts_parameters() {
        assert_eq!(
            match_path("/users/{id}/orders", "/users/42/orders"),
            Some(params(&[("id", "42")])),
            "`{{id}}` captures the segment at its position"
        );
        assert_eq!(
            match_path("/users", "/users"),
            Some(HashMap::new()),
            "a literal pattern matches itself, with no parameters"
        );
    }

    #[test]
    fn match_path_rejects_near_misses() {
        assert_eq!(
            match_path("/users/{id}", "/users"),
            None,
            "too few segments"
        );
        assert_eq!(
            match_path("/users/{id}", "/users/42/orders"),
            None,
            "too many segments: a parameter matches exactly one segment"
        );
        assert_eq!(
            match_path("/users/{id}", "/users/"),
            None,
            "an empty segment is not a value for `{{id}}`"
        );
        assert_eq!(
            match_path("/users", "/orders"),
            None,
            "literals must be equal"
        );
    }

    #[test]
    fn known_route_is_found_with_params() {
        assert_eq!(
            route("GET", "/users/42/orders"),
            Outcome::Found {
                pattern: "/users/{id}/orders",
                params: params(&[("id", "42")]),
            }
        );
        assert_eq!(
            route("DELETE", "/users/7"),
            Outcome::Found {
                pattern: "/users/{id}",
                params: params(&[("id", "7")]),
            }
        );
    }

    #[test]
    fn query_string_is_not_part_of_the_path() {
        assert_eq!(
            route("GET", "/users?limit=10&offset=20"),
            Outcome::Found {
                pattern: "/users",
                params: HashMap::new(),
            },
            "routing looks at the path only; `?limit=10` is for the handler"
        );
    }

    #[test]
    fn unknown_path_is_404_without_allow() {
        let outcome = route("GET", "/nope");
        assert_eq!(outcome, Outcome::NotFound);
        let (status, headers) = respond(&outcome);
        assert_eq!(
            status, 404,
            "unknown path: 404 Not Found, not 405 (that's for a known path with the wrong method)"
        );
        assert!(headers.is_empty(), "a 404 carries no Allow header");
        assert_eq!(route("POST", "/users/7/extra"), Outcome::NotFound);
    }

    #[test]
    fn wrong_method_is_405_with_allow() {
        let outcome = route("PUT", "/users/7");
        assert_eq!(
            outcome,
            Outcome::MethodNotAllowed(vec!["GET", "DELETE"]),
            "`/users/7` exists with GET and DELETE, in table order"
        );
        let (status, headers) = respond(&outcome);
        assert_eq!(
            status, 405,
            "known path, wrong method: 405 Method Not Allowed"
        );
        assert_eq!(
            headers,
            vec![("Allow".to_string(), "GET, DELETE".to_string())],
            "RFC 9110 15.5.6: a 405 MUST list the supported methods in an Allow header"
        );
    }

    #[test]
    fn methods_are_matched_case_sensitively() {
        for method in ["get", "Get", "gET", "delete"] {
            assert_eq!(
                route(method, "/users/7"),
                Outcome::MethodNotAllowed(vec!["GET", "DELETE"]),
                "method names are case-sensitive (RFC 9110 9.1): {method:?} is not a method \
                 of /users/7"
            );
        }
    }

    #[test]
    fn allow_lists_every_method_of_the_path() {
        let (status, headers) = respond(&route("PATCH", "/users"));
        assert_eq!(status, 405);
        assert_eq!(
            headers,
            vec![("Allow".to_string(), "GET, POST".to_string())]
        );
    }

    /// Every route of the table, with a value for each `{name}`.
    fn concrete_paths() -> Vec<(&'static str, &'static str, String)> {
        ROUTES
            .iter()
            .map(|&(method, pattern)| (method, pattern, pattern.replace("{id}", "7")))
            .collect()
    }

    #[test]
    fn a_trailing_or_doubled_slash_is_another_uri() {
        for (method, pattern, path) in concrete_paths() {
            assert!(
                matches!(route(method, &path), Outcome::Found { pattern: p, .. } if p == pattern),
                "{method} {path} is the route {pattern}"
            );
            let mut near_misses = vec![format!("{path}/"), format!("/{path}"), format!("{path}//")];
            for (i, _) in path.match_indices('/').skip(1) {
                near_misses.push(format!("{}/{}", &path[..i], &path[i..]));
            }
            for near in near_misses {
                assert_eq!(
                    route(method, &near),
                    Outcome::NotFound,
                    "{method} {near}: `/` separates segments, so an extra `/` makes an empty \
                     segment and another URI (RFC 3986); do not trim or collapse slashes"
                );
            }
        }
        assert_eq!(route("GET", "/users/"), Outcome::NotFound);
        assert_eq!(match_path("/users/{id}", "/users/7/"), None);
    }

    #[test]
    fn path_literals_are_case_sensitive() {
        for (method, _, path) in concrete_paths() {
            for changed in [path.to_uppercase(), path.replacen("users", "Users", 1)] {
                assert_eq!(
                    route(method, &changed),
                    Outcome::NotFound,
                    "{method} {changed}: the path of a URI is case-sensitive (RFC 3986 6.2.2.1), \
                     only the scheme and host are not"
                );
            }
        }
        assert_eq!(match_path("/users", "/USERS"), None);
        assert_eq!(
            route("GET", "/users/AbC"),
            Outcome::Found {
                pattern: "/users/{id}",
                params: params(&[("id", "AbC")]),
            },
            "a parameter keeps the segment exactly as sent"
        );
    }

    #[test]
    fn the_path_ends_at_the_first_question_mark() {
        for (method, pattern, path) in concrete_paths() {
            for query in [
                "",
                "next=/a?b",
                "q=?",
                "?",
                "redirect=/users/7/orders?x=1",
                "a=b/c?d/e",
            ] {
                let target = format!("{path}?{query}");
                assert!(
                    matches!(route(method, &target), Outcome::Found { pattern: p, .. } if p == pattern),
                    "{method} {target}: the query starts at the FIRST `?` and may itself contain \
                     `?` and `/` (RFC 3986 3.4)"
                );
            }
        }
    }

    #[test]
    fn found_is_200() {
        assert_eq!(respond(&route("GET", "/users")).0, 200);
    }

    #[test]
    fn the_raw_path_is_routed_without_percent_decoding() {
        // An encoded slash is part of the segment, not a separator: decoding it before routing
        // would send this request to another route.
        assert_eq!(
            route("GET", "/users/7%2Forders"),
            Outcome::Found {
                pattern: "/users/{id}",
                params: params(&[("id", "7%2Forders")])
            }
        );
        assert_eq!(
            route("GET", "/users/7%2forders?x=1"),
            Outcome::Found {
                pattern: "/users/{id}",
                params: params(&[("id", "7%2forders")])
            }
        );
        assert_eq!(route("GET", "/us%65rs"), Outcome::NotFound);
        assert_eq!(route("GET", "/users%2F7"), Outcome::NotFound);
    }

    #[test]
    fn head_is_not_in_the_table_so_it_is_405() {
        // The table is exact: HEAD has no route of its own, so it is a method the resource does
        // not support (and Allow lists only the table's methods).
        assert_eq!(
            route("HEAD", "/users/7"),
            Outcome::MethodNotAllowed(vec!["GET", "DELETE"])
        );
        assert_eq!(
            respond(&route("HEAD", "/users")),
            (405, vec![("Allow".to_string(), "GET, POST".to_string())])
        );
        assert_eq!(route("HEAD", "/nope"), Outcome::NotFound);
    }
}
