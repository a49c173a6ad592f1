//! Replacing a learner's test modules with the course's own.
//!
//! A learner may edit, weaken or delete the tests in an exercise file. The grader parses both
//! files with `syn` (a real Rust parser: test modules nest braces, strings and raw strings, which
//! no regular expression handles), removes every test module from the learner's file and puts
//! the course's in. Token streams, not texts, are compared, so reformatting the tests or
//! editing their comments does not count as modifying them.
//!
//! Where the course's tests go matters: a learner's `macro_rules! assert_eq` shadows the real
//! one in everything textually *after* it. When the learner's file defines no macro at all, the
//! tests are appended at the end, which keeps the learner's line numbers in compiler messages;
//! otherwise they go first (after inner attributes), out of reach of textual macro scope. In both
//! cases the module imports the assertion macros explicitly, which beats a glob-imported
//! `#[macro_export]` macro of the learner's.

use std::ops::Range;

use quote::ToTokens;
use syn::{Attribute, Item, ItemMod};

/// Explicit imports added to every course test module (see the module docs).
const HARDENING: &str = "#[allow(unused_imports)] use ::core::{assert, assert_eq, assert_ne, debug_assert, debug_assert_eq, debug_assert_ne, matches};";

/// A learner file with the course's tests in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spliced {
    pub source: String,
    /// The learner's tests differ from the course's (edited, weakened or deleted).
    pub tests_modified: bool,
}

/// One test module of a parsed file.
struct TestModule {
    /// Byte range in its file, attributes included.
    range: Range<usize>,
    ident: String,
    /// The token stream as text: what "the same tests" means.
    tokens: String,
    /// Byte offset just after the module's `{`, for inline modules.
    body_start: Option<usize>,
    /// `#[cfg(test)]` on the module (modules that only share a course test module's name are
    /// removed too, to avoid a duplicate definition, but are not tests).
    cfg_test: bool,
}

struct Parsed {
    modules: Vec<TestModule>,
    /// Byte offset after the shebang and inner attributes: the first place an item may go.
    items_start: usize,
}

/// The course's tests spliced into the learner's `learner` source (`course` is the course's
/// version of the same file).
pub fn splice(learner: &str, course: &str) -> Spliced {
    let Some(course_parsed) = parse(course, &[]) else {
        // The course's own file does not parse: nothing can be spliced; use the learner's file.
        return Spliced {
            source: learner.to_string(),
            tests_modified: false,
        };
    };
    let course_tests: Vec<&TestModule> = course_parsed
        .modules
        .iter()
        .filter(|m| m.cfg_test)
        .collect();
    if course_tests.is_empty() {
        return Spliced {
            source: learner.to_string(),
            tests_modified: false,
        };
    }
    let names: Vec<&str> = course_tests.iter().map(|m| m.ident.as_str()).collect();
    let block: String = course_tests
        .iter()
        .map(|m| harden_module(course, m))
        .collect::<Vec<_>>()
        .join("\n");

    let Some(learner_parsed) = parse(learner, &names) else {
        // The learner's file does not parse, so it will not compile either. Keep it whole and
        // put the course's tests first, so that if rustc accepts what syn did not, the course's
        // tests still run (a learner module of the same name then fails to compile).
        let tests_modified = !course_tests
            .iter()
            .all(|m| learner.contains(&course[m.range.clone()]));
        return Spliced {
            source: format!("{block}\n{learner}"),
            tests_modified,
        };
    };

    let learner_tokens: Vec<&str> = learner_parsed
        .modules
        .iter()
        .filter(|m| names.contains(&m.ident.as_str()))
        .map(|m| m.tokens.as_str())
        .collect();
    let course_tokens: Vec<&str> = course_tests.iter().map(|m| m.tokens.as_str()).collect();
    let tests_modified = learner_tokens != course_tokens;

    let mut source = String::with_capacity(learner.len() + block.len() + 2);
    let mut at = 0;
    let tests_first = learner.contains("macro_rules");
    if tests_first {
        source.push_str(&learner[..learner_parsed.items_start]);
        source.push('\n');
        source.push_str(&block);
        source.push('\n');
        at = learner_parsed.items_start;
    }
    for module in &learner_parsed.modules {
        if module.range.start < at {
            continue;
        }
        source.push_str(&learner[at..module.range.start]);
        at = module.range.end;
    }
    source.push_str(&learner[at..]);
    if !tests_first {
        if !source.ends_with('\n') {
            source.push('\n');
        }
        source.push('\n');
        source.push_str(&block);
        source.push('\n');
    }
    Spliced {
        source,
        tests_modified,
    }
}

