//! The exercise's contract with its tests: what a learner may not change in a graded file.
//!
//! The course's tests call the exercise's functions and compare what they return. A learner who
//! changes a function's return type to a type of their own whose `PartialEq` always answers
//! `true` passes every `assert_eq!` without solving anything; so does one who replaces a
//! shipped type's `#[derive(PartialEq)]` with a hand-written impl that ignores its fields. So,
//! against the course's shipped file:
//! - every function it ships (free, or in an `impl` block) keeps its parameter and return types
//!   (parameter names and `mut` may change);
//! - every type it ships keeps its derived comparisons (other derives, such as `Debug`, may be
//!   an exercise's lesson to replace);
//! - no comparison trait (`PartialEq`, `Eq`, `PartialOrd`, `Ord`) is implemented by hand for a
//!   shipped type unless the shipped file does it.
//!
//! - every type alias it ships keeps what it stands for, and every name it imports at the top
//!   (`use std::collections::HashMap;`) keeps pointing where it did: a learner's own `HashMap`
//!   with a lying `==` would otherwise keep every signature's tokens;
//! - comparisons are found through aliases and renames (`impl Same for R` after
//!   `use std::cmp::PartialEq as Same;` and `type R = Response;`), at any depth;
//! - no learner name impersonates the language ([`super::names`]).
//!
//! New functions, types, fields and impls of the learner's own are free. Test items are the
//! assembler's business, not this one's (it removes them).

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{FnArg, ImplItem, Item, Signature};

use super::assemble::{SpanReset, normalize, use_bindings};

const COMPARISONS: &[&str] = &["PartialEq", "Eq", "PartialOrd", "Ord"];

/// What the learner's file changed of the course's contract, one line each; empty when it is
/// kept (or when either file does not parse: the compiler will say why).
pub fn breaches(learner: &str, course: Option<&str>) -> Vec<String> {
    let _reset = SpanReset;
    let Ok(learner) = syn::parse_file(&normalize(learner)) else {
        return Vec::new();
    };
    let course = course.and_then(|c| syn::parse_file(&normalize(c)).ok());
    let mut found = super::names::impersonations(&learner, course.as_ref());
    let Some(course) = course else {
        return found;
    };
    let shipped = Contract::of(&course);
    let theirs = Contract::of(&learner);
    let new_glob = theirs.globs.difference(&shipped.globs).next().is_some();
    for (name, types) in &shipped.functions {
        match theirs.functions.get(name) {
            Some(their_types) if their_types != types => found.push(format!(
                "`{name}` must keep its signature `{types}` (it is `{their_types}`): the tests rely on its types"
            )),
            Some(_) => {}
            // Not written out where the course wrote it: whatever stands in for it (a
            // re-export, a glob, a macro's output) is out of the contract's sight.
            None => {
                let free = !name.contains("::");
                let stand_in = theirs.macro_calls
                    || (free && (theirs.imports.contains_key(name) || new_glob));
                if stand_in {
                    found.push(format!(
                        "`{name}` must stay written out as the course wrote it (not imported, re-exported or made by a macro): the tests rely on its signature `{types}`"
                    ));
                }
            }
        }
    }
    for (name, derives) in &shipped.derives {
        if let Some(their_derives) = theirs.derives.get(name)
            && !derives.is_subset(their_derives)
        {
            let missing: Vec<&str> = derives
                .difference(their_derives)
                .map(String::as_str)
                .collect();
            found.push(format!(
                "`{name}` must keep `#[derive({})]`: the tests compare its values",
                missing.join(", ")
            ));
        }
    }
    for (name, aliased) in &shipped.aliases {
        if let Some(theirs) = theirs.aliases.get(name)
            && theirs != aliased
        {
            found.push(format!(
                "the type alias `{name}` must stay `{aliased}` (it is `{theirs}`): the tests rely on it"
            ));
        }
    }
    // A glob the course does not have may bind any name, a shipped import's among them.
    for (name, path) in &shipped.imports {
        let changed = match theirs.imports.get(name) {
            Some(their_path) => their_path != path,
            None => theirs.items.contains(name) || new_glob,
        };
        if changed {
            found.push(format!(
                "`{name}` must stay `{path}` as the course imports it: the tests rely on it"
            ));
        }
    }
    for (trait_name, self_type) in local_traits_on_foreign_types(&learner) {
        if !shipped.traits.contains(&trait_name) {
            found.push(format!(
                "`impl {trait_name} for {self_type}`: a trait of yours on a type you did not define can answer the tests' method calls on it (`.contains()`, `.starts_with()`); implement it for a type of your own"
            ));
        }
    }
    for (trait_name, type_name) in theirs.comparisons.difference(&shipped.comparisons) {
        if shipped.derives.contains_key(type_name) {
            found.push(format!(
                "`impl {trait_name} for {type_name}` is not allowed: `{type_name}` is the course's type, and the tests compare its values"
            ));
        }
    }
    found
}

