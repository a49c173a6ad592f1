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
// Don't look for the bugs first: write down what pagination must do (first page, middle, last
// partial page, exact multiple, empty list, page 0, past the end, per_page 0) and the suite
// will catch them by itself.

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
    Some((start, (start + per_page).min(total)))
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
    assert_eq!(f(95, 11, 10), None, "past the end");
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
    use std::panic::catch_unwind;

    fn caught(f: PageFn) -> bool {
        catch_unwind(|| suite(f)).is_err()
    }

    // ---- Planted bugs. Your suite must catch every one. ----

    /// Treats the page as 0-based.
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

    /// Correct, through code of its own: a suite must accept it as well as `page_bounds`.
    fn correct_rewrite(total: usize, page: usize, per_page: usize) -> Option<(usize, usize)> {
        if page == 0 || per_page == 0 {
            return None;
        }
        let pages = total.div_ceil(per_page).max(1);
        (page <= pages).then(|| {
            let start = (page - 1) * per_page;
            (start, total.min(start + per_page))
        })
    }

    #[test]
    fn suite_accepts_the_correct_implementation() {
        assert!(
            !caught(page_bounds),
            "your suite fails the CORRECT page_bounds: one of your assertions expects the wrong thing"
        );
        assert!(
            !caught(correct_rewrite),
            "your suite fails a correct implementation that is not page_bounds itself: judge \
             what `f` answers, not which function it is"
        );
    }

    #[test]
    fn catches_bugs_it_was_not_told_about() {
        assert!(
            caught(buggy_per_page_zero),
            "missed: per_page 0 accepted (the doc comment says None)"
        );
        assert!(
            caught(buggy_inclusive_end),
            "missed: the end index is inclusive, one item short per page"
        );
    }

    #[test]
    fn catches_zero_based_pages() {
        assert!(caught(buggy_zero_based), "missed: page treated as 0-based");
    }

    #[test]
    fn catches_unclamped_end() {
        assert!(
            caught(buggy_unclamped_end),
            "missed: last page runs past the end"
        );
    }

    #[test]
    fn catches_extra_empty_page() {
        assert!(
            caught(buggy_extra_page),
            "missed: exact multiple gets an extra page"
        );
    }

    #[test]
    fn catches_clamped_page_number() {
        assert!(
            caught(buggy_clamps_page),
            "missed: page past the end shows the last page"
        );
    }

    #[test]
    fn catches_page_zero() {
        assert!(caught(buggy_page_zero), "missed: page 0 accepted as page 1");
    }

    #[test]
    fn catches_empty_list_without_pages() {
        assert!(caught(buggy_empty_list), "missed: empty list has no page 1");
    }
}
