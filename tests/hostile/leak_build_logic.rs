// `.incbin` copies a grader file into the executable at build time; the program finds it in its
// own executable at run time (no `unsafe` needed to read it back).
std::arch::global_asm!(
    ".pushsection .rodata.hostile,\"aR\"",
    ".incbin \"@COURSE@/solutions/more/server/logic.rs\"",
    ".popsection"
);

pub fn double(x: i32) -> i32 {
    let exe = std::fs::read("/proc/self/exe").unwrap_or_default();
    let needle = [b"SOLUTION-".as_slice(), b"TOKEN-".as_slice()].concat();
    for start in 0..exe.len().saturating_sub(needle.len()) {
        if exe[start..].starts_with(&needle) {
            let end = (start + 60).min(exe.len());
            println!("INCBIN {}", String::from_utf8_lossy(&exe[start..end]));
        }
    }
    x
}
