//! Generated mutants: wrong solutions derived mechanically from a reference solution by walking
//! its syntax tree, with cargo-mutants' operators and a few more.
//!
//! | operator | what it does |
//! |---|---|
//! | body | replaces a function's body with a value of its return type: `()`, `true`/`false`, `0`/`1`, `String::new()`, `""`, `vec![]`, `None`, `Ok(...)`, `Default::default()` for the std collections, `std::iter::empty()` |
//! | comparison | shifts (`<` and `<=`, `>` and `>=`) and flips (`<` and `>`, `<=` and `>=`, `==` and `!=`) |
//! | logic | swaps `&&` and `||` |
//! | negation | negates an `if` condition or a match guard; removes a `!` |
//! | arithmetic | `+` and `-`, `*` and `/`, `+=` and `-=`, where one operand is an integer literal |
//! | delete | deletes a call statement (`f(x);`, `x.push(y);`, `f()?;`, `m!(..);`), and outside loops an assignment (`self.n += 1;`) |
//! | literal | adds and subtracts 1 on an integer literal (0 becomes 1) |
//! | range | swaps `..` and `..=` |
//!
//! Types are not known to a syntax tree, so the operators stay where a mutant almost always
//! type-checks: a body is replaced only by values its written return type accepts (a function
//! returning a type of its own, `Self` or a generic is left alone); arithmetic changes only
//! when an operand is an integer literal (`Instant - Instant` has no `+`). What still does not
//! compile is counted as unviable by the harness, never as killed.
//!
//! Only what a learner writes is mutated: test modules (`#[cfg(test)]`), `#[test]` functions,
//! locked items and their `impl`s, `macro_rules!`, and `main` of an exercise graded by its tests
//! are left alone, and so are types, patterns, attributes and macro arguments (tokens, to
//! syn). Logging macros (`println!`, `eprintln!`, `dbg!`, `debug_assert!`...) are never deleted:
//! their output is not graded. `while` conditions are not negated (the loop either never runs or
//! never ends, which says nothing about the tests).
//!
//! Each mutant has an id that names the function and the change, not a line number, so that it
//! survives edits elsewhere in the file: `Cache::get: replace < with <= in age < self.ttl`.
//! Identical changes in one function are told apart by their order (` (#2)`).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{
    BinOp, Block, Expr, ExprBinary, GenericArgument, ImplItemFn, Item, ItemFn, ItemImpl, ItemMod,
    ReturnType, Signature, Stmt, TraitItemFn, Type, UnOp,
};

use crate::contract::assemble::is_cfg_test;

/// The longest piece of code an id quotes; longer ones are cut in the middle.
const ID_CODE_CHARS: usize = 60;

/// What a solution's mutants may touch.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    /// Top-level items the course locks (`locked` in `info.toml`).
    pub(super) locked: Vec<String>,
    /// `main` is graded (`test = false`), so it is mutated too.
    pub(super) mutate_main: bool,
}

/// One generated mutant of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Generated {
    /// Stable id: the item path and the change (see the module docs).
    pub(super) id: String,
    /// Line of the changed code in the original file.
    pub(super) line: usize,
    /// The whole mutated file, printed from its tree.
    pub(super) source: String,
}

/// The file printed from its tree, unchanged: what every mutant of it differs from by one
/// change (so a baseline run shows that printing kept its meaning).
pub(super) fn baseline(source: &str) -> syn::Result<String> {
    Ok(prettyplease::unparse(&syn::parse_file(source)?))
}

/// `source` made to work as a module `module` of a larger crate: every path from the crate
/// root (`crate::x`, `use crate::x`) goes through `module` (`crate::module::x`). Paths inside
/// macro arguments are tokens to syn and stay as they are (such a program does not compile as a
/// module, which the harness notices).
pub(super) fn nest_crate_paths(source: &str, module: &str) -> syn::Result<String> {
    let mut file = syn::parse_file(source)?;
    let module = syn::Ident::new(module, proc_macro2::Span::call_site());
    Nest { module }.visit_file_mut(&mut file);
    Ok(prettyplease::unparse(&file))
}

struct Nest {
    module: syn::Ident,
}

impl VisitMut for Nest {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() > 1
            && path.segments.first().is_some_and(|s| s.ident == "crate")
        {
            path.segments
                .insert(1, syn::PathSegment::from(self.module.clone()));
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        if item.leading_colon.is_none()
            && let syn::UseTree::Path(root) = &mut item.tree
            && root.ident == "crate"
        {
            let rest = std::mem::replace(
                &mut *root.tree,
                syn::UseTree::Glob(syn::UseGlob {
                    star_token: Default::default(),
                }),
            );
            *root.tree = syn::UseTree::Path(syn::UsePath {
                ident: self.module.clone(),
                colon2_token: Default::default(),
                tree: Box::new(rest),
            });
        }
    }

