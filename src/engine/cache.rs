//! Verdict cache: a verdict is reused while nothing that affects it has changed: the
//! exercise's files and settings, the exercise package's manifest and lock file, the compiler
//! version and the runner version.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::course::{Course, Exercise, Language, Shape};
use crate::fsutil::{files_below, write_atomic};
use crate::verdict::Verdict;

const CACHE_VERSION: u32 = 2;

#[derive(Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    entries: HashMap<String, Entry>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    verdict: Verdict,
}

pub struct Cache {
    path: PathBuf,
    /// The files every verdict depends on (Rust: the exercise manifest and lock file; Python:
    /// the package lock).
    shared_files: Vec<PathBuf>,
    /// Hash of the runner build and the compiler: fixed for this process, so taken once
    /// (asking `rustc -vV` costs a process start, too much for every check in watch mode).
    toolchain: blake3::Hash,
    file: CacheFile,
    /// Hash of everything shared by all exercises (manifest, lock, compiler, runner).
    shared: blake3::Hash,
    dirty: bool,
}

impl Cache {
    /// Opens the cache of a Rust course at `path` (a missing or unreadable cache is simply
    /// empty): verdicts depend on the exercise package's manifest and lock and on the compiler.
    pub fn open(path: PathBuf, course: &Course, manifest: &Path) -> Cache {
        let shared_files = vec![manifest.to_path_buf(), course.root.join("Cargo.lock")];
        Cache::open_with(path, shared_files, &compiler_version())
    }

    /// Opens a cache whose verdicts depend on `shared_files` and on the toolchain `toolchain`
    /// names (its exact version).
    pub fn open_with(path: PathBuf, shared_files: Vec<PathBuf>, toolchain_id: &[u8]) -> Cache {
        let file = fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|f| f.version == CACHE_VERSION)
            .unwrap_or_default();
        let mut toolchain = blake3::Hasher::new();
        toolchain.update(env!("CARGO_PKG_VERSION").as_bytes());
        // A rebuilt runner (same version, new code) may judge differently.
        if let Some(meta) = std::env::current_exe()
            .ok()
            .and_then(|exe| fs::metadata(exe).ok())
        {
            toolchain.update(&meta.len().to_le_bytes());
            toolchain.update(format!("{:?}", meta.modified().ok()).as_bytes());
        }
        toolchain.update(toolchain_id);
        let mut cache = Cache {
            path,
            file,
            shared_files,
            toolchain: toolchain.finalize(),
            shared: blake3::hash(b""),
            dirty: false,
        };
        cache.refresh();
        cache
    }

    /// Re-reads the shared files. A build can change them (cargo writes a missing lock file),
    /// so verdicts are stored under the key of the files as they are after the build.
    pub fn refresh(&mut self) {
        let mut shared = blake3::Hasher::new();
        shared.update(self.toolchain.as_bytes());
        for file in &self.shared_files {
            shared.update(file.to_string_lossy().as_bytes());
            shared.update(&fs::read(file).unwrap_or_default());
        }
        self.shared = shared.finalize();
    }

    /// The key of an exercise whose own inputs hashed to `content` (see [`content_hash`]),
    /// combined with the shared inputs as they are now.
    pub fn key_for(&self, content: &blake3::Hash) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.shared.as_bytes());
        hasher.update(content.as_bytes());
        hasher.finalize().to_hex().to_string()
    }

    pub fn get(&self, name: &str, key: &str) -> Option<Verdict> {
        self.file
            .entries
            .get(name)
            .filter(|e| e.key == key)
            .map(|e| e.verdict.clone())
    }

    pub fn put(&mut self, name: &str, key: &str, verdict: &Verdict) {
        self.file.entries.insert(
            name.to_string(),
            Entry {
                key: key.to_string(),
                verdict: verdict.clone(),
            },
        );
        self.dirty = true;
    }

    pub fn save(&mut self) -> Result<()> {
        if self.dirty {
            self.file.version = CACHE_VERSION;
            write_atomic(&self.path, &serde_json::to_vec(&self.file)?)?;
            self.dirty = false;
        }
        Ok(())
    }
}

/// Hash of one exercise's own inputs: its settings and the content of its files. Taken before
/// a check starts, so a save that lands during the check is never credited with its verdict.
pub fn content_hash(course: &Course, exercise: &Exercise) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    let settings = format!(
        "{}|{}|{}|{}|{}|{}|{}|{:?}",
        exercise.name,
        exercise.test,
        exercise.strict_clippy,
        exercise.timeout_secs,
        exercise.rel_path().display(),
        course.forbid_unsafe,
        exercise.typecheck,
        exercise.tests,
    );
    hasher.update(settings.as_bytes());
    if !exercise.services.is_empty() {
        hasher.update(format!("|services {:?}", exercise.services).as_bytes());
    }
    if course.language == Language::Python {
        // The tests and support modules are the course's files, read from the learner's tree.
        let companions = std::iter::once(exercise.rel_test_file())
            .chain(exercise.support.iter().map(|f| exercise.rel_in_folder(f)));
        for rel in companions {
            hasher.update(rel.to_string_lossy().as_bytes());
            hasher.update(&fs::read(course.root.join(rel)).unwrap_or_default());
        }
    }
    let path = course.root.join(exercise.rel_path());
    match exercise.shape {
        Shape::File => {
            hasher.update(&fs::read(&path).unwrap_or_default());
        }
        Shape::Dir => {
            for rel in files_below(&path) {
                hasher.update(rel.to_string_lossy().as_bytes());
                hasher.update(&fs::read(path.join(&rel)).unwrap_or_default());
            }
        }
    }
    hasher.finalize()
}

/// `rustc -vV`, which names the exact compiler (a toolchain update invalidates every verdict).
fn compiler_version() -> Vec<u8> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default()
}
