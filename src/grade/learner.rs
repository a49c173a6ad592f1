//! Finding learner trees (`LEARNER_DIR...`, `--cohort DIR`) and, with `--at`, reading the last
//! commit before a deadline out of a learner's git repository without touching it or trusting
//! anything in it.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::layout::Located;
use crate::engine::process::{Exit, Limits, Supervisor};

/// A learner to grade, named after their folder.
#[derive(Debug, Clone)]
pub struct Learner {
    pub name: String,
    pub dir: PathBuf,
}

/// The files to grade for one learner: their working tree, or a commit read into a temporary
/// folder.
pub struct Tree {
    pub root: PathBuf,
    pub commit: Option<String>,
    /// Keeps the temporary folder of a commit alive while it is graded.
    _checkout: Option<tempfile::TempDir>,
}

/// The learners named on the command line, then every subfolder of `cohort` (sorted). Names
/// are made unique with a `-2`, `-3` suffix.
pub fn discover(dirs: &[PathBuf], cohort: Option<&Path>) -> Result<Vec<Learner>> {
    let mut learners: Vec<Learner> = dirs
        .iter()
        .map(|dir| Learner {
            name: folder_name(dir),
            dir: dir.clone(),
        })
        .collect();
    if let Some(cohort) = cohort {
        let entries = fs::read_dir(cohort).with_context(|| {
            format!(
                "cannot read the cohort folder {}; --cohort takes a folder holding one folder per learner",
                cohort.display()
            )
        })?;
        let mut found: Vec<Learner> = entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| Learner {
                name: e.file_name().to_string_lossy().into_owned(),
                dir: e.path(),
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        learners.extend(found);
    }
    if learners.is_empty() {
        bail!(
            "no learners to grade\n  help: name learner folders (`backendlings grade alice/ bob/`) or a cohort (`--cohort DIR`)"
        );
    }
    let mut seen = HashSet::new();
    for learner in &mut learners {
        let base = learner.name.clone();
        let mut n = 1;
        while !seen.insert(learner.name.clone()) {
            n += 1;
            learner.name = format!("{base}-{n}");
        }
    }
    Ok(learners)
}

fn folder_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .components()
        .next_back()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "/")
        .unwrap_or_else(|| dir.display().to_string())
}

/// The tree to grade for `learner`: the commit at the deadline when `deadline` is given and the
/// folder is a git repository, otherwise the folder itself. An error explains why this learner
/// cannot be graded.
pub fn tree(
    learner: &Learner,
    deadline: Option<&jiff::Timestamp>,
    sections: &[String],
    supervisor: &Supervisor,
) -> Result<Tree> {
    let dir = &learner.dir;
    let meta = fs::metadata(dir).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => {
            anyhow::anyhow!("learner folder {} does not exist", dir.display())
        }
        _ => anyhow::anyhow!("cannot read learner folder {}: {err}", dir.display()),
    })?;
    if !meta.is_dir() {
        bail!("{} is not a folder", dir.display());
    }
    let empty = fs::read_dir(dir)
        .with_context(|| format!("cannot read learner folder {}", dir.display()))?
        .next()
        .is_none();
    if empty {
        bail!("learner folder {} is empty", dir.display());
    }
    // `symlink_metadata`: a `.git` symlink is refused below, not followed or taken for absent.
    let tree = match deadline {
        Some(deadline) if fs::symlink_metadata(dir.join(".git")).is_ok() => {
            checkout_at(dir, deadline, supervisor)?
        }
        _ => match super::layout::locate(dir, sections).map_err(anyhow::Error::msg)? {
            Located::Tree(root) => Tree {
                root,
                commit: None,
                _checkout: None,
            },
            Located::Exercises(folder) => exercises_only(&folder, sections)?,
        },
    };
    if !tree.root.join("exercises").is_dir() {
        bail!(
            "{} is not a course tree: it has no exercises/ folder{}",
            dir.display(),
            tree.commit
                .as_ref()
                .map(|c| format!(" at commit {c}"))
                .unwrap_or_default()
        );
    }
    Ok(tree)
}

