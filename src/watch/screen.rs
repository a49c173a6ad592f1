//! Watch mode's screens other than the list, as lines that fit the terminal: the exercise
//! screen (output, verdict, progress, keys), the welcome message, the reset question and the
//! final message. Pure: the terminal module draws what comes out, so every size (even 0
//! columns) can be tested without one.

use std::path::Path;

use console::style;

use crate::course::Course;
use crate::progress::Progress;
use crate::report::terminal;

use super::state::{BatchProgress, ExerciseView, Job};
use super::text::{self, fit, keys_text, wrap_text};

/// What the exercise screen needs to know.
pub struct Frame<'a> {
    pub course: &'a Course,
    pub progress: &'a Progress,
    pub current: usize,
    pub view: &'a ExerciseView,
    pub running: Option<Job>,
    pub batch: &'a BatchProgress,
    pub links: bool,
    /// A notice that stays (how files are watched, when not the usual way).
    pub pinned: Option<&'a str>,
}

/// The exercise screen: output (scrollable) on top, verdict, progress and keys at the bottom.
/// Returns the lines and the largest useful scroll offset.
pub fn exercise(frame: &Frame, width: usize, height: usize) -> (Vec<String>, usize) {
    let Frame {
        course,
        progress,
        current,
        view,
        ..
    } = *frame;
    let exercise = &course.exercises[current];
    let passed = view.verdict.as_ref().is_some_and(|v| v.status.is_pass())
        && frame.running != Some(Job::One(current));

    // Footer, with a priority each (lower survives a short terminal first).
    let mut footer: Vec<(u8, String)> = Vec::new();
    footer.push((0, status_line(frame)));
    if passed {
        let solution = exercise.rel_solution_path();
        if course.show_solutions && course.root.join(&solution).exists() {
            footer.push((
                3,
                format!(
                    "{} A reference solution is in {}",
                    style("Done!").green().bold(),
                    solution.display()
                ),
            ));
        }
        footer.push((
            2,
            format!(
                "Press {} for the next exercise.",
                style("n").bold().underlined()
            ),
        ));
    }
    if let Some(first_build) = frame
        .batch
        .first_build
        .as_deref()
        .filter(|_| frame.batch.building)
    {
        footer.push((2, style(first_build).cyan().to_string()));
    }
    for notice in view.notice.as_deref().into_iter().chain(frame.pinned) {
        footer.push((2, style(notice).yellow().to_string()));
    }
    let done = progress.done_count(course);
    let total = course.exercises.len();
    let bar_width = (width / 3).min(30);
    footer.push((
        4,
        format!(
            "{} {done}/{total} · {}",
            terminal::bar(done, total, bar_width),
            style(terminal::section_position(course, progress, current)).bold()
        ),
    ));
    footer.push((
        5,
        path_line(
            "Current exercise: ",
            &exercise.rel_path(),
            course,
            width,
            frame.links,
        ),
    ));
    footer.push((1, keys_line(passed)));
    let footer = keep_fitting(footer, height);

    let mut body_text = String::new();
    if view.show_hint {
        body_text.push_str(&format!(
            "{}\n{}\n\n",
            style("Hint:").cyan().bold(),
            exercise.hint
        ));
    }
    match (&view.summary, &view.verdict) {
        (Some(summary), _) => body_text.push_str(summary),
        (None, Some(verdict)) => body_text.push_str(&terminal::output_text(verdict)),
        (None, None) => {}
    }
    let body = wrap_text(&body_text, width);
    let rows = height.saturating_sub(footer.len());
    let max_scroll = body.len().saturating_sub(rows);
    let scroll = view.scroll.min(max_scroll);

    let mut lines: Vec<String> = body.iter().skip(scroll).take(rows).cloned().collect();
    let hidden = body.len().saturating_sub(scroll + rows);
    if hidden > 0 && rows > 0 {
        lines.pop();
        lines.push(fit(
            &style(format!("… {} more lines (↑/↓ to scroll)", hidden + 1))
                .dim()
                .to_string(),
            width,
        ));
    }
    // Keep the footer at the bottom of the screen.
    lines.resize(rows, String::new());
    lines.extend(footer.into_iter().map(|line| fit(&line, width)));
    (lines, max_scroll)
}

