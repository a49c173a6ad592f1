//! The learner's persisted progress: which exercises are done and where they are.
//!
//! Stored in `.backendlings/state.json` in the course folder and written atomically. Reads are
//! tolerant: a missing file is a fresh start, a damaged one is rebuilt with a warning, and names
//! this course does not know are kept (they may belong to a newer version of the course).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::fsutil::write_atomic;

pub const STATE_DIR: &str = ".backendlings";
const STATE_FILE: &str = "state.json";
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

#[derive(Debug, Clone)]
pub struct Progress {
    path: PathBuf,
    state: StateFile,
}

impl Progress {
    pub fn path_for(root: &Path) -> PathBuf {
        root.join(STATE_DIR).join(STATE_FILE)
    }

    /// Loads the progress of the course at `root`. The second value is a warning to show when
    /// the file existed but could not be used.
    pub fn load(root: &Path) -> (Progress, Option<String>) {
        let path = Self::path_for(root);
        let (state, warning) = match fs::read(&path) {
            Err(_) => (StateFile::default(), None),
            Ok(bytes) => match serde_json::from_slice::<StateFile>(&bytes) {
                Ok(state) if state.version == STATE_VERSION => (state, None),
                Ok(state) => (
                    StateFile::default(),
                    Some(format!(
                        "{} has version {}, this runner writes {STATE_VERSION}; starting fresh (run `backendlings verify` to recover what is done)",
                        path.display(),
                        state.version
                    )),
                ),
                Err(err) => (
                    StateFile::default(),
                    Some(format!(
                        "{} is damaged ({err}); starting fresh (run `backendlings verify` to recover what is done)",
                        path.display()
                    )),
                ),
            },
        };
        (Progress { path, state }, warning)
    }

    pub fn save(&self) -> Result<()> {
        let mut state = self.state.clone();
        state.version = STATE_VERSION;
        let mut json = serde_json::to_vec_pretty(&state)?;
        json.push(b'\n');
        write_atomic(&self.path, &json)
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
    }

    pub fn welcome_shown(&self) -> bool {
        self.state.welcome_shown
    }

    pub fn mark_welcome_shown(&mut self) {
        self.state.welcome_shown = true;
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