/// A tree made of a submission that holds only the exercises: its section folders copied into
/// `exercises/` of a temporary folder (links are not followed).
fn exercises_only(folder: &Path, sections: &[String]) -> Result<Tree> {
    let checkout = tempfile::Builder::new()
        .prefix("backendlings-submission-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    for section in sections {
        let from = folder.join(section);
        // A section folder that is a symlink could point at the course's solutions or another
        // learner's tree, copied here before any isolation: only real folders are read.
        if !fs::symlink_metadata(&from).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        for entry in walkdir::WalkDir::new(&from)
            .follow_links(false)
            .follow_root_links(false)
            .into_iter()
            .filter_map(Result::ok)
        {
            let Ok(rel) = entry.path().strip_prefix(folder) else {
                continue;
            };
            let to = checkout.path().join("exercises").join(rel);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to)
                    .with_context(|| format!("cannot create {}", to.display()))?;
            } else if entry.file_type().is_file() {
                fs::copy(entry.path(), &to)
                    .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            }
        }
    }
    Ok(Tree {
        root: checkout.path().to_path_buf(),
        commit: None,
        _checkout: Some(checkout),
    })
}

/// Time allowed to each git (or tar) command on a learner's repository.
const GIT_TIMEOUT: Duration = Duration::from_secs(60);
/// Bytes of `exercises/` read out of a commit at most (a course tree holds well under 1 MiB).
const MAX_COMMIT_BYTES: u64 = 64 * 1024 * 1024;
/// Files of `exercises/` read out of a commit at most.
const MAX_COMMIT_FILES: usize = 10_000;
/// Size of the ref files (`HEAD`, a branch, `packed-refs`, `shallow`) read from a repository.
const MAX_REF_BYTES: u64 = 16 * 1024 * 1024;

/// Attributes that would change what `git archive` writes, unset for every path. In the reading
/// repository's `info/attributes`, they take precedence over any `.gitattributes` of the commit
/// (no `export-subst` rewriting, no `export-ignore`d files, no filters or line-ending changes).
const NO_ATTRIBUTES: &str =
    "* -text -eol -crlf -ident -filter -working-tree-encoding -export-subst -export-ignore\n";

/// Reads the last commit at or before `deadline` (by committer date, on `HEAD`'s history) into
/// a temporary folder; the learner's repository is only read.
///
/// Nothing of the repository is trusted: git never runs in it. It runs in a bare repository of
/// our own (its config, no hooks, attributes that change nothing) that borrows the learner's
/// object store as an alternate; `HEAD` is resolved here from the learner's ref files. So the
/// learner's `.git/config` (filters, `fsmonitor`, aliases, `include.path`, a promisor remote),
/// hooks, `info/attributes`, replace refs and the commit's `.gitattributes` have no effect; the
/// system and global git configuration are ignored too. Every command has a timeout, and only
/// `exercises/` is read, after its size was checked.
fn checkout_at(dir: &Path, deadline: &jiff::Timestamp, supervisor: &Supervisor) -> Result<Tree> {
    let git_dir = learner_git_dir(dir)?;
    let head = head_commit(&git_dir)?;
    let checkout = tempfile::Builder::new()
        .prefix("backendlings-commit-")
        .tempdir()
        .context("cannot create a temporary folder")?;
    let reader = checkout.path().join("reader.git");
    make_reader(&reader, &git_dir, &head)
        .context("cannot create a temporary git repository to read the learner's commits")?;

    let mut listed = git(&reader, &["rev-list", "-1"]);
    listed
        .arg(format!("--before={} +0000", deadline.as_second()))
        .arg(&head)
        .arg("--");
    let commit = git_output(listed, dir, "read the history", supervisor)?;
    let commit = commit.trim().to_string();
    if commit.is_empty() {
        bail!("{} has no commit at or before {deadline}", dir.display());
    }
    if !is_object_id(&commit) {
        bail!(
            "git printed {:?} instead of a commit for the history of {}",
            shorten(&commit),
            dir.display()
        );
    }

    let mut listed = git(&reader, &["ls-tree", "-r", "-l", "-z", "--full-tree"]);
    listed.arg(&commit).args(["--", "exercises"]);
    let listing = git_output(listed, dir, "list the files of the commit", supervisor)?;
    let files = commit_size(&listing).map_err(|why| {
        anyhow::anyhow!("commit {commit} of {} was not read: {why}", dir.display())
    })?;

    let root = checkout.path().join("tree");
    fs::create_dir(&root).context("cannot create a temporary folder")?;
    if files > 0 {
        let archive = checkout.path().join("commit.tar");
        let mut archived = git(
            &reader,
            &["archive", "--worktree-attributes", "--format=tar", "-o"],
        );
        archived
            .arg(&archive)
            .arg(&commit)
            .args(["--", "exercises"]);
        git_output(archived, dir, "read the commit", supervisor)?;
        let mut untar = Command::new("tar");
        untar
            .arg("-xf")
            .arg(&archive)
            .arg("-C")
            .arg(&root)
            .args(["--no-same-owner", "--no-same-permissions"]);
        let done = supervisor.run(untar, &limits()).context("cannot run tar")?;
        if done.exit != Exit::Code(0) {
            bail!(
                "cannot unpack commit {commit} of {}: {}",
                dir.display(),
                shorten(done.output.text.trim())
            );
        }
        let _ = fs::remove_file(&archive);
    }
    Ok(Tree {
        root,
        commit: Some(commit),
        _checkout: Some(checkout),
    })
}

