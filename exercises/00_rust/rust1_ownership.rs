// Rust for Python developers 1: ownership and borrowing.
// The Rust Book, chapter 4 (https://doc.rust-lang.org/book/ch04-00-understanding-ownership.html)
// and, for the `'a` in `header`, chapter 10.3 (lifetimes in function signatures).
//
// Scenario: our service sends webhooks. Each one is built from a shared list of default headers,
// queued in an `Outbox`, and a background loop drains the outbox and sends what it got.
//
// In Python every name is a reference to one shared object, and whoever holds it may change it:
//
//     DEFAULTS = [("User-Agent", "hooks/1.0")]
//     def build(url, event):
//         headers = DEFAULTS                # not a copy: the same list
//         headers.append(("X-Event", event))  # so every later webhook carries this event too
//         return Webhook(url, headers)
//
//     def drain(self):
//         return self.queue                 # the caller and the outbox now share one list:
//                                           # nothing was removed, the next drain resends it all
//
// Rust says in each signature who owns what, and the compiler holds everyone to it:
//
//     fn push(&mut self, hook: Webhook)     // takes ownership: the caller's `hook` is *moved*
//                                           // and cannot be used after the call
//     fn build(defaults: &[(String, String)], ...)  // `&`: a shared borrow, read-only
//     fn set_header(headers: &mut Vec<...>, ...)    // `&mut`: changes the caller's value in place
//
// `.clone()` is Python's `copy.deepcopy`: explicit, and you only pay for it where you write it.
// Changing a clone never changes the original; that is the bug to avoid with `&mut`.
// `std::mem::take(&mut v)` moves the value out of `v` and leaves an empty one behind (Python:
// `batch, self.queue = self.queue, []`).
//
// Done means: the four TODOs below do what their comments say, and `main` compiles: it uses a
// webhook after giving it away (read the compiler's error E0382, then print before pushing).

/// One outgoing webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Sets header `name` to `value` in the caller's list, in place: an existing header of that
/// name (compared case-insensitively) keeps its position and its spelling and gets the new value;
/// otherwise the header is appended. Only the first header of that name is changed.
pub fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    // TODO: `headers.iter_mut()` gives `&mut (String, String)` items you can assign through
    // (`*value = ...`). Changing a `headers.clone()` would change nothing the caller sees.
    let _ = (headers, name, value);
    todo!()
}

/// The value of the first header named `name` (any case), borrowed from `headers`: no copy is
/// made. The `'a` says: the answer lives as long as `headers` does (it points into it).
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    // TODO: find the pair and return `Some(value.as_str())`: a `&str` pointing into `headers`.
    let _ = (headers, name);
    todo!()
}

/// Builds the webhook for `event`: a copy of the defaults (which stay as they were), then
/// `X-Event: <event>` set with `set_header` (so a default X-Event is replaced, not repeated).
/// The body is the event name.
pub fn build(defaults: &[(String, String)], url: &str, event: &str) -> Webhook {
    // TODO: `defaults` is borrowed read-only: make your own copy (`to_vec()`), change that.
    let _ = (defaults, url, event);
    todo!()
}

/// Webhooks waiting to be sent, oldest first.
#[derive(Debug, Default)]
pub struct Outbox {
    queue: Vec<Webhook>,
}

impl Outbox {
    /// Takes ownership of `hook`: the outbox keeps it until it is drained.
    pub fn push(&mut self, hook: Webhook) {
        self.queue.push(hook);
    }

    /// Hands every queued webhook to the caller, oldest first, and leaves the outbox empty: a
    /// webhook is handed out once, never twice.
    pub fn drain(&mut self) -> Vec<Webhook> {
        // TODO: return the queued webhooks and leave `self.queue` empty. Returning
        // `self.queue.clone()` compiles, and sends every webhook again on the next drain.
        todo!()
    }

    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}

