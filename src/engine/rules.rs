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

use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Attribute, Item, Meta};

use super::process::Exit;
use crate::verdict::{Captured, Reason, Status, Verdict};

/// What the source of one program declares, read before it is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFacts {
    /// `#[test]` functions that are not `#[ignore]`d: what libtest must report as passed.
    /// `None` when macros may generate tests, so the number cannot be read off the source.
    pub tests: Option<usize>,
}

/// Inner attributes exercise files may carry: lint levels and docs. Anything else changes how
/// the crate is compiled (`cfg`, `no_main`, `no_std`, `crate_type`, `feature`, ...).
const ALLOWED_INNER: &[&str] = &["allow", "warn", "deny", "forbid", "expect", "doc"];

/// Identifiers that end or replace the process. Exercise code that is graded by its tests has
/// no business calling them, and they are how a test fakes a passing run.
const PROCESS_ENDERS: &[&str] = &["exit", "abort", "exec", "_exit", "exit_process"];

/// The Rust files of a program: its crate root, plus every `.rs` file below the folder of a
/// folder exercise (`main.rs` in a folder of its own).
pub fn source_files(main_file: &Path) -> Vec<PathBuf> {
    let is_folder_exercise = main_file.file_name().is_some_and(|n| n == "main.rs");
    match main_file.parent() {
        Some(dir) if is_folder_exercise => {
            let mut files: Vec<PathBuf> = crate::fsutil::files_below(dir)
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "rs"))
                .map(|f| dir.join(f))
                .collect();
            files.sort();
            files
        }
        _ => vec![main_file.to_path_buf()],
    }
}

/// Checks the source rules on the files of one program; `shown` turns a path into what the
/// learner sees in messages. `Err` holds one line per violation.
pub fn inspect(
    files: &[PathBuf],
    test: bool,
    shown: &dyn Fn(&Path) -> String,
) -> Result<SourceFacts, Vec<String>> {
    let mut problems = Vec::new();
    let mut tests = Some(0usize);
    for path in files {
        // Unreadable or unparsable files are the compiler's to report.
        let Ok(source) = fs::read_to_string(path) else {
            continue;
        };
        let Ok(file) = syn::parse_file(&source) else {
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
            find_process_enders(&file.to_token_stream(), &name, &mut problems);
        }
        match (tests, count_tests(&file.items)) {
            (Some(sum), Some(n)) => tests = Some(sum + n),
            _ => tests = None,
        }
    }
    // Spans with locations live in a thread-local source map until released: watch's checker
    // thread would otherwise keep every version of every file it ever inspected.
    proc_macro2::extra::invalidate_current_thread_spans();
    if problems.is_empty() {
        Ok(SourceFacts { tests })
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
        .is_some_and(|ident| ALLOWED_INNER.contains(&ident.to_string().as_str()))
}

/// Every identifier, anywhere (macro bodies included, since `$name` substitution still needs the
/// identifier written somewhere), and string literals that name a path to one (`serde`'s
/// `with = "std::process::exit"`).
fn find_process_enders(tokens: &TokenStream, file: &str, problems: &mut Vec<String>) {
    for token in tokens.clone() {
        match token {
            // Doc comments (`#[doc = "..."]`) are prose, not paths.
            TokenTree::Group(group) if is_doc_attribute(&group) => {}
            TokenTree::Group(group) => find_process_enders(&group.stream(), file, problems),
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let bare = text.strip_prefix("r#").unwrap_or(&text);
                if PROCESS_ENDERS.contains(&bare) {
                    let line = ident.span().start().line;
                    problems.push(format!(
                        "{file}:{line}: `{bare}` ends or replaces the process; exercise code must let its tests finish"
                    ));
                }
            }
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if text.contains("::")
                    && text
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .any(|word| PROCESS_ENDERS.contains(&word))
                {
                    let line = literal.span().start().line;
                    problems.push(format!(
                        "{file}:{line}: the string {text} names a function that ends the process"
                    ));
                }
            }
            TokenTree::Punct(_) => {}
        }
    }
}

fn is_doc_attribute(group: &proc_macro2::Group) -> bool {
    group.delimiter() == proc_macro2::Delimiter::Bracket
        && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc")
}

/// `#[test]` functions that are not ignored, or `None` when a macro invocation among the items
/// may generate more.
fn count_tests(items: &[Item]) -> Option<usize> {
    let mut count = 0;
    for item in items {
        match item {
            Item::Fn(f) if has_attr(&f.attrs, "test") && !has_attr(&f.attrs, "ignore") => {
                count += 1;
            }
            Item::Mod(m) => {
                if let Some((_, content)) = &m.content {
                    count += count_tests(content)?;
                }
            }
            Item::Macro(m) if m.mac.tokens.to_string().contains("test") => return None,
            _ => {}
        }
    }
    Some(count)
}

fn has_attr(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
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
        Some(expected) if summary.passed != expected => Some(Reason::TestCount {
            passed: summary.passed,
            expected,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(tests: usize) -> SourceFacts {
        SourceFacts { tests: Some(tests) }
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
        assert_eq!(
            selected(&SourceFacts { tests: None }, &none),
            Status::RunFailed
        );
        let zero = "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(judge0(2, zero), Status::RunFailed, "tests compiled away");
        let unknown = SourceFacts { tests: None };
        assert_eq!(
            judge(true, &unknown, false, Exit::Code(0), 1, Captured::new(GOOD)).status,
            Status::Passed
        );
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
        // A program graded by running `main` may end itself.
        assert!(inspect_source("fn main() { std::process::exit(0) }", false).is_ok());
        // Words in ordinary strings are fine, and so are doc comments that name the functions.
        assert!(inspect_source("fn f() -> &'static str { \"workers exit\" }", true).is_ok());
        assert!(inspect_source("/// Never call std::process::exit here.\nfn f() {}", true).is_ok());
    }
}
