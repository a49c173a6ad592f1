//! The learner's persisted progress: which exercises are done and where they are.
//!
//! Stored in `.backendlings/state.json` in the course folder and written atomically. Reads are
//! tolerant: a missing file is a fresh start, a damaged one is rebuilt with a warning, and names
//! this course does not know are kept (they may belong to a newer version of the course).
//!
//! Several processes write it: watch mode keeps its progress for hours while the learner runs
//! `verify` or `run` in another terminal. So a save never writes a process's whole view: it
//! takes a lock (`state.lock`, an OS file lock released even if the process dies), reads the
//! file again, applies only the changes this process made since its last save, and writes the
//! result. Two writers keep both their updates; on the same exercise, the later save wins.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::fsutil::write_atomic;

pub const STATE_DIR: &str = ".backendlings";
const STATE_FILE: &str = "state.json";
const LOCK_FILE: &str = "state.lock";
const STATE_VERSION: u32 = 1;

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct StateFile {
    version: u32,
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    done: BTreeSet<String>,
    #[serde(default)]
    welcome_shown: bool,
}

/// What this process changed since it last saved.
#[derive(Debug, Default, Clone)]
struct Changes {
    done: BTreeMap<String, bool>,
    current: Option<Option<String>>,
    welcome_shown: bool,
}

impl Changes {
    fn apply(&self, state: &mut StateFile) {
        for (name, &done) in &self.done {
            if done {
                state.done.insert(name.clone());
            } else {
                state.done.remove(name);
            }
        }
        if let Some(current) = &self.current {
            state.current.clone_from(current);
        }
        state.welcome_shown |= self.welcome_shown;
    }
}

#[derive(Debug, Clone)]
pub struct Progress {
    path: PathBuf,
    state: StateFile,
    changes: Changes,
}

impl Progress {
    pub fn path_for(root: &Path) -> PathBuf {
        root.join(STATE_DIR).join(STATE_FILE)
    }

    /// Loads the progress of the course at `root`. The second value is a warning to show when
    /// the file existed but could not be used.
    pub fn load(root: &Path) -> (Progress, Option<String>) {
        let path = Self::path_for(root);
        let (state, warning) = read_state(&path);
        let progress = Progress {
            path,
            state,
            changes: Changes::default(),
        };
        (progress, warning)
    }

    /// Saves this process's changes into the file, under the lock, keeping what other processes
    /// saved meanwhile; afterwards this `Progress` shows both.
    pub fn save(&mut self) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open {}", lock_path.display()))?;
        // A file system without locks (some network mounts) still gets the merge below, which
        // narrows the window to one read and one rename; refusing to save would lose more.
        let _ = lock.lock();
        // A damaged file was already reported when this process loaded it; what is on disk now
        // is the best base there is.
        let (mut state, _) = read_state(&self.path);
        self.changes.apply(&mut state);
        state.version = STATE_VERSION;
        let mut json = serde_json::to_vec_pretty(&state)?;
        json.push(b'\n');
        write_atomic(&self.path, &json)?;
        drop(lock);
        self.state = state;
        self.changes = Changes::default();
        Ok(())
    }

    pub fn is_done(&self, name: &str) -> bool {
        self.state.done.contains(name)
    }

    pub fn set_done(&mut self, name: &str, done: bool) {
        if done {
            self.state.done.insert(name.to_string());
        } else {
            self.state.done.remove(name);
        }
        self.changes.done.insert(name.to_string(), done);
    }

    pub fn done_count(&self, course: &Course) -> usize {
        course
            .exercises
            .iter()
            .filter(|e| self.is_done(&e.name))
            .count()
    }

    /// Names in the state that this course does not have (kept, never dropped).
    pub fn unknown_names<'a>(&'a self, course: &'a Course) -> impl Iterator<Item = &'a str> + 'a {
        self.state
            .done
            .iter()
            .filter(|n| course.find(n).is_none())
            .map(String::as_str)
    }

    /// The exercise the learner is on: the one they chose, or else the first one not done.
    /// `None` when everything is done.
    pub fn current(&self, course: &Course) -> Option<usize> {
        self.state
            .current
            .as_deref()
            .and_then(|name| course.find(name))
            .filter(|&i| !self.is_done(&course.exercises[i].name))
            .or_else(|| self.first_pending(course))
    }

    pub fn first_pending(&self, course: &Course) -> Option<usize> {
        course.exercises.iter().position(|e| !self.is_done(&e.name))
    }

    /// The first pending exercise after `index`, wrapping around.
    pub fn next_pending(&self, course: &Course, index: usize) -> Option<usize> {
        let n = course.exercises.len();
        (1..=n)
            .map(|k| (index + k) % n)
            .find(|&i| !self.is_done(&course.exercises[i].name))
    }

    pub fn set_current(&mut self, course: &Course, index: usize) {
        self.state.current = Some(course.exercises[index].name.clone());
        self.changes.current = Some(self.state.current.clone());
    }

    pub fn welcome_shown(&self) -> bool {
        self.state.welcome_shown
    }

    pub fn mark_welcome_shown(&mut self) {
        self.state.welcome_shown = true;
        self.changes.welcome_shown = true;
    }
}

