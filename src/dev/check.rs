//! `dev check`: validates a course and lists every problem it finds, not just the first.
//!
//! Three layers, cheapest first: the files (read leniently from `info.toml`, so they are checked
//! even when the course itself does not load), the course model and its manifest, and finally
//! one batch build of every exercise and every solution through the check engine: exercises must
//! fail as shipped, solutions must pass with clippy `-D warnings` and be rustfmt-clean.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::thread;
use std::time::Instant;

use anyhow::Result;
use console::style;

use crate::context;
use crate::course::{Course, CourseErrors, INFO_FILE};
use crate::engine::{Engine, Options};
use crate::fsutil::files_below;
use crate::manifest::{self, Sync};
use crate::report::terminal;

/// Lines of captured output shown under a problem (the first ones: compilers put the cause first).
const OUTPUT_LINES: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Severity {
    Error,
    Warning,
}

/// One thing wrong with the course, located by a path relative to the course root.
#[derive(Debug)]
struct Problem {
    severity: Severity,
    location: String,
    message: String,
    help: Option<String>,
    output: Option<String>,
}

impl Problem {
    fn error(location: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            location: slash(location.as_ref()),
            message: message.into(),
            help: None,
            output: None,
        }
    }

    fn warning(location: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(location, message)
        }
    }

    fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    fn output(mut self, output: String) -> Problem {
        self.output = Some(output);
        self
    }
}

