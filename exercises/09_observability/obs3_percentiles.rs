// Scenario: the dashboard says "average latency: 27 ms", yet users complain about page loads
// of almost a second. An average hides the slow tail; percentiles show it ("99% of requests
// finished within X ms"). Keeping every sample to sort them is too expensive at 5,000 req/s,
// so we count samples in fixed buckets (a histogram) and *estimate* percentiles from the
// counts, the way Prometheus' `histogram_quantile()` does.
//
// Done means:
// - `observe` counts a value in the first bucket whose upper bound is >= the value
//   (bounds are inclusive, "le" = less or equal), or in the overflow (+Inf) bucket;
// - `quantile(q)` finds the bucket holding the sample of rank `q * count` and interpolates
//   linearly inside it (the first bucket starts at 0); if that is the +Inf bucket it returns
//   the largest finite bound (we cannot know more); `None` when empty or q not in (0, 1];
// - `merge` adds another instance's histogram (same bounds only): that is how a fleet-wide
//   p99 is computed. Averaging the instances' p99s gives a meaningless number.

#[derive(Debug, Clone)]
pub struct Histogram {
    bounds: Vec<f64>,
    /// counts[i] = samples in bucket i (NOT cumulative); the last slot is +Inf.
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    /// Provided. `bounds` must be strictly increasing.
    pub fn new(bounds: &[f64]) -> Histogram {
        assert!(
            bounds.windows(2).all(|w| w[0] < w[1]),
            "bounds must be strictly increasing"
        );
        Histogram {
            bounds: bounds.to_vec(),
            counts: vec![0; bounds.len() + 1],
            sum: 0.0,
            count: 0,
        }
    }

    pub fn bucket_counts(&self) -> &[u64] {
        &self.counts
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Provided.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    pub fn observe(&mut self, value: f64) {
        // TODO: find the bucket (or the +Inf slot), and update counts, sum and count.
        let _ = value;
        todo!()
    }

    pub fn quantile(&self, q: f64) -> Option<f64> {
        // TODO: rank = q * count; walk the buckets accumulating counts until the
        // cumulative count reaches the rank; interpolate between the bucket's lower
        // bound (previous bound, or 0) and its upper bound.
        let _ = q;
        todo!()
    }

    pub fn merge(&mut self, other: &Histogram) -> Result<(), String> {
        // TODO: only histograms with identical bounds can be added, bucket by bucket.
        let _ = other;
        todo!()
    }
}

/// Latency buckets in milliseconds.
pub const LATENCY_MS: [f64; 8] = [5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0];

fn main() {
    let mut h = Histogram::new(&LATENCY_MS);
    for ms in [3.0, 4.0, 12.0, 30.0, 900.0] {
        h.observe(ms);
    }
    println!("p50={:?} p99={:?}", h.quantile(0.5), h.quantile(0.99));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: Option<f64>, expected: f64, why: &str) {
        let actual = actual.unwrap_or_else(|| panic!("expected Some({expected}): {why}"));
        assert!(
            (actual - expected).abs() < 1e-9,
            "expected {expected}, got {actual}: {why}"
        );
    }

    /// 50 requests at 3 ms, 45 at 20 ms, 4 at 200 ms and 1 at 900 ms.
    fn checkout_latencies() -> Histogram {
        let mut h = Histogram::new(&LATENCY_MS);
        for (ms, times) in [(3.0, 50), (20.0, 45), (200.0, 4), (900.0, 1)] {
            for _ in 0..times {
                h.observe(ms);
            }
        }
        h
    }

    #[test]
    fn observe_fills_the_right_buckets() {
        let mut h = Histogram::new(&[10.0, 100.0]);
        for v in [0.5, 10.0, 10.5, 100.0, 2500.0] {
            h.observe(v);
        }
        assert_eq!(
            h.bucket_counts(),
            &[2, 2, 1],
            "10.0 belongs to the le=10 bucket (bounds are inclusive); 2500 goes to +Inf"
        );
        assert_eq!(h.count(), 5);
        close(h.mean(), 524.2, "sum 2621 / 5");
    }

    #[test]
    fn empty_or_invalid_quantile_is_none() {
        let h = Histogram::new(&LATENCY_MS);
        assert_eq!(h.quantile(0.5), None, "no samples, no percentile (not 0!)");
        let h = checkout_latencies();
        assert_eq!(h.quantile(0.0), None, "q must be in (0, 1]");
        assert_eq!(h.quantile(1.5), None);
        assert_eq!(h.quantile(-0.5), None);
        assert_eq!(
            h.quantile(f64::NAN),
            None,
            "NaN is not in (0, 1]: every comparison with NaN is false, so `q <= 0.0 || q > 1.0` \
             lets it through"
        );
    }