/// A course test module file (the file behind `#[cfg(test)] mod tests;`) with the assertion
/// macros imported explicitly.
pub fn harden_file(course_file: &str) -> String {
    let start = parse(course_file, &[]).map_or(0, |p| p.items_start);
    format!(
        "{}\n{HARDENING}\n{}",
        &course_file[..start],
        &course_file[start..]
    )
}

/// Whether two versions of a test module file hold the same tokens.
pub fn same_tokens(a: &str, b: &str) -> bool {
    match (syn::parse_file(a), syn::parse_file(b)) {
        (Ok(a), Ok(b)) => a.to_token_stream().to_string() == b.to_token_stream().to_string(),
        _ => a == b,
    }
}

/// The external test modules a file declares (`#[cfg(test)] mod tests;`): for each, its name
/// and its `#[path]` when it has one.
pub fn external_test_modules(source: &str) -> Vec<(String, Option<String>)> {
    let Ok(file) = syn::parse_file(source) else {
        return Vec::new();
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if m.content.is_none() && is_cfg_test(&m.attrs) => {
                Some((m.ident.to_string(), path_attr(&m.attrs)))
            }
            _ => None,
        })
        .collect()
}

fn harden_module(source: &str, module: &TestModule) -> String {
    let text = &source[module.range.clone()];
    match module.body_start {
        Some(body) => {
            let split = body - module.range.start;
            format!("{}\n    {HARDENING}{}", &text[..split], &text[split..])
        }
        None => text.to_string(),
    }
}

/// Parses `source` and finds its top-level test modules: `#[cfg(test)]` ones and any module
/// named in `also_named`.
fn parse(source: &str, also_named: &[&str]) -> Option<Parsed> {
    let parsed = syn::parse_file(source).ok().map(|file| {
        let mut items_start = file
            .attrs
            .iter()
            .map(|a| attr_range(a).end)
            .max()
            .unwrap_or(0);
        if items_start == 0 && source.starts_with("#!") && !source.starts_with("#![") {
            items_start = source.find('\n').map_or(source.len(), |i| i + 1);
        }
        let modules = file
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Mod(m) => {
                    let cfg_test = is_cfg_test(&m.attrs);
                    let named = also_named.contains(&m.ident.to_string().as_str());
                    (cfg_test || named).then(|| test_module(m, cfg_test))
                }
                _ => None,
            })
            .collect();
        Parsed {
            modules,
            items_start,
        }
    });
    // Spans are kept in a thread-local map that only grows; every range is extracted by now.
    proc_macro2::extra::invalidate_current_thread_spans();
    parsed
}

fn test_module(m: &ItemMod, cfg_test: bool) -> TestModule {
    let start = m
        .attrs
        .iter()
        .map(|a| attr_range(a).start)
        .chain([m.mod_token.span.byte_range().start])
        .chain(visibility_start(&m.vis))
        .min()
        .unwrap_or(0);
    let end = match (&m.content, &m.semi) {
        (Some((brace, _)), _) => brace.span.close().byte_range().end,
        (None, Some(semi)) => semi.span.byte_range().end,
        (None, None) => m.ident.span().byte_range().end,
    };
    TestModule {
        range: start..end,
        ident: m.ident.to_string(),
        tokens: m.to_token_stream().to_string(),
        body_start: m
            .content
            .as_ref()
            .map(|(brace, _)| brace.span.open().byte_range().end),
        cfg_test,
    }
}

fn visibility_start(vis: &syn::Visibility) -> Option<usize> {
    match vis {
        syn::Visibility::Public(p) => Some(p.span.byte_range().start),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span.byte_range().start),
        syn::Visibility::Inherited => None,
    }
}

fn attr_range(attr: &Attribute) -> Range<usize> {
    let start = attr.pound_token.span.byte_range().start;
    let end = attr.bracket_token.span.close().byte_range().end;
    // A doc comment is an attribute whose tokens all share the comment's span.
    start..end.max(start)
}

