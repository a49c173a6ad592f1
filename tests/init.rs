//! `init`: learner workspaces made from the course embedded in the binary.
//!
//! The tests that build the embedded course (with its crates) share one target folder, linked
//! as each workspace's `target/`, so the crates compile once for the whole file.
// Unix only: the workspaces share one build folder through a symlink.
#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run_in, stderr, stdout, text};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A new workspace in a temporary folder: (the temporary folder, the workspace in it).
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let dest = parent.path().join("course");
    let output = run_in(parent.path(), &["init", "course"]);
    assert!(output.status.success(), "{}", text(&output));
    (parent, dest)
}

/// Links the workspace's `target/` to the build folder all these tests share.
fn share_target(workspace: &Path) {
    let shared = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init-workspaces-target");
    fs::create_dir_all(&shared).unwrap();
    std::os::unix::fs::symlink(&shared, workspace.join("target")).unwrap();
}

fn git_available() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
    stdout(&output)
}

/// Every file at `path` (one file, or the files of a multi-file exercise), relative to it.
fn files_of(path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if path.is_file() {
        return vec![(PathBuf::new(), fs::read(path).unwrap())];
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).unwrap() {
        let entry = entry.unwrap();
        for (rel, bytes) in files_of(&entry.path()) {
            files.push((Path::new(&entry.file_name()).join(rel), bytes));
        }
    }
    files.sort();
    files
}

fn write_files(path: &Path, files: &[(PathBuf, Vec<u8>)]) {
    for (rel, bytes) in files {
        let target = if rel.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            path.join(rel)
        };
        fs::write(target, bytes).unwrap();
    }
}

/// The files at `path` (one file, or a folder's) as this repository shipped them: the versions
/// `course.lock` names, which a clone where someone worked may no longer have in its working
/// tree (solved, edited or deleted). Read from git by blob id when the working tree differs.
fn shipped_files(path: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let lock = fs::read_to_string(Path::new(REPO).join("course.lock")).unwrap();
    let folder = format!("{path}/");
    let mut files: Vec<(PathBuf, Vec<u8>)> = lock
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once("  "))
        .filter(|(_, p)| *p == path || p.starts_with(&folder))
        .map(|(id, p)| {
            let rel = PathBuf::from(p.strip_prefix(&folder).unwrap_or(""));
            let here = fs::read(Path::new(REPO).join(p)).ok();
            let bytes = match here.filter(|bytes| blob_id(bytes) == id) {
                Some(bytes) => bytes,
                None => {
                    let output = Command::new("git")
                        .args(["cat-file", "blob", id])
                        .current_dir(REPO)
                        .output()
                        .expect("git reads the shipped version");
                    assert!(output.status.success(), "{p} {id}: {}", text(&output));
                    output.stdout
                }
            };
            (rel, bytes)
        })
        .collect();
    assert!(!files.is_empty(), "{path} is not in course.lock");
    files.sort();
    files
}

/// The first exercise of the embedded course: (name, path relative to the course root).
fn first_exercise(workspace: &Path) -> (String, String) {
    let output = run_in(workspace, &["list", "--json"]);
    assert!(output.status.success(), "{}", text(&output));
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let exercise = &list["sections"][0]["exercises"][0];
    (
        exercise["name"].as_str().unwrap().to_string(),
        exercise["path"].as_str().unwrap().to_string(),
    )
}

#[test]
fn init_creates_a_ready_workspace_without_solutions() {
    let (_parent, dest) = workspace();
    assert_eq!(
        files_of(&dest.join("info.toml")),
        shipped_files("info.toml"),
        "info.toml is the shipped one, byte for byte"
    );
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        ".gitignore",
        "README.md",
        ".vscode/extensions.json",
    ] {
        assert!(dest.join(file).is_file(), "{file} missing");
    }
    assert!(
        !dest.join("solutions").exists(),
        "solutions are revealed only after a pass"
    );
    let manifest = fs::read_to_string(dest.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[workspace]"), "{manifest}");
    assert!(
        !manifest.contains("_sol\""),
        "no solution binaries: {manifest}"
    );
    assert!(
        !manifest.contains("../"),
        "paths are relative to the workspace: {manifest}"
    );
    assert!(
        !manifest.contains("default-run"),
        "the workspace has no runner hint binary: {manifest}"
    );
    let gitignore = fs::read_to_string(dest.join(".gitignore")).unwrap();
    assert!(gitignore.contains("/target") && gitignore.contains("/.backendlings"));
    assert!(
        gitignore.contains("/solutions\n") && gitignore.contains("/classroom.db*\n"),
        "{gitignore}"
    );

    let (name, path) = first_exercise(&dest);
    assert_eq!(
        files_of(&dest.join(&path)),
        shipped_files(&path),
        "{name} is copied as shipped"
    );
    if git_available() {
        assert_eq!(git(&dest, &["rev-list", "--count", "HEAD"]).trim(), "1");
        assert_eq!(
            git(&dest, &["status", "--porcelain"]),
            "",
            "everything is committed"
        );
    }
}

/// git's blob id of `bytes`, as `course.lock` names files.
fn blob_id(bytes: &[u8]) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    hasher.digest().to_string()
}

/// The exercise files of this repository's `course.lock`: (path, blob id).
fn locked_exercises() -> Vec<(String, String)> {
    let lock = fs::read_to_string(Path::new(REPO).join("course.lock")).unwrap();
    let mut files: Vec<(String, String)> = lock
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once("  "))
        .filter(|(_, path)| path.starts_with("exercises/"))
        .map(|(id, path)| (path.to_string(), id.to_string()))
        .collect();
    files.sort();
    files
}

