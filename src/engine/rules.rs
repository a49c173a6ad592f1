//! The verdict rule book: what counts as passed, and what an exercise's source may not do.
//!
//! Every command (`run`, `verify`, watch mode, `dev check` and `grade`) decides verdicts here, so
//! code gets the same verdict on a learner's laptop and in the grader.
//!
//! Two kinds of rules:
//! - **Source rules**, checked before anything is built ([`inspect`]). Crate-level inner
//!   attributes other than lint levels (`#![cfg(not(test))]` compiles the tests away,
//!   `#![no_main]` replaces the harness) are refused, and so is any way for exercise code to end
//!   or replace the process itself (`process::exit`, `abort`, `exec`): with that, a test could
//!   print a fake libtest summary and exit 0 before its assertions fail. `unsafe` is refused
//!   through the `unsafe_code` lint when the course sets `forbid_unsafe` (it also covers
//!   `#[unsafe(link_section)]` constructors and `#[no_mangle]` overrides).
//! - **Result rules**, applied to a finished run ([`judge`]): a test exercise passes only when
//!   its process exited 0 *and* printed exactly one libtest summary saying `ok` with as many
//!   passed tests as the source declares `#[test]` functions, and none filtered out.
//!
//! What these rules cannot see (a learner's code runs inside the test process and can write to
//! its output) is why grading also runs in a sandbox: see `docs/grading-security.md`.

use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, Item, Meta};

use super::process::Exit;
use crate::contract::name as unraw;
use crate::verdict::{Captured, Reason, Status, Verdict};

/// What the source of one program declares, read before it is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFacts {
    /// `#[test]` functions that are not `#[ignore]`d: what libtest must report as passed.
    /// `None` when macros may generate tests, so the number cannot be read off the source.
    pub tests: Option<usize>,
    /// The source does not compile, as the toolchain found while inspecting it (Python's
    /// syntax errors): the target is not built, this is its compiler output.
    pub compile_error: Option<Captured>,
}

/// Inner attributes exercise files may carry: lint levels and docs. Anything else changes how
/// the crate is compiled (`cfg`, `no_main`, `no_std`, `crate_type`, `feature`, ...).
const ALLOWED_INNER: &[&str] = &["allow", "warn", "deny", "forbid", "expect", "doc"];

/// Functions that end or replace the process. Exercise code that is graded by its tests has no
/// business calling them, and they are how a test fakes a passing run.
const PROCESS_ENDERS: &[&str] = &["exit", "abort", "exec", "_exit", "exit_process"];

/// The Rust files of a program: its crate root and the module files it declares (`mod db;`,
/// `#[path]` honoured, and a `path` inside `cfg_attr` too), found the way the compiler finds
/// them, for a folder exercise and a single-file one alike: the rules of the exercise apply to
/// every file it pulls in (red team round 6: a single-file test exercise pulled in another
/// exercise's file, graded by `main`, and called the `exit` in it). Other `.rs` files in a
/// folder are not part of the program (a learner's `tests_backup.rs` changes nothing).
///
/// Only files in the crate root's folder are followed, none read past 16 MiB: the grader runs these
/// rules in its own process, outside every sandbox, and an absolute `#[path]` had it read and
/// parse any host file (red team round 9). The contract refuses such modules
/// ([`crate::contract::files`]), and every file below the folder was parsed first by the
/// grader's contained reader.
pub fn source_files(main_file: &Path) -> Vec<PathBuf> {
    let root = main_file.parent().unwrap_or(Path::new(""));
    crate::contract::files::program_files(main_file, root, &crate::contract::files::read_capped)
        .files
}

/// Module declarations (`mod name`) inside macro calls and `macro_rules!` bodies: the module
/// walk reads parsed items only, so a module made by a macro would bring in a file these rules
/// never read (red team round 8: `verbatim! { #[path = ".."] mod welcome; }` pulled a
/// `main`-graded exercise's file, which may end the process, into a test exercise).
fn find_macro_modules(file: &syn::File, name: &str, problems: &mut Vec<String>) {
    fn declares_module(tokens: &TokenStream) -> Option<usize> {
        let tokens: Vec<TokenTree> = tokens.clone().into_iter().collect();
        tokens
            .iter()
            .enumerate()
            .find_map(|(at, token)| match token {
                TokenTree::Ident(ident)
                    if ident == "mod"
                        && matches!(tokens.get(at + 1), Some(TokenTree::Ident(_))) =>
                {
                    Some(ident.span().start().line)
                }
                TokenTree::Group(group) => declares_module(&group.stream()),
                _ => None,
            })
    }
    struct Calls(Vec<usize>);
    impl<'ast> syn::visit::Visit<'ast> for Calls {
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            self.0.extend(declares_module(&mac.tokens));
        }
    }
    let mut calls = Calls(Vec::new());
    syn::visit::Visit::visit_file(&mut calls, file);
    for line in calls.0 {
        let problem = format!(
            "{name}:{line}: a module declared inside a macro brings in code these rules cannot follow; declare it outside the macro"
        );
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}