pub fn check(root: &Path, require_solutions: bool, jobs: Option<usize>) -> Result<ExitCode> {
    let started = Instant::now();
    let mut problems = Vec::new();
    let course = match Course::load(root) {
        Ok(course) => Some(course),
        Err(errors) => {
            problems.extend(course_problems(root, &errors));
            None
        }
    };
    if let Some(listing) = Listing::read(root) {
        for top in ["exercises", "solutions"] {
            let undeclared = check_folders(root, &listing, top, &mut problems);
            check_orphans(root, &listing, top, &undeclared, &mut problems);
        }
        check_test_markers(root, &listing, &mut problems);
        check_readmes(root, &listing, &mut problems);
        check_solutions_exist(root, &listing, require_solutions, &mut problems);
    }
    let mut checked = None;
    if let Some(course) = &course {
        if check_manifest(course, &mut problems)? {
            checked = Some(check_programs(course, jobs, &mut problems)?);
        } else {
            problems.push(
                Problem::warning(
                    INFO_FILE,
                    "exercises and solutions were not built, since the manifest is not in sync",
                )
                .help("run `backendlings dev update`, then `backendlings dev check` again"),
            );
        }
    }
    print_report(&problems, checked, started.elapsed().as_secs_f64());
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn course_problems(root: &Path, errors: &CourseErrors) -> Vec<Problem> {
    errors
        .0
        .iter()
        .map(|error| {
            let mut location = slash(error.file.strip_prefix(root).unwrap_or(&error.file));
            if let Some(line) = error.line {
                let _ = write!(location, ":{line}");
                if let Some(column) = error.column {
                    let _ = write!(location, ":{column}");
                }
            }
            Problem {
                severity: Severity::Error,
                location,
                message: error.message.clone(),
                help: error.help.clone(),
                output: None,
            }
        })
        .collect()
}

// ---- files ----

/// What `info.toml` declares, read leniently: entries that are malformed are skipped (loading
/// the course reports them), so the file checks still run on everything else.
struct Listing {
    /// Whether `info.toml` has `[[sections]]` (this runner's format) or not (rustlings').
    explicit_sections: bool,
    /// Every section folder: declared ones and those exercises name.
    section_dirs: BTreeSet<String>,
    exercises: Vec<Listed>,
}

struct Listed {
    name: String,
    /// Empty when the exercise sits directly in `exercises/`.
    dir: String,
    test: bool,
}

impl Listed {
    /// The exercise's one-file path and its folder path below `top` (`exercises`/`solutions`).
    fn paths(&self, top: &str) -> (PathBuf, PathBuf) {
        let mut base = PathBuf::from(top);
        if !self.dir.is_empty() {
            base.push(&self.dir);
        }
        (
            base.join(format!("{}.rs", self.name)),
            base.join(&self.name),
        )
    }

    /// The `.rs` files of the exercise (or its solution) that exist, relative to the root.
    fn rust_files(&self, root: &Path, top: &str) -> Vec<PathBuf> {
        let (file, folder) = self.paths(top);
        if root.join(&file).is_file() {
            return vec![file];
        }
        files_below(&root.join(&folder))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .map(|p| folder.join(p))
            .collect()
    }
}

impl Listing {
    fn read(root: &Path) -> Option<Listing> {
        let text = fs::read_to_string(root.join(INFO_FILE)).ok()?;
        let table: toml::Table = text.parse().ok()?;
        let array = |key: &str| {
            table
                .get(key)
                .and_then(toml::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(toml::Value::as_table)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let sections = array("sections");
        let mut section_dirs: BTreeSet<String> = sections
            .iter()
            .filter_map(|s| s.get("dir")?.as_str())
            .filter(|d| is_plain_name(d))
            .map(str::to_string)
            .collect();
        let exercises: Vec<Listed> = array("exercises")
            .iter()
            .filter_map(|e| {
                let name = e.get("name")?.as_str()?;
                let dir = match e.get("dir") {
                    None => "",
                    Some(dir) => dir.as_str().filter(|d| is_plain_name(d))?,
                };
                is_plain_name(name).then(|| Listed {
                    name: name.to_string(),
                    dir: dir.to_string(),
                    test: e.get("test").and_then(toml::Value::as_bool).unwrap_or(true),
                })
            })
            .collect();
        section_dirs.extend(
            exercises
                .iter()
                .filter(|e| !e.dir.is_empty())
                .map(|e| e.dir.clone()),
        );
        Some(Listing {
            explicit_sections: !sections.is_empty(),
            section_dirs,
            exercises,
        })
    }
}

/// A name that is safe to join to a path: one non-empty component, no dots-only names.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != ".."
}

/// Every folder in `exercises/` (and `solutions/`) is a section, or a multi-file exercise
/// without a section. Returns the folders that are not, whose files need no report of their own.
fn check_folders(
    root: &Path,
    listing: &Listing,
    top: &str,
    problems: &mut Vec<Problem>,
) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(root.join(top)) else {
        // A course without solutions is allowed (`--require-solutions` reports each one).
        if top == "exercises" {
            problems.push(
                Problem::error(top, "the exercises folder is missing")
                    .help("create it; every exercise lives below it"),
            );
        }
        return Vec::new();
    };
    let mut undeclared: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            !listing.section_dirs.contains(name)
                && !listing
                    .exercises
                    .iter()
                    .any(|e| e.dir.is_empty() && &e.name == name)
        })
        .collect();
    undeclared.sort();
    let help = |name: &str| {
        if top == "solutions" {
            "solutions mirror the exercises' folders: rename it to match a section, or remove it"
                .to_string()
        } else if listing.explicit_sections {
            format!(
                "declare it with [[sections]] dir = \"{name}\" and give its exercises dir = \"{name}\", or remove it"
            )
        } else {
            format!("give its exercises dir = \"{name}\" in info.toml, or remove it")
        }
    };
    undeclared
        .into_iter()
        .map(|name| {
            let folder = Path::new(top).join(&name);
            problems.push(
                Problem::error(&folder, "this folder is not a section of the course")
                    .help(help(&name)),
            );
            folder
        })
        .collect()
}

/// Every `.rs` file below `top` belongs to an exercise of `info.toml`.
fn check_orphans(
    root: &Path,
    listing: &Listing,
    top: &str,
    reported: &[PathBuf],
    problems: &mut Vec<Problem>,
) {
    let owners: Vec<(PathBuf, PathBuf)> = listing.exercises.iter().map(|e| e.paths(top)).collect();
    for rel in files_below(&root.join(top)) {
        let path = Path::new(top).join(&rel);
        if path.extension().is_none_or(|e| e != "rs")
            || reported.iter().any(|f| path.starts_with(f))
        {
            continue;
        }
        let owned = owners
            .iter()
            .any(|(file, folder)| path == *file || path.starts_with(folder));
        if !owned {
            let help = if top == "exercises" {
                "add an [[exercises]] entry for it in info.toml, or delete it"
            } else {
                "no exercise in info.toml has this path: rename the solution to match its exercise, or delete it"
            };
            problems.push(
                Problem::error(&path, "this file is not part of any exercise in info.toml")
                    .help(help),
            );
        }
    }
}

