//! Assembling a graded program from a learner's file and the course's: as syntax, never text.
//!
//! The learner may edit, weaken or delete the tests of an exercise file, or the helpers the
//! course locks (`locked` in `info.toml`). The grader normalises the learner's text (a byte-order
//! mark and Windows line endings go: editors write both), parses it with `syn`, removes from the
//! tree every test the learner wrote, puts the course's test modules and locked items in as
//! syntax, and **prints the program that is compiled from that tree** (`prettyplease`). What is
//! compiled is exactly what was inspected: no byte offset computed from one parse is ever
//! applied to another text, which is how a leading BOM once moved the course's tests into a
//! comment.
//!
//! What the learner's tree loses:
//! - every test module at the top (`#[cfg(test)]`, or named like one of the course's);
//! - every item, at any module depth, marked `#[test]` or compiled only with or without `test`
//!   (`#[cfg(test)]`, `#[cfg(not(test))]`): the test build then sees exactly the code the
//!   learner's program runs, plus the course's tests.
//!
//! Tokens, not texts, are compared to tell whether tests or locked items were modified, so
//! reformatting or editing comments does not count.
//!
//! Where the course's code goes matters: a learner's `macro_rules! assert_eq` shadows the real
//! one in everything textually *after* it. When the learner's file defines no macro at all, the
//! course's code goes at the end; otherwise it goes first, out of reach of textual macro scope.
//! In both cases the test modules import the assertion macros explicitly, which beats a
//! glob-imported `#[macro_export]` macro of the learner's (and `names` refuses those anyway).
//!
//! The learner's copies of locked items always make way for the course's (which may hold
//! test-only instrumentation). What belongs to a locked name, so that no edit of the learner's
//! can change what the tests call through it:
//! - every top-level item of that name, whatever its kind;
//! - every `impl` block whose self type is that name or a top-level alias of it, at any depth;
//! - every top-level `use` binding of that name.
//!
//! A same-named item inside a nested module is left alone: it is not what the tests reach.

use std::borrow::Cow;

use proc_macro2::TokenTree;
use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Item, ItemImpl, ItemMod, ItemUse, Type, UseTree};

use super::{is_named, name};

/// Explicit imports added to every course test module (see the module docs).
const HARDENING: &str = "#[allow(unused_imports)] use ::core::{assert, assert_eq, assert_ne, debug_assert, debug_assert_eq, debug_assert_ne, matches};";

/// A graded program: the learner's file with the course's tests and locked items in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembled {
    /// Printed from the syntax tree: what is compiled.
    pub source: String,
    /// The learner's tests differ from the course's (edited, weakened or deleted).
    pub tests_modified: bool,
    /// The locked names whose items differ from the course's, in the order of `locked`.
    pub locked_modified: Vec<String>,
    /// Where the learner's own code tells the tests from the program (`#[cfg(test)]` on a
    /// statement, `cfg!(test)`, `#[cfg_attr(test, ...)]`), one line each: such a file is
    /// refused, since its tests would not see what its program runs.
    pub test_only_code: Vec<String>,
}

/// A file that is not Rust syntax: it cannot be inspected, so it is not compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based, in the normalised text.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl SyntaxError {
    fn of(err: &syn::Error) -> SyntaxError {
        let start = err.span().start();
        SyntaxError {
            line: start.line.max(1),
            column: start.column + 1,
            message: err.to_string(),
        }
    }
}

/// The text the grader parses: without a leading byte-order mark, with `\n` line endings.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Parses a (normalised) file; the caller holds a [`SpanReset`].
fn parse_file(text: &str) -> Result<syn::File, SyntaxError> {
    syn::parse_file(text).map_err(|e| SyntaxError::of(&e))
}

/// Spans live in a thread-local map that only grows; it is cleared when a public entry point
/// is done with every span it took (also on unwinding).
pub(crate) struct SpanReset;

impl Drop for SpanReset {
    fn drop(&mut self) {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

/// The graded program for the learner's `learner` text; `course` is the course's version of
/// the same file, `locked` the names it locks. `Err` when the learner's text is not Rust syntax.
pub fn assemble(learner: &str, course: &str, locked: &[String]) -> Result<Assembled, SyntaxError> {
    let _reset = SpanReset;
    let course = parse_file(&normalize(course)).unwrap_or_else(|_| empty_file());
    let mut file = parse_file(&normalize(learner))?;

    let course_tests: Vec<&ItemMod> = course
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if is_cfg_test(&m.attrs) => Some(m),
            _ => None,
        })
        .collect();
    let names = test_module_names(&course);

    let learner_tests: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if names.contains(&name(&m.ident)) => Some(tokens(m)),
            _ => None,
        })
        .collect();
    let tests_modified =
        learner_tests != course_tests.iter().map(|m| tokens(*m)).collect::<Vec<_>>();

    // Locked items are compared as written (the course's may hold test instrumentation).
    let learner_pieces = pieces(&file, locked);
    let course_pieces = pieces(&course, locked);
    let locked_modified: Vec<String> = locked
        .iter()
        .filter(|name| piece_tokens(&learner_pieces, name) != piece_tokens(&course_pieces, name))
        .cloned()
        .collect();
    // A locked macro must be defined before the tests that use it, so it always goes first.
    let macro_first = course_pieces
        .iter()
        .any(|p| p.kind == (PieceKind::Item { macro_rules: true }));
    let mut block: Vec<Item> = Vec::new();
    // The learner's copies of locked items always make way for the course's, so that what is
    // compiled is the course's to the last `#[cfg(test)]` counter.
    if !locked.is_empty() {
        restore(&mut file, locked, &locked_modified);
        block.extend(course_locked_items(
            &course,
            &course_pieces,
            &locked_modified,
        ));
    }
    // Every test of the learner's goes, and every module that would collide with the course's;
    // then what is left may not tell the tests from the program.
    strip_tests(&mut file, &names);
    let mut detector = TestDetector(Vec::new());
    detector.visit_file(&file);
    let test_only_code = detector.0;
    block.extend(course_tests.iter().map(|m| Item::Mod(hardened(m))));

    let first = macro_first || defines_macros(&file);
    if first {
        file.items.splice(0..0, block);
    } else {
        file.items.extend(block);
    }
    Ok(Assembled {
        source: prettyplease::unparse(&file),
        tests_modified,
        locked_modified,
        test_only_code,
    })
}

/// The names of the course's test modules (`#[cfg(test)] mod tests`) at the top of its file: a
/// learner's module of such a name is removed with the learner's tests.
pub(crate) fn test_module_names(course: &syn::File) -> Vec<String> {
    course
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if is_cfg_test(&m.attrs) => Some(name(&m.ident)),
            _ => None,
        })
        .collect()
}