fn status_line(frame: &Frame) -> String {
    let course = frame.course;
    match frame.running {
        Some(Job::All { .. }) => {
            let b = frame.batch;
            if b.building {
                format!(
                    "{} {} {}/{}",
                    style("Building").cyan().bold(),
                    terminal::bar(b.units_done.min(b.units), b.units, 20),
                    b.units_done,
                    b.units
                )
            } else {
                format!(
                    "{} {} {}/{}",
                    style("Checking all").cyan().bold(),
                    terminal::bar(b.checked.min(b.total), b.total, 20),
                    b.checked,
                    b.total
                )
            }
        }
        Some(Job::One(index)) if index == frame.current => {
            let b = frame.batch;
            let mut line = format!(
                "{} {}…",
                style("Checking").cyan().bold(),
                course.exercises[index].name
            );
            // More than the exercise itself: its crates are being compiled (or checked).
            if b.building && b.units > 1 && b.compiling > 1 {
                line.push_str(&format!(
                    " crates built {} {}/{}",
                    terminal::bar(b.units_done.min(b.units), b.units, 20),
                    b.units_done.min(b.units),
                    b.units
                ));
            }
            // A program that hangs until its time limit must not look like a frozen screen.
            let secs = b.started.map_or(0, |at| at.elapsed().as_secs());
            if secs > 0 {
                line.push_str(&format!(" {}", style(format!("{secs} s")).dim()));
            }
            line
        }
        _ => match &frame.view.verdict {
            Some(verdict) => terminal::verdict_line(course, frame.current, verdict),
            None => style("Not checked yet: press r").dim().to_string(),
        },
    }
}

fn keys_line(passed: bool) -> String {
    let mut keys = Vec::new();
    if passed {
        keys.push(("n", "next"));
    }
    keys.extend([
        ("h", "hint"),
        ("l", "list"),
        ("c", "check all"),
        ("r", "run"),
        ("x", "reset"),
        ("q", "quit"),
    ]);
    keys_text(&keys)
}

/// `label` and the path, the path as an OSC-8 link to the file when links are on and the whole
/// line fits (a link cut in the middle would swallow the rest of the screen).
pub fn path_line(label: &str, rel: &Path, course: &Course, width: usize, links: bool) -> String {
    let shown = rel.display().to_string();
    let plain_width = text::width(label) + text::width(&shown);
    if links && plain_width <= width {
        let target = course.root.join(rel);
        format!(
            "{label}\x1b]8;;file://{}\x1b\\{}\x1b]8;;\x1b\\",
            target.display(),
            style(shown).underlined()
        )
    } else {
        format!("{label}{}", style(shown).underlined())
    }
}

/// Whether the terminal is likely to show OSC-8 links as links rather than as garbage. Most
/// terminals (and tmux 3.4+) support or silently ignore them; the Linux console and dumb
/// terminals do not.
pub fn links_supported() -> bool {
    !matches!(
        std::env::var("TERM").as_deref(),
        Ok("dumb") | Ok("linux") | Err(_)
    )
}

/// The first-start screen: the course's welcome message.
pub fn welcome(message: &str, width: usize, height: usize) -> Vec<String> {
    let mut lines = wrap_text(message.trim_end(), width);
    lines.push(String::new());
    lines.push(format!("Press {} to start.", style("Enter").bold()));
    bottom_fit(lines, width, height)
}

/// After the final verification: the course's final message.
pub fn finished(course: &Course, width: usize, height: usize) -> Vec<String> {
    let total = course.exercises.len();
    let mut lines = vec![
        format!("{} All {total} exercises pass.", style("✓").green().bold()),
        String::new(),
    ];
    if let Some(message) = &course.final_message {
        lines.extend(wrap_text(message.trim_end(), width));
        lines.push(String::new());
    }
    lines.push(keys_text(&[("l", "list"), ("q", "quit")]));
    bottom_fit(lines, width, height)
}

/// "Reset this exercise?" with what it does.
pub fn confirm_reset(course: &Course, index: usize, width: usize, height: usize) -> Vec<String> {
    let exercise = &course.exercises[index];
    let text = format!(
        "Reset {} to its original content?\nYour changes to it are lost and it is marked not done.\n\nPress {} to reset, any other key to keep it.",
        exercise.rel_path().display(),
        style("y").bold()
    );
    bottom_fit(wrap_text(&text, width), width, height)
}

