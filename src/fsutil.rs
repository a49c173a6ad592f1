//! Small file-system helpers shared by every module that persists something.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then a rename, so a
/// crash or Ctrl-C leaves either the old content or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Temporary files are private (0600); the file keeps the mode it had, or gets the usual one.
    #[cfg_attr(
        not(unix),
        allow(unused_mut, reason = "permissions are set on Unix only")
    )]
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    let permissions = fs::metadata(path).map_or_else(
        |_| std::os::unix::fs::PermissionsExt::from_mode(0o644),
        |m| m.permissions(),
    );
    #[cfg(unix)]
    builder.permissions(permissions);
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// Every file below `dir`, as paths relative to it, sorted (so hashes are stable). Symlinks
/// are not followed, so nothing outside `dir` counts; folders that cannot be read are left out.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| Some(entry.path().strip_prefix(dir).ok()?.to_path_buf()))
        .collect();
    files.sort();
    files
}

/// Creates the folder `dest` with the content `fill` writes, all or nothing: `fill` works in a
/// hidden staging folder next to `dest`, which is renamed into place only when it succeeded, so
/// an error or Ctrl-C never leaves a half-made folder behind. `dest` may exist if it is empty;
/// anything else in it is refused, since overwriting someone's files is never what they meant.
pub fn create_dir_with(dest: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if let Ok(mut entries) = fs::read_dir(dest) {
        if entries.next().is_some() {
            anyhow::bail!(
                "{} already exists and is not empty; nothing was changed\n  help: choose a new folder, or empty this one first",
                dest.display()
            );
        }
    } else if dest.exists() {
        anyhow::bail!("{} exists and is not a folder", dest.display());
    }
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".backendlings-new-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot create a temporary folder in {}", parent.display()))?;
    fill(staging.path())?;
    if dest.is_dir() {
        // Known to be empty (checked above); rename cannot replace a folder on every platform.
        fs::remove_dir(dest).with_context(|| format!("cannot replace {}", dest.display()))?;
    }
    #[cfg(unix)]
    {
        // Temporary folders are private (0700); the new folder is an ordinary one.
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(staging.path(), fs::Permissions::from_mode(0o755))
            .with_context(|| format!("cannot set permissions on {}", staging.path().display()))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, dest).with_context(|| {
        let _ = fs::remove_dir_all(&staged);
        format!("cannot move the new folder into {}", dest.display())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_below_are_relative_sorted_and_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/c")).unwrap();
        for file in ["b/c/z.rs", "a.rs", "b/y.rs"] {
            fs::write(root.join(file), "").unwrap();
        }
        // Links are not followed, to a folder or a file, here or outside.
        #[cfg(unix)]
        let outside = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            fs::write(outside.path().join("secret.rs"), "").unwrap();
            symlink(outside.path(), root.join("linked_dir")).unwrap();
            symlink(outside.path().join("secret.rs"), root.join("linked.rs")).unwrap();
            symlink(root.join("b"), root.join("b/c/loop")).unwrap();
        }
        let expected: Vec<PathBuf> = ["a.rs", "b/c/z.rs", "b/y.rs"].map(PathBuf::from).into();
        assert_eq!(files_below(root), expected);
        assert!(files_below(&root.join("a.rs")).is_empty());
        assert!(files_below(&root.join("missing")).is_empty());
    }
}
