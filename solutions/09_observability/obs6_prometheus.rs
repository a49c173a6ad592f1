// Scenario: Prometheus scrapes our `/metrics` endpoint every 15 s, and the scrape fails with
// "expected label value, got INVALID": a route label contained a quote. Our hand-rolled
// histogram also reported per-bucket counts, while Prometheus expects *cumulative* ones,
// so every latency dashboard was wrong.
//
// Done means: `render` writes the text exposition format
// (https://prometheus.io/docs/instrumenting/exposition_formats/):
//
//   # HELP http_requests_total Requests handled.
//   # TYPE http_requests_total counter
//   http_requests_total{method="GET",status="200"} 3
//   # HELP http_request_duration_seconds Request latency.
//   # TYPE http_request_duration_seconds histogram
//   http_request_duration_seconds_bucket{route="/orders",le="0.1"} 2
//   http_request_duration_seconds_bucket{route="/orders",le="+Inf"} 3
//   http_request_duration_seconds_sum{route="/orders"} 0.75
//   http_request_duration_seconds_count{route="/orders"} 3
//
// - one HELP and one TYPE line per metric family, then its series, sorted by label values
//   (BTreeMap order), so the output is deterministic;
// - labels in declaration order, values escaped: `\` -> `\\`, `"` -> `\"`, newline -> `\n`,
//   every other character as it is (these are the format's own rules, not Rust's `{:?}`);
//   a series without labels has no braces at all;
// - HELP text escaped the same way, except that quotes stay as they are: `\` -> `\\`,
//   newline -> `\n` (a raw newline would end the comment line);
// - histogram buckets are cumulative, end with `le="+Inf"` (equal to `_count`), and the
//   `le` label comes after the series' own labels. Numbers use Rust's `{}` formatting.

use std::collections::BTreeMap;
use std::fmt::Write;

pub struct Counter {
    pub name: String,
    pub help: String,
    pub label_names: Vec<String>,
    /// label values (in label_names order) -> value
    pub series: BTreeMap<Vec<String>, u64>,
}

pub struct HistogramSeries {
    /// Per-bucket counts (NOT cumulative), one per bound, plus +Inf at the end.
    pub counts: Vec<u64>,
    pub sum: f64,
}

pub struct Histogram {
    pub name: String,
    pub help: String,
    pub label_names: Vec<String>,
    pub bounds: Vec<f64>,
    pub series: BTreeMap<Vec<String>, HistogramSeries>,
}

/// Provided: recording.
impl Counter {
    pub fn new(name: &str, help: &str, label_names: &[&str]) -> Counter {
        Counter {
            name: name.into(),
            help: help.into(),
            label_names: label_names.iter().map(|s| s.to_string()).collect(),
            series: BTreeMap::new(),
        }
    }

    pub fn inc(&mut self, label_values: &[&str]) {
        assert_eq!(label_values.len(), self.label_names.len());
        let key = label_values.iter().map(|s| s.to_string()).collect();
        *self.series.entry(key).or_insert(0) += 1;
    }
}

/// Provided: recording.
impl Histogram {
    pub fn new(name: &str, help: &str, label_names: &[&str], bounds: &[f64]) -> Histogram {
        Histogram {
            name: name.into(),
            help: help.into(),
            label_names: label_names.iter().map(|s| s.to_string()).collect(),
            bounds: bounds.to_vec(),
            series: BTreeMap::new(),
        }
    }

    pub fn observe(&mut self, label_values: &[&str], value: f64) {
        assert_eq!(label_values.len(), self.label_names.len());
        let key = label_values.iter().map(|s| s.to_string()).collect();
        let slots = self.bounds.len() + 1;
        let series = self.series.entry(key).or_insert_with(|| HistogramSeries {
            counts: vec![0; slots],
            sum: 0.0,
        });
        let i = self
            .bounds
            .iter()
            .position(|&b| value <= b)
            .unwrap_or(self.bounds.len());
        series.counts[i] += 1;
        series.sum += value;
    }
}

/// Escapes a label value for the text format.
pub fn escape_label_value(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Escapes HELP text: only the backslash and the newline (quotes are fine in a comment).
pub fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

/// `{a="1",b="2"}`, or "" when there are no labels.
pub fn format_labels(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}=\"{}\"", escape_label_value(value)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

fn label_pairs<'a>(names: &'a [String], values: &'a [String]) -> Vec<(&'a str, &'a str)> {
    names
        .iter()
        .map(String::as_str)
        .zip(values.iter().map(String::as_str))
        .collect()
}