/// `init` hands out exactly the exercises `course.lock` names, whatever is in this working
/// tree: in a clone where someone worked (edited, committed), the binary still embeds the
/// shipped files (build.rs takes edited ones from git by their locked id).
#[test]
fn init_ships_the_locked_course_and_no_edits() {
    let (_parent, dest) = workspace();
    let mut shipped: Vec<(String, String)> = Vec::new();
    let exercises = dest.join("exercises");
    let mut stack = vec![exercises.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&dest)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                shipped.push((rel, blob_id(&fs::read(&path).unwrap())));
            }
        }
    }
    shipped.sort();
    let locked = locked_exercises();
    assert!(!locked.is_empty());
    assert_eq!(shipped, locked);
    // The workspace keeps its own record, for `reset` once a newer binary is installed.
    let lock = fs::read_to_string(dest.join("course.lock")).unwrap();
    for (path, id) in &locked {
        assert!(
            lock.contains(&format!("{id}  {path}\n")),
            "{path} in {lock}"
        );
    }
}

#[test]
fn init_defaults_to_a_backendlings_folder() {
    let parent = tempfile::tempdir().unwrap();
    let output = run_in(parent.path(), &["init"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(parent.path().join("backendlings/info.toml").is_file());
    assert!(
        stdout(&output).contains("cd backendlings"),
        "{}",
        text(&output)
    );
}

/// `cargo run` typed in this repository's `dev/` (the exercise package) runs a binary that
/// points to the runner, instead of cargo listing every exercise and `*_sol` binary.
#[test]
fn cargo_run_in_the_exercise_package_has_a_default_binary() {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(Path::new(REPO).join("dev/Cargo.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["manifest_path"]
                .as_str()
                .unwrap()
                .ends_with("dev/Cargo.toml")
        })
        .unwrap();
    let default = package["default_run"].as_str().expect("a default-run");
    let target = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == default)
        .expect("the default-run binary exists");
    let source = fs::read_to_string(target["src_path"].as_str().unwrap()).unwrap();
    assert!(
        source.contains("cd .. && cargo run --release --"),
        "{source}"
    );
}

/// `init` with no folder, typed inside a workspace, would make a second course inside it.
#[test]
fn init_without_a_folder_inside_a_workspace_refuses() {
    let (_parent, dest) = workspace();
    let inside = dest.join("exercises");
    let output = run_in(&inside, &["init"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        stderr(&output).contains("you are inside the course in"),
        "{}",
        text(&output)
    );
    assert!(!inside.join("backendlings").exists());
    assert!(!dest.join("backendlings").exists());
}

#[test]
fn init_refuses_a_folder_with_content() {
    let parent = tempfile::tempdir().unwrap();
    let dest = parent.path().join("course");
    fs::create_dir(&dest).unwrap();
    fs::write(dest.join("notes.md"), "my notes").unwrap();
    let output = run_in(parent.path(), &["init", "course"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        stderr(&output).contains("already exists and is not empty; nothing was changed"),
        "{}",
        text(&output)
    );
    let entries: Vec<_> = fs::read_dir(&dest).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing was written");
    // Nor was anything left next to it.
    assert_eq!(fs::read_dir(parent.path()).unwrap().count(), 1);
}

#[test]
fn init_into_an_existing_empty_folder() {
    let parent = tempfile::tempdir().unwrap();
    fs::create_dir(parent.path().join("course")).unwrap();
    let output = run_in(parent.path(), &["init", "course"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(parent.path().join("course/info.toml").is_file());
}

#[test]
fn verify_in_a_new_workspace_reports_everything_pending() {
    let (_parent, dest) = workspace();
    share_target(&dest);
    let output = run_in(&dest, &["verify", "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let exercises = report["exercises"].as_array().unwrap();
    assert!(!exercises.is_empty());
    for exercise in exercises {
        assert_ne!(exercise["status"], "passed", "{exercise}");
    }
    let output = run_in(&dest, &["progress", "--json"]);
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(progress["done"], 0);
    if git_available() {
        // The lock file was already what cargo wants: building changed no tracked file.
        assert_eq!(git(&dest, &["status", "--porcelain"]), "");
    }
}

#[test]
fn a_solution_appears_after_a_pass_and_reset_restores_the_exercise() {
    let (_parent, dest) = workspace();
    share_target(&dest);
    let (name, path) = first_exercise(&dest);
    let solution_path = path.replacen("exercises/", "solutions/", 1);
    let solution = shipped_files(&solution_path);

    // Still failing: nothing is revealed.
    let output = run_in(&dest, &["run", &name]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(!dest.join(&solution_path).exists());

    // Solved: the reference solution is written and announced.
    write_files(&dest.join(&path), &solution);
    let output = run_in(&dest, &["run", &name]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        stdout(&output).contains(&solution_path),
        "{}",
        text(&output)
    );
    assert_eq!(files_of(&dest.join(&solution_path)), solution);

    // Reset: the original comes back from the binary, and the exercise is pending again.
    let output = run_in(&dest, &["reset", &name]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(files_of(&dest.join(&path)), shipped_files(&path));
    let output = run_in(&dest, &["progress", "--json"]);
    let progress: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(progress["done"], 0);
}
