// Scenario: a customer reports "checkout failed at 14:02". The API gateway's log has an
// error, the inventory service's log has an error, but nothing ties the two together, and
// the customer's support ticket has no reference to search for.
//
// The fix is a request id: take the caller's `X-Request-Id` (the gateway sets one) or make
// one up, attach it to every log line, send it along on every downstream call, and return
// it in the response so the customer (and support) can quote it.
//
// Done means: `request_id_from` reuses a well-formed incoming id (any header case) and
// otherwise asks the injected `IdGenerator` (never a random or time-based value: tests must
// be deterministic); `handle` puts that id into its logs, into the headers of the
// inventory call, and into the response, including error responses.

use serde_json::{Value, json};

pub const REQUEST_ID: &str = "X-Request-Id";

pub trait IdGenerator {
    fn next_id(&mut self) -> String;
}

/// Provided: "req-1", "req-2", ... In production this would be a UUID generator.
pub struct SequentialIds(pub u64);

impl IdGenerator for SequentialIds {
    fn next_id(&mut self) -> String {
        self.0 += 1;
        format!("req-{}", self.0)
    }
}

pub type Headers = Vec<(String, String)>;

pub struct Request {
    pub path: String,
    pub headers: Headers,
}

pub struct Response {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

/// Travels with the request through every layer.
pub struct RequestContext {
    pub request_id: String,
    pub logs: Vec<Value>,
}

impl RequestContext {
    /// Provided: every log line carries the request id.
    pub fn log(&mut self, msg: &str) {
        self.logs
            .push(json!({"request_id": self.request_id, "msg": msg}));
    }
}

/// The downstream inventory service (a fake in the tests).
pub trait Inventory {
    fn stock(&mut self, sku: &str, headers: &Headers) -> u32;
}

/// An incoming id is reused only if it is 1..=64 characters of A-Z a-z 0-9 '-' '_' '.'
/// (anything else could be a log-injection attempt or a 10 MB header).
pub fn request_id_from(headers: &Headers, ids: &mut dyn IdGenerator) -> String {
    let incoming = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(REQUEST_ID))
        .map(|(_, value)| value.as_str());
    match incoming {
        Some(id) if is_valid_id(id) => id.to_string(),
        _ => ids.next_id(),
    }
}

fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// GET /stock/<sku> -> 200 {"sku": ..., "stock": n}; anything else -> 404.
pub fn handle(
    req: &Request,
    ids: &mut dyn IdGenerator,
    inventory: &mut dyn Inventory,
) -> (Response, RequestContext) {
    let mut ctx = RequestContext {
        request_id: request_id_from(&req.headers, ids),
        logs: Vec::new(),
    };
    ctx.log("request started");
    let (status, body) = match req.path.strip_prefix("/stock/") {
        Some(sku) if !sku.is_empty() => {
            let outgoing = vec![(REQUEST_ID.to_string(), ctx.request_id.clone())];
            let stock = inventory.stock(sku, &outgoing);
            ctx.log("inventory answered");
            (200, json!({"sku": sku, "stock": stock}).to_string())
        }
        _ => (404, json!({"error": "not found"}).to_string()),
    };
    ctx.log("request finished");
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        (REQUEST_ID.to_string(), ctx.request_id.clone()),
    ];
    (
        Response {
            status,
            headers,
            body,
        },
        ctx,
    )
}

