//! `course.lock`: the shipped course, as one git blob id per file.
//!
//! Why a lock file, and why git blob ids. The runner embeds the course (for `init`) and `reset`
//! restores exercises "as shipped". Both used to read the working tree, so a learner's edits
//! became "the original" as soon as the runner was rebuilt, and every save rebuilt the runner.
//! What was shipped is a decision of the course author, so it is recorded by the author:
//! `backendlings dev update` and `dev check` write this file from the working tree (an author's
//! edit is shipped once they ran either, then built). A learner never writes it, so in their
//! clone it keeps naming the versions of the commit they cloned, whatever they edit or commit
//! afterwards. A git blob id both verifies a working-tree file (hash it, compare) and finds the
//! shipped bytes when the file was edited: `git cat-file blob ID` reads them from the clone's
//! own history, committed over or not. Neither "HEAD" nor "the commit that added the file" can
//! tell a learner's commit from an author's; the lock can.
//!
//! This file is also compiled into `build.rs` (with `#[path]`), so it uses only std and crates
//! that are build-dependencies too (`sha1_smol`, `walkdir`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use walkdir::WalkDir;

/// The lock's file name, at the course root.
pub const LOCK_FILE: &str = "course.lock";

/// One shipped file: its git blob id and its path relative to the course root (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub path: String,
}

/// git's id of a blob with `bytes` (SHA-1 over `blob <len>\0` and the bytes), so ids written
/// here are the ones `git cat-file` finds.
pub fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.digest().to_string()
}

/// The files a course ships, relative to `root`: `info.toml`, the exercise package's manifest
/// (`manifest`, relative), and everything under `exercises/` and `solutions/`; sorted.
pub fn shipped_paths(root: &Path, manifest: &str) -> Vec<String> {
    let mut paths = vec!["info.toml".to_string(), manifest.to_string()];
    for top in ["exercises", "solutions"] {
        // Symlinks are not followed: what a course ships are its own files.
        let files = WalkDir::new(root.join(top))
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file());
        for entry in files {
            if let Ok(rel) = entry.path().strip_prefix(root) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                paths.push(parts.join("/"));
            }
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

/// The lock for the working tree at `root` as it is now.
pub fn from_working_tree(root: &Path, manifest: &str) -> std::io::Result<Vec<Entry>> {
    shipped_paths(root, manifest)
        .into_iter()
        .filter(|path| root.join(path).is_file())
        .map(|path| {
            let bytes = fs::read(root.join(&path))?;
            Ok(Entry {
                id: blob_id(&bytes),
                path,
            })
        })
        .collect()
}

pub fn render(entries: &[Entry]) -> String {
    let mut text = String::from(
        "# The course as shipped: a git blob id per file. Written by `backendlings dev update` and\n\
         # `dev check`; the runner embeds these versions and `reset` restores them. Do not edit.\n",
    );
    for entry in entries {
        let _ = writeln!(text, "{}  {}", entry.id, entry.path);
    }
    text
}

/// Parses a lock. Errors name the line.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, path) = line.split_once("  ").unwrap_or((line, ""));
        if id.len() != 40 || !id.bytes().all(|b| b.is_ascii_hexdigit()) || path.is_empty() {
            return Err(format!(
                "{LOCK_FILE}:{}: expected `<40 hex digits>  <path>`",
                index + 1
            ));
        }
        entries.push(Entry {
            id: id.to_string(),
            path: path.to_string(),
        });
    }
    Ok(entries)
}

/// Reads the lock at `root`: `Ok(None)` when there is none.
pub fn read(root: &Path) -> Result<Option<Vec<Entry>>, String> {
    match fs::read_to_string(root.join(LOCK_FILE)) {
        Ok(text) => parse(&text).map(Some),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(format!("cannot read {LOCK_FILE}: {err}")),
    }
}

/// Where [`shipped_bytes`] found a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// The working-tree file is the shipped one.
    WorkingTree,
    /// The file was edited; the shipped bytes came from git's objects.
    Git,
}