#[derive(Default)]
struct Contract {
    /// `name` or `Type::name` -> parameter and return types, as token text.
    functions: BTreeMap<String, String>,
    /// Shipped types (structs, enums, unions) -> their derived comparisons.
    derives: BTreeMap<String, BTreeSet<String>>,
    /// Hand-written comparison impls, at any depth: (trait, self type), through aliases.
    comparisons: BTreeSet<(String, String)>,
    /// Top-level type aliases -> what they stand for, as token text.
    aliases: BTreeMap<String, String>,
    /// Top-level `use` bindings -> their path.
    imports: BTreeMap<String, String>,
    /// Names of the other top-level items.
    items: BTreeSet<String>,
    /// Top-level glob imports, as token text: each may bind any name.
    globs: BTreeSet<String>,
    /// Traits the file defines, at any depth.
    traits: BTreeSet<String>,
    /// Macro calls where items go (in a module or an `impl` block), which may define
    /// functions the contract cannot see (`thread_local!` aside).
    macro_calls: bool,
}

impl Contract {
    fn of(file: &syn::File) -> Contract {
        let mut contract = Contract::default();
        for item in &file.items {
            match item {
                Item::Type(t) if !is_test_item(&t.attrs) => {
                    let generics = t.generics.to_token_stream().to_string();
                    contract.aliases.insert(
                        t.ident.to_string(),
                        format!("{generics} = {}", t.ty.to_token_stream()),
                    );
                }
                Item::Use(u) if !is_test_item(&u.attrs) => {
                    for (bound, path) in use_bindings(&u.tree) {
                        contract.imports.insert(bound, path.join("::"));
                    }
                    if has_glob(&u.tree) {
                        contract.globs.insert(u.to_token_stream().to_string());
                    }
                }
                _ => {
                    if let Some(name) = super::assemble::item_name(item) {
                        contract.items.insert(name);
                    }
                }
            }
        }
        let mut defined = Defined::default();
        defined.visit_file(file);
        contract.traits = defined.traits;
        contract.macro_calls = defined.macro_calls;
        let resolve = Resolver::of(file);
        let mut impls = Comparisons {
            resolve: &resolve,
            found: BTreeSet::new(),
        };
        impls.visit_file(file);
        contract.comparisons = impls.found;
        for item in &file.items {
            match item {
                Item::Fn(f) if !is_test_item(&f.attrs) => {
                    contract
                        .functions
                        .insert(f.sig.ident.to_string(), types_of(&f.sig));
                }
                Item::Struct(s) => {
                    contract
                        .derives
                        .insert(s.ident.to_string(), derives(&s.attrs));
                }
                Item::Enum(e) => {
                    contract
                        .derives
                        .insert(e.ident.to_string(), derives(&e.attrs));
                }
                Item::Union(u) => {
                    contract
                        .derives
                        .insert(u.ident.to_string(), derives(&u.attrs));
                }
                Item::Impl(block) if !is_test_item(&block.attrs) => {
                    let self_type = type_name(&block.self_ty);
                    let owner = match &block.trait_ {
                        Some((_, path, _)) => format!(
                            "<{self_type} as {}>",
                            path.to_token_stream().to_string().replace(' ', "")
                        ),
                        None => self_type,
                    };
                    for inner in &block.items {
                        if let ImplItem::Fn(f) = inner {
                            contract
                                .functions
                                .insert(format!("{owner}::{}", f.sig.ident), types_of(&f.sig));
                        }
                    }
                }
                _ => {}
            }
        }
        contract
    }
}