/// The state on disk, and a warning when the file existed but could not be used.
fn read_state(path: &Path) -> (StateFile, Option<String>) {
    match fs::read(path) {
        Err(_) => (StateFile::default(), None),
        Ok(bytes) => match serde_json::from_slice::<StateFile>(&bytes) {
            Ok(state) if state.version == STATE_VERSION => (state, None),
            Ok(state) => (
                StateFile::default(),
                Some(format!(
                    "{} has version {}, this runner writes {STATE_VERSION}; starting fresh ({} recovers what is done)",
                    path.display(),
                    state.version,
                    crate::invocation::typed("verify")
                )),
            ),
            Err(err) => (
                StateFile::default(),
                Some(format!(
                    "{} is damaged ({err}); starting fresh ({} recovers what is done)",
                    path.display(),
                    crate::invocation::typed("verify")
                )),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_state_warns_and_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = Progress::path_for(dir.path());
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "{not json").unwrap();
        let (progress, warning) = Progress::load(dir.path());
        assert!(warning.unwrap().contains("damaged"));
        assert!(!progress.is_done("x"));
    }

    #[test]
    fn two_writers_keep_both_updates() {
        let dir = tempfile::tempdir().unwrap();
        let (mut watch, _) = Progress::load(dir.path());
        let (mut verify, _) = Progress::load(dir.path());
        verify.set_done("a", true);
        verify.set_done("c", true);
        verify.save().unwrap();
        // `watch` loaded before `verify` saved; its save must not undo `verify`'s.
        watch.set_done("b", true);
        watch.set_done("c", false);
        watch.save().unwrap();
        assert!(watch.is_done("a"), "a save shows what others saved");
        let (again, _) = Progress::load(dir.path());
        assert!(again.is_done("a") && again.is_done("b"));
        assert!(
            !again.is_done("c"),
            "on the same exercise, the later save wins"
        );
    }

    #[test]
    fn concurrent_saves_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let writers: Vec<_> = (0..8)
            .map(|i| {
                let root = root.clone();
                std::thread::spawn(move || {
                    for round in 0..10 {
                        let (mut progress, warning) = Progress::load(&root);
                        assert!(warning.is_none(), "{warning:?}");
                        progress.set_done(&format!("w{i}_{round}"), true);
                        progress.save().unwrap();
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let (progress, _) = Progress::load(&root);
        for i in 0..8 {
            for round in 0..10 {
                assert!(progress.is_done(&format!("w{i}_{round}")));
            }
        }
    }

    #[test]
    fn unknown_names_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let (mut progress, warning) = Progress::load(dir.path());
        assert!(
            warning.is_none(),
            "a missing file is a fresh start, not a problem"
        );
        progress.set_done("from_a_newer_course", true);
        progress.save().unwrap();
        let (again, _) = Progress::load(dir.path());
        assert!(again.is_done("from_a_newer_course"));
    }
}
