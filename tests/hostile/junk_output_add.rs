// Test output with characters XML forbids and terminal escapes, shown in every report.
fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:junk_output\n");
    println!("junk \u{FFFF} \u{FFFE} \u{0} \u{1b}[2J\u{1b}]0;title\u{7} </failure></testcase> =1+1");
    let _ = (a, b);
    0
}

fn main() {}