/// Removes from `file` what the graded program never holds of it: every test module at the top
/// (`#[cfg(test)]`, or named like one of the course's, `course_tests`) and, at every module
/// depth, every item marked `#[test]` or gated on `test`. The contract reads a learner's file
/// after this, so that it sees what the compiler compiles (red team round 6).
pub(crate) fn strip_tests(file: &mut syn::File, course_tests: &[String]) {
    file.items.retain(|item| match item {
        Item::Mod(m) => !is_cfg_test(&m.attrs) && !course_tests.contains(&name(&m.ident)),
        _ => true,
    });
    TestStripper.visit_file_mut(file);
}

/// A course test module file (the file behind `#[cfg(test)] mod tests;`) as it is compiled:
/// printed from its tree, with the assertion macros imported explicitly.
pub fn harden_file(course_file: &str) -> String {
    let _reset = SpanReset;
    match parse_file(&normalize(course_file)) {
        Ok(mut file) => {
            file.items.insert(0, hardening());
            prettyplease::unparse(&file)
        }
        // `dev check` requires course files to parse; a broken one fails to compile.
        Err(_) => course_file.to_string(),
    }
}

/// Whether two versions of a test module file hold the same tokens.
pub fn same_tokens(a: &str, b: &str) -> bool {
    let _reset = SpanReset;
    match (parse_file(&normalize(a)), parse_file(&normalize(b))) {
        (Ok(a), Ok(b)) => tokens(&a) == tokens(&b),
        _ => a == b,
    }
}

/// The `#[test]` functions that are not ignored in the course's test modules of `course_file`
/// (its `#[cfg(test)]` inline modules; for a test module file, pass `whole`): what a pass must
/// report. `None` when a macro invocation in them may generate tests, so only the course
/// (`tests` in `info.toml`) can say.
pub fn course_test_count(course_file: &str, whole: bool) -> Option<usize> {
    let _reset = SpanReset;
    let file = parse_file(&normalize(course_file)).ok()?;
    if whole {
        return count_tests(&file.items, Generated::AnyInvocation);
    }
    let mut sum = 0;
    for item in &file.items {
        if let Item::Mod(m) = item
            && is_cfg_test(&m.attrs)
            && let Some((_, content)) = &m.content
        {
            sum += count_tests(content, Generated::AnyInvocation)?;
        }
    }
    Some(sum)
}

/// Which macros among items may generate tests, so that their number cannot be read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Generated {
    /// Every item-level macro invocation, and every macro that names `test` (the course's
    /// count, which must be certain).
    AnyInvocation,
    /// Macros that name `test` (a learner's own check: `thread_local!` is fine).
    NamingTest,
}

/// `#[test]` functions that are not ignored, or `None` when a macro among the items may
/// generate more.
pub(crate) fn count_tests(items: &[Item], generated: Generated) -> Option<usize> {
    let mut count = 0;
    for item in items {
        match item {
            Item::Fn(f) if has_attr(&f.attrs, "test") && !has_attr(&f.attrs, "ignore") => {
                count += 1;
            }
            Item::Mod(m) => {
                if let Some((_, content)) = &m.content {
                    count += count_tests(content, generated)?;
                }
            }
            Item::Macro(m) => {
                // `thread_local!` declares statics; `names` keeps learners from redefining it.
                let invocation = m.ident.is_none()
                    && !is_named(&m.mac.path, "macro_rules")
                    && !is_named(&m.mac.path, "thread_local");
                if mentions_test(m.mac.tokens.clone())
                    || (invocation && generated == Generated::AnyInvocation)
                {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(count)
}

/// Whether tokens name `test` (as `#[test]` does): a macro invocation that may generate tests.
fn mentions_test(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => name(&ident) == "test",
        TokenTree::Group(group) => mentions_test(group.stream()),
        _ => false,
    })
}

fn has_attr(attrs: &[Attribute], wanted: &str) -> bool {
    attrs.iter().any(|a| is_named(a.path(), wanted))
}

fn empty_file() -> syn::File {
    syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: Vec::new(),
    }
}

fn tokens<T: ToTokens>(node: &T) -> String {
    node.to_token_stream().to_string()
}

fn hardening() -> Item {
    syn::parse_str(HARDENING).expect("the hardening import is valid Rust")
}

fn hardened(module: &ItemMod) -> ItemMod {
    let mut module = module.clone();
    if let Some((_, content)) = &mut module.content {
        content.insert(0, hardening());
    }
    module
}

fn defines_macros(file: &syn::File) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
            self.0 |= item.ident.is_some() || is_named(&item.mac.path, "macro_rules");
            visit::visit_item_macro(self, item);
        }
    }
    let mut finder = Finder(false);
    finder.visit_file(file);
    finder.0
}

/// Finds what is left of code that tells the tests from the program, once module-level test
/// items are gone.
struct TestDetector(Vec<String>);

impl<'ast> Visit<'ast> for TestDetector {
    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        // Crate attributes are the rule book's (it refuses all but lint levels).
        if matches!(attr.style, syn::AttrStyle::Inner(_)) {
            return;
        }
        let gated = if is_named(attr.path(), "cfg") {
            is_cfg_test(std::slice::from_ref(attr))
        } else if is_named(attr.path(), "cfg_attr") {
            // The predicate is the first argument; `names_test` looks at all of them, which
            // is stricter and as simple.
            attr.meta
                .require_list()
                .is_ok_and(|list| mentions_test(list.tokens.clone()))
        } else {
            false
        };
        if gated {
            let line = attr.pound_token.span.start().line;
            self.0.push(format!(
                "line {line}: `{}` makes the tests see other code than your program runs; remove it (the course's tests replace yours)",
                tokens(attr).replace(' ', "")
            ));
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if is_named(&mac.path, "cfg") && mentions_test(mac.tokens.clone()) {
            let line = mac.bang_token.span.start().line;
            self.0.push(format!(
                "line {line}: `cfg!(test)` makes the tests see other code than your program runs; remove it"
            ));
        }
        visit::visit_macro(self, mac);
    }
}

/// Removes, at every module depth, the items that exist only for tests or only without them,
/// and the methods of `impl` blocks and traits that do.
struct TestStripper;

impl VisitMut for TestStripper {
    fn visit_item_impl_mut(&mut self, block: &mut ItemImpl) {
        block.items.retain(|item| match item {
            syn::ImplItem::Fn(f) => !has_attr(&f.attrs, "test") && !is_cfg_test(&f.attrs),
            syn::ImplItem::Const(c) => !is_cfg_test(&c.attrs),
            syn::ImplItem::Type(t) => !is_cfg_test(&t.attrs),
            _ => true,
        });
        visit_mut::visit_item_impl_mut(self, block);
    }

    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain(|item| !is_test_only(item));
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items.retain(|item| !is_test_only(item));
        visit_mut::visit_file_mut(self, file);
    }
}

fn is_test_only(item: &Item) -> bool {
    item_attrs(item).is_some_and(|attrs| has_attr(attrs, "test") || is_cfg_test(attrs))
}

fn item_attrs(item: &Item) -> Option<&Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => return None,
    })
}