/// `fn(T, U) -> R` of a signature: types only, since names and `mut` are the learner's.
fn types_of(sig: &Signature) -> String {
    let params: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            FnArg::Receiver(r) => {
                let reference = r
                    .reference
                    .as_ref()
                    .map(|(_, lifetime)| {
                        format!(
                            "&{}{}",
                            lifetime
                                .as_ref()
                                .map(|l| format!("{l} "))
                                .unwrap_or_default(),
                            if r.mutability.is_some() { "mut " } else { "" }
                        )
                    })
                    .unwrap_or_default();
                format!("{reference}self")
            }
            FnArg::Typed(t) => t.ty.to_token_stream().to_string(),
        })
        .collect();
    let generics = sig.generics.to_token_stream().to_string();
    let output = sig.output.to_token_stream().to_string();
    format!("fn{generics}({}) {output}", params.join(", "))
        .trim_end()
        .to_string()
}

fn derives(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last()
                && COMPARISONS.contains(&last.ident.to_string().as_str())
            {
                found.insert(last.ident.to_string());
            }
            Ok(())
        });
    }
    found
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Reference(r) => type_name(&r.elem),
        syn::Type::Paren(p) => type_name(&p.elem),
        syn::Type::Group(g) => type_name(&g.elem),
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        other => other.to_token_stream().to_string(),
    }
}

fn has_glob(tree: &syn::UseTree) -> bool {
    match tree {
        syn::UseTree::Glob(_) => true,
        syn::UseTree::Path(p) => has_glob(&p.tree),
        syn::UseTree::Group(g) => g.items.iter().any(has_glob),
        syn::UseTree::Name(_) | syn::UseTree::Rename(_) => false,
    }
}

/// Items under `#[test]` or `#[cfg(test)]`: the assembler removes them.
fn is_test_item(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("test")) || super::assemble::is_cfg_test(attrs)
}

/// What a one-segment name at the top of a file stands for: its `type` aliases and `use`
/// renames, followed to the last segment of their target.
struct Resolver {
    names: BTreeMap<String, String>,
}

