/// Prints the startup line and checks it. The course keeps `main` as it is: grading puts it back.
fn main() {
    let line = startup_line();
    println!("{line}");
    check_startup_line(&line);
}

/// The line the service logs when it starts.
fn startup_line() -> String {
    let service = "orders-api";

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