/// `#[cfg(...)]` whose condition names the `test` option anywhere: `cfg(test)`,
/// `cfg(all(test, x))`, `cfg(not(test))` (not `feature = "test-utils"`, a string).
pub(crate) fn is_cfg_test(attrs: &[Attribute]) -> bool {
    fn names_test(tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => name(&ident) == "test",
            TokenTree::Group(group) => names_test(group.stream()),
            _ => false,
        })
    }
    attrs.iter().any(|a| {
        is_named(a.path(), "cfg")
            && a.meta
                .require_list()
                .is_ok_and(|list| names_test(list.tokens.clone()))
    })
}

// ---- locked items ----

/// A part of a file that belongs to a locked name (see the module docs).
struct Piece {
    name: String,
    /// What is compared; for a `use`, the one binding as a `use` item of its own.
    tokens: String,
    kind: PieceKind,
    /// The top-level item it is, or is in (`Use`); `None` for nested impls.
    index: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    /// A top-level item: one named after the locked name, or an `impl` of it.
    Item { macro_rules: bool },
    /// One binding of a top-level `use`.
    Use,
    /// An `impl` of a locked type inside another item. Course files have none (`dev check`),
    /// so a learner's is always a modification, and is removed.
    Nested,
}

/// The pieces of the `locked` names in `file`, test modules aside.
fn pieces(file: &syn::File, locked: &[String]) -> Vec<Piece> {
    let mut found = Vec::new();
    if locked.is_empty() {
        return found;
    }
    let types = LockedTypes::of(file, locked);
    for (index, item) in file.items.iter().enumerate() {
        if matches!(item, Item::Mod(m) if is_cfg_test(&m.attrs)) {
            continue;
        }
        let name = item_name(item).or_else(|| match item {
            Item::Impl(i) => types.name(&i.self_ty),
            _ => None,
        });
        if let Some(name) = name.filter(|n| locked.contains(n)) {
            found.push(Piece {
                name,
                tokens: tokens(item),
                kind: PieceKind::Item {
                    macro_rules: matches!(item, Item::Macro(m) if m.ident.is_some()),
                },
                index: Some(index),
            });
            continue;
        }
        if let Item::Use(u) = item {
            for (bound, path) in use_bindings(&u.tree) {
                if locked.contains(&bound) {
                    found.push(Piece {
                        tokens: tokens(&single_use(u, &path, &bound)),
                        name: bound,
                        kind: PieceKind::Use,
                        index: Some(index),
                    });
                }
            }
            continue;
        }
        let mut finder = NestedImpls {
            types: &types,
            found: Vec::new(),
        };
        finder.visit_item(item);
        found.extend(finder.found);
    }
    found
}

/// The tokens of the pieces of `name`, in file order.
fn piece_tokens<'a>(pieces: &'a [Piece], name: &str) -> Vec<(PieceKind, &'a str)> {
    pieces
        .iter()
        .filter(|p| p.name == name)
        .map(|p| (p.kind, p.tokens.as_str()))
        .collect()
}

/// Takes the learner's locked items out of `file`: every item piece, every nested `impl` of a
/// locked type, and the `use` bindings of the `modified` names.
fn restore(file: &mut syn::File, locked: &[String], modified: &[String]) {
    let types = LockedTypes::of(file, locked);
    let mut remover = NestedImplRemover { types: &types };
    let mut kept = Vec::with_capacity(file.items.len());
    for mut item in std::mem::take(&mut file.items) {
        let name = item_name(&item).or_else(|| match &item {
            Item::Impl(i) => types.name(&i.self_ty),
            _ => None,
        });
        if name.is_some_and(|n| locked.contains(&n)) {
            continue;
        }
        if let Item::Use(u) = &mut item {
            let binds_modified = use_bindings(&u.tree)
                .iter()
                .any(|(bound, _)| modified.contains(bound));
            if binds_modified {
                match pruned(&u.tree, None, modified) {
                    Some(tree) => u.tree = tree,
                    None => continue,
                }
            }
        } else if !matches!(&item, Item::Mod(m) if is_cfg_test(&m.attrs)) {
            remover.visit_item_mut(&mut item);
        }
        kept.push(item);
    }
    file.items = kept;
}

/// The course's items of the locked names, and its `use` bindings of the `modified` ones.
fn course_locked_items(course: &syn::File, pieces: &[Piece], modified: &[String]) -> Vec<Item> {
    let mut items = Vec::new();
    for piece in pieces {
        let Some(index) = piece.index else { continue };
        match piece.kind {
            PieceKind::Item { .. } => items.push(course.items[index].clone()),
            PieceKind::Use if modified.contains(&piece.name) => {
                if let Item::Use(u) = &course.items[index]
                    && let Some((_, path)) = use_bindings(&u.tree)
                        .into_iter()
                        .find(|(bound, _)| *bound == piece.name)
                {
                    items.push(Item::Use(single_use(u, &path, &piece.name)));
                }
            }
            _ => {}
        }
    }
    items
}

/// `use <path> as <bound>;` with the attributes and visibility of `original`.
fn single_use(original: &ItemUse, path: &[String], bound: &str) -> ItemUse {
    let text = format!(
        "{} {} use {}{} as {bound};",
        original
            .attrs
            .iter()
            .map(tokens)
            .collect::<Vec<_>>()
            .join(" "),
        tokens(&original.vis),
        if original.leading_colon.is_some() {
            "::"
        } else {
            ""
        },
        path.join("::"),
    );
    syn::parse_str(&text).unwrap_or_else(|_| original.clone())
}

/// `locked` plus, when it is not empty, the external modules (`mod db;`) that `course_file`
/// declares outside tests: in a folder exercise, a learner who redeclares `mod db` inline or
/// with a `#[path]` would otherwise swap the course's file, locked items and all, for their own.
pub fn with_module_names(locked: &[String], course_file: &str) -> Vec<String> {
    let mut names = locked.to_vec();
    if locked.is_empty() {
        return names;
    }
    let _reset = SpanReset;
    if let Ok(file) = parse_file(&normalize(course_file)) {
        for item in &file.items {
            if let Item::Mod(m) = item
                && m.content.is_none()
                && !is_cfg_test(&m.attrs)
            {
                let module = name(&m.ident);
                if !names.contains(&module) {
                    names.push(module);
                }
            }
        }
    }
    names
}

/// The locked names that `source` defines with a top-level item of their name (not an `impl`
/// or a `use`): what `dev check` requires of every locked name.
pub fn defined_names(source: &str, locked: &[String]) -> Vec<String> {
    let _reset = SpanReset;
    let Ok(file) = parse_file(&normalize(source)) else {
        return Vec::new();
    };
    file.items
        .iter()
        .filter_map(item_name)
        .filter(|name| locked.contains(name))
        .collect()
}

/// The locked names of the pieces of `source` (items, impls, `use` bindings), for an exercise
/// file a learner no longer has.
pub fn locked_names_in(source: &str, locked: &[String]) -> Vec<String> {
    let _reset = SpanReset;
    let mut names: Vec<String> = Vec::new();
    let file = parse_file(&normalize(source)).unwrap_or_else(|_| empty_file());
    for piece in pieces(&file, locked) {
        if !names.contains(&piece.name) {
            names.push(piece.name);
        }
    }
    names
}