/// `test = true` exercises have tests to run; `test = false` ones have none that would be
/// silently ignored. Solutions are held to the same rule.
fn check_test_markers(root: &Path, listing: &Listing, problems: &mut Vec<Problem>) {
    for exercise in &listing.exercises {
        for top in ["exercises", "solutions"] {
            let files = exercise.rust_files(root, top);
            let Some(first) = files.first() else { continue };
            let has_tests = files.iter().any(|f| {
                fs::read_to_string(root.join(f)).is_ok_and(|text| has_test_attribute(&text))
            });
            let location = if files.len() == 1 {
                first.clone()
            } else {
                exercise.paths(top).1
            };
            if exercise.test && !has_tests {
                problems.push(
                    Problem::error(
                        location,
                        format!("`{}` has test = true but no #[test]", exercise.name),
                    )
                    .help("add tests for the runner to run, or set test = false to grade it by running main"),
                );
            } else if !exercise.test && has_tests {
                problems.push(
                    Problem::error(
                        location,
                        format!(
                            "`{}` has test = false but contains #[test]s, which would never run",
                            exercise.name
                        ),
                    )
                    .help("remove the tests, or set test = true (the default) to run them"),
                );
            }
        }
    }
}

/// `#[test]`, or an attribute of a test framework such as `#[tokio::test]`.
fn has_test_attribute(source: &str) -> bool {
    source.contains("#[test]") || source.contains("::test]") || source.contains("::test(")
}

/// Every section folder introduces itself in a README.md. Required when the course declares
/// `[[sections]]`; only suggested for rustlings-format courses, which never required one.
fn check_readmes(root: &Path, listing: &Listing, problems: &mut Vec<Problem>) {
    for dir in &listing.section_dirs {
        let folder = Path::new("exercises").join(dir);
        let readme = folder.join("README.md");
        if !root.join(&folder).is_dir() || root.join(&readme).is_file() {
            continue;
        }
        let problem = if listing.explicit_sections {
            Problem::error(&readme, "the section has no README.md")
        } else {
            Problem::warning(&readme, "the section has no README.md")
        };
        problems.push(
            problem.help(
                "write a short introduction: what the section teaches and where to read more",
            ),
        );
    }
}

fn check_solutions_exist(
    root: &Path,
    listing: &Listing,
    require_solutions: bool,
    problems: &mut Vec<Problem>,
) {
    let missing: Vec<&Listed> = listing
        .exercises
        .iter()
        .filter(|e| {
            let (file, folder) = e.paths("solutions");
            !root.join(file).is_file() && !root.join(folder).join("main.rs").is_file()
        })
        .collect();
    if require_solutions {
        for exercise in missing {
            let (file, _) = exercise.paths("solutions");
            problems.push(
                Problem::error(file, format!("`{}` has no solution", exercise.name))
                    .help("write one (same path as the exercise, under solutions/)"),
            );
        }
    } else if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|e| e.name.as_str()).collect();
        problems.push(
            Problem::warning(
                "solutions",
                format!(
                    "{} exercises have no solution, so nothing shows they can be solved: {}",
                    names.len(),
                    names.join(", ")
                ),
            )
            .help("`dev check --require-solutions` makes this an error"),
        );
    }
}

// ---- the manifest ----

/// Whether the manifest is in sync with `info.toml` (problems are pushed when not).
fn check_manifest(course: &Course, problems: &mut Vec<Problem>) -> Result<bool> {
    let path = manifest::manifest_path(&course.root);
    let location = path
        .strip_prefix(&course.root)
        .unwrap_or(&path)
        .to_path_buf();
    let state = match manifest::sync_state(course) {
        Ok(state) => state,
        Err(err) => {
            problems.push(Problem::error(&location, format!("{err:#}")));
            return Ok(false);
        }
    };
    let message = match state {
        Sync::InSync => return Ok(true),
        Sync::Missing => "the exercise package's manifest is missing",
        Sync::OutOfDate => "the `bin` list does not match the exercises of info.toml",
        Sync::MissingSolutions => "the `bin` list lacks some solutions",
    };
    problems.push(
        Problem::error(location, message)
            .help("run `backendlings dev update` to regenerate it (the rest of the file is kept)"),
    );
    Ok(false)
}

