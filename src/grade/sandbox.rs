//! A learner's sandbox: a temporary folder laid out as a stand-alone course, holding the course's
//! `info.toml`, manifest and lock file and, for each exercise, the learner's files with the
//! course's tests spliced in. The learner's tree is only ever read.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use toml_edit::{DocumentMut, Item, Value};
use walkdir::WalkDir;

use super::contract;
use super::splice::{self, Modified};
use crate::course::{Course, Exercise, INFO_FILE, Shape};
use crate::manifest;

/// Larger exercise files are not graded (nobody writes a megabyte of exercise by hand).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Files copied from one directory exercise at most.
const MAX_DIR_FILES: usize = 256;
const MAX_DIR_DEPTH: usize = 8;

/// Why an exercise of a learner cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing(String),
    Unreadable(String),
    /// The learner's file breaks the exercise's contract with its tests ([`contract`]).
    Rejected(String),
}

/// One exercise as prepared in the sandbox.
#[derive(Debug, Clone)]
pub enum Prepared {
    /// With what the learner changed of the course's tests and locked items.
    Ready(Modified),
    Skipped(Problem),
}

pub struct Sandbox {
    /// Removed when dropped.
    pub dir: tempfile::TempDir,
    /// The canonical course, rooted at the sandbox.
    pub course: Course,
    /// One entry per course exercise, in curriculum order.
    pub exercises: Vec<Prepared>,
}

impl Sandbox {
    /// Indices of the exercises that are ready to compile.
    pub fn ready(&self) -> Vec<usize> {
        (0..self.exercises.len())
            .filter(|&i| matches!(self.exercises[i], Prepared::Ready { .. }))
            .collect()
    }
}

/// Builds the sandbox of the learner tree at `learner_root`; the cargo package is named
/// `package` (unique per learner, so that executables in a shared build folder never collide).
pub fn prepare(course: &Course, learner_root: &Path, package: &str) -> Result<Sandbox> {
    let dir = tempfile::Builder::new()
        .prefix("backendlings-grade-")
        .tempdir()
        .context("cannot create a temporary folder for the sandbox")?;
    let root = dir.path();
    let learner_root = fs::canonicalize(learner_root)
        .with_context(|| format!("cannot resolve {}", learner_root.display()))?;

    let exercises: Vec<Prepared> = course
        .exercises
        .iter()
        .map(|exercise| {
            match prepare_exercise(&course.root, exercise, &learner_root, root) {
                Ok(modified) => Prepared::Ready(modified),
                Err(problem) => {
                    // Leave nothing half-written behind for an exercise that is not compiled.
                    let _ = fs::remove_dir_all(root.join(exercise.rel_path()));
                    Prepared::Skipped(problem)
                }
            }
        })
        .collect();

    let ready: Vec<&str> = course
        .exercises
        .iter()
        .zip(&exercises)
        .filter(|(_, p)| matches!(p, Prepared::Ready { .. }))
        .map(|(e, _)| e.name.as_str())
        .collect();
    fs::write(
        root.join("Cargo.toml"),
        standalone_manifest(course, package, &ready)?,
    )
    .context("cannot write the sandbox manifest")?;
    let lock = manifest::lock_path(&course.root);
    if lock.is_file() {
        fs::copy(&lock, root.join("Cargo.lock")).context("cannot copy the course's Cargo.lock")?;
    }
    fs::copy(course.root.join(INFO_FILE), root.join(INFO_FILE))
        .context("cannot copy the course's info.toml")?;

    let mut sandbox_course = course.clone();
    sandbox_course.root = root.to_path_buf();
    Ok(Sandbox {
        dir,
        course: sandbox_course,
        exercises,
    })
}

/// The course's stand-alone manifest, renamed to `package`, listing only the `ready` exercises
/// (cargo refuses a manifest whose binaries' files are missing).
pub fn standalone_manifest(course: &Course, package: &str, ready: &[&str]) -> Result<String> {
    let mut doc: DocumentMut = manifest::standalone(course, false)?
        .parse()
        .context("the course's exercise manifest is not valid TOML")?;
    doc["package"]["name"] = toml_edit::value(package);
    if let Some(Item::Value(Value::Array(bins))) = doc.get_mut("bin") {
        bins.retain(|bin| {
            bin.as_inline_table()
                .and_then(|t| t.get("name"))
                .and_then(Value::as_str)
                .is_some_and(|name| ready.contains(&name))
        });
    }
    Ok(doc.to_string())
}

