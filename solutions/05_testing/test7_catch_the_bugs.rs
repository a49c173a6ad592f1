// Scenario: `page_bounds` computes which slice of a result set a page shows. It has been
// "optimized" six times by six people, and each version broke pagination in a different way
// (the buggy versions in the test module at the bottom are real-looking mistakes). Management
// wants a test suite that would have caught every one of them before release.
//
// Your job: write the body of `suite`. It receives an implementation and must PANIC (a failing
// assert) if that implementation is wrong. The graded tests at the bottom check that your suite
// passes correct implementations (`page_bounds` and another one) and catches every buggy one,
// including bugs this text does not list. (The tests cannot see a suite that takes its
// expectations from `page_bounds` itself; that is circular: state the expected values.)
// Don't look for the bugs first: write down what pagination must do (the first page, a middle
// page, the last partial page, an exact multiple's full last page and the page after it, a list
// shorter than one page, an empty list and its page 2, page 0, far past the end, per_page 0),
// with the exact (start, end) each answer must be, and the suite will catch them by itself.

/// (start, end) of page `page` (1-based) with `per_page` items out of `total`, as a half-open
/// range `start..end` of indices. `None` for page 0, per_page 0, or a page past the last one.
/// An empty list still has a page 1, which is empty: `Some((0, 0))`.
pub type PageFn = fn(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)>;

pub fn page_bounds(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
    if page == 0 || per_page == 0 {
        return None;
    }
    let start = (page - 1).checked_mul(per_page)?;
    if start >= total && !(total == 0 && page == 1) {
        return None;
    }
    // start <= total here, but start + per_page can still overflow for huge inputs.
    Some((start, start.saturating_add(per_page).min(total)))
}

/// Write the checks here: call `f` and assert on its answers.
pub fn suite(f: PageFn) {
    // middle and first pages
    assert_eq!(f(95, 1, 10), Some((0, 10)), "page 1 starts at index 0");
    assert_eq!(f(95, 2, 10), Some((10, 20)), "page 2 is the second block");
    // last pages
    assert_eq!(f(95, 10, 10), Some((90, 95)), "last page is partial");
    assert_eq!(
        f(100, 10, 10),
        Some((90, 100)),
        "exact multiple: full last page"
    );
    assert_eq!(f(100, 11, 10), None, "exact multiple: no extra empty page");
    assert_eq!(f(95, 50, 10), None, "far past the end is not the last page");
    // edge inputs
    assert_eq!(
        f(0, 1, 10),
        Some((0, 0)),
        "an empty list has an empty page 1"
    );
    assert_eq!(f(0, 2, 10), None, "and nothing after it");
    assert_eq!(f(95, 0, 10), None, "pages are 1-based");
    assert_eq!(
        f(95, 1, 0),
        None,
        "per_page 0 is invalid, not a division by zero"
    );
    assert_eq!(f(3, 1, 10), Some((0, 3)), "one partial page");
}