/// Locked types whose `impl` blocks in `source` are not top-level items (`dev check` forbids
/// them in course files: the grader removes every such block of a learner's).
pub fn nested_impls(source: &str, locked: &[String]) -> Vec<String> {
    let _reset = SpanReset;
    let file = parse_file(&normalize(source)).unwrap_or_else(|_| empty_file());
    pieces(&file, locked)
        .into_iter()
        .filter(|p| p.kind == PieceKind::Nested)
        .map(|p| p.name)
        .collect()
}

/// The external test modules a file declares (`#[cfg(test)] mod tests;`): for each, its name
/// and its `#[path]` when it has one.
pub fn external_test_modules(source: &str) -> Vec<(String, Option<String>)> {
    let _reset = SpanReset;
    let Ok(file) = parse_file(&normalize(source)) else {
        return Vec::new();
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(m) if m.content.is_none() && is_cfg_test(&m.attrs) => {
                Some((name(&m.ident), path_attr(&m.attrs)))
            }
            _ => None,
        })
        .collect()
}

/// The name a top-level item defines, for the kinds a course can lock.
pub(crate) fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Fn(i) => &i.sig.ident,
        Item::Struct(i) => &i.ident,
        Item::Enum(i) => &i.ident,
        Item::Union(i) => &i.ident,
        Item::Trait(i) => &i.ident,
        Item::TraitAlias(i) => &i.ident,
        Item::Const(i) => &i.ident,
        Item::Static(i) => &i.ident,
        Item::Type(i) => &i.ident,
        Item::Mod(i) => &i.ident,
        Item::Macro(i) => i.ident.as_ref()?,
        Item::ExternCrate(i) => i.rename.as_ref().map_or(&i.ident, |(_, r)| r),
        _ => return None,
    };
    Some(name(ident))
}

/// The type an `impl` block is for, by its last path segment (`&Counter`, `crate::Counter<T>`
/// are both `Counter`).
fn self_type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| name(&s.ident)),
        Type::Reference(r) => self_type_name(&r.elem),
        Type::Paren(p) => self_type_name(&p.elem),
        Type::Group(g) => self_type_name(&g.elem),
        Type::Ptr(p) => self_type_name(&p.elem),
        _ => None,
    }
}

/// The locked names of a file, and the top-level aliases of them (`type C = Counter;`,
/// `use crate::Counter as C;`), through which an `impl` of a locked type could be written.
struct LockedTypes<'a> {
    locked: &'a [String],
    /// (alias, locked name)
    aliases: Vec<(String, String)>,
}

impl<'a> LockedTypes<'a> {
    fn of(file: &syn::File, locked: &'a [String]) -> LockedTypes<'a> {
        let mut aliases = Vec::new();
        for item in &file.items {
            match item {
                Item::Type(t) => {
                    if let Some(target) = self_type_name(&t.ty) {
                        aliases.push((name(&t.ident), target));
                    }
                }
                Item::Use(u) => {
                    for (bound, path) in use_bindings(&u.tree) {
                        let target = path.last().cloned().unwrap_or_default();
                        aliases.push((bound, target));
                    }
                }
                _ => {}
            }
        }
        aliases.retain(|(alias, target)| !locked.contains(alias) && locked.contains(target));
        LockedTypes { locked, aliases }
    }

    /// The locked name an `impl` for `ty` is an `impl` of, if any.
    fn name(&self, ty: &Type) -> Option<String> {
        let name = self_type_name(ty)?;
        if self.locked.contains(&name) {
            return Some(name);
        }
        self.aliases
            .iter()
            .find(|(alias, _)| *alias == name)
            .map(|(_, target)| target.clone())
    }
}

/// Finds `impl` blocks of locked types inside an item, at any depth.
struct NestedImpls<'a> {
    types: &'a LockedTypes<'a>,
    found: Vec<Piece>,
}

impl<'ast> Visit<'ast> for NestedImpls<'_> {
    fn visit_item_impl(&mut self, item: &'ast ItemImpl) {
        match self.types.name(&item.self_ty) {
            Some(name) => self.found.push(Piece {
                name,
                tokens: tokens(item),
                kind: PieceKind::Nested,
                index: None,
            }),
            None => visit::visit_item_impl(self, item),
        }
    }
}

/// Removes `impl` blocks of locked types inside an item, at any depth.
struct NestedImplRemover<'a> {
    types: &'a LockedTypes<'a>,
}

impl NestedImplRemover<'_> {
    fn keeps(&self, item: &Item) -> bool {
        !matches!(item, Item::Impl(i) if self.types.name(&i.self_ty).is_some())
    }
}

impl VisitMut for NestedImplRemover<'_> {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block
            .stmts
            .retain(|stmt| !matches!(stmt, syn::Stmt::Item(item) if !self.keeps(item)));
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain(|item| self.keeps(item));
        }
        visit_mut::visit_item_mod_mut(self, module);
    }
}

