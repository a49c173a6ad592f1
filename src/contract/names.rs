//! Names a learner may not take: those of the language the course's tests rely on.
//!
//! The course's test modules start with `use super::*;`, which glob-imports every name the
//! exercise file binds, and in Rust a glob import beats the prelude, the primitive types and
//! the standard macros. A learner's `struct u16` with an `==` that always says yes, a
//! `type Result<T, E> = Fake;`, a `use Debug as PartialEq;` in front of a derive or a
//! `#[macro_export] macro_rules! vec` would silently change what the tests compare, while every
//! shipped signature keeps its tokens. So, resolved the way the compiler resolves them:
//!
//! - no item, `use` binding or `extern crate` of the learner's, in any module the tests can
//!   reach by name (the file and its inline modules, however nested), may bind a
//!   [`PROTECTED`] name, unless the course's own file binds it the same way;
//! - an import from another crate under the name it has there (`use std::fmt::Result;`,
//!   `use rusqlite::Result;`) is fine: learners do not write those crates. Renames are not
//!   (`use std::fmt::Debug as PartialEq;` in front of a derive);
//! - no `macro_rules!` anywhere, even inside a function, may take a protected name
//!   (`#[macro_export]` puts it at the crate root, whatever its place).
//!
//! - no item, `use` binding, `extern crate` rename or macro may take the name of a crate the
//!   course's tests can name by path: the standard crates and every dependency of the course's
//!   manifest ([`super::course_crates`]). The tests' `serde_json::from_str(..)` would otherwise
//!   reach a learner's `mod serde_json` through `use super::*`: a glob import beats the extern
//!   prelude in expression paths (red team round 5). `use serde_json;` and an `extern crate`
//!   without a rename bind the crate itself, and are fine;
//! - names are compared as the compiler reads them: `r#u16` is `u16` (red team round 5).
//!
//! Items inside function bodies are not reachable by path, so they are free.
//!
//! The checks see what the file says, not what macros expand to, so what would hide items from
//! them is refused too: `include!` anywhere (code from a file nobody inspects), a
//! `#[path]` module whose file is not a `.rs` file or whose path is absolute, and
//! an item-position call of one of the file's own macros that passes a protected name or whose
//! body defines one.

use syn::visit::{self, Visit};
use syn::{Item, UseTree};

use super::assemble::{item_name, path_attrs, use_bindings};
use super::name;

/// The primitive types, the prelude (2015 to 2024), the standard derives and attributes, the
/// standard macros and the crate roots: everything a test names without importing it.
pub const PROTECTED: &[&str] = &[
    // primitive types
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f16",
    "f32",
    "f64",
    "f128",
    // crate roots and path keywords that are names
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    // the prelude
    "Copy",
    "Send",
    "Sized",
    "Sync",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "drop",
    "align_of",
    "align_of_val",
    "size_of",
    "size_of_val",
    "Box",
    "ToOwned",
    "Clone",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "AsRef",
    "AsMut",
    "Into",
    "From",
    "Default",
    "Iterator",
    "Extend",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Future",
    "IntoFuture",
    // derives and attributes a test or a shipped type uses
    "Debug",
    "Hash",
    "derive",
    "cfg",
    "cfg_attr",
    "ignore",
    "should_panic",
    "allow",
    "warn",
    "deny",
    "forbid",
    "expect",
    "doc",
    "must_use",
    "inline",
    "path",
    "global_allocator",
    // the standard macros
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "matches",
    "vec",
    "format",
    "format_args",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "todo",
    "unimplemented",
    "unreachable",
    "dbg",
    "concat",
    "stringify",
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "line",
    "column",
    "file",
    "module_path",
    "compile_error",
    "thread_local",
    "const_format_args",
    "assert_matches",
];