/// Files and folders a learner's `.git` may hold (a repository of a course holds a few hundred
/// loose objects; `git gc` packs any number into two files).
const MAX_GIT_ENTRIES: usize = 100_000;

/// The learner's `.git` folder. A `.git` file (a linked worktree or a submodule) or symlink is
/// refused: it can point at anybody's repository, and the grade would be theirs.
fn learner_git_dir(dir: &Path) -> Result<PathBuf> {
    let git_dir = dir.join(".git");
    let meta = fs::symlink_metadata(&git_dir)
        .with_context(|| format!("cannot read {}", git_dir.display()))?;
    if meta.file_type().is_symlink() {
        bail!(
            "{} is a symlink; --at only reads a repository inside the learner's folder",
            git_dir.display()
        );
    }
    if !meta.is_dir() {
        bail!(
            "{} is a file pointing at another repository (a linked worktree or submodule); \
             --at only reads a repository inside the learner's folder: clone it there",
            git_dir.display()
        );
    }
    for (rel, what) in [
        ("reftable", "uses the reftable ref format"),
        (
            "objects/info/alternates",
            "borrows objects from another repository (alternates)",
        ),
    ] {
        if fs::symlink_metadata(git_dir.join(rel)).is_ok() {
            bail!(
                "{} {what}, which --at does not read; grade a plain clone",
                git_dir.display()
            );
        }
    }
    // A symlink anywhere inside (`refs`, `objects/ab`, `objects/pack`) would make git read
    // another learner's repository through this one.
    let mut entries = 0usize;
    for entry in walkdir::WalkDir::new(&git_dir)
        .follow_links(false)
        .min_depth(1)
    {
        let entry = entry.with_context(|| format!("cannot read {}", git_dir.display()))?;
        if entry.path_is_symlink() {
            bail!(
                "{} is a symlink inside the repository; --at only reads a repository entirely inside the learner's folder",
                entry.path().display()
            );
        }
        entries += 1;
        if entries > MAX_GIT_ENTRIES {
            bail!(
                "{} holds over {MAX_GIT_ENTRIES} files; run `git gc` to pack it, or grade without --at",
                git_dir.display()
            );
        }
    }
    let objects = git_dir.join("objects");
    if !fs::symlink_metadata(&objects).is_ok_and(|m| m.is_dir()) {
        bail!(
            "{} is not a folder inside the repository; --at cannot read its commits",
            objects.display()
        );
    }
    Ok(git_dir)
}

