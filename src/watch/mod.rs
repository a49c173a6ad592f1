//! Watch mode, the learner's main screen: the current exercise is re-checked on every save and
//! its verdict shown, with keys for hints, the list, checking everything, reset and quit.
//!
//! Threads: file events (notify), keys (crossterm) and signals each feed one channel of
//! [`Msg`]; the checker thread owns the engine and reports back on the same channel; this
//! thread owns all state and draws. Not a terminal: exit code 2 with a pointer to `run` and
//! `verify`, like any other usage error.

mod events;
mod list;
mod mode;
mod screen;
mod state;
mod terminal;
mod text;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use anyhow::{Result, bail};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::classroom::Classroom;
use crate::commands;
use crate::context;
use crate::course::Course;
use crate::engine::{Event, Options};
use crate::pristine;
use crate::progress::Progress;
use crate::report::terminal as report;
use crate::verdict::Verdict;

use events::{Debounce, FileWatch};
use list::{ListAction, ListView};
use mode::Mode;
use state::{BatchProgress, CheckQueue, ExerciseView, Job};
use terminal::{Input, TerminalGuard};
use worker::Report;

/// How often the screen is redrawn while a check runs (its elapsed time).
const TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// Everything the watch loop reacts to.
pub enum Msg {
    Input(Input),
    /// Paths touched by a file event (empty: unknown, re-check).
    Files(Vec<PathBuf>),
    Report(Report),
    /// The instructor's message (or a classroom problem) to show; `None` clears it.
    Classroom(Option<String>),
}

/// How watch mode runs, from the command line.
#[derive(Debug, Default)]
pub struct Settings {
    /// Poll the files instead of waiting for the system's file events.
    pub poll: bool,
    /// Watch no files: the learner presses `r` to re-check.
    pub manual_run: bool,
    /// The classroom to join (the instructor's URL); remembered for next time.
    pub join: Option<String>,
    /// The learner's name as the instructor sees it (with `join`).
    pub name: Option<String>,
    /// Leave the classroom and forget the saved join.
    pub leave: bool,
}

pub fn run(course: &Course, settings: &Settings) -> Result<ExitCode> {
    if settings.leave {
        // Leaving needs no screen: said here, so it works from a script too.
        eprintln!("{}", crate::classroom::leave(&course.root)?);
        if terminal::require_tty().is_err() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    terminal::require_tty()?;
    if course.exercises.is_empty() {
        bail!("this course has no exercises yet; add some to info.toml");
    }
    // Everything that may print (a damaged state file, a regenerated manifest) happens before
    // the screen is taken over.
    let progress = commands::load_progress(course);
    let engine = context::engine(course, Options::default(), false, context::Use::Many)?;
    // Watch mode turns signals into an orderly quit itself (the terminal must be restored);
    // quitting mid-check cancels through this handle.
    let supervisor = engine.supervisor().clone();
    let (tx, rx) = mpsc::channel();
    let join = crate::classroom::Join {
        url: settings.join.as_deref(),
        name: settings.name.as_deref(),
        // Done above.
        leave: false,
    };
    let to_screen = tx.clone();
    let done = course
        .exercises
        .iter()
        .enumerate()
        .filter(|(_, e)| progress.is_done(&e.name))
        .map(|(i, e)| (e.name.clone(), i))
        .collect();
    let classroom = crate::classroom::start(
        &course.root,
        &join,
        done,
        Box::new(move |note| drop(to_screen.send(Msg::Classroom(note)))),
    )?;
    let exercises_dir = course.root.join("exercises");
    let (watch, notice) = events::start(
        &exercises_dir,
        settings.poll,
        settings.manual_run,
        tx.clone(),
    );

    let guard = TerminalGuard::enter()?;
    terminal::spawn_input(tx.clone());
    terminal::spawn_signals(tx.clone());
    let result = std::thread::scope(|scope| {
        let (jobs, job_rx) = mpsc::channel();
        let _worker = worker::spawn(scope, engine, job_rx, tx);
        let mut app = App::new(course, progress, jobs, notice, &watch, classroom);
        let result = app.run(&rx);
        if app.queue.running().is_some() {
            // Quitting mid-check: stop the build and the learner's program now rather than
            // wait for them; their verdicts are not cached.
            supervisor.cancel();
        }
        // Dropping the app closes the job channel, which ends the checker thread.
        drop(app);
        result
    });
    drop(watch);
    drop(guard);
    result.map(|()| ExitCode::SUCCESS)
}

struct App<'a> {
    course: &'a Course,
    progress: Progress,
    current: usize,
    mode: Mode,
    view: ExerciseView,
    queue: CheckQueue,
    batch: BatchProgress,
    debounce: Debounce,
    /// Exercises whose files changed, checked when the debounce fires: the current one, and
    /// done ones (an edit may break them; progress must say so, as `run` would).
    changed: std::collections::BTreeSet<usize>,
    jobs: Sender<Job>,
    links: bool,
    /// See [`screen::Frame::pinned`].
    pinned: Option<String>,
    /// The largest scroll offset of the last drawing of the exercise screen.
    max_scroll: usize,
    quit: bool,
    /// Reports to the instructor's room, once the learner joined one.
    classroom: Option<Classroom>,
    /// Where checks starting and ending are written, one line each, when the environment
    /// names a file in [`EVENT_LOG`]: tests wait on it instead of on the clock.
    log: Option<std::fs::File>,
}

