// Writes where the grader can: the course (found as the grader's working directory), the other
// learners' trees and its own (found from the grader's command line), and drops files in /tmp
// and /dev/shm. Only paths below @WORK@ or @COURSE@ are touched.
use std::path::{Path, PathBuf};

const UNSOLVED: &str = "fn add(a: i32, b: i32) -> i32 {\n    let _ = (a, b);\n    0\n}\n\nfn main() {}\n// vandalized\n";

fn fenced(path: &Path) -> bool {
    path.starts_with("@WORK@") || path.starts_with("@COURSE@")
}

fn scribble(path: &Path, text: &str) {
    if !fenced(path) {
        return;
    }
    if !path.exists() {
        println!("HIDDEN {}", path.display());
    } else if let Err(err) = std::fs::write(path, text) {
        println!("READ-ONLY {}: {err}", path.display());
    } else {
        println!("WROTE {}", path.display());
    }
}

fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:vandal\n");
    let grader = std::os::unix::process::parent_id();
    let course = std::fs::read_link(format!("/proc/{grader}/cwd")).unwrap_or_else(|err| {
        println!("PROC hidden: {err}");
        PathBuf::from("@COURSE@")
    });
    scribble(&course.join("solutions/basics/add.rs"), UNSOLVED);
    scribble(&course.join("exercises/basics/add.rs"), UNSOLVED);
    if let Ok(info) = std::fs::read_to_string(course.join("info.toml")) {
        scribble(&course.join("info.toml"), &format!("{info}\n# vandalized\n"));
    }
    let args = std::fs::read(format!("/proc/{grader}/cmdline")).unwrap_or_default();
    let args: Vec<String> = args
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let mut learners: Vec<PathBuf> = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if arg == "--cohort" {
            if let Some(Ok(entries)) = args.get(i + 1).map(std::fs::read_dir) {
                learners.extend(entries.flatten().map(|e| e.path()));
            }
        }
    }
    learners.push(PathBuf::from("@WORK@/cohort/zz_honest"));
    for learner in learners {
        scribble(&learner.join("exercises/basics/add.rs"), UNSOLVED);
        let planted = learner.join("planted.txt");
        if fenced(&planted) {
            let _ = std::fs::write(planted, "vandal");
        }
    }
    let _ = std::fs::write("/dev/shm/@MARKER@-drop", "vandal");
    let _ = std::fs::write(std::env::temp_dir().join("@MARKER@-drop"), "vandal");
    let _ = (a, b);
    0
}

fn main() {}
