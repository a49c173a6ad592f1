// Welcome to backendlings!
//
// Every exercise is a small Rust program with something broken in it. The runner compiles it and
// then either runs its tests or, as here, runs `main` and expects it to exit successfully.
//
// This one does not compile yet: the greeting below uses a variable that does not exist.
// Define `service` as the name of the service you are about to build ("orders-api" is fine),
// save the file, and watch the verdict change. Once it compiles, `main` checks its own log
// line: a name must be there, so deleting `{service}` or leaving the name empty still fails.
//
// New to Rust? The next exercises expect everyday Rust: ownership and borrowing, structs, enums
// and `match`, `Option` and `Result`, `Vec` and `HashMap`. exercises/00_intro/README.md lists
// what you need and where to learn it (The Rust Book, Rust by Example, rustlings).

fn main() {
    // TODO: define `service` here.

    let line = format!("Starting {service} on 127.0.0.1:8080");
    println!("{line}");
    check_startup_line(&line);
}

/// Ends the program with an error unless `line` names the service: the runner passes this
/// exercise only when `main` ends normally. The course keeps this check as it is.
fn check_startup_line(line: &str) {
    let name = line
        .strip_prefix("Starting ")
        .and_then(|rest| rest.strip_suffix(" on 127.0.0.1:8080"));
    assert!(
        name.is_some_and(|name| !name.trim().is_empty()),
        "the log line must read `Starting <name> on 127.0.0.1:8080` with the service's name, \
         got {line:?}"
    );
}
