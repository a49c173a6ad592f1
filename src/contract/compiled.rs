//! The contract must read what the compiler compiles (red team round 6).
//!
//! The contract reads a learner's syntax tree, but the compiler first drops every item whose
//! `#[cfg(..)]` is false and applies every attribute a true `#[cfg_attr(..)]` holds. A
//! `#[cfg(any())] pub struct Caught;` (never compiled) made the alias `type Caught =
//! std::thread::Result<()>` look like the learner's own type; a `#[cfg(any())]` twin of a
//! shipped function, written after the real one, was the one whose signature the contract read;
//! `#[cfg_attr(all(), path = "notes.txt")]` brought in a module file no check read. So, in a
//! learner's file as the graded program holds it (its tests removed, see
//! [`super::assemble::strip_tests`]):
//!
//! - no `#[cfg(..)]` or `#[cfg_attr(..)]`, anywhere, unless the course's file has the identical
//!   attribute on the same item (conditions that name `test` are the assembler's: it removes
//!   those items, or refuses what is left of them);
//! - no `path` inside a `#[cfg_attr(..)]`, ever: a module's file is named by a plain `#[path]`;
//! - no two items of one name in one namespace of a module (types, values), and no two
//!   functions or constants of one name in the `impl` blocks of one type: what the compiler also
//!   refuses once no `cfg` can hide one of them;
//! - in a single-file exercise, no module file (`mod x;`) the course's file does not declare:
//!   it would bring in a file graded under other rules, another exercise's among them.

use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{Attribute, Item};

use super::assemble::{cfg_attr_paths, path_attrs};
use super::{is_named, name};

/// The learner's `cfg` and `cfg_attr` attributes that the course's file (`shipped`) does not
/// have on the same item, and every `path` inside a `cfg_attr`, one line each.
pub fn conditions(learner: &syn::File, shipped: Option<&syn::File>) -> Vec<String> {
    let theirs = Conditions::of(learner);
    let ours = shipped.map(Conditions::of).unwrap_or_default();
    let mut found = Vec::new();
    for condition in &theirs.found {
        let line = condition.line;
        let written = condition.text.replace(' ', "");
        if condition.path {
            found.push(format!(
                "line {line}: `{written}` puts `path` under a condition, which hides the file a module is read from; write `#[path = \"..\"]` itself"
            ));
        } else if condition.names_test {
            // Removed with the item, or refused, by the assembler.
        } else if !ours
            .found
            .iter()
            .any(|c| c.owner == condition.owner && c.text == condition.text)
        {
            found.push(format!(
                "line {line}: `{written}` decides what the compiler sees of your code, and the grader's checks must read what it compiles; remove it (the course's file has no such condition here)"
            ));
        }
    }
    found
}

/// One `cfg` or `cfg_attr` attribute: on which item, as written, where.
struct Condition {
    /// The items it is in, from the file's root (`mod m`, `impl Router`, `fn route`).
    owner: Vec<String>,
    text: String,
    line: usize,
    /// A `cfg_attr` that applies `path`.
    path: bool,
    /// The condition names `test`.
    names_test: bool,
}

#[derive(Default)]
struct Conditions {
    owner: Vec<String>,
    found: Vec<Condition>,
}

impl Conditions {
    fn of(file: &syn::File) -> Conditions {
        let mut conditions = Conditions::default();
        // The file's own inner attributes are the rule book's (only lint levels are allowed).
        for item in &file.items {
            conditions.visit_item(item);
        }
        conditions
    }

    fn within<T>(&mut self, label: String, node: &T, visit: impl FnOnce(&mut Self, &T)) {
        self.owner.push(label);
        visit(self, node);
        self.owner.pop();
    }
}

fn label(kind: &str, named: impl ToString) -> String {
    format!("{kind} {}", named.to_string())
}

fn tokens<T: ToTokens>(node: &T) -> String {
    node.to_token_stream().to_string()
}

fn names_test(tokens: proc_macro2::TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => name(&ident) == "test",
        proc_macro2::TokenTree::Group(group) => names_test(group.stream()),
        _ => false,
    })
}