/// Keeps the last `height` lines (the keys are at the end), each cut to the width.
fn bottom_fit(lines: Vec<String>, width: usize, height: usize) -> Vec<String> {
    let skip = lines.len().saturating_sub(height);
    lines
        .into_iter()
        .skip(skip)
        .map(|l| fit(&l, width))
        .collect()
}

/// Keeps as many footer lines as fit `height`, the most important first, in their order.
fn keep_fitting(lines: Vec<(u8, String)>, height: usize) -> Vec<String> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by_key(|&i| (lines[i].0, i));
    order.truncate(height);
    order.sort_unstable();
    let mut lines: Vec<Option<String>> = lines.into_iter().map(|(_, l)| Some(l)).collect();
    order.into_iter().filter_map(|i| lines[i].take()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_build_shows_crates_built_of_crates_to_build_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises")).unwrap();
        std::fs::write(dir.path().join("exercises/one.rs"), "").unwrap();
        std::fs::write(
            dir.path().join("info.toml"),
            "format_version = 1\n[[exercises]]\nname = \"one\"\nhint = \"h\"\n",
        )
        .unwrap();
        let course = Course::load(dir.path()).unwrap();
        let (progress, _) = Progress::load(dir.path());
        let view = ExerciseView::default();
        let batch = BatchProgress {
            building: true,
            first_build: Some(
                "First start: compiling the exercise crates; this happens once.".into(),
            ),
            units_done: 12,
            units: 87,
            compiling: 12,
            ..BatchProgress::default()
        };
        let frame = Frame {
            course: &course,
            progress: &progress,
            current: 0,
            view: &view,
            running: Some(Job::One(0)),
            batch: &batch,
            links: false,
            pinned: None,
        };
        let (lines, _) = exercise(&frame, 120, 20);
        let text = console::strip_ansi_codes(&lines.join("\n")).into_owned();
        assert!(text.contains("Checking one… crates built [##"), "{text}");
        assert!(text.contains("12/87"), "{text}");
        assert!(text.contains("this happens once"), "{text}");
        // Once built, neither is shown.
        let batch = BatchProgress::default();
        let frame = Frame {
            batch: &batch,
            ..frame
        };
        let (lines, _) = exercise(&frame, 120, 20);
        let text = console::strip_ansi_codes(&lines.join("\n")).into_owned();
        assert!(
            !text.contains("crates built") && !text.contains("happens once"),
            "{text}"
        );

        // An ordinary save: every crate is fresh, only the exercise compiles. No crate bar,
        // which would climb from 0 as if everything were rebuilt.
        let mut batch = BatchProgress {
            building: true,
            units: 87,
            ..BatchProgress::default()
        };
        for fresh in [true; 40].into_iter().chain([false]) {
            batch.compiled(fresh);
        }
        let frame = Frame {
            batch: &batch,
            ..frame
        };
        let (lines, _) = exercise(&frame, 120, 20);
        let text = console::strip_ansi_codes(&lines.join("\n")).into_owned();
        assert!(!text.contains("crates built"), "{text}");

        // A check running for a while shows how long.
        let batch = BatchProgress {
            started: std::time::Instant::now().checked_sub(std::time::Duration::from_secs(7)),
            ..BatchProgress::default()
        };
        let frame = Frame {
            batch: &batch,
            ..frame
        };
        let (lines, _) = exercise(&frame, 120, 20);
        let text = console::strip_ansi_codes(&lines.join("\n")).into_owned();
        assert!(text.contains("Checking one… 7 s"), "{text}");
    }

    #[test]
    fn the_most_important_footer_lines_survive() {
        let lines = vec![
            (0, "verdict".to_string()),
            (4, "progress".to_string()),
            (1, "keys".to_string()),
        ];
        assert_eq!(keep_fitting(lines.clone(), 2), vec!["verdict", "keys"]);
        assert_eq!(keep_fitting(lines.clone(), 5).len(), 3);
        assert!(keep_fitting(lines, 0).is_empty());
        let ties = vec![
            (0, "a".to_string()),
            (2, "b".to_string()),
            (2, "c".to_string()),
            (1, "d".to_string()),
        ];
        assert_eq!(keep_fitting(ties, 3), vec!["a", "b", "d"]);
    }
}
