//! The rules of a course beyond its file format: names, folders, files on disk, sections,
//! hints, timeouts, locked items. Every problem is collected, and the course is built from
//! whatever could be read, so that `dev check` can check an author's files while `info.toml`
//! still has errors.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use toml::Spanned;

use super::error::{CourseError, InfoSource};
use super::format::{Entry, ExerciseEntry, InfoFile, SectionEntry, TopLevel};
use super::{Course, DEFAULT_TIMEOUT_SECS, Exercise, Language, Section, Service, Shape};

const MAX_TIMEOUT_SECS: u64 = 3600;

/// The course `info` describes, with every problem pushed to `errors` (which holds the
/// problems found while reading `info`). When `errors` ends up empty, the course is complete
/// and valid; otherwise it holds the sections and the exercises whose name and folder could be
/// read, for checks that need no more (see [`OnDisk::shape`] for their shapes).
pub(super) fn course(
    root: &Path,
    info: &InfoFile,
    source: &InfoSource,
    errors: &mut Vec<CourseError>,
) -> Course {
    let mut builder = Builder {
        root,
        language: Language::Rust,
        source,
        errors,
        declared: BTreeMap::new(),
        sections: Vec::new(),
        section_index: HashMap::new(),
        first_use: HashMap::new(),
        declares_sections: info.declares_sections,
        unread_sections: info.unread_sections,
    };
    builder.check_format_version(&info.top);
    builder.language = builder.language_of(&info.top);
    for entry in &info.sections {
        builder.declare_section(entry);
    }
    let mut exercises: Vec<Exercise> = info
        .exercises
        .iter()
        .filter_map(|entry| builder.exercise(entry))
        .collect();
    // Courses with other problems may have lost exercises to them: these two would mislead.
    let valid = builder.errors.is_empty();
    builder.add_unused_sections(valid);
    if exercises.is_empty() && valid {
        builder.errors.push(
            source
                .error("the course has no exercises")
                .help("add [[exercises]] entries"),
        );
    }
    let sections = builder.sections_in_order(&mut exercises);
    let top = &info.top.fields;
    Course {
        root: root.to_path_buf(),
        title: top.title.clone().filter(|t| !t.trim().is_empty()),
        welcome_message: top.welcome_message.clone().filter(|m| !m.trim().is_empty()),
        final_message: top.final_message.clone().filter(|m| !m.trim().is_empty()),
        show_solutions: top.show_solutions.unwrap_or(true),
        forbid_unsafe: top.forbid_unsafe.unwrap_or(false),
        declares_sections: info.declares_sections,
        language: builder.language,
        sections,
        exercises,
    }
}

struct Builder<'a> {
    root: &'a Path,
    language: Language,
    source: &'a InfoSource<'a>,
    errors: &'a mut Vec<CourseError>,
    /// `[[sections]]` entries with a usable folder name, by folder, with their offset.
    declared: BTreeMap<String, (usize, &'a SectionEntry)>,
    /// Sections in the order exercises first use them (sorted at the end).
    sections: Vec<Section>,
    section_index: HashMap<String, usize>,
    /// Where each exercise name is first used, for duplicates.
    first_use: HashMap<String, usize>,
    declares_sections: bool,
    /// Whether a `[[sections]]` entry could not be read: exercises are then not told that
    /// theirs is undeclared.
    unread_sections: bool,
}

impl<'a> Builder<'a> {
    fn error_at(&mut self, offset: usize, message: String) {
        self.errors.push(self.source.error_at(offset, message));
    }

    fn check_format_version(&mut self, top: &Entry<TopLevel>) {
        match &top.fields.format_version {
            Some(v) if *v.get_ref() == 1 => {}
            Some(v) => self.errors.push(
                self.source
                    .error_at(
                        v.span().start,
                        format!("unsupported format_version {}", v.get_ref()),
                    )
                    .help("this runner reads format_version = 1"),
            ),
            // A value of the wrong type was reported while reading.
            None if top.dropped.iter().any(|k| k == "format_version") => {}
            None => self.errors.push(
                self.source
                    .error("missing `format_version`")
                    .help("add `format_version = 1` at the top of the file"),
            ),
        }
    }

    fn language_of(&mut self, top: &Entry<TopLevel>) -> Language {
        let Some(key) = &top.fields.toolchain else {
            return Language::Rust;
        };
        Language::from_key(key.get_ref()).unwrap_or_else(|| {
            self.errors.push(
                self.source
                    .error_at(
                        key.span().start,
                        format!("unknown toolchain `{}`", key.get_ref()),
                    )
                    .help(
                        "this runner knows `toolchain = \"rust\"` (the default) and `\"python\"`",
                    ),
            );
            Language::Rust
        })
    }