/// Every name a `use` tree binds, with the path it binds it to (`[a, b]` for `use a::{b}`).
/// Globs bind no name of their own; `as _` binds none.
pub(crate) fn use_bindings(tree: &UseTree) -> Vec<(String, Vec<String>)> {
    fn walk(
        tree: &UseTree,
        prefix: &mut Vec<String>,
        parent: Option<&str>,
        out: &mut Vec<(String, Vec<String>)>,
    ) {
        let joined = |prefix: &[String], last: &str| {
            let mut path = prefix.to_vec();
            if last != "self" {
                path.push(last.to_string());
            }
            path
        };
        match tree {
            UseTree::Path(p) => {
                let ident = name(&p.ident);
                prefix.push(ident.clone());
                walk(&p.tree, prefix, Some(&ident), out);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let ident = name(&n.ident);
                let bound = if ident == "self" {
                    parent.map(str::to_string)
                } else {
                    Some(ident.clone())
                };
                if let Some(bound) = bound {
                    out.push((bound, joined(prefix, &ident)));
                }
            }
            UseTree::Rename(r) => {
                let bound = name(&r.rename);
                if bound != "_" {
                    out.push((bound, joined(prefix, &name(&r.ident))));
                }
            }
            UseTree::Glob(_) => {}
            UseTree::Group(g) => {
                for tree in &g.items {
                    walk(tree, prefix, parent, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut Vec::new(), None, &mut out);
    out
}

/// The `use` tree without the bindings of `names`; `None` when nothing is left.
fn pruned(tree: &UseTree, parent: Option<&str>, names: &[String]) -> Option<UseTree> {
    let keep = |bound: &str| !names.iter().any(|n| n == bound);
    match tree {
        UseTree::Path(p) => {
            let ident = name(&p.ident);
            let inner = pruned(&p.tree, Some(&ident), names)?;
            let mut p = p.clone();
            p.tree = Box::new(inner);
            Some(UseTree::Path(p))
        }
        UseTree::Name(n) => {
            let ident = name(&n.ident);
            let bound = if ident == "self" {
                parent.unwrap_or_default()
            } else {
                &ident
            };
            keep(bound).then(|| tree.clone())
        }
        UseTree::Rename(r) => keep(&name(&r.rename)).then(|| tree.clone()),
        UseTree::Glob(_) => Some(tree.clone()),
        UseTree::Group(g) => {
            let items: syn::punctuated::Punctuated<UseTree, syn::Token![,]> = g
                .items
                .iter()
                .filter_map(|t| pruned(t, parent, names))
                .collect();
            (!items.is_empty()).then(|| {
                let mut g = g.clone();
                g.items = items;
                UseTree::Group(g)
            })
        }
    }
}

/// Every file a module's attributes may name: its plain `#[path = ".."]` and every `path`
/// inside a `#[cfg_attr(..)]`, however nested (red team round 6: `#[cfg_attr(all(), path =
/// "notes.txt")]` was invisible to [`path_attr`]).
pub(crate) fn path_attrs(attrs: &[Attribute]) -> Vec<String> {
    let mut found: Vec<String> = path_attr(attrs).into_iter().collect();
    for attr in attrs.iter().filter(|a| is_named(a.path(), "cfg_attr")) {
        if let Ok(list) = attr.meta.require_list() {
            cfg_attr_paths(list.tokens.clone(), &mut found);
        }
    }
    found
}

/// The `path = ".."` values among the attributes a `cfg_attr`'s tokens (predicate first) apply.
pub(crate) fn cfg_attr_paths(tokens: proc_macro2::TokenStream, found: &mut Vec<String>) {
    let parsed = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        tokens,
    );
    let Ok(metas) = parsed else { return };
    for meta in metas.iter().skip(1) {
        match meta {
            syn::Meta::NameValue(nv) if is_named(&nv.path, "path") => {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    found.push(s.value());
                }
            }
            syn::Meta::List(list) if is_named(&list.path, "cfg_attr") => {
                cfg_attr_paths(list.tokens.clone(), found);
            }
            _ => {}
        }
    }
}

/// A plain `#[path = ".."]`.
pub(crate) fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if is_named(&nv.path, "path") => match &nv.value {
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

    fn splice(learner: &str, course: &str, locked: &[String]) -> Assembled {
        let assembled = assemble(learner, course, locked).expect("the learner's file parses");
        assert!(
            syn::parse_file(&assembled.source).is_ok(),
            "{}",
            assembled.source
        );
        assembled
    }

    /// The `#[test]` functions of a printed program, by name, wherever they are.
    fn test_fns(source: &str) -> Vec<String> {
        struct Tests(Vec<String>);
        impl<'ast> Visit<'ast> for Tests {
            fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
                if has_attr(&f.attrs, "test") {
                    self.0.push(f.sig.ident.to_string());
                }
                visit::visit_item_fn(self, f);
            }
        }
        let mut found = Tests(Vec::new());
        found.visit_file(&syn::parse_file(source).unwrap());
        found.0
    }

    #[test]
    fn untouched_tests_are_not_modified_and_appear_once() {
        let spliced = splice(&learner("a + b", COURSE_TESTS), COURSE, &[]);
        assert!(!spliced.tests_modified);
        assert_eq!(spliced.source.matches("mod tests").count(), 1);
        assert!(spliced.source.contains("use ::core::{"));
        assert_eq!(test_fns(&spliced.source), ["adds"]);
        // The inner attributes stay first; the learner's items come before the tests.
        assert!(
            spliced
                .source
                .starts_with("//! Exercise docs.\n#![allow(dead_code)]\n")
        );
        assert!(spliced.source.find("fn add").unwrap() < spliced.source.find("mod tests").unwrap());
    }

    #[test]
    fn reformatted_tests_are_not_modified() {
        let tests = COURSE_TESTS
            .replace("    ", "  ")
            .replace("use super::*;", "use super::*; // hi");
        assert!(!splice(&learner("a + b", &tests), COURSE, &[]).tests_modified);
    }

    #[test]
    fn weakened_tests_are_replaced() {
        let weak = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n        assert!(true);\n    }\n}\n";
        let spliced = splice(&learner("0", weak), COURSE, &[]);
        assert!(spliced.tests_modified);
        assert!(!spliced.source.contains("assert!(true)"));
        assert!(spliced.source.contains("add(1, 2), 3"));
    }

    #[test]
    fn deleted_tests_are_restored() {
        let spliced = splice(&learner("a + b", ""), COURSE, &[]);
        assert!(spliced.tests_modified);
        assert_eq!(test_fns(&spliced.source), ["adds"]);
    }

    #[test]
    fn a_same_named_module_without_cfg_is_removed() {
        let fake = "mod tests {\n    #[test]\n    fn adds() {}\n}\n";
        let spliced = splice(&learner("a + b", fake), COURSE, &[]);
        assert!(spliced.tests_modified);
        assert_eq!(spliced.source.matches("mod tests").count(), 1);
    }

    #[test]
    fn every_test_of_the_learner_goes_at_every_depth() {
        let extra = "#[test]\nfn mine() {}\nmod deep {\n    #[test]\n    fn deeper() {}\n    #[cfg(test)]\n    mod t { #[test] fn deepest() {} }\n    #[cfg(not(test))]\n    pub fn only_outside_tests() {}\n    pub fn kept() {}\n}\n#[cfg(all(unix, test))]\nimpl Drop for Thing { fn drop(&mut self) {} }\n#[cfg(feature = \"test-utils\")]\nfn feature_gated() {}\n";
        let spliced = splice(
            &learner("a + b", &format!("{extra}{COURSE_TESTS}")),
            COURSE,
            &[],
        );
        assert_eq!(test_fns(&spliced.source), ["adds"]);
        assert!(!spliced.source.contains("only_outside_tests"));
        assert!(!spliced.source.contains("Drop"));
        assert!(spliced.source.contains("pub fn kept"));
        // A feature named with the word is not the `test` option.
        assert!(spliced.source.contains("feature_gated"));
        // Red team round 5: attributes spelled raw are the same attributes to rustc.
        let raw = "#[r#test]\nfn mine() {}\n#[r#cfg(r#test)]\nfn answer() -> i32 { 5 }\n#[r#cfg(not(test))]\nfn answer() -> i32 { 0 }\n";
        let spliced = splice(
            &learner("a + b", &format!("{raw}{COURSE_TESTS}")),
            COURSE,
            &[],
        );
        assert_eq!(test_fns(&spliced.source), ["adds"]);
        assert!(!spliced.source.contains("answer"), "{}", spliced.source);
    }

    #[test]
    fn code_that_tells_the_tests_from_the_program_is_found() {
        for body in [
            "#[cfg(test)]\n    return 3;\n    0",
            "if cfg!(test) { 3 } else { 0 }",
            "#[cfg(not(test))]\n    let x = 0;\n    #[cfg(test)]\n    let x = 3;\n    x",
            // Red team round 5: spelled raw.
            "#[r#cfg(r#test)]\n    return 3;\n    0",
            "if r#cfg!(test) { 3 } else { 0 }",
        ] {
            let spliced = splice(&learner(body, COURSE_TESTS), COURSE, &[]);
            assert_eq!(spliced.test_only_code.len().min(1), 1, "{body}");
        }
        let gated = "#[cfg_attr(test, path = \"fake.rs\")]\nmod m {}\n";
        let spliced = splice(
            &format!("{}{gated}", learner("a + b", COURSE_TESTS)),
            COURSE,
            &[],
        );
        assert_eq!(
            spliced.test_only_code.len(),
            1,
            "{:?}",
            spliced.test_only_code
        );
        // Test helpers of the learner's are removed, not refused, wherever an item can be.
        let helpers = "struct S;\nimpl S {\n    #[cfg(test)]\n    fn only_for_tests() {}\n}\n#[cfg(test)]\nfn helper() {}\n";
        let spliced = splice(
            &format!("{}{helpers}", learner("a + b", COURSE_TESTS)),
            COURSE,
            &[],
        );
        assert!(
            spliced.test_only_code.is_empty(),
            "{:?}",
            spliced.test_only_code
        );
        assert!(!spliced.source.contains("only_for_tests"));
        // The course's own instrumentation in a locked item is the course's, and stays.
        let course = "mod sealed {\n    pub fn f() -> u32 {\n        #[cfg(test)]\n        COUNT.with(|c| c.set(c.get() + 1));\n        1\n    }\n    #[cfg(test)]\n    thread_local! { pub static COUNT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) }; }\n}\nfn main() {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { assert_eq!(super::sealed::f(), 1); }\n}\n";
        let spliced = splice(course, course, &["sealed".to_string()]);
        assert!(
            spliced.test_only_code.is_empty(),
            "{:?}",
            spliced.test_only_code
        );
        assert!(spliced.locked_modified.is_empty());
        assert!(
            spliced.source.contains("thread_local!"),
            "{}",
            spliced.source
        );
    }

    #[test]
    fn learner_macros_put_the_tests_first() {
        let source = format!(
            "{}macro_rules! assert_eq {{ ($($t:tt)*) => {{}} }}\n",
            learner("0", COURSE_TESTS)
        );
        let spliced = splice(&source, COURSE, &[]);
        let tests_at = spliced.source.find("mod tests").unwrap();
        assert!(tests_at < spliced.source.find("macro_rules").unwrap());
        // After the inner attributes, which must stay first.
        assert!(spliced.source.find("#![allow(dead_code)]").unwrap() < tests_at);
    }

    #[test]
    fn an_unparseable_learner_file_is_a_syntax_error_with_its_place() {
        let err = assemble("fn main() {}\nfn add( {\n", COURSE, &[]).unwrap_err();
        assert_eq!(err.line, 2, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_endings_change_nothing() {
        let plain = learner("a + b", COURSE_TESTS);
        let expected = splice(&plain, COURSE, &[]);
        for variant in [
            format!("\u{feff}{plain}"),
            plain.replace('\n', "\r\n"),
            format!("\u{feff}{}", plain.replace('\n', "\r\n")),
        ] {
            assert_eq!(splice(&variant, COURSE, &[]), expected);
        }
        // The course's file may carry them too.
        let course = format!("\u{feff}{}", COURSE.replace('\n', "\r\n"));
        assert_eq!(splice(&plain, &course, &[]), expected);
    }

    #[test]
    fn multibyte_text_before_the_tests_keeps_them_whole() {
        let source = format!(
            "\u{feff}// 𝄞 héllo wörld ✓ 𝄞\n{}",
            learner("/* 𝄞 */ a + b", &format!("// 𝄞\n{COURSE_TESTS}"))
        );
        let spliced = splice(&source, COURSE, &[]);
        assert!(!spliced.tests_modified);
        assert_eq!(test_fns(&spliced.source), ["adds"]);
    }

    #[test]
    fn the_course_counts_its_own_tests() {
        assert_eq!(course_test_count(COURSE, false), Some(1));
        let more = "#[cfg(test)]\nmod tests {\n #[test] fn a() {}\n #[test] #[ignore] fn b() {}\n mod deeper { #[test] fn c() {} }\n}\n#[test]\nfn outside() {}\n";
        assert_eq!(course_test_count(more, false), Some(2));
        let generated = "#[cfg(test)]\nmod tests {\n macro_rules! t { ($n:ident) => { #[test] fn $n() {} } }\n t!(a);\n}\n";
        assert_eq!(course_test_count(generated, false), None);
        let elsewhere = "macro_rules! t { ($n:ident) => { #[test] fn $n() {} } }\n#[cfg(test)]\nmod tests {\n t!(a);\n}\n";
        assert_eq!(course_test_count(elsewhere, false), None);
        assert_eq!(
            course_test_count("#[test] fn a() {}\n#[test] fn b() {}\n", true),
            Some(2)
        );
    }

    /// A deterministic generator (xorshift), so that a failure names its seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Hostile text for the assembler: the course's own files with a byte-order mark, Windows
    /// line endings, NUL, multibyte and invisible characters next to tokens, extra tests and
    /// test modules, deep nesting, huge comments and cut-off ends, mixed at random.
    fn hostile_variant(base: &str, rng: &mut Rng) -> String {
        const ODD: &[&str] = &[
            "\u{feff}",
            "𝄞",
            "é",
            "✓",
            "\u{202e}",
            "\u{200b}",
            "\0",
            "\r",
            "\t",
            "\u{ffff}",
            "#[test] fn sneaky() {}",
            "#[cfg(test)] mod tests { #[test] fn x() {} }",
            "mod tests {}",
            "/*",
            "*/",
            "\"",
            "r#\"",
            "'",
            "}",
            "{",
            "macro_rules! t { () => {} }",
        ];
        let mut text = base.to_string();
        for _ in 0..=rng.below(4) {
            match rng.below(8) {
                0 => text.insert(0, '\u{feff}'),
                1 => text = text.replace('\n', "\r\n"),
                2 => {
                    // Next to a token: at a character boundary just before or after whitespace.
                    let spots: Vec<usize> = text
                        .char_indices()
                        .filter(|(_, c)| c.is_whitespace())
                        .map(|(i, _)| i)
                        .collect();
                    if !spots.is_empty() {
                        let at = spots[rng.below(spots.len())];
                        text.insert_str(at, ODD[rng.below(ODD.len())]);
                    }
                }
                3 => {
                    let depth = 1 + rng.below(60);
                    text = format!("{}{text}{}", "mod m { ".repeat(depth), " }".repeat(depth));
                }
                4 => text.push_str(&format!("\n// {}\n", "x".repeat(rng.below(200_000)))),
                5 => {
                    let mut cut = rng.below(text.len());
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                }
                6 => text.push_str(
                    "\n#[test]\nfn extra() {}\n#[cfg(test)]\nmod more { #[test] fn more() {} }\n",
                ),
                _ => text = text.replace("fn ", "fn \u{feff}"),
            }
        }
        text
    }

    #[test]
    fn hostile_text_never_panics_and_always_gets_exactly_the_course_tests() {
        let shipped = super::super::shipped_course();
        let root = shipped.path();
        let bases: Vec<String> = [
            "exercises/00_intro/intro2_tests.rs",
            "exercises/01_http/http3_parse_request.rs",
            "exercises/05_testing/test7_catch_the_bugs.rs",
        ]
        .iter()
        .map(|rel| std::fs::read_to_string(root.join(rel)).unwrap())
        .collect();
        // On the stack the grader's reader has (`grade::sandbox`), not the test harness's.
        std::thread::Builder::new()
            .stack_size(8 * 1024 * 1024)
            .spawn(move || fuzz_cases(&bases))
            .unwrap()
            .join()
            .unwrap();
    }

    fn fuzz_cases(bases: &[String]) {
        // A fixed budget: the same cases on every run.
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        for case in 0..300 {
            let course = &bases[case % bases.len()];
            let expected = test_fns(course);
            let learner = hostile_variant(course, &mut rng);
            match assemble(&learner, course, &[]) {
                Ok(assembled) => {
                    let printed = syn::parse_file(&assembled.source);
                    assert!(
                        printed.is_ok(),
                        "case {case}: the printed program does not parse"
                    );
                    assert_eq!(
                        test_fns(&assembled.source),
                        expected,
                        "case {case}: the program holds other tests than the course's"
                    );
                }
                Err(err) => assert!(err.line >= 1 && !err.message.is_empty(), "case {case}"),
            }
        }
    }

    #[test]
    fn every_exercise_of_our_course_has_a_known_test_count() {
        let shipped = super::super::shipped_course();
        let root = shipped.path();
        let course = crate::course::Course::load(root).unwrap();
        let mut unknown = Vec::new();
        for exercise in course
            .exercises
            .iter()
            .filter(|e| e.test && e.tests.is_none())
        {
            let path = root.join(exercise.rel_path());
            let counted = if exercise.shape == crate::course::Shape::File {
                course_test_count(&std::fs::read_to_string(&path).unwrap(), false)
            } else {
                let tests = super::super::exercise::canonical_test_files(&path);
                crate::fsutil::files_below(&path)
                    .into_iter()
                    .filter(|f| f.extension().is_some_and(|e| e == "rs"))
                    .map(|f| {
                        let text = std::fs::read_to_string(path.join(&f)).unwrap();
                        course_test_count(&text, tests.contains(&f))
                    })
                    .sum()
            };
            match counted {
                Some(n) if n > 0 => {}
                other => unknown.push(format!("{}: {other:?}", exercise.name)),
            }
        }
        assert!(unknown.is_empty(), "{unknown:#?}");
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
        assert!(same_tokens("fn a() {}\n", "\u{feff}fn a(){} // c\r\n"));
        let hardened = harden_file("//! docs\nuse super::*;\n");
        assert!(hardened.starts_with("//! docs\n"), "{hardened}");
        assert!(hardened.contains("use ::core::{"), "{hardened}");
    }

    // ---- locked items ----

    const LOCKED_COURSE: &str = r#"use std::fmt;

/// Provided: do not edit.
pub fn query_plan(sql: &str) -> String {
    format!("SCAN {sql}")
}

pub struct Counter {
    count: u32,
}

impl Counter {
    pub fn get(&self) -> u32 {
        self.count
    }
}

impl fmt::Display for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.count)
    }
}