/// What the learner at `learner_root` changed of the tests and locked items of `exercise`, found
/// exactly as grading finds it (the exercise is prepared into a throwaway folder) against the
/// course files in `course_root`: `run` and watch mode warn with it.
pub fn modified(
    course_root: &Path,
    exercise: &Exercise,
    learner_root: &Path,
) -> Result<Modified, Problem> {
    let unreadable = |err: std::io::Error| Problem::Unreadable(err.to_string());
    let scratch = tempfile::tempdir().map_err(unreadable)?;
    let learner_root = fs::canonicalize(learner_root).map_err(unreadable)?;
    prepare_exercise(course_root, exercise, &learner_root, scratch.path())
}

/// Copies one exercise into the sandbox with the course's tests and locked items.
fn prepare_exercise(
    course_root: &Path,
    exercise: &Exercise,
    learner_root: &Path,
    sandbox: &Path,
) -> Result<Modified, Problem> {
    let rel = exercise.rel_path();
    match exercise.shape {
        Shape::File => {
            let learner = read_learner_text(learner_root, &rel)?;
            let canonical = read_course_text(course_root, &rel)?;
            keeps_contract(&rel, &learner, &canonical)?;
            let spliced = splice::splice(&learner, &canonical, &exercise.locked);
            write(sandbox, &rel, spliced.source.as_bytes())?;
            Ok(Modified {
                tests: spliced.tests_modified,
                locked: spliced.locked_modified,
            })
        }
        Shape::Dir => prepare_dir(course_root, &rel, &exercise.locked, learner_root, sandbox),
    }
}

fn prepare_dir(
    course_root: &Path,
    rel: &Path,
    locked: &[String],
    learner_root: &Path,
    sandbox: &Path,
) -> Result<Modified, Problem> {
    // The crate root decides whether the exercise is there at all.
    read_learner_text(learner_root, &rel.join("main.rs"))?;
    let course_dir = course_root.join(rel);
    let test_files = canonical_test_files(&course_dir);
    let mut modified = Modified::default();
    let learner_files = learner_files(learner_root, rel)?;

    for file in &learner_files {
        let rel_file = rel.join(file);
        if test_files.contains(file) {
            continue;
        }
        let is_rust = file.extension().is_some_and(|e| e == "rs");
        if !is_rust {
            // Data files (fixtures for `include_str!`) are copied when they are sane.
            if let Ok(bytes) = read_learner_bytes(learner_root, &rel_file) {
                write(sandbox, &rel_file, &bytes)?;
            }
            continue;
        }
        let learner = read_learner_text(learner_root, &rel_file)?;
        // A module the course does not have is the learner's own; it may not define locked
        // items either.
        let canonical = fs::read_to_string(course_dir.join(file)).unwrap_or_default();
        if !canonical.is_empty() {
            keeps_contract(&rel_file, &learner, &canonical)?;
        }
        let names = splice::with_module_names(locked, &canonical);
        let spliced = splice::splice(&learner, &canonical, &names);
        modified.add(spliced.tests_modified, spliced.locked_modified);
        write(sandbox, &rel_file, spliced.source.as_bytes())?;
    }
    // Locked items in a course file the learner deleted.
    if !locked.is_empty() {
        for file in crate::fsutil::files_below(&course_dir) {
            if file.extension().is_some_and(|e| e == "rs")
                && !learner_files.contains(&file)
                && !test_files.contains(&file)
            {
                let canonical = read_course_text(course_root, &rel.join(&file))?;
                modified.add(false, splice::locked_names_in(&canonical, locked));
            }
        }
    }

    for file in &test_files {
        let rel_file = rel.join(file);
        let canonical = read_course_text(course_root, &rel_file)?;
        let same = read_learner_text(learner_root, &rel_file)
            .is_ok_and(|learner| splice::same_tokens(&learner, &canonical));
        modified.tests |= !same;
        write(
            sandbox,
            &rel_file,
            splice::harden_file(&canonical).as_bytes(),
        )?;
    }
    Ok(modified)
}

/// The course's test module files of a directory exercise (`#[cfg(test)] mod tests;` in any of
/// its files), relative to the exercise folder.
pub(crate) fn canonical_test_files(course_dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for rel in crate::fsutil::files_below(course_dir) {
        if rel.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Ok(source) = fs::read_to_string(course_dir.join(&rel)) else {
            continue;
        };
        let parent = rel.parent().unwrap_or(Path::new("")).to_path_buf();
        let is_mod_root = rel
            .file_name()
            .is_some_and(|n| n == "main.rs" || n == "mod.rs" || n == "lib.rs");
        let base = if is_mod_root {
            parent.clone()
        } else {
            parent.join(rel.file_stem().unwrap_or_default())
        };
        for (name, path) in splice::external_test_modules(&source) {
            let candidates = match path {
                Some(path) => vec![parent.join(path)],
                None => vec![
                    base.join(format!("{name}.rs")),
                    base.join(&name).join("mod.rs"),
                ],
            };
            if let Some(file) = candidates
                .into_iter()
                .find(|c| course_dir.join(c).is_file())
            {
                found.push(file);
            }
        }
    }
    found
}

