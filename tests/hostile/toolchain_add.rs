// Whether the toolchain and cargo's registry are writable from learner code: if they are, one
// learner can plant code that every later build (of every learner, of every later grading run)
// compiles or links. Files are only opened for appending, never written.
fn writable(path: &std::path::Path) -> bool {
    std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

fn first_file(dir: &std::path::Path, depth: usize) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let kind = entry.file_type().ok()?;
        if kind.is_file() {
            return Some(entry.path());
        }
        if kind.is_dir() && depth > 0 {
            if let Some(found) = first_file(&entry.path(), depth - 1) {
                return Some(found);
            }
        }
    }
    None
}

fn add(a: i32, b: i32) -> i32 {
    let roots = [
        "@SYSROOT@/lib/rustlib",
        "@CARGO_HOME@/registry/src",
        "@CARGO_HOME@/registry/cache",
    ];
    for root in roots {
        if let Some(file) = first_file(std::path::Path::new(root), 4) {
            if writable(&file) {
                println!("HOSTILE-BREACH: {} is writable", file.display());
            } else {
                println!("read-only: {}", file.display());
            }
        }
    }
    let _ = (a, b);
    0
}

fn main() {}
