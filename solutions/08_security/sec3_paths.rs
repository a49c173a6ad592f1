// Path traversal and allow-list input validation
//
// `GET /files/{path}` serves user uploads with `root.join(path)`. A pentester fetched
// `/files/../../etc/passwd`, and `root.join("/etc/passwd")` is even simpler: joining an
// absolute path REPLACES the root. Rather than trying to strip bad sequences (attackers always
// find one more encoding), we check the path component by component against what we allow,
// rebuild it under the root, and, because a symlink inside the root can still point outside,
// check the real (canonical) location before reading.
//
// Done means: `validate_filename` enforces an allow-list for upload names, `safe_join` builds a
// normalised path under the root or refuses, and `read_under` refuses files whose real
// location escapes the root (OWASP: Path Traversal, Input Validation cheat sheets).

use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, PartialEq)]
pub enum PathError {
    Empty,
    Absolute,
    Traversal,
    InvalidCharacter,
    /// The file resolves (through a symlink) to somewhere outside the root.
    OutsideRoot,
    Io(String),
}

/// Upload names: 1 to 64 characters from `A-Z a-z 0-9 . _ -`, not starting with `.` (no hidden
/// files, no `.` or `..`). Anything else is `InvalidCharacter` (`Empty` for "").
pub fn validate_filename(name: &str) -> Result<(), PathError> {
    if name.is_empty() {
        return Err(PathError::Empty);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.len() > 64 || name.starts_with('.') || !name.chars().all(allowed) {
        return Err(PathError::InvalidCharacter);
    }
    Ok(())
}

/// Joins a client-supplied relative path under `root`, lexically (no file system access):
/// - empty (or only `/` and `.`) -> `Empty`; starts with `/` -> `Absolute`;
/// - a backslash, a NUL byte or a `:` anywhere -> `InvalidCharacter` (Windows separators,
///   drive letters and C string tricks have no business in our URLs);
/// - a `..` segment -> `Traversal`;
/// - empty and `.` segments are dropped: `a//./b` is `root/a/b`.
pub fn safe_join(root: &Path, user_path: &str) -> Result<PathBuf, PathError> {
    if user_path.starts_with('/') {
        return Err(PathError::Absolute);
    }
    if user_path.contains(['\\', '\0', ':']) {
        return Err(PathError::InvalidCharacter);
    }
    let mut joined = root.to_path_buf();
    let mut segments = 0;
    for segment in user_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(PathError::Traversal),
            name => {
                joined.push(name);
                segments += 1;
            }
        }
    }
    if segments == 0 {
        return Err(PathError::Empty);
    }
    Ok(joined)
}

/// Reads a file under `root`: `safe_join`, then compares the canonical (symlink-free) path of
/// the file with the canonical root. I/O failures are `Io`.
pub fn read_under(root: &Path, user_path: &str) -> Result<String, PathError> {
    let io = |e: std::io::Error| PathError::Io(e.to_string());
    let candidate = safe_join(root, user_path)?;
    let real_root = root.canonicalize().map_err(io)?;
    let real_file = candidate.canonicalize().map_err(io)?;
    if !real_file.starts_with(&real_root) {
        return Err(PathError::OutsideRoot);
    }
    fs::read_to_string(real_file).map_err(io)
}

