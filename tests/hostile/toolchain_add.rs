// Whether the toolchain and cargo's registry are writable from learner code: if they are, one
// learner can plant code that every later build (of every learner, of every later grading run)
// compiles or links. Files are only opened for appending, never written. And whether learner code
// holds capabilities (a grader run as root keeps them in a bubblewrap sandbox unless it drops
// them or uses a user namespace; CAP_SYS_ADMIN undoes the mounts).
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
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:toolchain\n");
    let roots = [
        "@SYSROOT@/lib/rustlib",
        "@CARGO_HOME@/registry/src",
        "@CARGO_HOME@/registry/cache",
    ];
    for root in roots {
        if !std::path::Path::new(root).exists() {
            println!("HIDDEN {root}");
        } else if let Some(file) = first_file(std::path::Path::new(root), 4) {
            if writable(&file) {
                println!("HOSTILE-BREACH: {} is writable", file.display());
            } else {
                println!("read-only: {}", file.display());
            }
        }
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_else(|err| {
        println!("PROC hidden: {err}");
        String::new()
    });
    for line in status.lines().filter(|l| l.starts_with("CapEff:")) {
        let caps = line.trim_start_matches("CapEff:").trim();
        if caps.trim_start_matches('0').is_empty() {
            println!("no capabilities");
        } else {
            println!("HOSTILE-BREACH: learner code holds capabilities {caps}");
        }
    }
    let _ = (a, b);
    0
}

fn main() {}