    fn declare_section(&mut self, entry: &'a Entry<SectionEntry>) {
        let section = &entry.fields;
        let dir = section.dir.get_ref();
        let at = section.dir.span().start;
        let usable = folder_name_problem(dir).is_none();
        if entry.is_clean() {
            if let Some(problem) = folder_name_problem(dir) {
                self.error_at(at, format!("section dir `{dir}` {problem}"));
            }
            if section.title.get_ref().trim().is_empty() {
                let message = format!("section `{dir}` has an empty title");
                self.error_at(section.title.span().start, message);
            }
            if self.declared.contains_key(dir) {
                self.error_at(at, format!("section `{dir}` is declared twice"));
            }
            if self.language == Language::Python && !section.features.is_empty() {
                let message = format!(
                    "section `{dir}` sets `features`, which only Rust courses have (cargo features of the exercise package)"
                );
                self.error_at(at, message);
            }
            if let Some(bad) = (section.features.iter()).find(|f| {
                f.is_empty()
                    || !f
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
            }) {
                let message = format!(
                    "section `{dir}` names the feature `{bad}`: a cargo feature name is letters, digits, `_` and `-`"
                );
                self.error_at(at, message);
            }
        }
        if usable {
            self.declared.entry(dir.clone()).or_insert((at, section));
        }
    }

    /// Checks one `[[exercises]]` entry and returns the exercise, if its name and folder can
    /// be read.
    fn exercise(&mut self, entry: &Entry<ExerciseEntry>) -> Option<Exercise> {
        let fields = &entry.fields;
        let name = fields.name.get_ref();
        let dir = fields.dir.as_ref().map_or("", |d| d.get_ref().as_str());
        // Only names that are one folder (or file) name are joined to paths.
        let readable = folder_name_problem(name).is_none()
            && (fields.dir.is_none() || folder_name_problem(dir).is_none());
        let on_disk = if readable {
            OnDisk::find(self.root, dir, name, self.language)
        } else {
            OnDisk::Neither
        };
        // Entries whose keys were wrong were reported while reading, and their defaults are
        // not what the author meant: no rule is checked against them.
        if entry.is_clean()
            && let Err(problem) = self.check_exercise(fields, dir, on_disk)
        {
            self.errors.push(problem);
        }
        if !readable {
            return None;
        }
        self.first_use
            .entry(name.clone())
            .or_insert(fields.name.span().start);
        let section = self.section_of(dir);
        Some(Exercise {
            name: name.clone(),
            dir: dir.to_string(),
            section,
            features: self.sections[section].features.clone(),
            test: fields.test.unwrap_or(true),
            strict_clippy: fields.strict_clippy.unwrap_or(false),
            hint: hint(fields),
            skip_check_unsolved: fields.skip_check_unsolved.unwrap_or(false),
            timeout_secs: fields
                .timeout_secs
                .as_ref()
                .map(|t| *t.get_ref())
                .filter(|t| timeout_is_valid(*t))
                .unwrap_or(DEFAULT_TIMEOUT_SECS),
            points: fields.points.unwrap_or(1),
            locked: locked_names(&fields.locked),
            tests: fields.tests,
            shape: on_disk.shape_or_solutions(self.root, dir, name, self.language),
            language: self.language,
            typecheck: fields.typecheck.unwrap_or(false),
            support: fields.support.iter().map(|s| s.get_ref().clone()).collect(),
            services: services_of(fields),
        })
    }

    /// The rules of one exercise, in order. Problems that leave the entry's later rules
    /// meaningless (its name, its folder, its files) end the checks and are returned; the
    /// others are pushed and the checks go on.
    fn check_exercise(
        &mut self,
        fields: &ExerciseEntry,
        dir: &str,
        on_disk: OnDisk,
    ) -> Result<(), CourseError> {
        let name = fields.name.get_ref();
        let name_at = fields.name.span().start;
        self.check_name(name, name_at)?;
        if let Some(d) = &fields.dir {
            self.check_dir(d, name)?;
        }
        if hint(fields).is_empty() {
            let at = fields.hint.as_ref().map_or(name_at, |h| h.span().start);
            self.errors.push(
                self.source
                    .error_at(at, format!("exercise `{name}` has no hint"))
                    .help("every exercise needs a `hint` that unblocks a learner"),
            );
        }
        if let Some(t) = &fields.timeout_secs
            && !timeout_is_valid(*t.get_ref())
        {
            let message =
                format!("timeout_secs of `{name}` must be between 1 and {MAX_TIMEOUT_SECS}");
            self.error_at(t.span().start, message);
        }
        self.check_shape(name, dir, name_at, on_disk)?;
        self.check_section(name, dir, name_at)?;
        self.check_language_keys(fields, dir, name_at);
        for (at, message, help) in locked_problems(&fields.locked, name) {
            self.errors
                .push(self.source.error_at(at, message).help(help));
        }
        Ok(())
    }

