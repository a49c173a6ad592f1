//! Method names a learner's trait methods may not take (red team round 9).
//!
//! Method resolution tries the receiver by value, then `&`, then `&mut`, and at each step a
//! trait method in scope is as good as an inherent one: a learner's `trait Board { fn
//! is_up(self, ..) -> Whatever; }` implemented for the shipped `StatusBoard` answers the tests'
//! `board.is_up(..)` before the shipped `is_up(&self)` (and a `&self` trait method beats a
//! `&mut self` inherent one), and its `Whatever` has an `==` that always says yes. The contract
//! keys trait methods as `<T as Trait>::name` and inherent ones as `T::name`, so every shipped
//! signature kept its tokens.
//!
//! So a learner-written method may not take the name of a method the course's tests rely on:
//! any inherent method the course's files write, any method of a trait they define, and any
//! method the course's tests call (`.name(`, in macro arguments too), when it is written
//!
//! - in a trait the learner defines (default bodies included): that trait may be implemented
//!   for anything, generic blanket impls included;
//! - in an impl of a trait that the course's file does not implement for that type as
//!   shipped (`std` traits included: `impl Iterator for StatusBoard { fn next .. }`).
//!
//! Inherent methods of the learner's own types are free (they shadow nothing the tests call on
//! the course's types), and so are the course's own trait impls and traits, as shipped.
//!
//! Red team round 10: an *inherent* item is found before any trait's, by path
//! (`StatusBoard::default()` is the learner's `impl StatusBoard { fn default() -> Board }`, not
//! `<StatusBoard as Default>::default`) and by method syntax at the same receiver step
//! (`to_string`, `clone`, a course trait's `check`). So no learner-added inherent function or
//! constant on a type the course ships (wherever the `impl` sits: modules, function bodies,
//! through aliases and renames) may take a relied-on name (above, and every last segment of a
//! path the tests write: `X::name(`, `<X>::name(`, `Self::name(`), nor the name of a function
//! of a trait the course's files implement or derive for that type (`std` derives: `default`,
//! `clone`, `eq`, `cmp`, `fmt`, `to_string` through `Display`, ...), nor of a trait every type
//! implements (`from`, `into`, `try_from`, ...). The course's own inherent items stay fine, and
//! so do helpers of other names.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::{self, Visit};
use syn::{ImplItem, Item, TraitItem};

use super::name;

/// What the course's files of one exercise make the tests rely on.
#[derive(Debug, Default, Clone)]
pub struct Relied {
    /// Methods the course writes (inherent, or in its own traits) and methods its tests call.
    methods: BTreeSet<String>,
    /// The course's trait impls, as (trait, self type).
    impls: BTreeSet<(String, String)>,
    /// The course's trait methods, as (trait, method, signature).
    trait_methods: BTreeSet<(String, String, String)>,
    /// The course's traits, by name.
    traits: BTreeSet<String>,
    /// The last segment of every path the course's tests write (`StatusBoard::default(`).
    paths: BTreeSet<String>,
    /// The course's types (structs, enums, unions) -> the functions of the traits it
    /// implements or derives for them (red team round 10).
    types: BTreeMap<String, BTreeSet<String>>,
    /// The course's inherent items, as (type, name).
    inherent: BTreeSet<(String, String)>,
    /// The items of the course's trait definitions, by trait.
    trait_items: BTreeMap<String, BTreeSet<String>>,
    /// The course's trait impls, as (self type's name, trait, the impl's items), until every
    /// type and trait is known.
    pending: Vec<(Option<String>, String, BTreeSet<String>)>,
}

