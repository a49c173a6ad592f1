//! Embeds the course as shipped (for `init`, `reset` and solution reveals), from `course.lock`.
//!
//! Only `course.lock` (and this script) make it run again, never the exercise files: a learner
//! edits, saves and commits exercises all day, and none of that may rebuild the runner or
//! change what it calls the original. Edited files are taken from git's objects by their
//! locked blob id; see `src/course_lock.rs` for why the lock is the author's record.

#[path = "src/course_lock.rs"]
#[allow(dead_code)]
mod course_lock;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The exercise package's manifest in this repository (see `manifest::manifest_path`).
const MANIFEST: &str = "dev/Cargo.toml";

fn main() {
    println!("cargo:rerun-if-changed={}", course_lock::LOCK_FILE);
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let entries = match course_lock::read(&root) {
        Ok(Some(entries)) => entries,
        Ok(None) => {
            println!(
                "cargo:warning={} is missing, so the working tree is embedded as the shipped course; `cargo run -- dev update` writes it",
                course_lock::LOCK_FILE
            );
            course_lock::from_working_tree(&root, MANIFEST).expect("cannot read the course")
        }
        Err(err) => panic!("{err}\n  help: `cargo run -- dev update` rewrites it"),
    };
    let store = out.join("course");
    let _ = fs::remove_dir_all(&store);
    let mut source = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    let mut edited = Vec::new();
    for entry in &entries {
        let Some((bytes, found)) = course_lock::shipped_bytes(&root, entry) else {
            println!(
                "cargo:warning={} was changed and git has no copy of its shipped version ({}); it is left out of the embedded course",
                entry.path, entry.id
            );
            continue;
        };
        if found == course_lock::Found::Git {
            edited.push(entry.path.as_str());
        }
        let dest = store.join(&entry.path);
        write(&dest, &bytes);
        let _ = writeln!(
            source,
            "    ({:?}, include_bytes!({:?})),",
            entry.path,
            dest.display().to_string()
        );
    }
    source.push_str("];\n");
    if let Some(first) = edited.first() {
        // Expected in a learner's clone; in an author's tree it means a forgotten `dev update`.
        println!(
            "cargo:warning={} course file(s) differ from {} ({first}...): their shipped versions are embedded; authors: `cargo run -- dev update` ships your edits",
            edited.len(),
            course_lock::LOCK_FILE
        );
    }
    embed_python(&root, &out, &mut source);
    write(&out.join("course_files.rs"), source.as_bytes());
}

/// The Python track (`python/`, its own `course.lock`), for `init --track python` and `reset`:
/// the files its lock names, in their shipped versions, and its package lock.
fn embed_python(root: &Path, out: &Path, source: &mut String) {
    let python = root.join("python");
    println!("cargo:rerun-if-changed=python/{}", course_lock::LOCK_FILE);
    println!("cargo:rerun-if-changed=python/requirements.lock");
    let entries = match course_lock::read(&python) {
        Ok(Some(entries)) => entries,
        _ => Vec::new(),
    };
    let store = out.join("python");
    let _ = fs::remove_dir_all(&store);
    source.push_str("pub static PYTHON_FILES: &[(&str, &[u8])] = &[\n");
    let mut embed = |path: &str, bytes: &[u8]| {
        let dest = store.join(path);
        write(&dest, bytes);
        let _ = writeln!(
            source,
            "    ({:?}, include_bytes!({:?})),",
            path,
            dest.display().to_string()
        );
    };
    for entry in &entries {
        if let Some((bytes, _)) = course_lock::shipped_bytes(&python, entry) {
            embed(&entry.path, &bytes);
        }
    }
    if !entries.is_empty()
        && let Ok(lock) = fs::read(python.join("requirements.lock"))
    {
        embed("requirements.lock", &lock);
    }
    source.push_str("];\n");
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