/// Checks the source rules on the files of one program; `shown` turns a path into what the
/// learner sees in messages. `Err` holds one line per violation.
pub fn inspect(
    files: &[PathBuf],
    test: bool,
    shown: &dyn Fn(&Path) -> String,
) -> Result<SourceFacts, Vec<String>> {
    // Spans with locations live in a thread-local source map until released: watch's checker
    // thread would otherwise keep every version of every file it ever inspected.
    let _reset = crate::contract::assemble::SpanReset;
    let mut problems = Vec::new();
    let mut tests = Some(0usize);
    for path in files {
        // A file too large to read is refused, never skipped: the rules would not see it.
        if crate::contract::files::too_large(path) {
            problems.push(format!(
                "{}: over {} MiB, too large for these rules to read; split it",
                shown(path),
                crate::contract::files::MAX_PROGRAM_FILE_BYTES / (1024 * 1024)
            ));
            continue;
        }
        // Unreadable or unparsable files are the compiler's to report.
        let Some(source) = crate::contract::files::read_capped(path) else {
            continue;
        };
        let Ok(file) = syn::parse_file(&crate::contract::assemble::normalize(&source)) else {
            tests = None;
            continue;
        };
        let name = shown(path);
        for attr in &file.attrs {
            if matches!(attr.style, syn::AttrStyle::Inner(_)) && !is_allowed_inner(attr) {
                let line = attr.pound_token.span.start().line;
                problems.push(format!(
                    "{name}:{line}: the crate attribute `{}` is not allowed in an exercise; remove it",
                    attr.to_token_stream().to_string().replace(" ", "")
                ));
            }
        }
        if test {
            find_process_enders(&file, &name, &mut problems);
            find_foreign_functions(&file, &name, &mut problems);
            find_macro_modules(&file, &name, &mut problems);
        }
        match (
            tests,
            crate::contract::assemble::count_tests(
                &file.items,
                crate::contract::assemble::Generated::NamingTest,
            ),
        ) {
            (Some(sum), Some(n)) => tests = Some(sum + n),
            _ => tests = None,
        }
    }
    if problems.is_empty() {
        Ok(SourceFacts {
            tests,
            compile_error: None,
        })
    } else {
        Err(problems)
    }
}

/// The verdict of a program refused by the source rules.
pub fn rejected(problems: &[String]) -> Verdict {
    Verdict {
        reason: Some(Reason::Refused {
            problems: problems.to_vec(),
        }),
        ..Verdict::new(Status::Rejected, Captured::default())
    }
}

fn is_allowed_inner(attr: &Attribute) -> bool {
    let path = match &attr.meta {
        Meta::Path(p) => p,
        Meta::List(l) => &l.path,
        Meta::NameValue(nv) => &nv.path,
    };
    path.get_ident()
        .is_some_and(|ident| ALLOWED_INNER.contains(&unraw(ident).as_str()))
}

