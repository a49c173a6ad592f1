//! The course model: `info.toml` parsed and validated into sections and exercises.
//!
//! Pure data and file-system checks; nothing here runs cargo or touches a terminal. Every
//! other module takes a [`Course`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

pub const INFO_FILE: &str = "info.toml";
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;
const MAX_TIMEOUT_SECS: u64 = 3600;

/// A loaded, validated course.
#[derive(Debug, Clone)]
pub struct Course {
    /// The folder holding `info.toml`, `exercises/` and `solutions/`.
    pub root: PathBuf,
    pub welcome_message: Option<String>,
    pub final_message: Option<String>,
    /// Whether the reference solution is shown after a pass (`show_solutions`, default true).
    pub show_solutions: bool,
    /// Whether graded code may use `unsafe` (`forbid_unsafe`, default false so rustlings courses
    /// run unchanged; ours sets it). When set, learner files are compiled under
    /// `#![forbid(unsafe_code)]` by every command, so local and graded verdicts agree.
    pub forbid_unsafe: bool,
    /// Sections in curriculum order.
    pub sections: Vec<Section>,
    /// Exercises in curriculum order.
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Folder under `exercises/`; empty for exercises that sit directly in `exercises/`.
    pub dir: String,
    pub title: String,
    pub summary: Option<String>,
}

/// How an exercise is laid out on disk: one file or a folder with `main.rs` and modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    File,
    Dir,
}

#[derive(Debug, Clone)]
pub struct Exercise {
    pub name: String,
    /// Section folder (empty when the exercise sits directly in `exercises/`).
    pub dir: String,
    /// Index into [`Course::sections`].
    pub section: usize,
    pub test: bool,
    pub strict_clippy: bool,
    pub hint: String,
    pub skip_check_unsolved: bool,
    pub timeout_secs: u64,
    pub points: u32,
    /// Names of top-level items (functions, types, consts, and the `impl` blocks of a locked
    /// type) that the learner must not edit: the grader restores them from the course, and
    /// `run` and watch mode warn when they differ (`locked`, default empty).
    pub locked: Vec<String>,
    pub shape: Shape,
}

impl Exercise {
    /// Path of the exercise relative to the course root: the `.rs` file or the folder.
    pub fn rel_path(&self) -> PathBuf {
        self.rel_path_in("exercises")
    }

    /// Path of the reference solution relative to the course root (same shape).
    pub fn rel_solution_path(&self) -> PathBuf {
        self.rel_path_in("solutions")
    }

    fn rel_path_in(&self, top: &str) -> PathBuf {
        let mut path = PathBuf::from(top);
        if !self.dir.is_empty() {
            path.push(&self.dir);
        }
        match self.shape {
            Shape::File => path.push(format!("{}.rs", self.name)),
            Shape::Dir => path.push(&self.name),
        }
        path
    }

    /// The crate root the compiler starts from, relative to the course root.
    pub fn rel_main_file(&self) -> PathBuf {
        main_file(self.rel_path(), self.shape)
    }

    pub fn rel_solution_main_file(&self) -> PathBuf {
        main_file(self.rel_solution_path(), self.shape)
    }

    /// Name of the solution's binary in the exercise package.
    pub fn solution_bin_name(&self) -> String {
        format!("{}_sol", self.name)
    }
}

fn main_file(path: PathBuf, shape: Shape) -> PathBuf {
    match shape {
        Shape::File => path,
        Shape::Dir => path.join("main.rs"),
    }
}

impl Course {
    /// Loads and validates the course in `root`.
    pub fn load(root: &Path) -> Result<Course, CourseErrors> {
        let info_path = root.join(INFO_FILE);
        let source = fs::read_to_string(&info_path).map_err(|err| {
            let message = if err.kind() == std::io::ErrorKind::NotFound {
                format!("no {INFO_FILE} found at {}", info_path.display())
            } else {
                format!("cannot read {}: {err}", info_path.display())
            };
            CourseErrors(vec![CourseError::new(&info_path, message)])
        })?;
        parse(root, &info_path, &source)
    }

    pub fn find(&self, name: &str) -> Option<usize> {
        self.exercises.iter().position(|e| e.name == name)
    }

    /// Exercise names closest to `name`, best first, for "did you mean" messages.
    pub fn closest_names(&self, name: &str) -> Vec<&str> {
        let mut scored: Vec<(f64, &str)> = self
            .exercises
            .iter()
            .map(|e| (strsim::jaro_winkler(name, &e.name), e.name.as_str()))
            .filter(|(score, _)| *score > 0.7)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().take(3).map(|(_, n)| n).collect()
    }

