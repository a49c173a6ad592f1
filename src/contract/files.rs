//! Which files of an exercise are Rust: one definition for the contract, the rule book and the
//! copy into the sandbox (red team round 9).
//!
//! The contract once took `Path::extension() == "rs"` (a file named `.rs` has none: data,
//! copied unparsed) while the module checks took `ends_with(".rs")` (a fine module path): a
//! module file named `.rs` escaped every contract rule, and the rule book then parsed it in the
//! grader's own process with no stack guard. Now:
//!
//! - a file is Rust when its name ends in `.rs`, `.rs` itself included ([`is_rust_name`]);
//! - and whatever a module declaration of the program leads to is Rust, whatever its name
//!   ([`program_files`]): it is compiled as Rust, so it is read as Rust;
//! - a `#[path]` may not be absolute, nor lead out of the program's folder: such a module is
//!   not followed (the rule book reads no host file) and the contract refuses it.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use syn::Item;

use super::assemble::{path_attr, path_attrs};
use super::name;

/// Whether a file is Rust by its name: it ends in `.rs` (`.rs`, a dotfile to
/// `Path::extension`, included).
pub fn is_rust_name(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().ends_with(b".rs"))
}

/// The largest file the rule book reads: a printed file may be longer than the learner's
/// (at most [`super::exercise::MAX_FILE_BYTES`]) it was printed from; a longer one is refused
/// by the rule book, never skipped.
pub const MAX_PROGRAM_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file as text, or nothing when it cannot be read, is not UTF-8 or is over
/// [`MAX_PROGRAM_FILE_BYTES`] (the rule book reads files in the grader's own process).
pub fn read_capped(path: &Path) -> Option<String> {
    let limit = MAX_PROGRAM_FILE_BYTES;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > limit {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Whether a file is over [`MAX_PROGRAM_FILE_BYTES`].
pub fn too_large(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_PROGRAM_FILE_BYTES)
}

/// The files of a program and the module paths it was refused.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ProgramFiles {
    /// The crate root first, then every module file it pulls in, that exists.
    pub files: Vec<PathBuf>,
    /// `#[path]`s that are absolute or lead out of the program's folder, as written: not
    /// followed.
    pub escapes: Vec<String>,
}

/// The Rust files of a program: its crate root `main_file` and the module files it declares
/// (`mod db;`, `#[path]` honoured, a `path` inside `cfg_attr` too, and modules declared in
/// function bodies), found the way the compiler finds them, none outside `root`. `read` reads
/// one file (the caller's guards: the grader's reader refuses symlinks out of the learner's
/// tree and huge files).
pub fn program_files(
    main_file: &Path,
    root: &Path,
    read: &dyn Fn(&Path) -> Option<String>,
) -> ProgramFiles {
    let _reset = super::assemble::SpanReset;
    let mut found = ProgramFiles {
        files: vec![main_file.to_path_buf()],
        escapes: Vec::new(),
    };
    let mut next = 0;
    // A module tree of an exercise is small; the bound stops a cycle of `#[path]`s.
    while next < found.files.len() && found.files.len() < 256 {
        let file = found.files[next].clone();
        next += 1;
        let Some(source) = read(&file) else {
            continue;
        };
        let Ok(parsed) = syn::parse_file(&super::assemble::normalize(&source)) else {
            continue;
        };
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        // The crate root owns its folder whatever its name (`mod x;` in `add.rs` is `x.rs`
        // next to it), and so do `main.rs`, `mod.rs` and `lib.rs`.
        let owns_dir = next == 1
            || file
                .file_name()
                .is_some_and(|n| n == "main.rs" || n == "mod.rs" || n == "lib.rs");
        let base = if owns_dir {
            dir.clone()
        } else {
            dir.join(file.file_stem().unwrap_or_default())
        };
        let mut walk = Walk {
            root,
            found: Vec::new(),
            escapes: &mut found.escapes,
        };
        walk.module_files(&parsed.items, &dir, &base);
        for module in walk.found {
            if module.is_file() && !found.files.contains(&module) {
                found.files.push(module);
            }
        }
    }
    found
}

/// `dir` joined with a `#[path]`, lexically: `None` when the path is absolute or leads out of
/// `root`.
pub fn confined(root: &Path, dir: &Path, path: &str) -> Option<PathBuf> {
    let path = Path::new(path);
    if path.has_root() || path.is_absolute() {
        return None;
    }
    let mut joined = PathBuf::new();
    for part in dir.join(path).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !joined.pop() {
                    return None;
                }
            }
            other => joined.push(other),
        }
    }
    joined.starts_with(root).then_some(joined)
}

