//! The course model: `info.toml` parsed and validated into sections and exercises.
//!
//! Pure data and file-system checks; nothing here runs cargo or touches a terminal. Every
//! other module takes a [`Course`]. This file holds the model; `format` reads the file,
//! `validate` applies the rules, `error` locates the problems.

mod error;
mod format;
mod validate;

use std::fs;
use std::path::{Path, PathBuf};

use error::InfoSource;
pub(crate) use error::line_column;
pub use error::{CourseError, CourseErrors};

pub const INFO_FILE: &str = "info.toml";
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// A course: valid when it comes from [`Course::load`]; read only as far as it could be when
/// it comes from [`Course::load_lenient`] with errors.
#[derive(Debug, Clone)]
pub struct Course {
    /// The folder holding `info.toml`, `exercises/` and `solutions/`.
    pub root: PathBuf,
    /// `title`: the course's name in reports (its folder's name when not set).
    pub title: Option<String>,
    pub welcome_message: Option<String>,
    pub final_message: Option<String>,
    /// Whether the reference solution is shown after a pass (`show_solutions`, default true).
    pub show_solutions: bool,
    /// Whether graded code may use `unsafe` (`forbid_unsafe`, default false so rustlings courses
    /// run unchanged; ours sets it). When set, learner files are compiled under
    /// `#![forbid(unsafe_code)]` by every command, so local and graded verdicts agree.
    pub forbid_unsafe: bool,
    /// Whether `info.toml` declares `[[sections]]` (this runner's format) or leaves them
    /// implicit, one per folder (rustlings').
    pub declares_sections: bool,
    /// What the exercises are written in (`toolchain`, default Rust).
    pub language: Language,
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
    /// Cargo features of the exercise package its exercises need (`features`): off in every
    /// build that checks none of them.
    pub features: Vec<String>,
}

/// What a course's exercises are written in, and so which toolchain checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Rust,
    Python,
}

impl Language {
    /// The value of `toolchain` in `info.toml`.
    pub fn from_key(key: &str) -> Option<Language> {
        match key {
            "rust" => Some(Language::Rust),
            "python" => Some(Language::Python),
            _ => None,
        }
    }

    /// The extension of an exercise file.
    pub fn extension(self) -> &'static str {
        match self {
            Language::Rust => "rs",
            Language::Python => "py",
        }
    }

    /// The file a folder exercise starts from.
    pub fn folder_main(self) -> &'static str {
        match self {
            Language::Rust => "main.rs",
            Language::Python => "__init__.py",
        }
    }
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
    /// How many tests a pass must report, for exercises whose tests a macro generates
    /// (`tests`); otherwise the grader counts the `#[test]` functions of the course's own test
    /// modules.
    pub tests: Option<usize>,
    pub shape: Shape,
    /// The course's language (every exercise of a course has the same).
    pub language: Language,
    /// Python: the learner's file must also pass the type checker (`typecheck`).
    pub typecheck: bool,
    /// Python: the course's support modules the tests import (`support`), file names in the
    /// exercise's folder.
    pub support: Vec<String>,
    /// Cargo features of the exercise package it needs: its section's `features`.
    pub features: Vec<String>,
    /// Python: the servers the tests talk to (`services`), started by the runner for each check.
    pub services: Vec<Service>,
}

/// A server an exercise's tests need (`services = ["postgres"]`): the runner starts it and
/// hands its address to the tests (`engine::python::services`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    Postgres,
    Redis,
}

impl Service {
    pub const ALL: [Service; 2] = [Service::Postgres, Service::Redis];

    /// Its name in `info.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Service::Postgres => "postgres",
            Service::Redis => "redis",
        }
    }

    pub fn from_key(key: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.key() == key)
    }
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
        let folder = self.section_folder(top);
        match self.shape {
            Shape::File => folder.join(format!("{}.{}", self.name, self.language.extension())),
            Shape::Dir => folder.join(&self.name),
        }
    }

    /// `top/<dir>` (`top` alone for an exercise directly in `top`).
    fn section_folder(&self, top: &str) -> PathBuf {
        let mut path = PathBuf::from(top);
        if !self.dir.is_empty() {
            path.push(&self.dir);
        }
        path
    }

    /// The crate root the compiler starts from, relative to the course root.
    pub fn rel_main_file(&self) -> PathBuf {
        main_file(self.rel_path(), self.shape, self.language)
    }

    pub fn rel_solution_main_file(&self) -> PathBuf {
        main_file(self.rel_solution_path(), self.shape, self.language)
    }

    /// Python: the course's test file, next to the exercise (`test_<name>.py`).
    pub fn rel_test_file(&self) -> PathBuf {
        self.rel_in_folder(&format!("test_{}.py", self.name))
    }

    /// A file of the exercise's folder (`exercises/<dir>/<file>`).
    pub fn rel_in_folder(&self, file: &str) -> PathBuf {
        self.section_folder("exercises").join(file)
    }

    /// Name of the solution's binary in the exercise package.
    pub fn solution_bin_name(&self) -> String {
        format!("{}_sol", self.name)
    }
}

