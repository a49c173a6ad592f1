// Welcome to backendlings!
//
// Every exercise is a small Rust program with something broken in it. The runner compiles it and
// then either runs its tests or, as here, runs `main` and expects it to exit successfully.
//
// This one does not compile yet: the greeting below uses a variable that does not exist.
// Define `service` as the name of the service you are about to build ("orders-api" is fine),
// save the file, and watch the verdict change.
//
// New to Rust? The next exercises expect everyday Rust: ownership and borrowing, structs, enums
// and `match`, `Option` and `Result`, `Vec` and `HashMap`. exercises/00_intro/README.md lists
// what you need and where to learn it (The Rust Book, Rust by Example, rustlings).

fn main() {
    // TODO: define `service` here.

    println!("Starting {service} on 127.0.0.1:8080");
}
