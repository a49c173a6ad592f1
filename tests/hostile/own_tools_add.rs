// The run sandbox has no shell and no programs, which alone stops the attacks above that spawn
// `sh`, `setsid` or `kill`. This one brings its own: `include_bytes!` copies the build sandbox's
// shell and tools into the test binary, and the test writes them to its private /tmp and runs
// them. So the layers behind "no programs" are really reached: the PID namespace (signals to the
// grader), the supervisor (a `setsid` survivor must die with the sandbox) and the process limit
// (a flood of idle processes, bounded for a shared machine).
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TOOLS: [(&str, &[u8]); 4] = [
    ("sh", include_bytes!("/bin/sh")),
    ("sleep", include_bytes!("/usr/bin/sleep")),
    ("setsid", include_bytes!("/usr/bin/setsid")),
    ("kill", include_bytes!("/usr/bin/kill")),
];

/// Where the tools went, or why they could not be installed.
fn install() -> Result<PathBuf, String> {
    use std::os::unix::fs::PermissionsExt;
    let bin = std::env::temp_dir().join("own-tools");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    for (name, bytes) in TOOLS {
        let path = bin.join(name);
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| e.to_string())?;
    }
    Ok(bin)
}

fn tool(bin: &Path, name: &str) -> Command {
    let mut cmd = Command::new(bin.join(name));
    cmd.env("PATH", bin)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:own_tools\n");
    let bin = match install() {
        Ok(bin) => bin,
        Err(err) => {
            println!("TOOLS not installed: {err}");
            return 0;
        }
    };
    match tool(&bin, "sh").args(["-c", "exit 7"]).status() {
        Ok(status) => println!("TOOLS run: sh exited with {status}"),
        Err(err) => println!("TOOLS cannot run: {err}"),
    }
    // The grader, as this process sees it, and everything else: stopped, then killed.
    let grader = std::os::unix::process::parent_id();
    println!("PARENT {grader}");
    for args in [
        vec!["-STOP".to_string(), grader.to_string()],
        vec!["-KILL".to_string(), grader.to_string()],
        vec!["-KILL".to_string(), "1".to_string()],
    ] {
        let status = tool(&bin, "kill").args(&args).status();
        println!("KILL {} -> {status:?}", args.join(" "));
    }
    // A survivor in a session of its own.
    let survivor = tool(&bin, "setsid")
        .args(["sh", "-c", "while :; do sleep 1; done", "@MARKER@"])
        .spawn();
    println!("SURVIVOR spawned: {}", survivor.is_ok());
    // A flood of idle processes (600, above the limit of 512 per learner).
    let mut spawned = 0;
    let mut refused = None;
    for _ in 0..600 {
        match tool(&bin, "sleep").args(["20", "@MARKER@"]).spawn() {
            Ok(_) => spawned += 1,
            Err(err) => {
                refused = Some(err.to_string());
                break;
            }
        }
    }
    match refused {
        Some(err) => println!("FLOOD stopped after {spawned} processes: {err}"),
        None => println!("FLOOD not stopped: {spawned} processes"),
    }
    let _ = (a, b);
    0
}

fn main() {}