impl<'ast> Visit<'ast> for Conditions {
    fn visit_item(&mut self, item: &'ast Item) {
        let label = match item {
            Item::Fn(i) => label("fn", name(&i.sig.ident)),
            Item::Struct(i) => label("struct", name(&i.ident)),
            Item::Enum(i) => label("enum", name(&i.ident)),
            Item::Union(i) => label("union", name(&i.ident)),
            Item::Trait(i) => label("trait", name(&i.ident)),
            Item::TraitAlias(i) => label("trait", name(&i.ident)),
            Item::Type(i) => label("type", name(&i.ident)),
            Item::Const(i) => label("const", name(&i.ident)),
            Item::Static(i) => label("static", name(&i.ident)),
            Item::Mod(i) => label("mod", name(&i.ident)),
            Item::Impl(i) => {
                let of = i
                    .trait_
                    .as_ref()
                    .map(|(_, path, _)| format!("{} for ", tokens(path)))
                    .unwrap_or_default();
                label("impl", format!("{of}{}", tokens(&i.self_ty)))
            }
            Item::Use(i) => label("use", tokens(&i.tree)),
            Item::ExternCrate(i) => label("extern crate", name(&i.ident)),
            Item::Macro(i) => label("macro", tokens(&i.mac.path)),
            Item::ForeignMod(_) => "extern".to_string(),
            other => label("item", tokens(other).chars().take(40).collect::<String>()),
        };
        self.within(label, item, |me, item| visit::visit_item(me, item));
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let label = match item {
            syn::ImplItem::Fn(f) => label("fn", name(&f.sig.ident)),
            syn::ImplItem::Const(c) => label("const", name(&c.ident)),
            syn::ImplItem::Type(t) => label("type", name(&t.ident)),
            _ => "item".to_string(),
        };
        self.within(label, item, |me, item| visit::visit_impl_item(me, item));
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        let label = match item {
            syn::TraitItem::Fn(f) => label("fn", name(&f.sig.ident)),
            syn::TraitItem::Const(c) => label("const", name(&c.ident)),
            syn::TraitItem::Type(t) => label("type", name(&t.ident)),
            _ => "item".to_string(),
        };
        self.within(label, item, |me, item| visit::visit_trait_item(me, item));
    }

    fn visit_field(&mut self, field: &'ast syn::Field) {
        let named = field.ident.as_ref().map(name).unwrap_or_default();
        self.within(label("field", named), field, |me, field| {
            visit::visit_field(me, field)
        });
    }

    fn visit_variant(&mut self, variant: &'ast syn::Variant) {
        self.within(label("variant", name(&variant.ident)), variant, |me, v| {
            visit::visit_variant(me, v)
        });
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        let cfg = is_named(attr.path(), "cfg");
        let cfg_attr = is_named(attr.path(), "cfg_attr");
        if !cfg && !cfg_attr {
            return;
        }
        let inner = attr
            .meta
            .require_list()
            .map(|l| l.tokens.clone())
            .unwrap_or_default();
        let mut paths = Vec::new();
        if cfg_attr {
            cfg_attr_paths(inner.clone(), &mut paths);
        }
        self.found.push(Condition {
            owner: self.owner.clone(),
            text: tokens(attr),
            line: attr.pound_token.span.start().line,
            path: !paths.is_empty(),
            names_test: names_test(inner),
        });
    }
}

/// Items of one name in one namespace of a module (the file's root or an inline module, at any
/// depth), and functions or constants of one name in the `impl` blocks of one type, one line
/// each.
pub fn duplicates(file: &syn::File) -> Vec<String> {
    let mut found = Vec::new();
    module_duplicates(&file.items, &mut Vec::new(), &mut found);
    found
}