fn main_file(path: PathBuf, shape: Shape, language: Language) -> PathBuf {
    match shape {
        Shape::File => path,
        Shape::Dir => path.join(language.folder_main()),
    }
}

/// A course read as far as it could be, and every problem found on the way: what `dev check`
/// needs to check an author's files while `info.toml` still has errors.
#[derive(Debug)]
pub struct Lenient {
    /// `None` when `info.toml` is missing or not TOML at all. Otherwise the declared sections
    /// and every exercise whose name and folder could be read, as far as they could be (an
    /// exercise whose files are missing stands as one file): only a course without `errors` is
    /// fit to build or run.
    pub course: Option<Course>,
    pub errors: Vec<CourseError>,
}

impl Course {
    /// Loads and validates the course in `root`. Exercises whose files are missing (a learner
    /// deleted one) do not stop it: they are checked as missing.
    pub fn load(root: &Path) -> Result<Course, CourseErrors> {
        match Course::load_lenient(root) {
            Lenient {
                course: Some(course),
                errors,
            } if errors.iter().all(|e| e.missing_exercise) => Ok(course),
            Lenient { errors, .. } => Err(CourseErrors(errors)),
        }
    }

    /// Reads the course in `root` as far as it can, with every problem it has.
    pub fn load_lenient(root: &Path) -> Lenient {
        let path = root.join(INFO_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) => {
                let message = if err.kind() == std::io::ErrorKind::NotFound {
                    format!("no {INFO_FILE} found at {}", path.display())
                } else {
                    format!("cannot read {}: {err}", path.display())
                };
                return Lenient {
                    course: None,
                    errors: vec![CourseError::new(&path, message)],
                };
            }
        };
        let source = InfoSource {
            path: &path,
            text: &text,
        };
        let mut errors = Vec::new();
        let course = format::read(&source, &mut errors)
            .map(|info| validate::course(root, &info, &source, &mut errors));
        Lenient { course, errors }
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

    /// Every feature some section asks for: lazy features, off in a build that needs none.
    pub fn lazy_features(&self) -> Vec<String> {
        let mut features: Vec<String> = (self.sections.iter())
            .flat_map(|s| s.features.iter().cloned())
            .collect();
        features.sort();
        features.dedup();
        features
    }