/// The learner's bindings of protected names (and of the names of `crates`, those the course's
/// tests can name by path) that the course's file (`shipped`, when there is one) does not make
/// the same way, one line each.
pub fn impersonations(
    learner: &syn::File,
    shipped: Option<&syn::File>,
    crates: &[String],
) -> Vec<String> {
    let taken = Taken(crates);
    let theirs = bindings(learner, taken);
    let ours = shipped.map(|f| bindings(f, taken)).unwrap_or_default();
    let mut found: Vec<String> = Vec::new();
    for binding in theirs {
        if ours.contains(&binding) {
            continue;
        }
        let Binding { name, what } = binding;
        let line = match what {
            What::Import(path) if taken.is_crate(&name) => format!(
                "`use {path}` binds `{name}`, the name of the crate `{name}`, which the tests name by path; use a name of your own"
            ),
            What::Item(kind) if taken.is_crate(&name) => format!(
                "the {kind} `{name}` takes the name of the crate `{name}`, which the tests name by path; rename it"
            ),
            What::Macro if taken.is_crate(&name) => format!(
                "the macro `{name}` takes the name of the crate `{name}`, which the tests name by path; rename it"
            ),
            What::Import(path) => format!(
                "`use {path}` binds `{name}`, a name of the language the tests rely on; use a name of your own"
            ),
            What::Item(kind) => format!(
                "the {kind} `{name}` takes the name of a part of the language the tests rely on; rename it"
            ),
            What::Macro => {
                format!("the macro `{name}` replaces a standard macro the tests rely on; rename it")
            }
            What::Hidden(why) => why,
        };
        if !found.contains(&line) {
            found.push(line);
        }
    }
    found
}

/// The names a learner may not bind: [`PROTECTED`], and the crates the tests name by path.
#[derive(Clone, Copy)]
struct Taken<'a>(&'a [String]);