fn main() {
    struct Fixed;
    impl Inventory for Fixed {
        fn stock(&mut self, _sku: &str, _headers: &Headers) -> u32 {
            3
        }
    }
    let req = Request {
        path: "/stock/tea".into(),
        headers: vec![],
    };
    let (resp, ctx) = handle(&req, &mut SequentialIds(0), &mut Fixed);
    println!("{} {:?} {}", resp.status, resp.headers, resp.body);
    println!("{:?}", ctx.logs);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the headers of every call, like a mock HTTP server would.
    #[derive(Default)]
    struct RecordingInventory {
        calls: Vec<(String, Headers)>,
    }

    impl Inventory for RecordingInventory {
        fn stock(&mut self, sku: &str, headers: &Headers) -> u32 {
            self.calls.push((sku.to_string(), headers.clone()));
            7
        }
    }

    fn request(path: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            path: path.into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn reuses_a_valid_incoming_id() {
        let mut ids = SequentialIds(0);
        let headers = request("/", &[("x-request-id", "gw-7f3a.01_b")]).headers;
        assert_eq!(
            request_id_from(&headers, &mut ids),
            "gw-7f3a.01_b",
            "the gateway's id (header names are case-insensitive) ties our logs to its logs"
        );
        assert_eq!(
            ids.next_id(),
            "req-1",
            "no id should have been generated when a valid one came in"
        );
    }

    #[test]
    fn generates_when_missing_or_invalid() {
        let mut ids = SequentialIds(0);
        assert_eq!(request_id_from(&Vec::new(), &mut ids), "req-1");
        let too_long = "a".repeat(65);
        for bad in ["", "abc\ndef", "has space", "<script>", too_long.as_str()] {
            let headers = request("/", &[("X-Request-Id", bad)]).headers;
            let id = request_id_from(&headers, &mut ids);
            assert!(
                id.starts_with("req-"),
                "{bad:?} is not an acceptable id: generate a fresh one (got {id:?})"
            );
        }
        assert_eq!(
            ids.next_id(),
            "req-7",
            "one generated id per rejected request"
        );
    }

    #[test]
    fn length_and_alphabet_edges() {
        let mut ids = SequentialIds(0);
        let longest = "a".repeat(64);
        for good in ["7", longest.as_str(), "A-z_0.9"] {
            let headers = request("/", &[("X-Request-Id", good)]).headers;
            assert_eq!(
                request_id_from(&headers, &mut ids),
                good,
                "{good:?} is 1..=64 characters of A-Z a-z 0-9 - _ . : reuse it"
            );
        }
        let too_long = "a".repeat(65);
        for bad in [
            too_long.as_str(),
            "ñ-1",
            "٣٣",
            "ｆｕｌｌ",
            "caf\u{e9}",
            "id\t1",
        ] {
            let headers = request("/", &[("X-Request-Id", bad)]).headers;
            assert_eq!(
                request_id_from(&headers, &mut SequentialIds(0)),
                "req-1",
                "{bad:?}: only ASCII letters and digits count (char::is_alphanumeric accepts \
                 any script), and at most 64 characters: generate a fresh id"
            );
        }
    }

    /// A tiny deterministic generator (xorshift), so the property test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn any_id_is_reused_exactly_when_it_follows_the_grammar() {
        const ALLOWED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        // Look-alikes: letters and digits of other scripts, full-width forms, whitespace,
        // quotes, separators, control characters (log injection), an emoji.
        const OTHERS: [char; 22] = [
            'ñ', 'é', 'ß', '٣', 'ｆ', '１', 'Ⅻ', ' ', '\t', '\n', '\r', '"', '\'', '<', '/', ':',
            ',', '=', '\u{0}', '\u{1b}', '\u{7f}', '😀',
        ];
        let mut rng = Rng(0x5245_5149_4421);
        let mut generated = 0;
        for _ in 0..3_000 {
            // Lengths cluster around the edges of 1..=64.
            let len = match rng.below(3) {
                0 => [0, 1, 2, 63, 64, 65][rng.below(6)],
                _ => rng.below(80),
            };
            let mut id: Vec<char> = (0..len)
                .map(|_| ALLOWED.as_bytes()[rng.below(ALLOWED.len())] as char)
                .collect();
            if len > 0 && rng.below(3) == 0 {
                let at = rng.below(len);
                id[at] = OTHERS[rng.below(OTHERS.len())];
            }
            let id: String = id.into_iter().collect();
            let valid = (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            let mut ids = SequentialIds(generated);
            let got = request_id_from(&request("/", &[("x-request-id", &id)]).headers, &mut ids);
            if valid {
                assert_eq!(got, id, "{id:?} is a valid id: reuse it");
                assert_eq!(ids.0, generated, "no id generated for the valid {id:?}");
            } else {
                generated += 1;
                assert_eq!(
                    got,
                    format!("req-{generated}"),
                    "{id:?} is not 1..=64 characters of A-Z a-z 0-9 - _ . : generate one"
                );
            }
        }
    }

    #[test]
    fn id_flows_through_logs_downstream_and_response() {
        let mut inventory = RecordingInventory::default();
        let req = request("/stock/tea", &[("X-Request-Id", "abc-123")]);
        let (resp, ctx) = handle(&req, &mut SequentialIds(0), &mut inventory);
        assert_eq!(resp.status, 200);
        assert_eq!(ctx.request_id, "abc-123");
        assert_eq!(
            header(&resp.headers, "x-request-id"),
            Some("abc-123"),
            "return the id, so the client can quote it in a support ticket"
        );
        assert_eq!(inventory.calls.len(), 1);
        assert_eq!(
            header(&inventory.calls[0].1, "X-Request-Id"),
            Some("abc-123"),
            "propagate the id on downstream calls, or the inventory logs cannot be correlated"
        );
        assert!(ctx.logs.len() >= 3);
        for line in &ctx.logs {
            assert_eq!(line["request_id"], "abc-123", "every log line: {line}");
        }
    }

    #[test]
    fn only_the_request_id_goes_downstream() {
        // The caller's credentials and cookies are for this service, never for the ones it
        // calls: forwarding every incoming header leaks them.
        let mut inventory = RecordingInventory::default();
        let req = request(
            "/stock/tea",
            &[
                ("Authorization", "Bearer user-token"),
                ("Cookie", "session=s3cret"),
                ("X-Request-Id", "abc-123"),
                ("Accept", "application/json"),
            ],
        );
        handle(&req, &mut SequentialIds(0), &mut inventory);
        assert_eq!(inventory.calls.len(), 1);
        assert_eq!(
            inventory.calls[0].1,
            vec![(REQUEST_ID.to_string(), "abc-123".to_string())],
            "the downstream call carries the request id and nothing of the caller's"
        );
    }

    #[test]
    fn generated_id_is_used_everywhere() {
        let mut inventory = RecordingInventory::default();
        let (resp, ctx) = handle(
            &request("/stock/mug", &[]),
            &mut SequentialIds(41),
            &mut inventory,
        );
        assert_eq!(ctx.request_id, "req-42");
        assert_eq!(header(&resp.headers, "X-Request-Id"), Some("req-42"));
        assert_eq!(
            header(&inventory.calls[0].1, "X-Request-Id"),
            Some("req-42"),
            "the SAME id everywhere: generate once, then pass it along"
        );
    }

    #[test]
    fn errors_carry_the_id_too() {
        let mut inventory = RecordingInventory::default();
        let (resp, _) = handle(
            &request("/nope", &[("X-Request-Id", "err-1")]),
            &mut SequentialIds(0),
            &mut inventory,
        );
        assert_eq!(resp.status, 404);
        assert_eq!(
            header(&resp.headers, "X-Request-Id"),
            Some("err-1"),
            "errors are exactly when people need the id"
        );
        assert!(inventory.calls.is_empty());

        let (resp, ctx) = handle(
            &request("/stock/", &[("X-Request-Id", "err-2")]),
            &mut SequentialIds(0),
            &mut inventory,
        );
        assert_eq!(resp.status, 404, "GET /stock/ names no sku: not found");
        assert!(
            inventory.calls.is_empty(),
            "no sku, no inventory call (it was asked for {:?})",
            inventory.calls
        );
        assert_eq!(header(&resp.headers, "X-Request-Id"), Some("err-2"));
        assert!(ctx.logs.iter().all(|l| l["request_id"] == "err-2"));
    }
}