struct Walk<'a> {
    root: &'a Path,
    found: Vec<PathBuf>,
    escapes: &'a mut Vec<String>,
}

impl Walk<'_> {
    fn place(&mut self, dir: &Path, path: &str) -> Option<PathBuf> {
        let place = confined(self.root, dir, path);
        if place.is_none() && !self.escapes.iter().any(|e| e == path) {
            self.escapes.push(path.to_string());
        }
        place
    }

    /// The files of the `mod name;` declarations among `items` (inline modules searched too):
    /// `#[path]` is relative to `dir`, other modules live in `base`. A `path` inside
    /// `cfg_attr` may or may not apply: both its file and the default one are read.
    fn module_files(&mut self, items: &[Item], dir: &Path, base: &Path) {
        for item in items {
            let Item::Mod(module) = item else {
                // `#[path = ".."] mod x;` in a function body is a module file too (red team
                // round 8): its path is relative to this file's folder.
                self.block_module_files(item, dir);
                continue;
            };
            let module_name = name(&module.ident);
            let plain = path_attr(&module.attrs);
            let mut places: Vec<Option<String>> =
                path_attrs(&module.attrs).into_iter().map(Some).collect();
            if plain.is_none() {
                places.push(None);
            }
            for place in places {
                match (&module.content, place) {
                    (Some((_, inner)), path) => {
                        let inner_base = match path {
                            Some(path) => match self.place(dir, &path) {
                                Some(place) => place,
                                None => continue,
                            },
                            None => base.join(&module_name),
                        };
                        self.module_files(inner, &inner_base, &inner_base);
                    }
                    (None, Some(path)) => {
                        if let Some(place) = self.place(dir, &path) {
                            self.found.push(place);
                        }
                    }
                    (None, None) => {
                        let flat = base.join(format!("{module_name}.rs"));
                        self.found.push(if flat.is_file() {
                            flat
                        } else {
                            base.join(&module_name).join("mod.rs")
                        });
                    }
                }
            }
        }
    }

    /// The files of the `#[path]` modules declared inside the bodies (blocks) of `item`.
    fn block_module_files(&mut self, item: &Item, dir: &Path) {
        struct Blocks(Vec<String>);
        impl<'ast> syn::visit::Visit<'ast> for Blocks {
            fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
                if module.content.is_none() {
                    self.0.extend(path_attrs(&module.attrs));
                }
                syn::visit::visit_item_mod(self, module);
            }
        }
        let mut blocks = Blocks(Vec::new());
        syn::visit::Visit::visit_item(&mut blocks, item);
        for path in blocks.0 {
            if let Some(place) = self.place(dir, &path) {
                self.found.push(place);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_files_are_named_so_or_pulled_in_by_a_module() {
        for rust in ["main.rs", ".rs", "a/b.rs", "x.y.rs"] {
            assert!(is_rust_name(Path::new(rust)), "{rust}");
        }
        for data in ["data.json", "rs", "notes.txt", "a.rs.txt"] {
            assert!(!is_rust_name(Path::new(data)), "{data}");
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ex");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        write(
            "main.rs",
            "#[path = \".rs\"]\nmod deep;\n#[path = \"notes.txt\"]\nmod notes;\nmod sub;\n#[path = \"/etc/x.rs\"]\nmod host;\n#[path = \"../outside.rs\"]\nmod out;\nfn main() {}\n",
        );
        write(".rs", "pub struct u16;");
        write("notes.txt", "");
        write(
            "sub/mod.rs",
            "#[path = \"../../outside.rs\"]\nmod up;\n#[path = \"../notes.txt\"]\nmod back;\n",
        );
        std::fs::write(dir.path().join("outside.rs"), "").unwrap();
        let found = program_files(&root.join("main.rs"), &root, &read_capped);
        assert_eq!(
            found.files,
            [
                root.join("main.rs"),
                root.join(".rs"),
                root.join("notes.txt"),
                root.join("sub/mod.rs"),
            ]
        );
        assert_eq!(
            found.escapes,
            ["/etc/x.rs", "../outside.rs", "../../outside.rs"]
        );
    }
}