/// `#[cfg(...)]` whose condition mentions `test` anywhere: `cfg(test)`, `cfg(all(test, x))`.
fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta.require_list().is_ok_and(|list| {
                list.tokens
                    .to_string()
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|word| word == "test")
            })
    })
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = "//! Exercise docs.\n#![allow(dead_code)]\n\nfn add(a: i32, b: i32) -> i32 {\n    todo!()\n}\n\nfn main() {}\n\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(1, 2), 3, \"brace in a string: }\");\n    }\n}\n";

    fn learner(body: &str, tests: &str) -> String {
        format!(
            "//! Exercise docs.\n#![allow(dead_code)]\n\nfn add(a: i32, b: i32) -> i32 {{\n    {body}\n}}\n\nfn main() {{}}\n{tests}"
        )
    }

    const COURSE_TESTS: &str = "\n#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn adds() {\n        assert_eq!(add(1, 2), 3, \"brace in a string: }\");\n    }\n}\n";

    #[test]
    fn untouched_tests_are_not_modified_and_appear_once() {
        let spliced = splice(&learner("a + b", COURSE_TESTS), COURSE);
        assert!(!spliced.tests_modified);
        assert_eq!(spliced.source.matches("mod tests").count(), 1);
        assert!(spliced.source.contains(HARDENING));
        // Line numbers of the learner's code are kept when the tests go at the end.
        assert!(
            spliced
                .source
                .starts_with("//! Exercise docs.\n#![allow(dead_code)]\n\nfn add")
        );
    }

    #[test]
    fn reformatted_tests_are_not_modified() {
        let tests = COURSE_TESTS
            .replace("    ", "  ")
            .replace("use super::*;", "use super::*; // hi");
        assert!(!splice(&learner("a + b", &tests), COURSE).tests_modified);
    }

    #[test]
    fn weakened_tests_are_replaced() {
        let weak = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n        assert!(true);\n    }\n}\n";
        let spliced = splice(&learner("0", weak), COURSE);
        assert!(spliced.tests_modified);
        assert!(!spliced.source.contains("assert!(true)"));
        assert!(spliced.source.contains("assert_eq!(add(1, 2), 3"));
    }

    #[test]
    fn deleted_tests_are_restored() {
        let spliced = splice(&learner("a + b", ""), COURSE);
        assert!(spliced.tests_modified);
        assert!(spliced.source.contains("fn adds()"));
    }

    #[test]
    fn a_same_named_module_without_cfg_is_removed() {
        let fake = "mod tests {\n    #[test]\n    fn adds() {}\n}\n";
        let spliced = splice(&learner("a + b", fake), COURSE);
        assert!(spliced.tests_modified);
        assert_eq!(spliced.source.matches("mod tests").count(), 1);
    }

    #[test]
    fn learner_macros_put_the_tests_first() {
        let source = format!(
            "{}macro_rules! assert_eq {{ ($($t:tt)*) => {{}} }}\n",
            learner("0", COURSE_TESTS)
        );
        let spliced = splice(&source, COURSE);
        let tests_at = spliced.source.find("mod tests").unwrap();
        assert!(tests_at < spliced.source.find("macro_rules").unwrap());
        // After the inner attributes, which must stay first.
        assert!(spliced.source.find("#![allow(dead_code)]").unwrap() < tests_at);
    }

    #[test]
    fn unparseable_learner_file_still_gets_the_course_tests() {
        let spliced = splice("fn add( {", COURSE);
        assert!(spliced.tests_modified);
        assert!(spliced.source.contains("fn adds()"));
    }

    #[test]
    fn non_ascii_text_keeps_byte_offsets_right() {
        let source = learner("// héllo wörld ✓\n    a + b", COURSE_TESTS);
        let spliced = splice(&source, COURSE);
        assert!(!spliced.tests_modified);
        assert!(spliced.source.contains("héllo wörld ✓"));
        assert!(
            syn::parse_file(&spliced.source).is_ok(),
            "{}",
            spliced.source
        );
    }

    #[test]
    fn external_test_modules_are_found_with_their_path() {
        let source = "mod routes;\n#[cfg(test)]\nmod tests;\n#[cfg(test)]\n#[path = \"t/x.rs\"]\nmod more;\n";
        assert_eq!(
            external_test_modules(source),
            [
                ("tests".to_string(), None),
                ("more".to_string(), Some("t/x.rs".to_string()))
            ]
        );
        assert!(same_tokens("fn a() {}\n", "fn a(){} // c\n"));
        assert!(harden_file("//! docs\nuse super::*;\n").starts_with("//! docs\n"));
    }
}