impl Relied {
    /// From the course's parsed files of one exercise, each with whether it is a test module
    /// file as a whole.
    pub fn of(files: &[(&syn::File, bool)]) -> Relied {
        let mut relied = Relied::default();
        for (file, whole_test) in files {
            Collect(&mut relied).visit_file(file);
            if *whole_test {
                calls(
                    file.to_token_stream(),
                    &mut relied.methods,
                    &mut relied.paths,
                );
            } else {
                for item in &file.items {
                    if is_test_code(item) {
                        calls(
                            item.to_token_stream(),
                            &mut relied.methods,
                            &mut relied.paths,
                        );
                    }
                }
            }
        }
        // A trait impl's functions, with its trait's (the course's definition, or `std`'s): on
        // the type it names, or on every type when it names none of the course's.
        for (ty, tr, mut items) in std::mem::take(&mut relied.pending) {
            if let Some(defined) = relied.trait_items.get(&tr) {
                items.extend(defined.iter().cloned());
            }
            items.extend(std_trait_items(&tr).iter().map(|n| n.to_string()));
            match ty.and_then(|t| relied.types.get_mut(&t)) {
                Some(fns) => fns.extend(items),
                None => {
                    for fns in relied.types.values_mut() {
                        fns.extend(items.iter().cloned());
                    }
                }
            }
        }
        relied
    }

    /// The same, from the course's file texts; a file that does not parse adds nothing.
    pub fn of_texts(files: &[(&str, bool)]) -> Relied {
        let _reset = super::assemble::SpanReset;
        let parsed: Vec<(syn::File, bool)> = files
            .iter()
            .filter_map(|(text, whole)| {
                syn::parse_file(&super::assemble::normalize(text))
                    .ok()
                    .map(|f| (f, *whole))
            })
            .collect();
        let refs: Vec<(&syn::File, bool)> = parsed.iter().map(|(f, w)| (f, *w)).collect();
        Relied::of(&refs)
    }

    /// The method names, sorted.
    #[cfg(test)]
    pub fn methods(&self) -> Vec<&str> {
        self.methods.iter().map(String::as_str).collect()
    }
}

/// Every method, trait and trait impl the course writes, at any depth.
struct Collect<'a>(&'a mut Relied);

impl<'ast> Visit<'ast> for Collect<'_> {
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let ty = self_type_name(&i.self_ty);
        match impl_key(i) {
            Some(key) => {
                self.0.impls.insert(key);
                let items = i.items.iter().filter_map(impl_item_name).collect();
                if let Some(tr) = i.trait_.as_ref().and_then(|(_, p, _)| p.segments.last()) {
                    self.0.pending.push((ty, name(&tr.ident), items));
                }
            }
            // Inherent methods. The methods of the course's impls of other crates' traits
            // (`fmt`, `eq`, `from`) count only when the tests call them: a learner writes
            // those for their own types (`impl fmt::Debug for Secret` is a lesson).
            None => {
                for item in &i.items {
                    if let ImplItem::Fn(f) = item {
                        self.0.methods.insert(name(&f.sig.ident));
                    }
                    if let (Some(ty), Some(item)) = (&ty, impl_item_name(item)) {
                        self.0.inherent.insert((ty.clone(), item));
                    }
                }
            }
        }
        visit::visit_item_impl(self, i);
    }
    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        self.0.traits.insert(name(&t.ident));
        let items = self.0.trait_items.entry(name(&t.ident)).or_default();
        for item in &t.items {
            match item {
                TraitItem::Fn(f) => {
                    items.insert(name(&f.sig.ident));
                }
                TraitItem::Const(c) => {
                    items.insert(name(&c.ident));
                }
                _ => {}
            }
        }
        for item in &t.items {
            if let TraitItem::Fn(f) = item {
                self.0.methods.insert(name(&f.sig.ident));
                self.0.trait_methods.insert(trait_method_key(t, f));
            }
        }
        visit::visit_item_trait(self, t);
    }
    fn visit_item_struct(&mut self, i: &'ast syn::ItemStruct) {
        self.0.add_type(&i.ident, &i.attrs);
        visit::visit_item_struct(self, i);
    }
    fn visit_item_enum(&mut self, i: &'ast syn::ItemEnum) {
        self.0.add_type(&i.ident, &i.attrs);
        visit::visit_item_enum(self, i);
    }
    fn visit_item_union(&mut self, i: &'ast syn::ItemUnion) {
        self.0.add_type(&i.ident, &i.attrs);
        visit::visit_item_union(self, i);
    }
}