/// The commit `HEAD` names, read from the ref files (git does not run in the learner's
/// repository at all): a detached `HEAD`, a loose branch file or `packed-refs`.
fn head_commit(git_dir: &Path) -> Result<String> {
    let mut name = "HEAD".to_string();
    for _ in 0..5 {
        let value = match read_ref_file(git_dir, &name)? {
            Some(value) => value,
            None => packed_ref(git_dir, &name)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "{} has no commit on {name} (an empty repository?)",
                    git_dir.display()
                )
            })?,
        };
        if is_object_id(&value) {
            return Ok(value);
        }
        match value.strip_prefix("ref: ") {
            Some(target) if is_ref_name(target) => name = target.to_string(),
            _ => bail!(
                "{} names {:?} in {name}, which is neither a commit nor a branch",
                git_dir.display(),
                shorten(&value)
            ),
        }
    }
    bail!(
        "{} has a loop of symbolic refs from HEAD",
        git_dir.display()
    )
}

/// The trimmed content of a loose ref (`HEAD`, `refs/heads/main`), `None` when there is none.
fn read_ref_file(git_dir: &Path, name: &str) -> Result<Option<String>> {
    let path = git_dir.join(name);
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => Ok(Some(read_capped(&path)?.trim().to_string())),
        Ok(_) => bail!(
            "{} is not a regular file; --at does not follow it",
            path.display()
        ),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// The commit of `name` in `packed-refs`, when listed there.
fn packed_ref(git_dir: &Path, name: &str) -> Result<Option<String>> {
    let Some(packed) = read_ref_file(git_dir, "packed-refs")? else {
        return Ok(None);
    };
    Ok(packed
        .lines()
        .filter(|line| !line.starts_with(['#', '^']))
        .filter_map(|line| line.split_once(' '))
        .find(|(_, ref_name)| *ref_name == name)
        .map(|(id, _)| id.to_string()))
}

fn read_capped(path: &Path) -> Result<String> {
    let mut text = String::new();
    fs::File::open(path)
        .and_then(|file| file.take(MAX_REF_BYTES + 1).read_to_string(&mut text))
        .with_context(|| format!("cannot read {}", path.display()))?;
    if text.len() as u64 > MAX_REF_BYTES {
        bail!("{} is over {MAX_REF_BYTES} bytes", path.display());
    }
    Ok(text)
}

/// A SHA-1 or SHA-256 object id in hex.
fn is_object_id(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A branch or tag name git could store as a loose ref: under `refs/`, no `..`, no hidden or
/// empty components, plain characters (so it can never leave the `.git` folder).
fn is_ref_name(name: &str) -> bool {
    name.starts_with("refs/")
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'+'))
        })
        && !name.contains("..")
        && !name.ends_with(".lock")
}

/// A bare repository at `reader` that reads `git_dir`'s objects (an alternate) and has `head`
/// as its `HEAD`; with our configuration and attributes only.
fn make_reader(reader: &Path, git_dir: &Path, head: &str) -> std::io::Result<()> {
    let objects = fs::canonicalize(git_dir.join("objects"))?;
    fs::create_dir_all(reader.join("objects/info"))?;
    fs::create_dir_all(reader.join("refs"))?;
    fs::create_dir_all(reader.join("info"))?;
    let format = if head.len() == 64 {
        "\trepositoryformatversion = 1\n[extensions]\n\tobjectFormat = sha256\n"
    } else {
        "\trepositoryformatversion = 0\n"
    };
    fs::write(
        reader.join("config"),
        format!("[core]\n\tbare = true\n{format}"),
    )?;
    fs::write(reader.join("HEAD"), format!("{head}\n"))?;
    fs::write(reader.join("info/attributes"), NO_ATTRIBUTES)?;
    let mut alternates = objects.into_os_string().into_encoded_bytes();
    alternates.push(b'\n');
    fs::write(reader.join("objects/info/alternates"), alternates)?;
    // A shallow clone's history ends at the commits listed here; without them git would look
    // for parents that are not there.
    let shallow = git_dir.join("shallow");
    if fs::symlink_metadata(&shallow).is_ok_and(|m| m.is_file()) {
        let text = read_capped(&shallow).map_err(std::io::Error::other)?;
        let ids: Vec<&str> = text.lines().filter(|l| is_object_id(l)).collect();
        fs::write(reader.join("shallow"), ids.join("\n") + "\n")?;
    }
    Ok(())
}