impl Taken<'_> {
    fn contains(self, name: &str) -> bool {
        PROTECTED.contains(&name) || self.is_crate(name)
    }

    fn is_crate(self, name: &str) -> bool {
        self.0.iter().any(|c| c == name) || super::STANDARD_CRATES.contains(&name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Binding {
    name: String,
    what: What,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum What {
    /// A `use` binding, with its path as written.
    Import(String),
    /// An item, by kind.
    Item(&'static str),
    Macro,
    /// Items the checks cannot see, and why.
    Hidden(String),
}

fn bindings(file: &syn::File, taken: Taken) -> Vec<Binding> {
    let mut found = Vec::new();
    let mut modules = Modules(Vec::new());
    modules.visit_file(file);
    module_bindings(&file.items, &modules.0, taken, &mut found);
    let mut macros = Macros {
        found: &mut found,
        defined: Vec::new(),
        taken,
    };
    macros.visit_file(file);
    let defined = std::mem::take(&mut macros.defined);
    // A macro of the learner's that writes items (an `impl`, a type, a function) writes them
    // where no check reads: the contract sees the file, not the expansion (red team round 4).
    for (name, body) in &defined {
        if writes_items(body) {
            found.push(Binding {
                name: name.clone(),
                what: What::Hidden(format!(
                    "the macro `{name}!` writes items (an `impl`, a type, a function...) that the grader's checks cannot see; write them out"
                )),
            });
        }
    }
    hidden_items(&file.items, &defined, taken, &mut found);
    // Items passed to a macro are read by no check: a pass-through macro writes them out where
    // the call is (red team round 8: `verbatim! { impl Looks for String {} }`, `verbatim! {
    // #[path = "../00_intro/intro1_welcome.rs"] mod welcome; }`). So no macro call, the
    // learner's or the standard library's, may be given an item: the rule is total because
    // every item starts with a keyword, and a macro cannot make one out of other tokens.
    let mut calls = CallArguments { found: &mut found };
    calls.visit_file(file);
    found
}

/// Every macro call whose arguments hold an item (`macro_rules!` definitions are read by
/// [`writes_items`]).
struct CallArguments<'a> {
    found: &'a mut Vec<Binding>,
}

impl<'ast> Visit<'ast> for CallArguments<'_> {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let called = mac
            .path
            .segments
            .last()
            .map(|s| name(&s.ident))
            .unwrap_or_default();
        if called != "macro_rules"
            && let Some(keyword) = item_keyword(&mac.tokens, called == "thread_local")
        {
            self.found.push(Binding {
                name: format!("{called}!"),
                what: What::Hidden(format!(
                    "the call `{called}!` is given an item (`{keyword} ..`) among its arguments: items passed to a macro are out of the grader's checks, and a macro can write them out anywhere; write the item outside the call"
                )),
            });
        }
        visit::visit_macro(self, mac);
    }
}

/// The keyword of the first item `tokens` hold, at any depth (in blocks too: an `impl` in a
/// block is in force everywhere). `fn(..)` (a type), `'static` (a lifetime), `a.union(..)` (a
/// method) and raw names (`r#type`) start no item; `thread_local!` declares its `static`s.
fn item_keyword(tokens: &proc_macro2::TokenStream, thread_local: bool) -> Option<String> {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (at, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Ident(ident) => {
                let written = ident.to_string();
                let lifetime =
                    at > 0 && matches!(&tokens[at - 1], TokenTree::Punct(p) if p.as_char() == '\'');
                let named_next = matches!(tokens.get(at + 1), Some(TokenTree::Ident(_)));
                let starts_item = match written.as_str() {
                    "impl" | "struct" | "enum" | "trait" | "mod" | "use" | "extern" | "type"
                    | "macro_rules" | "macro" => true,
                    "fn" | "const" | "union" => named_next,
                    "static" => named_next && !thread_local,
                    _ => false,
                };
                if starts_item && !lifetime {
                    return Some(written);
                }
            }
            TokenTree::Group(group) => {
                if let Some(found) = item_keyword(&group.stream(), false) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a macro body holds an item keyword, so that it may expand to items.
fn writes_items(tokens: &proc_macro2::TokenStream) -> bool {
    const ITEMS: &[&str] = &[
        "impl",
        "struct",
        "enum",
        "union",
        "trait",
        "type",
        "fn",
        "mod",
        "use",
        "static",
        "extern",
        "macro_rules",
    ];
    tokens.clone().into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ITEMS.contains(&name(&ident).as_str()),
        proc_macro2::TokenTree::Group(group) => writes_items(&group.stream()),
        _ => false,
    })
}

/// Item-position macro calls and module files that would bring in items the checks never see.
fn hidden_items(
    items: &[Item],
    macros: &[(String, proc_macro2::TokenStream)],
    taken: Taken,
    found: &mut Vec<Binding>,
) {
    for item in items {
        match item {
            Item::Macro(m) if m.ident.is_none() => {
                let called = m
                    .mac
                    .path
                    .segments
                    .last()
                    .map(|s| name(&s.ident))
                    .unwrap_or_default();
                if let Some((_, body)) = macros.iter().find(|(defined, _)| *defined == called) {
                    // Names it defines: in its body, in the items passed to it, and the names
                    // passed to a body that defines items named by its arguments (`$n`).
                    let passed = if names_items_by_argument(body) {
                        protected_idents(&m.mac.tokens, taken)
                    } else {
                        Vec::new()
                    };
                    let defined = defined_in_body(body, taken)
                        .into_iter()
                        .chain(defined_in_body(&m.mac.tokens, taken));
                    if let Some(name) = passed.into_iter().chain(defined).next() {
                        found.push(Binding {
                            what: What::Hidden(format!(
                                "the call `{called}!` defines items named after `{name}`, a name of the language the tests rely on; rename it"
                            )),
                            name,
                        });
                    }
                }
            }
            Item::Mod(m) => {
                // A `path` inside `cfg_attr` names the file too (red team round 6).
                for path in path_attrs(&m.attrs) {
                    if std::path::Path::new(&path).has_root() {
                        found.push(Binding {
                            name: name(&m.ident),
                            what: What::Hidden(format!(
                                "the module `{}` lives in `{path}`, an absolute path: a module file stays in the exercise's folder (red team round 9)",
                                m.ident
                            )),
                        });
                        continue;
                    }
                    if super::files::is_rust_name(std::path::Path::new(&path)) {
                        continue;
                    }
                    found.push(Binding {
                        name: name(&m.ident),
                        what: What::Hidden(format!(
                            "the module `{}` lives in `{path}`, which is not a `.rs` file: the grader checks only Rust files; rename it to end in `.rs`",
                            m.ident
                        )),
                    });
                }
                if let Some((_, content)) = &m.content {
                    hidden_items(content, macros, taken, found);
                }
            }
            _ => {}
        }
    }
}

/// Whether a type alias is the standard library's item of the same name with its parameters
/// passed on in order and only the later ones fixed: `type Result<T> =
/// std::result::Result<T, MyError>` (idiomatic, and no stand-in), not `type Result<T, E> =
/// std::result::Result<u16, (T, E)>`.
fn aliases_the_std_item(alias: &syn::ItemType) -> bool {
    let syn::Type::Path(path) = &*alias.ty else {
        return false;
    };
    let segments: Vec<String> = path.path.segments.iter().map(|s| name(&s.ident)).collect();
    let std_item = path.qself.is_none()
        && segments.len() > 1
        && ["std", "core", "alloc"].contains(&segments[0].as_str())
        && segments.last() == Some(&name(&alias.ident));
    if !std_item {
        return false;
    }
    let params: Vec<String> = alias
        .generics
        .type_params()
        .map(|p| name(&p.ident))
        .collect();
    let arguments: Vec<String> = match path.path.segments.last().map(|s| &s.arguments) {
        Some(syn::PathArguments::AngleBracketed(args)) => args
            .args
            .iter()
            .map(|a| match a {
                syn::GenericArgument::Type(syn::Type::Path(t))
                    if t.qself.is_none() && t.path.get_ident().is_some() =>
                {
                    t.path.get_ident().map(name).unwrap_or_default()
                }
                a => quote::ToTokens::to_token_stream(a).to_string(),
            })
            .collect(),
        _ => Vec::new(),
    };
    params.len() <= arguments.len() && params.iter().zip(&arguments).all(|(p, a)| p == a)
}

/// Whether a macro body defines an item (or binds a `use` name) whose name is a metavariable:
/// `pub struct $n;`, `use x as $n;`.
fn names_items_by_argument(tokens: &proc_macro2::TokenStream) -> bool {
    let tokens: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    tokens.iter().enumerate().any(|(at, token)| match token {
        proc_macro2::TokenTree::Punct(p) if p.as_char() == '$' && at > 0 => {
            matches!(&tokens[at - 1], proc_macro2::TokenTree::Ident(k) if DEFINES.contains(&name(k).as_str()))
        }
        proc_macro2::TokenTree::Group(group) => names_items_by_argument(&group.stream()),
        _ => false,
    })
}

/// Keywords after which a name is defined (or bound, for `as`).
const DEFINES: &[&str] = &[
    "struct",
    "enum",
    "union",
    "type",
    "fn",
    "trait",
    "mod",
    "static",
    "const",
    "as",
    "crate",
    "macro_rules",
];

/// Protected names among `tokens`, at any depth; attributes (`#[test]`) name no item.
fn protected_idents(tokens: &proc_macro2::TokenStream, taken: Taken) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_pound = false;
    for token in tokens.clone() {
        let pound = matches!(&token, proc_macro2::TokenTree::Punct(p) if p.as_char() == '#');
        let attribute = after_pound
            && matches!(&token, proc_macro2::TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Bracket);
        after_pound = pound;
        if attribute {
            continue;
        }
        match token {
            proc_macro2::TokenTree::Ident(ident) => {
                let name = name(&ident);
                if taken.contains(&name) {
                    names.push(name);
                }
            }
            proc_macro2::TokenTree::Group(group) => {
                names.extend(protected_idents(&group.stream(), taken))
            }
            _ => {}
        }
    }
    names
}

/// Protected names that a macro body defines: right after an item keyword or `as`.
fn defined_in_body(tokens: &proc_macro2::TokenStream, taken: Taken) -> Vec<String> {
    let tokens: Vec<proc_macro2::TokenTree> = tokens.clone().into_iter().collect();
    let mut names = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        match token {
            proc_macro2::TokenTree::Ident(ident) if at > 0 => {
                let defined = name(ident);
                let after_keyword = matches!(&tokens[at - 1], proc_macro2::TokenTree::Ident(k) if DEFINES.contains(&name(k).as_str()))
                    || (at > 1
                        && matches!(&tokens[at - 1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '!')
                        && matches!(&tokens[at - 2], proc_macro2::TokenTree::Ident(k) if name(k) == "macro_rules"));
                if after_keyword && taken.contains(&defined) {
                    names.push(defined);
                }
            }
            proc_macro2::TokenTree::Group(group) => {
                names.extend(defined_in_body(&group.stream(), taken))
            }
            _ => {}
        }
    }
    names
}

/// The protected names the `items` of one module bind, and those of its inline modules;
/// `modules` are the names of the file's own modules.
fn module_bindings(items: &[Item], modules: &[String], taken: Taken, found: &mut Vec<Binding>) {
    for item in items {
        match item {
            Item::Use(u) => {
                for (name, path) in use_bindings(&u.tree) {
                    // `use serde_json;`: the crate itself.
                    let the_crate = taken.is_crate(&name) && path == [name.as_str()];
                    if !taken.contains(&name)
                        || the_crate
                        || is_external_under_own_name(&name, &path, modules)
                    {
                        continue;
                    }
                    found.push(Binding {
                        name,
                        what: What::Import(written(&u.tree)),
                    });
                }
            }
            // Macros are found wherever they are, below.
            Item::Macro(_) => {}
            // `type Result<T> = std::result::Result<T, MyError>;`: the language's own type
            // under its own name, with a parameter fixed (idiomatic, and no stand-in).
            Item::Type(t) if aliases_the_std_item(t) => {}
            // `extern crate serde_json;`: the crate under its own name.
            Item::ExternCrate(c) if c.rename.is_none() && taken.is_crate(&name(&c.ident)) => {}
            _ => {
                if let Some(name) = item_name(item)
                    && taken.contains(&name)
                {
                    found.push(Binding {
                        name,
                        what: What::Item(kind_of(item)),
                    });
                }
            }
        }
        if let Item::Mod(m) = item
            && let Some((_, content)) = &m.content
        {
            module_bindings(content, modules, taken, found);
        }
    }
}

/// `use std::fmt::Result;`, `use rusqlite::Result;`: another crate's item under its own name.
/// A path through `crate`, `self`, `super` or one of the file's own modules is the learner's.
fn is_external_under_own_name(name: &str, path: &[String], modules: &[String]) -> bool {
    let ours = |root: &String| {
        ["crate", "self", "super"].contains(&root.as_str()) || modules.contains(root)
    };
    path.len() > 1
        && path.first().is_some_and(|root| !ours(root))
        && path.last().is_some_and(|last| last == name)
}

/// The names of a file's modules, at any depth.
struct Modules(Vec<String>);

impl<'ast> Visit<'ast> for Modules {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        self.0.push(name(&module.ident));
        visit::visit_item_mod(self, module);
    }
}

