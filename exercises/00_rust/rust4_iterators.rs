// Rust for Python developers 4: iterators and closures instead of comprehensions.
// The Rust Book, chapter 13 (https://doc.rust-lang.org/book/ch13-00-functional-features.html).
//
// Scenario: after an incident we summarize the service's access log: which requests failed on
// our side, which paths were slow, how long requests took on average. A log line reads
// `GET /orders 200 35` (method, path, status, milliseconds); blank lines are skipped.
//
// The Python you know:
//
//     entries = [parse(l) for l in text.splitlines() if l.strip()]   # the first bad line raises
//     errors = [e for e in entries if e.status >= 500]
//     slow = sorted({e.path for e in entries if e.millis > threshold})
//     avg = sum(e.millis for e in entries) // len(entries)             # ZeroDivisionError if empty
//
// In Rust a chain of iterator adapters does the same, lazily, and `collect` builds the result:
//
//     let errors: Vec<&Entry> = entries.iter().filter(|e| e.status >= 500).collect();
//     //  `iter()` lends the items (`&Entry`): the answer borrows from `entries`, no copies.
//     //  `|e| ...` is a closure (Python's lambda); it may use variables around it (`threshold`).
//     let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
//
// `collect` can also build a `Result`: collecting an iterator of `Result<T, E>` into
// `Result<Vec<T>, E>` stops at the first `Err` and returns it (the comprehension that raises),
// otherwise `Ok` with all the values. `enumerate()` numbers the items (Python's `enumerate`,
// from 0), `sum()`, `max()`, `sort()` and `dedup()` do what their names say.
//
// Done means: the four functions after `parse_line` follow their comments. `parse_line` is done.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub millis: u32,
}

#[derive(Debug, PartialEq, Eq)]
pub struct BadLine {
    /// The line's number in the log, counting from 1, blank lines included (as an editor does).
    pub number: usize,
}

/// Provided: one log line, `METHOD PATH STATUS MILLIS`, or None.
pub fn parse_line(line: &str) -> Option<Entry> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let [method, path, status, millis] = words[..] else {
        return None;
    };
    Some(Entry {
        method: method.to_string(),
        path: path.to_string(),
        status: status.parse().ok()?,
        millis: millis.parse().ok()?,
    })
}

/// Every entry of the log, in order, skipping blank lines (empty or only whitespace). The first
/// line that does not parse makes the whole log an error, naming that line.
pub fn parse_log(text: &str) -> Result<Vec<Entry>, BadLine> {
    // TODO: `text.lines()`, numbered, without the blank ones, each parsed into a
    // `Result<Entry, BadLine>`, collected into one `Result<Vec<Entry>, BadLine>`. Number the
    // lines before you drop the blank ones, or the numbers shift.
    let _ = text;
    todo!()
}

/// The requests that failed on our side (5xx), in log order, borrowed from `entries`.
pub fn server_errors(entries: &[Entry]) -> Vec<&Entry> {
    // TODO: `entries.iter().filter(...).collect()`
    let _ = entries;
    todo!()
}

/// The paths of requests that took strictly longer than `threshold_ms`: sorted, each once.
pub fn slow_paths(entries: &[Entry], threshold_ms: u32) -> Vec<&str> {
    // TODO: filter, map to `e.path.as_str()`, collect, then sort and remove the duplicates.
    let _ = (entries, threshold_ms);
    todo!()
}

/// The mean duration in whole milliseconds (rounded down), or None for an empty log. Adding up
/// `u32`s can overflow a `u32`: add in `u64`.
pub fn average_millis(entries: &[Entry]) -> Option<u32> {
    // TODO: `entries.iter().map(|e| u64::from(e.millis)).sum::<u64>()`, divided by the count.
    let _ = entries;
    todo!()
}