/// The shipped bytes of `entry`: the working-tree file when it is unchanged, otherwise the blob
/// from the git repository around `root`. `None` when neither has it (no git, or a clone
/// without that history).
pub fn shipped_bytes(root: &Path, entry: &Entry) -> Option<(Vec<u8>, Found)> {
    if let Ok(bytes) = fs::read(root.join(&entry.path))
        && blob_id(&bytes) == entry.id
    {
        return Some((bytes, Found::WorkingTree));
    }
    let output = Command::new("git")
        .args(["cat-file", "blob", &entry.id])
        .current_dir(root)
        .output()
        .ok()?;
    (output.status.success() && blob_id(&output.stdout) == entry.id)
        .then_some((output.stdout, Found::Git))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    #[test]
    fn blob_ids_are_gits() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "fn main() {}\n").unwrap();
        git(dir.path(), &["init", "-q"]);
        assert_eq!(
            git(dir.path(), &["hash-object", "f"]).trim(),
            blob_id(b"fn main() {}\n")
        );
    }

    #[test]
    fn a_lock_round_trips_and_bad_lines_are_located() {
        let entries = vec![Entry {
            id: blob_id(b"x"),
            path: "exercises/a b/one.rs".into(),
        }];
        assert_eq!(parse(&render(&entries)).unwrap(), entries);
        let err = parse("# comment\n\nnot an id  exercises/x.rs\n").unwrap_err();
        assert!(err.contains("course.lock:3:"), "{err}");
    }

    /// The rule `build.rs` and `reset` rely on: edits and commits after the lock was written
    /// never change what counts as shipped; an author's `dev update` (a new lock) does.
    #[test]
    fn shipped_bytes_survive_edits_and_commits_and_follow_a_new_lock() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("exercises")).unwrap();
        std::fs::write(root.join("info.toml"), "format_version = 1\n").unwrap();
        std::fs::write(root.join("exercises/one.rs"), "// shipped\n").unwrap();
        let lock = from_working_tree(root, "Cargo.toml").unwrap();
        assert_eq!(
            lock.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
            ["exercises/one.rs", "info.toml"]
        );
        let one = &lock[0];
        assert_eq!(
            shipped_bytes(root, one),
            Some((b"// shipped\n".to_vec(), Found::WorkingTree))
        );
        // No git, file edited: there is no shipped copy to be had.
        std::fs::write(root.join("exercises/one.rs"), "// mine\n").unwrap();
        assert_eq!(shipped_bytes(root, one), None);

        std::fs::write(root.join("exercises/one.rs"), "// shipped\n").unwrap();
        git(root, &["init", "-q"]);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-qm", "course"]);
        std::fs::write(root.join("exercises/one.rs"), "// mine\n").unwrap();
        git(root, &["commit", "-qam", "my work"]);
        std::fs::write(root.join("exercises/one.rs"), "// mine, again\n").unwrap();
        assert_eq!(
            shipped_bytes(root, one),
            Some((b"// shipped\n".to_vec(), Found::Git))
        );

        // The author's flow: edit, then `dev update` writes a new lock; that edit now ships.
        let relocked = from_working_tree(root, "Cargo.toml").unwrap();
        assert_eq!(
            shipped_bytes(root, &relocked[0]),
            Some((b"// mine, again\n".to_vec(), Found::WorkingTree))
        );
    }

    #[test]
    fn shipped_paths_are_the_course_files_slash_separated_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "exercises/02_http/b.rs",
            "exercises/01_intro/a/main.rs",
            "solutions/01_intro/a/main.rs",
            "target/debug/x",
            "Cargo.toml",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "").unwrap();
        }
        // A link is not a shipped file, nor is what a linked folder holds.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("target"), root.join("exercises/t")).unwrap();
            std::os::unix::fs::symlink(root.join("Cargo.toml"), root.join("solutions/m")).unwrap();
        }
        assert_eq!(
            shipped_paths(root, "Cargo.toml"),
            [
                "Cargo.toml",
                "exercises/01_intro/a/main.rs",
                "exercises/02_http/b.rs",
                "info.toml",
                "solutions/01_intro/a/main.rs",
            ]
        );
    }
}