/// Every regular file of a learner's exercise folder, relative to it. Symlinks that resolve
/// inside the learner tree count as the file they point to; others are left out.
fn learner_files(learner_root: &Path, rel: &Path) -> Result<Vec<PathBuf>, Problem> {
    let top = learner_root.join(rel);
    let mut files = Vec::new();
    // What is in the exercise folder and in folders down to MAX_DIR_DEPTH below it.
    let entries = WalkDir::new(&top)
        .min_depth(1)
        .max_depth(MAX_DIR_DEPTH + 1)
        .into_iter()
        .filter_map(Result::ok);
    for entry in entries {
        let kind = entry.file_type();
        if (kind.is_file() || (kind.is_symlink() && inside(learner_root, entry.path())))
            && let Ok(rel_entry) = entry.path().strip_prefix(&top)
        {
            files.push(rel_entry.to_path_buf());
        }
        if files.len() > MAX_DIR_FILES {
            return Err(Problem::Unreadable(format!(
                "{} holds more than {MAX_DIR_FILES} files; it was not graded",
                rel.display()
            )));
        }
    }
    files.sort();
    Ok(files)
}

fn inside(root: &Path, path: &Path) -> bool {
    fs::canonicalize(path).is_ok_and(|real| real.starts_with(root))
}

/// Reads a learner file as UTF-8 text, refusing what the grader must not compile.
fn read_learner_text(learner_root: &Path, rel: &Path) -> Result<String, Problem> {
    let bytes = read_learner_bytes(learner_root, rel)?;
    String::from_utf8(bytes).map_err(|_| {
        Problem::Unreadable(format!(
            "{} is not UTF-8 text (binary data?); it was not compiled",
            rel.display()
        ))
    })
}