/// Calls and paths that reach a process-ending function (the identifiers alone are fine: a
/// Flask-style helper `fn abort(status: u16)` is an ordinary function). Macro bodies and macro
/// arguments are token soup, so the rules read tokens, everywhere:
/// - a path `a::b::exit` (also `abort`, `exec`, `_exit`, `exit_process`) unless every segment
///   before the name is `crate`, `self`, `super`, `Self` or an item this file defines
///   (`helpers::abort(404)`), so `std::process::exit`, `p::exit` after `use std::process as
///   p`, `CommandExt::exec(&mut c)` and `use std::process::exit as quit` are all refused;
/// - the method calls `.exec()` and `.exit_process()`;
/// - `process::*`, and `process::{..}` naming one of them;
/// - in the body of a `macro_rules!` and in the arguments of a macro this file defines, any of
///   the names at all (`std::process::$f` with `m!(exit)` builds the path out of sight);
/// - a string that names a path to one (`serde`'s `with = "std::process::exit"`).
fn find_process_enders(file: &syn::File, name: &str, problems: &mut Vec<String>) {
    let scan = EnderScan {
        macros: local_macros(file),
        types: top_level_types(file),
    };
    find_process_modules(file, name, problems);
    let mut found = Vec::new();
    scan.walk(&file.to_token_stream(), false, false, &mut found);
    for (line, what) in found {
        let problem = format!("{name}:{line}: {what}");
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}

struct EnderScan {
    /// `macro_rules!` this file defines: their arguments are read strictly.
    macros: Vec<String>,
    /// Types and traits at the top of this file (`Job::abort` is a method of the learner's).
    types: Vec<String>,
}

fn is_ender(ident: &proc_macro2::Ident) -> Option<String> {
    let bare = unraw(ident);
    PROCESS_ENDERS.contains(&bare.as_str()).then_some(bare)
}

fn is_path_sep(tokens: &[TokenTree], at: usize) -> bool {
    matches!(
        (tokens.get(at), tokens.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && b.as_char() == ':' && a.spacing() == proc_macro2::Spacing::Joint
    )
}

impl EnderScan {
    /// `strict`: inside a macro body or a local macro's arguments; `in_attribute`: inside
    /// `#[...]`, where a string can name a function (`serde(with = "...")`).
    fn walk(
        &self,
        stream: &TokenStream,
        strict: bool,
        in_attribute: bool,
        found: &mut Vec<(usize, String)>,
    ) {
        let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
        for (at, token) in tokens.iter().enumerate() {
            match token {
                // Doc comments (`#[doc = "..."]`) are prose, not paths.
                TokenTree::Group(group) if is_doc_attribute(group) => {}
                TokenTree::Group(group) => {
                    let pound =
                        |i: usize| matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == '#');
                    let bang =
                        |i: usize| matches!(&tokens[i], TokenTree::Punct(p) if p.as_char() == '!');
                    let attribute = group.delimiter() == proc_macro2::Delimiter::Bracket
                        && at >= 1
                        && (pound(at - 1) || (at >= 2 && bang(at - 1) && pound(at - 2)));
                    let in_attribute = in_attribute || attribute;
                    // `process::{exit, Command}`
                    let after_process = at >= 3
                        && is_path_sep(&tokens, at - 2)
                        && matches!(&tokens[at - 3], TokenTree::Ident(i) if unraw(i) == "process");
                    let strict_inside = strict
                        || self.is_local_macro_call(&tokens, at)
                        || is_macro_rules_body(&tokens, at);
                    if after_process && group.delimiter() == proc_macro2::Delimiter::Brace {
                        self.walk(&group.stream(), true, in_attribute, found);
                    } else {
                        self.walk(&group.stream(), strict_inside, in_attribute, found);
                    }
                }
                TokenTree::Ident(ident) => {
                    let Some(bare) = is_ender(ident) else {
                        continue;
                    };
                    let line = ident.span().start().line;
                    if strict {
                        found.push((
                            line,
                            format!("`{bare}` names a function that ends or replaces the process, inside a macro; exercise code must let its tests finish"),
                        ));
                    } else if at >= 2
                        && is_path_sep(&tokens, at - 2)
                        && !self.own_path(&tokens, at - 2)
                    {
                        found.push((
                            line,
                            format!("`{}` ends or replaces the process; exercise code must let its tests finish", path_text(&tokens, at)),
                        ));
                    } else if is_ender_method_call(&tokens, at, &bare) {
                        found.push((
                            line,
                            format!("`.{bare}()` replaces or ends the process; exercise code must let its tests finish"),
                        ));
                    }
                }
                TokenTree::Punct(p) if p.as_char() == '$' && builds_a_path(&tokens, at) => {
                    // `$a::$b::$c(0)` with `m!(std process exit)`: a path made of a macro's
                    // arguments, which no rule can read.
                    found.push((
                        p.span().start().line,
                        "a macro builds a path out of its arguments (`$a::$b`); write the path itself".to_string(),
                    ));
                }
                TokenTree::Punct(p) if p.as_char() == '*' || p.as_char() == '$' => {
                    // `process::*` imports them all; `process::$f` builds one in a macro.
                    let after_process = at >= 3
                        && is_path_sep(&tokens, at - 2)
                        && matches!(&tokens[at - 3], TokenTree::Ident(i) if unraw(i) == "process");
                    if after_process {
                        let line = p.span().start().line;
                        found.push((
                            line,
                            format!("`process::{}` reaches the functions that end the process; name what you use from `std::process`", p.as_char()),
                        ));
                    }
                }
                TokenTree::Literal(literal) if in_attribute => {
                    let text = literal.to_string();
                    if text.contains("::")
                        && text
                            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .any(|word| PROCESS_ENDERS.contains(&word))
                    {
                        let line = literal.span().start().line;
                        found.push((
                            line,
                            format!("the string {text} names a function that ends the process"),
                        ));
                    }
                }
                TokenTree::Literal(_) | TokenTree::Punct(_) => {}
            }
        }
    }

    /// Whether the path whose last `::` is at `sep` stays inside this crate: it starts with
    /// `crate`, `self`, `super` or `Self`, and goes through no `process` module on the way
    /// (names a file defines elsewhere prove nothing: a `mod std {}` buried in a function does
    /// not make `std::process::exit` the learner's own), or is `Type::name` for a type at the
    /// top of the file. `helpers::abort(404)` must be written `crate::helpers::abort(404)`, or
    /// called by its bare name after a `use crate::...`.
    fn own_path(&self, tokens: &[TokenTree], sep: usize) -> bool {
        let mut at = sep;
        loop {
            let Some(TokenTree::Ident(ident)) = at.checked_sub(1).and_then(|i| tokens.get(i))
            else {
                // `$m::exit`, `<T as X>::exit`: not a path of ours.
                return false;
            };
            let name = unraw(ident);
            if name == "process" {
                return false;
            }
            if at >= 3 && is_path_sep(tokens, at - 3) {
                at -= 3;
                continue;
            }
            // The first segment; a leading `::` makes the path external. `Job::abort` is the
            // learner's own when `Job` is a type or trait at the top of this file (such an
            // item shadows anything imported by that name) and the path has no more segments.
            let leading =
                at >= 3 && matches!(&tokens[at - 2], TokenTree::Punct(p) if p.as_char() == ':');
            let own_type = at == sep && self.types.contains(&name);
            return !leading
                && (["crate", "self", "super", "Self"].contains(&name.as_str()) || own_type);
        }
    }

    /// `m ! (...)` where `m` is a `macro_rules!` of this file, with the group at `at`.
    fn is_local_macro_call(&self, tokens: &[TokenTree], at: usize) -> bool {
        at >= 2
            && matches!(&tokens[at - 1], TokenTree::Punct(p) if p.as_char() == '!')
            && matches!(&tokens[at - 2], TokenTree::Ident(i) if self.macros.contains(&unraw(i)))
    }
}

/// `.exec()` (`CommandExt::exec` takes no argument; a learner's `db.exec(sql)` does) or
/// `.exit_process()`, with the name at `at`. `.abort()` and `.exit()` are ordinary methods
/// (a task handle's, a learner's).
fn is_ender_method_call(tokens: &[TokenTree], at: usize, name: &str) -> bool {
    let after_dot = at >= 1 && matches!(&tokens[at - 1], TokenTree::Punct(p) if p.as_char() == '.');
    let no_arguments = matches!(
        tokens.get(at + 1),
        Some(TokenTree::Group(g))
            if g.delimiter() == proc_macro2::Delimiter::Parenthesis && g.stream().is_empty()
    );
    after_dot && (name == "exit_process" || (name == "exec" && no_arguments))
}

/// `macro_rules! name { ... }`, with the group at `at`.
fn is_macro_rules_body(tokens: &[TokenTree], at: usize) -> bool {
    at >= 3
        && matches!(&tokens[at - 1], TokenTree::Ident(_))
        && matches!(&tokens[at - 2], TokenTree::Punct(p) if p.as_char() == '!')
        && matches!(&tokens[at - 3], TokenTree::Ident(i) if unraw(i) == "macro_rules")
}

/// `a::b::name` as written, for messages.
fn path_text(tokens: &[TokenTree], at: usize) -> String {
    let mut start = at;
    while start >= 3
        && is_path_sep(tokens, start - 2)
        && matches!(tokens[start - 3], TokenTree::Ident(_))
    {
        start -= 3;
    }
    tokens[start..=at]
        .iter()
        .map(ToString::to_string)
        .collect::<String>()
}

/// `extern` blocks: a foreign `_exit` (or anything else) declared under any name is a way out of
/// the process that no path shows. Exercise code has no business declaring foreign functions
/// (courses with `forbid_unsafe` refuse them anyway; this covers the others).
fn find_foreign_functions(file: &syn::File, name: &str, problems: &mut Vec<String>) {
    struct Blocks(Vec<usize>);
    impl<'ast> syn::visit::Visit<'ast> for Blocks {
        fn visit_item_foreign_mod(&mut self, block: &'ast syn::ItemForeignMod) {
            self.0.push(block.abi.extern_token.span.start().line);
        }
    }
    let mut blocks = Blocks(Vec::new());
    syn::visit::Visit::visit_file(&mut blocks, file);
    for line in blocks.0 {
        problems.push(format!(
            "{name}:{line}: an `extern` block declares foreign functions; exercise code must not call outside Rust"
        ));
    }
}

/// Bindings that bring the standard library's `process` module (or its root under another
/// name) into reach, so that a path to an ender could start anywhere: `use std::process;`,
/// `use std::process as p;`, `use std::{process}`, `use std::*;`, `use std as s;`,
/// `extern crate std as s;`, at any depth. Naming what you use (`use std::process::Command;`)
/// is fine.
fn find_process_modules(file: &syn::File, name: &str, problems: &mut Vec<String>) {
    struct Uses(Vec<(usize, String)>);
    impl<'ast> syn::visit::Visit<'ast> for Uses {
        fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
            let line = item.use_token.span.start().line;
            let roots = ["std", "core", "alloc"];
            for (bound, path) in crate::contract::assemble::use_bindings(&item.tree) {
                let module = path.last().is_some_and(|last| last == "process");
                let renamed_root =
                    path.len() == 1 && roots.contains(&path[0].as_str()) && bound != path[0];
                if module || renamed_root {
                    self.0.push((line, format!("`use {}` brings the module that ends processes into reach; name what you use from it (`use std::process::Command;`)", path.join("::"))));
                }
            }
            if let Some(root) = glob_root(&item.tree)
                && roots.contains(&root.as_str())
            {
                self.0.push((line, format!("`use {root}::*` brings the module that ends processes into reach; name what you use")));
            }
        }
        fn visit_item_extern_crate(&mut self, item: &'ast syn::ItemExternCrate) {
            if item.rename.is_some() {
                self.0.push((
                    item.extern_token.span.start().line,
                    format!(
                        "`extern crate {} as ...` renames a crate root; use it under its own name",
                        item.ident
                    ),
                ));
            }
        }
    }
    let mut uses = Uses(Vec::new());
    syn::visit::Visit::visit_file(&mut uses, file);
    for (line, what) in uses.0 {
        let problem = format!("{name}:{line}: {what}");
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}

/// `a` for `use a::*;` (a glob right below the root).
fn glob_root(tree: &syn::UseTree) -> Option<String> {
    match tree {
        syn::UseTree::Path(p) => match &*p.tree {
            syn::UseTree::Glob(_) => Some(unraw(&p.ident)),
            syn::UseTree::Group(g) => g
                .items
                .iter()
                .any(|t| matches!(t, syn::UseTree::Glob(_)))
                .then(|| unraw(&p.ident)),
            _ => None,
        },
        _ => None,
    }
}

/// `$` at `at` starts or continues a path: `::$b`, or `$a::` (not `$crate::`).
fn builds_a_path(tokens: &[TokenTree], at: usize) -> bool {
    let after_separator = at >= 2 && is_path_sep(tokens, at - 2);
    let before_separator = matches!(tokens.get(at + 1), Some(TokenTree::Ident(i)) if i != "crate")
        && is_path_sep(tokens, at + 2);
    after_separator || before_separator
}

/// Structs, enums, unions and traits at the top of a file.
fn top_level_types(file: &syn::File) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(unraw(&s.ident)),
            Item::Enum(e) => Some(unraw(&e.ident)),
            Item::Union(u) => Some(unraw(&u.ident)),
            Item::Trait(t) => Some(unraw(&t.ident)),
            _ => None,
        })
        .collect()
}

