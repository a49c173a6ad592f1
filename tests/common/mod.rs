//! Shared helpers for integration tests: tiny courses built in a temporary folder, and the real
//! `backendlings` binary run against them.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_backendlings");

/// A course in a temporary folder. Exercises are added with [`TestCourse::exercise`]; the
/// `info.toml` is written by [`TestCourse::finish`].
pub struct TestCourse {
    pub dir: tempfile::TempDir,
    sections: Vec<(String, String)>,
    entries: Vec<String>,
}

/// Options of one exercise entry.
#[derive(Clone)]
pub struct Opts {
    pub test: bool,
    pub strict_clippy: bool,
    pub timeout_secs: Option<u64>,
    pub points: Option<u32>,
    pub skip_check_unsolved: bool,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            test: true,
            strict_clippy: false,
            timeout_secs: None,
            points: None,
            skip_check_unsolved: false,
        }
    }
}

/// A test exercise whose only test asserts `expr`.
pub fn test_source(expr: &str) -> String {
    format!(
        "fn main() {{}}\n\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn checks() {{\n        assert!({expr});\n    }}\n}}\n"
    )
}

impl TestCourse {
    pub fn new() -> TestCourse {
        TestCourse {
            dir: tempfile::tempdir().expect("temp dir"),
            sections: Vec::new(),
            entries: Vec::new(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn section(mut self, dir: &str, title: &str) -> Self {
        fs::create_dir_all(self.path(&format!("exercises/{dir}"))).unwrap();
        self.sections.push((dir.to_string(), title.to_string()));
        self
    }

    /// Adds a one-file exercise `exercises/<dir>/<name>.rs` with `source`, and its solution
    /// when given.
    pub fn exercise(
        mut self,
        dir: &str,
        name: &str,
        source: &str,
        solution: Option<&str>,
        opts: Opts,
    ) -> Self {
        self.write(&format!("exercises/{dir}/{name}.rs"), source);
        if let Some(solution) = solution {
            self.write(&format!("solutions/{dir}/{name}.rs"), solution);
        }
        self.entry(dir, name, &opts);
        self
    }

    /// Adds a directory exercise: `files` are (relative path inside the folder, content).
    pub fn dir_exercise(
        mut self,
        dir: &str,
        name: &str,
        files: &[(&str, &str)],
        opts: Opts,
    ) -> Self {
        for (rel, content) in files {
            self.write(&format!("exercises/{dir}/{name}/{rel}"), content);
        }
        self.entry(dir, name, &opts);
        self
    }

    fn entry(&mut self, dir: &str, name: &str, opts: &Opts) {
        let mut entry = format!(
            "[[exercises]]\nname = \"{name}\"\ndir = \"{dir}\"\nhint = \"A hint for {name}.\"\n"
        );
        if !opts.test {
            entry.push_str("test = false\n");
        }
        if opts.strict_clippy {
            entry.push_str("strict_clippy = true\n");
        }
        if opts.skip_check_unsolved {
            entry.push_str("skip_check_unsolved = true\n");
        }
        if let Some(t) = opts.timeout_secs {
            entry.push_str(&format!("timeout_secs = {t}\n"));
        }
        if let Some(p) = opts.points {
            entry.push_str(&format!("points = {p}\n"));
        }
        self.entries.push(entry);
    }

    /// Writes `info.toml`.
    pub fn finish(self) -> Self {
        let mut info = String::from(
            "format_version = 1\nwelcome_message = \"Welcome to the test course\"\nfinal_message = \"All done!\"\n\n",
        );
        for (dir, title) in &self.sections {
            info.push_str(&format!("[[sections]]\ndir = \"{dir}\"\ntitle = \"{title}\"\nsummary = \"About {title}.\"\n\n"));
        }
        for entry in &self.entries {
            info.push_str(entry);
            info.push('\n');
        }
        self.write("info.toml", &info);
        self
    }

    pub fn write(&self, rel: &str, content: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    /// `backendlings ARGS` run in the course folder, colours off.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(self.root()).env("NO_COLOR", "1");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run backendlings")
    }
}

/// `backendlings ARGS` run in `dir`, colours off.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run backendlings")
}

/// Everything a run printed: stdout, then stderr.
pub fn text(output: &Output) -> String {
    format!("{}{}", stdout(output), stderr(output))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether any process on this machine has `needle` in its command line: from Linux's `/proc`,
/// or `ps` where there is none (macOS). Never a silent `false`: a "nothing survived" check
/// that cannot look must fail, not pass.
pub fn process_running(needle: &str) -> bool {
    let Ok(entries) = fs::read_dir("/proc") else {
        let ps = Command::new("ps")
            .args(["-A", "-ww", "-o", "command="])
            .output()
            .expect("without /proc, `ps` lists the processes");
        assert!(ps.status.success(), "ps failed: {ps:?}");
        return String::from_utf8_lossy(&ps.stdout)
            .lines()
            .any(|line| line.contains(needle));
    };
    entries.flatten().any(|entry| {
        fs::read(entry.path().join("cmdline"))
            .map(|cmdline| {
                String::from_utf8_lossy(&cmdline)
                    .replace('\0', " ")
                    .contains(needle)
            })
            .unwrap_or(false)
    })
}

/// Whether a Python 3.11 or newer is here for the Python track's tests; under CI it must be.
pub fn python_here() -> bool {
    let found = ["python3", "python"].iter().any(|p| {
        Command::new(p)
            .args(["-c", "import sys; assert sys.version_info >= (3, 11)"])
            .status()
            .is_ok_and(|s| s.success())
    });
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "the Python track's tests need Python 3.11 or newer under CI"
        );
        eprintln!("skipped: no Python 3.11 or newer here");
    }
    found
}

/// A course whose section `b` asks for the cargo feature `heavy`, which turns on the optional
/// path crate `heavy` (`heavy::answer()` is 42); section `a` needs nothing. Both exercises pass.
pub fn lazy_feature_course() -> TestCourse {
    let course = TestCourse::new()
        .section("a", "Alpha")
        .section("b", "Beta")
        .exercise(
            "a",
            "plain",
            &test_source("1 + 1 == 2"),
            None,
            Opts::default(),
        )
        .exercise(
            "b",
            "uses_heavy",
            &test_source("heavy::answer() == 42"),
            None,
            Opts::default(),
        )
        .finish();
    let info = course.read("info.toml").replace(
        "title = \"Beta\"\n",
        "title = \"Beta\"\nfeatures = [\"heavy\"]\n",
    );
    course.write("info.toml", &info);
    course.write(
        "Cargo.toml",
        "bin = []\n\n[package]\nname = \"exercises\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\nautobins = false\n\n[dependencies]\nheavy = { path = \"heavy\", optional = true }\n\n[features]\n# On for the editor; the runner turns it on only for section b.\ndefault = [\"heavy\"]\nheavy = [\"dep:heavy\"]\n\n[workspace]\n",
    );
    course.write(
        "heavy/Cargo.toml",
        "[package]\nname = \"heavy\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    course.write("heavy/src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n");
    course
}