/// `git ARGS` on the reading repository `reader`: an empty environment but `PATH`, no system
/// or global configuration, no replace objects, no lazy fetches, no terminal prompts.
fn git(reader: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("GIT_DIR", reader)
        .env("HOME", reader)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_ATTR_NOSYSTEM", "1")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .current_dir(reader)
        .args(["--no-replace-objects", "--literal-pathspecs"]);
    for setting in [
        "core.attributesFile=/dev/null",
        "core.autocrlf=false",
        "core.fsmonitor=false",
        "core.hooksPath=/dev/null",
        "core.commitGraph=false",
        "protocol.allow=never",
    ] {
        cmd.arg("-c").arg(setting);
    }
    cmd.args(args);
    cmd
}

/// Runs a git command under the time limit; its output (stdout and stderr together) when it
/// succeeds, else an error saying what could not be done for the learner at `dir`.
fn git_output(cmd: Command, dir: &Path, doing: &str, supervisor: &Supervisor) -> Result<String> {
    let done = supervisor
        .run(cmd, &limits())
        .context(crate::errors::Failure(
            "cannot run git (is it installed?)".into(),
        ))?;
    match done.exit {
        Exit::Code(0) if !done.output.truncated => Ok(done.output.text),
        Exit::Code(0) => bail!(
            "git printed too much to {doing} of {}; the repository holds too many files",
            dir.display()
        ),
        Exit::TimedOut => bail!(
            "git took over {}s to {doing} of {}",
            GIT_TIMEOUT.as_secs(),
            dir.display()
        ),
        _ => bail!(
            "git cannot {doing} of {}: {}",
            dir.display(),
            shorten(done.output.text.trim())
        ),
    }
}

fn limits() -> Limits {
    Limits {
        memory_bytes: Some(2 * 1024 * 1024 * 1024),
        ..Limits::new(GIT_TIMEOUT, 4 * 1024 * 1024)
    }
}

/// How many files `git ls-tree -r -l -z` lists, refusing a listing over the caps (a learner
/// could commit gigabytes under `exercises/`) or one that is not git's.
fn commit_size(listing: &str) -> Result<usize, String> {
    let mut files = 0usize;
    let mut bytes = 0u64;
    for record in listing.split('\0').filter(|r| !r.is_empty()) {
        let (meta, _path) = record
            .split_once('\t')
            .ok_or_else(|| format!("git listed {:?}", shorten(record)))?;
        let fields: Vec<&str> = meta.split_whitespace().collect();
        let [_mode, kind, _id, size] = fields[..] else {
            return Err(format!("git listed {:?}", shorten(record)));
        };
        if kind == "blob" {
            bytes += size
                .parse::<u64>()
                .map_err(|_| format!("git listed {:?}", shorten(record)))?;
        }
        files += 1;
        if files > MAX_COMMIT_FILES {
            return Err(format!(
                "exercises/ holds over {MAX_COMMIT_FILES} files in that commit"
            ));
        }
        if bytes > MAX_COMMIT_BYTES {
            return Err(format!(
                "exercises/ holds over {} MiB in that commit",
                MAX_COMMIT_BYTES / (1024 * 1024)
            ));
        }
    }
    Ok(files)
}

