// An endless file read at compile time: the compiler's memory grows until something stops it.
const ZEROS: &[u8] = include_bytes!("/dev/zero");

fn main() {
    std::process::exit(i32::from(ZEROS[0]) + 1);
}
