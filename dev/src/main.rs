//! What `cargo run` does in this folder (the exercise package): the runner lives one folder up,
//! and cargo would otherwise list every exercise and solution binary and ask which one to run.

fn main() {
    eprintln!(
        "This folder is the exercise package, not the runner. Run backendlings from the \
         repository root, one folder up:\n\n    cd .. && cargo run --release -- {}\n",
        std::env::args().skip(1).collect::<Vec<_>>().join(" ")
    );
    std::process::exit(2);
}