/// Names of the `macro_rules!` a file defines, at any depth, as calls write them (`r#go` is
/// called `go!`).
fn local_macros(file: &syn::File) -> Vec<String> {
    struct Macros(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Macros {
        fn visit_item_macro(&mut self, item: &'ast syn::ItemMacro) {
            if let Some(ident) = &item.ident {
                self.0.push(unraw(ident));
            }
            syn::visit::visit_item_macro(self, item);
        }
    }
    let mut macros = Macros(Vec::new());
    syn::visit::Visit::visit_file(&mut macros, file);
    macros.0
}

fn is_doc_attribute(group: &proc_macro2::Group) -> bool {
    group.delimiter() == proc_macro2::Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if unraw(&i) == "doc")
}

/// libtest's summary line, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Summary {
    ok: bool,
    passed: usize,
    failed: usize,
    filtered: usize,
}

fn summaries(output: &str) -> Vec<Summary> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("test result: ")?;
            let (result, counts) = rest.split_once(". ")?;
            let number = |label: &str| -> usize {
                counts
                    .split(';')
                    .find_map(|part| part.trim().strip_suffix(label))
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0)
            };
            Some(Summary {
                ok: result == "ok",
                passed: number(" passed"),
                failed: number(" failed"),
                filtered: number(" filtered out"),
            })
        })
        .collect()
}