fn main() {
    println!("{:?}", page_bounds(95, 10, 10));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `suite` on `f` in a thread of its own, named like every other (the test's name
    /// would tell which implementations it judges); true if it panicked.
    fn caught(f: PageFn) -> bool {
        std::thread::Builder::new()
            .name("judge".to_string())
            .spawn(move || suite(f))
            .expect("a thread")
            .join()
            .is_err()
    }

    /// Judges `suite` on the correct implementations and on `bugs` together, in an order no
    /// code of the learner's can predict (the seed comes from the standard library's
    /// per-process random hash keys, and is printed when a test fails): every test judges
    /// correct and buggy implementations alike, so neither the test (its thread's name), nor
    /// the order, nor a count of calls tells one from the other (red team round 8).
    fn judge(bugs: &[(PageFn, &str)]) {
        use std::hash::{BuildHasher, Hasher};
        let mut judged: Vec<(PageFn, Option<&str>)> =
            vec![(page_bounds, None), (correct_rewrite, None)];
        judged.extend(bugs.iter().map(|&(buggy, bug)| (buggy, Some(bug))));
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
            | 1;
        let mut state = seed;
        for i in (1..judged.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            judged.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut wrong = Vec::new();
        for (f, bug) in judged {
            match (bug, caught(f)) {
                (None, true) => wrong.push(
                    "your suite fails a CORRECT implementation (page_bounds, or another one): \
                     one of your assertions expects the wrong thing, or it judges which \
                     function it is given or when it runs rather than what `f` answers"
                        .to_string(),
                ),
                (Some(bug), false) => wrong.push(format!("missed: {bug}")),
                _ => {}
            }
        }
        assert!(
            wrong.is_empty(),
            "{}\n(order seed {seed})",
            wrong.join("\n")
        );
    }

    fn buggy_zero_based(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let start = page * per_page;
        if start >= total && !(total == 0 && page == 1) {
            return None;
        }
        Some((start, (start + per_page).min(total)))
    }

    /// Forgets to clamp the end of the last page.
    fn buggy_unclamped_end(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let start = (page - 1) * per_page;
        if start >= total && !(total == 0 && page == 1) {
            return None;
        }
        Some((start, start + per_page))
    }

    /// Uses `>` instead of `>=`: an exact multiple gets an extra, empty last page.
    fn buggy_extra_page(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let start = (page - 1) * per_page;
        if start > total {
            return None;
        }
        Some((start, (start + per_page).min(total)))
    }

    /// "Helpfully" shows the last page for any page past the end.
    fn buggy_clamps_page(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let last_page = total.div_ceil(per_page).max(1);
        let start = (page.min(last_page) - 1) * per_page;
        Some((start, (start + per_page).min(total)))
    }

    /// Treats page 0 as page 1.
    fn buggy_page_zero(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if per_page == 0 {
            return None;
        }
        let start = page.saturating_sub(1) * per_page;
        if start >= total && !(total == 0 && page <= 1) {
            return None;
        }
        Some((start, (start + per_page).min(total)))
    }

    /// Says an empty list has no pages at all (the UI then shows an error instead of "no results").
    fn buggy_empty_list(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let start = (page - 1) * per_page;
        if start >= total {
            return None;
        }
        Some((start, (start + per_page).min(total)))
    }

    /// Not listed in the exercise text: forgets that per_page 0 is invalid.
    fn buggy_per_page_zero(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 {
            return None;
        }
        let start = (page - 1) * per_page;
        if start >= total && !(total == 0 && page == 1) {
            return None;
        }
        Some((start, (start + per_page).min(total)))
    }

    /// Not listed in the exercise text: an inclusive end (`start..=end` thinking).
    fn buggy_inclusive_end(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let start = (page - 1) * per_page;
        if start >= total && !(total == 0 && page == 1) {
            return None;
        }
        Some((start, (start + per_page - 1).min(total)))
    }

    /// Not listed: the past-the-end test is `page == pages + 1` instead of `page > pages`, so
    /// only the page right after the last one is None.
    fn buggy_only_the_next_page_is_past_the_end(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let pages = total.div_ceil(per_page).max(1);
        if page == pages + 1 {
            return None;
        }
        let start = (page - 1) * per_page;
        Some((start, (start + per_page).min(total)))
    }

    /// Not listed: the last partial page ends at its item count (total % per_page), not at an
    /// index.
    fn buggy_last_page_ends_at_its_count(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let pages = total.div_ceil(per_page).max(1);
        if page > pages {
            return None;
        }
        let start = (page - 1) * per_page;
        if page == pages && total % per_page != 0 {
            return Some((start, total % per_page));
        }
        Some((start, (start + per_page).min(total)))
    }

    /// Not listed: the last page holds `total % per_page` items, which is none at all when
    /// total is an exact multiple.
    fn buggy_last_page_holds_the_remainder(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let pages = total.div_ceil(per_page).max(1);
        if page > pages {
            return None;
        }
        let start = (page - 1) * per_page;
        if page == pages {
            return Some((start, start + total % per_page));
        }
        Some((start, start + per_page))
    }

    /// Not listed: an empty list answers its empty page for every page number.
    fn buggy_every_page_of_an_empty_list(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        if total == 0 {
            return Some((0, 0));
        }
        let start = (page - 1) * per_page;
        if start >= total {
            return None;
        }
        Some((start, (start + per_page).min(total)))
    }

    /// Not listed: the first and the last page are special cases, and the general case (the
    /// middle pages) has an inclusive end.
    fn buggy_inclusive_end_on_middle_pages(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let pages = total.div_ceil(per_page).max(1);
        if page > pages {
            return None;
        }
        let start = (page - 1) * per_page;
        if page == 1 || page == pages {
            return Some((start, (start + per_page).min(total)));
        }
        Some((start, start + per_page - 1))
    }

    /// Not listed: the first page fetches one item more (to know whether there is a next
    /// page) and forgets to drop it.
    fn buggy_first_page_one_extra(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 1 && per_page > 0 {
            return Some((0, (per_page + 1).min(total)));
        }
        page_bounds(total, page, per_page)
    }

    /// Not listed: assumes the first page of a non-empty list is always full.
    fn buggy_first_page_always_full(
        total: usize,
        page: usize,
        per_page: usize,
    ) -> Option<(usize, usize)> {
        if page == 1 && per_page > 0 && total > 0 {
            return Some((0, per_page));
        }
        page_bounds(total, page, per_page)
    }

    /// Correct, through code of its own: a suite must accept it as well as `page_bounds`.
    fn correct_rewrite(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let pages = total.div_ceil(per_page).max(1);
        (page <= pages).then(|| {
            let start = (page - 1) * per_page;
            (start, total.min(start.saturating_add(per_page)))
        })
    }

    #[test]
    fn page_bounds_never_overflows() {
        let half = usize::MAX / 2 + 1;
        assert_eq!(
            page_bounds(usize::MAX, 2, half),
            Some((half, usize::MAX)),
            "start + per_page overflows here: the end saturates at total"
        );
        assert_eq!(page_bounds(usize::MAX, usize::MAX, usize::MAX), None);
        assert_eq!(page_bounds(10, usize::MAX, 2), None);
        assert_eq!(
            correct_rewrite(usize::MAX, 2, half),
            Some((half, usize::MAX))
        );
    }

    #[test]
    fn catches_every_boundary_mistake() {
        let bugs: [(PageFn, &str); 7] = [
            (
                buggy_only_the_next_page_is_past_the_end,
                "a page far past the end (95 items, page 50) is not None",
            ),
            (
                buggy_last_page_ends_at_its_count,
                "the last partial page ends at total % per_page (95 items, page 10 is (90, 5))",
            ),
            (
                buggy_last_page_holds_the_remainder,
                "an exact multiple's last page is empty (100 items, page 10 is (90, 90))",
            ),
            (
                buggy_every_page_of_an_empty_list,
                "an empty list has a page 2 (Some((0, 0)) instead of None)",
            ),
            (
                buggy_inclusive_end_on_middle_pages,
                "a middle page has an inclusive end (95 items, page 2 is (10, 19))",
            ),
            (
                buggy_first_page_one_extra,
                "page 1 holds per_page + 1 items (95 items, page 1 is (0, 11))",
            ),
            (
                buggy_first_page_always_full,
                "page 1 of a list shorter than a page runs past its end (3 items: (0, 10))",
            ),
        ];
        judge(&bugs);
    }

    #[test]
    fn suite_accepts_the_correct_implementation() {
        judge(&[(buggy_zero_based, "page treated as 0-based")]);
    }

    #[test]
    fn catches_bugs_it_was_not_told_about() {
        judge(&[
            (
                buggy_per_page_zero,
                "per_page 0 accepted (the doc comment says None)",
            ),
            (
                buggy_inclusive_end,
                "the end index is inclusive, one item short per page",
            ),
        ]);
    }

    #[test]
    fn catches_zero_based_pages() {
        judge(&[(buggy_zero_based, "page treated as 0-based")]);
    }

    #[test]
    fn catches_unclamped_end() {
        judge(&[(buggy_unclamped_end, "last page runs past the end")]);
    }

    #[test]
    fn catches_extra_empty_page() {
        judge(&[(buggy_extra_page, "exact multiple gets an extra page")]);
    }

    #[test]
    fn catches_clamped_page_number() {
        judge(&[(buggy_clamps_page, "page past the end shows the last page")]);
    }

    #[test]
    fn catches_page_zero() {
        judge(&[(buggy_page_zero, "page 0 accepted as page 1")]);
    }

    #[test]
    fn catches_empty_list_without_pages() {
        judge(&[(buggy_empty_list, "empty list has no page 1")]);
    }
}