/// At most 200 characters of text quoted in an error.
fn shorten(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohort_subfolders_sorted_and_names_unique() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["bob", "alice", ".hidden"] {
            fs::create_dir(dir.path().join(name)).unwrap();
        }
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let extra = dir.path().join("alice");
        let learners = discover(&[extra], Some(dir.path())).unwrap();
        let names: Vec<&str> = learners.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["alice", "alice-2", "bob"]);
    }

    #[test]
    #[cfg(unix)]
    fn an_exercises_only_submission_never_follows_a_symlinked_section() {
        let root = tempfile::tempdir().unwrap();
        let secret = root.path().join("course/solutions/basics");
        fs::create_dir_all(secret.join("server")).unwrap();
        fs::write(secret.join("add.rs"), "SOLUTION").unwrap();
        let submission = root.path().join("steal");
        fs::create_dir_all(&submission).unwrap();
        std::os::unix::fs::symlink(&secret, submission.join("basics")).unwrap();
        fs::create_dir_all(submission.join("more")).unwrap();
        fs::write(submission.join("more/mine.rs"), "MINE").unwrap();
        let tree = exercises_only(&submission, &["basics".into(), "more".into()]).unwrap();
        assert!(!tree.root.join("exercises/basics").exists());
        assert_eq!(
            fs::read_to_string(tree.root.join("exercises/more/mine.rs")).unwrap(),
            "MINE"
        );
    }

    #[test]
    fn no_learners_is_a_usage_error() {
        assert!(discover(&[], None).is_err());
    }

    #[test]
    fn missing_empty_and_non_course_folders_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let learner = |name: &str| Learner {
            name: name.into(),
            dir: dir.path().join(name),
        };
        let err = |name: &str| {
            tree(&learner(name), None, &[], &Supervisor::new())
                .err()
                .unwrap()
                .to_string()
        };
        assert!(err("gone").contains("does not exist"));
        fs::create_dir(dir.path().join("empty")).unwrap();
        assert!(err("empty").contains("is empty"));
        fs::create_dir(dir.path().join("other")).unwrap();
        fs::write(dir.path().join("other/README"), "hi").unwrap();
        assert!(
            err("other").contains("no exercises/ folder found in the submission; it holds README")
        );
    }

    /// `git ARGS` in `dir` as the learner would run it (their own configuration applies).
    fn learner_git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "Learner")
            .env("GIT_AUTHOR_EMAIL", "learner@example.com")
            .env("GIT_COMMITTER_NAME", "Learner")
            .env("GIT_COMMITTER_EMAIL", "learner@example.com")
            .env("GIT_AUTHOR_DATE", "2025-01-01T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-01-01T10:00:00Z")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    /// A committed learner repository at `root/name` whose files are `files`.
    fn repository(root: &Path, name: &str, files: &[(&str, &str)]) -> Learner {
        let dir = root.join(name);
        for (rel, text) in files {
            let path = dir.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        learner_git(&dir, &["init", "-q", "-b", "main"]);
        learner_git(&dir, &["add", "-A"]);
        learner_git(&dir, &["commit", "-qm", "work"]);
        Learner {
            name: name.into(),
            dir,
        }
    }

    fn deadline() -> jiff::Timestamp {
        "2025-06-01T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn at_ignores_the_learners_git_config_attributes_and_filters() {
        let root = tempfile::tempdir().unwrap();
        let pwned = root.path().join("pwned");
        let learner = repository(
            root.path(),
            "eve",
            &[
                (
                    "exercises/a.rs",
                    "// commit $Format:%H$ $Id$\nfn main() {}\n",
                ),
                ("exercises/b.rs", "fn main() {}\n"),
                (
                    ".gitattributes",
                    "* export-subst filter=evil ident text eol=crlf\nexercises/b.rs export-ignore\n",
                ),
            ],
        );
        let command = format!("touch {}; cat", pwned.display());
        for (key, value) in [
            ("filter.evil.smudge", command.as_str()),
            ("filter.evil.required", "true"),
            ("core.fsmonitor", command.as_str()),
            ("core.autocrlf", "true"),
        ] {
            learner_git(&learner.dir, &["config", key, value]);
        }
        fs::write(
            learner.dir.join(".git/info/attributes"),
            "* filter=evil export-subst\n",
        )
        .unwrap();
        let before = fs::read(learner.dir.join(".git/config")).unwrap();

        let tree = tree(&learner, Some(&deadline()), &[], &Supervisor::new()).unwrap();
        assert_eq!(tree.commit.as_ref().map(String::len), Some(40));
        assert_eq!(
            fs::read_to_string(tree.root.join("exercises/a.rs")).unwrap(),
            "// commit $Format:%H$ $Id$\nfn main() {}\n",
            "committed bytes: no substitution, no CRLF"
        );
        assert!(tree.root.join("exercises/b.rs").is_file(), "export-ignore");
        assert!(
            !tree.root.join(".gitattributes").exists(),
            "only exercises/"
        );
        assert!(!pwned.exists(), "a filter or fsmonitor of the learner ran");
        assert_eq!(fs::read(learner.dir.join(".git/config")).unwrap(), before);
    }

    #[test]
    fn at_reads_packed_and_detached_heads() {
        let root = tempfile::tempdir().unwrap();
        let learner = repository(root.path(), "ada", &[("exercises/a.rs", "fn main() {}\n")]);
        learner_git(&learner.dir, &["pack-refs", "--all"]);
        assert!(!learner.dir.join(".git/refs/heads/main").exists());
        let packed = tree(&learner, Some(&deadline()), &[], &Supervisor::new()).unwrap();
        let commit = packed.commit.clone().unwrap();
        learner_git(&learner.dir, &["checkout", "-q", "--detach"]);
        assert_eq!(
            tree(&learner, Some(&deadline()), &[], &Supervisor::new())
                .unwrap()
                .commit,
            Some(commit)
        );
        let early: jiff::Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        let err = tree(&learner, Some(&early), &[], &Supervisor::new())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("no commit at or before"), "{err}");
    }

    #[test]
    #[cfg(unix)]
    fn at_refuses_a_git_file_or_symlink_pointing_elsewhere() {
        let root = tempfile::tempdir().unwrap();
        let other = repository(
            root.path(),
            "alice",
            &[("exercises/a.rs", "fn main() {}\n")],
        );
        let copycat = root.path().join("mallory");
        fs::create_dir_all(copycat.join("exercises")).unwrap();
        fs::write(
            copycat.join(".git"),
            format!("gitdir: {}\n", other.dir.join(".git").display()),
        )
        .unwrap();
        let copycat = Learner {
            name: "mallory".into(),
            dir: copycat,
        };
        let err = format!(
            "{:#}",
            tree(&copycat, Some(&deadline()), &[], &Supervisor::new())
                .err()
                .unwrap()
        );
        assert!(
            err.contains("is a file pointing at another repository"),
            "{err}"
        );
        fs::remove_file(copycat.dir.join(".git")).unwrap();
        std::os::unix::fs::symlink(other.dir.join(".git"), copycat.dir.join(".git")).unwrap();
        // A symlink deeper inside: `refs` of another learner's repository.
        let inner = repository(
            root.path(),
            "inner",
            &[("exercises/a.rs", "fn main() {}\n")],
        );
        fs::remove_dir_all(inner.dir.join(".git/refs")).unwrap();
        std::os::unix::fs::symlink(other.dir.join(".git/refs"), inner.dir.join(".git/refs"))
            .unwrap();
        let err = format!(
            "{:#}",
            tree(&inner, Some(&deadline()), &[], &Supervisor::new())
                .err()
                .unwrap()
        );
        assert!(err.contains("symlink inside the repository"), "{err}");
        let err = format!(
            "{:#}",
            tree(&copycat, Some(&deadline()), &[], &Supervisor::new())
                .err()
                .unwrap()
        );
        assert!(err.contains("is a symlink"), "{err}");
        // HEAD naming a ref outside the repository is not followed either.
        fs::write(
            other.dir.join(".git/HEAD"),
            "ref: refs/../../../etc/passwd\n",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            tree(&other, Some(&deadline()), &[], &Supervisor::new())
                .err()
                .unwrap()
        );
        assert!(err.contains("neither a commit nor a branch"), "{err}");
    }

    #[test]
    fn commit_listings_over_the_caps_or_not_from_git_are_refused() {
        let id = "0".repeat(40);
        let file = |size: u64, n: usize| format!("100644 blob {id} {size:>7}\texercises/f{n}.rs\0");
        assert_eq!(
            commit_size(&format!("{}{}", file(10, 1), file(20, 2))),
            Ok(2)
        );
        assert_eq!(commit_size(""), Ok(0));
        let huge = file(MAX_COMMIT_BYTES + 1, 1);
        assert!(commit_size(&huge).unwrap_err().contains("MiB"));
        let many: String = (0..=MAX_COMMIT_FILES).map(|n| file(1, n)).collect();
        assert!(commit_size(&many).unwrap_err().contains("files"));
        assert!(commit_size("fatal: not a tree object\n").is_err());
        assert!(is_ref_name("refs/heads/feature/x-1.2"));
        for name in [
            "refs/../x",
            "refs/heads/.hidden",
            "HEAD",
            "refs//x",
            "refs/heads/a.lock",
        ] {
            assert!(!is_ref_name(name), "{name}");
        }
    }
}