/// Names of the failing tests in libtest's output (`test tests::x ... FAILED`).
pub fn failing_tests(output: &str) -> Vec<String> {
    let mut names: Vec<String> = output
        .lines()
        .filter_map(|line| {
            let (name, result) = line.strip_prefix("test ")?.split_once(" ... ")?;
            (result.trim_end() == "FAILED").then(|| name.to_string())
        })
        .collect();
    names.dedup();
    names
}

/// The verdict on a finished run of a program that printed `output`; anything but a pass
/// carries its [`Reason`] unless the failing tests say it. `selected`: the run selected this
/// program's tests out of a binary shared with others ([`super::SharedBinary`]), so theirs
/// are filtered out.
pub fn judge(
    test: bool,
    facts: &SourceFacts,
    selected: bool,
    exit: Exit,
    timeout_secs: u64,
    output: Captured,
) -> Verdict {
    let plain = output.plain();
    let (status, failing, reason) = match exit {
        Exit::TimedOut => (
            Status::TimedOut,
            Vec::new(),
            Some(Reason::TimedOut { secs: timeout_secs }),
        ),
        Exit::Code(0) if test => match summary_problem(facts, selected, &plain) {
            None => (Status::Passed, Vec::new(), None),
            Some(reason) => (Status::RunFailed, Vec::new(), Some(reason)),
        },
        Exit::Code(0) => (Status::Passed, Vec::new(), None),
        Exit::Code(_) if test => {
            let failing = failing_tests(&plain);
            if failing.is_empty() {
                (Status::RunFailed, failing, Some(Reason::EndedEarly))
            } else {
                (Status::TestsFailed, failing, None)
            }
        }
        Exit::Code(code) => (
            Status::RunFailed,
            Vec::new(),
            Some(Reason::ExitCode { code }),
        ),
        Exit::Signal(signal) => (
            Status::RunFailed,
            Vec::new(),
            Some(Reason::Signal { signal }),
        ),
    };
    Verdict {
        status,
        failing_tests: failing,
        output,
        reason,
        duration_ms: 0,
    }
}