    #[test]
    fn mean_needs_at_least_one_sample() {
        let mut h = Histogram::new(&LATENCY_MS);
        assert_eq!(
            h.mean(),
            None,
            "no samples, no mean (0 / 0 is NaN, not a mean)"
        );
        h.observe(42.0);
        close(h.mean(), 42.0, "one sample is its own mean");
    }

    #[test]
    #[should_panic(expected = "strictly increasing")]
    fn bounds_must_increase() {
        Histogram::new(&[10.0, 5.0, 100.0]);
    }

    #[test]
    #[should_panic(expected = "strictly increasing")]
    fn bounds_must_not_repeat() {
        Histogram::new(&[10.0, 10.0]);
    }
    #[test]
    fn the_rank_is_not_rounded_to_a_whole_sample() {
        let mut h = Histogram::new(&[10.0, 20.0]);
        for _ in 0..10 {
            h.observe(5.0);
        }
        close(
            h.quantile(0.95),
            9.5,
            "10 samples in [0, 10]: rank 0.95 * 10 = 9.5 sits 95% of the way through the \
             bucket. Rounding the rank up to 10 gives 10, a whole bound",
        );
        close(
            h.quantile(0.01),
            0.1,
            "rank 0.1 of 10 samples spread over [0, 10]: 0.1",
        );
    }

    #[test]
    fn percentiles_are_interpolated_in_their_bucket() {
        let h = checkout_latencies();
        close(
            h.quantile(0.5),
            5.0,
            "rank 50 is the last sample of the 0..5 bucket",
        );
        close(
            h.quantile(0.25),
            2.5,
            "rank 25 of 50 samples in 0..5: halfway through the bucket",
        );
        close(
            h.quantile(0.9),
            10.0 + 15.0 * 40.0 / 45.0,
            "rank 90 is the 40th of 45 samples in the 10..25 bucket (the 5..10 bucket is empty)",
        );
        close(
            h.quantile(0.99),
            250.0,
            "rank 99 closes the 100..250 bucket",
        );
        close(
            h.quantile(1.0),
            1000.0,
            "the maximum is somewhere in 500..1000",
        );
    }

    #[test]
    fn the_mean_hides_the_tail() {
        let h = checkout_latencies();
        close(h.mean(), 27.5, "the average looks fine...");
        assert!(
            h.quantile(0.99).unwrap() > 9.0 * h.mean().unwrap(),
            "...but 1 user in 100 waited ten times longer"
        );
    }

    #[test]
    fn overflow_bucket_returns_the_largest_bound() {
        let mut h = Histogram::new(&[10.0, 100.0]);
        for _ in 0..10 {
            h.observe(5000.0);
        }
        close(
            h.quantile(0.5),
            100.0,
            "everything is in +Inf: all we know is 'more than 100' (Prometheus returns the highest bound)",
        );
    }

    #[test]
    fn merge_then_compute_never_average_percentiles() {
        let mut fast = Histogram::new(&LATENCY_MS);
        let mut slow = Histogram::new(&LATENCY_MS);
        for _ in 0..100 {
            fast.observe(3.0);
            slow.observe(400.0);
        }
        close(fast.quantile(0.95), 4.75, "instance A");
        close(slow.quantile(0.95), 487.5, "instance B");
        let averaged = (fast.quantile(0.95).unwrap() + slow.quantile(0.95).unwrap()) / 2.0;

        let mut fleet = fast.clone();
        fleet.merge(&slow).expect("same bounds: mergeable");
        assert_eq!(fleet.count(), 200);
        close(
            fleet.mean(),
            201.5,
            "merge adds the sums too: the fleet's mean covers all 200 samples",
        );
        close(
            fleet.quantile(0.95),
            475.0,
            "rank 190 of 200 is the 90th of the 100 slow samples in 250..500",
        );
        assert!(
            (averaged - 475.0).abs() > 200.0,
            "the average of the p95s ({averaged}) says nothing about the fleet's p95"
        );
    }

    #[test]
    fn merge_requires_same_bounds() {
        let mut a = Histogram::new(&[1.0, 2.0]);
        let b = Histogram::new(&[1.0, 5.0]);
        assert!(
            a.merge(&b).is_err(),
            "buckets with different bounds cannot be added"
        );
        assert_eq!(a.count(), 0, "a failed merge changes nothing");
    }
}
