//! The events not yet accepted by the server, one JSON line each, in
//! `.backendlings/classroom-queue.jsonl`: written before they are sent, so a server that is down,
//! a dropped network or quitting watch mode loses nothing. Bounded: past [`MAX_QUEUED`] the
//! oldest events go first (a learner offline for a whole day still gets a small file).

use std::collections::VecDeque;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use backendlings_classroom_protocol::Event;

use crate::fsutil;

pub const MAX_QUEUED: usize = 5000;

pub struct Queue {
    path: PathBuf,
    lines: VecDeque<String>,
}

impl Queue {
    /// The queue left by an earlier run (lines that are not events are dropped).
    pub fn load(path: PathBuf) -> Queue {
        let lines = fs::read_to_string(&path)
            .unwrap_or_default()
            .lines()
            .filter(|l| serde_json::from_str::<Event>(l).is_ok())
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

    /// The oldest `n` events: each line and its event.
    pub fn front(&self, n: usize) -> Vec<(String, Event)> {
        self.lines
            .iter()
            .filter_map(|l| Some((l.clone(), serde_json::from_str(l).ok()?)))
            .take(n)
            .collect()
    }

    /// Forgets `sent`, lines [`front`](Queue::front) returned (the server has them). Not a
    /// count: events pushed meanwhile may have trimmed some of them off the front already, and
    /// the events behind them were never sent.
    pub fn remove_sent(&mut self, sent: &[String]) -> Result<()> {
        for line in sent {
            if self.lines.front() == Some(line) {
                self.lines.pop_front();
            }
        }
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

    fn event(id: impl std::fmt::Display) -> String {
        format!(r#"{{"id":"{id}","kind":"hint","exercise":"e","at":0}}"#)
    }

    fn lines(queue: &Queue, n: usize) -> Vec<String> {
        queue.front(n).into_iter().map(|(line, _)| line).collect()
    }

    #[test]
    fn queued_events_survive_a_reload_until_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.jsonl");
        let mut queue = Queue::load(path.clone());
        for i in 0..3 {
            queue.push(event(i)).unwrap();
        }
        let mut reloaded = Queue::load(path.clone());
        let sent = lines(&reloaded, 2);
        assert_eq!(sent, [event(0), event(1)]);
        reloaded.remove_sent(&sent).unwrap();
        assert_eq!(lines(&Queue::load(path), 5), [event(2)]);
    }

    /// A batch in flight while new events push the oldest out: only what was sent goes.
    #[test]
    fn events_pushed_at_the_cap_during_a_send_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut queue = Queue::load(dir.path().join("q.jsonl"));
        for i in 0..MAX_QUEUED {
            queue.push(event(i)).unwrap();
        }
        let sent = lines(&queue, 3);
        for i in MAX_QUEUED..MAX_QUEUED + 2 {
            queue.push(event(i)).unwrap();
        }
        queue.remove_sent(&sent).unwrap();
        assert_eq!(queue.len(), MAX_QUEUED - 1);
        assert_eq!(lines(&queue, 1), [event(3)]);
        let all = lines(&queue, MAX_QUEUED);
        assert!(all.ends_with(&[event(MAX_QUEUED), event(MAX_QUEUED + 1)]));
    }

    #[test]
    fn the_queue_is_bounded_and_skips_damaged_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.jsonl");
        fs::write(
            &path,
            format!("{}\nnot json\n{{\"id\":\"b\"}}\n", event("a")),
        )
        .unwrap();
        let mut queue = Queue::load(path.clone());
        assert_eq!(queue.len(), 1);
        for i in 0..MAX_QUEUED {
            queue.push(event(i)).unwrap();
        }
        assert_eq!(queue.len(), MAX_QUEUED);
        assert_eq!(lines(&queue, 1), [event(0)]);
        assert_eq!(Queue::load(path).len(), MAX_QUEUED);
    }
}