fn main() {
    let log = "GET /orders 200 35\nPOST /orders 503 1200\n\nGET /health 200 1\n";
    match parse_log(log) {
        Ok(entries) => {
            println!("5xx: {:?}", server_errors(&entries));
            println!("slow: {:?}", slow_paths(&entries, 500));
            println!("average: {:?} ms", average_millis(&entries));
        }
        Err(bad) => println!("line {} is not a log line", bad.number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(method: &str, path: &str, status: u16, millis: u32) -> Entry {
        Entry {
            method: method.to_string(),
            path: path.to_string(),
            status,
            millis,
        }
    }

    #[test]
    fn parses_every_line_in_order_and_skips_blank_ones() {
        let log = "GET /orders 200 35\n\n  \nPOST /orders 503 1200\r\n\tGET /health 200 1\n";
        assert_eq!(
            parse_log(log),
            Ok(vec![
                entry("GET", "/orders", 200, 35),
                entry("POST", "/orders", 503, 1200),
                entry("GET", "/health", 200, 1),
            ])
        );
        assert_eq!(parse_log(""), Ok(Vec::new()));
        assert_eq!(parse_log("\n \n"), Ok(Vec::new()));
    }

    #[test]
    fn a_bad_line_fails_the_whole_log_and_is_named() {
        let log = "GET /a 200 1\n\nGET /b 200 x\nGET /c oops\n";
        assert_eq!(
            parse_log(log),
            Err(BadLine { number: 3 }),
            "line 3 is the first bad one (lines count from 1, the blank line 2 included)"
        );
        assert_eq!(parse_log("nonsense"), Err(BadLine { number: 1 }));
        assert_eq!(
            parse_log("GET /a 200 1\nGET /b 200 2 extra"),
            Err(BadLine { number: 2 }),
            "a bad line is never skipped"
        );
    }

    #[test]
    fn server_errors_are_the_5xx_ones_borrowed_in_order() {
        let entries = vec![
            entry("GET", "/a", 500, 1),
            entry("GET", "/b", 404, 1),
            entry("GET", "/c", 599, 1),
            entry("GET", "/d", 499, 1),
            entry("GET", "/e", 600, 1),
            entry("GET", "/f", 503, 1),
        ];
        let errors = server_errors(&entries);
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/a", "/c", "/f"], "500 to 599, in log order");
        assert!(
            std::ptr::eq(errors[0], &entries[0]),
            "borrowed from `entries`, not copies"
        );
        assert!(server_errors(&[]).is_empty());
    }

    #[test]
    fn slow_paths_are_sorted_and_unique() {
        let entries = vec![
            entry("GET", "/search", 200, 900),
            entry("GET", "/health", 200, 500),
            entry("POST", "/orders", 201, 501),
            entry("GET", "/search", 200, 2000),
            entry("GET", "/export", 200, 7000),
            entry("GET", "/orders", 200, 3),
        ];
        assert_eq!(
            slow_paths(&entries, 500),
            ["/export", "/orders", "/search"],
            "strictly above the threshold (500 ms is not slow), sorted, each path once"
        );
        assert_eq!(slow_paths(&entries, 7000), Vec::<&str>::new());
        assert_eq!(
            slow_paths(&entries, 0),
            ["/export", "/health", "/orders", "/search"]
        );
    }

    #[test]
    fn average_rounds_down_and_has_no_answer_for_an_empty_log() {
        assert_eq!(average_millis(&[]), None, "no requests, no average");
        let entries = vec![
            entry("GET", "/a", 200, 10),
            entry("GET", "/b", 200, 20),
            entry("GET", "/c", 200, 32),
        ];
        assert_eq!(average_millis(&entries), Some(20), "62 / 3 rounds down");
        assert_eq!(average_millis(&entries[2..]), Some(32));
    }

    #[test]
    fn average_does_not_overflow() {
        let big = u32::MAX - 1;
        let entries = vec![entry("GET", "/a", 200, big), entry("GET", "/b", 200, big)];
        assert_eq!(average_millis(&entries), Some(big));
    }
}
