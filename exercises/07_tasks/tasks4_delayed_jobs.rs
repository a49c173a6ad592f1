// Scenario: "send the reminder email 24 hours after signup", "retry this webhook in 30 s",
// "expire the reservation in 15 minutes": jobs that must run at a time, not now. The scheduler
// kept them in a Vec and scanned the whole list every tick, and jobs due at the same moment ran
// in random order, so "create invoice" sometimes ran after "email invoice".
//
// Done means: `DelayQueue` keeps jobs in a min-heap ordered by run time (`BinaryHeap` is a
// max-heap, so wrap entries in `std::cmp::Reverse`); `pop_due(now)` returns every job whose
// run time has come (run_at <= now), earliest first, and leaves the others queued; jobs due at
// the same instant come out in the order they were scheduled (an increasing sequence number
// breaks ties); `next_wake_in(now)` tells the scheduler loop how long it may sleep.
//
// The heap is given: `Heap` (below, which you must not edit) is a `BinaryHeap` with the
// operations a scheduler needs, `push`, `peek` and `pop`. The tests count its pushes and pops:
// a tick that pops every job and pushes the others back, or rebuilds the heap, is the scan the
// old scheduler did, however fast it looks.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A `BinaryHeap` (a max-heap) with only push, peek and pop. LOCKED: the grader restores it as
/// the course ships it. In test builds it counts the pushes and pops.
pub struct Heap<T> {
    inner: BinaryHeap<T>,
    #[cfg(test)]
    pushes: usize,
    #[cfg(test)]
    pops: usize,
}

impl<T: Ord> Default for Heap<T> {
    fn default() -> Self {
        Self {
            inner: BinaryHeap::new(),
            #[cfg(test)]
            pushes: 0,
            #[cfg(test)]
            pops: 0,
        }
    }
}

impl<T: Ord> Heap<T> {
    pub fn push(&mut self, item: T) {
        #[cfg(test)]
        {
            self.pushes += 1;
        }
        self.inner.push(item);
    }

    /// The greatest item, without removing it.
    pub fn peek(&self) -> Option<&T> {
        self.inner.peek()
    }

    /// Removes and returns the greatest item.
    pub fn pop(&mut self) -> Option<T> {
        let item = self.inner.pop();
        #[cfg(test)]
        {
            self.pops += usize::from(item.is_some());
        }
        item
    }