impl Relied {
    /// A type of the course's, with what every type answers and what its derives add.
    fn add_type(&mut self, ident: &proc_macro2::Ident, attrs: &[syn::Attribute]) {
        let fns = self.types.entry(name(ident)).or_default();
        fns.extend(EVERY_TYPE.iter().map(|n| n.to_string()));
        for attr in attrs.iter().filter(|a| super::is_named(a.path(), "derive")) {
            let _ = attr.parse_nested_meta(|meta| {
                if let Some(last) = meta.path.segments.last() {
                    fns.extend(
                        std_trait_items(&name(&last.ident))
                            .iter()
                            .map(|n| n.to_string()),
                    );
                }
                Ok(())
            });
        }
    }
}

/// What every type answers through the standard library's blanket impls (`From<T> for T`,
/// `Into`, `TryFrom`, `Borrow`, `Any`).
const EVERY_TYPE: &[&str] = &[
    "from",
    "into",
    "try_from",
    "try_into",
    "borrow",
    "borrow_mut",
    "type_id",
];

const ITERATOR: &[&str] = &[
    "next",
    "next_chunk",
    "size_hint",
    "count",
    "last",
    "advance_by",
    "nth",
    "step_by",
    "chain",
    "zip",
    "intersperse",
    "map",
    "for_each",
    "filter",
    "filter_map",
    "enumerate",
    "peekable",
    "skip_while",
    "take_while",
    "map_while",
    "skip",
    "take",
    "scan",
    "flat_map",
    "flatten",
    "map_windows",
    "fuse",
    "inspect",
    "by_ref",
    "collect",
    "collect_into",
    "partition",
    "try_fold",
    "try_for_each",
    "fold",
    "reduce",
    "try_reduce",
    "all",
    "any",
    "find",
    "find_map",
    "try_find",
    "position",
    "rposition",
    "max",
    "min",
    "max_by_key",
    "max_by",
    "min_by_key",
    "min_by",
    "rev",
    "unzip",
    "copied",
    "cloned",
    "cycle",
    "array_chunks",
    "sum",
    "product",
    "cmp",
    "cmp_by",
    "partial_cmp",
    "partial_cmp_by",
    "eq",
    "eq_by",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "is_sorted",
    "is_sorted_by",
    "is_sorted_by_key",
    "into_iter",
];

/// The functions (and constants) of a standard library trait (or a common derive's) by the
/// trait's name, with those of the blanket impls it brings (`Display` gives `to_string`).
fn std_trait_items(tr: &str) -> &'static [&'static str] {
    match tr {
        "Default" => &["default"],
        "Clone" => &["clone", "clone_from", "to_owned", "clone_into"],
        "PartialEq" => &["eq", "ne"],
        "PartialOrd" => &["partial_cmp", "lt", "le", "gt", "ge"],
        "Ord" => &["cmp", "max", "min", "clamp"],
        "Hash" => &["hash", "hash_slice"],
        "Debug" => &["fmt"],
        "Display" => &["fmt", "to_string"],
        "From" => &["from"],
        "Into" => &["into"],
        "TryFrom" => &["try_from"],
        "TryInto" => &["try_into"],
        "FromStr" => &["from_str"],
        "Iterator" => ITERATOR,
        "DoubleEndedIterator" => &["next_back", "nth_back", "rfold", "rfind", "rev"],
        "ExactSizeIterator" => &["len", "is_empty"],
        "IntoIterator" => &["into_iter"],
        "FromIterator" => &["from_iter"],
        "Extend" => &["extend", "extend_one", "extend_reserve"],
        "Sum" => &["sum"],
        "Product" => &["product"],
        "Error" => &["source", "description", "cause", "provide"],
        "Deref" => &["deref"],
        "DerefMut" => &["deref_mut"],
        "AsRef" => &["as_ref"],
        "AsMut" => &["as_mut"],
        "Borrow" => &["borrow"],
        "BorrowMut" => &["borrow_mut"],
        "ToOwned" => &["to_owned", "clone_into"],
        "ToString" => &["to_string"],
        "Drop" => &["drop"],
        "Index" => &["index"],
        "IndexMut" => &["index_mut"],
        "Add" => &["add"],
        "Sub" => &["sub"],
        "Mul" => &["mul"],
        "Div" => &["div"],
        "Rem" => &["rem"],
        "Neg" => &["neg"],
        "Not" => &["not"],
        "AddAssign" => &["add_assign"],
        "SubAssign" => &["sub_assign"],
        "MulAssign" => &["mul_assign"],
        "DivAssign" => &["div_assign"],
        "Fn" | "FnMut" | "FnOnce" => &["call", "call_mut", "call_once"],
        "Future" => &["poll"],
        "Write" => &[
            "write",
            "write_str",
            "write_char",
            "write_fmt",
            "write_all",
            "flush",
        ],
        "Read" => &[
            "read",
            "read_to_end",
            "read_to_string",
            "read_exact",
            "bytes",
        ],
        "Serialize" => &["serialize"],
        "Deserialize" => &["deserialize", "deserialize_in_place"],
        _ => &[],
    }
}

