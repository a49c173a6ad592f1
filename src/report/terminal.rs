//! Human output on a terminal: verdicts, lists, progress, and the build and grading progress
//! bars.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use console::style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::course::Course;
use crate::engine::Event;
use crate::progress::Progress;
use crate::report::model::LearnerGrade;
use crate::verdict::{Status, Verdict};

/// The colour-styled one-line summary of a verdict.
pub fn verdict_line(course: &Course, index: usize, verdict: &Verdict) -> String {
    let name = &course.exercises[index].name;
    match verdict.status {
        Status::Passed => format!("{} {name} passed", style("✓").green().bold()),
        status => {
            let mut line = format!(
                "{} {name}: {}",
                style("✗").red().bold(),
                style(status.label()).red().bold()
            );
            if !verdict.failing_tests.is_empty() {
                line.push_str(&format!(" ({})", verdict.failing_tests.join(", ")));
            }
            line
        }
    }
}

/// The captured output as the terminal should show it (colours kept only when enabled).
pub fn output_text(verdict: &Verdict) -> String {
    let output = super::reason::explained_output(verdict);
    let mut text = if console::colors_enabled() {
        output.text
    } else {
        output.plain()
    };
    if output.truncated {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("{}\n", style("[output truncated]").yellow()));
    }
    text
}

/// `HTTP 3/8`: the section of `index` and how far the learner is in it.
pub fn section_position(course: &Course, progress: &Progress, index: usize) -> String {
    let section = course.exercises[index].section;
    let (done, total) =
        course.count_in_section(section, |i| progress.is_done(&course.exercises[i].name));
    format!("{} {done}/{total}", course.sections[section].title)
}

/// A text progress bar `[#####-----]` of `width` cells.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), "-".repeat(width - filled))
}

fn percent(done: usize, total: usize) -> usize {
    (done * 100).checked_div(total).unwrap_or(0)
}

/// Exercises grouped by section with their status, for `list`.
pub fn list(course: &Course, progress: &Progress) -> String {
    let current = progress.current(course);
    let mut out = String::new();
    for (s, section) in course.sections.iter().enumerate() {
        let (done, total) =
            course.count_in_section(s, |i| progress.is_done(&course.exercises[i].name));
        out.push_str(&format!(
            "{} {}\n",
            style(&section.title).bold(),
            style(format!("{done}/{total}")).dim()
        ));
        for i in course.section_exercises(s) {
            let exercise = &course.exercises[i];
            let mark = if progress.is_done(&exercise.name) {
                style("✓").green().to_string()
            } else if Some(i) == current {
                style("▶").yellow().bold().to_string()
            } else {
                " ".to_string()
            };
            out.push_str(&format!(
                "  {mark} {:<28} {}\n",
                exercise.name,
                style(exercise.rel_path().display()).dim()
            ));
        }
    }
    out.push_str(&summary(course, progress));
    out
}

/// Per-section and total progress, for `progress`.
pub fn progress(course: &Course, progress: &Progress) -> String {
    let width = course.title_width();
    let mut out = String::new();
    for (s, section) in course.sections.iter().enumerate() {
        let (done, total) =
            course.count_in_section(s, |i| progress.is_done(&course.exercises[i].name));
        out.push_str(&format!(
            "{:<width$}  {} {done}/{total}\n",
            section.title,
            bar(done, total, 20)
        ));
    }
    out.push_str(&summary(course, progress));
    out
}

fn summary(course: &Course, progress: &Progress) -> String {
    let done = progress.done_count(course);
    let total = course.exercises.len();
    format!(
        "{} {done}/{total} exercises done ({}%)\n",
        bar(done, total, 40),
        percent(done, total)
    )
}

/// Per-section results of a `verify`.
pub fn verify_summary(course: &Course, verdicts: &[Verdict]) -> String {
    let width = course.title_width();
    let mut out = String::new();
    for (s, section) in course.sections.iter().enumerate() {
        let (passed, total) = course.count_in_section(s, |i| verdicts[i].status.is_pass());
        let mark = if passed == total {
            style("✓").green()
        } else {
            style("✗").red()
        };
        out.push_str(&format!(
            "{mark} {:<width$}  {passed}/{total}\n",
            section.title
        ));
    }
    let passed = verdicts.iter().filter(|v| v.status.is_pass()).count();
    out.push_str(&format!("{passed}/{} exercises pass\n", verdicts.len()));
    out
}

