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
//! New functions, types, fields and impls of the learner's own are free. Test modules are the
//! splicer's business, not this one's.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::{FnArg, ImplItem, Item, Signature};

const COMPARISONS: &[&str] = &["PartialEq", "Eq", "PartialOrd", "Ord"];

/// What the learner's file changed of the course's contract, one line each; empty when it is
/// kept (or when either file does not parse: the compiler will say why).
pub fn breaches(learner: &str, course: &str) -> Vec<String> {
    let (Ok(learner), Ok(course)) = (syn::parse_file(learner), syn::parse_file(course)) else {
        return Vec::new();
    };
    let shipped = Contract::of(&course.items);
    let theirs = Contract::of(&learner.items);
    proc_macro2::extra::invalidate_current_thread_spans(); // see `rules::inspect`
    let mut found = Vec::new();
    for (name, types) in &shipped.functions {
        if let Some(their_types) = theirs.functions.get(name)
            && their_types != types
        {
            found.push(format!(
                "`{name}` must keep its signature `{types}` (it is `{their_types}`): the tests rely on its types"
            ));
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
    /// Hand-written comparison impls: (trait, self type).
    comparisons: BTreeSet<(String, String)>,
}

impl Contract {
    fn of(items: &[Item]) -> Contract {
        let mut contract = Contract::default();
        for item in items {
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
                    if let Some((_, path, _)) = &block.trait_
                        && let Some(last) = path.segments.last()
                        && COMPARISONS.contains(&last.ident.to_string().as_str())
                    {
                        contract
                            .comparisons
                            .insert((last.ident.to_string(), self_type.clone()));
                    }
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
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        other => other.to_token_stream().to_string(),
    }
}

/// Items under `#[test]` or `#[cfg(test)]` (as the splicer recognises test modules).
fn is_test_item(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("test")) || super::splice::is_cfg_test(attrs)
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
        assert_eq!(breaches(learner, COURSE), Vec::<String>::new());
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
        let found = breaches(learner, COURSE);
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
        let found = breaches(learner, COURSE);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().any(|f| f.contains("#[derive(PartialEq)]")));
        assert!(
            found
                .iter()
                .any(|f| f.contains("impl PartialEq for Response"))
        );
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
        let found = breaches(learner, COURSE);
        assert!(found[0].contains("`Router::route`"), "{found:?}");
    }
}

#[cfg(test)]
mod course_tests {
    /// Every reference solution of this repository's course keeps its exercise's contract, so
    /// no honest learner is refused by it.
    #[test]
    fn our_solutions_keep_their_exercises_contracts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut broken = Vec::new();
        for rel in crate::fsutil::files_below(&root.join("exercises")) {
            if rel.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let exercise = std::fs::read_to_string(root.join("exercises").join(&rel)).unwrap();
            let Ok(solution) = std::fs::read_to_string(root.join("solutions").join(&rel)) else {
                continue;
            };
            for breach in super::breaches(&solution, &exercise) {
                broken.push(format!("{}: {breach}", rel.display()));
            }
        }
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