fn main() {
    let defaults = vec![("User-Agent".to_string(), "hooks/1.0".to_string())];
    let mut outbox = Outbox::default();
    let hook = build(&defaults, "https://example.com/hooks", "order.paid");
    outbox.push(hook);
    // TODO: this line does not compile: `push` took ownership of `hook` (it was *moved* into
    // the outbox). Read the compiler's error, then print before the push.
    println!("queued {} for {}", hook.body, hook.url);
    println!("{} waiting; defaults still {defaults:?}", outbox.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn set_header_changes_the_callers_list_in_place() {
        let mut headers = pairs(&[("Content-Type", "text/plain"), ("X-Trace", "1")]);
        set_header(&mut headers, "content-type", "application/json");
        assert_eq!(
            headers,
            pairs(&[("Content-Type", "application/json"), ("X-Trace", "1")]),
            "the existing header (any case) gets the new value, keeps its place and its \
             spelling; the change is visible to the caller (a `&mut`, not a clone)"
        );
    }

    #[test]
    fn set_header_appends_a_new_header() {
        let mut headers = pairs(&[("Accept", "*/*")]);
        set_header(&mut headers, "X-Event", "order.paid");
        set_header(&mut headers, "X-Retry", "0");
        assert_eq!(
            headers,
            pairs(&[
                ("Accept", "*/*"),
                ("X-Event", "order.paid"),
                ("X-Retry", "0")
            ]),
            "a header that is not there yet is appended at the end"
        );
        let mut empty = Vec::new();
        set_header(&mut empty, "Host", "a");
        assert_eq!(empty, pairs(&[("Host", "a")]));
    }

    #[test]
    fn set_header_changes_only_the_first_of_repeated_headers() {
        let mut headers = pairs(&[("X-Tag", "a"), ("x-tag", "b")]);
        set_header(&mut headers, "X-TAG", "c");
        assert_eq!(headers, pairs(&[("X-Tag", "c"), ("x-tag", "b")]));
    }

    #[test]
    fn header_borrows_the_value() {
        let headers = pairs(&[("X-Trace", "abc"), ("Accept", "*/*"), ("accept", "x/y")]);
        let found = header(&headers, "ACCEPT");
        assert_eq!(found, Some("*/*"), "the first match, any case");
        assert!(
            std::ptr::eq(found.unwrap().as_ptr(), headers[1].1.as_ptr()),
            "the answer points into `headers`: a borrow, not a copy"
        );
        assert_eq!(header(&headers, "x-trace"), Some("abc"));
        assert_eq!(header(&headers, "Host"), None);
        assert_eq!(header(&[], "Host"), None);
    }

    #[test]
    fn build_copies_the_defaults_and_leaves_them_alone() {
        let defaults = pairs(&[("User-Agent", "hooks/1.0"), ("Accept", "*/*")]);
        let paid = build(&defaults, "https://a.example/hooks", "order.paid");
        let shipped = build(&defaults, "https://b.example/hooks", "order.shipped");
        assert_eq!(
            defaults,
            pairs(&[("User-Agent", "hooks/1.0"), ("Accept", "*/*")]),
            "the shared defaults are unchanged"
        );
        assert_eq!(
            paid,
            Webhook {
                url: "https://a.example/hooks".to_string(),
                headers: pairs(&[
                    ("User-Agent", "hooks/1.0"),
                    ("Accept", "*/*"),
                    ("X-Event", "order.paid")
                ]),
                body: "order.paid".to_string(),
            }
        );
        assert_eq!(
            shipped.headers,
            pairs(&[
                ("User-Agent", "hooks/1.0"),
                ("Accept", "*/*"),
                ("X-Event", "order.shipped")
            ]),
            "the second webhook does not carry the first one's event"
        );
    }

    #[test]
    fn build_replaces_a_default_event_header() {
        let defaults = pairs(&[("x-event", "unknown"), ("Accept", "*/*")]);
        let hook = build(&defaults, "https://a.example/hooks", "user.created");
        assert_eq!(
            hook.headers,
            pairs(&[("x-event", "user.created"), ("Accept", "*/*")]),
            "set with `set_header`: one X-Event header, never two"
        );
        assert_eq!(defaults[0].1, "unknown");
    }

    #[test]
    fn drain_hands_out_each_webhook_once_oldest_first() {
        let mut outbox = Outbox::default();
        assert!(outbox.is_empty());
        for event in ["a", "b", "c"] {
            outbox.push(build(&[], "https://x.example", event));
        }
        assert_eq!(outbox.len(), 3);
        assert!(!outbox.is_empty());
        let sent: Vec<String> = outbox.drain().into_iter().map(|h| h.body).collect();
        assert_eq!(sent, ["a", "b", "c"], "oldest first");
        assert_eq!(outbox.len(), 0, "drained: nothing is left to send twice");
        assert!(outbox.is_empty());
        assert_eq!(outbox.drain(), Vec::new(), "a second drain sends nothing");
        outbox.push(build(&[], "https://x.example", "d"));
        let again: Vec<String> = outbox.drain().into_iter().map(|h| h.body).collect();
        assert_eq!(again, ["d"], "the outbox keeps working after a drain");
    }
}
