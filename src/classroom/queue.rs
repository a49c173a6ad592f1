//! The events not yet accepted by the server, one JSON line each, in
//! `.backendlings/classroom-queue.jsonl`: written before they are sent, so a server that is down,
//! a dropped network or quitting watch mode loses nothing. Bounded: past [`MAX_QUEUED`] the
//! oldest events go first (a learner offline for a whole day still gets a small file).

use std::collections::VecDeque;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

use crate::fsutil;

pub const MAX_QUEUED: usize = 5000;

pub struct Queue {
    path: PathBuf,
    lines: VecDeque<String>,
}

impl Queue {
    /// The queue left by an earlier run (lines that are not JSON objects are dropped).
    pub fn load(path: PathBuf) -> Queue {
        let lines = fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v.is_object()))
            .map(str::to_string)
            .collect();
        let mut queue = Queue { path, lines };
        queue.trim();
        queue
    }

    fn trim(&mut self) -> bool {
        let over = self.lines.len().saturating_sub(MAX_QUEUED);
        self.lines.drain(..over);
        over > 0
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn push(&mut self, line: String) -> Result<()> {
        debug_assert!(!line.contains('\n'));
        self.lines.push_back(line);
        if self.trim() {
            return self.rewrite();
        }
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let line = self.lines.back().expect("just pushed");
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut f| writeln!(f, "{line}"))
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    /// The oldest `n` events.
    pub fn front(&self, n: usize) -> Vec<String> {
        self.lines.iter().take(n).cloned().collect()
    }

    /// Forgets the oldest `n` events (the server has them).
    pub fn remove_front(&mut self, n: usize) -> Result<()> {
        let n = n.min(self.lines.len());
        self.lines.drain(..n);
        self.rewrite()
    }

    fn rewrite(&self) -> Result<()> {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        fsutil::write_atomic(&self.path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queued_events_survive_a_reload_until_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.jsonl");
        let mut queue = Queue::load(path.clone());
        for i in 0..3 {
            queue.push(format!(r#"{{"id":"{i}"}}"#)).unwrap();
        }
        let mut reloaded = Queue::load(path.clone());
        assert_eq!(reloaded.front(2), [r#"{"id":"0"}"#, r#"{"id":"1"}"#]);
        reloaded.remove_front(2).unwrap();
        assert_eq!(Queue::load(path).front(5), [r#"{"id":"2"}"#]);
    }

    #[test]
    fn the_queue_is_bounded_and_skips_damaged_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.jsonl");
        fs::write(&path, "{\"id\":\"a\"}\nnot json\n").unwrap();
        let mut queue = Queue::load(path.clone());
        assert_eq!(queue.len(), 1);
        for i in 0..MAX_QUEUED {
            queue.push(format!(r#"{{"id":"{i}"}}"#)).unwrap();
        }
        assert_eq!(queue.len(), MAX_QUEUED);
        assert_eq!(queue.front(1), [r#"{"id":"0"}"#]);
        assert_eq!(Queue::load(path).len(), MAX_QUEUED);
    }
}