pub fn render(counters: &[Counter], histograms: &[Histogram]) -> String {
    let mut out = String::new();
    for c in counters {
        let _ = writeln!(out, "# HELP {} {}", c.name, escape_help(&c.help));
        let _ = writeln!(out, "# TYPE {} counter", c.name);
        for (values, value) in &c.series {
            let labels = format_labels(&label_pairs(&c.label_names, values));
            let _ = writeln!(out, "{}{labels} {value}", c.name);
        }
    }
    for h in histograms {
        let _ = writeln!(out, "# HELP {} {}", h.name, escape_help(&h.help));
        let _ = writeln!(out, "# TYPE {} histogram", h.name);
        for (values, series) in &h.series {
            let pairs = label_pairs(&h.label_names, values);
            let mut cumulative = 0;
            for (i, count) in series.counts.iter().enumerate() {
                cumulative += count;
                let le = h
                    .bounds
                    .get(i)
                    .map_or_else(|| "+Inf".to_string(), |b| b.to_string());
                let mut with_le = pairs.clone();
                with_le.push(("le", &le));
                let labels = format_labels(&with_le);
                let _ = writeln!(out, "{}_bucket{labels} {cumulative}", h.name);
            }
            let labels = format_labels(&pairs);
            let _ = writeln!(out, "{}_sum{labels} {}", h.name, series.sum);
            let _ = writeln!(out, "{}_count{labels} {cumulative}", h.name);
        }
    }
    out
}

