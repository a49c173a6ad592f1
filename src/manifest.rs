//! The exercise package's cargo manifest: where it lives and its generated `bin` list.
//!
//! Every exercise (and every solution that exists) is a binary of one cargo package. Its `bin`
//! list is generated from `info.toml`; the rest of the manifest (dependencies, lints) belongs to
//! the course author and is preserved by every rewrite.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Value};

use crate::course::Course;
use crate::fsutil::write_atomic;

/// Where the exercise package's manifest lives: `dev/Cargo.toml` when the course root's own
/// `Cargo.toml` is something else (as in this repository, where it is the runner), otherwise
/// `Cargo.toml` at the course root (rustlings community courses, `init` workspaces).
pub fn manifest_path(root: &Path) -> PathBuf {
    let dev = root.join("dev").join("Cargo.toml");
    if dev.is_file() {
        dev
    } else {
        root.join("Cargo.toml")
    }
}

/// The manifest's lock file: the one of the enclosing cargo workspace.
pub fn lock_path(root: &Path) -> PathBuf {
    root.join("Cargo.lock")
}

/// One `bin` entry: a binary name and its path relative to the manifest's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinEntry {
    pub name: String,
    pub path: String,
}

/// The `bin` list `info.toml` asks for: every exercise, then every solution that exists.
pub fn expected_bins(course: &Course, manifest: &Path) -> Vec<BinEntry> {
    let prefix = if manifest.parent() == Some(course.root.as_path()) {
        ""
    } else {
        "../"
    };
    let path_of = |rel: PathBuf| format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
    let mut bins: Vec<BinEntry> = course
        .exercises
        .iter()
        .map(|e| BinEntry {
            name: e.name.clone(),
            path: path_of(e.rel_main_file()),
        })
        .collect();
    bins.extend(
        course
            .exercises
            .iter()
            .filter(|e| course.root.join(e.rel_solution_main_file()).is_file())
            .map(|e| BinEntry {
                name: e.solution_bin_name(),
                path: path_of(e.rel_solution_main_file()),
            }),
    );
    bins
}