    /// Indices of the exercises of section `section`, in order.
    pub fn section_exercises(&self, section: usize) -> impl Iterator<Item = usize> + '_ {
        self.exercises
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.section == section)
            .map(|(i, _)| i)
    }

    /// How many exercises of `section` satisfy `pred` (given an exercise index), and how many
    /// the section has.
    pub fn count_in_section(&self, section: usize, pred: impl Fn(usize) -> bool) -> (usize, usize) {
        self.section_exercises(section)
            .fold((0, 0), |(yes, all), i| {
                (yes + usize::from(pred(i)), all + 1)
            })
    }

    /// Width of the longest section title, for aligned tables.
    pub fn title_width(&self) -> usize {
        self.sections
            .iter()
            .map(|s| s.title.chars().count())
            .max()
            .unwrap_or(0)
    }

    pub fn max_points(&self) -> u32 {
        self.exercises.iter().map(|e| e.points).sum()
    }
}

/// One problem with a course, located as precisely as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl CourseError {
    pub fn new(file: &Path, message: impl Into<String>) -> Self {
        CourseError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    fn at(mut self, source: &str, offset: usize) -> Self {
        let (line, column) = line_column(source, offset);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for CourseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found while loading a course (never empty).
#[derive(Debug, Clone)]
pub struct CourseErrors(pub Vec<CourseError>);

impl fmt::Display for CourseErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CourseErrors {}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

// ---- the file format ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InfoFile {
    format_version: Option<Spanned<u32>>,
    welcome_message: Option<String>,
    final_message: Option<String>,
    show_solutions: Option<bool>,
    forbid_unsafe: Option<bool>,
    #[serde(default)]
    sections: Vec<SectionEntry>,
    #[serde(default)]
    exercises: Vec<ExerciseEntry>,
}

const TOP_KEYS: &[&str] = &[
    "format_version",
    "welcome_message",
    "final_message",
    "show_solutions",
    "forbid_unsafe",
    "sections",
    "exercises",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionEntry {
    dir: Spanned<String>,
    title: Spanned<String>,
    summary: Option<String>,
}

const SECTION_KEYS: &[&str] = &["dir", "title", "summary"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExerciseEntry {
    name: Spanned<String>,
    dir: Option<Spanned<String>>,
    test: Option<bool>,
    strict_clippy: Option<bool>,
    hint: Option<Spanned<String>>,
    skip_check_unsolved: Option<bool>,
    timeout_secs: Option<Spanned<u64>>,
    points: Option<u32>,
    #[serde(default)]
    locked: Vec<Spanned<String>>,
}

const EXERCISE_KEYS: &[&str] = &[
    "name",
    "dir",
    "test",
    "strict_clippy",
    "hint",
    "skip_check_unsolved",
    "timeout_secs",
    "points",
    "locked",
];

fn parse(root: &Path, info_path: &Path, source: &str) -> Result<Course, CourseErrors> {
    let info: InfoFile = toml::from_str(source)
        .map_err(|err| CourseErrors(vec![toml_error(info_path, source, &err)]))?;
    let mut errors = Vec::new();
    let err_at =
        |offset: usize, message: String| CourseError::new(info_path, message).at(source, offset);

    match &info.format_version {
        Some(v) if *v.get_ref() == 1 => {}
        Some(v) => errors.push(
            err_at(
                v.span().start,
                format!("unsupported format_version {}", v.get_ref()),
            )
            .help("this runner reads format_version = 1"),
        ),
        None => errors.push(
            CourseError::new(info_path, "missing `format_version`")
                .help("add `format_version = 1` at the top of the file"),
        ),
    }

    // Sections declared explicitly, by dir.
    let mut declared: BTreeMap<String, (usize, &SectionEntry)> = BTreeMap::new();
    for entry in &info.sections {
        let dir = entry.dir.get_ref();
        if let Err(problem) = check_dir_name(dir) {
            errors.push(err_at(
                entry.dir.span().start,
                format!("section dir `{dir}` {problem}"),
            ));
        }
        if entry.title.get_ref().trim().is_empty() {
            errors.push(err_at(
                entry.title.span().start,
                format!("section `{dir}` has an empty title"),
            ));
        }
        if declared
            .insert(dir.clone(), (entry.dir.span().start, entry))
            .is_some()
        {
            errors.push(err_at(
                entry.dir.span().start,
                format!("section `{dir}` is declared twice"),
            ));
        }
    }

    let mut sections: Vec<Section> = Vec::new();
    let mut section_index: HashMap<String, usize> = HashMap::new();
    let mut exercises = Vec::with_capacity(info.exercises.len());
    let mut seen_names: HashMap<&str, usize> = HashMap::new();

    for entry in &info.exercises {
        let name = entry.name.get_ref();
        let name_at = entry.name.span().start;
        if name.is_empty() {
            errors.push(err_at(name_at, "an exercise has an empty name".into()));
            continue;
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        {
            let what = if bad == '/' || bad == '\\' {
                "a path separator"
            } else {
                "the character"
            };
            errors.push(
                err_at(
                    name_at,
                    format!("exercise name `{name}` contains {what} {bad:?}"),
                )
                .help("names may only use letters, digits and `_`; the folder goes in `dir`"),
            );
            continue;
        }
        if let Some(first) = seen_names.insert(name, name_at) {
            let (line, _) = line_column(source, first);
            errors.push(err_at(
                name_at,
                format!("duplicate exercise name `{name}` (first used on line {line})"),
            ));
            continue;
        }

        let dir = entry
            .dir
            .as_ref()
            .map(|d| d.get_ref().clone())
            .unwrap_or_default();
        if let Some(d) = &entry.dir {
            if let Err(problem) = check_dir_name(&dir) {
                errors.push(err_at(
                    d.span().start,
                    format!("dir `{dir}` of exercise `{name}` {problem}"),
                ));
                continue;
            }
            if !root.join("exercises").join(&dir).is_dir() {
                errors.push(
                    err_at(
                        d.span().start,
                        format!("dir `{dir}` of exercise `{name}` has no folder"),
                    )
                    .help(format!(
                        "create {} or fix the `dir`",
                        Path::new("exercises").join(&dir).display()
                    )),
                );
                continue;
            }
        }

        let hint = entry
            .hint
            .as_ref()
            .map(|h| h.get_ref().trim().to_string())
            .unwrap_or_default();
        if hint.is_empty() {
            let at = entry.hint.as_ref().map_or(name_at, |h| h.span().start);
            errors.push(
                err_at(at, format!("exercise `{name}` has no hint"))
                    .help("every exercise needs a `hint` that unblocks a learner"),
            );
        }

        let timeout_secs = match &entry.timeout_secs {
            Some(t) if *t.get_ref() == 0 || *t.get_ref() > MAX_TIMEOUT_SECS => {
                errors.push(err_at(
                    t.span().start,
                    format!("timeout_secs of `{name}` must be between 1 and {MAX_TIMEOUT_SECS}"),
                ));
                DEFAULT_TIMEOUT_SECS
            }
            Some(t) => *t.get_ref(),
            None => DEFAULT_TIMEOUT_SECS,
        };

        let mut base = root.join("exercises");
        if !dir.is_empty() {
            base.push(&dir);
        }
        let file = base.join(format!("{name}.rs"));
        let folder_main = base.join(name).join("main.rs");
        let shape = match (file.is_file(), folder_main.is_file()) {
            (true, false) => Shape::File,
            (false, true) => Shape::Dir,
            (true, true) => {
                errors.push(
                    err_at(
                        name_at,
                        format!(
                            "exercise `{name}` exists both as {} and as {}",
                            rel(root, &file),
                            rel(root, &folder_main)
                        ),
                    )
                    .help("keep one of the two shapes"),
                );
                continue;
            }
            (false, false) => {
                errors.push(
                    err_at(
                        name_at,
                        format!("exercise file {} is missing", rel(root, &file)),
                    )
                    .help(format!(
                        "create it (or {} for a multi-file exercise), or remove the entry",
                        rel(root, &folder_main)
                    )),
                );
                continue;
            }
        };

        let section = match section_index.get(&dir) {
            Some(&i) => i,
            None => {
                let section = match declared.get(&dir) {
                    Some((_, s)) => Section {
                        dir: dir.clone(),
                        title: s.title.get_ref().trim().to_string(),
                        summary: s.summary.clone(),
                    },
                    None if info.sections.is_empty() => Section {
                        title: if dir.is_empty() {
                            "Exercises".into()
                        } else {
                            dir.clone()
                        },
                        dir: dir.clone(),
                        summary: None,
                    },
                    None => {
                        errors.push(
                            err_at(name_at, format!("exercise `{name}` is in dir `{dir}`, which no [[sections]] entry declares"))
                                .help(format!("add [[sections]] with dir = \"{dir}\" and a title")),
                        );
                        continue;
                    }
                };
                sections.push(section);
                section_index.insert(dir.clone(), sections.len() - 1);
                sections.len() - 1
            }
        };

        let locked = check_locked(&entry.locked, name, &mut |at, message, help| {
            errors.push(err_at(at, message).help(help));
        });

        exercises.push(Exercise {
            name: name.clone(),
            dir,
            section,
            test: entry.test.unwrap_or(true),
            strict_clippy: entry.strict_clippy.unwrap_or(false),
            hint,
            skip_check_unsolved: entry.skip_check_unsolved.unwrap_or(false),
            timeout_secs,
            points: entry.points.unwrap_or(1),
            locked,
            shape,
        });
    }

    for (dir, (at, _)) in &declared {
        if !section_index.contains_key(dir) && errors.is_empty() {
            errors.push(
                err_at(*at, format!("section `{dir}` has no exercises"))
                    .help("remove it or add exercises with this dir"),
            );
        }
    }
    if exercises.is_empty() && errors.is_empty() {
        errors.push(
            CourseError::new(info_path, "the course has no exercises")
                .help("add [[exercises]] entries"),
        );
    }

    if !errors.is_empty() {
        return Err(CourseErrors(errors));
    }
    // Sections in the order they are declared (or first used, for implicit ones).
    let order: Vec<usize> = {
        let mut order: Vec<usize> = (0..sections.len()).collect();
        order.sort_by_key(|&i| {
            declared
                .get(&sections[i].dir)
                .map_or(usize::MAX, |(at, _)| *at)
        });
        order
    };
    let remap: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let sections = order.iter().map(|&i| sections[i].clone()).collect();
    for exercise in &mut exercises {
        exercise.section = remap[&exercise.section];
    }
    // Curriculum order: by section, then by position in info.toml (a stable sort keeps it).
    exercises.sort_by_key(|e| e.section);

    Ok(Course {
        root: root.to_path_buf(),
        welcome_message: info.welcome_message.filter(|m| !m.trim().is_empty()),
        final_message: info.final_message.filter(|m| !m.trim().is_empty()),
        show_solutions: info.show_solutions.unwrap_or(true),
        forbid_unsafe: info.forbid_unsafe.unwrap_or(false),
        sections,
        exercises,
    })
}

/// The `locked` names of exercise `name`, each checked to be a Rust identifier (the grader
/// matches them against item names, so anything else could never match) and listed once.
fn check_locked(
    entries: &[Spanned<String>],
    name: &str,
    error: &mut dyn FnMut(usize, String, &str),
) -> Vec<String> {
    let mut locked: Vec<String> = Vec::with_capacity(entries.len());
    for entry in entries {
        let item = entry.get_ref();
        if syn::parse_str::<syn::Ident>(item).is_err() {
            error(
                entry.span().start,
                format!("`locked` entry {item:?} of exercise `{name}` is not a Rust identifier"),
                "list the names of top-level items (fn, struct, enum, trait, const, static, type, mod, macro_rules), e.g. locked = [\"query_plan\"]",
            );
        } else if locked.contains(item) {
            error(
                entry.span().start,
                format!("`{item}` is locked twice in exercise `{name}`"),
                "list each name once",
            );
        } else {
            locked.push(item.clone());
        }
    }
    locked
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn check_dir_name(dir: &str) -> Result<(), &'static str> {
    if dir.is_empty() {
        Err("is empty")
    } else if dir.contains(['/', '\\']) {
        Err("contains a path separator; use one folder name")
    } else if dir == "." || dir == ".." {
        Err("is not a folder name")
    } else {
        Ok(())
    }
}

/// Turns a TOML or schema error into a located message, suggesting the closest key for a typo.
fn toml_error(info_path: &Path, source: &str, err: &toml::de::Error) -> CourseError {
    let message = err.message().trim().to_string();
    let mut error = CourseError::new(info_path, message.clone());
    if let Some(span) = err.span() {
        error = error.at(source, span.start);
    }
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
    {
        let known: &[&str] = if message.contains("`hint`") {
            EXERCISE_KEYS
        } else if message.contains("`title`") {
            SECTION_KEYS
        } else {
            TOP_KEYS
        };
        error.message = format!("unknown key `{unknown}`");
        let closest = known
            .iter()
            .map(|k| (strsim::jaro_winkler(unknown, k), *k))
            .filter(|(score, _)| *score > 0.75)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        error.help = Some(match closest {
            Some((_, key)) => format!("did you mean `{key}`?"),
            None => format!("known keys here: {}", known.join(", ")),
        });
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course_with(
        info: &str,
        files: &[&str],
    ) -> (tempfile::TempDir, Result<Course, CourseErrors>) {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "fn main() {}\n").unwrap();
        }
        fs::write(dir.path().join(INFO_FILE), info).unwrap();
        let result = Course::load(dir.path());
        (dir, result)
    }

    fn first_error(result: Result<Course, CourseErrors>) -> CourseError {
        result.unwrap_err().0.remove(0)
    }

    #[test]
    fn loads_sections_and_shapes() {
        let info = r#"
format_version = 1
[[sections]]
dir = "a"
title = "Alpha"
[[exercises]]
name = "one"
dir = "a"
hint = "h"
[[exercises]]
name = "two"
dir = "a"
test = false
points = 3
hint = "h"
"#;
        let (_dir, result) = course_with(info, &["exercises/a/one.rs", "exercises/a/two/main.rs"]);
        let course = result.unwrap();
        assert_eq!(course.sections[0].title, "Alpha");
        assert_eq!(course.exercises[1].shape, Shape::Dir);
        assert_eq!(
            course.exercises[1].rel_main_file(),
            Path::new("exercises/a/two/main.rs")
        );
        assert!(!course.exercises[1].test);
        assert_eq!(course.max_points(), 4);
    }

    #[test]
    fn rustlings_course_without_sections_or_dir() {
        let info = "format_version = 1\n[[exercises]]\nname = \"top\"\nhint = \"h\"\n";
        let (_dir, result) = course_with(info, &["exercises/top.rs"]);
        let course = result.unwrap();
        assert_eq!(
            course.exercises[0].rel_path(),
            Path::new("exercises/top.rs")
        );
        assert_eq!(course.sections[0].title, "Exercises");
    }

    #[test]
    fn unknown_key_names_line_and_closest_key() {
        let info = "format_version = 1\n[[exercises]]\nname = \"x\"\nhnit = \"h\"\n";
        let err = first_error(course_with(info, &["exercises/x.rs"]).1);
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("`hnit`"), "{err}");
        assert_eq!(err.help.as_deref(), Some("did you mean `hint`?"));
    }

    #[test]
    fn each_bad_input_is_located() {
        let cases = [
            ("name = \"a/b\"\nhint = \"h\"", "path separator", 3),
            ("name = \"x\"\nhint = \"  \"", "has no hint", 4),
            ("name = \"y\"\nhint = \"h\"", "is missing", 3),
            (
                "name = \"x\"\ndir = \"nope\"\nhint = \"h\"",
                "has no folder",
                4,
            ),
        ];
        for (entry, expected, line) in cases {
            let info = format!("format_version = 1\n[[exercises]]\n{entry}\n");
            let err = first_error(course_with(&info, &["exercises/x.rs"]).1);
            assert!(
                err.to_string().contains(expected),
                "{err} should mention {expected}"
            );
            assert_eq!(err.line, Some(line), "{err}");
        }
    }

    #[test]
    fn locked_names_must_be_identifiers_listed_once() {
        let entry = |locked: &str| {
            format!(
                "format_version = 1\n[[exercises]]\nname = \"x\"\nhint = \"h\"\nlocked = {locked}\n"
            )
        };
        let (_dir, result) =
            course_with(&entry(r#"["query_plan", "Counter"]"#), &["exercises/x.rs"]);
        assert_eq!(
            result.unwrap().exercises[0].locked,
            ["query_plan", "Counter"]
        );
        for (locked, expected) in [
            ("[\"ok\",\n  \"fn query_plan\"]", "is not a Rust identifier"),
            ("[\"ok\",\n  \"struct\"]", "is not a Rust identifier"),
            ("[\"ok\",\n  \"\"]", "is not a Rust identifier"),
            ("[\"ok\",\n  \"ok\"]", "locked twice"),
        ] {
            let err = first_error(course_with(&entry(locked), &["exercises/x.rs"]).1);
            assert!(err.message.contains(expected), "{err}");
            assert_eq!(err.line, Some(6), "{err}");
        }
    }

    #[test]
    fn duplicate_names_point_at_the_first_use() {
        let info = "format_version = 1\n[[exercises]]\nname = \"x\"\nhint = \"h\"\n[[exercises]]\nname = \"x\"\nhint = \"h\"\n";
        let err = first_error(course_with(info, &["exercises/x.rs"]).1);
        assert!(err.message.contains("first used on line 3"), "{err}");
        assert_eq!(err.line, Some(6));
    }

    #[test]
    fn missing_info_says_where_it_looked() {
        let dir = tempfile::tempdir().unwrap();
        let err = Course::load(dir.path()).unwrap_err();
        assert!(
            err.to_string()
                .contains(&dir.path().join(INFO_FILE).display().to_string())
        );
    }
}
