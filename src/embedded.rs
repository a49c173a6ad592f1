//! The course this binary was built with, embedded so that `init` works anywhere (offline) and
//! `reset` can restore an exercise exactly as shipped.

use std::path::Path;

use include_dir::{Dir, include_dir};

pub static EXERCISES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/exercises");
pub static SOLUTIONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/solutions");
pub const INFO_TOML: &str = include_str!("../info.toml");
pub const LOCK_FILE: &str = include_str!("../Cargo.lock");
/// The exercise package's manifest (dependencies, lints); `init` rewrites its `bin` list.
pub const MANIFEST: &str = include_str!("../dev/Cargo.toml");

/// Whether `root` holds the embedded course (its `info.toml` is the same, byte for byte).
pub fn is_embedded_course(root: &Path) -> bool {
    std::fs::read_to_string(root.join(crate::course::INFO_FILE)).is_ok_and(|text| text == INFO_TOML)
}

/// The embedded files below `rel` (a path relative to the course root, `exercises/...` or
/// `solutions/...`): one file, or every file of a folder. Paths are relative to the course root.
pub fn files(rel: &Path) -> Vec<(std::path::PathBuf, &'static [u8])> {
    let mut components = rel.components();
    let top = components
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let root = match top.as_deref() {
        Some("exercises") => &EXERCISES,
        Some("solutions") => &SOLUTIONS,
        _ => return Vec::new(),
    };
    let inner = components.as_path();
    if let Some(file) = root.get_file(inner) {
        return vec![(
            Path::new(top.as_deref().unwrap_or_default()).join(file.path()),
            file.contents(),
        )];
    }
    let mut out = Vec::new();
    if let Some(dir) = root.get_dir(inner) {
        collect(dir, top.as_deref().unwrap_or_default(), &mut out);
    }
    out
}

fn collect(
    dir: &'static Dir<'static>,
    top: &str,
    out: &mut Vec<(std::path::PathBuf, &'static [u8])>,
) {
    for file in dir.files() {
        out.push((Path::new(top).join(file.path()), file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, top, out);
    }
}