fn main() {
    let root = Path::new("/srv/uploads");
    for path in [
        "avatars/ada.png",
        "../etc/passwd",
        "/etc/passwd",
        "a//./b.txt",
    ] {
        println!("{path:?} -> {:?}", safe_join(root, path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory under the system temp dir, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("sec3_paths_{}_{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("root/docs")).unwrap();
            fs::write(dir.join("root/docs/readme.txt"), "public").unwrap();
            fs::write(dir.join("secret.txt"), "top secret").unwrap();
            Scratch(dir)
        }

        fn root(&self) -> PathBuf {
            self.0.join("root")
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn filenames_are_allow_listed() {
        for good in ["report.pdf", "IMG_2024-01-01.jpeg", "a", &"a".repeat(64)] {
            assert_eq!(
                validate_filename(good),
                Ok(()),
                "{good:?} is a fine name (64 characters is the limit, not over it)"
            );
        }
        assert_eq!(validate_filename(""), Err(PathError::Empty));
        for bad in [
            ".htaccess",
            "..",
            "a/b.txt",
            "a\\b.txt",
            "résumé.pdf",
            "x y.txt",
            "shell;rm -rf.sh",
            &"a".repeat(65),
        ] {
            assert_eq!(
                validate_filename(bad),
                Err(PathError::InvalidCharacter),
                "{bad:?}: allow-list what is valid instead of deny-listing what is dangerous"
            );
        }
    }

    #[test]
    fn normal_paths_are_joined_and_normalised() {
        let root = Path::new("/srv/uploads");
        assert_eq!(
            safe_join(root, "avatars/ada.png"),
            Ok(PathBuf::from("/srv/uploads/avatars/ada.png"))
        );
        assert_eq!(
            safe_join(root, "avatars//./ada.png/"),
            Ok(PathBuf::from("/srv/uploads/avatars/ada.png")),
            "empty and `.` segments mean nothing: drop them"
        );
    }

    #[test]
    fn traversal_is_refused() {
        let root = Path::new("/srv/uploads");
        for path in ["../etc/passwd", "avatars/../../etc/passwd", "a/b/..", ".."] {
            assert_eq!(
                safe_join(root, path),
                Err(PathError::Traversal),
                "{path:?}: any `..` segment is refused, even one that would stay inside"
            );
        }
        assert_eq!(
            safe_join(root, "..hidden/file"),
            Ok(PathBuf::from("/srv/uploads/..hidden/file")),
            "`..hidden` is an ordinary name; compare whole segments, not substrings"
        );
    }

    #[test]
    fn absolute_and_odd_characters_are_refused() {
        let root = Path::new("/srv/uploads");
        assert_eq!(
            safe_join(root, "/etc/passwd"),
            Err(PathError::Absolute),
            "Path::join with an absolute path throws the root away"
        );
        for path in ["..\\..\\windows\\win.ini", "C:/boot.ini", "file.txt\0.png"] {
            assert_eq!(
                safe_join(root, path),
                Err(PathError::InvalidCharacter),
                "{path:?}"
            );
        }
        for path in ["", "/", "./.", "//"] {
            assert!(
                safe_join(root, path).is_err(),
                "{path:?} names no file under the root"
            );
        }
    }

    #[test]
    fn read_under_reads_files_inside_the_root() {
        let scratch = Scratch::new("inside");
        assert_eq!(
            read_under(&scratch.root(), "docs/readme.txt"),
            Ok("public".into())
        );
        assert!(matches!(
            read_under(&scratch.root(), "docs/missing.txt"),
            Err(PathError::Io(_))
        ));
        assert_eq!(
            read_under(&scratch.root(), "../secret.txt"),
            Err(PathError::Traversal)
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        let scratch = Scratch::new("symlink");
        std::os::unix::fs::symlink(
            scratch.0.join("secret.txt"),
            scratch.root().join("docs/link"),
        )
        .unwrap();
        assert_eq!(
            read_under(&scratch.root(), "docs/link"),
            Err(PathError::OutsideRoot),
            "`docs/link` looks harmless but points outside: check the canonical path"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_directory_inside_the_root_is_followed_and_refused() {
        // The file itself is a regular file: only a directory on the way to it is a symlink.
        // Checking whether the last component is a symlink misses it; the canonical path does not.
        let scratch = Scratch::new("linkdir");
        std::os::unix::fs::symlink(&scratch.0, scratch.root().join("linkdir")).unwrap();
        std::os::unix::fs::symlink(&scratch.0, scratch.root().join("docs/up")).unwrap();
        for path in ["linkdir/secret.txt", "docs/up/secret.txt"] {
            assert_eq!(
                read_under(&scratch.root(), path),
                Err(PathError::OutsideRoot),
                "{path:?} goes through a symlinked directory to a file outside the root: \
                 compare the canonical path of the whole file, not just its last component"
            );
        }
        assert_eq!(
            read_under(&scratch.root(), "linkdir/root/docs/readme.txt"),
            Ok("public".into()),
            "through the same symlink, a path that resolves back inside the root is fine"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_root_reached_through_a_symlink_still_serves_its_files() {
        // Deployments often name the root through a symlink (/srv/current -> /srv/releases/42).
        // The canonical file is then compared with the canonical root, not with the path as given.
        let scratch = Scratch::new("alias");
        let alias = scratch.0.join("current");
        std::os::unix::fs::symlink(scratch.root(), &alias).unwrap();
        assert_eq!(
            read_under(&alias, "docs/readme.txt"),
            Ok("public".into()),
            "the root was given through a symlink: canonicalize the root too before comparing"
        );
        std::os::unix::fs::symlink(scratch.0.join("secret.txt"), alias.join("docs/link")).unwrap();
        assert_eq!(read_under(&alias, "docs/link"), Err(PathError::OutsideRoot));
    }

    #[test]
    fn a_sibling_whose_name_extends_the_root_is_outside() {
        let scratch = Scratch::new("sibling");
        fs::create_dir_all(scratch.0.join("root-old")).unwrap();
        fs::write(scratch.0.join("root-old/keys.txt"), "old keys").unwrap();
        std::os::unix::fs::symlink(
            scratch.0.join("root-old/keys.txt"),
            scratch.root().join("docs/keys"),
        )
        .unwrap();
        assert_eq!(
            read_under(&scratch.root(), "docs/keys"),
            Err(PathError::OutsideRoot),
            "`root-old/keys.txt` is not inside `root` although its text starts with it: \
             compare paths component by component, not as strings"
        );
    }
}
