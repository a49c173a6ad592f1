//! What `dev check` finds: problems located in the course, and how they are printed.

use std::path::Path;

use console::style;

/// Lines of captured output shown under a problem (the first ones: compilers put the cause first).
const OUTPUT_LINES: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Severity {
    Error,
    Warning,
}

/// One thing wrong with the course, located by a path relative to the course root.
#[derive(Debug)]
pub(super) struct Problem {
    pub(super) severity: Severity,
    pub(super) location: String,
    pub(super) message: String,
    pub(super) help: Option<String>,
    pub(super) output: Option<String>,
}

impl Problem {
    pub(super) fn error(location: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            location: slash(location.as_ref()),
            message: message.into(),
            help: None,
            output: None,
        }
    }

    pub(super) fn warning(location: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(location, message)
        }
    }

    pub(super) fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub(super) fn output(mut self, output: String) -> Problem {
        self.output = Some(output);
        self
    }
}

pub(super) fn print_report(problems: &[Problem], checked: Option<usize>, seconds: f64) {
    for problem in problems {
        let label = match problem.severity {
            Severity::Error => style("error:").red().bold(),
            Severity::Warning => style("warning:").yellow().bold(),
        };
        println!("{label} {}: {}", problem.location, problem.message);
        if let Some(help) = &problem.help {
            println!("  {} {help}", style("help:").cyan());
        }
        if let Some(output) = &problem.output {
            let lines: Vec<&str> = output.lines().collect();
            for line in lines.iter().take(OUTPUT_LINES) {
                println!("  | {line}");
            }
            if lines.len() > OUTPUT_LINES {
                println!("  | ... ({} more lines)", lines.len() - OUTPUT_LINES);
            }
        }
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let built = match checked {
        Some(n) => format!("{n} programs built and checked"),
        None => {
            "exercises and solutions not built until the course and manifest are fixed".to_string()
        }
    };
    if !problems.is_empty() {
        println!();
    }
    if errors == 0 {
        println!(
            "{} the course is fine ({built}, {warnings} warnings, {seconds:.1} s)",
            style("✓").green().bold()
        );
    } else {
        println!(
            "{} {errors} errors, {warnings} warnings ({built}, {seconds:.1} s)",
            style("✗").red().bold()
        );
    }
}

/// A relative path with `/` separators, as in `info.toml` and the manifest.
pub(super) fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
