//! File events: a watcher on the `exercises/` folder, a filter for the current exercise, and
//! the debounce that turns an editor's burst of events into one check.
//!
//! The whole folder is watched (not the file) because editors save in different ways: in place,
//! writing a temporary file and renaming it over the original (vim, JetBrains), deleting and
//! recreating, or several writes in a row. Only the folder sees all of them, and one recursive
//! watch also covers directory exercises and switching exercises without re-registering.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

use super::Msg;

/// Quiet time after the last event before a check starts: long enough to cover an editor's
/// write-rename-chmod sequence, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// A stream of events (an autosaving editor) still gets checked this often.
const DEBOUNCE_MAX: Duration = Duration::from_millis(500);
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// How file changes are noticed. The watchers are only held: dropping one stops it.
#[allow(dead_code)]
pub enum FileWatch {
    Events(RecommendedWatcher),
    Polling(PollWatcher),
    /// `--manual-run`, or no watcher could start: `r` checks.
    Manual,
}

/// Starts watching `dir`, sending the paths of relevant events. The string is a notice for the
/// screen when the preferred way did not work.
pub fn start(dir: &Path, poll: bool, manual: bool, tx: Sender<Msg>) -> (FileWatch, Option<String>) {
    if manual {
        return (FileWatch::Manual, None);
    }
    let mut failure = None;
    if !poll {
        let sender = tx.clone();
        match RecommendedWatcher::new(move |e| forward(&sender, e), notify::Config::default())
            .and_then(|mut w| w.watch(dir, RecursiveMode::Recursive).map(|()| w))
        {
            Ok(watcher) => return (FileWatch::Events(watcher), None),
            Err(err) => failure = Some(err),
        }
    }
    let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
    match PollWatcher::new(move |e| forward(&tx, e), config)
        .and_then(|mut w| w.watch(dir, RecursiveMode::Recursive).map(|()| w))
    {
        Ok(watcher) => (
            FileWatch::Polling(watcher),
            failure.map(|err| {
                format!("File events are not available ({err}); polling for changes instead.")
            }),
        ),
        Err(err) => (
            FileWatch::Manual,
            Some(format!(
                "Cannot watch {} ({err}); press r to check after saving.",
                dir.display()
            )),
        ),
    }
}

fn forward(tx: &Sender<Msg>, event: notify::Result<Event>) {
    if let Ok(event) = event {
        if event.need_rescan() {
            // Events were lost: treat it as a change of everything.
            let _ = tx.send(Msg::Files(Vec::new()));
        } else if is_change(&event.kind) {
            let _ = tx.send(Msg::Files(event.paths));
        }
    }
}

/// Whether an event can mean new content. Reads must not count: the compiler opening the file
/// would otherwise trigger the next check, forever.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    }
}

/// Whether one of `paths` belongs to the exercise at `exercise` (its file, or anything inside
/// its folder). An empty list means "unknown", which counts.
pub fn concerns(paths: &[PathBuf], exercise: &Path) -> bool {
    paths.is_empty() || paths.iter().any(|p| p.starts_with(exercise))
}

/// Trailing-edge debounce: fires once events have been quiet for [`DEBOUNCE`], or
/// [`DEBOUNCE_MAX`] after the first one of a stream.
#[derive(Debug, Default)]
pub struct Debounce {
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Debounce {
    pub fn poke(&mut self, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    fn due_at(&self) -> Option<Instant> {
        Some((self.last? + DEBOUNCE).min(self.first? + DEBOUNCE_MAX))
    }

    /// How long until it fires; `None` when nothing is pending.
    pub fn wait(&self, now: Instant) -> Option<Duration> {
        self.due_at().map(|at| at.saturating_duration_since(now))
    }

    /// Whether it fires now; firing clears it.
    pub fn fire(&mut self, now: Instant) -> bool {
        if self.due_at().is_some_and(|at| at <= now) {
            *self = Debounce::default();
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_fires_once_after_the_last_event() {
        let start = Instant::now();
        let mut debounce = Debounce::default();
        for ms in [0, 10, 20, 30] {
            debounce.poke(start + Duration::from_millis(ms));
        }
        assert!(!debounce.fire(start + Duration::from_millis(60)));
        assert_eq!(
            debounce.wait(start + Duration::from_millis(60)),
            Some(Duration::from_millis(20))
        );
        assert!(debounce.fire(start + Duration::from_millis(80)));
        assert!(!debounce.fire(start + Duration::from_millis(500)));
        assert_eq!(debounce.wait(start), None);
    }

    #[test]
    fn an_endless_stream_still_fires() {
        let start = Instant::now();
        let mut debounce = Debounce::default();
        let mut fired = false;
        for ms in (0..1000).step_by(20) {
            let now = start + Duration::from_millis(ms);
            fired |= debounce.fire(now);
            debounce.poke(now);
        }
        assert!(fired);
    }

    #[test]
    fn reads_do_not_count_as_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Name(
            notify::event::RenameMode::To
        ))));
    }

    #[test]
    fn events_are_matched_to_the_exercise() {
        let file = Path::new("/c/exercises/a/one.rs");
        assert!(concerns(&[PathBuf::from("/c/exercises/a/one.rs")], file));
        assert!(!concerns(&[PathBuf::from("/c/exercises/a/one.rs~")], file));
        assert!(!concerns(&[PathBuf::from("/c/exercises/a/4913")], file));
        let dir = Path::new("/c/exercises/a/two");
        assert!(concerns(&[PathBuf::from("/c/exercises/a/two/mod.rs")], dir));
    }
}
