// Cursor (keyset) pagination over SQLite
//
// The activity feed `GET /events` uses `LIMIT/OFFSET`. Events arrive every second, so while a
// user reads page 1 new rows push everything down and page 2 repeats items from page 1; deep
// offsets also make SQLite walk and discard thousands of rows. Keyset pagination fixes both:
// the client sends back an opaque cursor naming the last row it saw, and we ask for rows
// strictly after it in the sort order (newest first: `created_at DESC, id DESC`; the id breaks
// ties between events with the same timestamp).
//
// The cursor is opaque: hex-encoded `v1:<created_at>:<id>`. Clients must not build or parse
// it, so we can change it later. (It is not signed; the security section shows how.)
//
// Done means: `decode_cursor` accepts exactly what `encode_cursor` produces, and `fetch_page`
// returns `limit` events after the cursor plus a `next` link when more rows exist.
//
// Not checked by the tests (they cannot see your SQL): that SQLite walks the `events_feed`
// index instead of sorting the table; `EXPLAIN QUERY PLAN` on your query shows it. They do
// check that a page never reads rows beyond the one after it, and that the order comes from
// your ORDER BY alone: they rebuild `events_feed` in other shapes, and an order SQLite was
// never asked for is then not the order you get. `limit` comes from the client: any u32 works.

use rusqlite::{Connection, params};

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub created_at: i64,
    pub title: String,
}

#[derive(Debug)]
pub struct CursorPage {
    pub events: Vec<Event>,
    /// `/events?limit=L&cursor=C` when there are more events, else None.
    pub next: Option<String>,
}

pub fn encode_cursor(created_at: i64, id: i64) -> String {
    format!("v1:{created_at}:{id}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Inverse of `encode_cursor`: accepts exactly the strings `encode_cursor` produces. Anything
/// else (bad or uppercase hex, another version, numbers written another way: `+5`, `05`,
/// `-0`, extra or missing fields) is an Err, so one position has exactly one cursor.
pub fn decode_cursor(cursor: &str) -> Result<(i64, i64), String> {
    // TODO: hex-decode (two characters per byte, u8::from_str_radix(.., 16)), check the
    // `v1:` prefix, split the rest on ':' and parse both numbers. Every failure is an Err, and
    // so is any string that `encode_cursor` would not write for the key you decoded.
    let _ = cursor;
    todo!()
}

pub fn setup(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, title TEXT NOT NULL);
         CREATE INDEX events_feed ON events (created_at DESC, id DESC);",
    )
}

/// Newest first. `cursor`: the value from a previous page's `next` link, if any.
pub fn fetch_page(
    conn: &Connection,
    limit: u32,
    cursor: Option<&str>,
) -> Result<CursorPage, String> {
    // TODO: decode the cursor (no cursor: start above every possible key), then SELECT rows
    // whose (created_at, id) comes after it in the DESC order, ORDER BY created_at DESC,
    // id DESC, LIMIT limit + 1 (in i64: u32::MAX + 1 does not fit a u32). The extra row says
    // whether there is a next page; the cursor in the next link is the last row you return.
    let _ = (conn, limit, cursor);
    todo!()
}