impl Resolver {
    fn of(file: &syn::File) -> Resolver {
        let mut names = BTreeMap::new();
        for item in &file.items {
            match item {
                Item::Type(t) => {
                    names.insert(t.ident.to_string(), type_name(&t.ty));
                }
                Item::Use(u) => {
                    for (bound, path) in use_bindings(&u.tree) {
                        if let Some(last) = path.last() {
                            names.insert(bound, last.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        Resolver { names }
    }

    /// `name` followed through aliases (a few steps at most: aliases may form a cycle).
    fn resolve(&self, name: &str) -> String {
        let mut name = name.to_string();
        for _ in 0..8 {
            match self.names.get(&name) {
                Some(next) if *next != name => name = next.clone(),
                _ => break,
            }
        }
        name
    }
}

/// What a file defines, at any depth: its types (with aliases), traits and modules.
#[derive(Default)]
struct Defined {
    types: BTreeSet<String>,
    /// The type aliases among `types`.
    aliases: BTreeSet<String>,
    traits: BTreeSet<String>,
    modules: BTreeSet<String>,
    macro_calls: bool,
}

fn may_define_items(mac: &syn::Macro) -> bool {
    !mac.path.is_ident("macro_rules") && !mac.path.is_ident("thread_local")
}

impl<'ast> Visit<'ast> for Defined {
    fn visit_impl_item_macro(&mut self, item: &'ast syn::ImplItemMacro) {
        self.macro_calls |= may_define_items(&item.mac);
        visit::visit_impl_item_macro(self, item);
    }

    fn visit_item(&mut self, item: &'ast Item) {
        match item {
            Item::Macro(m) if m.ident.is_none() => {
                self.macro_calls |= may_define_items(&m.mac);
            }
            Item::Struct(s) => {
                self.types.insert(s.ident.to_string());
            }
            Item::Enum(e) => {
                self.types.insert(e.ident.to_string());
            }
            Item::Union(u) => {
                self.types.insert(u.ident.to_string());
            }
            Item::Type(t) => {
                self.types.insert(t.ident.to_string());
                self.aliases.insert(t.ident.to_string());
            }
            Item::Trait(t) => {
                self.traits.insert(t.ident.to_string());
            }
            Item::Mod(m) => {
                self.modules.insert(m.ident.to_string());
            }
            _ => {}
        }
        visit::visit_item(self, item);
    }
}

/// `impl Trait for Type` blocks (any depth, test items aside) where the trait is the crate's
/// own and the type is not: the only impls on a foreign type that compile are of local traits,
/// and a local trait's methods win over the type's own methods reached through `Deref`
/// (`String` has no `contains` of its own; `str` has). As (trait, type) text.
fn local_traits_on_foreign_types(file: &syn::File) -> Vec<(String, String)> {
    struct Impls<'a> {
        defined: &'a Defined,
        resolve: &'a Resolver,
        found: Vec<(String, String)>,
    }
    impl<'ast> Visit<'ast> for Impls<'_> {
        fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
            if !is_test_item(&block.attrs)
                && let Some((_, path, _)) = &block.trait_
            {
                let params: Vec<String> = block
                    .generics
                    .type_params()
                    .map(|p| p.ident.to_string())
                    .collect();
                // Through aliases: `type Text = String;` does not make `String` the learner's.
                let self_name = self.resolve.resolve(&type_name(&block.self_ty));
                let own_type = self.defined.types.contains(&self_name)
                    && !self.defined.aliases.contains(&self_name)
                    && !params.contains(&self_name);
                if !own_type && is_local_trait(path, self.defined) {
                    self.found.push((
                        path.to_token_stream().to_string().replace(' ', ""),
                        block.self_ty.to_token_stream().to_string().replace(' ', ""),
                    ));
                }
            }
            visit::visit_item_impl(self, block);
        }

        fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
            if !is_test_item(&module.attrs) {
                visit::visit_item_mod(self, module);
            }
        }
    }
    let mut defined = Defined::default();
    defined.visit_file(file);
    let resolve = Resolver::of(file);
    let mut impls = Impls {
        defined: &defined,
        resolve: &resolve,
        found: Vec::new(),
    };
    impls.visit_file(file);
    impls.found
}

/// Whether a trait path names a trait of this crate: `crate::`/`self::`/`super::` paths, paths
/// through the file's modules, and bare names the file defines. A bare name it does not define
/// comes from the prelude (`From`) or an import: those of other crates are named by path.
fn is_local_trait(path: &syn::Path, defined: &Defined) -> bool {
    let Some(first) = path.segments.first().map(|s| s.ident.to_string()) else {
        return false;
    };
    if path.leading_colon.is_some() {
        return false;
    }
    if path.segments.len() == 1 {
        // The orphan rule lets a foreign type take only the crate's own traits, and foreign
        // traits with a local type parameter (`From<Email> for String`): the prelude's.
        return defined.traits.contains(&first)
            || !super::names::PROTECTED.contains(&first.as_str());
    }
    ["crate", "self", "super"].contains(&first.as_str()) || defined.modules.contains(&first)
}

/// Comparison impls anywhere in a file (an `impl` inside a function body is global too).
struct Comparisons<'a> {
    resolve: &'a Resolver,
    found: BTreeSet<(String, String)>,
}

impl<'ast> Visit<'ast> for Comparisons<'_> {
    fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
        if !is_test_item(&block.attrs)
            && let Some((_, path, _)) = &block.trait_
            && let Some(last) = path.segments.last()
        {
            let trait_name = self.resolve.resolve(&last.ident.to_string());
            if COMPARISONS.contains(&trait_name.as_str()) {
                let self_type = self.resolve.resolve(&type_name(&block.self_ty));
                self.found.insert((trait_name, self_type));
            }
        }
        visit::visit_item_impl(self, block);
    }

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if !is_test_item(&module.attrs) {
            visit::visit_item_mod(self, module);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = r#"
#[derive(Debug, Clone, PartialEq)]
pub struct Response { pub status: u16 }

pub struct Router;

impl Router {
    pub fn route(&self, path: &str) -> Response { todo!() }
}

pub fn status_for(code: u16) -> Option<u16> { todo!() }

#[cfg(test)]
mod tests {}
"#;

    #[test]
    fn a_solution_that_keeps_the_contract_passes() {
        let learner = r#"
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response { pub status: u16, pub extra: bool }
pub struct Router;
impl Router {
    pub fn route(&self, _p: &str) -> Response { Response { status: 200, extra: false } }
}
pub fn status_for(mut code: u16) -> Option<u16> { code += 0; Some(code) }
fn helper() {}
#[derive(Debug)]
struct Mine;
impl PartialEq for Mine { fn eq(&self, _: &Self) -> bool { true } }
"#;
        assert_eq!(breaches(learner, Some(COURSE)), Vec::<String>::new());
    }

    #[test]
    fn a_return_type_that_always_compares_equal_is_refused() {
        let learner = r#"
#[derive(Debug, Clone, PartialEq)]
pub struct Response { pub status: u16 }
#[derive(Debug)]
pub struct Anything;
impl PartialEq<Option<u16>> for Anything { fn eq(&self, _: &Option<u16>) -> bool { true } }
pub fn status_for(code: u16) -> Anything { Anything }
"#;
        let found = breaches(learner, Some(COURSE));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("`status_for`"), "{found:?}");
    }

    #[test]
    fn a_hand_written_equality_for_a_course_type_is_refused() {
        let learner = r#"
#[derive(Debug, Clone)]
pub struct Response { pub status: u16 }
impl PartialEq for Response { fn eq(&self, _: &Self) -> bool { true } }
pub struct Router;
impl Router {
    pub fn route(&self, path: &str) -> Response { todo!() }
}
"#;
        let found = breaches(learner, Some(COURSE));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|f| f.contains("#[derive(PartialEq)]")));
        assert!(
            found
                .iter()
                .any(|f| f.contains("impl PartialEq for Response"))
        );
    }

    #[test]
    fn comparisons_through_aliases_renames_and_function_bodies_are_found() {
        for sneaky in [
            "use std::cmp::PartialEq as Same;\nimpl Same for Response { fn eq(&self, _: &Self) -> bool { true } }",
            "type R = Response;\nimpl PartialEq for R { fn eq(&self, _: &Self) -> bool { true } }",
            "impl PartialEq for &Response { fn eq(&self, _: &Self) -> bool { true } }",
            "fn hide() { impl PartialEq for Response { fn eq(&self, _: &Self) -> bool { true } } }",
        ] {
            let learner = format!(
                "#[derive(Debug, Clone)]\npub struct Response {{ pub status: u16 }}\n{sneaky}"
            );
            let found = breaches(&learner, Some(COURSE));
            assert!(
                found
                    .iter()
                    .any(|f| f.contains("impl PartialEq for Response")),
                "{sneaky}: {found:?}"
            );
        }
    }

    #[test]
    fn a_trait_of_the_learner_on_a_foreign_type_is_refused() {
        let course = "pub fn greeting(name: &str) -> String { todo!() }\n";
        for sneaky in [
            "pub trait Looks { fn starts_with(&self, _: &str) -> bool { true } }\nimpl Looks for String {}",
            "mod m { pub trait Looks { fn contains(&self, _: &str) -> bool { true } } }\nimpl m::Looks for str {}",
            "pub trait Looks { fn is_empty(&self) -> bool { false } }\nimpl<T> Looks for Vec<T> {}",
            "pub trait Looks { fn len(&self) -> usize { 3 } }\nimpl<T: ?Sized> Looks for &T {}",
            // Red team round 3: through an alias.
            "type Text = String;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for Text {}",
            "type Caught = std::thread::Result<()>;\npub trait Verdict { fn is_err(self) -> bool; }\nimpl Verdict for Caught { fn is_err(self) -> bool { false } }",
        ] {
            let learner =
                format!("pub fn greeting(name: &str) -> String {{ String::new() }}\n{sneaky}");
            let found = breaches(&learner, Some(course));
            assert!(
                found.iter().any(|f| f.contains("a trait of yours")),
                "{sneaky}: {found:?}"
            );
        }
        // Traits on the learner's own types, and the standard traits on foreign ones, are fine.
        for fine in [
            "pub struct Mine;\npub trait Looks { fn look(&self) {} }\nimpl Looks for Mine {}",
            "pub struct Email(String);\nimpl From<Email> for String { fn from(e: Email) -> String { e.0 } }",
            "pub struct W;\nimpl std::fmt::Display for W { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, \"w\") } }",
        ] {
            let learner =
                format!("pub fn greeting(name: &str) -> String {{ String::new() }}\n{fine}");
            assert_eq!(
                breaches(&learner, Some(course)),
                Vec::<String>::new(),
                "{fine}"
            );
        }
    }

    #[test]
    fn shipped_aliases_and_imports_keep_what_they_stand_for() {
        let course = "use std::collections::HashMap;\npub type Result<T> = std::result::Result<T, String>;\npub fn counts() -> Result<HashMap<String, u32>> { todo!() }\n";
        let honest = course.replace("todo!()", "Ok(HashMap::new())");
        assert_eq!(breaches(&honest, Some(course)), Vec::<String>::new());
        for (swap, named) in [
            ("use std::collections::HashMap;", "HashMap"),
            (
                "pub type Result<T> = std::result::Result<T, String>;",
                "Result",
            ),
        ] {
            for replacement in [
                "mod fake { #[derive(Debug)] pub struct HashMap<K, V>(K, V); } use fake::HashMap;",
                "mod fake { #[derive(Debug)] pub struct HashMap<K, V>(K, V); } use fake::*;",
                "pub struct HashMap<K, V>(K, V);",
                "pub type Result<T> = Option<T>;",
            ] {
                if !replacement.contains(named) {
                    continue;
                }
                let learner = honest.replace(swap, replacement);
                let found = breaches(&learner, Some(course));
                assert!(
                    found.iter().any(|f| f.contains(&format!("`{named}`"))),
                    "{replacement}: {found:?}"
                );
            }
        }
    }

    #[test]
    fn a_shipped_function_must_be_written_out() {
        let always = "#[derive(Debug)] pub struct Anything; impl<T> PartialEq<T> for Anything { fn eq(&self, _: &T) -> bool { true } }";
        for sneaky in [
            // Red team round 2: re-exported from a module, made by a macro.
            format!(
                "{always}\nmod probe {{ use super::Anything; pub fn status_for(_: u16) -> Anything {{ Anything }} }}\npub use probe::status_for;"
            ),
            format!(
                "{always}\nmacro_rules! make {{ ($n:ident) => {{ pub fn $n(_: u16) -> Anything {{ Anything }} }} }}\nmake!(status_for);"
            ),
            format!(
                "{always}\nmod probe {{ use super::Anything; pub fn status_for(_: u16) -> Anything {{ Anything }} }}\npub use probe::*;"
            ),
        ] {
            let learner = format!(
                "#[derive(Debug, Clone, PartialEq)]\npub struct Response {{ pub status: u16 }}\npub struct Router;\nimpl Router {{\n    pub fn route(&self, path: &str) -> Response {{ todo!() }}\n}}\n{sneaky}"
            );
            let found = breaches(&learner, Some(COURSE));
            assert!(
                found
                    .iter()
                    .any(|f| f.contains("`status_for` must stay written out")),
                "{sneaky}: {found:?}"
            );
        }
    }

    #[test]
    fn a_method_with_another_return_type_is_refused() {
        let learner = r#"
#[derive(Debug, Clone, PartialEq)]
pub struct Response { pub status: u16 }
pub struct Router;
impl Router {
    pub fn route(&self, path: &str) -> bool { true }
}
"#;
        let found = breaches(learner, Some(COURSE));
        assert!(found[0].contains("`Router::route`"), "{found:?}");
    }
}

#[cfg(test)]
mod course_tests {
    /// Every reference solution of this repository's course keeps its exercise's contract, so
    /// no honest learner is refused by it.
    #[test]
    fn our_solutions_keep_their_exercises_contracts() {
        let shipped = super::super::shipped_course();
        let root = shipped.path();
        let mut broken = Vec::new();
        for rel in crate::fsutil::files_below(&root.join("exercises")) {
            if rel.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let exercise = std::fs::read_to_string(root.join("exercises").join(&rel)).unwrap();
            let Ok(solution) = std::fs::read_to_string(root.join("solutions").join(&rel)) else {
                continue;
            };
            for breach in super::breaches(&solution, Some(&exercise)) {
                broken.push(format!("{}: {breach}", rel.display()));
            }
        }
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
