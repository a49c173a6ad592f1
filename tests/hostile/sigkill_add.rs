// Kills the grader: nobody gets a report.
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:sigkill\n");
    let grader = std::os::unix::process::parent_id().to_string();
    match std::process::Command::new("kill").args(["-KILL", &grader]).status() {
        Ok(status) => println!("KILL ran: {status}"),
        Err(err) => println!("KILL failed: {err}"),
    }
    let _ = (a, b);
    0
}

fn main() {}