/// Reads the `bin` list a manifest declares (either `bin = [...]` or `[[bin]]` tables).
fn declared_bins(doc: &DocumentMut) -> Vec<BinEntry> {
    let entry = |name: Option<&Value>, path: Option<&Value>| BinEntry {
        name: name.and_then(Value::as_str).unwrap_or_default().to_string(),
        path: path.and_then(Value::as_str).unwrap_or_default().to_string(),
    };
    match doc.get("bin") {
        Some(Item::Value(Value::Array(array))) => array
            .iter()
            .filter_map(Value::as_inline_table)
            .map(|t| entry(t.get("name"), t.get("path")))
            .collect(),
        Some(Item::ArrayOfTables(tables)) => tables
            .iter()
            .map(|t| {
                entry(
                    t.get("name").and_then(Item::as_value),
                    t.get("path").and_then(Item::as_value),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// How the manifest on disk compares with what `info.toml` asks for. The order of the `bin`
/// list does not matter to cargo, so it does not matter here either: rustlings interleaves each
/// exercise with its solution, this runner lists exercises first, and both are in sync.
#[derive(Debug, PartialEq, Eq)]
pub enum ManifestState {
    Current,
    /// The exercise binaries differ (missing, extra, or pointing elsewhere).
    OutOfDate,
    /// Only solutions that now exist are not yet listed: harmless for checking exercises.
    MissingSolutions,
    Missing,
}

pub fn sync_state(course: &Course) -> Result<ManifestState> {
    let path = manifest_path(&course.root);
    if !path.is_file() {
        return Ok(ManifestState::Missing);
    }
    let doc = read(&path)?;
    let key = |b: &BinEntry| (b.name.clone(), b.path.clone());
    let expected: BTreeSet<(String, String)> =
        expected_bins(course, &path).iter().map(key).collect();
    let declared: BTreeSet<(String, String)> = declared_bins(&doc).iter().map(key).collect();
    if declared == expected {
        return Ok(ManifestState::Current);
    }
    let exercises_listed = expected
        .iter()
        .filter(|(name, _)| course.find(name).is_some())
        .all(|bin| declared.contains(bin));
    if exercises_listed && declared.is_subset(&expected) {
        Ok(ManifestState::MissingSolutions)
    } else {
        Ok(ManifestState::OutOfDate)
    }
}

fn read(path: &Path) -> Result<DocumentMut> {
    Ok(read_with_text(path)?.0)
}

/// The parsed manifest and the text it was parsed from (to tell whether a rewrite changed it).
fn read_with_text(path: &Path) -> Result<(DocumentMut, String)> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc = text
        .parse::<DocumentMut>()
        .with_context(|| format!("{} is not valid TOML", path.display()))?;
    Ok((doc, text))
}

/// Rewrites the manifest's `bin` list from `info.toml`, keeping everything else. Creates a
/// minimal manifest when there is none. Returns whether the file changed.
pub fn update(course: &Course) -> Result<bool> {
    let path = manifest_path(&course.root);
    let (mut doc, before) = if path.is_file() {
        read_with_text(&path)?
    } else {
        (new_manifest().parse::<DocumentMut>()?, String::new())
    };
    if doc.get("package").is_none() {
        bail!(
            "{} has no [package] table; it is not an exercise package",
            path.display()
        );
    }
    set_bins(&mut doc, &expected_bins(course, &path));
    let after = doc.to_string();
    if after == before {
        return Ok(false);
    }
    write_atomic(&path, after.as_bytes())?;
    Ok(true)
}

fn set_bins(doc: &mut DocumentMut, bins: &[BinEntry]) {
    let mut array = Array::new();
    for bin in bins {
        let mut table = InlineTable::new();
        table.insert("name", bin.name.as_str().into());
        table.insert("path", bin.path.as_str().into());
        let mut value = Value::InlineTable(table);
        value.decor_mut().set_prefix("\n  ");
        array.push_formatted(value);
    }
    array.set_trailing("\n");
    array.set_trailing_comma(true);
    // Assigning through the index keeps the key and the comments above it.
    if doc.get("bin").is_some_and(|item| !item.is_value()) {
        doc.remove("bin");
    }
    doc["bin"] = Item::Value(Value::Array(array));
}

/// The manifest of a new course without crates; `bin` is filled in by [`update`].
pub fn new_manifest() -> &'static str {
    r#"# The exercise package: one binary per exercise and per solution.
# The `bin` list is generated from info.toml by `backendlings dev update`; do not edit it by hand.

bin = []

[package]
name = "exercises"
version = "0.0.0"
edition = "2024"
publish = false
autobins = false
autoexamples = false
autotests = false
autobenches = false

[dependencies]
"#
}

/// Removes the course manifest's `default-run` from a copy of its `[package]`: it names the
/// course folder's own `src/main.rs` (`dev/`), which copies and build packages lack.
pub fn drop_default_run(package: &mut dyn toml_edit::TableLike) {
    package.remove("default-run");
}

/// A stand-alone copy of the exercise manifest for a course laid out at `dest` (exercises in
/// `dest/exercises`): `bin` paths relative to `dest`, solutions only where `with_solutions`, and
/// an empty `[workspace]` so cargo never looks for an enclosing workspace.
pub fn standalone(course: &Course, with_solutions: bool) -> Result<String> {
    let path = manifest_path(&course.root);
    let mut doc = if path.is_file() {
        read(&path)?
    } else {
        new_manifest().parse()?
    };
    let bins: Vec<BinEntry> = expected_bins(course, &course.root.join("Cargo.toml"))
        .into_iter()
        .filter(|b| with_solutions || course.find(&b.name).is_some())
        .collect();
    set_bins(&mut doc, &bins);
    if let Some(package) = doc.get_mut("package").and_then(Item::as_table_like_mut) {
        drop_default_run(package);
    }
    if let Some(dir) = path.parent() {
        rebase_path_dependencies(doc.as_table_mut(), dir);
    }
    if doc.get("workspace").is_none() {
        doc.insert("workspace", Item::Table(toml_edit::Table::new()));
    }
    Ok(doc.to_string())
}

/// Makes `path = "..."` dependencies absolute, for a manifest copied to another folder than
/// the one it was written for (build packages, grading sandboxes). Covers `[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]` and their `[target.'cfg'.*]` forms.
pub fn rebase_path_dependencies(table: &mut toml_edit::Table, base: &Path) {
    for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = table.get_mut(kind).and_then(Item::as_table_like_mut) else {
            continue;
        };
        for (_, dep) in deps.iter_mut() {
            let Some(dep) = dep.as_table_like_mut() else {
                continue;
            };
            let Some(path) = dep.get("path").and_then(Item::as_str).map(PathBuf::from) else {
                continue;
            };
            if path.is_relative() {
                let absolute = base.join(path);
                dep.insert(
                    "path",
                    toml_edit::value(absolute.to_string_lossy().as_ref()),
                );
            }
        }
    }
    if let Some(targets) = table.get_mut("target").and_then(Item::as_table_mut) {
        for (_, platform) in targets.iter_mut() {
            if let Some(platform) = platform.as_table_mut() {
                rebase_path_dependencies(platform, base);
            }
        }
    }
}