    // `pub(crate)` means the same in a module.
    fn visit_visibility_mut(&mut self, _: &mut syn::Visibility) {}
}

/// Every mutant of `source` within `scope`, in the order of the file.
pub(super) fn generate(source: &str, scope: &Scope) -> syn::Result<Vec<Generated>> {
    // Each mutant is made on a tree parsed again (syn's trees are not `Clone` without a
    // feature that would cost every build; parsing a solution takes a millisecond).
    let mut collected = syn::parse_file(source)?;
    let mut walker = Walker::new(scope, None);
    walker.visit_file_mut(&mut collected);
    let ids = number(&walker.sites);
    let mut mutants = Vec::with_capacity(ids.len());
    for (index, (id, site)) in ids.into_iter().zip(&walker.sites).enumerate() {
        let mut mutated = syn::parse_file(source)?;
        let mut apply = Walker::new(scope, Some(index));
        apply.visit_file_mut(&mut mutated);
        debug_assert!(apply.applied, "site {index} was found again");
        mutants.push(Generated {
            id,
            line: site.line,
            source: prettyplease::unparse(&mutated),
        });
    }
    Ok(mutants)
}

/// `path: change`, with ` (#n)` on the n-th identical one.
fn number(sites: &[Site]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    sites
        .iter()
        .map(|site| {
            let id = format!("{}: {}", site.path, site.change);
            let count = seen.entry(id.clone()).or_default();
            *count += 1;
            if *count == 1 {
                id
            } else {
                format!("{id} (#{count})")
            }
        })
        .collect()
}

/// One place a mutant changes, as the collecting walk saw it.
#[derive(Debug)]
struct Site {
    path: String,
    change: String,
    line: usize,
}

/// Walks a file in a fixed order, numbering every possible change. Collecting (`target` is
/// `None`) records each; applying makes change number `target` and no other.
struct Walker<'a> {
    scope: &'a Scope,
    target: Option<usize>,
    applied: bool,
    /// Sites seen so far.
    count: usize,
    sites: Vec<Site>,
    /// Names of the enclosing modules, types and functions.
    path: Vec<String>,
    /// Depth of `mod` nesting (locked items are top-level ones).
    depth: usize,
    /// Inside a loop body (assignments there are not deleted).
    loops: usize,
}