    pub fn len(&self) -> usize {
        self.inner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

#[derive(Default)]
pub struct DelayQueue {
    /// (run_at_ms, sequence number, job name), smallest first thanks to `Reverse`.
    heap: Heap<Reverse<(u64, u64, String)>>,
    next_seq: u64,
}

impl DelayQueue {
    pub fn schedule(&mut self, run_at_ms: u64, job: &str) {
        // TODO: push the job with its run time and the next sequence number.
        todo!("schedule {job} at {run_at_ms}")
    }

    pub fn schedule_in(&mut self, now_ms: u64, delay_ms: u64, job: &str) {
        self.schedule(now_ms.saturating_add(delay_ms), job);
    }

    /// Removes and returns the jobs due at `now_ms`, in the order they should run.
    pub fn pop_due(&mut self, now_ms: u64) -> Vec<String> {
        // TODO: pop from the heap while the earliest job is due. Look (`peek`) before you pop,
        // so that a job that is not due yet stays where it is.
        todo!("jobs due at {now_ms}")
    }

    /// Milliseconds until the next job is due (0 if one is overdue), None if the queue is empty.
    pub fn next_wake_in(&self, now_ms: u64) -> Option<u64> {
        // TODO: look at the earliest job without removing it.
        todo!("time until the next job, from {now_ms}")
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

fn main() {
    let mut queue = DelayQueue::default();
    queue.schedule_in(0, 15 * 60_000, "expire reservation 7");
    queue.schedule_in(0, 30_000, "retry webhook 12");
    println!("sleep for {:?} ms", queue.next_wake_in(0));
    println!("due at 60 s: {:?}", queue.pop_due(60_000));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_due_before_its_time() {
        let mut queue = DelayQueue::default();
        queue.schedule(1_000, "reminder");
        assert!(!queue.is_empty(), "a scheduled job is queued");
        assert!(
            queue.pop_due(999).is_empty(),
            "due at 1000, asked at 999: not yet"
        );
        assert_eq!(queue.len(), 1, "a job that is not due stays queued");
    }

    #[test]
    fn a_job_is_due_at_its_run_time() {
        let mut queue = DelayQueue::default();
        queue.schedule(1_000, "reminder");
        assert_eq!(
            queue.pop_due(1_000),
            vec!["reminder"],
            "run_at <= now means due, including the exact instant"
        );
        assert!(queue.is_empty(), "popped jobs leave the queue");
    }

    #[test]
    fn due_jobs_come_out_earliest_first() {
        let mut queue = DelayQueue::default();
        queue.schedule(300, "c");
        queue.schedule(100, "a");
        queue.schedule(900, "later");
        queue.schedule(200, "b");
        assert_eq!(
            queue.pop_due(500),
            vec!["a", "b", "c"],
            "ordered by run time, not by insertion; the job at 900 is not due yet"
        );
        assert_eq!(queue.pop_due(1_000), vec!["later"]);
    }

    #[test]
    fn ties_keep_insertion_order() {
        let mut queue = DelayQueue::default();
        queue.schedule(100, "create invoice");
        queue.schedule(100, "email invoice");
        queue.schedule(100, "archive order");
        assert_eq!(
            queue.pop_due(100),
            vec!["create invoice", "email invoice", "archive order"],
            "same run time: first scheduled, first run (not alphabetical, not random)"
        );
    }
    #[test]
    fn ties_keep_insertion_order_past_small_counters() {
        let mut queue = DelayQueue::default();
        // Names sort the other way round, so a tie broken by name shows.
        let names: Vec<String> = (0..300).map(|i| format!("job {:03}", 299 - i)).collect();
        for name in &names {
            queue.schedule(100, name);
        }
        assert_eq!(
            queue.pop_due(100),
            names,
            "300 jobs due at the same instant run in the order they were scheduled: the \
             sequence number must not wrap (a u8 counter repeats after 256 jobs)"
        );
    }

    #[test]
    fn sequence_numbers_are_never_reused() {
        let mut queue = DelayQueue::default();
        queue.schedule(5, "z");
        queue.schedule(10, "b");
        assert_eq!(queue.pop_due(5), vec!["z"]);
        queue.schedule(10, "a");
        assert_eq!(
            queue.pop_due(10),
            vec!["b", "a"],
            "b was scheduled before a, both for 10: b runs first. A sequence number taken \
             from the heap's length repeats once a job has been popped"
        );
    }

    #[test]
    fn a_huge_delay_is_never_due() {
        let mut queue = DelayQueue::default();
        queue.schedule_in(1_000, u64::MAX, "never");
        assert!(
            queue.pop_due(1_000).is_empty(),
            "1000 + u64::MAX saturates at the end of time; wrapping around would make the \
             job due at 999, that is at once"
        );
        assert_eq!(queue.next_wake_in(1_000), Some(u64::MAX - 1_000));
    }

    #[test]
    fn a_tick_pops_the_due_jobs_and_leaves_the_rest_alone() {
        let mut queue = DelayQueue::default();
        for t in 0..1_000 {
            queue.schedule(1_000 + t, &format!("job-{t:03}"));
        }
        assert_eq!(
            (queue.heap.pushes, queue.heap.pops),
            (1_000, 0),
            "scheduling a job is one push"
        );
        assert!(queue.pop_due(999).is_empty());
        assert_eq!(queue.next_wake_in(999), Some(1));
        assert_eq!(
            (queue.heap.pushes, queue.heap.pops),
            (1_000, 0),
            "nothing is due at 999: a tick only peeks at the earliest job"
        );
        assert_eq!(queue.pop_due(1_001), vec!["job-000", "job-001"]);
        assert_eq!(
            (queue.heap.pushes, queue.heap.pops),
            (1_000, 2),
            "two jobs are due: two pops, and the 998 others stay in the heap untouched \
             (popping everything and pushing back what is not due scans the whole queue \
             every tick, like the old Vec)"
        );
        assert_eq!(queue.len(), 998);
    }

    #[test]
    fn next_wake_in_tells_how_long_to_sleep() {
        let mut queue = DelayQueue::default();
        assert_eq!(
            queue.next_wake_in(0),
            None,
            "empty queue: nothing to wait for"
        );
        queue.schedule_in(1_000, 250, "retry");
        queue.schedule_in(1_000, 5_000, "expire");
        assert_eq!(
            queue.next_wake_in(1_000),
            Some(250),
            "the earliest job decides: due at 1250, now is 1000"
        );
        assert_eq!(
            queue.next_wake_in(2_000),
            Some(0),
            "an overdue job means: do not sleep at all"
        );
    }

    #[test]
    fn many_jobs_in_reverse_order() {
        let mut queue = DelayQueue::default();
        for t in (0..1_000).rev() {
            queue.schedule(t, &format!("job-{t:04}"));
        }
        let due = queue.pop_due(499);
        assert_eq!(due.len(), 500, "jobs 0..=499 are due");
        assert!(
            due.windows(2).all(|pair| pair[0] < pair[1]),
            "and they come out sorted by run time"
        );
        assert_eq!(queue.len(), 500);
    }

    #[test]
    fn sequence_numbers_count_from_next_seq() {
        // Ties are broken by a counter, not by a clock: two schedules within one clock tick (or
        // after the clock steps back) would get equal or decreasing stamps. `next_seq` starts at
        // 0 and each `schedule` takes it and adds one, whatever the run times.
        let mut queue = DelayQueue::default();
        assert_eq!(queue.next_seq, 0);
        queue.schedule(300, "c");
        queue.schedule(100, "a");
        queue.schedule_in(50, 150, "b");
        assert_eq!(
            queue.next_seq, 3,
            "three jobs scheduled took the sequence numbers 0, 1 and 2 from `next_seq`: it is \
             a counter, not a timestamp"
        );
        assert_eq!(queue.pop_due(300), vec!["a", "b", "c"]);
        queue.schedule(300, "d");
        assert_eq!(queue.next_seq, 4, "popping does not rewind the counter");
    }
}