    /// Keys that only one language has, and what a Python exercise needs besides its file.
    fn check_language_keys(&mut self, fields: &ExerciseEntry, dir: &str, at: usize) {
        let name = fields.name.get_ref();
        let refuse = |this: &mut Self, key: &str, why: &str| {
            let message = format!("exercise `{name}` sets `{key}`, which {why}");
            this.errors.push(this.source.error_at(at, message));
        };
        match self.language {
            Language::Rust => {
                if fields.typecheck.is_some() {
                    refuse(
                        self,
                        "typecheck",
                        "only Python exercises have (clippy: `strict_clippy`)",
                    );
                }
                if !fields.support.is_empty() {
                    refuse(self, "support", "only Python exercises have");
                }
                if !fields.services.is_empty() {
                    refuse(self, "services", "only Python exercises have");
                }
            }
            Language::Python => {
                if fields.strict_clippy.is_some() {
                    refuse(
                        self,
                        "strict_clippy",
                        "only Rust exercises have (Python: `typecheck`)",
                    );
                }
                if !fields.locked.is_empty() {
                    refuse(self, "locked", "only Rust exercises have");
                }
                if name.starts_with(|c: char| c.is_ascii_digit()) {
                    let message = format!(
                        "exercise name `{name}` starts with a digit: the tests import it as a Python module"
                    );
                    self.errors.push(self.source.error_at(at, message));
                }
                if fields.test != Some(false) && fields.tests.is_none() {
                    self.errors.push(
                        self.source
                            .error_at(at, format!("Python exercise `{name}` has no `tests` count"))
                            .help("add `tests = N`: the number of tests pytest collects (`dev check` says it)"),
                    );
                }
                let folder = Path::new("exercises").join(dir);
                let tests = folder.join(format!("test_{name}.py"));
                if fields.test != Some(false) && !self.root.join(&tests).is_file() {
                    self.errors.push(
                        self.source
                            .error_at(
                                at,
                                format!("the tests of `{name}`, {}, are missing", tests.display()),
                            )
                            .help(format!(
                                "a learner restores them with `backendlings reset {name}`"
                            )),
                    );
                }
                for service in &fields.services {
                    if Service::from_key(service.get_ref()).is_none() {
                        let known: Vec<&str> = Service::ALL.iter().map(|s| s.key()).collect();
                        let message = format!(
                            "unknown service `{}` in `{name}`: the runner knows {}",
                            service.get_ref(),
                            known.join(", ")
                        );
                        self.error_at(service.span().start, message);
                    }
                }
                for file in &fields.support {
                    let file_name = file.get_ref();
                    let plain =
                        folder_name_problem(file_name).is_none() && file_name.ends_with(".py");
                    if !plain {
                        let message = format!(
                            "support file `{file_name}` of `{name}` must be a `.py` file name in the exercise's folder"
                        );
                        self.error_at(file.span().start, message);
                    } else if !self.root.join(folder.join(file_name)).is_file() {
                        let message = format!(
                            "support file {} of `{name}` is missing",
                            folder.join(file_name).display()
                        );
                        self.error_at(file.span().start, message);
                    }
                }
            }
        }
    }

    fn check_name(&self, name: &str, at: usize) -> Result<(), CourseError> {
        if name.is_empty() {
            return Err(self.source.error_at(at, "an exercise has an empty name"));
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
            return Err(self
                .source
                .error_at(
                    at,
                    format!("exercise name `{name}` contains {what} {bad:?}"),
                )
                .help("names may only use letters, digits and `_`; the folder goes in `dir`"));
        }
        if let Some(&first) = self.first_use.get(name) {
            let line = self.source.line_of(first);
            let message = format!("duplicate exercise name `{name}` (first used on line {line})");
            return Err(self.source.error_at(at, message));
        }
        Ok(())
    }

