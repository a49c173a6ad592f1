//! What `dev check` finds: problems located in the course, and how they are printed.

use std::path::Path;
use std::time::Duration;

use crate::stdout::outln;
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

/// How many mutants of one exercise its tests reject.
#[derive(Debug)]
pub(super) struct MutantTally {
    pub(super) exercise: String,
    pub(super) killed: usize,
    pub(super) total: usize,
}

/// What the generated mutants of one exercise showed (`dev check --mutate`).
#[derive(Debug, Default)]
pub(super) struct GeneratedTally {
    pub(super) exercise: String,
    pub(super) generated: usize,
    pub(super) killed: usize,
    /// Survivors not listed as equivalent (each one is an error).
    pub(super) survived: usize,
    /// Survivors listed as `[[equivalent]]`.
    pub(super) equivalent: usize,
    /// Mutants that do not compile: they show nothing about the tests.
    pub(super) unviable: usize,
}

/// What `--mutate` cost.
#[derive(Debug, Default)]
pub(super) struct GeneratedCost {
    pub(super) mutants: usize,
    /// Binaries built, counting each round's again.
    pub(super) binaries: usize,
    /// Builds (rounds of the shared binaries that did not compile).
    pub(super) rounds: usize,
    /// Generating and printing the mutants.
    pub(super) generate: Duration,
    /// Wall time until each round's build finished (runs start while it goes on).
    pub(super) build: Duration,
    /// The runs added up (they run `--jobs` at a time).
    pub(super) runs: Duration,
    /// The whole of `--mutate`.
    pub(super) wall: Duration,
}

/// What `dev check` built and ran; `None` when the course or its manifest kept it from building.
pub(super) struct Built {
    pub(super) programs: usize,
    pub(super) mutants: Vec<MutantTally>,
    /// Indices of the exercises whose solution passes (as written and as graded).
    pub(super) passing: Vec<usize>,
    /// With `--mutate`: the generated mutants of each exercise, and their cost.
    pub(super) generated: Option<(Vec<GeneratedTally>, GeneratedCost)>,
}

pub(super) fn print_report(
    problems: &[Problem],
    built: Option<&Built>,
    seconds: f64,
) -> anyhow::Result<()> {
    if let Some(built) = built.filter(|b| !b.mutants.is_empty()) {
        print_mutants(&built.mutants)?;
    }
    if let Some((tallies, cost)) = built.and_then(|b| b.generated.as_ref()) {
        print_generated(tallies, cost);
    }
    for problem in problems {
        let label = match problem.severity {
            Severity::Error => style("error:").red().bold(),
            Severity::Warning => style("warning:").yellow().bold(),
        };
        outln!("{label} {}: {}", problem.location, problem.message)?;
        if let Some(help) = &problem.help {
            outln!("  {} {help}", style("help:").cyan())?;
        }
        if let Some(output) = &problem.output {
            let lines: Vec<&str> = output.lines().collect();
            for line in lines.iter().take(OUTPUT_LINES) {
                outln!("  | {line}")?;
            }
            if lines.len() > OUTPUT_LINES {
                outln!("  | ... ({} more lines)", lines.len() - OUTPUT_LINES)?;
            }
        }
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let built_text = match built {
        Some(built) => format!("{} programs built and checked", built.programs),
        None => {
            "exercises and solutions not built until the course and manifest are fixed".to_string()
        }
    };
    // The number an author watches grow: mutants killed, up front.
    let mutants = match built.filter(|b| !b.mutants.is_empty()) {
        Some(built) => {
            let killed: usize = built.mutants.iter().map(|t| t.killed).sum();
            let total: usize = built.mutants.iter().map(|t| t.total).sum();
            let exercises = built.mutants.len();
            let plural = if exercises == 1 { "" } else { "s" };
            format!(": {killed} of {total} mutants killed across {exercises} exercise{plural}")
        }
        None => String::new(),
    };
    let generated = match built.and_then(|b| b.generated.as_ref()) {
        Some((tallies, _)) => {
            let sum = |f: fn(&GeneratedTally) -> usize| tallies.iter().map(f).sum::<usize>();
            format!(
                "; {} of {} generated mutants killed ({} survived, {} equivalent, {} unviable)",
                sum(|t| t.killed),
                sum(|t| t.generated),
                sum(|t| t.survived),
                sum(|t| t.equivalent),
                sum(|t| t.unviable)
            )
        }
        None => String::new(),
    };
    let mutants = format!("{mutants}{generated}");
    if !problems.is_empty() {
        outln!()?;
    }
    if errors == 0 {
        outln!(
            "{} the course is fine{mutants} ({built_text}, {warnings} warnings, {seconds:.1} s)",
            style("✓").green().bold()
        )?;
    } else {
        outln!(
            "{} {errors} errors, {warnings} warnings{mutants} ({built_text}, {seconds:.1} s)",
            style("✗").red().bold()
        )?;
    }
    Ok(())
}

/// One line per exercise with mutants: how many its tests reject (the problems below name the
/// others).
fn print_mutants(tallies: &[MutantTally]) -> anyhow::Result<()> {
    outln!("Mutants killed by each exercise's tests:")?;
    let width = tallies.iter().map(|t| t.exercise.len()).max().unwrap_or(0);
    for tally in tallies {
        let count = format!("{} of {}", tally.killed, tally.total);
        let count = if tally.killed == tally.total {
            style(count).green()
        } else {
            style(count).red().bold()
        };
        outln!("  {:<width$}  {count}", tally.exercise)?;
    }
    outln!()
}

/// One line per exercise with generated mutants, then what they cost.
fn print_generated(tallies: &[GeneratedTally], cost: &GeneratedCost) {
    println!("Generated mutants of each exercise:");
    let width = tallies.iter().map(|t| t.exercise.len()).max().unwrap_or(0);
    for tally in tallies {
        let survived = format!("{} survived", tally.survived);
        let survived = if tally.survived == 0 {
            style(survived).green()
        } else {
            style(survived).red().bold()
        };
        println!(
            "  {:<width$}  {:>4} generated: {} killed, {survived}, {} equivalent, {} unviable",
            tally.exercise, tally.generated, tally.killed, tally.equivalent, tally.unviable
        );
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let built = if cost.binaries == 0 {
        // Python: no binaries, one batch of runs.
        String::new()
    } else {
        format!(
            " in {} ({})",
            count(cost.binaries, "binary", "binaries"),
            count(cost.rounds, "build round", "build rounds"),
        )
    };
    println!(
        "  cost: {}{built}; generated in {:.1} s, built in {:.1} s, runs {:.1} s added up, {:.1} s in all",
        count(cost.mutants, "mutant", "mutants"),
        cost.generate.as_secs_f64(),
        cost.build.as_secs_f64(),
        cost.runs.as_secs_f64(),
        cost.wall.as_secs_f64()
    );
    println!();
}

/// A relative path with `/` separators, as in `info.toml` and the manifest.
pub(super) fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
