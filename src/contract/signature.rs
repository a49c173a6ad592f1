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
//! - a trait of the learner's goes only on the learner's own types (aliases followed with
//!   their generic arguments put in, red team round 7); the course's own trait, reached by its
//!   path and defined token for token as shipped, may go on any type;
//! - no learner name impersonates the language ([`super::names`]).
//!
//! New functions, types, fields and impls of the learner's own are free. Test items are the
//! assembler's business, not this one's (it removes them).

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{FnArg, ImplItem, Item, Signature};

use super::assemble::{SpanReset, normalize, use_bindings};
use super::{is_named, name};

const COMPARISONS: &[&str] = &["PartialEq", "Eq", "PartialOrd", "Ord"];

/// Where a file is checked: the crates the course's tests can name by path
/// ([`super::course_crates`]), and whether the file is its program's crate root (`crate::`
/// paths then point into it).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub crates: &'a [String],
    pub crate_root: bool,
    /// The file is a single-file exercise: it may declare no module file (`mod x;`) its
    /// course's file does not (red team round 6).
    pub single_file: bool,
    /// The methods the course's files of the exercise make the tests rely on
    /// ([`super::methods`]); `None` checks nothing of the kind.
    pub relied: Option<&'a super::methods::Relied>,
}

/// What the learner's file changed of the course's contract, one line each; empty when it is
/// kept (or when either file does not parse: the compiler will say why).
pub fn breaches(learner: &str, course: Option<&str>, context: Context) -> Vec<String> {
    let _reset = SpanReset;
    let Ok(mut learner) = syn::parse_file(&normalize(learner)) else {
        return Vec::new();
    };
    let mut course = course.and_then(|c| syn::parse_file(&normalize(c)).ok());
    // What the graded program holds of either file: no test module, no item gated on `test`
    // (red team round 6: a `#[cfg(test)] struct` the contract counted and the compiler never
    // saw made a foreign type look like the learner's).
    let tests = course
        .as_ref()
        .map(super::assemble::test_module_names)
        .unwrap_or_default();
    super::assemble::strip_tests(&mut learner, &tests);
    if let Some(course) = &mut course {
        super::assemble::strip_tests(course, &tests);
    }
    let mut found = super::compiled::conditions(&learner, course.as_ref());
    found.extend(super::compiled::duplicates(&learner));
    if context.single_file {
        found.extend(super::compiled::module_files(&learner, course.as_ref()));
    }
    found.extend(super::names::impersonations(
        &learner,
        course.as_ref(),
        context.crates,
    ));
    if let Some(relied) = context.relied {
        found.extend(super::methods::shadowing(&learner, relied));
    }
    let Some(course) = course else {
        return found;
    };
    let shipped = Contract::of(&course);
    let theirs = Contract::of(&learner);
    let new_glob = theirs.globs.difference(&shipped.globs).next().is_some();
    for (name, types) in &shipped.functions {
        // Free functions twice are `compiled::duplicates`' to report; methods may be written
        // in `impl` blocks the compiler tells apart (`impl R<A>`, `impl R<B>`) and the contract
        // does not.
        if name.contains("::") && theirs.twice.contains(name) {
            found.push(format!(
                "`{name}` is written more than once: the tests rely on its signature `{types}`, so write it once"
            ));
            continue;
        }
        match theirs.functions.get(name) {
            Some(their_types) if their_types != types => found.push(format!(
                "`{name}` must keep its signature `{types}` (it is `{their_types}`): the tests rely on its types"
            )),
            Some(_) => {}
            // Not written out where the course wrote it: whatever stands in for it (a
            // re-export, a glob, a macro's output, a method of a look-alike type behind an
            // alias, a `static` holding a function pointer) is out of the contract's sight,
            // so a shipped function or method is never missing (red team round 8).
            None => found.push(format!(
                "`{name}` must stay written out as the course wrote it (not removed, imported, re-exported, moved to another type or made by a macro): the tests rely on its signature `{types}`"
            )),
        }
    }
    // A shipped struct, enum or union stays that kind of item, with the types of its fields
    // and variants as shipped: a derive's `==` compares the fields with *their* `==`, and the
    // tests compare fields directly (red team round 8: `status: Any`, whose `==` is always
    // true, under a kept `#[derive(PartialEq)]`; `pub type Response = Reply;` with a
    // look-alike `Reply`). New fields and variants are the learner's, and so is removing one of
    // a type the tests never compare (a DTO that must lose its `password_hash`).
    for (name, shape) in &shipped.shapes {
        match theirs.shapes.get(name) {
            None => found.push(format!(
                "`{name}` must stay the {} the course wrote (not an alias, an import or another kind of item): the tests rely on its fields",
                shape.kind
            )),
            Some(their_shape) if their_shape.kind != shape.kind => found.push(format!(
                "`{name}` must stay the {} the course wrote (yours is a `{}`): the tests rely on its fields",
                shape.kind, their_shape.kind
            )),
            Some(their_shape) => {
                // A member removed changes nothing the tests can reach (they would not compile),
                // unless values of the type are compared: a derived `==` then skips it.
                let compared = shipped.derives.get(name).is_some_and(|d| !d.is_empty())
                    || shipped.comparisons.iter().any(|(_, ty)| ty == name);
                if their_shape.generics != shape.generics {
                    found.push(format!(
                        "`{name}` must keep its generic parameters `{}` (they are `{}`): the tests rely on them",
                        shape.generics, their_shape.generics
                    ));
                }
                for (member, ty) in &shape.members {
                    match their_shape.members.get(member) {
                        Some(their_ty) if their_ty == ty => {}
                        Some(their_ty) => found.push(format!(
                            "`{name}`'s {member} must keep its type `{ty}` (it is `{their_ty}`): the tests compare it"
                        )),
                        None if compared => found.push(format!(
                            "`{name}` must keep its {member} (`{ty}`): the tests compare its values, and a derived comparison would skip what is removed"
                        )),
                        None => {}
                    }
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
    for (name, kind) in &shipped.values {
        if theirs.values.get(name) != Some(kind) {
            found.push(format!(
                "`{name}` must stay the `{kind}` the course wrote: the tests rely on its type"
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
    // Only the course's own trait may be implemented for a foreign type: the top-level trait
    // the impl's path resolves to, defined token for token as shipped. A trait that only shares
    // its name (given an extra method, or defined in a module) is the learner's (red team
    // round 7: `Mailer` given a `contains` and implemented for `String`).
    for found_impl in local_traits_on_foreign_types(&learner, context) {
        let shipped_as_is = found_impl.top_level.as_ref().is_some_and(|name| {
            shipped
                .traits
                .get(name)
                .is_some_and(|def| theirs.traits.get(name) == Some(def))
        });
        if shipped_as_is {
            continue;
        }
        let ImplOnForeign {
            trait_path,
            self_type,
            ..
        } = &found_impl;
        let named = found_impl
            .top_level
            .iter()
            .chain([&found_impl.name])
            .find(|name| shipped.traits.contains_key(*name));
        let note = match named {
            Some(name) => format!(
                " (`{name}` is not the course's trait as shipped: only that one, unchanged and at the top of the file, may be implemented for a type you did not define)"
            ),
            None => String::new(),
        };
        found.push(format!(
            "`impl {trait_path} for {self_type}`: a trait of yours on a type you did not define can answer the tests' method calls on it (`.contains()`, `.starts_with()`); implement it for a type of your own{note}"
        ));
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
    /// Top-level structs, enums and unions -> their kind, generics and member types.
    shapes: BTreeMap<String, Shape>,
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
    /// Top-level traits the file defines -> their definition as token text (doc comments
    /// aside): the course's may be implemented for foreign types only as shipped.
    traits: BTreeMap<String, String>,
    /// Top-level constants and statics -> their kind and type, as token text.
    values: BTreeMap<String, String>,
    /// Functions (`functions`' keys) defined more than once: which one the compiler builds is
    /// not the contract's to guess (red team round 6).
    twice: BTreeSet<String>,
}

impl Contract {
    fn of(file: &syn::File) -> Contract {
        let mut contract = Contract::default();
        for item in &file.items {
            match item {
                Item::Type(t) if !is_test_item(&t.attrs) => {
                    let generics = t.generics.to_token_stream().to_string();
                    contract.aliases.insert(
                        name(&t.ident),
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
                Item::Trait(t) if !is_test_item(&t.attrs) => {
                    contract.traits.insert(name(&t.ident), trait_definition(t));
                    contract.items.insert(name(&t.ident));
                }
                _ => {
                    if let Some(name) = super::assemble::item_name(item) {
                        contract.items.insert(name);
                    }
                }
            }
        }
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
                    let key = name(&f.sig.ident);
                    if contract
                        .functions
                        .insert(key.clone(), types_of(&f.sig))
                        .is_some()
                    {
                        contract.twice.insert(key);
                    }
                }
                Item::Struct(s) => {
                    contract.derives.insert(name(&s.ident), derives(&s.attrs));
                    let mut members = BTreeMap::new();
                    fields("field", &s.fields, &mut members);
                    contract
                        .shapes
                        .insert(name(&s.ident), Shape::of("struct", &s.generics, members));
                }
                Item::Enum(e) => {
                    contract.derives.insert(name(&e.ident), derives(&e.attrs));
                    let mut members = BTreeMap::new();
                    for variant in &e.variants {
                        let form = match &variant.fields {
                            syn::Fields::Named(_) => "{ .. }",
                            syn::Fields::Unnamed(_) => "( .. )",
                            syn::Fields::Unit => "without fields",
                        };
                        let variant_name = name(&variant.ident);
                        members.insert(format!("variant `{variant_name}`"), form.to_string());
                        fields(
                            &format!("variant `{variant_name}`, field"),
                            &variant.fields,
                            &mut members,
                        );
                    }
                    contract
                        .shapes
                        .insert(name(&e.ident), Shape::of("enum", &e.generics, members));
                }
                Item::Union(u) => {
                    contract.derives.insert(name(&u.ident), derives(&u.attrs));
                    let mut members = BTreeMap::new();
                    fields("field", &syn::Fields::Named(u.fields.clone()), &mut members);
                    contract
                        .shapes
                        .insert(name(&u.ident), Shape::of("union", &u.generics, members));
                }
                // Red team round 10 (latent): a shipped constant's type, or a learner type's
                // lying `==` would keep every signature's tokens.
                Item::Const(c) if !is_test_item(&c.attrs) => {
                    contract
                        .values
                        .insert(name(&c.ident), format!("const: {}", c.ty.to_token_stream()));
                }
                Item::Static(v) if !is_test_item(&v.attrs) => {
                    contract.values.insert(
                        name(&v.ident),
                        format!(
                            "static {}: {}",
                            v.mutability.to_token_stream(),
                            v.ty.to_token_stream()
                        )
                        .replace("static : ", "static: "),
                    );
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
                            let key = format!("{owner}::{}", name(&f.sig.ident));
                            if contract
                                .functions
                                .insert(key.clone(), types_of(&f.sig))
                                .is_some()
                            {
                                contract.twice.insert(key);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        contract
    }
}

/// What the tests rely on of a struct, enum or union: its kind, its generic parameters and
/// the type of each field (`field `status``, `field `0``) and the form of each variant, as
/// token text (the normalisation of signatures). Attributes (docs, `serde`) and visibility
/// are the learner's.
#[derive(Debug, PartialEq)]
struct Shape {
    kind: &'static str,
    generics: String,
    members: BTreeMap<String, String>,
}

impl Shape {
    fn of(
        kind: &'static str,
        generics: &syn::Generics,
        members: BTreeMap<String, String>,
    ) -> Shape {
        let generics = format!(
            "{} {}",
            generics.to_token_stream(),
            generics.where_clause.to_token_stream()
        )
        .trim()
        .to_string();
        Shape {
            kind,
            generics,
            members,
        }
    }
}

/// The types of `fields`, each under `what` and its name (or position).
fn fields(what: &str, fields: &syn::Fields, members: &mut BTreeMap<String, String>) {
    for (at, field) in fields.iter().enumerate() {
        let label = match &field.ident {
            Some(ident) => name(ident),
            None => at.to_string(),
        };
        members.insert(
            format!("{what} `{label}`"),
            field.ty.to_token_stream().to_string(),
        );
    }
}

/// A trait's definition as token text, its doc comments (on the trait and its items) aside:
/// its items, their signatures and default bodies.
fn trait_definition(t: &syn::ItemTrait) -> String {
    let mut t = t.clone();
    let prose = |attrs: &mut Vec<syn::Attribute>| attrs.retain(|a| !is_named(a.path(), "doc"));
    prose(&mut t.attrs);
    for item in &mut t.items {
        match item {
            syn::TraitItem::Const(c) => prose(&mut c.attrs),
            syn::TraitItem::Fn(f) => prose(&mut f.attrs),
            syn::TraitItem::Type(ty) => prose(&mut ty.attrs),
            syn::TraitItem::Macro(m) => prose(&mut m.attrs),
            _ => {}
        }
    }
    t.to_token_stream().to_string()
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
    for attr in attrs.iter().filter(|a| is_named(a.path(), "derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last()
                && COMPARISONS.contains(&name(&last.ident).as_str())
            {
                found.insert(name(&last.ident));
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
            .map(|s| name(&s.ident))
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
    attrs.iter().any(|a| is_named(a.path(), "test")) || super::assemble::is_cfg_test(attrs)
}

/// What a one-segment name at the top of a file stands for: its `type` aliases and `use`
/// renames, followed to the last segment of their target.
struct Resolver {
    names: BTreeMap<String, String>,
    /// Type aliases, with their generic parameters.
    aliases: BTreeMap<String, syn::ItemType>,
}

impl Resolver {
    fn of(file: &syn::File) -> Resolver {
        let mut names = BTreeMap::new();
        let mut aliases = BTreeMap::new();
        for item in &file.items {
            match item {
                Item::Type(t) => {
                    names.insert(name(&t.ident), type_name(&t.ty));
                    aliases.insert(name(&t.ident), t.clone());
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
        Resolver { names, aliases }
    }

    /// The last name of the type `ty` stands for, through aliases with their generic arguments
    /// (defaults included) put in for their parameters: `Id<Response>` after
    /// `type Id<T> = T;` is `Response` (red team round 7), and through `use` renames.
    fn resolve_type(&self, ty: &syn::Type) -> String {
        let mut ty = ty.clone();
        for _ in 0..8 {
            let mut inner = &ty;
            while let syn::Type::Reference(syn::TypeReference { elem, .. })
            | syn::Type::Paren(syn::TypeParen { elem, .. })
            | syn::Type::Group(syn::TypeGroup { elem, .. }) = inner
            {
                inner = elem;
            }
            let syn::Type::Path(p) = inner else {
                return type_name(inner);
            };
            let Some(last) = p.path.segments.last() else {
                return type_name(inner);
            };
            // `use` renames, up to an alias.
            let mut current = name(&last.ident);
            for _ in 0..8 {
                if self.aliases.contains_key(&current) {
                    break;
                }
                match self.names.get(&current) {
                    Some(next) if *next != current => current = next.clone(),
                    _ => break,
                }
            }
            let Some(alias) = self.aliases.get(&current) else {
                return current;
            };
            ty = substitute(alias, &last.arguments);
        }
        type_name(&ty)
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

/// The target of `alias` with its generic parameters replaced by `arguments` (the parameter's
/// default where an argument is missing), as text: what `Alias<..>` stands for.
fn substitute(alias: &syn::ItemType, arguments: &syn::PathArguments) -> syn::Type {
    use syn::visit_mut::VisitMut;
    struct Replace(BTreeMap<String, syn::Type>);
    impl VisitMut for Replace {
        fn visit_type_mut(&mut self, ty: &mut syn::Type) {
            if let syn::Type::Path(p) = ty
                && p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].arguments.is_none()
                && let Some(with) = self.0.get(&name(&p.path.segments[0].ident))
            {
                *ty = with.clone();
                return;
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
    let given: Vec<Option<&syn::Type>> = match arguments {
        syn::PathArguments::AngleBracketed(list) => list
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(Some(t)),
                syn::GenericArgument::Const(_) => Some(None),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut replace = Replace(BTreeMap::new());
    let params = alias
        .generics
        .params
        .iter()
        .filter(|p| !matches!(p, syn::GenericParam::Lifetime(_)));
    for (at, param) in params.enumerate() {
        let syn::GenericParam::Type(t) = param else {
            continue;
        };
        let with = match (given.get(at), &t.default) {
            (Some(Some(arg)), _) => (*arg).clone(),
            (Some(None), _) => continue,
            // A default may name the parameters before it.
            (None, Some(default)) => {
                let mut default = default.clone();
                replace.visit_type_mut(&mut default);
                default
            }
            (None, None) => continue,
        };
        replace.0.insert(name(&t.ident), with);
    }
    let mut target = (*alias.ty).clone();
    replace.visit_type_mut(&mut target);
    target
}

/// What a file defines, at any depth: its traits and the `use` bindings of every module.
#[derive(Default)]
struct Defined {
    traits: BTreeSet<String>,
    modules: BTreeSet<String>,
    /// Every `use` binding and `extern crate` rename, at any depth: name -> the paths bound.
    bound: BTreeMap<String, Vec<Vec<String>>>,
}

impl<'ast> Visit<'ast> for Defined {
    fn visit_item(&mut self, item: &'ast Item) {
        match item {
            Item::Trait(t) => {
                self.traits.insert(name(&t.ident));
            }
            Item::Mod(m) => {
                self.modules.insert(name(&m.ident));
            }
            Item::Use(u) => {
                for (bound, path) in use_bindings(&u.tree) {
                    self.bound.entry(bound).or_default().push(path);
                }
            }
            Item::ExternCrate(c) => {
                if let Some((_, rename)) = &c.rename {
                    self.bound
                        .entry(name(rename))
                        .or_default()
                        .push(vec![name(&c.ident)]);
                }
            }
            _ => {}
        }
        visit::visit_item(self, item);
    }
}

/// The module-level items of one module of a file: what a path can name in it. Items inside
/// function bodies are no module's: a `struct Result` in a function does not make
/// `std::thread::Result` the learner's (red team round 5).
#[derive(Default)]
struct Scope {
    /// Structs, enums and unions.
    types: BTreeSet<String>,
    /// Type aliases, with their generic parameters.
    aliases: BTreeMap<String, syn::ItemType>,
    /// Traits.
    traits: BTreeSet<String>,
    /// Inline modules, with their items below.
    modules: BTreeSet<String>,
    /// `use` bindings -> their path.
    uses: BTreeMap<String, Vec<String>>,
    /// Glob imports, by the path before the `*`.
    globs: Vec<Vec<String>>,
    /// `extern crate self as name`: the crate root under another name.
    roots: BTreeSet<String>,
}

/// Every module of a file, by its path from the file's root (`[]`), with what it defines.
struct ModuleTree {
    scopes: BTreeMap<Vec<String>, Scope>,
    /// The file is its program's crate root: `crate::` paths point into it.
    crate_root: bool,
}

impl ModuleTree {
    fn of(file: &syn::File, crate_root: bool) -> ModuleTree {
        let mut tree = ModuleTree {
            scopes: BTreeMap::new(),
            crate_root,
        };
        tree.add(&[], &file.items);
        tree
    }

    fn add(&mut self, module: &[String], items: &[Item]) {
        let mut scope = Scope::default();
        for item in items {
            match item {
                Item::Struct(s) => {
                    scope.types.insert(name(&s.ident));
                }
                Item::Enum(e) => {
                    scope.types.insert(name(&e.ident));
                }
                Item::Union(u) => {
                    scope.types.insert(name(&u.ident));
                }
                Item::Type(t) => {
                    scope.aliases.insert(name(&t.ident), t.clone());
                }
                Item::Trait(t) => {
                    scope.traits.insert(name(&t.ident));
                }
                Item::Use(u) => {
                    for (bound, path) in use_bindings(&u.tree) {
                        scope.uses.insert(bound, path);
                    }
                    glob_prefixes(&u.tree, &mut Vec::new(), &mut scope.globs);
                }
                Item::ExternCrate(c) if name(&c.ident) == "self" => {
                    if let Some((_, rename)) = &c.rename {
                        scope.roots.insert(name(rename));
                    }
                }
                Item::Mod(m) if !is_test_item(&m.attrs) => {
                    if let Some((_, content)) = &m.content {
                        scope.modules.insert(name(&m.ident));
                        let mut inner = module.to_vec();
                        inner.push(name(&m.ident));
                        self.add(&inner, content);
                    }
                }
                _ => {}
            }
        }
        self.scopes.insert(module.to_vec(), scope);
    }

    /// Where `path`, written in `module`, leads in this file: the module and name of the type,
    /// alias or trait it names, followed through `crate`/`self`/`super`, the file's modules,
    /// `use` bindings (globs included) and `extern crate self`. `None` for anything else (a
    /// prelude or standard name, another crate's path, a module file this file does not hold).
    fn locate(
        &self,
        module: &[String],
        path: &[String],
        depth: usize,
    ) -> Option<(Vec<String>, String)> {
        if depth > 16 {
            return None;
        }
        let (Some(scope), Some(first)) = (self.scopes.get(module), path.first()) else {
            return None;
        };
        let rest = &path[1..];
        match first.as_str() {
            "crate" if self.crate_root => return self.locate(&[], rest, depth + 1),
            "crate" => return None,
            "self" => return self.locate(module, rest, depth + 1),
            "super" => {
                return match module.split_last() {
                    Some((_, parent)) => self.locate(parent, rest, depth + 1),
                    // Above this file's root: another file's module.
                    None => None,
                };
            }
            _ => {}
        }
        if rest.is_empty() {
            if scope.types.contains(first)
                || scope.aliases.contains_key(first)
                || scope.traits.contains(first)
            {
                return Some((module.to_vec(), first.clone()));
            }
            if let Some(target) = scope.uses.get(first) {
                return self.locate(module, target, depth + 1);
            }
            return scope.globs.iter().find_map(|prefix| {
                let mut target = prefix.clone();
                target.push(first.clone());
                self.locate(module, &target, depth + 1)
            });
        }
        if scope.modules.contains(first) {
            let mut inner = module.to_vec();
            inner.push(first.clone());
            return self.locate(&inner, rest, depth + 1);
        }
        if scope.roots.contains(first) && self.crate_root {
            return self.locate(&[], rest, depth + 1);
        }
        if let Some(target) = scope.uses.get(first) {
            let mut target = target.clone();
            target.extend(rest.iter().cloned());
            return self.locate(module, &target, depth + 1);
        }
        None
    }

    /// Whether the type `ty`, written in `module` where the generic parameters `params` are
    /// in scope, is a struct, enum or union defined at module level in this file
    /// ([`ModuleTree::locate`]), through type aliases with their generic arguments put in for
    /// their parameters. A name among `params` is a parameter, no module's type.
    fn own_type(
        &self,
        module: &[String],
        ty: &syn::Type,
        params: &BTreeSet<String>,
        depth: usize,
    ) -> bool {
        let Some((path, args)) = type_path_args(ty) else {
            return false;
        };
        if path.first().is_none_or(|first| params.contains(first)) || depth > 16 {
            return false;
        }
        let Some((home, found)) = self.locate(module, &path, depth) else {
            return false;
        };
        let Some(scope) = self.scopes.get(&home) else {
            return false;
        };
        if scope.types.contains(&found) {
            return true;
        }
        let Some(alias) = scope.aliases.get(&found) else {
            return false;
        };
        // To rustc, `Id<X>` after `type Id<T> = T;` is `X`, whatever `struct T` the module holds:
        // the alias's parameters shadow the module's names in its target (red team round 7).
        let own_params: Vec<(String, Option<&syn::Type>)> = alias
            .generics
            .params
            .iter()
            .filter_map(|p| match p {
                syn::GenericParam::Type(t) => Some((name(&t.ident), t.default.as_ref())),
                syn::GenericParam::Const(c) => Some((name(&c.ident), None)),
                syn::GenericParam::Lifetime(_) => None,
            })
            .collect();
        let names: BTreeSet<String> = own_params.iter().map(|(n, _)| n.clone()).collect();
        let Some((target, _)) = type_path_args(&alias.ty) else {
            return false;
        };
        let Some(at) = own_params
            .iter()
            .position(|(n, _)| Some(n) == target.first())
        else {
            // The target names a type of the alias's module; its own arguments do not decide
            // whose type it is.
            return self.own_type(&home, &alias.ty, &names, depth + 1);
        };
        if target.len() > 1 || !is_bare_path(&alias.ty) {
            // `T::Output`, `T<..>`: not a type this file defines.
            return false;
        }
        match (args.get(at), own_params[at].1) {
            // The argument, read where it was written.
            (Some(Some(arg)), _) => self.own_type(module, arg, params, depth + 1),
            (Some(None), _) => false,
            // The parameter's default, read where the alias is (an earlier parameter named in
            // it is not followed: a wrong guess refuses an impl, never lets one through).
            (None, Some(default)) => self.own_type(&home, default, &names, depth + 1),
            (None, None) => false,
        }
    }
}

/// The path of a type as names, with the generic arguments of its last segment that are not
/// lifetimes (`None` for a constant); see [`type_path`].
fn type_path_args(ty: &syn::Type) -> Option<(Vec<String>, Vec<Option<syn::Type>>)> {
    let path = type_path(ty)?;
    let mut inner = ty;
    while let syn::Type::Reference(syn::TypeReference { elem, .. })
    | syn::Type::Paren(syn::TypeParen { elem, .. })
    | syn::Type::Group(syn::TypeGroup { elem, .. }) = inner
    {
        inner = elem;
    }
    let mut args = Vec::new();
    if let syn::Type::Path(p) = inner
        && let Some(last) = p.path.segments.last()
        && let syn::PathArguments::AngleBracketed(list) = &last.arguments
    {
        for arg in &list.args {
            match arg {
                syn::GenericArgument::Type(t) => args.push(Some(t.clone())),
                syn::GenericArgument::Const(_) => args.push(None),
                _ => {}
            }
        }
    }
    Some((path, args))
}

/// Whether `ty` is a path of one segment with no generic arguments (`T`, `&T`, `(T)`).
fn is_bare_path(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => is_bare_path(&r.elem),
        syn::Type::Paren(p) => is_bare_path(&p.elem),
        syn::Type::Group(g) => is_bare_path(&g.elem),
        syn::Type::Path(p) => {
            p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1
                && p.path.segments[0].arguments.is_none()
        }
        _ => false,
    }
}

/// The path before each `*` of a `use` tree.
fn glob_prefixes(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(name(&p.ident));
            glob_prefixes(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                glob_prefixes(tree, prefix, out);
            }
        }
        syn::UseTree::Name(_) | syn::UseTree::Rename(_) => {}
    }
}

/// The path of a type as names (`&Mine`, `(Mine)` are `Mine`'s); `None` for anything but a
/// plain path (a tuple, a slice, `<T as X>::Y`, a path from `::`, a macro).
fn type_path(ty: &syn::Type) -> Option<Vec<String>> {
    match ty {
        syn::Type::Reference(r) => type_path(&r.elem),
        syn::Type::Paren(p) => type_path(&p.elem),
        syn::Type::Group(g) => type_path(&g.elem),
        syn::Type::Path(p) if p.qself.is_none() && p.path.leading_colon.is_none() => {
            Some(p.path.segments.iter().map(|s| name(&s.ident)).collect())
        }
        _ => None,
    }
}

/// `impl Trait for Type` blocks (any depth, test items aside) where the trait is the crate's
/// own and the type is not: the only impls on a foreign type that compile are of local traits,
/// and a local trait's methods win over the type's own methods reached through `Deref`
/// (`String` has no `contains` of its own; `str` has).
///
/// A type is the learner's when its full path resolves to a struct, enum or union defined at
/// module level in the file ([`ModuleTree::own_type`]), never by its last name: a decoy `struct
/// Result` in a function body made `std::thread::Result<()>` look like the learner's (red team
/// round 5). Inside a function body, where the body's own items and imports shadow the
/// module's, only a `crate::` path is resolved.
///
/// Each with the top-level trait its path resolves to, if any: the only one that may be the
/// course's (red team round 7).
fn local_traits_on_foreign_types(file: &syn::File, context: Context) -> Vec<ImplOnForeign> {
    struct Impls<'a> {
        defined: &'a Defined,
        tree: &'a ModuleTree,
        crates: &'a [String],
        /// The inline module being visited, from the file's root.
        module: Vec<String>,
        /// How many function bodies (blocks) the visit is in.
        blocks: usize,
        /// The names the items and imports of each enclosing block bind (`*` for a glob):
        /// they shadow the module's.
        shadows: Vec<BTreeSet<String>>,
        found: Vec<ImplOnForeign>,
    }
    impl<'ast> Visit<'ast> for Impls<'_> {
        fn visit_item_impl(&mut self, block: &'ast syn::ItemImpl) {
            if !is_test_item(&block.attrs)
                && let Some((_, path, _)) = &block.trait_
            {
                let params: BTreeSet<String> = block
                    .generics
                    .params
                    .iter()
                    .filter_map(|p| match p {
                        syn::GenericParam::Type(t) => Some(name(&t.ident)),
                        syn::GenericParam::Const(c) => Some(name(&c.ident)),
                        syn::GenericParam::Lifetime(_) => None,
                    })
                    .collect();
                // Inside a function body, whose own items and imports shadow the module's,
                // only a `crate::` path is resolved.
                let reachable = |first: Option<&String>| {
                    self.blocks == 0 || first.is_some_and(|f| f == "crate")
                };
                let own_type = type_path(&block.self_ty).is_some_and(|path| {
                    reachable(path.first())
                        && self.tree.own_type(&self.module, &block.self_ty, &params, 0)
                });
                if !own_type && is_local_trait(path, self.defined, self.crates) {
                    let names: Vec<String> = path.segments.iter().map(|s| name(&s.ident)).collect();
                    // A trait's path in a function body is the module's unless a block
                    // around it binds its first name.
                    let unshadowed = names.first().is_some_and(|first| {
                        !self
                            .shadows
                            .iter()
                            .any(|bound| bound.contains(first) || bound.contains("*"))
                    });
                    let top_level = match self.tree.locate(&self.module, &names, 0) {
                        Some((home, found))
                            if home.is_empty()
                                && path.leading_colon.is_none()
                                && (reachable(names.first()) || unshadowed)
                                && self
                                    .tree
                                    .scopes
                                    .get(&home)
                                    .is_some_and(|s| s.traits.contains(&found)) =>
                        {
                            Some(found)
                        }
                        _ => None,
                    };
                    self.found.push(ImplOnForeign {
                        trait_path: path.to_token_stream().to_string().replace(' ', ""),
                        self_type: block.self_ty.to_token_stream().to_string().replace(' ', ""),
                        name: names.last().cloned().unwrap_or_default(),
                        top_level,
                    });
                }
            }
            visit::visit_item_impl(self, block);
        }

        fn visit_block(&mut self, block: &'ast syn::Block) {
            let mut bound = BTreeSet::new();
            for stmt in &block.stmts {
                let syn::Stmt::Item(item) = stmt else {
                    continue;
                };
                if let Item::Use(u) = item {
                    bound.extend(use_bindings(&u.tree).into_iter().map(|(name, _)| name));
                    if has_glob(&u.tree) {
                        bound.insert("*".to_string());
                    }
                } else if let Some(name) = super::assemble::item_name(item) {
                    bound.insert(name);
                }
            }
            self.blocks += 1;
            self.shadows.push(bound);
            visit::visit_block(self, block);
            self.shadows.pop();
            self.blocks -= 1;
        }

        fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
            if !is_test_item(&module.attrs) {
                self.module.push(name(&module.ident));
                visit::visit_item_mod(self, module);
                self.module.pop();
            }
        }
    }
    let mut defined = Defined::default();
    defined.visit_file(file);
    let tree = ModuleTree::of(file, context.crate_root);
    let mut impls = Impls {
        defined: &defined,
        tree: &tree,
        crates: context.crates,
        module: Vec::new(),
        blocks: 0,
        shadows: Vec::new(),
        found: Vec::new(),
    };
    impls.visit_file(file);
    impls.found
}

/// An `impl` of a trait that may be the learner's for a type that is not.
struct ImplOnForeign {
    /// The trait's path and the type, as token text.
    trait_path: String,
    self_type: String,
    /// The trait path's last name.
    name: String,
    /// The top-level trait of the file the trait path resolves to.
    top_level: Option<String>,
}

/// Whether a trait path may name a trait of this crate. Only what surely is another crate's is
/// not: a path from `::`, a path whose first name is a crate the course's code can name
/// ([`super::course_crates`]: a learner may not bind those names) or is bound only by imports
/// from such crates (`use std::fmt;`), and a bare prelude name the file defines no trait of
/// (`From`). Everything else (`crate::`, the file's modules, a rename of them) counts as the
/// learner's: a wrong guess refuses an impl, never lets one through.
fn is_local_trait(path: &syn::Path, defined: &Defined, crates: &[String]) -> bool {
    let Some(first) = path.segments.first().map(|s| name(&s.ident)) else {
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
    let external =
        |root: &str| super::STANDARD_CRATES.contains(&root) || crates.iter().any(|c| c == root);
    if ["crate", "self", "super"].contains(&first.as_str()) || defined.modules.contains(&first) {
        return true;
    }
    match defined.bound.get(&first) {
        // Every binding of that name imports from another crate.
        Some(paths) => !paths
            .iter()
            .all(|p| p.first().is_some_and(|root| external(root))),
        None => !external(&first),
    }
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
            let trait_name = self.resolve.resolve(&name(&last.ident));
            if COMPARISONS.contains(&trait_name.as_str()) {
                let self_type = self.resolve.resolve_type(&block.self_ty);
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

    const CONTEXT: Context = Context {
        crates: &[],
        crate_root: true,
        single_file: true,
        relied: None,
    };

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
        assert_eq!(
            breaches(learner, Some(COURSE), CONTEXT),
            Vec::<String>::new()
        );
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
pub struct Router;
impl Router {
    pub fn route(&self, _p: &str) -> Response { todo!() }
}
"#;
        let found = breaches(learner, Some(COURSE), CONTEXT);
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
pub fn status_for(code: u16) -> Option<u16> { todo!() }
"#;
        let found = breaches(learner, Some(COURSE), CONTEXT);
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
            // Red team round 7: through a generic alias, its argument or its default.
            "type Id<T> = T;\nimpl PartialEq for Id<Response> { fn eq(&self, _: &Self) -> bool { true } }",
            "type Id<X, T = X> = T;\nimpl PartialEq for Id<Response> { fn eq(&self, _: &Self) -> bool { true } }",
            "type Id<T> = T;\ntype Twice<U> = Id<U>;\nimpl PartialEq for &Twice<Response> { fn eq(&self, _: &Self) -> bool { true } }",
        ] {
            let learner = format!(
                "#[derive(Debug, Clone)]\npub struct Response {{ pub status: u16 }}\n{sneaky}"
            );
            let found = breaches(&learner, Some(COURSE), CONTEXT);
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
            // Red team round 5: a decoy of the type's last name, in a function body or in a
            // module of the file; a type is the learner's by its full path only.
            "pub trait Caught { fn is_err(self) -> bool; }\nimpl Caught for std::thread::Result<()> { fn is_err(self) -> bool { false } }\nfn decoy() { struct Result; }",
            "fn decoy() { struct String; }\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for String {}",
            "mod thread { pub struct Outcome; }\npub trait Caught { fn is_err(self) -> bool; }\nimpl Caught for std::thread::Result<()> { fn is_err(self) -> bool { false } }",
            "mod m { pub struct Text; }\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for ::std::string::String {}",
            "mod m { pub type Text = String; }\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for m::Text {}",
            // The function body's own import shadows the module's type of that name.
            "pub struct Text;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nfn f() { use std::string::String as Text; impl Looks for Text {} }",
            // A local trait reached through a renamed module or the crate's own root.
            "mod m { pub trait Looks { fn contains(&self, _: &str) -> bool { true } } }\nuse m as x;\nimpl x::Looks for String {}",
            "extern crate self as me;\nmod m { pub trait Looks { fn contains(&self, _: &str) -> bool { true } } }\nimpl me::m::Looks for String {}",
            // Raw names.
            "pub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl r#Looks for r#String {}",
            // Red team round 6: a struct the compiler never sees (the tests' build removes it)
            // under the alias's name.
            "#[cfg(test)]\npub struct Caught;\npub type Caught = std::thread::Result<()>;\npub trait Verdict { fn is_err(self) -> bool; }\nimpl Verdict for Caught { fn is_err(self) -> bool { false } }",
            // Red team round 7 (W1): a generic alias whose parameter is named after a struct of
            // the file; to rustc `Id<X>` is `X`. At the top, in a module, through the
            // parameter's default, through a renamed import and an alias of the alias.
            "pub struct T;\npub type Id<T> = T;\npub trait Verdict { fn is_err(self) -> bool; }\nimpl Verdict for Id<std::thread::Result<()>> { fn is_err(self) -> bool { false } }",
            "pub mod m { pub struct T; pub type Id<T> = T; }\npub trait Verdict { fn is_err(self) -> bool; }\nimpl Verdict for m::Id<std::thread::Result<()>> { fn is_err(self) -> bool { false } }",
            "pub struct Outcome;\npub type Caught<Outcome = std::thread::Result<()>> = Outcome;\npub trait Verdict { fn is_err(self) -> bool; }\nimpl Verdict for Caught { fn is_err(self) -> bool { false } }",
            "pub struct T;\npub type Id<'a, T> = &'a T;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for Id<'static, String> {}",
            "pub mod m { pub struct T; pub type Id<T> = T; }\nuse m::Id as Same;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for Same<String> {}",
            "pub struct T;\npub struct U;\npub type Id<T> = T;\npub type Twice<U> = Id<U>;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for Twice<String> {}",
            // The argument is read where it is written: `T` at the top is `String`.
            "pub mod m { pub struct T; pub type Id<X> = X; }\nuse std::string::String as T;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for m::Id<T> {}",
            "pub struct T;\npub type Id<T> = <T as IntoIterator>::Item;\npub trait Looks { fn contains(&self, _: &str) -> bool { true } }\nimpl Looks for Id<Vec<String>> {}",
        ] {
            let learner =
                format!("pub fn greeting(name: &str) -> String {{ String::new() }}\n{sneaky}");
            let found = breaches(&learner, Some(course), CONTEXT);
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
            // The learner's own types by any path that resolves to them.
            "mod models { pub struct Mine; }\npub trait Looks { fn look(&self) {} }\nimpl Looks for models::Mine {}",
            "mod models { pub struct Mine; }\nuse models::Mine;\npub trait Looks { fn look(&self) {} }\nimpl Looks for Mine {}",
            "mod models { pub struct Mine; }\nuse crate::models::*;\npub trait Looks { fn look(&self) {} }\nimpl Looks for &Mine {}",
            "pub struct Mine;\ntype M = Mine;\npub trait Looks { fn look(&self) {} }\nimpl Looks for M {}",
            "pub struct Mine;\npub trait Looks { fn look(&self) {} }\nfn f() { impl Looks for crate::Mine {} }",
            "mod a { pub struct Mine; pub mod b { pub trait Looks { fn look(&self) {} } impl Looks for super::Mine {} } }",
            "pub struct r#Mine;\npub trait Looks { fn look(&self) {} }\nimpl Looks for Mine {}",
            "pub struct Email(String);\nuse std::convert;\nimpl convert::From<Email> for String { fn from(e: Email) -> String { e.0 } }",
            // Generic aliases of the learner's own types (round 7): the argument or default
            // put in for the parameter, read where it is written.
            "pub struct Mine;\npub type Id<T> = T;\npub trait Looks { fn look(&self) {} }\nimpl Looks for Id<Mine> {}",
            "pub struct Mine;\npub mod m { pub type Id<T> = T; }\npub trait Looks { fn look(&self) {} }\nimpl Looks for m::Id<Mine> {}",
            "pub struct Mine;\npub type Caught<O = Mine> = O;\npub trait Looks { fn look(&self) {} }\nimpl Looks for Caught {}",
            "pub struct Wrap<T>(T);\npub type W<T> = Wrap<T>;\npub trait Looks { fn look(&self) {} }\nimpl Looks for W<String> {}",
        ] {
            let learner =
                format!("pub fn greeting(name: &str) -> String {{ String::new() }}\n{fine}");
            assert_eq!(
                breaches(&learner, Some(course), CONTEXT),
                Vec::<String>::new(),
                "{fine}"
            );
        }
    }

    /// Red team round 7 (W2): only the course's own top-level trait, reached by its path and
    /// defined as shipped, may be implemented for a foreign type.
    #[test]
    fn only_the_shipped_trait_as_shipped_goes_on_foreign_types() {
        let course = "/// Sends mail.\npub trait Mailer {\n    fn send(&self, to: &str) -> bool;\n    fn name(&self) -> &str { \"mailer\" }\n}\npub fn greeting(name: &str) -> String { todo!() }\n";
        let solved = "pub fn greeting(name: &str) -> String { String::new() }\n";
        let shipped = "/// Sends mail (mine).\npub trait Mailer {\n    /// One mail.\n    fn send(&self, to: &str) -> bool;\n    fn name(&self) -> &str { \"mailer\" }\n}\n";
        for fine in [
            "impl Mailer for String { fn send(&self, _: &str) -> bool { true } }",
            "mod m { impl super::Mailer for Vec<u8> { fn send(&self, _: &str) -> bool { true } } }",
            "impl crate::Mailer for String { fn send(&self, _: &str) -> bool { true } }",
            "use Mailer as Post;\nimpl Post for String { fn send(&self, _: &str) -> bool { true } }",
            // In a function body that binds no name of its own over it (obs2's `main`).
            "fn main() { struct Fixed; impl Mailer for Fixed { fn send(&self, _: &str) -> bool { true } } }",
        ] {
            let learner = format!("{solved}{shipped}{fine}");
            assert_eq!(
                breaches(&learner, Some(course), CONTEXT),
                Vec::<String>::new(),
                "{fine}"
            );
        }
        for (trait_def, sneaky) in [
            // An extra method, a changed default body, a changed signature.
            (
                shipped.replace(
                    "fn name",
                    "fn contains(&self, _: &str) -> bool { true }\nfn name",
                ),
                "impl Mailer for String { fn send(&self, _: &str) -> bool { true } }",
            ),
            (
                shipped.replace("\"mailer\"", "\"x\""),
                "impl Mailer for String { fn send(&self, _: &str) -> bool { true } }",
            ),
            (
                shipped.replace("to: &str) -> bool", "to: &str) -> u8"),
                "impl Mailer for String { fn send(&self, _: &str) -> u8 { 1 } }",
            ),
            // A trait of the learner's under the shipped name, the shipped one untouched.
            (
                shipped.to_string(),
                "pub mod hide { pub trait Mailer { fn contains(&self, _: &str) -> bool; } impl Mailer for String { fn contains(&self, _: &str) -> bool { true } } }\npub use hide::Mailer as _;",
            ),
            (
                shipped.to_string(),
                "pub mod hide { pub trait Mailer { fn contains(&self, _: &str) -> bool; } }\nimpl hide::Mailer for String { fn contains(&self, _: &str) -> bool { true } }",
            ),
            (
                shipped.to_string(),
                "fn f() { trait Mailer { fn contains(&self, _: &str) -> bool; } impl Mailer for String { fn contains(&self, _: &str) -> bool { true } } }",
            ),
            (
                shipped.to_string(),
                "mod hide { pub trait Mailer { fn contains(&self, _: &str) -> bool; } }\nfn f() { use hide::*; { impl Mailer for String { fn contains(&self, _: &str) -> bool { true } } } }",
            ),
            // No shipped trait at all, only its name.
            (
                String::new(),
                "pub trait Mailer { fn contains(&self, _: &str) -> bool; }\nimpl Mailer for String { fn contains(&self, _: &str) -> bool { true } }",
            ),
        ] {
            let learner = format!("{solved}{trait_def}{sneaky}");
            let found = breaches(&learner, Some(course), CONTEXT);
            assert!(
                found.iter().any(|f| f.contains("a trait of yours")
                    && f.contains("`Mailer` is not the course's trait as shipped")),
                "{trait_def}{sneaky}: {found:?}"
            );
        }
    }

    #[test]
    fn shipped_aliases_and_imports_keep_what_they_stand_for() {
        let course = "use std::collections::HashMap;\npub type Result<T> = std::result::Result<T, String>;\npub fn counts() -> Result<HashMap<String, u32>> { todo!() }\n";
        let honest = course.replace("todo!()", "Ok(HashMap::new())");
        assert_eq!(
            breaches(&honest, Some(course), CONTEXT),
            Vec::<String>::new()
        );
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
                let found = breaches(&learner, Some(course), CONTEXT);
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
            let found = breaches(&learner, Some(COURSE), CONTEXT);
            assert!(
                found
                    .iter()
                    .any(|f| f.contains("`status_for` must stay written out")),
                "{sneaky}: {found:?}"
            );
        }
    }

    /// Red team round 6: which of two definitions the compiler builds is not the contract's
    /// to guess (here two `impl` blocks it tells apart, and the contract does not).
    #[test]
    fn a_shipped_method_written_twice_is_refused() {
        let learner = r#"
#[derive(Debug, Clone, PartialEq)]
pub struct Response { pub status: u16 }
pub struct Router<T = ()>(T);
impl Router<u8> {
    pub fn route(&self, path: &str) -> bool { true }
}
impl Router<()> {
    pub fn route(&self, path: &str) -> Response { todo!() }
}
"#;
        let found = breaches(learner, Some(COURSE), CONTEXT);
        assert!(
            found
                .iter()
                .any(|f| f.contains("`Router::route` is written more than once")),
            "{found:?}"
        );
    }

    #[test]
    fn shipped_types_keep_their_kind_and_member_types() {
        const SHIPPED: &str = r#"
#[derive(Debug, Clone, PartialEq)]
pub struct Response { pub status: u16, pub body: String }
impl Response {
    pub fn new(status: u16, body: &str) -> Response { todo!() }
}
#[derive(Debug, PartialEq)]
pub enum Outcome { Done(u16), Failed { why: String }, Skipped }
#[derive(Debug)]
pub struct Dto { pub id: u64, pub secret: String }
"#;
        let kept = r#"
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Docs and attributes are free.
    pub status: u16,
    pub body: String,
    extra: bool,
}
impl Response {
    pub fn new(status: u16, body: &str) -> Response { Response { status, body: body.into(), extra: false } }
}
#[derive(Debug, PartialEq)]
pub enum Outcome { Done(u16), Failed { why: String }, Skipped, New }
#[derive(Debug)]
pub struct Dto { pub id: u64 }
"#;
        assert_eq!(breaches(kept, Some(SHIPPED), CONTEXT), Vec::<String>::new());
        let rest = "impl Response { pub fn new(status: u16, body: &str) -> Response { todo!() } }
#[derive(Debug, PartialEq)]
pub enum Outcome { Done(u16), Failed { why: String }, Skipped }
#[derive(Debug)]
pub struct Dto { pub id: u64, pub secret: String }
";
        let any = "#[derive(Debug, Clone)] pub struct Any;
impl<T: ?Sized> PartialEq<T> for Any { fn eq(&self, _: &T) -> bool { true } }
";
        for (sneaky, line) in [
            // Red team round 8 (W1): a field retyped to an always-equal type of the learner's.
            (
                format!("{any}#[derive(Debug, Clone, PartialEq)]\npub struct Response {{ pub status: Any, pub body: Any }}\n{rest}"),
                "`Response`'s field `status` must keep its type `u16`",
            ),
            // A field of a compared type removed: the derived `==` would skip it.
            (
                format!("#[derive(Debug, Clone, PartialEq)]\npub struct Response {{ pub status: u16 }}\n{rest}"),
                "`Response` must keep its field `body`",
            ),
            // Red team round 8 (W2): an alias of a look-alike, its method on the look-alike.
            (
                "#[derive(Debug, Clone)]\npub struct Reply { pub status: u16, pub body: String }\nimpl PartialEq for Reply { fn eq(&self, _: &Self) -> bool { true } }\npub type Response = Reply;\nimpl Reply { pub fn new(status: u16, body: &str) -> Reply { todo!() } }\n#[derive(Debug, PartialEq)]\npub enum Outcome { Done(u16), Failed { why: String }, Skipped }\n#[derive(Debug)]\npub struct Dto { pub id: u64, pub secret: String }\n".to_string(),
                "`Response` must stay the struct the course wrote",
            ),
            (
                "#[derive(Debug, Clone, PartialEq)]\npub struct Response { pub status: u16, pub body: String }\n#[derive(Debug, PartialEq)]\npub enum Outcome { Done(u16), Failed { why: String }, Skipped }\n#[derive(Debug)]\npub struct Dto { pub id: u64, pub secret: String }\npub static NEW: fn(u16, &str) -> Response = |_, _| todo!();\n".to_string(),
                "`Response::new` must stay written out",
            ),
            (
                format!("{any}#[derive(Debug, Clone, PartialEq)]\npub struct Response {{ pub status: u16, pub body: String }}\n{}", rest.replace("Done(u16)", "Done(Any)")),
                "`Outcome`'s variant `Done`, field `0` must keep its type `u16`",
            ),
            (
                format!("#[derive(Debug, Clone, PartialEq)]\npub struct Response {{ pub status: u16, pub body: String }}\n{}", rest.replace("pub enum Outcome", "pub struct Outcome;\npub enum Gone")),
                "`Outcome` must stay the enum the course wrote (yours is a `struct`)",
            ),
        ] {
            let found = breaches(&sneaky, Some(SHIPPED), CONTEXT);
            assert!(found.iter().any(|f| f.contains(line)), "{sneaky}\n{found:#?}");
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
        let found = breaches(learner, Some(COURSE), CONTEXT);
        assert!(found[0].contains("`Router::route`"), "{found:?}");
    }
}

#[cfg(test)]
mod course_tests {
    /// Every reference solution of this repository's course keeps its exercise's contract, so
    /// no honest learner is refused by it.
    /// Red team round 9 (W1) on the course itself: rust5_collections, unsolved, with a trait of
    /// the learner's whose by-value `is_up` (and `&self` `record`) would beat the shipped
    /// methods in the tests' calls.
    #[test]
    fn a_learner_trait_method_named_like_a_shipped_method_is_refused_in_the_course() {
        let shipped = super::super::shipped_course();
        let rel = "exercises/00_rust/rust5_collections.rs";
        let exercise = std::fs::read_to_string(shipped.path().join(rel)).unwrap();
        let relied = super::super::methods::Relied::of_texts(&[(&exercise, false)]);
        let context = super::Context {
            crates: &[],
            crate_root: true,
            single_file: true,
            relied: Some(&relied),
        };
        let attack = "\n#[derive(Debug)]\npub struct Whatever;\npub trait Board {\n    fn is_up(self, service: &str) -> Whatever;\n    fn record(&self, service: &str, report: Report);\n}\nimpl Board for StatusBoard {\n    fn is_up(self, _: &str) -> Whatever { Whatever }\n    fn record(&self, _: &str, _: Report) {}\n}\n";
        let found = super::breaches(&format!("{exercise}{attack}"), Some(&exercise), context);
        for method in ["is_up", "record"] {
            assert!(
                found
                    .iter()
                    .any(|f| f.contains(&format!("the method `{method}` in your trait `Board`"))),
                "{found:?}"
            );
        }
        assert!(breaches_of(&exercise, &exercise, context).is_empty());
    }

    /// Red team round 10 (W1) on the course itself: rust5_collections, unsolved, with an
    /// inherent `default` on the shipped `StatusBoard` (the tests' `StatusBoard::default()` then
    /// built the learner's look-alike), in a nested module too, and an inherent `fmt` (its derived `Debug`'s).
    #[test]
    fn a_learner_inherent_default_on_a_shipped_type_is_refused_in_the_course() {
        let shipped = super::super::shipped_course();
        let rel = "exercises/00_rust/rust5_collections.rs";
        let exercise = std::fs::read_to_string(shipped.path().join(rel)).unwrap();
        let relied = super::super::methods::Relied::of_texts(&[(&exercise, false)]);
        let context = super::Context {
            crates: &[],
            crate_root: true,
            single_file: true,
            relied: Some(&relied),
        };
        for attack in [
            "\n#[derive(Debug)]\npub struct Board;\nimpl StatusBoard {\n    pub fn default() -> Board { Board }\n}\n",
            "\n#[derive(Debug)]\npub struct Board;\nmod sneaky {\n    impl super::StatusBoard {\n        pub fn default() -> super::Board { super::Board }\n    }\n}\n",
            "\nimpl StatusBoard {\n    pub fn fmt(&self) -> u8 { 0 }\n}\n",
        ] {
            let found = super::breaches(&format!("{exercise}{attack}"), Some(&exercise), context);
            assert!(
                found
                    .iter()
                    .any(|f| f.contains("an inherent item is found before a trait's")),
                "{attack}: {found:?}"
            );
        }
        let helper = "\nimpl StatusBoard {\n    pub fn helper(&self) -> usize { 0 }\n}\n";
        assert!(breaches_of(&format!("{exercise}{helper}"), &exercise, context).is_empty());
    }

    /// Red team round 10 (latent): a shipped constant or static keeps its kind and type.
    #[test]
    fn a_shipped_const_or_static_keeps_its_type() {
        let course = "pub const LIMIT: u32 = 3;\npub static NAME: &str = \"x\";\nfn main() {}\n";
        let context = super::Context {
            crates: &[],
            crate_root: true,
            single_file: true,
            relied: None,
        };
        assert!(breaches_of(course, course, context).is_empty());
        let kept = "pub const LIMIT: u32 = 7;\npub static NAME: &str = \"y\";\nfn main() {}\n";
        assert!(breaches_of(kept, course, context).is_empty());
        for sneaky in [
            "pub struct Any;\npub const LIMIT: Any = Any;\npub static NAME: &str = \"x\";\nfn main() {}\n",
            "pub const LIMIT: u32 = 3;\npub static mut NAME: &str = \"x\";\nfn main() {}\n",
            "pub static LIMIT: u32 = 3;\npub static NAME: &str = \"x\";\nfn main() {}\n",
            "pub use other::LIMIT;\nmod other { pub const LIMIT: u8 = 3; }\npub static NAME: &str = \"x\";\nfn main() {}\n",
        ] {
            let found = breaches_of(sneaky, course, context);
            assert!(
                found
                    .iter()
                    .any(|f| f.contains("the tests rely on its type")),
                "{sneaky}: {found:?}"
            );
        }
    }

    fn breaches_of(learner: &str, course: &str, context: super::Context) -> Vec<String> {
        super::breaches(learner, Some(course), context)
    }

    #[test]
    fn our_solutions_keep_their_exercises_contracts() {
        let shipped = super::super::shipped_course();
        let root = shipped.path();
        let crates = super::super::course_crates(root);
        assert!(crates.contains(&"serde_json".to_string()), "{crates:?}");
        let mut broken = Vec::new();
        for rel in crate::fsutil::files_below(&root.join("exercises")) {
            if rel.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let exercise = std::fs::read_to_string(root.join("exercises").join(&rel)).unwrap();
            let Ok(solution) = std::fs::read_to_string(root.join("solutions").join(&rel)) else {
                continue;
            };
            // A folder exercise's crate root is its `main.rs`; the other files are modules.
            let in_folder = rel.components().count() > 2;
            let relied = if in_folder {
                let folder: std::path::PathBuf = rel.components().take(2).collect();
                super::super::exercise::relied_on(&root.join("exercises").join(folder))
            } else {
                super::super::methods::Relied::of_texts(&[(&exercise, false)])
            };
            let context = super::Context {
                crates: &crates,
                crate_root: !in_folder || rel.file_name().is_some_and(|n| n == "main.rs"),
                single_file: !in_folder,
                relied: Some(&relied),
            };
            for breach in super::breaches(&solution, Some(&exercise), context) {
                broken.push(format!("{}: {breach}", rel.display()));
            }
        }
        assert!(broken.is_empty(), "{broken:#?}");
    }
}
