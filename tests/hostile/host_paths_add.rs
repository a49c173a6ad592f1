// Prints the build's mount table (compiled in: it names the host folders mounted into the
// sandbox) and the program's environment. "ATTACK-RAN" proves the attack ran; the grader must
// redact host paths before they reach a report.
const MOUNTS: &str = include_str!("/proc/self/mountinfo");

fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    println!("ATTACK-RAN mounts:\n{MOUNTS}");
    for (key, value) in std::env::vars() {
        println!("ATTACK-RAN env {key}={value}");
    }
    0
}

fn main() {}
