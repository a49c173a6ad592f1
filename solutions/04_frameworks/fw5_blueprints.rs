// Scenario: the API grew to dozens of routes in one file. We split it like Flask blueprints or
// FastAPI's `APIRouter`: each feature defines its own small router with paths relative to
// itself ("/", "/{id}"), and the app *mounts* it under a prefix ("/api/v1/users"). Route names
// get the blueprint's name as a prefix, so `url_for("users.show", ...)` still finds them.
//
// Done means: `join_paths` glues a prefix and a path without double or trailing slashes, and
// `Router::mount` copies every route of a sub-router under the prefix (nesting works: a
// router that mounted others can itself be mounted).

use std::collections::HashMap;

pub type Params = HashMap<String, String>;
pub type Handler = fn(&Params) -> (u16, String);

#[derive(Clone)]
pub struct Route {
    pub name: String,
    pub method: String,
    pub pattern: String,
    pub handler: Handler,
}

pub struct Router {
    pub name: String,
    pub routes: Vec<Route>,
}

/// Joins a mount prefix and a route path: "/api/v1" + "/users" = "/api/v1/users".
/// Neither "//" nor a trailing "/" may appear, except for the root path "/" itself.
pub fn join_paths(prefix: &str, path: &str) -> String {
    let joined = format!(
        "{}/{}",
        prefix.trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    let trimmed = joined.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Matches "/users/{id}" against "/users/7", returning {"id": "7"}.
fn match_pattern(pattern: &str, path: &str) -> Option<Params> {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if pattern.len() != path.len() {
        return None;
    }
    let mut params = Params::new();
    for (p, s) in pattern.iter().zip(&path) {
        if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            if s.is_empty() {
                return None;
            }
            params.insert(name.to_string(), s.to_string());
        } else if p != s {
            return None;
        }
    }
    Some(params)
}

impl Router {
    pub fn new(name: &str) -> Self {
        Router {
            name: name.to_string(),
            routes: Vec::new(),
        }
    }

    pub fn route(mut self, name: &str, method: &str, pattern: &str, handler: Handler) -> Self {
        self.routes.push(Route {
            name: name.to_string(),
            method: method.to_string(),
            pattern: pattern.to_string(),
            handler,
        });
        self
    }

    /// Adds every route of `sub` under `prefix`; route names become "<sub name>.<route name>".
    pub fn mount(mut self, prefix: &str, sub: Router) -> Self {
        for route in sub.routes {
            self.routes.push(Route {
                name: format!("{}.{}", sub.name, route.name),
                pattern: join_paths(prefix, &route.pattern),
                ..route
            });
        }
        self
    }

    pub fn dispatch(&self, method: &str, path: &str) -> (u16, String) {
        let mut path_matched = false;
        for route in &self.routes {
            if let Some(params) = match_pattern(&route.pattern, path) {
                path_matched = true;
                if route.method == method {
                    return (route.handler)(&params);
                }
            }
        }
        if path_matched {
            (405, "method not allowed".to_string())
        } else {
            (404, "not found".to_string())
        }
    }

    /// Builds the URL of a named route: url_for("v1.users.show", &[("id", "7")]).
    pub fn url_for(&self, name: &str, params: &[(&str, &str)]) -> Option<String> {
        let route = self.routes.iter().find(|r| r.name == name)?;
        let mut url = route.pattern.clone();
        for (key, value) in params {
            url = url.replace(&format!("{{{key}}}"), value);
        }
        Some(url)
    }
}

fn list_users(_: &Params) -> (u16, String) {
    (200, "all users".to_string())
}

fn show_user(params: &Params) -> (u16, String) {
    (200, format!("user {}", params["id"]))
}

fn create_user(_: &Params) -> (u16, String) {
    (201, "created".to_string())
}

fn health(_: &Params) -> (u16, String) {
    (200, "ok".to_string())
}

fn users_blueprint() -> Router {
    Router::new("users")
        .route("list", "GET", "/", list_users)
        .route("create", "POST", "/", create_user)
        .route("show", "GET", "/{id}", show_user)
}

fn app() -> Router {
    let v1 = Router::new("v1")
        .route("health", "GET", "/health", health)
        .mount("/users", users_blueprint());
    Router::new("app")
        .route("root", "GET", "/", health)
        .mount("/api/v1/", v1)
}

fn main() {
    println!("{:?}", app().dispatch("GET", "/api/v1/users/7"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_paths() {
        let cases = [
            ("/api/v1", "/users", "/api/v1/users"),
            ("/api/v1/", "/users", "/api/v1/users"),
            ("/api/v1", "users", "/api/v1/users"),
            ("/users", "/", "/users"),
            ("/users", "/{id}", "/users/{id}"),
            ("/", "/health", "/health"),
            ("", "/health", "/health"),
            ("/", "/", "/"),
            ("/api//", "//users", "/api/users"),
            ("/api///", "users", "/api/users"),
            ("/users", "/{id}/", "/users/{id}"),
            ("/users", "{id}//", "/users/{id}"),
            ("/api/v1/", "/users/", "/api/v1/users"),
            ("//", "//", "/"),
            ("", "", "/"),
        ];
        for (prefix, path, expected) in cases {
            assert_eq!(
                join_paths(prefix, path),
                expected,
                "join_paths({prefix:?}, {path:?}): exactly one '/' between parts, no trailing '/'"
            );
        }
    }

    #[test]
    fn joining_any_number_of_slashes() {
        // A seeded walk over the grammar: a prefix and a path made of segments, each side with
        // any number of '/' at its ends. The joined path is the segments, each after one '/'.
        let words = ["api", "v1", "users", "{id}", "x"];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..500 {
            let prefix_words: Vec<&str> = (0..next(3)).map(|_| words[next(words.len())]).collect();
            let path_words: Vec<&str> = (0..next(3)).map(|_| words[next(words.len())]).collect();
            let prefix = if prefix_words.is_empty() {
                "/".repeat(next(4))
            } else {
                format!("/{}{}", prefix_words.join("/"), "/".repeat(next(4)))
            };
            let path = format!(
                "{}{}{}",
                "/".repeat(next(4)),
                path_words.join("/"),
                "/".repeat(next(4))
            );
            let all: Vec<&str> = prefix_words.iter().chain(&path_words).copied().collect();
            let expected = format!("/{}", all.join("/"));
            assert_eq!(
                join_paths(&prefix, &path),
                expected,
                "join_paths({prefix:?}, {path:?}): every run of '/' where the parts meet becomes \
                 one '/', and no '/' ends the path (except the root \"/\")"
            );
        }
    }

    #[test]
    fn a_route_with_a_trailing_slash_mounts_without_it() {
        let blueprint = Router::new("users")
            .route("list", "GET", "//", list_users)
            .route("show", "GET", "/{id}/", show_user);
        let app = Router::new("app").mount("/users//", blueprint);
        let patterns: Vec<&str> = app.routes.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(patterns, ["/users", "/users/{id}"]);
        assert_eq!(app.dispatch("GET", "/users/7"), (200, "user 7".into()));
        assert_eq!(app.dispatch("GET", "/users"), (200, "all users".into()));
    }

    #[test]
    fn mounted_routes_answer_under_the_prefix() {
        let app = app();
        assert_eq!(
            app.dispatch("GET", "/api/v1/users"),
            (200, "all users".into())
        );
        assert_eq!(
            app.dispatch("POST", "/api/v1/users"),
            (201, "created".into())
        );
        assert_eq!(
            app.dispatch("GET", "/api/v1/users/7"),
            (200, "user 7".into())
        );
        assert_eq!(app.dispatch("GET", "/api/v1/health"), (200, "ok".into()));
        assert_eq!(
            app.dispatch("GET", "/"),
            (200, "ok".into()),
            "the app's own route"
        );
    }

    #[test]
    fn unprefixed_paths_do_not_exist() {
        let app = app();
        assert_eq!(
            app.dispatch("GET", "/users/7").0,
            404,
            "blueprint routes live only under their mount prefix"
        );
        assert_eq!(
            app.dispatch("GET", "/api/v1/users/").0,
            404,
            "no trailing-slash variant"
        );
        assert_eq!(
            app.dispatch("GET", "/api/v1/users/users/7").0,
            404,
            "a route is mounted once, under its own prefix"
        );
    }

    #[test]
    fn a_blueprint_can_be_mounted_twice() {
        let app = Router::new("app")
            .mount("/api/v1/users", users_blueprint())
            .mount("/api/v2/people/", users_blueprint());
        assert_eq!(
            app.dispatch("GET", "/api/v2/people/7"),
            (200, "user 7".into())
        );
        assert_eq!(
            app.dispatch("GET", "/api/v1/users/7"),
            (200, "user 7".into()),
            "each mount gets its own copy of the routes, under its own prefix"
        );
        let patterns: Vec<&str> = app.routes.iter().map(|r| r.pattern.as_str()).collect();
        assert_eq!(
            patterns,
            [
                "/api/v1/users",
                "/api/v1/users",
                "/api/v1/users/{id}",
                "/api/v2/people",
                "/api/v2/people",
                "/api/v2/people/{id}",
            ],
            "mounting copies every route, in order, with the joined pattern"
        );
    }

    #[test]
    fn route_names_are_namespaced() {
        let app = app();
        assert_eq!(
            app.url_for("v1.users.show", &[("id", "42")]).as_deref(),
            Some("/api/v1/users/42"),
            "each mount prefixes the route name with the sub-router's name"
        );
        assert_eq!(
            app.url_for("v1.health", &[]).as_deref(),
            Some("/api/v1/health")
        );
        assert_eq!(
            app.url_for("show", &[("id", "42")]),
            None,
            "un-namespaced names would collide between blueprints"
        );
        assert_eq!(
            app.url_for("users.show", &[("id", "42")]),
            None,
            "mounted inside v1, the blueprint's routes are `v1.users.*`: every level adds its name"
        );
    }
}