/// Why an exit with 0 of a test program is not a pass, if it is not.
fn summary_problem(facts: &SourceFacts, selected: bool, output: &str) -> Option<Reason> {
    let found = summaries(output);
    let [summary] = found.as_slice() else {
        return Some(if found.is_empty() {
            Reason::NoSummary
        } else {
            Reason::ManySummaries { count: found.len() }
        });
    };
    if !summary.ok || summary.failed > 0 {
        return Some(Reason::FailuresWithSuccess);
    }
    if summary.filtered > 0 && !selected {
        return Some(Reason::FilteredOut {
            count: summary.filtered,
        });
    }
    match facts.tests {
        // A selection that matched nothing shows nothing about the program.
        None if selected && summary.passed == 0 => Some(Reason::NothingSelected),
        None => Some(Reason::UnknownTestCount),
        Some(expected) if summary.passed != expected => Some(Reason::TestCount {
            passed: summary.passed,
            expected,
        }),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn facts(tests: usize) -> SourceFacts {
        SourceFacts {
            tests: Some(tests),
            ..SourceFacts::default()
        }
    }

    fn inspect_source(source: &str, test: bool) -> Result<SourceFacts, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.rs");
        fs::write(&file, source).unwrap();
        inspect(&[file], test, &|_| "x.rs".to_string())
    }

    /// The first span parsed on this thread after `inspect`: where the source map starts again
    /// when `inspect` released it (`bytes(1..2)`), far beyond otherwise.
    #[test]
    fn inspecting_releases_the_threads_source_map() {
        let span = std::thread::spawn(|| {
            let big = format!("fn main() {{}}\n{}", "// padding\n".repeat(1000));
            inspect_source(&big, false).unwrap();
            let probe: proc_macro2::TokenStream = "x".parse().unwrap();
            format!("{:?}", probe.into_iter().next().unwrap().span())
        })
        .join()
        .unwrap();
        assert_eq!(span, "bytes(1..2)");
    }

    const GOOD: &str = "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n";

    #[test]
    fn a_pass_needs_exactly_one_summary_with_every_test() {
        let judge0 = |tests: usize, out: &str| {
            judge(
                true,
                &facts(tests),
                false,
                Exit::Code(0),
                1,
                Captured::new(out),
            )
            .status
        };
        assert_eq!(judge0(2, GOOD), Status::Passed);
        assert_eq!(judge0(3, GOOD), Status::RunFailed, "a test did not run");
        assert_eq!(
            judge0(2, ""),
            Status::RunFailed,
            "no summary: exit(0) in a test"
        );
        assert_eq!(
            judge0(2, &format!("{GOOD}{GOOD}")),
            Status::RunFailed,
            "a forged second summary"
        );
        let filtered = GOOD.replace("0 filtered out", "1 filtered out");
        assert_eq!(judge0(2, &filtered), Status::RunFailed);
        // Out of a shared binary, the other programs' tests are filtered out; its own must run.
        let selected = |facts: &SourceFacts, out: &str| {
            judge(true, facts, true, Exit::Code(0), 1, Captured::new(out)).status
        };
        assert_eq!(selected(&facts(2), &filtered), Status::Passed);
        assert_eq!(selected(&facts(3), &filtered), Status::RunFailed);
        let none = filtered.replace("2 passed", "0 passed");
        assert_eq!(selected(&SourceFacts::default(), &none), Status::RunFailed);
        let zero = "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(judge0(2, zero), Status::RunFailed, "tests compiled away");
        // A count nobody can read is never a pass.
        let unknown = SourceFacts::default();
        let verdict = judge(true, &unknown, false, Exit::Code(0), 1, Captured::new(GOOD));
        assert_eq!(verdict.status, Status::RunFailed);
        assert_eq!(verdict.reason, Some(Reason::UnknownTestCount));
    }

    #[test]
    fn failures_timeouts_and_signals() {
        let failed = "test tests::a ... FAILED\ntest result: FAILED. 1 passed; 1 failed;\n";
        let v = judge(
            true,
            &facts(2),
            false,
            Exit::Code(101),
            1,
            Captured::new(failed),
        );
        assert_eq!(
            (v.status, v.failing_tests),
            (Status::TestsFailed, vec!["tests::a".to_string()])
        );
        assert_eq!(
            judge(
                true,
                &facts(2),
                false,
                Exit::Code(101),
                1,
                Captured::default()
            )
            .status,
            Status::RunFailed
        );
        assert_eq!(
            judge(
                false,
                &facts(0),
                false,
                Exit::Code(3),
                1,
                Captured::default()
            )
            .status,
            Status::RunFailed
        );
        assert_eq!(
            judge(
                false,
                &facts(0),
                false,
                Exit::Code(0),
                1,
                Captured::default()
            )
            .status,
            Status::Passed
        );
        let timed = judge(
            true,
            &facts(1),
            false,
            Exit::TimedOut,
            7,
            Captured::default(),
        );
        assert_eq!(timed.status, Status::TimedOut);
        assert_eq!(timed.reason, Some(Reason::TimedOut { secs: 7 }));
        assert_eq!(
            judge(
                false,
                &facts(0),
                false,
                Exit::Signal(9),
                1,
                Captured::default()
            )
            .status,
            Status::RunFailed
        );
    }

    #[test]
    fn counts_tests_and_knows_when_it_cannot() {
        let source = "fn f() {}\n#[cfg(test)]\nmod tests {\n #[test] fn a() {}\n #[test] #[ignore] fn b() {}\n mod deeper { #[test] fn c() {} }\n}\n";
        assert_eq!(inspect_source(source, true).unwrap().tests, Some(2));
        let generated = "macro_rules! t { ($n:ident) => { #[test] fn $n() {} } }\nt!(a);\n";
        assert_eq!(inspect_source(generated, true).unwrap().tests, None);
    }

    #[test]
    fn windows_line_endings_change_nothing() {
        let source =
            "fn f() {}\n#[cfg(test)]\nmod tests {\n #[test] fn a() {}\n #[test] fn b() {}\n}\n";
        let crlf = source.replace('\n', "\r\n");
        assert_eq!(inspect_source(&crlf, true).unwrap().tests, Some(2));
        let ending = "fn main() {}\n\nfn f() { std::process::exit(0) }\n";
        assert_eq!(
            inspect_source(&ending.replace('\n', "\r\n"), true).unwrap_err(),
            inspect_source(ending, true).unwrap_err(),
            "same problems, same lines and columns"
        );
    }

    /// Red team round 6 (W3, W4): the files a program pulls in are read with its rules, a
    /// single file's and a `path` inside `cfg_attr` included.
    /// Red team round 9 (W4): the rules run in the grader's process. They follow no module
    /// out of the crate root's folder (an absolute `#[path]` made the grader read host files),
    /// and a file too large to read is refused, never skipped.
    #[test]
    fn the_rules_read_only_the_program_folder_and_refuse_what_they_cannot_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("ex")).unwrap();
        fs::write(
            root.join("outside.rs"),
            "pub fn f() { std::process::exit(0) }\n",
        )
        .unwrap();
        let outside = root.join("outside.rs").display().to_string();
        fs::write(
            root.join("ex/main.rs"),
            format!("#[path = \"{outside}\"]\nmod a;\n#[path = \"../outside.rs\"]\nmod b;\nmod big;\nfn main() {{}}\n"),
        )
        .unwrap();
        let big =
            "// padding\n".repeat((crate::contract::files::MAX_PROGRAM_FILE_BYTES / 10) as usize);
        fs::write(root.join("ex/big.rs"), big).unwrap();
        let files = source_files(&root.join("ex/main.rs"));
        assert_eq!(files, [root.join("ex/main.rs"), root.join("ex/big.rs")]);
        let problems = inspect(&files, true, &|p| p.display().to_string()).unwrap_err();
        assert!(
            problems.len() == 1 && problems[0].contains("too large for these rules"),
            "{problems:?}"
        );
    }

    #[test]
    fn every_file_a_program_pulls_in_is_read_with_its_rules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        let ender = "pub fn done() { std::process::exit(0) }\n";
        // A single-file exercise that pulls in another exercise's file (W4).
        write(
            "intro/intro2.rs",
            "#[path = \"intro1.rs\"]\nmod welcome;\nmod helpers;\nfn main() { welcome::done() }\n",
        );
        write("intro/intro1.rs", &format!("fn main() {{}}\n{ender}"));
        write("intro/helpers.rs", "pub fn h() {}\n");
        let files = source_files(&root.join("intro/intro2.rs"));
        assert_eq!(
            files,
            [
                root.join("intro/intro2.rs"),
                root.join("intro/intro1.rs"),
                root.join("intro/helpers.rs")
            ]
        );
        let problems = inspect(&files, true, &|p| {
            p.strip_prefix(root).unwrap().display().to_string()
        })
        .unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("intro/intro1.rs:") && p.contains("std::process::exit")),
            "{problems:?}"
        );
        // A folder exercise whose module file is named inside `cfg_attr` (W3).
        write(
            "server/main.rs",
            "#[cfg_attr(all(), path = \"notes.txt\")]\nmod notes;\n#[cfg_attr(any(), path = \"other.rs\")]\nmod db;\nfn main() {}\n",
        );
        write("server/notes.txt", ender);
        write("server/other.rs", "");
        write("server/db.rs", "");
        let files = source_files(&root.join("server/main.rs"));
        for file in ["server/notes.txt", "server/other.rs", "server/db.rs"] {
            assert!(files.contains(&root.join(file)), "{file}: {files:?}");
        }
        assert!(inspect(&files, true, &|p| p.display().to_string()).is_err());
        // Red team round 8 (W6): a module file declared in a function body is followed, and one
        // declared inside a macro call is refused.
        write(
            "intro/intro3.rs",
            "fn f() {\n    #[path = \"intro1.rs\"]\n    mod welcome;\n    welcome::done();\n}\n",
        );
        let files = source_files(&root.join("intro/intro3.rs"));
        assert_eq!(
            files,
            [root.join("intro/intro3.rs"), root.join("intro/intro1.rs")]
        );
        write(
            "intro/intro4.rs",
            "macro_rules! verbatim { ($($t:tt)*) => { $($t)* }; }\nverbatim! {\n    #[path = \"intro1.rs\"]\n    mod welcome;\n}\n",
        );
        let problems = inspect(&[root.join("intro/intro4.rs")], true, &|p| {
            p.strip_prefix(root).unwrap().display().to_string()
        })
        .unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with("intro/intro4.rs:4:") && p.contains("inside a macro")),
            "{problems:?}"
        );
    }

    #[test]
    fn refuses_crate_attributes_but_not_lint_levels() {
        assert!(
            inspect_source(
                "#![allow(dead_code)]\n#![doc = \"x\"]\nfn main() {}\n",
                true
            )
            .is_ok()
        );
        for attr in [
            "#![cfg(not(test))]",
            "#![no_main]",
            "#![cfg_attr(test, no_main)]",
            "#![no_std]",
        ] {
            let problems = inspect_source(&format!("{attr}\nfn main() {{}}\n"), false).unwrap_err();
            assert!(problems[0].starts_with("x.rs:1:"), "{problems:?}");
        }
    }

    #[test]
    fn refuses_ending_the_process_in_test_exercises() {
        for source in [
            "fn f() { std::process::exit(0) }",
            "use std::process::exit as quit;",
            "macro_rules! m { ($f:ident) => { std::process::$f(0) } } fn f() { m!(exit) }",
            "fn f() { std::process::r#abort() }",
            "use std::os::unix::process::CommandExt; fn f() { std::process::Command::new(\"x\").exec(); }",
            "#[derive(Serialize)] struct S { #[serde(serialize_with = \"std::process::exit\")] a: i32 }",
        ] {
            assert!(inspect_source(source, true).is_err(), "{source}");
        }
        for source in [
            "use std::process as p; fn f() { p::exit(0) }",
            "use std::process::*; fn f() { exit(0) }",
            "use std::process::{Command, exit}; fn f() { exit(0) }",
            "fn f(c: &mut std::process::Command) { std::os::unix::process::CommandExt::exec(c); }",
            "fn f(c: &mut std::process::Command) { c.exec(); }",
            "fn f() { ::std::process::abort() }",
            "mod process { pub use std::process::abort; } fn f() { process::abort() }",
            "mod m { pub use std::process as p; } fn f() { m::p::exit(0) }",
            // Decoys: names the file defines do not make a path the learner's own.
            "fn f() { std::process::exit(0) }\nfn decoys() { mod std {} fn process() {} }",
            "pub use std::process;\nfn process() {}\nfn f() { crate::process::exit(0) }",
            "use std::*;\nfn f() { process::abort() }",
            "use std as s;\nfn f() { crate::s::process::exit(0) }",
            "extern crate std as s;\nfn f() { s::process::exit(0) }",
            "use std::process::{self as p};\nfn f() { p::exit(0) }",
            "macro_rules! m { ($a:ident $b:ident $c:ident) => { $a::$b::$c(0) } } fn f() { m!(std process exit) }",
            "fn f() { std::process::ExitCode::SUCCESS.exit_process() }",
            // Red team round 2: a path built of a macro's arguments, a raw-identifier macro name,
            // a macro defined by a macro.
            "macro_rules! r#go { ($a:ident $b:ident $c:ident) => { $a::$b::$c(0) } }\nfn f() { go!(std process exit) }",
            "macro_rules! make { () => { macro_rules! go { ($a:ident $b:ident $c:ident) => { $a::$b::$c(0) } } } }\nmake!();\nfn f() { go!(std process exit) }",
            "unsafe extern \"C\" { fn _exit(code: i32) -> !; }\nfn f() { unsafe { _exit(0) } }",
            "unsafe extern \"C\" { #[link_name = \"_exit\"] fn leave(code: i32) -> !; }",
            // Red team round 5: names spelled raw are the names they spell.
            "use std::r#process as p;\nfn f() { p::r#exit(0) }",
            "use std::r#process::*;\nfn f() { exit(0) }",
            "macro_rules! r#go { ($f:ident) => { $f(0) } }\nfn f() { r#go!(exit) }",
        ] {
            assert!(inspect_source(source, true).is_err(), "{source}");
        }
        // A program graded by running `main` may end itself.
        assert!(inspect_source("fn main() { std::process::exit(0) }", false).is_ok());
        // A helper named like one is an ordinary function (Flask's `abort(404)`), and so are
        // methods of that name with arguments, and a task handle's `abort()`.
        for source in [
            "pub fn abort(status: u16) -> u16 { status }\nfn f() -> u16 { abort(404) + crate::abort(1) + self::abort(2) }",
            "mod helpers { pub fn exit(code: i32) -> i32 { code } }\nfn f() -> i32 { crate::helpers::exit(1) + self::helpers::exit(2) }",
            "mod helpers { pub fn abort(code: u16) -> u16 { code } }\nuse crate::helpers::abort;\nfn f() -> u16 { abort(404) }",
            "use std::process::Command;\nfn f() -> u32 { let _ = Command::new(\"x\"); std::process::id() }",
            "struct Db;\nimpl Db { fn exec(&self, _sql: &str) {} }\nfn f(db: &Db) { db.exec(\"SELECT 1\") }",
            "fn f(h: std::thread::JoinHandle<()>) { let _ = h.join(); }",
            "fn f(h: &Handle) { h.abort() }",
            "fn f() { println!(\"{}\", abort(3)); }",
            // A method of the learner's own type, by its type's path; a string that is prose.
            "struct Job;\nimpl Job { fn abort(&mut self) {} }\nfn f(job: &mut Job) { Job::abort(job) }",
            "const TARGET: &str = \"worker::exit\";",
            "macro_rules! log { ($($t:tt)*) => { $crate::emit(format!($($t)*)) } }",
        ] {
            assert!(inspect_source(source, true).is_ok(), "{source}");
        }
        // Words in ordinary strings are fine, and so are doc comments that name the functions.
        assert!(inspect_source("fn f() -> &'static str { \"workers exit\" }", true).is_ok());
        assert!(inspect_source("/// Never call std::process::exit here.\nfn f() {}", true).is_ok());
    }
}
