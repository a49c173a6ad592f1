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

use std::collections::BTreeSet;

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
}

impl Relied {
    /// From the course's parsed files of one exercise, each with whether it is a test module
    /// file as a whole.
    pub fn of(files: &[(&syn::File, bool)]) -> Relied {
        let mut relied = Relied::default();
        for (file, whole_test) in files {
            Collect(&mut relied).visit_file(file);
            if *whole_test {
                calls(file.to_token_stream(), &mut relied.methods);
            } else {
                for item in &file.items {
                    if is_test_code(item) {
                        calls(item.to_token_stream(), &mut relied.methods);
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
        match impl_key(i) {
            Some(key) => {
                self.0.impls.insert(key);
            }
            // Inherent methods. The methods of the course's impls of other crates' traits
            // (`fmt`, `eq`, `from`) count only when the tests call them: a learner writes
            // those for their own types (`impl fmt::Debug for Secret` is a lesson).
            None => {
                for item in &i.items {
                    if let ImplItem::Fn(f) = item {
                        self.0.methods.insert(name(&f.sig.ident));
                    }
                }
            }
        }
        visit::visit_item_impl(self, i);
    }
    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        self.0.traits.insert(name(&t.ident));
        for item in &t.items {
            if let TraitItem::Fn(f) = item {
                self.0.methods.insert(name(&f.sig.ident));
                self.0.trait_methods.insert(trait_method_key(t, f));
            }
        }
        visit::visit_item_trait(self, t);
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

/// Method calls among `tokens` (`.name(` and `.name::<`), at any depth: macro arguments are
/// tokens to `syn`, and the tests' calls are mostly inside `assert_eq!`.
fn calls(tokens: TokenStream, names: &mut BTreeSet<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
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
            TokenTree::Group(group) => calls(group.stream(), names),
            _ => {}
        }
    }
}

/// The learner's methods that could answer a call the tests make in place of the course's
/// method: one line each.
pub fn shadowing(learner: &syn::File, relied: &Relied) -> Vec<String> {
    if relied.methods.is_empty() {
        return Vec::new();
    }
    let mut finder = Finder {
        relied,
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
    found: Vec<String>,
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
}