/// Shows cargo's build progress on stderr, but only once a build takes long enough to notice
/// (a warm single-exercise build should not flash a bar), and checked exercises for batches.
pub struct BuildBar {
    bar: ProgressBar,
    started: Instant,
    visible: bool,
    enabled: bool,
    /// Output for people (not `--json`): notices go to stderr, terminal or not.
    human: bool,
    building: bool,
    checked: usize,
    failing: usize,
    cached: usize,
    total_checks: usize,
}

impl BuildBar {
    /// A bar for one check; `enabled` is false for machine output.
    pub fn new(enabled: bool) -> BuildBar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(bar_style("{wide_msg}"));
        BuildBar {
            bar,
            started: Instant::now(),
            visible: false,
            enabled: enabled && console::Term::stderr().is_term(),
            human: enabled,
            building: false,
            checked: 0,
            failing: 0,
            cached: 0,
            total_checks: 0,
        }
    }

    pub fn on_event(&mut self, event: &Event) {
        match event {
            Event::BuildStarted { units, notice } => {
                if let Some(notice) = notice.as_deref().filter(|_| self.human) {
                    self.bar.suspend(|| eprintln!("{notice}"));
                }
                self.building = true;
                self.bar.set_prefix("Building");
                self.bar.set_length(*units as u64);
                self.bar.set_position(0);
            }
            Event::Compiled { unit, .. } => {
                self.bar.inc(1);
                if self.bar.position() > self.bar.length().unwrap_or(0) {
                    self.bar.set_length(self.bar.position());
                }
                self.bar.set_message(unit.clone());
            }
            Event::BuildFinished => {
                self.building = false;
                self.bar.set_prefix("Checking");
                self.bar.set_length(self.total_checks as u64);
                self.bar.set_position(self.checked as u64);
                self.bar.set_message("");
            }
            Event::Checked { name, verdict } | Event::Cached { name, verdict } => {
                self.checked += 1;
                self.total_checks += usize::from(matches!(event, Event::Cached { .. }));
                self.failing += usize::from(!verdict.status.is_pass());
                self.cached += usize::from(matches!(event, Event::Cached { .. }));
                // Programs run while others compile: the bar counts units until the build ends.
                if !self.building {
                    self.bar.set_position(self.checked as u64);
                    self.bar.set_message(format!(
                        "{} failing, {} from cache; {name}: {}",
                        self.failing,
                        self.cached,
                        verdict.status.label()
                    ));
                }
            }
            Event::Queued { .. } => self.total_checks += 1,
            Event::RunStarted { name } if !self.building => {
                self.bar.set_message(format!("running {name}"));
            }
            Event::TimedOut { name, limit } => {
                self.bar
                    .println(format!("{name}: stopped after {} s", limit.as_secs()));
            }
            Event::RunStarted { .. } => {}
        }
        self.show_when_slow();
    }

    /// Shows the bar once the work takes long enough to be worth one.
    fn show_when_slow(&mut self) {
        if self.enabled && !self.visible && self.started.elapsed() > Duration::from_millis(400) {
            self.visible = true;
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// The look of every progress bar: `  Building [=====>    ] 12/40 ` followed by `rest`.
fn bar_style(rest: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!(
        "{{prefix:>9.cyan.bold}} [{{bar:30}}] {{pos}}/{{len}} {rest}"
    ))
    .expect("valid template")
    .progress_chars("=> ")
}

/// Grading's progress on stderr: exercises checked, learners done and ETA. Drawn on a terminal
/// only: CI logs get no bar. Shared by the grading threads, which report as they go.
pub struct GradeBar {
    bar: ProgressBar,
    exercises: usize,
    learners: usize,
    learners_done: AtomicUsize,
}

impl GradeBar {
    /// A bar for `learners` learners of `exercises` exercises each.
    pub fn new(learners: usize, exercises: usize) -> GradeBar {
        let interactive = console::Term::stderr().is_term() && std::env::var_os("CI").is_none();
        let target = if interactive {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some((learners * exercises) as u64), target);
        bar.set_style(bar_style("exercises, {msg}, ETA {eta}"));
        bar.set_prefix("Grading");
        bar.set_message(format!("0/{learners} learners"));
        bar.enable_steady_tick(Duration::from_millis(200));
        GradeBar {
            bar,
            exercises,
            learners,
            learners_done: AtomicUsize::new(0),
        }
    }

    pub fn exercise_checked(&self) {
        self.bar.inc(1);
    }

    pub fn learner_done(&self, grade: &LearnerGrade) {
        let done = self.learners_done.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar
            .set_message(format!("{done}/{} learners", self.learners));
        // Exercises of a learner that could not be graded will never be reported.
        if grade.status.is_error() {
            self.bar.inc(self.exercises as u64);
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