fn main() {
    let mut requests = Counter::new("http_requests_total", "Requests handled.", &["method"]);
    requests.inc(&["GET"]);
    print!("{}", render(&[requests], &[]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_label_value("/orders"), "/orders");
        assert_eq!(escape_label_value(r#"say "hi""#), r#"say \"hi\""#);
        assert_eq!(
            escape_label_value("a\\b"),
            "a\\\\b",
            "a backslash becomes two"
        );
        assert_eq!(
            escape_label_value("line1\nline2"),
            "line1\\nline2",
            "a raw newline would end the sample line"
        );
        assert_eq!(
            format_labels(&[("route", "/a\"b"), ("code", "200")]),
            r#"{route="/a\"b",code="200"}"#
        );
        assert_eq!(format_labels(&[]), "", "no labels, no braces");
        assert_eq!(
            escape_label_value("tab\there, it's café ✓"),
            "tab\there, it's café ✓",
            "only \\, \" and newline are escaped: a tab, an apostrophe or a non-ASCII \
             character stays as it is (Rust's {{:?}} would write \\t, which Prometheus rejects)"
        );
        assert_eq!(
            escape_label_value("C:\\new\n\"q\""),
            "C:\\\\new\\n\\\"q\\\"",
            "backslash first, then newline and quote"
        );
    }
    /// The text format's escaping of a label value, one character at a time.
    fn escaped_by_the_format(value: &str) -> String {
        let mut out = String::new();
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                other => out.push(other),
            }
        }
        out
    }

    #[test]
    fn labels_and_samples_escape_by_the_format_not_by_rust() {
        assert_eq!(
            format_labels(&[("route", "a\tb")]),
            "{route=\"a\tb\"}",
            "a tab stays a tab in the label set (Rust's {{:?}} writes \\t, which the format \
             does not define)"
        );
        let mut c = Counter::new("hits_total", "Hits.", &["route"]);
        c.inc(&["x\ry"]);
        c.inc(&["\u{7f}"]);
        let text = render(&[c], &[]);
        for value in ["x\ry", "\u{7f}"] {
            assert!(
                text.contains(&format!("hits_total{{route=\"{value}\"}} 1\n")),
                "{value:?} goes out as it is: only \\, \" and newline are escaped; got:\n{text}"
            );
        }
        // Seeded random values over the characters that matter: the label set is each value
        // escaped by the format's three rules and nothing else.
        let alphabet: Vec<char> = "ab/\\\"\n\t\r\u{1b}\u{7f} é✓{}=,'".chars().collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        for _ in 0..500 {
            let route: String = (0..next(8))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let code: String = (0..next(4))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            assert_eq!(
                format_labels(&[("route", &route), ("code", &code)]),
                format!(
                    "{{route=\"{}\",code=\"{}\"}}",
                    escaped_by_the_format(&route),
                    escaped_by_the_format(&code)
                ),
                "labels route={route:?}, code={code:?}"
            );
        }
    }

    #[test]
    fn help_text_is_escaped_too() {
        assert_eq!(
            escape_help("Bytes read from C:\\data.\nSecond line, \"quoted\"."),
            "Bytes read from C:\\\\data.\\nSecond line, \"quoted\".",
            "in HELP text only the backslash and the newline are escaped"
        );
        assert_eq!(escape_help("tab\tok ✓"), "tab\tok ✓");
        let mut c = Counter::new("reads_total", "Reads from C:\\data.\nPer disk.", &[]);
        c.inc(&[]);
        let mut h = Histogram::new("lag_seconds", "Lag \\ delay\n\"p\".", &[], &[1.0]);
        h.observe(&[], 0.5);
        assert_eq!(
            render(&[c], &[h]),
            "# HELP reads_total Reads from C:\\\\data.\\nPer disk.\n\
             # TYPE reads_total counter\n\
             reads_total 1\n\
             # HELP lag_seconds Lag \\\\ delay\\n\"p\".\n\
             # TYPE lag_seconds histogram\n\
             lag_seconds_bucket{le=\"1\"} 1\n\
             lag_seconds_bucket{le=\"+Inf\"} 1\n\
             lag_seconds_sum 0.5\n\
             lag_seconds_count 1\n",
            "a raw newline in HELP text would end the comment and make its rest a broken sample"
        );
    }

    #[test]
    fn a_sample_on_a_bound_counts_in_that_bucket() {
        let mut h = Histogram::new("d", "D.", &["r"], &[0.1, 0.5, 1.0]);
        for v in [0.1, 0.5, 0.5, 1.0] {
            h.observe(&["x"], v);
        }
        assert_eq!(
            h.series[&vec!["x".to_string()]].counts,
            vec![1, 2, 1, 0],
            "le means less or equal: 0.5 belongs to the le=\"0.5\" bucket"
        );
    }

    #[test]
    #[should_panic]
    fn a_counter_refuses_the_wrong_number_of_label_values() {
        let mut c = Counter::new("http_requests_total", "Requests.", &["method", "status"]);
        c.inc(&["GET"]);
    }

    #[test]
    #[should_panic]
    fn a_histogram_refuses_the_wrong_number_of_label_values() {
        let mut h = Histogram::new("d", "D.", &["route"], &[1.0]);
        h.observe(&["/a", "extra"], 0.5);
    }

    #[test]
    fn counters() {
        let mut c = Counter::new(
            "http_requests_total",
            "Requests handled.",
            &["method", "status"],
        );
        c.inc(&["POST", "500"]);
        for _ in 0..3 {
            c.inc(&["GET", "200"]);
        }
        let mut up = Counter::new("process_restarts_total", "Restarts.", &[]);
        up.inc(&[]);
        assert_eq!(
            render(&[c, up], &[]),
            "# HELP http_requests_total Requests handled.\n\
             # TYPE http_requests_total counter\n\
             http_requests_total{method=\"GET\",status=\"200\"} 3\n\
             http_requests_total{method=\"POST\",status=\"500\"} 1\n\
             # HELP process_restarts_total Restarts.\n\
             # TYPE process_restarts_total counter\n\
             process_restarts_total 1\n",
            "HELP and TYPE once per family, series sorted by label values, no braces without labels"
        );
    }

    #[test]
    fn histograms_are_cumulative() {
        let mut h = Histogram::new(
            "http_request_duration_seconds",
            "Request latency.",
            &["route"],
            &[0.1, 0.5, 1.0],
        );
        for v in [0.05, 0.25, 0.0625, 2.5] {
            h.observe(&["/orders"], v);
        }
        h.observe(&["/health"], 0.001);
        let text = render(&[], &[h]);
        let expected = "\
# HELP http_request_duration_seconds Request latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{route=\"/health\",le=\"0.1\"} 1
http_request_duration_seconds_bucket{route=\"/health\",le=\"0.5\"} 1
http_request_duration_seconds_bucket{route=\"/health\",le=\"1\"} 1
http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"} 1
http_request_duration_seconds_sum{route=\"/health\"} 0.001
http_request_duration_seconds_count{route=\"/health\"} 1
http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.1\"} 2
http_request_duration_seconds_bucket{route=\"/orders\",le=\"0.5\"} 3
http_request_duration_seconds_bucket{route=\"/orders\",le=\"1\"} 3
http_request_duration_seconds_bucket{route=\"/orders\",le=\"+Inf\"} 4
http_request_duration_seconds_sum{route=\"/orders\"} 2.8625
http_request_duration_seconds_count{route=\"/orders\"} 4
";
        assert_eq!(
            text, expected,
            "bucket le=X counts every sample <= X (cumulative), +Inf equals _count, \
             `le` is the last label, _sum and _count carry the series' labels only"
        );
    }

    #[test]
    fn hostile_label_values_keep_the_output_parseable() {
        let mut c = Counter::new("errors_total", "Errors.", &["route"]);
        c.inc(&["/search?q=\"x\"\nDROP"]);
        let text = render(&[c], &[]);
        assert_eq!(
            text.lines().count(),
            3,
            "HELP, TYPE and exactly one sample line; got:\n{text}"
        );
        assert!(
            text.contains(r#"errors_total{route="/search?q=\"x\"\nDROP"} 1"#),
            "got:\n{text}"
        );
    }
}