// ---- building and running ----

/// What one program of the batch is checked for.
#[derive(Clone, Copy)]
enum Role {
    /// An exercise as shipped: it must fail.
    Unsolved(usize),
    /// A solution: it must pass, clippy-clean.
    Solution(usize),
}

/// Builds every exercise and solution in one batch and checks each against its role. Returns
/// the number of programs checked.
fn check_programs(
    course: &Course,
    jobs: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Result<usize> {
    let mut batch = course.clone();
    batch.exercises.clear();
    let mut roles = Vec::new();
    for (index, exercise) in course.exercises.iter().enumerate() {
        if !exercise.skip_check_unsolved {
            batch.exercises.push(exercise.clone());
            roles.push(Role::Unsolved(index));
        }
    }
    let mut solution_files = Vec::new();
    for (index, exercise) in course.exercises.iter().enumerate() {
        let main = exercise.rel_solution_main_file();
        if course.root.join(&main).is_file() {
            let mut solution = exercise.clone();
            solution.name = exercise.solution_bin_name();
            solution.strict_clippy = true;
            batch.exercises.push(solution);
            roles.push(Role::Solution(index));
            solution_files.push((index, main));
        }
    }
    if batch.exercises.is_empty() {
        return Ok(0);
    }

    let mut options = Options::default();
    if let Some(jobs) = jobs {
        options.jobs = jobs.max(1);
    }
    let mut engine = Engine::new(&batch, Box::new(context::cargo_for(course)), options, None);
    let all: Vec<usize> = (0..batch.exercises.len()).collect();
    let edition = manifest_edition(course);
    // rustfmt needs no build: it runs while cargo works.
    let (verdicts, formatting) = thread::scope(|scope| {
        let formatting = scope.spawn(|| rustfmt_check(&course.root, &solution_files, &edition));
        let mut bar = terminal::BuildBar::new(all.len(), true);
        let verdicts = engine.check(&all, &mut |event| bar.on_event(&event));
        bar.finish();
        (verdicts, formatting.join())
    });
    let verdicts = verdicts?;

    for (role, verdict) in roles.iter().zip(&verdicts) {
        match *role {
            Role::Unsolved(index) if verdict.status.is_pass() => {
                let exercise = &course.exercises[index];
                problems.push(
                    Problem::error(
                        exercise.rel_path(),
                        format!("`{}` passes as shipped: there is nothing to fix", exercise.name),
                    )
                    .help("break it so the learner has something to do, or set skip_check_unsolved = true"),
                );
            }
            Role::Solution(index) if !verdict.status.is_pass() => {
                let exercise = &course.exercises[index];
                problems.push(
                    Problem::error(
                        exercise.rel_solution_path(),
                        format!(
                            "the solution of `{}` does not pass: {}",
                            exercise.name,
                            verdict.status.label()
                        ),
                    )
                    .output(terminal::output_text(verdict)),
                );
            }
            _ => {}
        }
    }
    match formatting {
        Ok(Formatting::Checked(unformatted)) => {
            for index in unformatted {
                let exercise = &course.exercises[index];
                problems.push(
                    Problem::error(
                        exercise.rel_solution_path(),
                        format!("the solution of `{}` is not rustfmt-clean", exercise.name),
                    )
                    .help(format!(
                        "run `rustfmt --edition {edition} {}`",
                        slash(&exercise.rel_solution_main_file())
                    )),
                );
            }
        }
        Ok(Formatting::Unavailable(why)) => problems.push(
            Problem::warning("solutions", format!("formatting was not checked: {why}"))
                .help("install it with `rustup component add rustfmt`"),
        ),
        Ok(Formatting::Failed(output)) => problems.push(
            Problem::error("solutions", "rustfmt could not check the solutions").output(output),
        ),
        Err(_) => problems.push(Problem::error(
            "solutions",
            "the formatting check stopped unexpectedly",
        )),
    }
    Ok(batch.exercises.len())
}

/// The edition the exercise package compiles with, which rustfmt must parse with too
/// (cargo's default is 2015 when the manifest names none).
fn manifest_edition(course: &Course) -> String {
    fs::read_to_string(manifest::manifest_path(&course.root))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            table
                .get("package")?
                .get("edition")?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "2015".to_string())
}