fn read_learner_bytes(learner_root: &Path, rel: &Path) -> Result<Vec<u8>, Problem> {
    let path = learner_root.join(rel);
    let shown = rel.display();
    let meta = match fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(Problem::Missing(format!("{shown} does not exist")));
        }
        Err(err) => return Err(Problem::Unreadable(format!("cannot read {shown}: {err}"))),
    };
    // The folders on the way, or the file itself, may be symlinks: where it really is decides.
    let real = fs::canonicalize(&path).map_err(|_| {
        Problem::Unreadable(format!(
            "{shown} is a symlink to nothing; it was not followed"
        ))
    })?;
    if !real.starts_with(learner_root) {
        return Err(Problem::Unreadable(format!(
            "{shown} is a symlink pointing outside the learner tree; it was not followed"
        )));
    }
    let meta = if meta.file_type().is_symlink() {
        fs::metadata(&real)
            .map_err(|err| Problem::Unreadable(format!("cannot read {shown}: {err}")))?
    } else {
        meta
    };
    if !meta.is_file() {
        return Err(Problem::Unreadable(format!(
            "{shown} is not a regular file"
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::Unreadable(format!(
            "{shown} is {} bytes; files over 1 MiB are not graded",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    fs::File::open(&real)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|err| Problem::Unreadable(format!("cannot read {shown}: {err}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::Unreadable(format!(
            "{shown} is over 1 MiB; it was not graded"
        )));
    }
    Ok(bytes)
}

fn keeps_contract(rel: &Path, learner: &str, course: &str) -> Result<(), Problem> {
    let breaches = contract::breaches(learner, course);
    if breaches.is_empty() {
        return Ok(());
    }
    Err(Problem::Rejected(format!(
        "{} changes what the tests rely on, so it was not graded:\n  {}",
        rel.display(),
        breaches.join("\n  ")
    )))
}

fn read_course_text(course_root: &Path, rel: &Path) -> Result<String, Problem> {
    fs::read_to_string(course_root.join(rel)).map_err(|err| {
        Problem::Unreadable(format!(
            "the course's own {} cannot be read: {err}",
            rel.display()
        ))
    })
}

fn write(sandbox: &Path, rel: &Path, bytes: &[u8]) -> Result<(), Problem> {
    let path = sandbox.join(rel);
    path.parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&path, bytes))
        .map_err(|err| {
            Problem::Unreadable(format!(
                "cannot write the sandbox copy of {}: {err}",
                rel.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn symlinks_outside_binary_and_huge_files_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.rs"), "fn main() {}").unwrap();
        let learner = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(learner.path()).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.rs"), root.join("link.rs")).unwrap();
        fs::write(root.join("inside.rs"), "fn main() {}").unwrap();
        std::os::unix::fs::symlink(root.join("inside.rs"), root.join("ok_link.rs")).unwrap();
        fs::write(root.join("bin.rs"), [0xff, 0xfe, 0x00, 0x81]).unwrap();
        fs::write(root.join("big.rs"), vec![b'a'; MAX_FILE_BYTES as usize + 1]).unwrap();

        let read = |name: &str| read_learner_text(&root, Path::new(name));
        assert!(matches!(read("link.rs"), Err(Problem::Unreadable(m)) if m.contains("outside")));
        assert_eq!(read("ok_link.rs").unwrap(), "fn main() {}");
        assert!(matches!(read("bin.rs"), Err(Problem::Unreadable(m)) if m.contains("UTF-8")));
        assert!(matches!(read("big.rs"), Err(Problem::Unreadable(m)) if m.contains("1 MiB")));
        assert!(matches!(read("gone.rs"), Err(Problem::Missing(_))));
    }

    #[test]
    fn locked_items_of_a_folder_exercise_are_compared_file_by_file() {
        let write = |root: &Path, rel: &str, text: &str| {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        let course_dir = tempfile::tempdir().unwrap();
        let course_root = course_dir.path();
        write(
            course_root,
            INFO_FILE,
            "format_version = 1\n[[exercises]]\nname = \"store\"\nhint = \"h\"\nlocked = [\"statements\"]\n",
        );
        let main = "mod db;\nfn main() {\n    db::statements();\n}\n";
        let db = "pub fn statements() -> u32 {\n    1\n}\n";
        write(course_root, "exercises/store/main.rs", main);
        write(course_root, "exercises/store/db.rs", db);
        let course = Course::load(course_root).unwrap();
        let exercise = &course.exercises[0];

        let learner = |files: &[(&str, &str)]| {
            let dir = tempfile::tempdir().unwrap();
            for (rel, text) in files {
                write(dir.path(), &format!("exercises/store/{rel}"), text);
            }
            modified(course_root, exercise, dir.path()).unwrap().locked
        };
        assert!(learner(&[("main.rs", main), ("db.rs", db)]).is_empty());
        assert_eq!(
            learner(&[("main.rs", main)]),
            ["statements"],
            "db.rs deleted"
        );
        let with_extra = "mod db;\nmod extra;\nfn main() {}\n";
        assert_eq!(
            learner(&[("main.rs", with_extra), ("db.rs", db), ("extra.rs", db)]),
            ["statements"],
            "a learner module defines it again"
        );
        let swapped = "#[path = \"evil.rs\"]\nmod db;\nfn main() {}\n";
        assert_eq!(
            learner(&[
                ("main.rs", swapped),
                ("db.rs", db),
                ("evil.rs", "pub fn other() {}")
            ]),
            ["db"],
            "the course's module file swapped for the learner's"
        );
    }

    #[test]
    fn test_module_files_are_found_next_to_main() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("main.rs"),
            "mod a;\n#[cfg(test)]\nmod tests;\nfn main() {}\n",
        )
        .unwrap();
        fs::write(dir.path().join("a.rs"), "").unwrap();
        fs::write(dir.path().join("tests.rs"), "").unwrap();
        assert_eq!(
            canonical_test_files(dir.path()),
            [PathBuf::from("tests.rs")]
        );
    }

    #[test]
    fn a_folder_exercise_is_read_to_a_depth_and_up_to_a_number_of_files() {
        let learner = tempfile::tempdir().unwrap();
        let root = learner.path();
        let mut folder = root.join("ex");
        for level in 0..=MAX_DIR_DEPTH + 1 {
            fs::create_dir_all(&folder).unwrap();
            fs::write(folder.join(format!("f{level}.rs")), "").unwrap();
            folder.push("d");
        }
        let files = learner_files(root, Path::new("ex")).unwrap();
        // The folder's own files and those of MAX_DIR_DEPTH levels of folders below it.
        assert_eq!(files.len(), MAX_DIR_DEPTH + 1, "{files:?}");
        let deepest = format!("{}f{MAX_DIR_DEPTH}.rs", "d/".repeat(MAX_DIR_DEPTH));
        assert!(files.contains(&PathBuf::from(deepest)), "{files:?}");
        assert!(files.is_sorted());

        for i in 0..MAX_DIR_FILES {
            fs::write(root.join(format!("ex/many{i}.rs")), "").unwrap();
        }
        assert!(matches!(
            learner_files(root, Path::new("ex")),
            Err(Problem::Unreadable(m)) if m.contains("more than 256 files")
        ));
    }
}
