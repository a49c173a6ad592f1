//! Mutants: known-wrong solutions that an exercise's tests must reject.
//!
//! A mutant is a few find-and-replace edits of the reference solution, declared in
//! `solutions/<dir>/<name>.mutants.toml` with a one-line label saying what it gets wrong.
//! Edits are text, not a patch: a patch breaks whenever a neighbouring line of the solution
//! changes, while a `find` that must occur exactly once keeps working until the very code it
//! names changes, and then says so.
//!
//! The same file lists the generated mutants (`dev check --mutate`, see `operators`) that no
//! test can kill because they do not change what the program does, each with its reason:
//!
//! ```toml
//! [[equivalent]]
//! mutant = "Cache::get: replace < with <= in age < self.ttl"   # the id `--mutate` prints
//! reason = "age is whole seconds and ttl is never reached exactly: the same answer"
//! ```
//!
//! Each mutant becomes a program of the `dev check` batch: the edited solution with the
//! exercise's own test modules assembled in, exactly as `grade` assembles a learner's file,
//! so a mutant is judged by the tests learners are graded with, not by the solution's copy.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use toml::Spanned;

use super::problem::{Problem, slash};
use crate::context::TARGET_SUBDIR;
use crate::contract::assemble;
use crate::course::{Course, Exercise, Language, Shape, line_column};
use crate::fsutil::{files_below, write_atomic};

/// How a mutants file name ends, next to the solution it edits.
const SUFFIX: &str = ".mutants.toml";

/// Where the programs of the batch that are not course files are written, below the course.
const PROGRAMS_DIR: &str = "mutants";