fn written(tree: &UseTree) -> String {
    quote::ToTokens::to_token_stream(tree)
        .to_string()
        .replace(' ', "")
}

fn kind_of(item: &Item) -> &'static str {
    match item {
        Item::Fn(_) => "function",
        Item::Struct(_) => "struct",
        Item::Enum(_) => "enum",
        Item::Union(_) => "union",
        Item::Trait(_) | Item::TraitAlias(_) => "trait",
        Item::Const(_) => "constant",
        Item::Static(_) => "static",
        Item::Type(_) => "type alias",
        Item::Mod(_) => "module",
        Item::ExternCrate(_) => "crate",
        _ => "item",
    }
}

/// `macro_rules!` definitions with protected names, at any depth; and every definition, by
/// name with its body.
struct Macros<'a> {
    found: &'a mut Vec<Binding>,
    defined: Vec<(String, proc_macro2::TokenStream)>,
    taken: Taken<'a>,
}

impl<'ast> Visit<'ast> for Macros<'_> {
    // `include!` anywhere (a statement, an expression) brings in code no check reads.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac
            .path
            .segments
            .last()
            .is_some_and(|s| name(&s.ident) == "include")
        {
            self.found.push(Binding {
                name: "include!".into(),
                what: What::Hidden(
                    "`include!` brings in code the grader's checks never read; write it in a `.rs` module (`mod name;`)".into(),
                ),
            });
        }
        visit::visit_macro(self, mac);
    }

    fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
        if let Some(ident) = &item.ident {
            let name = name(ident);
            if self.taken.contains(&name) {
                self.found.push(Binding {
                    name: name.clone(),
                    what: What::Macro,
                });
            }
            self.defined.push((name, item.mac.tokens.clone()));
        }
        visit::visit_item_macro(self, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(learner: &str, shipped: &str) -> Vec<String> {
        impersonations(
            &syn::parse_file(learner).unwrap(),
            Some(&syn::parse_file(shipped).unwrap()),
            &["serde_json".to_string(), "rusqlite".to_string()],
        )
    }

    #[test]
    fn items_passed_to_a_macro_are_refused() {
        let verbatim = "macro_rules! verbatim { ($($t:tt)*) => { $($t)* }; }\n";
        for sneaky in [
            // Red team round 8 (W5, W6).
            "verbatim! { impl Looks for String {} }",
            "verbatim! { #[path = \"../00_intro/intro1_welcome.rs\"] mod welcome; }",
            "fn f() { verbatim! { impl Looks for String {} } }",
            "fn f() -> bool { assert!({ impl Looks for String {} true }); true }",
            "fn f() { let _ = vec![{ struct S; 1 }]; }",
            "fn f() { verbatim!(pub fn health() -> u8 { 1 }); }",
            "verbatim! { const X: u8 = 1; }",
            "thread_local! { static X: u8 = { impl Looks for String {} 0 }; }",
        ] {
            let found = found(&format!("{verbatim}{sneaky}"), "");
            assert!(
                found.iter().any(|f| f.contains("is given an item")),
                "{sneaky}: {found:?}"
            );
        }
        for fine in [
            "fn f(a: &std::collections::HashSet<u8>, b: &std::collections::HashSet<u8>) { assert!(a.union(b).count() > 0); }",
            "fn f() { let g = 1u8; assert_eq!(g as u8, 1); let _: Vec<fn(u8) -> u8> = vec![]; println!(\"{}\", \"type impl\"); }",
            "fn f() { let s: &'static str = \"x\"; assert_eq!(s, \"x\"); }",
            "thread_local! { static COUNT: std::cell::Cell<u8> = const { std::cell::Cell::new(0) }; }",
        ] {
            assert_eq!(found(fine, ""), Vec::<String>::new(), "{fine}");
        }
        // The course's own call of the same kind is the course's.
        let shipped = "fn f() { let _ = vec![{ struct S; 1 }]; }";
        assert_eq!(found(shipped, shipped), Vec::<String>::new());
    }

    #[test]
    fn learner_names_that_impersonate_the_language_are_refused() {
        for (source, named) in [
            ("pub struct u16(pub u64);", "u16"),
            ("#[derive(Debug)] pub struct str;", "str"),
            ("pub enum bool { Yes }", "bool"),
            ("pub type Result<T, E> = Option<(T, E)>;", "Result"),
            (
                "pub type Result<T, E> = std::result::Result<u16, (T, E)>;",
                "Result",
            ),
            ("use std::fmt::Debug as PartialEq;", "PartialEq"),
            ("use crate::mine::Anything as String;", "String"),
            ("mod inner { pub struct u16; } pub use inner::*;", "u16"),
            (
                "mod inner { pub struct Fake; } pub use inner::Fake as Option;",
                "Option",
            ),
            ("mod inner { pub struct Ok; } use inner::Ok;", "Ok"),
            ("mod a { pub mod b { pub type Vec<T> = [T; 0]; } }", "Vec"),
            ("#[macro_export] macro_rules! vec { () => {} }", "vec"),
            (
                "fn f() { #[macro_export] macro_rules! format { () => {} } }",
                "format",
            ),
            ("macro_rules! assert_eq { ($($t:tt)*) => {} }", "assert_eq"),
            ("extern crate core as std;", "std"),
            ("pub fn drop<T>(_: T) {}", "drop"),
            ("pub use std::fmt::Display as test;", "test"),
            (
                "macro_rules! mk { ($n:ident) => { pub struct $n; } }\nmk!(u16);",
                "u16",
            ),
            (
                "macro_rules! mk { () => { pub type Result<T> = Option<T>; } }\nmk!();",
                "Result",
            ),
            ("include!(\"items.in\");", "include!"),
            ("fn f() { include!(\"done.in\"); }", "include!"),
            ("#[path = \"evil.txt\"]\nmod m;\npub use m::*;", "m"),
            // Red team round 4: items a macro writes are out of the contract's sight.
            (
                "macro_rules! mk { () => { impl PartialEq for Response { fn eq(&self, _: &Self) -> bool { true } } } }\nmk!();",
                "mk!",
            ),
            (
                "macro_rules! row { ($n:ident) => { pub struct $n(u16); } }\nrow!(Header);",
                "row!",
            ),
            // Red team round 5: raw identifiers are the names they spell.
            ("pub struct r#u16;", "u16"),
            ("#[derive(Debug)] pub struct r#str;", "str"),
            ("pub struct r#Vec<T>(T);", "Vec"),
            ("pub type r#Result<T> = Option<T>;", "Result"),
            ("use std::fmt::Debug as r#PartialEq;", "PartialEq"),
            ("extern crate core as r#std;", "std"),
            ("#[macro_export] macro_rules! r#vec { () => {} }", "vec"),
            ("mod inner { pub struct r#u16; } pub use inner::*;", "u16"),
            (
                "macro_rules! r#mk { ($n:ident) => { pub struct $n; } }\nmk!(r#u16);",
                "u16",
            ),
            ("fn f() { r#include!(\"done.in\"); }", "include!"),
            // Red team round 5: the name of a crate the tests name by path (the course's
            // manifest here: `serde_json`, `rusqlite`).
            ("pub mod serde_json { pub fn from_str() {} }", "serde_json"),
            ("pub mod r#serde_json {}", "serde_json"),
            ("pub fn rusqlite() {}", "rusqlite"),
            ("pub struct serde_json;", "serde_json"),
            ("mod fake {} use self::fake as serde_json;", "serde_json"),
            ("use std::collections as rusqlite;", "rusqlite"),
            ("extern crate core as serde_json;", "serde_json"),
            ("extern crate self as serde_json;", "serde_json"),
            ("macro_rules! serde_json { () => {} }", "serde_json"),
            (
                "mod inner { pub mod serde_json {} } pub use inner::*;",
                "serde_json",
            ),
            ("pub mod alloc {}", "alloc"),
        ] {
            let problems = found(source, "");
            assert!(
                problems.iter().any(|p| p.contains(&format!("`{named}`"))),
                "{source}: {problems:?}"
            );
        }
    }

    #[test]
    fn ordinary_names_and_the_course_own_bindings_are_fine() {
        for source in [
            "use std::fmt::Result;",
            "use rusqlite::{Connection, Result, params};",
            "use std::collections::HashMap;",
            "use std::io::{self, Write};",
            "pub fn abort(status: u16) -> u16 { status }",
            "fn f() { struct u16; }",
            "pub struct Response { status: u16 }",
            "mod db { pub fn query() {} }",
            "macro_rules! check { ($e:expr) => { if !$e { return Err(\"bad\".to_string()); } } }",
            "#[path = \"db_impl.rs\"]\nmod db;",
            "fn f() -> &'static str { include_str!(\"data.txt\") }",
            // Red team round 2: an honest, idiomatic alias.
            "pub type Result<T> = std::result::Result<T, AddError>;",
            "pub type Result<T, E = AddError> = core::result::Result<T, E>;",
            // The crates themselves, under their own names; a name only a function body sees.
            "use serde_json;",
            "extern crate serde_json;",
            "use serde_json::{Value, from_str};",
            "use rusqlite::Result;",
            "fn f() { mod serde_json {} }",
            "pub fn r#match() {}",
        ] {
            assert_eq!(found(source, ""), Vec::<String>::new(), "{source}");
        }
        // The course's file binds `Result` itself: the learner's same binding is the course's.
        let shipped = "pub type Result<T> = std::result::Result<T, String>;";
        assert!(found(shipped, shipped).is_empty());
        // An alias of `Result` to anything but the language's own `Result` is refused here too
        // (what a shipped alias stands for is also the signature contract's business).
        assert!(!found("pub type Result<T> = Option<T>;", shipped).is_empty());
    }
}