/// The name of a function or constant of an impl.
fn impl_item_name(item: &ImplItem) -> Option<String> {
    match item {
        ImplItem::Fn(f) => Some(name(&f.sig.ident)),
        ImplItem::Const(c) => Some(name(&c.ident)),
        _ => None,
    }
}

/// The name a self type's path ends with (`super::StatusBoard`, `StatusBoard<T>`).
fn self_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Paren(p) => self_type_name(&p.elem),
        syn::Type::Group(g) => self_type_name(&g.elem),
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| name(&s.ident)),
        _ => None,
    }
}

fn is_test_code(item: &Item) -> bool {
    let attrs = match item {
        Item::Mod(m) => &m.attrs,
        Item::Fn(f) => &f.attrs,
        Item::Impl(i) => &i.attrs,
        _ => return false,
    };
    super::assemble::is_cfg_test(attrs) || attrs.iter().any(|a| super::is_named(a.path(), "test"))
}

/// Method calls among `tokens` (`.name(` and `.name::<`), and the last segment of every path
/// (`X::name(`, `<X>::name(`, `Self::NAME`), at any depth: macro arguments are tokens to
/// `syn`, and the tests' calls are mostly inside `assert_eq!`.
fn calls(tokens: TokenStream, names: &mut BTreeSet<String>, paths: &mut BTreeSet<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let colon =
        |at: usize| matches!(tokens.get(at), Some(TokenTree::Punct(p)) if p.as_char() == ':');
    for (at, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Punct(p) if p.as_char() == '.' => {
                if let Some(TokenTree::Ident(method)) = tokens.get(at + 1) {
                    let called = match tokens.get(at + 2) {
                        Some(TokenTree::Group(g)) => {
                            g.delimiter() == proc_macro2::Delimiter::Parenthesis
                        }
                        Some(TokenTree::Punct(p)) => p.as_char() == ':',
                        _ => false,
                    };
                    if called {
                        names.insert(name(method));
                    }
                }
            }
            // `::name`, unless a path goes on after it (`::name::other`; a turbofish `::<`
            // ends it).
            TokenTree::Punct(p) if p.as_char() == ':' && at > 0 && colon(at - 1) => {
                if let Some(TokenTree::Ident(segment)) = tokens.get(at + 1) {
                    let goes_on = colon(at + 2)
                        && colon(at + 3)
                        && matches!(tokens.get(at + 4), Some(TokenTree::Ident(_)));
                    if !goes_on {
                        paths.insert(name(segment));
                    }
                }
            }
            TokenTree::Group(group) => calls(group.stream(), names, paths),
            _ => {}
        }
    }
}

/// The learner's methods that could answer a call the tests make in place of the course's
/// method: one line each.
pub fn shadowing(learner: &syn::File, relied: &Relied) -> Vec<String> {
    if relied.methods.is_empty() && relied.types.is_empty() {
        return Vec::new();
    }
    let mut bindings = Bindings::default();
    bindings.visit_file(learner);
    let mut finder = Finder {
        relied,
        bindings,
        found: Vec::new(),
    };
    finder.visit_file(learner);
    finder.found
}

/// A trait impl as (the trait's last segment with its arguments, the self type), as tokens.
fn impl_key(i: &syn::ItemImpl) -> Option<(String, String)> {
    let (_, path, _) = i.trait_.as_ref()?;
    let last = path.segments.last()?;
    Some((
        format!("{}{}", name(&last.ident), last.arguments.to_token_stream()),
        i.self_ty.to_token_stream().to_string(),
    ))
}

fn trait_method_key(t: &syn::ItemTrait, f: &syn::TraitItemFn) -> (String, String, String) {
    (
        name(&t.ident),
        name(&f.sig.ident),
        f.sig.to_token_stream().to_string(),
    )
}