fn module_duplicates(items: &[Item], module: &mut Vec<String>, found: &mut Vec<String>) {
    let place = if module.is_empty() {
        "this file".to_string()
    } else {
        format!("the module `{}`", module.join("::"))
    };
    // (namespace, name, kind, line) of every definition, in file order.
    let mut defined: Vec<(&str, String, &str, usize)> = Vec::new();
    // (self type, trait, name) of the members of `impl` blocks, and where the second one is.
    let mut members: Vec<(String, String, String)> = Vec::new();
    let push = |found: &mut Vec<String>, line: String| {
        if !found.contains(&line) {
            found.push(line);
        }
    };
    for item in items {
        let line = |ident: &proc_macro2::Ident| ident.span().start().line;
        let mut define = |namespace, ident: &proc_macro2::Ident, kind| {
            defined.push((namespace, name(ident), kind, line(ident)));
        };
        match item {
            Item::Mod(m) => define("type", &m.ident, "module"),
            Item::Struct(s) => {
                define("type", &s.ident, "struct");
                // A tuple or unit struct is also a value (its constructor).
                if !matches!(s.fields, syn::Fields::Named(_)) {
                    define("value", &s.ident, "struct");
                }
            }
            Item::Enum(e) => define("type", &e.ident, "enum"),
            Item::Union(u) => define("type", &u.ident, "union"),
            Item::Trait(t) => define("type", &t.ident, "trait"),
            Item::TraitAlias(t) => define("type", &t.ident, "trait"),
            Item::Type(t) => define("type", &t.ident, "type alias"),
            Item::ExternCrate(c) => define(
                "type",
                c.rename.as_ref().map_or(&c.ident, |(_, r)| r),
                "crate",
            ),
            Item::Fn(f) => define("value", &f.sig.ident, "function"),
            Item::Const(c) => define("value", &c.ident, "constant"),
            Item::Static(s) => define("value", &s.ident, "static"),
            Item::Impl(block) => {
                let self_type = tokens(&block.self_ty);
                let of = block
                    .trait_
                    .as_ref()
                    .map(|(_, path, _)| tokens(path))
                    .unwrap_or_default();
                for member in &block.items {
                    let ident = match member {
                        syn::ImplItem::Fn(f) => &f.sig.ident,
                        syn::ImplItem::Const(c) => &c.ident,
                        _ => continue,
                    };
                    // Inherent impls of one type share their names; a trait impl has its own.
                    let key = (self_type.clone(), of.clone(), name(ident));
                    if members.contains(&key) {
                        let shown = self_type.replace(' ', "");
                        push(
                            found,
                            format!(
                                "line {}: `{shown}::{}` is defined twice in {place}: the compiler keeps only one, and the grader's checks must read the one it compiles; rename or remove one",
                                line(ident),
                                name(ident)
                            ),
                        );
                    } else {
                        members.push(key);
                    }
                }
            }
            _ => {}
        }
    }
    for (at, (namespace, named, kind, line)) in defined.iter().enumerate() {
        if named == "_" {
            continue;
        }
        if let Some((_, _, first, _)) = defined[..at]
            .iter()
            .find(|(n, d, _, _)| n == namespace && d == named)
        {
            let kinds = if first == kind {
                format!("{} {kind}, twice", article(kind))
            } else {
                format!("{} {first} and {} {kind}", article(first), article(kind))
            };
            push(
                found,
                format!(
                    "line {line}: `{named}` is defined twice in {place} ({kinds}): the compiler keeps only one, and the grader's checks must read the one it compiles; rename or remove one"
                ),
            );
        }
    }
    for item in items {
        if let Item::Mod(m) = item
            && let Some((_, content)) = &m.content
        {
            module.push(name(&m.ident));
            module_duplicates(content, module, found);
            module.pop();
        }
    }
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The module files (`mod x;`, with or without `#[path]`, at any depth) that a single-file
/// exercise declares and its course's file does not, one line each.
pub fn module_files(learner: &syn::File, shipped: Option<&syn::File>) -> Vec<String> {
    let theirs = ModuleFiles::of(learner);
    let ours = shipped.map(ModuleFiles::of).unwrap_or_default();
    theirs
        .0
        .iter()
        .filter(|(declared, _, _)| !ours.0.iter().any(|(d, _, _)| d == declared))
        .map(|((module, paths), line, written)| {
            let file = paths
                .first()
                .cloned()
                .unwrap_or_else(|| format!("{module}.rs"));
            format!(
                "line {line}: `{written}` brings in the file `{file}`, out of this exercise: a single-file exercise keeps its code in its own file; write the module inline (`mod {module} {{ .. }}`)"
            )
        })
        .collect()
}

/// Declared module files: ((name, the paths its attributes name), line, as written).
#[derive(Default)]
struct ModuleFiles(Vec<((String, Vec<String>), usize, String)>);

impl ModuleFiles {
    fn of(file: &syn::File) -> ModuleFiles {
        let mut found = ModuleFiles::default();
        found.visit_file(file);
        found
    }
}

impl<'ast> Visit<'ast> for ModuleFiles {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if module.content.is_none() {
            self.0.push((
                (name(&module.ident), path_attrs(&module.attrs)),
                module.ident.span().start().line,
                format!("mod {};", module.ident),
            ));
        }
        visit::visit_item_mod(self, module);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(source: &str) -> syn::File {
        syn::parse_file(source).unwrap()
    }

    #[test]
    fn conditions_the_course_does_not_have_are_refused() {
        let shipped = file(
            "pub struct Caught;\n#[cfg(unix)]\npub fn f() {}\nimpl S { #[cfg(unix)] fn g() {} }\n",
        );
        for sneaky in [
            // Red team round 6 (W1, W2).
            "#[cfg(any())]\npub struct Caught;\npub type Caught = std::thread::Result<()>;",
            "fn health() -> (Yes, Yes) { (Yes, Yes) }\n#[cfg(any())]\nfn health() -> (u16, &'static str) { (500, \"x\") }",
            "#[cfg_attr(any(), derive(PartialEq))]\npub struct Caught;",
            "impl S { fn g() {} #[cfg(any())] fn g() {} }",
            "pub struct R { #[cfg(any())] pub status: u16 }",
            "fn f() { #[cfg(any())] struct Result; }",
            "mod m { #![cfg(any())] pub struct Caught; }",
            // The course's condition, on another item.
            "#[cfg(unix)]\npub fn other() {}",
            "#[cfg(windows)]\npub fn f() {}",
            // Red team round 6 (W3): `path` under a condition, whatever the course has.
            "#[cfg_attr(all(), path = \"notes.txt\")]\nmod notes;",
            "#[cfg_attr(unix, cfg_attr(all(), path = \"x.rs\"))]\nmod x;",
        ] {
            let found = conditions(&file(sneaky), Some(&shipped));
            assert!(!found.is_empty(), "{sneaky}");
        }
        assert!(
            conditions(&file("#[cfg_attr(all(), path = \"n.txt\")]\nmod n;"), None)[0]
                .contains("puts `path` under a condition")
        );
        for fine in [
            "pub struct Caught;\n#[cfg(unix)]\npub fn f() { let _ = 1; }",
            "impl S { #[cfg(unix)] fn g() -> u8 { 1 } }",
            // Conditions on `test` are the assembler's.
            "fn f() { #[cfg(test)] let _ = 1; }",
            "#[cfg_attr(test, derive(Debug))]\npub struct Caught;",
        ] {
            assert_eq!(
                conditions(&file(fine), Some(&shipped)),
                Vec::<String>::new(),
                "{fine}"
            );
        }
        // The file's own inner attributes are the rule book's.
        assert!(conditions(&file("#![cfg(unix)]\nfn f() {}"), None).is_empty());
    }

    #[test]
    fn two_items_of_one_name_in_one_namespace_are_refused() {
        for twice in [
            "pub struct Caught;\npub type Caught = std::thread::Result<()>;",
            "fn health() -> u8 { 1 }\nfn health() -> u16 { 2 }",
            "mod a { pub enum E {} pub trait E {} }",
            "pub struct S(u8);\nfn S() {}",
            "const N: u8 = 1;\nstatic N: u8 = 2;",
            "extern crate core as m;\nmod m {}",
            "struct R;\nimpl R { fn route(&self) -> u8 { 1 } }\nimpl R { fn route(&self) -> u16 { 2 } }",
        ] {
            assert!(!duplicates(&file(twice)).is_empty(), "{twice}");
        }
        assert!(
            duplicates(&file("pub struct Caught;\npub type Caught = u8;"))[0]
                .contains("`Caught` is defined twice in this file (a struct and a type alias)")
        );
        for fine in [
            // Different namespaces, different modules, different impls.
            "pub struct S { a: u8 }\nfn S() {}",
            "mod routes { pub fn routes() {} }\npub use routes::routes;",
            "fn f() {}\nmod m { fn f() {} }",
            "struct A;\nimpl std::fmt::Display for A { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }\nimpl std::fmt::Debug for A { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }",
            "const _: () = ();\nconst _: () = ();",
            "macro_rules! m { () => {} }\nmacro_rules! m { () => {} }",
        ] {
            assert_eq!(duplicates(&file(fine)), Vec::<String>::new(), "{fine}");
        }
    }

    #[test]
    fn a_single_file_declares_no_module_file_the_course_does_not() {
        for sneaky in [
            // Red team round 6 (W4).
            "#[path = \"intro1_welcome.rs\"]\nmod welcome;",
            "mod helpers;",
            "mod inline { mod deeper; }",
            "fn f() { #[path = \"x.rs\"] mod x; }",
        ] {
            assert!(!module_files(&file(sneaky), None).is_empty(), "{sneaky}");
        }
        assert!(
            module_files(&file("#[path = \"intro1_welcome.rs\"]\nmod welcome;"), None)[0]
                .contains("`mod welcome;` brings in the file `intro1_welcome.rs`")
        );
        assert!(module_files(&file("mod inline { pub fn f() {} }"), None).is_empty());
        let shipped = file("mod helpers;\nfn main() {}");
        assert!(module_files(&file("pub mod helpers;"), Some(&shipped)).is_empty());
        assert!(
            !module_files(&file("#[path = \"x.rs\"]\nmod helpers;"), Some(&shipped)).is_empty()
        );
    }
}