    fn check_dir(&self, dir: &Spanned<String>, name: &str) -> Result<(), CourseError> {
        let (at, dir) = (dir.span().start, dir.get_ref());
        if let Some(problem) = folder_name_problem(dir) {
            let message = format!("dir `{dir}` of exercise `{name}` {problem}");
            return Err(self.source.error_at(at, message));
        }
        let folder = Path::new("exercises").join(dir);
        if !self.root.join(&folder).is_dir() {
            let message = format!("dir `{dir}` of exercise `{name}` has no folder");
            let help = format!("create {} or fix the `dir`", folder.display());
            return Err(self.source.error_at(at, message).help(help));
        }
        Ok(())
    }

    fn check_shape(
        &self,
        name: &str,
        dir: &str,
        at: usize,
        on_disk: OnDisk,
    ) -> Result<(), CourseError> {
        let (file, folder_main) = candidate_paths(dir, name, self.language);
        let (file, folder_main) = (file.display(), folder_main.display());
        match on_disk {
            OnDisk::File | OnDisk::Dir => Ok(()),
            OnDisk::Both => Err(self
                .source
                .error_at(
                    at,
                    format!("exercise `{name}` exists both as {file} and as {folder_main}"),
                )
                .help("keep one of the two shapes")),
            OnDisk::Neither => {
                let mut error = self
                    .source
                    .error_at(at, format!("exercise file {file} is missing"))
                    .help(format!(
                        "create it (or {folder_main} for a multi-file exercise), or remove the entry; a learner restores it with `backendlings reset {name}`"
                    ));
                error.missing_exercise = true;
                Err(error)
            }
        }
    }

    fn check_section(&self, name: &str, dir: &str, at: usize) -> Result<(), CourseError> {
        // A `[[sections]]` entry that could not be read (reported) may be the one for `dir`.
        if !self.declares_sections || self.declared.contains_key(dir) || self.unread_sections {
            return Ok(());
        }
        let message =
            format!("exercise `{name}` is in dir `{dir}`, which no [[sections]] entry declares");
        let help = format!("add [[sections]] with dir = \"{dir}\" and a title");
        Err(self.source.error_at(at, message).help(help))
    }

    /// The index of the section of folder `dir`, added on first use: declared ones with their
    /// title, others (rustlings' courses, or an undeclared folder already reported) named after
    /// their folder.
    fn section_of(&mut self, dir: &str) -> usize {
        if let Some(&index) = self.section_index.get(dir) {
            return index;
        }
        let section = match self.declared.get(dir) {
            Some((_, entry)) => Section {
                dir: dir.to_string(),
                title: entry.title.get_ref().trim().to_string(),
                summary: entry.summary.clone(),
                features: entry.features.clone(),
            },
            None => Section {
                dir: dir.to_string(),
                title: if dir.is_empty() {
                    "Exercises".into()
                } else {
                    dir.to_string()
                },
                summary: None,
                features: Vec::new(),
            },
        };
        self.sections.push(section);
        self.section_index
            .insert(dir.to_string(), self.sections.len() - 1);
        self.sections.len() - 1
    }

    /// Declared sections that no exercise uses: an error in a course that is otherwise valid
    /// (before, it would only repeat the exercises' own problems), and still listed.
    fn add_unused_sections(&mut self, report: bool) {
        let unused: Vec<(String, usize)> = self
            .declared
            .iter()
            .filter(|(dir, _)| !self.section_index.contains_key(*dir))
            .map(|(dir, (at, _))| (dir.clone(), *at))
            .collect();
        for (dir, at) in unused {
            if report {
                self.errors.push(
                    self.source
                        .error_at(at, format!("section `{dir}` has no exercises"))
                        .help("remove it or add exercises with this dir"),
                );
            }
            self.section_of(&dir);
        }
    }

    /// Sections in the order they are declared (implicit ones after, in order of first use),
    /// and exercises in curriculum order: by section, then by position in `info.toml`.
    fn sections_in_order(&self, exercises: &mut [Exercise]) -> Vec<Section> {
        let mut order: Vec<usize> = (0..self.sections.len()).collect();
        order.sort_by_key(|&i| {
            self.declared
                .get(&self.sections[i].dir)
                .map_or(usize::MAX, |(at, _)| *at)
        });
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        for exercise in exercises.iter_mut() {
            exercise.section = new_index[exercise.section];
        }
        // A stable sort keeps the file's order within a section.
        exercises.sort_by_key(|e| e.section);
        order.iter().map(|&i| self.sections[i].clone()).collect()
    }
}

/// Which of an exercise's two shapes exist on disk.
#[derive(Debug, Clone, Copy)]
enum OnDisk {
    File,
    Dir,
    Both,
    Neither,
}

