//! `grade --partition K/N`: which learners one of N parallel grading jobs takes.
//!
//! A learner belongs to part `1 + blake3(name) mod N`. Hashing the name, rather than sorting the
//! cohort and striping it, makes the choice depend on nothing but that learner: the order in
//! which folders are listed, or learners joining and leaving the cohort, never move anyone else
//! to another part, so a CI job's cache and logs keep following the same learners from run to
//! run. The price is that parts are only about equal (a binomial spread: for 300 learners in 4
//! parts, about 75 ± 8 each), which is fine for spreading work over CI runners.

use super::learner::Learner;
use crate::report::model::{PartInfo, Partition};

impl Partition {
    /// The part of `count` that a learner of this name belongs to.
    pub fn of(name: &str, count: u32) -> u32 {
        let hash = blake3::hash(name.as_bytes());
        let head: [u8; 8] = hash.as_bytes()[..8].try_into().expect("32-byte hash");
        (u64::from_le_bytes(head) % u64::from(count)) as u32 + 1
    }

    /// Whether the learner named `name` is graded by this part.
    pub fn contains(&self, name: &str) -> bool {
        Partition::of(name, self.count) == self.index
    }
}

/// The learners of `part` (all of them without one), in their order, and what a partial report
/// records for `report merge`: the part and the whole cohort's names in grading order.
pub fn select(learners: Vec<Learner>, part: Option<Partition>) -> (Vec<Learner>, Option<PartInfo>) {
    let Some(part) = part else {
        return (learners, None);
    };
    let info = PartInfo {
        part: part.to_string(),
        cohort: learners.iter().map(|l| l.name.clone()).collect(),
    };
    let mine = learners
        .into_iter()
        .filter(|l| part.contains(&l.name))
        .collect();
    (mine, Some(info))
}

/// Parses `K/N`; the message is what clap prints after "invalid value".
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_rejects_the_rest() {
        assert_eq!(
            "2/4".parse::<Partition>(),
            Ok(Partition { index: 2, count: 4 })
        );
        assert_eq!(
            "1/1".parse::<Partition>(),
            Ok(Partition { index: 1, count: 1 })
        );
        for bad in ["0/4", "5/4", "1/0", "4", "a/4", "2/b", "-1/4", "", "1/2/3"] {
            let err = bad.parse::<Partition>().unwrap_err();
            assert!(err.contains("1 <= K <= N"), "{bad}: {err}");
        }
    }

    /// Every learner is in exactly one part, whatever the cohort's size and the number of parts.
    #[test]
    fn parts_are_disjoint_and_cover_the_cohort() {
        for size in [0, 1, 2, 7, 50, 301] {
            let names: Vec<String> = (0..size).map(|i| format!("learner{i:03}")).collect();
            for count in 1..=9 {
                let mut owners = vec![0; size];
                for index in 1..=count {
                    let part = Partition { index, count };
                    for (i, name) in names.iter().enumerate() {
                        if part.contains(name) {
                            owners[i] += 1;
                        }
                    }
                }
                assert!(
                    owners.iter().all(|&n| n == 1),
                    "{size} learners, {count} parts"
                );
            }
        }
    }

    /// A learner's part depends on their name only, and the hash is pinned: CI runners that run
    /// different builds of backendlings must still split a cohort alike.
    #[test]
    fn a_learners_part_is_pinned_by_their_name() {
        let parts: Vec<u32> = ["alice", "bob", "carol", "dave", "erin"]
            .iter()
            .map(|name| Partition::of(name, 4))
            .collect();
        assert_eq!(parts, [2, 1, 3, 4, 1]);
    }

    #[test]
    fn parts_are_roughly_balanced() {
        let mut sizes = [0usize; 4];
        for i in 0..1000 {
            sizes[Partition::of(&format!("student-{i}"), 4) as usize - 1] += 1;
        }
        assert!(sizes.iter().all(|&n| (200..=300).contains(&n)), "{sizes:?}");
    }
}