/// The environment variable naming watch mode's event log (tests and debugging).
const EVENT_LOG: &str = "BACKENDLINGS_WATCH_LOG";

impl<'a> App<'a> {
    fn new(
        course: &'a Course,
        mut progress: Progress,
        jobs: Sender<Job>,
        notice: Option<String>,
        watch: &FileWatch,
        classroom: Option<Classroom>,
    ) -> App<'a> {
        let mut mode = Mode::Exercise;
        if !progress.welcome_shown() {
            if course.welcome_message.is_some() {
                mode = Mode::Welcome;
            }
            progress.mark_welcome_shown();
        }
        let current = progress.current(course);
        let pinned = notice.or_else(|| {
            matches!(watch, FileWatch::Manual)
                .then(|| "Not watching files: press r to check after saving.".to_string())
        });
        let mut app = App {
            course,
            current: current.unwrap_or(course.exercises.len() - 1),
            progress,
            mode,
            view: ExerciseView::default(),
            queue: CheckQueue::default(),
            batch: BatchProgress::default(),
            debounce: Debounce::default(),
            changed: Default::default(),
            jobs,
            links: screen::links_supported(),
            pinned,
            max_scroll: 0,
            quit: false,
            classroom,
            log: std::env::var_os(EVENT_LOG).and_then(|path| {
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .ok()
            }),
        };
        app.save_progress();
        if let Some(classroom) = &app.classroom {
            classroom.opened(&course.exercises[app.current].name, app.current);
        }
        match current {
            Some(index) => app.request(Job::One(index)),
            // Everything was done before: confirm it before the final message.
            None => app.request(Job::All { final_check: true }),
        }
        app
    }

    fn run(&mut self, rx: &Receiver<Msg>) -> Result<()> {
        while !self.quit {
            self.draw()?;
            // While a check runs, the screen's clock moves every second.
            let tick = self.queue.running().map(|_| TICK);
            let wait = match (self.debounce.wait(Instant::now()), tick) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let msg = match wait {
                Some(wait) => match rx.recv_timeout(wait) {
                    Ok(msg) => Some(msg),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => bail!("watch mode lost its inputs"),
                },
                None => Some(rx.recv()?),
            };
            if self.debounce.fire(Instant::now()) {
                for index in std::mem::take(&mut self.changed) {
                    self.request(Job::One(index));
                }
            }
            match msg {
                None => {}
                Some(Msg::Input(Input::Key(key))) => self.on_key(key),
                Some(Msg::Input(Input::Resize)) => {}
                Some(Msg::Input(Input::Signal)) => self.quit = true,
                Some(Msg::Files(paths)) => self.on_files(&paths),
                Some(Msg::Report(report)) => self.on_report(report),
                Some(Msg::Classroom(note)) => self.pinned = note,
            }
        }
        Ok(())
    }

    /// A file event: which exercises it concerns, among the current one and those done.
    fn on_files(&mut self, paths: &[PathBuf]) {
        let root = &self.course.root;
        for (index, exercise) in self.course.exercises.iter().enumerate() {
            let watched = index == self.current || self.progress.is_done(&exercise.name);
            if watched && events::concerns(paths, &root.join(exercise.rel_path())) {
                // An unknown change (empty `paths`) only re-checks the current exercise.
                if paths.is_empty() && index != self.current {
                    continue;
                }
                self.changed.insert(index);
                self.debounce.poke(Instant::now());
            }
        }
    }

    fn draw(&mut self) -> std::io::Result<()> {
        let (width, height) = terminal::size();
        if height == 0 {
            return Ok(());
        }
        let course = self.course;
        let lines = match &mut self.mode {
            Mode::Welcome => screen::welcome(
                course.welcome_message.as_deref().unwrap_or_default(),
                width,
                height,
            ),
            Mode::Finished => screen::finished(course, width, height),
            Mode::ConfirmReset { index, .. } => {
                screen::confirm_reset(course, *index, width, height)
            }
            Mode::List(list) => list.render(course, &self.progress, self.current, width, height),
            Mode::Exercise => {
                let frame = screen::Frame {
                    course,
                    progress: &self.progress,
                    current: self.current,
                    view: &self.view,
                    running: self.queue.running(),
                    batch: &self.batch,
                    links: self.links,
                    pinned: self.pinned.as_deref(),
                };
                let (lines, max_scroll) = screen::exercise(&frame, width, height);
                self.max_scroll = max_scroll;
                lines
            }
        };
        terminal::draw(&lines, height)
    }

    // ---- keys ----

    fn on_key(&mut self, key: KeyEvent) {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit = true;
            return;
        }
        // A notice has been seen once the learner does something.
        self.view.notice = None;
        let mode = std::mem::replace(&mut self.mode, Mode::Exercise);
        self.mode = match mode {
            Mode::Welcome => match key.code {
                KeyCode::Char('q') => {
                    self.quit = true;
                    Mode::Welcome
                }
                _ => Mode::Exercise,
            },
            Mode::Finished => match key.code {
                KeyCode::Char('q') | KeyCode::Esc => {
                    self.quit = true;
                    Mode::Finished
                }
                KeyCode::Char('l') => Mode::List(ListView::new(self.current)),
                _ => Mode::Finished,
            },
            Mode::ConfirmReset { index, list } => {
                if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                    self.reset(index);
                }
                list.map_or(Mode::Exercise, Mode::List)
            }
            Mode::List(mut list) => match list.key(key, self.course, &self.progress) {
                ListAction::Stay => Mode::List(list),
                ListAction::Back => Mode::Exercise,
                ListAction::Continue(index) => {
                    self.go_to(index);
                    Mode::Exercise
                }
                ListAction::Reset(index) => Mode::ConfirmReset {
                    index,
                    list: Some(list),
                },
            },
            Mode::Exercise => self.on_exercise_key(key),
        };
    }

    fn on_exercise_key(&mut self, key: KeyEvent) -> Mode {
        match key.code {
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('n') => self.next(),
            KeyCode::Char('h') => {
                self.view.show_hint = !self.view.show_hint;
                if self.view.show_hint {
                    let name = &self.course.exercises[self.current].name;
                    if let Some(classroom) = &self.classroom {
                        classroom.hint(name, self.current);
                    }
                }
            }
            KeyCode::Char('l') => return Mode::List(ListView::new(self.current)),
            KeyCode::Char('c') => self.request(Job::All { final_check: false }),
            KeyCode::Char('r') => self.request(Job::One(self.current)),
            KeyCode::Char('x') => {
                return Mode::ConfirmReset {
                    index: self.current,
                    list: None,
                };
            }
            KeyCode::Up | KeyCode::Char('k') => self.scroll_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll_by(1),
            KeyCode::PageUp => self.scroll_by(-10),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll_by(10),
            _ => {}
        }
        Mode::Exercise
    }

    fn scroll_by(&mut self, delta: isize) {
        self.view.scroll = self
            .view
            .scroll
            .min(self.max_scroll)
            .saturating_add_signed(delta)
            .min(self.max_scroll);
    }

    fn current_passed(&self) -> bool {
        self.view
            .verdict
            .as_ref()
            .is_some_and(|v| v.status.is_pass())
            && self.queue.running() != Some(Job::One(self.current))
    }

    /// `n`: on to the next pending exercise, or the final verification after the last one.
    fn next(&mut self) {
        if !self.current_passed() {
            self.view.notice =
                Some("n moves on once this exercise passes (h shows a hint).".to_string());
            return;
        }
        match self.progress.next_pending(self.course, self.current) {
            Some(index) => self.go_to(index),
            None => self.request(Job::All { final_check: true }),
        }
    }

    /// Makes `index` the current exercise and checks it.
    fn go_to(&mut self, index: usize) {
        let previous = self.current;
        if let Some(classroom) = &self.classroom {
            classroom.opened(&self.course.exercises[index].name, index);
        }
        self.current = index;
        self.progress.set_current(self.course, index);
        self.save_progress();
        self.view = ExerciseView::default();
        self.queue.retarget(previous, index);
        self.request(Job::One(index));
    }

    fn reset(&mut self, index: usize) {
        let exercise = &self.course.exercises[index];
        match pristine::restore(self.course, exercise) {
            Ok(source) => {
                self.progress.set_done(&exercise.name, false);
                self.save_progress();
                self.view.notice = Some(format!(
                    "{} was reset from {source}.",
                    exercise.rel_path().display()
                ));
                if index == self.current {
                    self.view.verdict = None;
                    self.request(Job::One(index));
                }
            }
            Err(err) => self.view.notice = Some(format!("Cannot reset: {err:#}")),
        }
    }

    // ---- checks ----

    fn request(&mut self, job: Job) {
        if let Some(job) = self.queue.request(job) {
            self.start(job);
        }
    }

    fn start(&mut self, job: Job) {
        self.batch = BatchProgress {
            total: match job {
                Job::One(_) => 1,
                Job::All { .. } => self.course.exercises.len(),
            },
            started: Some(Instant::now()),
            ..BatchProgress::default()
        };
        if let Job::All { final_check: true } = job {
            self.view.notice =
                Some("Every exercise is done: checking them all once more…".to_string());
        }
        self.log(&format!("started {job:?}"));
        // The checker only stops when the job channel closes, which happens after this loop.
        let _ = self.jobs.send(job);
    }

    fn on_report(&mut self, report: Report) {
        match report {
            Report::Engine(Event::BuildStarted { units, notice }) => {
                self.batch.building = true;
                self.batch.first_build = first_build_notice(self.course)
                    .map(str::to_string)
                    .or(notice);
                self.batch.units = units;
                self.batch.units_done = 0;
            }
            Report::Engine(Event::Compiled { fresh, .. }) => self.batch.compiled(fresh),
            Report::Engine(Event::BuildFinished) => {
                self.batch.building = false;
                self.batch.first_build = None;
            }
            Report::Engine(Event::Checked { .. } | Event::Cached { .. }) => {
                self.batch.checked += 1;
            }
            Report::Engine(_) => {}
            Report::Done { job, result } => {
                match result {
                    Ok(verdicts) => self.on_verdicts(job, verdicts),
                    Err(err) => self.view.notice = Some(format!("The check could not run: {err}")),
                }
                let next = self.queue.finished();
                let pending = !self.changed.is_empty();
                self.log(&format!(
                    "ended {job:?}; next: {next:?}; saves waiting: {pending}"
                ));
                if let Some(next) = next {
                    self.start(next);
                }
            }
        }
    }

    /// Records verdicts (progress, revealed solutions) and says what could not be done.
    fn record<'v>(&mut self, verdicts: impl IntoIterator<Item = (usize, &'v Verdict)>) {
        let recorded = crate::recorder::record(self.course, &mut self.progress, verdicts);
        if let Err(err) = recorded.saved {
            self.view.notice = Some(format!("Cannot save progress: {err:#}"));
        }
        if let Err(err) = recorded.revealed {
            self.view.notice = Some(format!("cannot write a reference solution: {err:#}"));
        }
    }

    fn on_verdicts(&mut self, job: Job, mut verdicts: Vec<Verdict>) {
        match job {
            Job::One(index) => {
                let Some(verdict) = verdicts.pop() else {
                    return;
                };
                if let Some(classroom) = &self.classroom {
                    classroom.verdict(&self.course.exercises[index].name, index, &verdict);
                }
                self.record([(index, &verdict)]);
                if index == self.current {
                    // After the last exercise, `n` runs the final verification, so the
                    // learner sees this pass (and its program's output) first.
                    self.show_verdict(verdict);
                    self.view.notice =
                        crate::protected::notice(self.course, &self.course.exercises[index])
                            .or(self.view.notice.take());
                } else if !verdict.status.is_pass() {
                    let exercise = &self.course.exercises[index];
                    self.view.notice = Some(format!(
                        "{} was edited and no longer passes ({}): it is not done any more.",
                        exercise.rel_path().display(),
                        verdict.status.label()
                    ));
                }
            }
            Job::All { final_check } => {
                self.record(verdicts.iter().enumerate());
                let first_failing = verdicts.iter().position(|v| !v.status.is_pass());
                let Some(failing) = first_failing else {
                    self.view.notice = None;
                    if matches!(self.mode, Mode::Exercise) {
                        self.mode = Mode::Finished;
                    }
                    return;
                };
                let summary = report::verify_summary(self.course, &verdicts);
                if final_check {
                    // Something done earlier broke: continue there.
                    self.current = failing;
                    self.progress.set_current(self.course, failing);
                    self.save_progress();
                }
                let name = &self.course.exercises[failing].name;
                let verdict = verdicts.swap_remove(self.current);
                self.show_verdict(verdict);
                self.view.summary = Some(summary);
                self.view.notice = Some(format!(
                    "First failing exercise: {name} (l to go there, r to see this one's output)."
                ));
            }
        }
    }

    fn show_verdict(&mut self, verdict: Verdict) {
        // A hint is help for a failing exercise; after a pass it only hides the output.
        if verdict.status.is_pass() {
            self.view.show_hint = false;
        }
        self.view.verdict = Some(verdict);
        self.view.summary = None;
        self.view.scroll = 0;
    }

    fn log(&mut self, line: &str) {
        if let Some(file) = &mut self.log {
            use std::io::Write;
            let _ = writeln!(file, "{line}");
        }
    }

    fn save_progress(&mut self) {
        if let Err(err) = self.progress.save() {
            self.view.notice = Some(format!("Cannot save progress: {err:#}"));
        }
    }
}

/// What to say during a first build, or `None` when the exercise crates were compiled before
/// (the runner's build folder holds a profile folder, `debug` or `release`). The first build
/// of a course with SQLite takes a minute or more on a laptop; a learner who is not told why
/// thinks the runner hangs.
fn first_build_notice(course: &Course) -> Option<&'static str> {
    let build = course.root.join(crate::context::TARGET_SUBDIR);
    if ["debug", "release"].iter().any(|p| build.join(p).is_dir()) {
        return None;
    }
    let manifest =
        std::fs::read_to_string(crate::manifest::manifest_path(&course.root)).unwrap_or_default();
    // An optional crate is built by the first check that needs it, which says so itself.
    let sqlite_now = (manifest.parse::<toml_edit::DocumentMut>().ok())
        .and_then(|doc| {
            let dep = doc.get("dependencies")?.get("rusqlite")?;
            Some(
                !dep.get("optional")
                    .and_then(|o| o.as_bool())
                    .unwrap_or(false),
            )
        })
        .unwrap_or(false);
    Some(if sqlite_now {
        "First start: compiling the exercise crates, SQLite among them; this happens once."
    } else {
        "First start: compiling the exercise crates; this happens once."
    })
}