impl OnDisk {
    fn find(root: &Path, dir: &str, name: &str, language: Language) -> OnDisk {
        let (file, folder_main) = candidate_paths(dir, name, language);
        match (root.join(file).is_file(), root.join(folder_main).is_file()) {
            (true, false) => OnDisk::File,
            (false, true) => OnDisk::Dir,
            (true, true) => OnDisk::Both,
            (false, false) => OnDisk::Neither,
        }
    }

    /// [`OnDisk::shape`], and for a missing exercise the shape of its solution when there is
    /// one (a learner deleted a folder exercise).
    fn shape_or_solutions(self, root: &Path, dir: &str, name: &str, language: Language) -> Shape {
        let solution_folder =
            (root.join("solutions").join(dir).join(name)).join(language.folder_main());
        match self {
            OnDisk::Neither if solution_folder.is_file() => Shape::Dir,
            _ => self.shape(),
        }
    }

    /// The shape the course uses. When it is not one of the two, an error was reported, and
    /// the one-file shape (the one that message asks for) stands in.
    fn shape(self) -> Shape {
        match self {
            OnDisk::Dir => Shape::Dir,
            OnDisk::File | OnDisk::Both | OnDisk::Neither => Shape::File,
        }
    }
}

/// The exercise's path as one file and its `main.rs` as a folder, relative to the root.
fn candidate_paths(
    dir: &str,
    name: &str,
    language: Language,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let base = Path::new("exercises").join(dir);
    (
        base.join(format!("{name}.{}", language.extension())),
        base.join(name).join(language.folder_main()),
    )
}

/// The known services an entry names, each once, in a fixed order (unknown ones are reported).
fn services_of(fields: &ExerciseEntry) -> Vec<Service> {
    let mut services: Vec<Service> = (fields.services.iter())
        .filter_map(|s| Service::from_key(s.get_ref()))
        .collect();
    services.sort();
    services.dedup();
    services
}

fn hint(fields: &ExerciseEntry) -> String {
    fields
        .hint
        .as_ref()
        .map(|h| h.get_ref().trim().to_string())
        .unwrap_or_default()
}

fn timeout_is_valid(secs: u64) -> bool {
    (1..=MAX_TIMEOUT_SECS).contains(&secs)
}

/// The `locked` names that can be used: Rust identifiers (the grader matches them against item
/// names, so anything else could never match), each once.
fn locked_names(entries: &[Spanned<String>]) -> Vec<String> {
    let mut locked: Vec<String> = Vec::with_capacity(entries.len());
    for entry in entries {
        let item = entry.get_ref();
        if is_identifier(item) && !locked.contains(item) {
            locked.push(item.clone());
        }
    }
    locked
}

/// What is wrong with the `locked` list of exercise `name`: (offset, message, help).
fn locked_problems(entries: &[Spanned<String>], name: &str) -> Vec<(usize, String, &'static str)> {
    let mut seen: Vec<&str> = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for entry in entries {
        let (item, at) = (entry.get_ref(), entry.span().start);
        if !is_identifier(item) {
            problems.push((
                at,
                format!("`locked` entry {item:?} of exercise `{name}` is not a Rust identifier"),
                "list the names of top-level items (fn, struct, enum, trait, const, static, type, mod, macro_rules), e.g. locked = [\"query_plan\"]",
            ));
        } else if seen.contains(&item.as_str()) {
            problems.push((
                at,
                format!("`{item}` is locked twice in exercise `{name}`"),
                "list each name once",
            ));
        } else {
            seen.push(item);
        }
    }
    problems
}

fn is_identifier(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// What keeps `name` from being one folder (or file) name that is safe to join to a path.
pub(super) fn folder_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("is empty")
    } else if name.contains(['/', '\\']) {
        Some("contains a path separator; use one folder name")
    } else if name == "." || name == ".." {
        Some("is not a folder name")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_not_joined_to_paths() {
        for name in ["", ".", "..", "a/b", "a\\b"] {
            assert!(folder_name_problem(name).is_some(), "{name:?}");
        }
        assert_eq!(folder_name_problem("intro1"), None);
        assert_eq!(folder_name_problem("two-b"), None);
    }

    #[test]
    fn locked_names_keep_the_usable_ones_once() {
        let entries: Vec<Spanned<String>> = ["a", "fn b", "a", "C"]
            .iter()
            .enumerate()
            .map(|(i, s)| Spanned::new(i..i + 1, s.to_string()))
            .collect();
        assert_eq!(locked_names(&entries), ["a", "C"]);
        let offsets: Vec<usize> = locked_problems(&entries, "x").iter().map(|p| p.0).collect();
        assert_eq!(offsets, [1, 2]);
    }
}