struct Finder<'a> {
    relied: &'a Relied,
    bindings: Bindings,
    found: Vec<String>,
}

/// The learner's type names at any depth: what an inherent `impl` may be on.
#[derive(Default)]
struct Bindings {
    /// Structs, enums and unions.
    types: BTreeSet<String>,
    /// Type aliases -> their targets (`None`: generic, it may stand for anything).
    aliases: BTreeMap<String, Vec<Option<syn::Type>>>,
    /// `use .. as Name` -> the names bound under another name.
    renames: BTreeMap<String, Vec<String>>,
}

impl<'ast> Visit<'ast> for Bindings {
    fn visit_item_struct(&mut self, i: &'ast syn::ItemStruct) {
        self.types.insert(name(&i.ident));
        visit::visit_item_struct(self, i);
    }
    fn visit_item_enum(&mut self, i: &'ast syn::ItemEnum) {
        self.types.insert(name(&i.ident));
        visit::visit_item_enum(self, i);
    }
    fn visit_item_union(&mut self, i: &'ast syn::ItemUnion) {
        self.types.insert(name(&i.ident));
        visit::visit_item_union(self, i);
    }
    fn visit_item_type(&mut self, i: &'ast syn::ItemType) {
        let target = i.generics.params.is_empty().then(|| (*i.ty).clone());
        self.aliases.entry(name(&i.ident)).or_default().push(target);
        visit::visit_item_type(self, i);
    }
    fn visit_item_use(&mut self, i: &'ast syn::ItemUse) {
        for (bound, path) in super::assemble::use_bindings(&i.tree) {
            if let Some(last) = path.last()
                && *last != bound
            {
                self.renames.entry(bound).or_default().push(last.clone());
            }
        }
        visit::visit_item_use(self, i);
    }
}

impl Bindings {
    /// The type names an inherent impl's self type may stand for; `None` when it could be any.
    fn targets(&self, ty: &syn::Type) -> Option<BTreeSet<String>> {
        let mut out = BTreeSet::new();
        self.resolve(ty, 0, &mut out).then_some(out)
    }

    fn resolve(&self, ty: &syn::Type, depth: usize, out: &mut BTreeSet<String>) -> bool {
        let Some(ident) = self_type_name(ty) else {
            return false;
        };
        if depth > 16 || ident == "Self" {
            return false;
        }
        let aliases = self.aliases.get(&ident);
        let renames = self.renames.get(&ident);
        if self.types.contains(&ident) || (aliases.is_none() && renames.is_none()) {
            out.insert(ident.clone());
        }
        for target in aliases.into_iter().flatten() {
            match target {
                Some(target) if self.resolve(target, depth + 1, out) => {}
                _ => return false,
            }
        }
        for original in renames.into_iter().flatten() {
            let path: syn::Type = match syn::parse_str(original) {
                Ok(path) => path,
                Err(_) => return false,
            };
            if !self.resolve(&path, depth + 1, out) {
                return false;
            }
        }
        true
    }
}

