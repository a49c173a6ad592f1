// Provided: a tiny metrics registry with one counter family and one histogram family.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Latency bucket bounds, in seconds.
pub const BOUNDS_SECONDS: [f64; 4] = [0.05, 0.1, 0.5, 1.0];

#[derive(Default)]
pub struct Metrics {
    /// (route, status) -> count
    requests: BTreeMap<(String, u16), u64>,
    /// route -> (per-bucket counts with +Inf last, sum of seconds)
    durations: BTreeMap<String, (Vec<u64>, f64)>,
}

impl Metrics {
    pub fn record(&mut self, route: &str, status: u16, seconds: f64) {
        *self
            .requests
            .entry((route.to_string(), status))
            .or_insert(0) += 1;
        let (counts, sum) = self
            .durations
            .entry(route.to_string())
            .or_insert_with(|| (vec![0; BOUNDS_SECONDS.len() + 1], 0.0));
        let i = BOUNDS_SECONDS
            .iter()
            .position(|&b| seconds <= b)
            .unwrap_or(BOUNDS_SECONDS.len());
        counts[i] += 1;
        *sum += seconds;
    }

    pub fn requests(&self, route: &str, status: u16) -> u64 {
        self.requests
            .get(&(route.to_string(), status))
            .copied()
            .unwrap_or(0)
    }

    /// How many distinct label sets exist (each one is a time series Prometheus stores).
    pub fn series_count(&self) -> usize {
        self.requests.len() + self.durations.len()
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP http_requests_total Requests handled.\n");
        out.push_str("# TYPE http_requests_total counter\n");
        for ((route, status), n) in &self.requests {
            let _ = writeln!(
                out,
                "http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP http_request_duration_seconds Request latency.\n");
        out.push_str("# TYPE http_request_duration_seconds histogram\n");
        for (route, (counts, sum)) in &self.durations {
            let mut cumulative = 0;
            for (i, c) in counts.iter().enumerate() {
                cumulative += c;
                let le = BOUNDS_SECONDS
                    .get(i)
                    .map_or_else(|| "+Inf".to_string(), |b| b.to_string());
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{route=\"{route}\"}} {sum}"
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{route=\"{route}\"}} {cumulative}"
            );
        }
        out
    }
}