fn main() {
    let conn = Connection::open_in_memory().unwrap();
    setup(&conn).unwrap();
    for i in 1..=5 {
        conn.execute(
            "INSERT INTO events (created_at, title) VALUES (?1, ?2)",
            params![1000 + i, format!("event {i}")],
        )
        .unwrap();
    }
    let page = fetch_page(&conn, 2, None).unwrap();
    println!("{:?} next={:?}", page.events, page.next);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events 1..=n; several share a timestamp so the tie-break on id matters.
    fn feed(n: i64) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        for id in 1..=n {
            insert(&conn, id, 1000 + id / 3);
        }
        conn
    }

    fn insert(conn: &Connection, id: i64, created_at: i64) {
        conn.execute(
            "INSERT INTO events (id, created_at, title) VALUES (?1, ?2, ?3)",
            params![id, created_at, format!("event {id}")],
        )
        .unwrap();
    }

    fn ids(page: &CursorPage) -> Vec<i64> {
        page.events.iter().map(|e| e.id).collect()
    }

    fn cursor_of(next: &str) -> String {
        next.split_once("cursor=")
            .expect("next link has a cursor")
            .1
            .to_string()
    }

    #[test]
    fn cursor_round_trips() {
        let cursor = encode_cursor(1_700_000_000, 42);
        assert_eq!(decode_cursor(&cursor), Ok((1_700_000_000, 42)));
    }

    #[test]
    fn garbage_cursors_are_rejected() {
        let not_v1 = encode_cursor(1, 2).replacen("76", "77", 1); // "v1:" -> "w1:"
        for bad in [
            "",
            "zz",
            "abc",
            "not a cursor",
            "é0",
            &not_v1,
            "76313a313a78",
        ] {
            assert!(
                decode_cursor(bad).is_err(),
                "{bad:?} was not produced by encode_cursor: reject it (the handler answers 400)"
            );
        }
    }

    #[test]
    fn first_page_is_newest_first_with_next_link() {
        let conn = feed(10);
        let page = fetch_page(&conn, 4, None).unwrap();
        assert_eq!(ids(&page), vec![10, 9, 8, 7], "newest first");
        let next = page.next.expect("10 events, 4 shown: there is a next page");
        assert!(
            next.starts_with("/events?limit=4&cursor="),
            "the next link keeps the limit and carries the cursor, got {next}"
        );
    }

    #[test]
    fn walking_the_cursor_visits_every_event_once() {
        let conn = feed(10);
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10 {
            let page = fetch_page(&conn, 3, cursor.as_deref()).unwrap();
            seen.extend(ids(&page));
            match page.next {
                Some(next) => cursor = Some(cursor_of(&next)),
                None => break,
            }
        }
        assert_eq!(
            seen,
            (1..=10).rev().collect::<Vec<_>>(),
            "no duplicates and no gaps, even where timestamps tie (order by created_at, then id)"
        );
    }

    #[test]
    fn last_page_has_no_next() {
        let conn = feed(6);
        let page = fetch_page(&conn, 6, None).unwrap();
        assert_eq!(page.events.len(), 6);
        assert_eq!(
            page.next, None,
            "exactly `limit` rows left: no next page (fetch limit + 1 rows to know)"
        );
    }

    #[test]
    fn new_events_do_not_shift_the_next_page() {
        let conn = feed(10);
        let first = fetch_page(&conn, 4, None).unwrap();
        insert(&conn, 11, 2000);
        insert(&conn, 12, 2001);
        let second = fetch_page(&conn, 4, Some(&cursor_of(&first.next.unwrap()))).unwrap();
        assert_eq!(
            ids(&second),
            vec![6, 5, 4, 3],
            "with OFFSET 4 the new rows would push 7 and 8 onto page 2 again; a cursor does not move"
        );
    }

    #[test]
    fn order_comes_from_created_at_not_from_id() {
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        // Imported and backfilled events: ids do not follow time, and timestamps repeat.
        let created = [
            1005, 1001, 1009, 1001, 1003, 1009, 1000, 1007, 1003, 1002, 1009, 1004,
        ];
        for (id, &at) in (1..).zip(&created) {
            insert(&conn, id, at);
        }
        let mut newest_first: Vec<(i64, i64)> =
            (1..).zip(created).map(|(id, at)| (at, id)).collect();
        newest_first.sort_unstable_by(|a, b| b.cmp(a));
        let expected: Vec<i64> = newest_first.into_iter().map(|(_, id)| id).collect();

        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..created.len() {
            let page = fetch_page(&conn, 5, cursor.as_deref()).unwrap();
            seen.extend(ids(&page));
            match page.next {
                Some(next) => cursor = Some(cursor_of(&next)),
                None => break,
            }
        }
        assert_eq!(
            seen, expected,
            "the key is (created_at, id), in that order: the id only breaks ties"
        );
    }

    #[test]
    fn a_page_reads_only_the_rows_it_needs() {
        let conn = feed(10);
        // The oldest event's title is a blob, so reading it as text fails. A query that stops
        // after `limit + 1` rows never reaches it; loading the feed and slicing it in Rust does.
        conn.execute(
            "INSERT INTO events (id, created_at, title) VALUES (0, 0, X'FF')",
            [],
        )
        .unwrap();
        let first = fetch_page(&conn, 4, None)
            .expect("the first page must not read the whole table (let SQL filter and LIMIT)");
        assert_eq!(ids(&first), vec![10, 9, 8, 7]);
        let second = fetch_page(&conn, 4, Some(&cursor_of(&first.next.unwrap())))
            .expect("a page after a cursor must not read the whole table either");
        assert_eq!(ids(&second), vec![6, 5, 4, 3]);
    }

    /// Walks the whole feed, `limit` events per page.
    fn walk(conn: &Connection, limit: u32) -> Vec<i64> {
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..100 {
            let page = fetch_page(conn, limit, cursor.as_deref()).unwrap();
            seen.extend(ids(&page));
            match page.next {
                Some(next) => cursor = Some(cursor_of(&next)),
                None => break,
            }
        }
        seen
    }

    #[test]
    fn the_order_comes_from_order_by_not_from_the_index() {
        // Whatever index a DBA leaves, rows that tie on created_at come out id DESC only when
        // the query says so. These shapes make SQLite hand ties over in id ASC otherwise.
        for index in [
            "CREATE INDEX events_feed ON events (created_at DESC)",
            "CREATE INDEX events_feed ON events (created_at DESC, id ASC)",
        ] {
            let conn = feed(14);
            conn.execute_batch(&format!("DROP INDEX events_feed; {index};"))
                .unwrap();
            for limit in [2, 3, 5, 14] {
                assert_eq!(
                    walk(&conn, limit),
                    (1..=14).rev().collect::<Vec<_>>(),
                    "with `{index}`, {limit} per page: ORDER BY created_at DESC, id DESC, both \
                     keys, or ties come out in whatever order the plan produces"
                );
            }
        }
    }

    #[test]
    fn any_u32_limit_works() {
        let conn = feed(5);
        let page = fetch_page(&conn, u32::MAX, None)
            .expect("limit u32::MAX: the look-ahead row is limit + 1, which does not fit a u32");
        assert_eq!(ids(&page), vec![5, 4, 3, 2, 1]);
        assert_eq!(page.next, None, "everything fits on one page");
        let page = fetch_page(&conn, u32::MAX - 1, None).unwrap();
        assert_eq!(page.events.len(), 5);
    }

    #[test]
    fn a_cursor_with_non_ascii_characters_is_an_error_not_a_panic() {
        for bad in ["aéb", "0é0", "éé", "76€a", "7631😀3a"] {
            assert!(decode_cursor(bad).is_err(), "{bad:?} is not a cursor");
        }
        // Seeded: real cursors with one character replaced by, or with an extra, multi-byte one.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let wide = ["é", "ß", "€", "😀", "\u{300}"];
        for _ in 0..300 {
            let created_at = next(2_000_000_000) as i64;
            let id = next(1_000_000) as i64;
            let cursor = encode_cursor(created_at, id);
            let mut chars: Vec<String> = cursor.chars().map(String::from).collect();
            let at = next(chars.len() as u64) as usize;
            let char = wide[next(wide.len() as u64) as usize].to_string();
            if next(2) == 0 {
                chars[at] = char;
            } else {
                chars.insert(at, char);
            }
            let bad: String = chars.concat();
            assert!(
                decode_cursor(&bad).is_err(),
                "{bad:?} holds a non-hex character: Err, and never a panic (slicing a &str at a \
                 byte that is not a char boundary panics)"
            );
        }
    }

    #[test]
    fn bad_cursor_is_an_error_not_a_first_page() {
        let conn = feed(3);
        assert!(
            fetch_page(&conn, 2, Some("garbage")).is_err(),
            "silently restarting from the top would loop clients forever"
        );
    }

    #[test]
    fn a_cursor_has_exactly_two_numbers() {
        let hex = |text: &str| -> String { text.bytes().map(|b| format!("{b:02x}")).collect() };
        assert_eq!(decode_cursor(&hex("v1:5:6")), Ok((5, 6)));
        for bad in [
            "v1:5:6:junk",
            "v1:5:6:",
            "v1:5:6:7",
            "v1:5",
            "v1::6",
            "v1:5:",
            "v1:5:6 ",
        ] {
            assert!(
                decode_cursor(&hex(bad)).is_err(),
                "{bad:?} (hex-encoded) was not produced by encode_cursor: extra or missing fields \
                 are an Err"
            );
        }
    }

    #[test]
    fn only_version_1_is_read() {
        let hex = |text: &str| -> String { text.bytes().map(|b| format!("{b:02x}")).collect() };
        for bad in [
            "v2:5:3", "v10:5:3", "vx:5:3", "v:5:3", "v11:5:3", "V1:5:3", "v01:5:3", "1:5:3", "5:3",
            "v1;5:3", " v1:5:3",
        ] {
            assert!(
                decode_cursor(&hex(bad)).is_err(),
                "{bad:?} (hex-encoded) is not a version 1 cursor: reading it as one would \
                 misread every cursor of a later format"
            );
        }
    }

    #[test]
    fn a_cursor_is_written_one_way_only() {
        let hex = |text: &str| -> String { text.bytes().map(|b| format!("{b:02x}")).collect() };
        let upper = encode_cursor(1000, 10).to_uppercase();
        assert_ne!(upper, encode_cursor(1000, 10), "the test needs hex letters");
        for bad in [
            hex("v1:+5:3"),
            hex("v1:5:+3"),
            hex("v1:05:3"),
            hex("v1:5:03"),
            hex("v1:00:3"),
            hex("v1:-0:3"),
            hex("v1:5:-0"),
            hex("v1:-05:3"),
            upper,
            encode_cursor(1, 2).replacen('a', "A", 1),
        ] {
            assert!(
                decode_cursor(&bad).is_err(),
                "{bad:?} is not what encode_cursor writes for any key: Err (the doc: exactly \
                 what encode_cursor produces)"
            );
        }
    }

    #[test]
    fn seeded_cursors_decode_only_when_encode_writes_them() {
        // Property: decode_cursor(c) == Ok(key) exactly when c == encode_cursor(key). The
        // candidates are real cursors with one edit of their text (a character inserted,
        // replaced or removed, from the cursor's own alphabet) and then hex-encoded in lower
        // or mixed case.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let alphabet: Vec<char> = "v1:-+0123456789x2 ".chars().collect();
        let mut accepted = 0;
        for _ in 0..3000 {
            let sign = |n: i64, negative: bool| if negative { -n } else { n };
            let created_at = sign(next(3_000_000_000) as i64, next(4) == 0);
            let id = sign(next(1000) as i64, next(6) == 0);
            let good = encode_cursor(created_at, id);
            assert_eq!(decode_cursor(&good), Ok((created_at, id)), "{good:?}");
            let mut text: Vec<char> = format!("v1:{created_at}:{id}").chars().collect();
            let at = next(text.len() as u64 + 1) as usize;
            let char = alphabet[next(alphabet.len() as u64) as usize];
            match next(4) {
                0 if at < text.len() => text[at] = char,
                1 if at < text.len() => {
                    text.remove(at);
                }
                2 => {}
                _ => text.insert(at, char),
            }
            let mut candidate: String = text
                .iter()
                .collect::<String>()
                .bytes()
                .map(|b| format!("{b:02x}"))
                .collect();
            if next(5) == 0 {
                candidate = candidate.to_uppercase();
            }
            match decode_cursor(&candidate) {
                Ok((c, i)) => {
                    accepted += 1;
                    assert_eq!(
                        encode_cursor(c, i),
                        candidate,
                        "{candidate:?} decoded to ({c}, {i}), but encode_cursor writes that key \
                         differently: only what encode_cursor produces is a cursor"
                    );
                }
                Err(_) => {
                    let text: String = text.iter().collect();
                    if let Some((c, i)) = text
                        .strip_prefix("v1:")
                        .and_then(|rest| rest.split_once(':'))
                        .and_then(|(c, i)| Some((c.parse::<i64>().ok()?, i.parse::<i64>().ok()?)))
                    {
                        assert_ne!(
                            encode_cursor(c, i),
                            candidate,
                            "{candidate:?} is encode_cursor({c}, {i}): it must decode"
                        );
                    }
                }
            }
        }
        assert!(
            accepted > 300,
            "the generator must also produce valid cursors"
        );
    }

    #[test]
    fn the_first_page_starts_after_every_possible_key() {
        // Timestamps are any i64: milliseconds since 1970, dates after 2038, anything.
        let conn = Connection::open_in_memory().unwrap();
        setup(&conn).unwrap();
        insert(&conn, 1, 1_700_000_000_000);
        insert(&conn, 2, 4_102_444_800_000);
        insert(&conn, 3, i64::from(i32::MAX) + 1);
        insert(&conn, 4, i64::MAX - 1);
        insert(&conn, 5, 7);
        let page = fetch_page(&conn, 10, None).unwrap();
        assert_eq!(
            ids(&page),
            vec![4, 2, 1, 3, 5],
            "the first page starts above the largest possible (created_at, id)"
        );
        assert!(page.next.is_none());
    }
}
