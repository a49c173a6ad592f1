// Welcome to backendlings!
//
// Every exercise is a small Rust program with something broken in it. The runner compiles it and
// then either runs its tests or, as here, runs `main` and expects it to exit successfully.
//
// This one does not compile yet: `startup_line` below uses a variable that does not exist.
// Define `service` as the name of the service you are about to build ("orders-api" is fine),
// save the file, and watch the verdict change. Once it compiles, `main` checks the log line it
// printed: a name must be there, so deleting `{service}` or leaving the name empty still fails,
// and so does a name with surrounding spaces or a newline (it would split the log line).
// Edit only `startup_line`: `main` and `check_startup_line` belong to the course, and grading
// puts them back as they are.
//
// New to Rust? The section after this one, 00_rust (Rust for Python developers), teaches the
// everyday Rust the backend sections use: ownership and borrowing, enums and `match`, `Option`
// and `Result`, iterators, `HashMap`, traits, error types, modules and threads, each next to the
// Python you know. exercises/00_intro/README.md lists what you need and where to learn it.

/// Prints the startup line and checks it. The course keeps `main` as it is: grading puts it back.
fn main() {
    let line = startup_line();
    println!("{line}");
    check_startup_line(&line);
}

/// The line the service logs when it starts.
fn startup_line() -> String {
    // TODO: define `service` here.

    format!("Starting {service} on 127.0.0.1:8080")
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
    let name = name.unwrap_or_default();
    assert!(
        name.trim() == name && !name.chars().any(char::is_control),
        "the name must be printable text without surrounding spaces: a newline or another \
         control character would split or forge log lines, got {name:?}"
    );
    assert!(
        !name.contains(['<', '>', '{', '}']),
        "{name:?} looks like a placeholder left in: put the service's real name there"
    );
}