impl<'a> Walker<'a> {
    fn new(scope: &'a Scope, target: Option<usize>) -> Walker<'a> {
        Walker {
            scope,
            target,
            applied: false,
            count: 0,
            sites: Vec::new(),
            path: Vec::new(),
            depth: 0,
            loops: 0,
        }
    }

    /// Counts a possible change (described by `change`, which only the collecting walk calls:
    /// describing every change for every mutant would cost as many walks as there are
    /// mutants); true when it is the one to apply now.
    fn site(&mut self, span: proc_macro2::Span, change: impl FnOnce() -> String) -> bool {
        let index = self.count;
        self.count += 1;
        let Some(target) = self.target else {
            self.sites.push(Site {
                path: if self.path.is_empty() {
                    "(top level)".to_string()
                } else {
                    self.path.join("::")
                },
                change: change(),
                line: span.start().line,
            });
            return false;
        };
        let now = target == index;
        self.applied |= now;
        now
    }

    fn within<T>(&mut self, name: String, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push(name);
        let result = f(self);
        self.path.pop();
        result
    }

    /// Offers replacing `block` (the body of a function with `sig`) by each value of its
    /// return type.
    fn body(&mut self, sig: &Signature, block: &mut Block) {
        if sig.constness.is_some() || sig.unsafety.is_some() {
            return;
        }
        let values = match &sig.output {
            ReturnType::Default => vec![quote!()],
            ReturnType::Type(_, ty) => values(ty),
        };
        // Only a body of one expression (or none) can already be the value.
        let original = match block.stmts.as_slice() {
            [] => Some(String::new()),
            [Stmt::Expr(_, None)] => Some(show(&block.stmts_tokens())),
            _ => None,
        };
        for value in values {
            let text = show(&value);
            if original.as_ref() == Some(&text) {
                continue;
            }
            let change = || {
                if text.is_empty() {
                    "replace body with ()".to_string()
                } else {
                    format!("replace body with {text}")
                }
            };
            if self.site(block.span(), change) {
                *block = syn::parse2(quote!({ #value })).expect("a block of one expression");
            }
        }
    }

    fn function(&mut self, sig: &Signature, block: &mut Block) {
        self.within(sig.ident.to_string(), |walker| {
            walker.body(sig, block);
            walker.visit_block_mut(block);
        });
    }

    fn expr_sites(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Binary(binary) => self.binary(binary),
            Expr::Unary(unary) if matches!(unary.op, UnOp::Not(_)) => {
                let change = || format!("delete ! in {}", code(&*unary));
                if self.site(unary.span(), change) {
                    *expr = parenthesized(&unary.expr);
                }
            }
            Expr::If(branch) if !has_let(&branch.cond) => {
                let change = || format!("negate if {}", code(&branch.cond));
                if self.site(branch.cond.span(), change) {
                    *branch.cond = negated(&branch.cond);
                }
            }
            Expr::Lit(lit) => {
                let syn::Lit::Int(int) = &lit.lit else { return };
                let (written, span) = (int.to_string(), int.span());
                for changed in plus_minus_one(int) {
                    let change = || format!("replace {written} with {changed}");
                    if self.site(span, change) {
                        lit.lit = syn::Lit::Int(syn::LitInt::new(&changed, span));
                    }
                }
            }
            Expr::Range(range) if range.end.is_some() => {
                let (from, to, limits) = match range.limits {
                    syn::RangeLimits::HalfOpen(_) => ("..", "..=", quote!(..=)),
                    syn::RangeLimits::Closed(_) => ("..=", "..", quote!(..)),
                };
                let change = || format!("replace {from} with {to} in {}", code(&*range));
                if self.site(range.span(), change) {
                    range.limits = syn::parse2(limits).expect("a range operator");
                }
            }
            _ => {}
        }
    }

    fn binary(&mut self, binary: &mut ExprBinary) {
        use BinOp::*;
        let op = &binary.op;
        let literal_operand = is_int_literal(&binary.left) || is_int_literal(&binary.right);
        let replacements: Vec<TokenStream> = match op {
            Eq(_) => vec![quote!(!=)],
            Ne(_) => vec![quote!(==)],
            Lt(_) => vec![quote!(<=), quote!(>)],
            Le(_) => vec![quote!(<), quote!(>=)],
            Gt(_) => vec![quote!(>=), quote!(<)],
            Ge(_) => vec![quote!(>), quote!(<=)],
            And(_) | Or(_) if has_let(&binary.left) || has_let(&binary.right) => vec![],
            And(_) => vec![quote!(||)],
            Or(_) => vec![quote!(&&)],
            Add(_) if literal_operand => vec![quote!(-)],
            Sub(_) if literal_operand => vec![quote!(+)],
            Mul(_) if literal_operand => vec![quote!(/)],
            Div(_) if literal_operand => vec![quote!(*)],
            AddAssign(_) if literal_operand => vec![quote!(-=)],
            SubAssign(_) if literal_operand => vec![quote!(+=)],
            _ => vec![],
        };
        for replacement in replacements {
            let change = || {
                let from = show(&binary.op.to_token_stream());
                let to = show(&replacement);
                format!("replace {from} with {to} in {}", code(&*binary))
            };
            if self.site(binary.op.span(), change) {
                binary.op = syn::parse2(replacement).expect("a binary operator");
            }
        }
    }

    /// Offers deleting each call statement of `block` (and assignments, outside loops).
    fn statements(&mut self, block: &mut Block) {
        let mut delete = None;
        for (index, stmt) in block.stmts.iter().enumerate() {
            if self.deletable(stmt) {
                let change = || format!("delete {}", code(stmt));
                if self.site(stmt.span(), change) {
                    delete = Some(index);
                }
            }
        }
        if let Some(index) = delete {
            block.stmts.remove(index);
        }
    }

    fn deletable(&self, stmt: &Stmt) -> bool {
        match stmt {
            Stmt::Expr(expr, Some(_)) => match expr {
                Expr::Call(_) | Expr::MethodCall(_) => true,
                Expr::Try(inner) => matches!(&*inner.expr, Expr::Call(_) | Expr::MethodCall(_)),
                Expr::Macro(m) => !is_logging(&m.mac),
                Expr::Assign(_) => self.loops == 0,
                Expr::Binary(b) => self.loops == 0 && is_compound_assignment(&b.op),
                _ => false,
            },
            Stmt::Macro(m) => !is_logging(&m.mac),
            _ => false,
        }
    }

    /// Whether an item is the learner's to write (see the module docs).
    fn skips(&self, attrs: &[syn::Attribute], name: Option<&syn::Ident>) -> bool {
        if is_cfg_test(attrs) || attrs.iter().any(|a| a.path().is_ident("test")) {
            return true;
        }
        let Some(name) = name else { return false };
        let name = name.to_string();
        (self.depth == 0 && self.scope.locked.contains(&name))
            || (name == "main"
                && self.depth == 0
                && self.path.is_empty()
                && !self.scope.mutate_main)
    }
}

impl VisitMut for Walker<'_> {
    fn visit_item_mut(&mut self, item: &mut Item) {
        if self.applied {
            return;
        }
        let (attrs, name): (&[syn::Attribute], Option<&syn::Ident>) = match &*item {
            Item::Fn(f) => (&f.attrs, Some(&f.sig.ident)),
            Item::Mod(m) => (&m.attrs, Some(&m.ident)),
            Item::Const(c) => (&c.attrs, Some(&c.ident)),
            Item::Static(s) => (&s.attrs, Some(&s.ident)),
            Item::Struct(s) => (&s.attrs, Some(&s.ident)),
            Item::Enum(e) => (&e.attrs, Some(&e.ident)),
            Item::Trait(t) => (&t.attrs, Some(&t.ident)),
            Item::Impl(i) => (&i.attrs, None),
            Item::Macro(_) => return,
            _ => return,
        };
        if self.skips(attrs, name) {
            return;
        }
        match item {
            Item::Const(c) => {
                let name = c.ident.to_string();
                self.within(name, |w| w.visit_expr_mut(&mut c.expr));
            }
            Item::Static(s) => {
                let name = s.ident.to_string();
                self.within(name, |w| w.visit_expr_mut(&mut s.expr));
            }
            _ => visit_mut::visit_item_mut(self, item),
        }
    }

    fn visit_item_fn_mut(&mut self, item: &mut ItemFn) {
        self.function(&item.sig, &mut item.block);
    }

    fn visit_item_mod_mut(&mut self, item: &mut ItemMod) {
        let Some((_, items)) = &mut item.content else {
            return;
        };
        let name = item.ident.to_string();
        self.depth += 1;
        self.within(name, |walker| {
            for item in items {
                walker.visit_item_mut(item);
            }
        });
        self.depth -= 1;
    }

    fn visit_item_impl_mut(&mut self, item: &mut ItemImpl) {
        let self_name = type_name(&item.self_ty);
        if self.depth == 0
            && self_name
                .as_ref()
                .is_some_and(|n| self.scope.locked.contains(n))
        {
            return;
        }
        let self_text = self_name.unwrap_or_else(|| show(&item.self_ty.to_token_stream()));
        let name = match &item.trait_ {
            Some((_, path, _)) => {
                let tr = path.segments.last().map(|s| s.ident.to_string());
                format!("<impl {} for {self_text}>", tr.unwrap_or_default())
            }
            None => self_text,
        };
        self.within(name, |walker| {
            for impl_item in &mut item.items {
                if let syn::ImplItem::Fn(f) = impl_item {
                    walker.visit_impl_item_fn_mut(f);
                }
            }
        });
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut ImplItemFn) {
        if !self.skips(&item.attrs, None) {
            self.function(&item.sig, &mut item.block);
        }
    }

    fn visit_item_trait_mut(&mut self, item: &mut syn::ItemTrait) {
        let name = item.ident.to_string();
        self.within(name, |walker| {
            for trait_item in &mut item.items {
                if let syn::TraitItem::Fn(f) = trait_item {
                    walker.visit_trait_item_fn_mut(f);
                }
            }
        });
    }

    fn visit_trait_item_fn_mut(&mut self, item: &mut TraitItemFn) {
        if let Some(block) = &mut item.default
            && !self.skips(&item.attrs, None)
        {
            self.function(&item.sig, block);
        }
    }

    fn visit_block_mut(&mut self, block: &mut Block) {
        if self.applied {
            return;
        }
        self.statements(block);
        visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if self.applied {
            return;
        }
        self.expr_sites(expr);
        match expr {
            Expr::While(w) => {
                self.visit_expr_mut(&mut w.cond);
                self.loops += 1;
                self.visit_block_mut(&mut w.body);
                self.loops -= 1;
            }
            Expr::ForLoop(f) => {
                self.visit_expr_mut(&mut f.expr);
                self.loops += 1;
                self.visit_block_mut(&mut f.body);
                self.loops -= 1;
            }
            Expr::Loop(l) => {
                self.loops += 1;
                self.visit_block_mut(&mut l.body);
                self.loops -= 1;
            }
            // The length is part of the type.
            Expr::Repeat(r) => self.visit_expr_mut(&mut r.expr),
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        if let Some((_, guard)) = &mut arm.guard {
            if !has_let(guard) {
                let change = || format!("negate guard {}", code(&**guard));
                if self.site(guard.span(), change) {
                    **guard = negated(guard);
                }
            }
            self.visit_expr_mut(guard);
        }
        self.visit_expr_mut(&mut arm.body);
    }

    // Left alone: what a change there says nothing about the tests, or does not compile.
    fn visit_item_macro_mut(&mut self, _: &mut syn::ItemMacro) {}
    fn visit_type_mut(&mut self, _: &mut Type) {}
    fn visit_pat_mut(&mut self, _: &mut syn::Pat) {}
    fn visit_attribute_mut(&mut self, _: &mut syn::Attribute) {}
    fn visit_generic_argument_mut(&mut self, _: &mut GenericArgument) {}
}

/// The tokens of a block's statements (what a body replacement is compared with).
trait StmtsTokens {
    fn stmts_tokens(&self) -> TokenStream;
}

impl StmtsTokens for Block {
    fn stmts_tokens(&self) -> TokenStream {
        let stmts = &self.stmts;
        quote!(#(#stmts)*)
    }
}

/// Values a function may return instead of its body, by its written return type.
fn values(ty: &Type) -> Vec<TokenStream> {
    match ty {
        Type::Paren(p) => values(&p.elem),
        Type::Group(g) => values(&g.elem),
        Type::Tuple(t) if t.elems.is_empty() => vec![quote!(())],
        Type::Reference(r) if r.mutability.is_none() => match &*r.elem {
            Type::Path(p) if p.qself.is_none() && p.path.is_ident("str") => {
                vec![quote!(""), quote!("xyzzy")]
            }
            Type::Slice(_) => vec![quote!(&[])],
            _ => vec![],
        },
        Type::ImplTrait(t) => {
            let iterator = t.bounds.iter().any(|b| {
                matches!(b, syn::TypeParamBound::Trait(tb)
                    if tb.path.segments.last().is_some_and(|s| s.ident == "Iterator"))
            });
            if iterator {
                vec![quote!(::std::iter::empty())]
            } else {
                vec![]
            }
        }
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return vec![];
            };
            let args: Vec<&Type> = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|a| match a {
                        GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                _ => vec![],
            };
            let first = args.first().map(|t| values(t)).unwrap_or_default();
            match last.ident.to_string().as_str() {
                "bool" => vec![quote!(true), quote!(false)],
                "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
                | "i128" | "isize" => vec![quote!(0), quote!(1)],
                "f32" | "f64" => vec![quote!(0.0), quote!(1.0)],
                "String" => vec![quote!(String::new()), quote!("xyzzy".into())],
                "Vec" => vec![quote!(vec![])],
                "VecDeque" | "HashMap" | "HashSet" | "BTreeMap" | "BTreeSet" | "Duration" => {
                    vec![quote!(Default::default())]
                }
                "Option" => std::iter::once(quote!(None))
                    .chain(first.into_iter().map(|v| quote!(Some(#v))))
                    .collect(),
                // `fmt::Result` is `Result<(), fmt::Error>`.
                "Result" if args.is_empty() && p.path.segments.len() > 1 => {
                    let module = &p.path.segments[p.path.segments.len() - 2].ident;
                    if module == "fmt" {
                        vec![quote!(Ok(()))]
                    } else {
                        vec![]
                    }
                }
                "Result" => first.into_iter().map(|v| quote!(Ok(#v))).collect(),
                "Box" | "Rc" | "Arc" => {
                    let wrapper = &last.ident;
                    first
                        .into_iter()
                        .map(|v| quote!(#wrapper::new(#v)))
                        .collect()
                }
                _ => vec![],
            }
        }
        _ => vec![],
    }
}

/// The integer literal's neighbours: n - 1 and n + 1, with its suffix (0 has only 1).
fn plus_minus_one(int: &syn::LitInt) -> Vec<String> {
    let Ok(n) = int.base10_parse::<u128>() else {
        return vec![];
    };
    let suffix = int.suffix();
    let mut out = Vec::new();
    if n > 0 {
        out.push(format!("{}{suffix}", n - 1));
    }
    if let Some(up) = n.checked_add(1) {
        out.push(format!("{up}{suffix}"));
    }
    out
}

fn is_int_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(_),
            ..
        })
    )
}

fn is_compound_assignment(op: &BinOp) -> bool {
    use BinOp::*;
    matches!(
        op,
        AddAssign(_)
            | SubAssign(_)
            | MulAssign(_)
            | DivAssign(_)
            | RemAssign(_)
            | BitXorAssign(_)
            | BitAndAssign(_)
            | BitOrAssign(_)
            | ShlAssign(_)
            | ShrAssign(_)
    )
}

/// Macros whose output is not graded: deleting them says nothing about the tests.
fn is_logging(mac: &syn::Macro) -> bool {
    let name = mac
        .path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    matches!(
        name.as_str(),
        "print"
            | "println"
            | "eprint"
            | "eprintln"
            | "dbg"
            | "debug_assert"
            | "debug_assert_eq"
            | "debug_assert_ne"
    )
}

/// A `let` in a condition (`if let`, a let chain), which cannot be negated or swapped.
fn has_let(expr: &Expr) -> bool {
    match expr {
        Expr::Let(_) => true,
        Expr::Binary(b) if matches!(b.op, BinOp::And(_) | BinOp::Or(_)) => {
            has_let(&b.left) || has_let(&b.right)
        }
        Expr::Paren(p) => has_let(&p.expr),
        _ => false,
    }
}

fn negated(cond: &Expr) -> Expr {
    syn::parse2(quote!(!(#cond))).expect("a negated expression")
}

/// `expr` (a copy) in parentheses when precedence could change its meaning in its new place.
fn parenthesized(expr: &Expr) -> Expr {
    match expr {
        Expr::Path(_)
        | Expr::Call(_)
        | Expr::MethodCall(_)
        | Expr::Field(_)
        | Expr::Paren(_)
        | Expr::Lit(_)
        | Expr::Macro(_) => syn::parse2(expr.to_token_stream()).expect("the same expression"),
        other => syn::parse2(quote!((#other))).expect("a parenthesized expression"),
    }
}

/// The name of a type written as a path (`Cache`, `Cache<K>`: `Cache`).
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Code as an id quotes it: compact, one line, cut in the middle when long.
fn code(node: &dyn ToTokens) -> String {
    // One line, whatever a raw string literal holds.
    let text = show(&node.to_token_stream())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= ID_CODE_CHARS {
        return text;
    }
    let half = ID_CODE_CHARS / 2;
    let head: String = chars[..half].iter().collect();
    let tail: String = chars[chars.len() - half..].iter().collect();
    format!("{}...{}", head.trim_end(), tail.trim_start())
}

/// Tokens as text without most of the spaces `TokenStream`'s printing puts between every pair
/// (`self . len ()`: `self.len()`). Only for ids: deterministic, not necessarily rustfmt's.
fn show(tokens: &TokenStream) -> String {
    let text = tokens.to_string();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && !spaced(&out, chars.get(i + 1).copied(), chars.get(i + 2).copied()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether the space between `out` and the characters `next`, `after` stays.
fn spaced(out: &str, next: Option<char>, after: Option<char>) -> bool {
    let Some(before) = out.chars().last() else {
        return false;
    };
    let next = next.unwrap_or(' ');
    // A prefix operator sticks to its operand: `*n`, `&x`, `-1`, `!ok`.
    let prefix = matches!(before, '*' | '&' | '-' | '!')
        && {
            let rest = out[..out.len() - 1].trim_end();
            rest.ends_with(|c: char| "([{,;=!&|<>+-*/%^".contains(c)) || rest.is_empty()
        }
        && !out.ends_with("&&")
        && !out.ends_with("||");
    let opens =
        matches!(before, '.' | '(' | '[' | '#') || out.ends_with("::") || out.ends_with("..=");
    // A call's parenthesis sticks to what is called, not to an operator: `f(x)`, `a || (b)`.
    let call = next == '(' && !"|&=+-*/%<>,^".contains(before);
    let closes = matches!(next, '.' | ')' | '[' | ']' | ',' | ';' | '?')
        || call
        || (next == ':' && after == Some(':'));
    // A macro's name and its `!`: `vec![]`.
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let bang = (next == '!' && word(before) && after != Some('='))
        || (before == '!' && out[..out.len() - 1].ends_with(word));
    !(prefix || opens || closes || bang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(source: &str, scope: &Scope) -> Vec<String> {
        generate(source, scope)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect()
    }

    /// The mutated code of the mutant `id` of `source` (its function, printed).
    fn mutant(source: &str, id: &str) -> String {
        let all = generate(source, &Scope::default()).unwrap();
        let found = all.iter().find(|m| m.id == id).unwrap_or_else(|| {
            panic!(
                "no mutant {id:?} in {:#?}",
                all.iter().map(|m| &m.id).collect::<Vec<_>>()
            )
        });
        found.source.clone()
    }

    #[test]
    fn bodies_are_replaced_by_values_of_their_return_type() {
        let source = "fn is_ok(code: u16) -> bool { code < 400 }\nfn name() -> String { \"a\".to_string() }\nfn count() -> usize { 3 }\nfn log(x: &mut Vec<u8>) { x.push(1); }\nfn find() -> Option<u32> { Some(2) }\nfn load() -> Result<Vec<u8>, String> { Ok(vec![1]) }\nfn text() -> &'static str { \"hi\" }\nimpl Shape { fn area(&self) -> Self { Shape } }\n";
        let ids = ids(source, &Scope::default());
        for id in [
            "is_ok: replace body with true",
            "is_ok: replace body with false",
            "name: replace body with String::new()",
            "name: replace body with \"xyzzy\".into()",
            "count: replace body with 0",
            "count: replace body with 1",
            "log: replace body with ()",
            "find: replace body with None",
            "find: replace body with Some(0)",
            "find: replace body with Some(1)",
            "load: replace body with Ok(vec![])",
            "text: replace body with \"\"",
        ] {
            assert!(ids.contains(&id.to_string()), "{id} not in {ids:#?}");
        }
        // `Self` and types of the course's own have no value a syntax tree knows.
        assert!(
            !ids.iter()
                .any(|id| id.starts_with("Shape::area: replace body")),
            "{ids:#?}"
        );
        let replaced = mutant(source, "is_ok: replace body with false");
        assert!(
            replaced.contains("fn is_ok(code: u16) -> bool {\n    false\n}"),
            "{replaced}"
        );
        let replaced = mutant(source, "log: replace body with ()");
        assert!(
            replaced.contains("fn log(x: &mut Vec<u8>) {}"),
            "{replaced}"
        );
    }

    #[test]
    fn a_body_that_is_already_the_value_is_not_replaced_by_it() {
        let ids = ids("fn yes() -> bool { true }\n", &Scope::default());
        assert_eq!(ids, ["yes: replace body with false"]);
    }

    #[test]
    fn comparisons_are_shifted_and_flipped() {
        let source = "fn f(a: u32, b: u32) -> bool { a < b && a == b }\n";
        let ids = ids(source, &Scope::default());
        assert!(
            ids.contains(&"f: replace < with <= in a < b".to_string()),
            "{ids:#?}"
        );
        assert!(
            ids.contains(&"f: replace < with > in a < b".to_string()),
            "{ids:#?}"
        );
        assert!(
            ids.contains(&"f: replace == with != in a == b".to_string()),
            "{ids:#?}"
        );
        let text = mutant(source, "f: replace < with <= in a < b");
        assert!(text.contains("a <= b && a == b"), "{text}");
        let text = mutant(source, "f: replace == with != in a == b");
        assert!(text.contains("a < b && a != b"), "{text}");
    }

    #[test]
    fn and_and_or_are_swapped() {
        let source = "fn f(a: bool, b: bool) -> bool { a && b }\n";
        let text = mutant(source, "f: replace && with || in a && b");
        assert!(text.contains("a || b"), "{text}");
        // A let chain cannot be swapped.
        let ids = ids(
            "fn g(a: bool, b: Option<u8>) { if a && let Some(x) = b { drop(x); } }\n",
            &Scope::default(),
        );
        assert!(
            !ids.iter()
                .any(|id| id.contains("replace &&") || id.contains("negate if")),
            "{ids:#?}"
        );
    }

    #[test]
    fn conditions_and_guards_are_negated_and_nots_removed() {
        let source = "fn f(a: bool, n: u8) -> u8 { if a { 1 } else { match n { x if x > 2 => 3, _ => 4 } } }\nfn g(v: &[u8]) -> bool { !v.is_empty() }\n";
        let text = mutant(source, "f: negate if a");
        assert!(text.contains("if !(a) {"), "{text}");
        let text = mutant(source, "f: negate guard x > 2");
        assert!(text.contains("x if !(x > 2) => 3"), "{text}");
        let text = mutant(source, "g: delete ! in !v.is_empty()");
        assert!(text.contains("    v.is_empty()\n"), "{text}");
    }

    #[test]
    fn call_statements_and_assignments_outside_loops_are_deleted() {
        let source = "fn f(v: &mut Vec<u8>, n: &mut u8) -> Result<(), ()> {\n    v.push(1);\n    check(n)?;\n    *n += 2;\n    println!(\"{n}\");\n    for x in 0..3 {\n        *n = x;\n    }\n    Ok(())\n}\n";
        let ids = ids(source, &Scope::default());
        for id in [
            "f: delete v.push(1);",
            "f: delete check(n)?;",
            "f: delete *n += 2;",
        ] {
            assert!(ids.contains(&id.to_string()), "{id} not in {ids:#?}");
        }
        assert!(
            !ids.iter()
                .any(|id| id.contains("println") || id.contains("*n = x")),
            "{ids:#?}"
        );
        let text = mutant(source, "f: delete v.push(1);");
        assert!(
            !text.contains("v.push(1)") && text.contains("check(n)?;"),
            "{text}"
        );
    }

    #[test]
    fn integer_literals_and_ranges_move_by_one() {
        let source = "fn f(v: &[u8]) -> usize { let mut n = 0; for i in 0..v.len() { n += i * 2; } n + 10 }\n";
        let ids = ids(source, &Scope::default());
        for id in [
            "f: replace 0 with 1",
            "f: replace 0 with 1 (#2)",
            "f: replace .. with ..= in 0..v.len()",
            "f: replace 2 with 1",
            "f: replace 2 with 3",
            "f: replace 10 with 9",
            "f: replace 10 with 11",
            "f: replace * with / in i * 2",
            "f: replace + with - in n + 10",
        ] {
            assert!(ids.contains(&id.to_string()), "{id} not in {ids:#?}");
        }
        assert_eq!(show(&quote!(1450..=2100)), "1450..=2100");
        let text = mutant(source, "f: replace .. with ..= in 0..v.len()");
        assert!(text.contains("for i in 0..=v.len()"), "{text}");
        let text = mutant(source, "f: replace 10 with 11");
        assert!(text.contains("n + 11"), "{text}");
        // `+=` with a variable: the types are unknown, so left alone.
        assert!(!ids.iter().any(|id| id.contains("+= with")), "{ids:#?}");
    }

    #[test]
    fn tests_locked_items_main_types_and_patterns_are_left_alone() {
        let source = "fn main() { run(1); }\nfn helper() -> u32 { 7 }\nstruct Counter;\nimpl Counter { fn get(&self) -> u32 { 8 } }\nfn mine(x: [u8; 4]) -> u8 { match x[0] { 5 => 6, _ => 0 } }\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { assert!(1 < 2); }\n}\n";
        let scope = Scope {
            locked: vec!["helper".into(), "Counter".into()],
            mutate_main: false,
        };
        let ids = ids(source, &scope);
        assert!(ids.iter().all(|id| id.starts_with("mine: ")), "{ids:#?}");
        assert!(
            !ids.iter()
                .any(|id| id.contains("replace 4") || id.contains("replace 5")),
            "{ids:#?}"
        );
        let with_main = Scope {
            mutate_main: true,
            ..Scope::default()
        };
        let all = super::tests::ids(source, &with_main);
        assert!(
            all.contains(&"main: delete run(1);".to_string()),
            "{all:#?}"
        );
        assert!(
            all.contains(&"helper: replace body with 0".to_string()),
            "{all:#?}"
        );
    }

    #[test]
    fn ids_name_the_impl_and_the_trait() {
        let source = "impl Cache { fn get(&self) -> bool { self.age < self.ttl } }\nimpl fmt::Display for Cache { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"c\") } }\n";
        let ids = ids(source, &Scope::default());
        assert!(
            ids.contains(&"Cache::get: replace < with <= in self.age < self.ttl".to_string()),
            "{ids:#?}"
        );
        assert!(
            ids.contains(&"<impl Display for Cache>::fmt: replace body with Ok(())".to_string()),
            "{ids:#?}"
        );
    }

    #[test]
    fn crate_paths_are_nested_in_a_module() {
        let source = "use crate::http::{Request, Response};\npub(crate) fn f() -> crate::db::Pool { crate::db::open(super::x()) }\n";
        let nested = nest_crate_paths(source, "mutant_3").unwrap();
        assert_eq!(
            nested,
            "use crate::mutant_3::http::{Request, Response};\npub(crate) fn f() -> crate::mutant_3::db::Pool {\n    crate::mutant_3::db::open(super::x())\n}\n"
        );
    }

    #[test]
    fn the_baseline_prints_the_same_tokens() {
        let source = "fn f( a:u8 )->u8{a+1}\n";
        let printed = baseline(source).unwrap();
        assert_eq!(printed, "fn f(a: u8) -> u8 {\n    a + 1\n}\n");
    }
}