enum Formatting {
    /// Indices of the exercises whose solution rustfmt would change.
    Checked(BTreeSet<usize>),
    Unavailable(String),
    Failed(String),
}

/// Runs `rustfmt --check` once over every solution (`(exercise index, crate root)`).
fn rustfmt_check(root: &Path, solutions: &[(usize, PathBuf)], edition: &str) -> Formatting {
    if solutions.is_empty() {
        return Formatting::Checked(BTreeSet::new());
    }
    let output = Command::new(std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into()))
        .args(["--check", "--edition", edition, "--"])
        .args(solutions.iter().map(|(_, main)| root.join(main)))
        .current_dir(root)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Formatting::Unavailable("rustfmt is not installed".into());
        }
        Err(err) => return Formatting::Unavailable(format!("cannot run rustfmt: {err}")),
    };
    if output.status.success() {
        return Formatting::Checked(BTreeSet::new());
    }
    // `Diff in /path/to/file.rs:12:` (older rustfmt: `Diff in /path/to/file.rs at line 12:`).
    let stdout = String::from_utf8_lossy(&output.stdout);
    let changed: Vec<PathBuf> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("Diff in "))
        .filter_map(|rest| rest.find(".rs").map(|end| PathBuf::from(&rest[..end + 3])))
        .map(|path| {
            path.strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(path)
        })
        .collect();
    let unformatted: BTreeSet<usize> = solutions
        .iter()
        .filter(|(_, main)| {
            // A multi-file solution owns every file of its folder.
            let owner = if main.ends_with("main.rs") {
                main.parent().unwrap_or(main)
            } else {
                main.as_path()
            };
            changed.iter().any(|c| c.starts_with(owner))
        })
        .map(|(index, _)| *index)
        .collect();
    if unformatted.is_empty() {
        Formatting::Failed(String::from_utf8_lossy(&output.stderr).into_owned())
    } else {
        Formatting::Checked(unformatted)
    }
}

// ---- the report ----

fn print_report(problems: &[Problem], checked: Option<usize>, seconds: f64) {
    for problem in problems {
        let label = match problem.severity {
            Severity::Error => style("error:").red().bold(),
            Severity::Warning => style("warning:").yellow().bold(),
        };
        println!("{label} {}: {}", problem.location, problem.message);
        if let Some(help) = &problem.help {
            println!("  {} {help}", style("help:").cyan());
        }
        if let Some(output) = &problem.output {
            let lines: Vec<&str> = output.lines().collect();
            for line in lines.iter().take(OUTPUT_LINES) {
                println!("  | {line}");
            }
            if lines.len() > OUTPUT_LINES {
                println!("  | ... ({} more lines)", lines.len() - OUTPUT_LINES);
            }
        }
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let built = match checked {
        Some(n) => format!("{n} programs built and checked"),
        None => "nothing built".to_string(),
    };
    if !problems.is_empty() {
        println!();
    }
    if errors == 0 {
        println!(
            "{} the course is fine ({built}, {warnings} warnings, {seconds:.1} s)",
            style("✓").green().bold()
        );
    } else {
        println!(
            "{} {errors} errors, {warnings} warnings ({built}, {seconds:.1} s)",
            style("✗").red().bold()
        );
    }
}

/// A relative path with `/` separators, as in `info.toml` and the manifest.
fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_attributes_of_frameworks_count() {
        assert!(has_test_attribute("#[test]\nfn a() {}"));
        assert!(has_test_attribute("#[tokio::test]\nasync fn a() {}"));
        assert!(has_test_attribute(
            "#[tokio::test(flavor = \"multi_thread\")]"
        ));
        assert!(!has_test_attribute("fn main() {}"));
    }

    #[test]
    fn unsafe_names_are_not_joined_to_paths() {
        for name in ["", ".", "..", "a/b", "a\\b"] {
            assert!(!is_plain_name(name), "{name:?}");
        }
        assert!(is_plain_name("intro1"));
    }
}
