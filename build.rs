// The course is embedded in the binary (for `init` and `reset`); rebuild when it changes.
fn main() {
    for path in [
        "info.toml",
        "exercises",
        "solutions",
        "dev/Cargo.toml",
        "Cargo.lock",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
}