fn solve() -> u32 {
    todo!()
}

fn main() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan() {
        assert_eq!(query_plan("t"), "SCAN t");
    }
}
"#;

    const LOCKED_PLAN: &str = "/// Provided: do not edit.\npub fn query_plan(sql: &str) -> String {\n    format!(\"SCAN {sql}\")\n}\n";

    fn locked() -> Vec<String> {
        vec!["query_plan".to_string(), "Counter".to_string()]
    }

    /// The course's file with `from` replaced by `to`, spliced; the result must parse.
    fn locked_splice(from: &str, to: &str) -> Assembled {
        assert!(LOCKED_COURSE.contains(from), "{from}");
        let learner = LOCKED_COURSE.replace("todo!()", "7").replacen(from, to, 1);
        let spliced = splice(&learner, LOCKED_COURSE, &locked());
        assert!(
            syn::parse_file(&spliced.source).is_ok(),
            "{}",
            spliced.source
        );
        spliced
    }

    /// How many top-level items `source` has whose tokens equal `item`'s.
    fn count_items(source: &str, item: &str) -> usize {
        let item = syn::parse_str::<Item>(item)
            .unwrap()
            .to_token_stream()
            .to_string();
        syn::parse_file(source)
            .unwrap()
            .items
            .iter()
            .filter(|i| i.to_token_stream().to_string() == item)
            .count()
    }

    #[test]
    fn untouched_locked_items_are_left_where_they_are() {
        let spliced = locked_splice("fn main() {}", "fn main() {}\n// my notes");
        assert!(spliced.locked_modified.is_empty());
        assert!(!spliced.tests_modified);
        // Nothing moved: the learner's items come first, in their order, then the tests.
        let items = syn::parse_file(&spliced.source).unwrap().items;
        assert!(matches!(&items[0], Item::Use(_)));
        assert!(matches!(items.last(), Some(Item::Mod(m)) if m.ident == "tests"));
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
    }

    #[test]
    fn reformatted_locked_items_are_not_modified() {
        let spliced = locked_splice(
            "    format!(\"SCAN {sql}\")\n",
            "  // same thing\n  format!( \"SCAN {sql}\" )\n",
        );
        assert!(spliced.locked_modified.is_empty());
    }

    #[test]
    fn an_edited_locked_item_is_restored() {
        let spliced = locked_splice("format!(\"SCAN {sql}\")", "\"USING INDEX\".to_string()");
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert!(!spliced.source.contains("USING INDEX"));
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
        assert!(!spliced.tests_modified);
    }

    #[test]
    fn a_deleted_locked_item_is_restored() {
        let spliced = locked_splice(LOCKED_PLAN, "");
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
    }

    #[test]
    fn a_renamed_locked_item_is_restored_and_the_impostor_removed() {
        let spliced = locked_splice(
            "pub fn query_plan(sql: &str) -> String {",
            "pub fn query_plan(_: &str) -> String { \"USING INDEX\".into() }\npub fn old_plan(sql: &str) -> String {",
        );
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert!(!spliced.source.contains("USING INDEX"));
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
        // The renamed copy is the learner's own code: harmless, kept.
        assert!(spliced.source.contains("fn old_plan"));
    }

    #[test]
    fn a_second_impl_of_a_locked_type_is_removed() {
        let spliced = locked_splice(
            "fn solve()",
            "impl Counter {\n    pub fn hack(&self) {}\n}\nimpl Drop for &Counter {\n    fn drop(&mut self) {}\n}\nfn solve()",
        );
        assert_eq!(spliced.locked_modified, ["Counter"]);
        assert!(!spliced.source.contains("hack"));
        assert!(!spliced.source.contains("Drop"));
        assert!(spliced.source.contains("impl fmt::Display for Counter"));
        assert!(spliced.source.contains("pub fn get(&self)"));
    }

    #[test]
    fn an_impl_through_an_alias_of_a_locked_type_is_removed() {
        for alias in ["type Alias = Counter;", "use crate::Counter as Alias;"] {
            let spliced = locked_splice(
                "fn solve()",
                &format!(
                    "{alias}\nimpl Drop for Alias {{\n    fn drop(&mut self) {{}}\n}}\nfn solve()"
                ),
            );
            assert_eq!(spliced.locked_modified, ["Counter"], "{alias}");
            assert!(!spliced.source.contains("Drop"), "{alias}");
            assert!(
                spliced.source.contains(alias),
                "{alias}: the alias itself is harmless"
            );
        }
    }

    #[test]
    fn an_impl_of_a_locked_type_hidden_in_a_function_is_removed() {
        let spliced = locked_splice(
            "fn solve() -> u32 {",
            "fn solve() -> u32 {\n    impl Drop for crate::Counter {\n        fn drop(&mut self) {}\n    }",
        );
        assert_eq!(spliced.locked_modified, ["Counter"]);
        assert!(!spliced.source.contains("Drop"));
        assert!(spliced.source.contains("fn solve() -> u32"));
    }

    #[test]
    fn a_use_that_shadows_a_locked_item_is_removed() {
        let spliced = locked_splice(
            LOCKED_PLAN,
            "mod fake {\n    pub fn query_plan(_: &str) -> String {\n        \"USING INDEX\".into()\n    }\n    pub fn other() {}\n}\nuse fake::{other, query_plan};\n",
        );
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
        // The other binding of the same `use` stays; the nested module is the learner's own.
        assert!(
            spliced.source.contains("use fake::other;"),
            "{}",
            spliced.source
        );
        assert!(!spliced.source.contains("query_plan}"));
    }

    #[test]
    fn a_renaming_use_counts_and_a_self_import_counts() {
        let spliced = locked_splice(
            LOCKED_PLAN,
            "use self::fake::plan as query_plan;\nmod fake { pub fn plan(_: &str) -> String { String::new() } }\n",
        );
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert!(!spliced.source.contains("as query_plan"));
        let prune = |text: &str| {
            let item: ItemUse = syn::parse_str(text).unwrap();
            pruned(&item.tree, None, &["query_plan".to_string()]).map(|t| tokens(&t))
        };
        assert_eq!(
            prune("pub use a::{query_plan::{self}, b as c, d::*};").unwrap(),
            tokens(&syn::parse_str::<UseTree>("a::{b as c, d::*}").unwrap())
        );
        assert_eq!(prune("use a::query_plan;"), None);
    }

    #[test]
    fn a_same_named_item_in_a_nested_module_is_not_what_the_tests_reach() {
        // An unchanged copy nested elsewhere does not hide an edit of the top-level item...
        let nested = format!("mod copy {{\n{LOCKED_PLAN}}}\n");
        let edited = LOCKED_PLAN.replace("SCAN", "USING INDEX");
        let spliced = locked_splice(LOCKED_PLAN, &format!("{edited}{nested}"));
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
        // ...and a nested item of the same name alone changes nothing the tests use.
        let spliced = locked_splice("fn main() {}", &format!("fn main() {{}}\n{nested}"));
        assert!(spliced.locked_modified.is_empty());
    }

    #[test]
    fn a_macro_or_a_cfg_twin_with_a_locked_name_is_removed() {
        let spliced = locked_splice(
            "fn main() {}",
            "fn main() {}\nmacro_rules! query_plan { ($($t:tt)*) => { \"USING INDEX\" } }",
        );
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert!(!spliced.source.contains("USING INDEX"));

        let twin = LOCKED_PLAN.replace("SCAN", "USING INDEX");
        let spliced = locked_splice(
            LOCKED_PLAN,
            &format!("#[cfg(test)]\n{twin}#[cfg(not(test))]\n{LOCKED_PLAN}"),
        );
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert!(!spliced.source.contains("USING INDEX"));
        assert_eq!(count_items(&spliced.source, LOCKED_PLAN), 1);
    }

    #[test]
    fn a_locked_macro_goes_before_the_tests_that_use_it() {
        let course = "macro_rules! twice { ($e:expr) => { $e * 2 } }\n\nfn f() -> i32 { todo!() }\n\nfn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { assert_eq!(twice!(super::f()), 4); }\n}\n";
        let learner = course
            .replace("todo!()", "2")
            .replace("$e * 2", "4 + 0 * $e");
        let spliced = splice(&learner, course, &["twice".to_string()]);
        assert_eq!(spliced.locked_modified, ["twice"]);
        let source = &spliced.source;
        assert_eq!(source.matches("macro_rules!").count(), 1, "{source}");
        assert!(source.find("$e * 2").unwrap() < source.find("mod tests").unwrap());
        // Unchanged, it still moves before the tests (which go first, after a macro).
        let honest = course.replace("todo!()", "2");
        let spliced = splice(&honest, course, &["twice".to_string()]);
        assert!(spliced.locked_modified.is_empty());
        assert!(
            spliced.source.find("macro_rules!").unwrap()
                < spliced.source.find("mod tests").unwrap()
        );
    }

    #[test]
    fn course_module_files_cannot_be_swapped_for_an_inline_module() {
        let course = "mod db;\n#[cfg(test)]\nmod tests;\nfn main() {}\n";
        let names = with_module_names(&["query_plan".to_string()], course);
        assert_eq!(names, ["query_plan", "db"]);
        assert_eq!(with_module_names(&[], course), Vec::<String>::new());
        let learner = "mod db {\n    pub fn query_plan() -> &'static str { \"USING INDEX\" }\n}\nfn main() {}\n";
        let spliced = splice(learner, course, &names);
        assert_eq!(spliced.locked_modified, ["db"]);
        assert!(!spliced.source.contains("USING INDEX"));
        assert!(spliced.source.contains("mod db;"));
    }

    #[test]
    fn learner_modules_may_not_define_locked_items() {
        let spliced = splice("pub fn query_plan() {}\npub fn mine() {}\n", "", &locked());
        assert_eq!(spliced.locked_modified, ["query_plan"]);
        assert_eq!(spliced.source.trim(), "pub fn mine() {}");
    }

    #[test]
    fn locked_items_are_found_for_dev_check() {
        assert_eq!(
            defined_names(LOCKED_COURSE, &locked()),
            ["query_plan", "Counter"]
        );
        assert_eq!(
            locked_names_in(LOCKED_COURSE, &locked()),
            ["query_plan", "Counter"]
        );
        assert!(nested_impls(LOCKED_COURSE, &locked()).is_empty());
        let nested = "struct Counter;\nfn f() { impl Counter { fn g() {} } }\n";
        assert_eq!(nested_impls(nested, &locked()), ["Counter"]);
    }
}
