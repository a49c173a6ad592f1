// Every process's environment this program can see.
pub fn double(x: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:leak_run\n");
    match std::fs::read_dir("/proc") {
        Err(err) => println!("PROC hidden: {err}"),
        Ok(entries) => for entry in entries.flatten() {
            let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
            for var in environ.split(|b| *b == 0) {
                if var.starts_with(b"HOSTILE") {
                    println!("PROC {}", String::from_utf8_lossy(var));
                }
            }
        },
    }
    x
}