impl Finder<'_> {
    fn refuse(&mut self, method: &str, place: String) {
        let line = format!(
            "the method `{method}` in {place} shares its name with a method the tests call or the course wrote: method resolution may pick yours over the course's (a by-value or `&self` receiver is tried first); name it differently"
        );
        if !self.found.contains(&line) {
            self.found.push(line);
        }
    }
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        // Red team round 10: an inherent item on a type the course ships is found before any
        // trait's, by path and by method syntax.
        if i.trait_.is_none() {
            let targets: Vec<&String> = match self.bindings.targets(&i.self_ty) {
                Some(names) => self
                    .relied
                    .types
                    .keys()
                    .filter(|t| names.contains(*t))
                    .collect(),
                None => self.relied.types.keys().collect(),
            };
            for item in i.items.iter().filter_map(impl_item_name) {
                for ty in &targets {
                    let relied = &self.relied;
                    let shadows = relied.methods.contains(&item)
                        || relied.paths.contains(&item)
                        || relied.types.get(*ty).is_some_and(|fns| fns.contains(&item));
                    if shadows && !relied.inherent.contains(&((*ty).clone(), item.clone())) {
                        let line = format!(
                            "the associated item `{item}` you added in `impl {}` (a type the course ships, `{ty}`) shares its name with a function the tests call or a trait the course implements or derives for it: an inherent item is found before a trait's (`{ty}::{item}(..)`, `value.{item}()`), so yours would answer in the course's place; name it differently",
                            i.self_ty
                                .to_token_stream()
                                .to_string()
                                .replace(" :: ", "::")
                        );
                        if !self.found.contains(&line) {
                            self.found.push(line);
                        }
                        break;
                    }
                }
            }
        }
        // The course's own impl, or an impl of the course's own trait (its methods keep their
        // shipped signatures, below).
        if let Some(key) = impl_key(i)
            && !self.relied.impls.contains(&key)
            && !i
                .trait_
                .as_ref()
                .and_then(|(_, p, _)| p.segments.last())
                .is_some_and(|s| self.relied.traits.contains(&name(&s.ident)))
        {
            for item in &i.items {
                if let ImplItem::Fn(f) = item {
                    let method = name(&f.sig.ident);
                    if self.relied.methods.contains(&method) {
                        let place = format!("`impl {} for {}`", key.0, key.1);
                        self.refuse(&method, place);
                    }
                }
            }
        }
        visit::visit_item_impl(self, i);
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        for item in &t.items {
            if let TraitItem::Fn(f) = item {
                let method = name(&f.sig.ident);
                if self.relied.methods.contains(&method)
                    && !self.relied.trait_methods.contains(&trait_method_key(t, f))
                {
                    let place = format!("your trait `{}`", name(&t.ident));
                    self.refuse(&method, place);
                }
            }
        }
        visit::visit_item_trait(self, t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = "pub struct Board;\nimpl Board {\n    pub fn is_up(&self, s: &str) -> Option<bool> { todo!() }\n    pub fn record(&mut self, s: &str) { todo!() }\n}\nimpl std::fmt::Display for Board {\n    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { todo!() }\n}\npub trait Shape { fn area(&self) -> f64; }\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn t() { let b = Board; assert_eq!(b.down().len(), 0); let v: Vec<u8> = b.table::<u8>(); }\n}\n";

    fn found(learner: &str) -> Vec<String> {
        let relied = Relied::of_texts(&[(COURSE, false)]);
        shadowing(&syn::parse_file(learner).unwrap(), &relied)
    }

    #[test]
    fn the_names_the_tests_rely_on_are_written_and_called_methods() {
        assert_eq!(
            Relied::of_texts(&[(COURSE, false)]).methods(),
            ["area", "down", "is_up", "len", "record", "table"]
        );
    }

    #[test]
    fn learner_trait_methods_of_relied_on_names_are_refused() {
        for sneaky in [
            // Red team round 9 (W1): a by-value trait method beats the inherent `&self` one.
            "pub struct W; pub trait B { fn is_up(self, s: &str) -> W; } impl B for Board { fn is_up(self, _: &str) -> W { W } }",
            // A default body, and a blanket impl.
            "pub struct W; pub trait B { fn is_up(&self, s: &str) -> W { W } } impl<X> B for X {}",
            // A `&self` trait method beats a `&mut self` inherent one.
            "pub trait S { fn record(&self, s: &str); }",
            // A method only the tests call.
            "pub trait D { fn down(self) -> Vec<u8>; }",
            "pub trait T { fn table<X>(self) -> Vec<X>; }",
            // A `std` trait the course did not implement for that type.
            "impl Iterator for Board { type Item = u8; fn next(&mut self) -> Option<u8> { None } fn is_up(&self) {} }",
            "mod m { pub trait B { fn is_up(self) -> bool; } }",
            "fn f() { trait B { fn is_up(self) -> bool; } }",
        ] {
            assert!(
                found(sneaky)
                    .iter()
                    .any(|f| f.contains("method resolution")),
                "{sneaky}: {:?}",
                found(sneaky)
            );
        }
    }

    #[test]
    fn the_course_own_impls_and_other_names_are_fine() {
        for fine in [
            "impl std::fmt::Display for Board { fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) } }",
            "pub trait Shape { fn area(&self) -> f64; }",
            "pub struct Sq; impl Shape for Sq { fn area(&self) -> f64 { 1.0 } }",
            "pub struct Mine; impl Mine { pub fn is_up(&self) -> bool { true } }",
            "pub trait Mine { fn helper(&self) -> bool; } impl Mine for Board { fn helper(&self) -> bool { true } }",
            "impl Default for Board { fn default() -> Self { Board } }",
        ] {
            assert_eq!(found(fine), Vec::<String>::new(), "{fine}");
        }
    }

    /// Red team round 10 (W1): a shipped type with derives, a course trait and inherent items;
    /// its tests call by path.
    const SHIPPED: &str = "#[derive(Debug, Default, Clone, PartialEq)]\npub struct StatusBoard { up: u8 }\nimpl StatusBoard {\n    pub fn is_up(&self) -> bool { todo!() }\n    pub const LIMIT: u8 = 3;\n}\npub trait Check { const NAME: &'static str; fn check(&self) -> bool; }\nimpl Check for StatusBoard { const NAME: &'static str = \"b\"; fn check(&self) -> bool { true } }\nimpl std::fmt::Display for StatusBoard {\n    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { todo!() }\n}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn t() { let b = StatusBoard::default(); assert!(<StatusBoard>::counted(1)); let c = Self::made::<u8>(); let _ = std::mem::take(&mut 1); }\n}\n";

    fn found_shipped(learner: &str) -> Vec<String> {
        let relied = Relied::of_texts(&[(SHIPPED, false)]);
        shadowing(&syn::parse_file(learner).unwrap(), &relied)
    }

    #[test]
    fn the_last_segments_of_the_tests_paths_are_relied_on() {
        let relied = Relied::of_texts(&[(SHIPPED, false)]);
        let paths: Vec<&str> = relied.paths.iter().map(String::as_str).collect();
        assert_eq!(paths, ["counted", "default", "made", "take"]);
    }

    #[test]
    fn learner_inherent_items_on_shipped_types_named_like_trait_functions_are_refused() {
        for sneaky in [
            // Red team round 10 (W1): the tests' `StatusBoard::default()` is this one.
            "pub struct Board; impl StatusBoard { pub fn default() -> Board { Board } }",
            "mod sneaky { impl super::StatusBoard { pub fn default() -> u8 { 0 } } }",
            "fn f() { impl crate::StatusBoard { fn clone(&self) -> u8 { 0 } } }",
            "type B = StatusBoard; impl B { pub fn to_string(&self) -> u8 { 0 } }",
            "mod m { pub type B = crate::StatusBoard; } impl m::B { fn eq(&self, _: &u8) -> bool { true } }",
            "use crate::StatusBoard as B; impl B { fn check(&self) -> u8 { 0 } }",
            "type Id<T> = T; impl Id<StatusBoard> { fn ne(&self) -> u8 { 0 } }",
            "impl (StatusBoard) { fn fmt(&self) -> u8 { 0 } }",
            "impl StatusBoard { const NAME: &'static str = \"x\"; }",
            // Paths the tests write, to a function or a constant.
            "impl StatusBoard { fn counted(_: u8) -> bool { true } }",
            "impl StatusBoard { fn made<T>() {} }",
            // What every type implements.
            "impl StatusBoard { fn from(_: u8) -> u8 { 0 } }",
        ] {
            assert!(
                found_shipped(sneaky)
                    .iter()
                    .any(|f| f.contains("an inherent item is found before a trait's")),
                "{sneaky}: {:?}",
                found_shipped(sneaky)
            );
        }
    }

    #[test]
    fn the_course_inherent_items_and_other_names_are_fine() {
        let course = SHIPPED.split("#[cfg(test)]").next().unwrap();
        for fine in [
            course,
            "impl StatusBoard { fn helper(&self) -> u8 { 0 } const MORE: u8 = 1; }",
            "pub struct Mine; impl Mine { pub fn default() -> Mine { Mine } fn clone(&self) -> u8 { 0 } }",
            "pub struct Mine; type M = Mine; impl M { fn to_string(&self) -> u8 { 0 } fn from() {} }",
            "pub struct Mine; impl Default for Mine { fn default() -> Self { Mine } }",
        ] {
            assert_eq!(found_shipped(fine), Vec::<String>::new(), "{fine}");
        }
    }
}
