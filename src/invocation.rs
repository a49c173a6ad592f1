//! How the learner types a command of this runner, for every message that names one:
//! `backendlings hint x`, `cargo run --release -- hint x`, or the binary's full path.

use std::path::Path;
use std::sync::OnceLock;

/// How the learner runs this binary, for messages that name a command: `backendlings` when
/// that is on PATH; `cargo run --release --` inside the clone it was built in (the README's
/// way to start, where `backendlings` is usually not on PATH); otherwise its full path.
pub fn invocation() -> &'static str {
    static INVOCATION: OnceLock<String> = OnceLock::new();
    INVOCATION.get_or_init(|| {
        let Ok(exe) = std::env::current_exe().and_then(std::fs::canonicalize) else {
            return "backendlings".to_string();
        };
        let on_path = std::env::var_os("PATH").is_some_and(|path| {
            std::env::split_paths(&path).any(|dir| {
                std::fs::canonicalize(dir.join("backendlings")).is_ok_and(|found| found == exe)
            })
        });
        if on_path {
            return "backendlings".to_string();
        }
        // `<project>/target/<profile>/backendlings`, run from inside that project.
        let profile = exe.parent();
        let target = profile.and_then(Path::parent);
        let project = target.and_then(Path::parent);
        let inside = std::env::current_dir()
            .and_then(std::fs::canonicalize)
            .is_ok_and(|cwd| project.is_some_and(|p| cwd.starts_with(p)));
        let from_cargo = inside
            && target.is_some_and(|t| t.ends_with("target"))
            && project.is_some_and(|p| p.join("Cargo.toml").is_file());
        match profile.and_then(Path::file_name).and_then(|n| n.to_str()) {
            Some("release") if from_cargo => "cargo run --release --".to_string(),
            Some("debug") if from_cargo => "cargo run --".to_string(),
            _ => shell_quote(&exe),
        }
    })
}

/// `command` (arguments) as the learner can type it, e.g. `` `cargo run --release -- hint x` ``.
pub fn typed(command: &str) -> String {
    format!("`{} {command}`", invocation())
}

/// `dest` as a user would type it after `cd` (quoted when it has spaces or quotes).
pub fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~+".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
