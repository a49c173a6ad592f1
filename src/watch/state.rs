//! The state of watch mode that is not tied to a terminal or a thread: which check runs, which
//! is queued, and what is known about the current exercise. Kept apart so the rules can be
//! unit-tested; no view lives here (which screen is shown is `mode`).

use crate::verdict::Verdict;

/// Work for the checker thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Check one exercise (by index into `Course::exercises`).
    One(usize),
    /// Check every exercise in one batch. `final_check` is the verification that runs after the
    /// last exercise passed, before the final message.
    All { final_check: bool },
}

/// At most one check runs; a request that arrives meanwhile is remembered, never dropped.
///
/// rustlings drops file events that arrive while an exercise runs, so a save made during a
/// slow check is lost. Here any number of requests for one exercise during a check collapse
/// into exactly one more check of it once it ends (in the order asked). A batch check
/// subsumes every single one.
#[derive(Debug, Default)]
pub struct CheckQueue {
    running: Option<Job>,
    queued: Vec<Job>,
}

impl CheckQueue {
    /// Asks for `job`; returns it when it should start now, `None` when it was queued.
    pub fn request(&mut self, job: Job) -> Option<Job> {
        if self.running.is_none() {
            self.running = Some(job);
            return Some(job);
        }
        match job {
            Job::All { .. } => self.queued = vec![job],
            Job::One(_) if self.queued.iter().any(|q| matches!(q, Job::All { .. })) => {}
            Job::One(_) if !self.queued.contains(&job) => self.queued.push(job),
            Job::One(_) => {}
        }
        None
    }

    /// The running check ended; returns the next queued job, which is now running, if any.
    pub fn finished(&mut self) -> Option<Job> {
        self.running = (!self.queued.is_empty()).then(|| self.queued.remove(0));
        self.running
    }

    pub fn running(&self) -> Option<Job> {
        self.running
    }

    /// A queued check of exercise `from` becomes one of `to` (the learner moved on meanwhile).
    pub fn retarget(&mut self, from: usize, to: usize) {
        if let Some(queued) = self.queued.iter_mut().find(|q| **q == Job::One(from)) {
            *queued = Job::One(to);
        }
        let mut seen = Vec::new();
        self.queued.retain(|job| {
            let first = !seen.contains(job);
            seen.push(*job);
            first
        });
    }
}

/// What a running batch check has done so far, for the progress display.
#[derive(Debug, Default, Clone)]
pub struct BatchProgress {
    pub building: bool,
    /// Set while the build compiles the exercise crates for the first time in this course
    /// (minutes, not seconds): what the screen says while the learner waits.
    pub first_build: Option<String>,
    pub units_done: usize,
    pub units: usize,
    pub checked: usize,
    pub total: usize,
    /// When the check started: the screen shows how long it has been running.
    pub started: Option<std::time::Instant>,
    /// Units compiled, not merely found up to date: more than one means crates are being
    /// built, which is worth a progress bar.
    pub compiling: usize,
}

impl BatchProgress {
    /// A unit of the build is done. An ordinary save reports every crate as fresh: counted,
    /// but not a rebuild to show.
    pub fn compiled(&mut self, fresh: bool) {
        self.units_done += 1;
        if !fresh {
            self.compiling += 1;
        }
    }
}

/// Everything the screen shows about the current exercise.
#[derive(Debug, Default)]
pub struct ExerciseView {
    pub verdict: Option<Verdict>,
    pub show_hint: bool,
    /// First line of the output shown (scrolling with the arrow keys).
    pub scroll: usize,
    /// Replaces the output after a batch check: the per-section summary.
    pub summary: Option<String>,
    /// A one-line notice (reset done, errors); the next verdict clears it.
    pub notice: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_during_a_check_collapse_into_one_more() {
        let mut queue = CheckQueue::default();
        assert_eq!(queue.request(Job::One(0)), Some(Job::One(0)));
        assert_eq!(queue.request(Job::One(0)), None);
        assert_eq!(queue.request(Job::One(0)), None);
        assert_eq!(queue.finished(), Some(Job::One(0)));
        assert_eq!(queue.finished(), None);
        assert_eq!(queue.running(), None);
        assert_eq!(queue.request(Job::One(1)), Some(Job::One(1)));
    }

    #[test]
    fn a_batch_is_not_replaced_by_a_single_check() {
        let mut queue = CheckQueue::default();
        queue.request(Job::One(0));
        let all = Job::All { final_check: false };
        queue.request(all);
        queue.request(Job::One(2));
        assert_eq!(queue.finished(), Some(all));
    }

    #[test]
    fn a_queued_check_follows_the_current_exercise() {
        let mut queue = CheckQueue::default();
        queue.request(Job::One(0));
        queue.request(Job::One(0));
        queue.retarget(0, 3);
        assert_eq!(queue.finished(), Some(Job::One(3)));
    }

    /// A save to a done exercise while the current one is queued: both are checked.
    #[test]
    fn checks_of_two_exercises_are_both_kept() {
        let mut queue = CheckQueue::default();
        queue.request(Job::One(0));
        queue.request(Job::One(0));
        queue.request(Job::One(1));
        queue.request(Job::One(0));
        assert_eq!(queue.finished(), Some(Job::One(0)));
        assert_eq!(queue.finished(), Some(Job::One(1)));
        assert_eq!(queue.finished(), None);
    }
}