// ---- the file format ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    mutant: Vec<Spanned<RawMutant>>,
    #[serde(default)]
    equivalent: Vec<Spanned<RawEquivalent>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEquivalent {
    mutant: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMutant {
    label: Option<Spanned<String>>,
    #[serde(default)]
    edit: Vec<RawEdit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdit {
    file: Option<Spanned<String>>,
    find: Spanned<String>,
    replace: String,
}

// ---- the model ----

/// One valid mutant: its edits applied to the solution.
#[derive(Debug, Clone)]
pub(super) struct Mutant {
    pub(super) label: String,
    /// `solutions/.../<name>.mutants.toml:LINE`, where the mutant is declared.
    pub(super) location: String,
    /// The solution files it changes, with their new content, relative to the solution's
    /// folder (the section folder for a one-file exercise).
    changed: BTreeMap<PathBuf, String>,
}

impl Mutant {
    /// A generated mutant of the solution: `file` (relative to the solution's folder, as
    /// `changed`'s keys are) becomes `source`; `location` is the changed line in the solution.
    pub(super) fn generated(id: String, location: String, file: PathBuf, source: String) -> Mutant {
        Mutant {
            label: id,
            location,
            changed: BTreeMap::from([(file, source)]),
        }
    }

    /// Several files changed at once (the baseline of a folder exercise: every file printed).
    pub(super) fn with_files(label: String, changed: BTreeMap<PathBuf, String>) -> Mutant {
        Mutant {
            location: label.clone(),
            label,
            changed,
        }
    }
}

/// A generated mutant that no test can kill, declared as `[[equivalent]]`.
#[derive(Debug, Clone)]
pub(super) struct Equivalent {
    /// The generated mutant's id.
    pub(super) id: String,
    pub(super) reason: String,
    /// `solutions/.../<name>.mutants.toml:LINE:COLUMN` of its `mutant` key.
    pub(super) location: String,
}

/// The valid mutants of one exercise, and its equivalent generated mutants.
#[derive(Debug)]
pub(super) struct ExerciseMutants {
    pub(super) exercise: usize,
    pub(super) mutants: Vec<Mutant>,
    pub(super) equivalents: Vec<Equivalent>,
}

/// The mutants file of `exercise`, relative to the course root (it may not exist).
pub(super) fn rel_mutants_file(exercise: &Exercise) -> PathBuf {
    let mut path = PathBuf::from("solutions");
    if !exercise.dir.is_empty() {
        path.push(&exercise.dir);
    }
    path.push(format!("{}{SUFFIX}", exercise.name));
    path
}

/// Loads and validates the mutants of every exercise, pushing a problem for each breach of the
/// format, for mutants files that belong to no exercise, and (with `require`) for graded
/// exercises with fewer than `require` valid mutants. Exercises without mutants are left out.
pub(super) fn load_all(
    course: &Course,
    require: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Vec<ExerciseMutants> {
    check_orphans(course, problems);
    let mut all = Vec::new();
    for (index, exercise) in course.exercises.iter().enumerate() {
        let (mutants, equivalents) = load(course, exercise, problems);
        if let Some(required) = require
            && exercise.test
            && mutants.len() < required
        {
            let file = rel_mutants_file(exercise);
            let has = match mutants.len() {
                _ if !course.root.join(&file).is_file() => "no mutants file".to_string(),
                1 => "1 valid mutant".to_string(),
                n => format!("{n} valid mutants"),
            };
            problems.push(
                Problem::error(
                    &file,
                    format!(
                        "`{}` has {has}; --require-mutants asks for {required}",
                        exercise.name
                    ),
                )
                .help(format!(
                    "add [[mutant]]s to {}: wrong solutions a learner might write, which the tests must reject",
                    slash(&file)
                )),
            );
        }
        if !mutants.is_empty() || !equivalents.is_empty() {
            all.push(ExerciseMutants {
                exercise: index,
                mutants,
                equivalents,
            });
        }
    }
    all
}

/// Mutants files below `solutions/` that no exercise owns (a renamed exercise, a typo).
fn check_orphans(course: &Course, problems: &mut Vec<Problem>) {
    let owned: BTreeSet<PathBuf> = course.exercises.iter().map(rel_mutants_file).collect();
    for rel in files_below(&course.root.join("solutions")) {
        let path = Path::new("solutions").join(&rel);
        let is_mutants = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with(SUFFIX));
        if is_mutants && !owned.contains(&path) {
            problems.push(
                Problem::error(
                    &path,
                    "this mutants file belongs to no exercise in info.toml",
                )
                .help("name it <exercise name>.mutants.toml, next to the exercise's solution"),
            );
        }
    }
}

/// The valid mutants and equivalents of `exercise`; a problem for each invalid one.
fn load(
    course: &Course,
    exercise: &Exercise,
    problems: &mut Vec<Problem>,
) -> (Vec<Mutant>, Vec<Equivalent>) {
    let rel = rel_mutants_file(exercise);
    let shown = slash(&rel);
    let text = match fs::read_to_string(course.root.join(&rel)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Default::default(),
        Err(err) => {
            problems.push(Problem::error(&rel, format!("cannot read it: {err}")));
            return Default::default();
        }
    };
    let raw: RawFile = match toml::from_str(&text) {
        Ok(raw) => raw,
        Err(err) => {
            let location = match err.span() {
                Some(span) => at(&shown, &text, span.start),
                None => shown,
            };
            problems.push(
                Problem::error(location, err.message().trim().to_string())
                    .help("each [[mutant]] has a `label` and [[mutant.edit]]s with `find`, `replace` (and `file` for folder exercises); each [[equivalent]] a `mutant` and a `reason`"),
            );
            return Default::default();
        }
    };
    let equivalents = equivalents(&shown, &text, &raw.equivalent, problems);
    if !course
        .root
        .join(exercise.rel_solution_main_file())
        .is_file()
    {
        problems.push(
            Problem::error(
                &rel,
                format!(
                    "`{}` has mutants but no solution to apply them to",
                    exercise.name
                ),
            )
            .help(format!(
                "write the solution {} first",
                slash(&exercise.rel_solution_path())
            )),
        );
        return (Vec::new(), equivalents);
    }

    let solution = SolutionFiles::new(course, exercise);
    let mut mutants: Vec<Mutant> = Vec::new();
    for raw_mutant in &raw.mutant {
        let mutant_at = at(&shown, &text, raw_mutant.span().start);
        match validate(&solution, &shown, &text, raw_mutant.get_ref(), &mutant_at) {
            Ok(mutant) => {
                if mutants.iter().any(|m| m.label == mutant.label) {
                    problems.push(
                        Problem::error(
                            &mutant.location,
                            format!("two mutants have the label \"{}\"", mutant.label),
                        )
                        .help("each label says what its wrong solution gets wrong, so no two are the same"),
                    );
                } else {
                    mutants.push(mutant);
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    (mutants, equivalents)
}

/// The valid `[[equivalent]]`s of a mutants file; a problem for each invalid one.
fn equivalents(
    shown: &str,
    text: &str,
    raw: &[Spanned<RawEquivalent>],
    problems: &mut Vec<Problem>,
) -> Vec<Equivalent> {
    let mut valid: Vec<Equivalent> = Vec::new();
    for entry in raw {
        let entry_at = at(shown, text, entry.span().start);
        let Some(id) = entry
            .get_ref()
            .mutant
            .as_ref()
            .filter(|m| !m.get_ref().trim().is_empty())
        else {
            problems.push(
                Problem::error(&entry_at, "this [[equivalent]] names no `mutant`")
                    .help("copy the generated mutant's id from the report of `dev check --mutate`"),
            );
            continue;
        };
        let location = at(shown, text, id.span().start);
        let id = id.get_ref().trim().to_string();
        let reason = entry
            .get_ref()
            .reason
            .as_ref()
            .map(|r| r.get_ref().trim().to_string())
            .unwrap_or_default();
        let why = "say in one line why no test can tell it from the solution";
        if reason.is_empty() || reason.contains('\n') {
            let what = if reason.is_empty() {
                "has no `reason`"
            } else {
                "has a `reason` of more than one line"
            };
            problems.push(
                Problem::error(&location, format!("equivalent mutant \"{id}\" {what}")).help(why),
            );
            continue;
        }
        if valid.iter().any(|e| e.id == id) {
            problems.push(
                Problem::error(
                    &location,
                    format!("mutant \"{id}\" is listed as equivalent twice"),
                )
                .help("remove one of them"),
            );
            continue;
        }
        valid.push(Equivalent {
            id,
            reason,
            location,
        });
    }
    valid
}

/// `file:line:column` of a byte offset of `text`.
fn at(file: &str, text: &str, offset: usize) -> String {
    let (line, column) = line_column(text, offset);
    format!("{file}:{line}:{column}")
}

/// The solution's files as the edits see them, read once.
struct SolutionFiles {
    shape: Shape,
    /// The folder that `file` is relative to (the section folder for a one-file exercise).
    base: PathBuf,
    /// `base`, relative to the course root.
    rel_base: PathBuf,
    /// The one file a one-file exercise's edits apply to, relative to `base`.
    single: PathBuf,
    /// The exercise's test module files (folder exercises), relative to `base`.
    test_files: Vec<PathBuf>,
    /// The file a folder exercise starts from (`main.rs`, `__init__.py`), for help texts.
    folder_main: &'static str,
}

impl SolutionFiles {
    fn new(course: &Course, exercise: &Exercise) -> SolutionFiles {
        let (rel_base, single, test_files) = match exercise.shape {
            Shape::File => (
                exercise
                    .rel_solution_path()
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                PathBuf::from(format!(
                    "{}.{}",
                    exercise.name,
                    exercise.language.extension()
                )),
                Vec::new(),
            ),
            // A Python package's tests are the course's test file beside it, never its modules.
            Shape::Dir if exercise.language == Language::Python => {
                (exercise.rel_solution_path(), PathBuf::new(), Vec::new())
            }
            Shape::Dir => (
                exercise.rel_solution_path(),
                PathBuf::new(),
                crate::contract::exercise::canonical_test_files(
                    &course.root.join(exercise.rel_path()),
                ),
            ),
        };
        SolutionFiles {
            shape: exercise.shape,
            base: course.root.join(&rel_base),
            rel_base,
            single,
            test_files,
            folder_main: exercise.language.folder_main(),
        }
    }

    fn read(&self, rel: &Path) -> Option<String> {
        fs::read_to_string(self.base.join(rel)).ok()
    }
}

/// The solution's files that mutants may change (its test modules are the exercise's), with
/// their paths relative to the solution's folder (the section folder for a one-file exercise).
pub(super) fn solution_sources(course: &Course, exercise: &Exercise) -> Vec<(PathBuf, String)> {
    let solution = SolutionFiles::new(course, exercise);
    let files = match solution.shape {
        Shape::File => vec![solution.single.clone()],
        // A package's modules sit directly in its folder (the toolchain copies nothing else).
        Shape::Dir if exercise.language == Language::Python => files_below(&solution.base)
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "py"))
            .filter(|f| f.components().count() == 1)
            .collect(),
        Shape::Dir => files_below(&solution.base)
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rs"))
            .filter(|f| !solution.test_files.contains(f))
            .collect(),
    };
    files
        .into_iter()
        .filter_map(|file| Some((file.clone(), solution.read(&file)?)))
        .collect()
}

/// Checks one mutant (declared at `mutant_at`) against the format's rules and applies its edits.
fn validate(
    solution: &SolutionFiles,
    shown: &str,
    text: &str,
    raw: &RawMutant,
    mutant_at: &str,
) -> Result<Mutant, Problem> {
    let one_line = "say in one line what this wrong solution gets wrong";
    let Some(label) = &raw.label else {
        return Err(Problem::error(mutant_at, "this mutant has no `label`")
            .help(format!("add label = \"...\": {one_line}")));
    };
    let location = at(shown, text, label.span().start);
    let name = label.get_ref().trim();
    if name.is_empty() {
        return Err(Problem::error(&location, "this mutant's `label` is empty").help(one_line));
    }
    if name.contains('\n') {
        let first = name.lines().next().unwrap_or_default();
        return Err(Problem::error(
            &location,
            format!("mutant \"{first}\": the label is more than one line"),
        )
        .help(one_line));
    }
    let says = |message: &str| format!("mutant \"{name}\": {message}");
    if raw.edit.is_empty() {
        return Err(Problem::error(&location, says("it has no [[mutant.edit]]"))
            .help("add [[mutant.edit]] with `find` and `replace` below the label"));
    }

    let mut changed: BTreeMap<PathBuf, String> = BTreeMap::new();
    for edit in &raw.edit {
        let find_at = at(shown, text, edit.find.span().start);
        let file = edit_file(solution, edit, shown, text, &says)?;
        let current = match changed.get(&file) {
            Some(current) => current.clone(),
            None => solution.read(&file).ok_or_else(|| {
                Problem::error(
                    &find_at,
                    says(&format!(
                        "cannot read {}",
                        slash(&solution.rel_base.join(&file))
                    )),
                )
            })?,
        };
        let find = edit.find.get_ref();
        if find.is_empty() {
            return Err(Problem::error(&find_at, says("`find` is empty"))
                .help("copy the text to replace from the solution"));
        }
        match occurrences(&current, find) {
            1 => {}
            0 => {
                return Err(Problem::error(
                    &find_at,
                    says(&format!(
                        "`find` does not occur in {} (as the previous edits left it)",
                        slash(&file)
                    )),
                )
                .help("copy it from the solution exactly: spaces and line breaks count"));
            }
            n => {
                return Err(Problem::error(
                    &find_at,
                    says(&format!(
                        "`find` occurs {n} times in {} (as the previous edits left it); it must occur once",
                        slash(&file)
                    )),
                )
                .help("add some of the surrounding text until it occurs only once"));
            }
        }
        let edited = current.replacen(find, &edit.replace, 1);
        changed.insert(file, edited);
    }

    let mut any_change = false;
    for (file, edited) in &changed {
        let original = solution.read(file).unwrap_or_default();
        any_change |= *edited != original;
        let is_rust = file.extension().is_some_and(|e| e == "rs");
        if is_rust && assemble::assemble(edited, &original, &[]).is_ok_and(|a| a.tests_modified) {
            return Err(Problem::error(
                &location,
                says(&format!(
                    "its edits change the test module of {}",
                    slash(file)
                )),
            )
            .help(
                "edit the solution's code only: mutants are judged by the exercise's own tests",
            ));
        }
    }
    if !any_change {
        return Err(
            Problem::error(&location, says("its edits leave the solution unchanged"))
                .help("make `replace` differ from `find`"),
        );
    }
    Ok(Mutant {
        label: name.to_string(),
        location,
        changed,
    })
}

/// The file an edit applies to, relative to the solution's folder.
fn edit_file(
    solution: &SolutionFiles,
    edit: &RawEdit,
    shown: &str,
    text: &str,
    says: &dyn Fn(&str) -> String,
) -> Result<PathBuf, Problem> {
    let file = match (solution.shape, &edit.file) {
        (Shape::File, None) => return Ok(solution.single.clone()),
        (Shape::File, Some(file)) => {
            return Err(Problem::error(
                at(shown, text, file.span().start),
                says("`file` is only for folder exercises"),
            )
            .help("remove it: the edit applies to the solution file"));
        }
        (Shape::Dir, None) => {
            return Err(Problem::error(
                at(shown, text, edit.find.span().start),
                says("this is a folder exercise: the edit needs a `file`"),
            )
            .help(format!(
                "add file = \"{}\" (or another file, relative to the solution's folder)",
                solution.folder_main
            )));
        }
        (Shape::Dir, Some(file)) => file,
    };
    let file_at = at(shown, text, file.span().start);
    let path = Path::new(file.get_ref());
    let plain =
        !file.get_ref().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(Problem::error(
            &file_at,
            says(&format!(
                "`file` {:?} is not a path inside the solution's folder",
                file.get_ref()
            )),
        )
        .help(format!(
            "name a file relative to the solution's folder, e.g. \"{}\"",
            solution.folder_main
        )));
    }
    if !solution.base.join(path).is_file() {
        return Err(Problem::error(
            &file_at,
            says(&format!(
                "`file` {} is not a file of the solution",
                file.get_ref()
            )),
        )
        .help(format!("name a file of {}", slash(&solution.rel_base))));
    }
    if solution.test_files.iter().any(|t| t == path) {
        return Err(Problem::error(
            &file_at,
            says(&format!("`file` {} is a test module", file.get_ref())),
        )
        .help("edit the solution's code only: mutants are judged by the exercise's own tests"));
    }
    Ok(path.to_path_buf())
}

/// How many times `find` occurs in `text`, overlapping occurrences included.
fn occurrences(text: &str, find: &str) -> usize {
    let step = find.chars().next().map_or(1, char::len_utf8);
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find(find) {
        count += 1;
        from += at + step;
    }
    count
}

// ---- programs ----

/// A program made from a solution (a mutant, or the solution as the grader sees it), ready to
/// be written for the batch.
pub(super) struct Program {
    /// Absolute path of its crate root.
    main_file: PathBuf,
    /// Every file of the program (absolute path, content).
    files: Vec<(PathBuf, Vec<u8>)>,
    /// Whether the solution's own tests differ from the exercise's (so the grader's view of the
    /// solution is a different program from the solution).
    pub(super) tests_modified: bool,
}

impl Program {
    /// Rewrites every Rust file of the program with `rewrite`; false (and the program
    /// unchanged) when `rewrite` refuses one.
    pub(super) fn rewrite_rust(&mut self, rewrite: impl Fn(&str) -> Option<String>) -> bool {
        let mut rewritten = Vec::with_capacity(self.files.len());
        for (path, bytes) in &self.files {
            if path.extension().is_none_or(|e| e != "rs") {
                rewritten.push(bytes.clone());
                continue;
            }
            let Some(text) = std::str::from_utf8(bytes).ok().and_then(&rewrite) else {
                return false;
            };
            rewritten.push(text.into_bytes());
        }
        for ((_, bytes), new) in self.files.iter_mut().zip(rewritten) {
            *bytes = new;
        }
        true
    }
}

/// Writes programs below `target/backendlings/mutants/` and removes those of earlier runs that
/// are gone. Files are only rewritten when their content changed, so an unchanged program is
/// not rebuilt (cargo compares modification times).
pub(super) struct Workshop {
    root: PathBuf,
    written: BTreeSet<PathBuf>,
}

/// A program as grading assembles it, and whether its tests differ from the exercise's. A
/// program that is not Rust syntax is written as it is: it fails to compile, as it should.
fn assembled(source: &str, canonical: &str, locked: &[String]) -> (String, bool) {
    match assemble::assemble(source, canonical, locked) {
        Ok(assembled) => (assembled.source, assembled.tests_modified),
        Err(_) => (source.to_string(), false),
    }
}

impl Workshop {
    pub(super) fn new(course: &Course) -> Workshop {
        Workshop::at(course, PROGRAMS_DIR)
    }

    /// A workshop of its own below the course's target folder (`dir`, a folder name), which
    /// prunes only what it wrote there.
    pub(super) fn at(course: &Course, dir: &str) -> Workshop {
        Workshop {
            root: course.root.join(TARGET_SUBDIR).join(dir),
            written: BTreeSet::new(),
        }
    }

    /// The program `name`: the solution of `exercise` with `mutant`'s edits (none: the solution
    /// itself), and the exercise's test modules assembled in as `grade` assembles them.
    pub(super) fn render(
        &self,
        course: &Course,
        exercise: &Exercise,
        name: &str,
        mutant: Option<&Mutant>,
    ) -> Result<Program> {
        let solution = SolutionFiles::new(course, exercise);
        let changed = mutant.map(|m| &m.changed);
        let read = |path: &Path| {
            fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        };
        let content = |rel: &Path| -> Result<String> {
            match changed.and_then(|c| c.get(rel)) {
                Some(text) => Ok(text.clone()),
                None => read(&solution.base.join(rel)),
            }
        };
        let mut dest = self.root.clone();
        if !exercise.dir.is_empty() {
            dest.push(&exercise.dir);
        }
        let exercise_path = course.root.join(exercise.rel_path());
        if exercise.language == Language::Python && exercise.shape == Shape::Dir {
            // A package: its modules, edited where the mutant says; the toolchain copies them
            // into the run folder under the exercise's own name.
            let folder = dest.join(name);
            let files = solution_sources(course, exercise)
                .into_iter()
                .map(|(rel, _)| Ok((folder.join(&rel), content(&rel)?.into_bytes())))
                .collect::<Result<Vec<_>>>()?;
            return Ok(Program {
                main_file: folder.join(exercise.language.folder_main()),
                files,
                tests_modified: false,
            });
        }
        if exercise.language == Language::Python {
            // The toolchain puts the course's tests beside the module: the program is the
            // module alone.
            let main_file = dest.join(format!("{name}.py"));
            return Ok(Program {
                files: vec![(main_file.clone(), content(&solution.single)?.into_bytes())],
                main_file,
                tests_modified: false,
            });
        }
        if exercise.shape == Shape::File {
            // Locked items come back from the exercise as well, exactly as grading restores them.
            let (source, tests_modified) = assembled(
                &content(&solution.single)?,
                &read(&exercise_path)?,
                &exercise.locked,
            );
            let main_file = dest.join(format!("{name}.rs"));
            return Ok(Program {
                files: vec![(main_file.clone(), source.into_bytes())],
                main_file,
                tests_modified,
            });
        }
        let folder = dest.join(name);
        let mut files = Vec::new();
        let mut tests_modified = false;
        for rel in files_below(&solution.base) {
            if solution.test_files.contains(&rel) {
                continue;
            }
            let bytes = if rel.extension().is_none_or(|e| e != "rs") {
                let path = solution.base.join(&rel);
                fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?
            } else {
                let source = content(&rel)?;
                match fs::read_to_string(exercise_path.join(&rel)) {
                    Ok(canonical) => {
                        let names = assemble::with_module_names(&exercise.locked, &canonical);
                        let (source, modified) = assembled(&source, &canonical, &names);
                        tests_modified |= modified;
                        source.into_bytes()
                    }
                    // A module the exercise does not have: the solution's own.
                    Err(_) => source.into_bytes(),
                }
            };
            files.push((folder.join(&rel), bytes));
        }
        for rel in &solution.test_files {
            let canonical = read(&exercise_path.join(rel))?;
            tests_modified |= !solution
                .read(rel)
                .is_some_and(|own| assemble::same_tokens(&own, &canonical));
            files.push((
                folder.join(rel),
                assemble::harden_file(&canonical).into_bytes(),
            ));
        }
        Ok(Program {
            main_file: folder.join("main.rs"),
            files,
            tests_modified,
        })
    }

    /// Writes `program`; returns its crate root.
    pub(super) fn write(&mut self, program: Program) -> Result<PathBuf> {
        for (path, bytes) in &program.files {
            if fs::read(path).ok().as_deref() != Some(bytes.as_slice()) {
                write_atomic(path, bytes)?;
            }
            self.written.insert(path.clone());
        }
        Ok(program.main_file)
    }

    /// Where the crate root of the shared mutant binary `name` goes.
    pub(super) fn shared_root(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.rs"))
    }

    /// Writes the crate root at `root` that declares each `(module, file)` of `modules` (the
    /// mutants `about` says whose) as a module: one test binary for all of them, in which
    /// each mutant's tests are selected by the module's name.
    pub(super) fn write_shared_root(
        &mut self,
        root: &Path,
        about: &str,
        modules: &[(String, PathBuf)],
    ) -> Result<()> {
        let mut source = format!(
            "// Written by `backendlings dev check`: {about} as modules\n\
             // of one test binary, which runs once per mutant with its module as the test filter.\n\
             #![allow(warnings)]\n"
        );
        for (module, file) in modules {
            // A string literal with every backslash and quote escaped (Windows paths).
            let path = format!("{:?}", file.to_string_lossy());
            source.push_str(&format!("\n#[path = {path}]\nmod {module};\n"));
        }
        source.push_str("\nfn main() {}\n");
        let bytes = source.into_bytes();
        if fs::read(root).ok().as_deref() != Some(bytes.as_slice()) {
            write_atomic(root, &bytes)?;
        }
        self.written.insert(root.to_path_buf());
        Ok(())
    }

    /// Removes the files of programs that this run did not write (deleted mutants).
    pub(super) fn prune(self) {
        for rel in files_below(&self.root) {
            let path = self.root.join(&rel);
            if !self.written.contains(&path) {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_count_overlapping_ones() {
        assert_eq!(occurrences("abc", "x"), 0);
        assert_eq!(occurrences("abc", "b"), 1);
        assert_eq!(occurrences("aaa", "aa"), 2);
        assert_eq!(occurrences("ééé", "é"), 3);
    }
}