    pub fn max_points(&self) -> u32 {
        self.exercises.iter().map(|e| e.points).sum()
    }
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
    fn a_sections_features_go_to_its_exercises_and_must_be_cargo_names() {
        let info = "format_version = 1\n[[sections]]\ndir = \"a\"\ntitle = \"A\"\n[[sections]]\ndir = \"b\"\ntitle = \"B\"\nfeatures = [\"async\", \"sqlite\"]\n[[sections]]\ndir = \"c\"\ntitle = \"C\"\nfeatures = [\"sqlite\"]\n[[exercises]]\nname = \"one\"\ndir = \"a\"\nhint = \"h\"\n[[exercises]]\nname = \"two\"\ndir = \"b\"\nhint = \"h\"\n[[exercises]]\nname = \"three\"\ndir = \"c\"\nhint = \"h\"\n";
        let files = [
            "exercises/a/one.rs",
            "exercises/b/two.rs",
            "exercises/c/three.rs",
        ];
        let (_dir, result) = course_with(info, &files);
        let course = result.unwrap();
        assert!(course.exercises[0].features.is_empty());
        assert_eq!(course.exercises[1].features, ["async", "sqlite"]);
        assert_eq!(course.exercises[2].features, ["sqlite"]);
        assert_eq!(course.lazy_features(), ["async", "sqlite"]);

        let bad = info.replace("[\"sqlite\"]", "[\"sqlite,async\"]");
        let (_dir, result) = course_with(&bad, &files);
        let error = first_error(result);
        assert!(
            error.message.contains("the feature `sqlite,async`"),
            "{}",
            error.message
        );
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
            // Leniently: a missing exercise file does not stop a learner's course from loading
            // (`Course::load`), but it is still an error `dev check` reports.
            let (dir, _) = course_with(&info, &["exercises/x.rs"]);
            let err = Course::load_lenient(dir.path()).errors.remove(0);
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

    fn lenient_with(info: &str, files: &[&str]) -> (tempfile::TempDir, Lenient) {
        let (dir, _) = course_with(info, files);
        let lenient = Course::load_lenient(dir.path());
        (dir, lenient)
    }

    fn names(course: &Course) -> Vec<&str> {
        course.exercises.iter().map(|e| e.name.as_str()).collect()
    }

    const THREE: &str = r#"
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
hint = "h"
[[exercises]]
name = "three"
dir = "a"
hint = "h"
"#;

    #[test]
    fn lenient_reading_lists_the_exercises_beside_a_bad_one() {
        let files = ["exercises/a/one.rs", "exercises/a/three/main.rs"];
        let (_dir, lenient) = lenient_with(THREE, &files);
        assert_eq!(lenient.errors.len(), 1, "{:?}", lenient.errors);
        assert!(
            lenient.errors[0]
                .message
                .contains("exercises/a/two.rs is missing")
        );
        let course = lenient.course.unwrap();
        assert_eq!(names(&course), ["one", "two", "three"]);
        assert_eq!(course.exercises[2].shape, Shape::Dir);
        assert_eq!(course.sections[0].title, "Alpha");
        assert!(course.declares_sections);
    }

    #[test]
    fn lenient_reading_keeps_an_entry_with_a_typo_or_a_bad_value() {
        let info = THREE.replacen("hint = \"h\"", "hnit = \"h\"", 1).replacen(
            "dir = \"a\"\nhint",
            "dir = \"a\"\ntest = 3\nhint",
            1,
        );
        let files = [
            "exercises/a/one.rs",
            "exercises/a/two.rs",
            "exercises/a/three.rs",
        ];
        let (_dir, lenient) = lenient_with(&info, &files);
        let messages: Vec<&str> = lenient.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0], "unknown key `hnit`");
        assert!(messages[1].contains("invalid type"), "{messages:?}");
        let course = lenient.course.unwrap();
        assert_eq!(names(&course), ["one", "two", "three"]);
        assert!(course.exercises.iter().all(|e| e.dir == "a"));
    }

    #[test]
    fn lenient_reading_leaves_out_only_what_cannot_be_joined_to_a_path() {
        let info = THREE
            .replacen("name = \"two\"", "name = \"../two\"", 1)
            .replacen(
                "name = \"three\"\ndir = \"a\"",
                "name = \"three\"\ndir = \"b/c\"",
                1,
            )
            + "[[exercises]]\nname = \"four\"\ndir = \"z\"\nhint = \"h\"\n[[sections]]\ndir = \"unused\"\ntitle = \"U\"\n";
        let (_dir, lenient) = lenient_with(&info, &["exercises/a/one.rs"]);
        let course = lenient.course.unwrap();
        // `four` is in a folder no section declares and has no files: both reported, and
        // still listed, with its folder as a section.
        assert_eq!(names(&course), ["one", "four"]);
        let dirs: Vec<&str> = course.sections.iter().map(|s| s.dir.as_str()).collect();
        assert_eq!(dirs, ["a", "unused", "z"]);
        assert_eq!(lenient.errors.len(), 3, "{:?}", lenient.errors);
    }

    #[test]
    fn a_section_that_cannot_be_read_leaves_its_exercises_alone() {
        let info = THREE.replace("title = \"Alpha\"", "titel = \"Alpha\"");
        let files = [
            "exercises/a/one.rs",
            "exercises/a/two.rs",
            "exercises/a/three.rs",
        ];
        let (_dir, lenient) = lenient_with(&info, &files);
        let messages: Vec<&str> = lenient.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["unknown key `titel`"]);
        assert_eq!(
            lenient.errors[0].help.as_deref(),
            Some("did you mean `title`?")
        );
        let course = lenient.course.unwrap();
        assert_eq!(names(&course), ["one", "two", "three"]);
        assert_eq!(course.sections[0].dir, "a");
    }

    #[test]
    fn lenient_reading_of_text_that_is_not_toml_has_no_course() {
        let (_dir, lenient) = lenient_with("format_version = 1\n[[exercises]\n", &[]);
        assert!(lenient.course.is_none());
        assert_eq!(lenient.errors[0].line, Some(2));
    }

    #[test]
    fn strict_loading_reports_what_lenient_reading_finds() {
        let info = THREE.replacen("hint = \"h\"", "hnit = \"h\"", 1);
        let (dir, lenient) = lenient_with(&info, &["exercises/a/one.rs"]);
        let strict = Course::load(dir.path()).unwrap_err();
        assert_eq!(strict.0, lenient.errors);
        // Every problem, not just the first: the typo and both missing files.
        assert_eq!(strict.0.len(), 3, "{strict}");
    }

    #[test]
    fn unused_sections_are_reported_only_in_an_otherwise_valid_course() {
        let info = format!("{THREE}[[sections]]\ndir = \"b\"\ntitle = \"Beta\"\n");
        let files = [
            "exercises/a/one.rs",
            "exercises/a/two.rs",
            "exercises/a/three.rs",
        ];
        let err = first_error(course_with(&info, &files).1);
        assert!(
            err.message.contains("section `b` has no exercises"),
            "{err}"
        );
        let (_dir, lenient) = lenient_with(&info, &files[..2]);
        assert_eq!(lenient.errors.len(), 1, "{:?}", lenient.errors);
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
