//! The instructor's page. Everything a learner or the instructor typed goes through [`esc`]; the
//! board is rendered here on the server and the page's script only swaps it in, so escaping
//! lives in one place.
//!
//! Projector first: large type, the Okabe-Ito colour-blind-safe palette, and every state
//! carries a shape and a word besides its colour (✔ passing, ✖ failing, ⚠ STUCK, ? hints).

use std::fmt::Write;

use crate::room::{Learner, Room};

pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body{font:20px/1.4 system-ui,sans-serif;margin:0;padding:1rem 2rem;background:#fff;color:#111}
h1{font-size:1.6rem;margin:.2rem 0}
h2{font-size:1.3rem;margin:1rem 0 .4rem}
.summary{font-size:1.3rem}
.summary b{font-size:1.6rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
.exercise{border:3px solid #444;border-radius:.5rem;padding:.5rem .8rem}
.exercise h3{margin:0 0 .3rem;font-size:1.2rem}
.exercise ul{list-style:none;margin:0;padding:0}
.learner{padding:.15rem .4rem;margin:.15rem 0;border-radius:.3rem;border-left:.6rem solid #999}
.learner .mark{font-weight:bold;display:inline-block;min-width:5.5rem}
.passing{border-left-color:#0072B2;background:#e5f1f8}
.failing{border-left-color:#E69F00;background:#fdf3e0}
.stuck{border-left-color:#D55E00;background:#fbe3d6;font-weight:bold;outline:3px dashed #D55E00}
.idle{border-left-color:#999}
#stuck{list-style:none;padding:0}
.top{font-size:.9rem;color:#333;margin:.4rem 0 0;padding-left:1.2rem}
.note-now{font-size:1.2rem;border:3px solid #009E73;padding:.4rem .8rem;border-radius:.4rem}
form textarea{font:inherit;width:100%;max-width:40rem;height:3.5rem}
form button{font:inherit;padding:.3rem 1rem}
svg text{font:14px system-ui,sans-serif;fill:#111}
#live{float:right;font-size:1rem}
body[data-live=connected] #live::after{content:"● live"}
body:not([data-live=connected]) #live::after{content:"○ not live: reload the page"}
"#;

/// The whole page, with the board as it is now (the page is complete without its script).
pub fn page(board: &str, secret: &str) -> String {
    let secret = esc(secret);
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>backendlings classroom</title><style>{STYLE}</style></head>
<body data-live="no"><span id="live" aria-live="polite"></span>
<h1>backendlings classroom</h1>
<div id="board">{board}</div>
<h2>Message to every learner's watch screen</h2>
<form method="post" action="/teach/{secret}/note">
<textarea name="note" maxlength="500" placeholder="e.g. Break until 11:00"></textarea><br>
<button type="submit">Show on every screen</button> (an empty message clears it)</form>
<script src="/app.js"></script></body></html>"#
    )
}

/// The page's only script: swap in each board the server sends.
pub const SCRIPT: &str = r#""use strict";
const source = new EventSource(location.pathname.replace(/\/$/, "") + "/live");
source.addEventListener("open", () => { document.body.dataset.live = "connected"; });
source.addEventListener("error", () => { document.body.dataset.live = "reconnecting"; });
source.addEventListener("board", (e) => { document.getElementById("board").innerHTML = e.data; });
"#;

fn minutes(ms: i64) -> i64 {
    ms / 60_000
}

fn learner_item(out: &mut String, learner: &Learner, now: i64, stuck_ms: i64) {
    let name = esc(&learner.name);
    let hints = if learner.hints > 0 {
        format!(
            " · ? {} hint{}",
            learner.hints,
            if learner.hints == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let time = if learner.exercise.is_some() {
        format!(" · {} min on it", learner.seconds / 60)
    } else {
        String::new()
    };
    let (class, mark, detail) = if let Some(stuck) = learner.stuck_for(now, stuck_ms) {
        let what = esc(&learner.failing_label().unwrap_or_default());
        (
            "stuck",
            "⚠ STUCK",
            format!("{} min on <code>{what}</code>", minutes(stuck)),
        )
    } else if learner.passing() {
        ("passing", "✔ passes", String::new())
    } else if let Some(what) = learner.failing_label() {
        ("failing", "✖ fails", format!("<code>{}</code>", esc(&what)))
    } else {
        ("idle", "… working", String::new())
    };
    let _ = write!(
        out,
        r#"<li class="learner {class}" data-learner="{name}"><span class="mark">{mark}</span> {name} {detail}{hints}{time}</li>"#
    );
}

fn chart(out: &mut String, room: &Room, now: i64) {
    const W: f64 = 640.0;
    const H: f64 = 160.0;
    let Some(&(start, _)) = room.progress.first() else {
        out.push_str("<p>No exercise passed yet.</p>");
        return;
    };
    let end = now.max(start + 60_000);
    let max = room.passes.max(1) as f64;
    let x = |t: i64| 40.0 + (t - start) as f64 / (end - start) as f64 * (W - 50.0);
    let y = |v: u32| H - 25.0 - v as f64 / max * (H - 40.0);
    let mut points = format!("{:.1},{:.1}", x(start), y(0));
    for &(t, v) in &room.progress {
        let _ = write!(points, " {:.1},{:.1}", x(t), y(v));
    }
    let _ = write!(points, " {:.1},{:.1}", x(end), y(room.passes));
    let _ = write!(
        out,
        r##"<svg id="progress" role="img" aria-label="Exercises passed in the room over time: {passes} in {mins} min" width="{W}" height="{H}" viewBox="0 0 {W} {H}">
<line x1="40" y1="{base}" x2="{W}" y2="{base}" stroke="#444"/><line x1="40" y1="10" x2="40" y2="{base}" stroke="#444"/>
<polyline fill="none" stroke="#0072B2" stroke-width="4" points="{points}"/>
<text x="0" y="20">{passes}</text><text x="0" y="{base}">0</text>
<text x="40" y="{label}">{mins} min ago</text><text x="{now_x}" y="{label}" text-anchor="end">now</text></svg>"##,
        passes = room.passes,
        mins = minutes(end - start),
        base = H - 25.0,
        label = H - 5.0,
        now_x = W - 10.0,
    );
}

/// The part of the page that changes: sent whole on every change.
pub fn board(room: &Room, now: i64, stuck_ms: i64) -> String {
    let mut out = String::new();
    let stuck: Vec<&Learner> = room
        .learners
        .values()
        .filter(|l| l.stuck_for(now, stuck_ms).is_some())
        .collect();
    let _ = write!(
        out,
        r#"<p class="summary" data-events="{events}"><b>{learners}</b> learners · <b>{stuck}</b> stuck · <b>{passes}</b> exercises passed · {events} events</p>"#,
        learners = room.learners.len(),
        stuck = stuck.len(),
        passes = room.passes,
        events = room.events,
    );
    if !room.note.is_empty() {
        let _ = write!(
            out,
            r#"<p class="note-now">Message on every screen: <span id="note">{}</span></p>"#,
            esc(&room.note)
        );
    }
    if !stuck.is_empty() {
        out.push_str(r#"<h2>⚠ Stuck (same failure for "#);
        let _ = write!(
            out,
            "{} min or more)</h2><ul id=\"stuck\">",
            minutes(stuck_ms)
        );
        for learner in &stuck {
            learner_item(&mut out, learner, now, stuck_ms);
        }
        out.push_str("</ul>");
    }
    out.push_str(r#"<h2>Learners by exercise</h2><div class="grid" id="grid">"#);
    for exercise in room.exercises_in_use() {
        let on: Vec<&Learner> = room
            .learners
            .values()
            .filter(|l| l.exercise.as_deref() == Some(exercise.as_str()))
            .collect();
        let _ = write!(
            out,
            r#"<section class="exercise" data-exercise="{e}"><h3>{e} ({n})</h3><ul>"#,
            e = esc(&exercise),
            n = on.len()
        );
        for learner in on {
            learner_item(&mut out, learner, now, stuck_ms);
        }
        out.push_str("</ul>");
        let top = room.top_failures(&exercise, 3);
        if !top.is_empty() {
            out.push_str(r#"<ol class="top" title="most common failing tests">"#);
            for (test, count) in top {
                let _ = write!(out, "<li><code>{}</code> × {count}</li>", esc(&test));
            }
            out.push_str("</ol>");
        }
        out.push_str("</section>");
    }
    let waiting: Vec<&Learner> = room
        .learners
        .values()
        .filter(|l| l.exercise.is_none())
        .collect();
    if !waiting.is_empty() {
        let _ = write!(
            out,
            r#"<section class="exercise" data-exercise=""><h3>Joined, no exercise yet ({})</h3><ul>"#,
            waiting.len()
        );
        for learner in waiting {
            learner_item(&mut out, learner, now, stuck_ms);
        }
        out.push_str("</ul></section>");
    }
    if room.learners.is_empty() {
        out.push_str("<p>Nobody has joined yet.</p>");
    }
    out.push_str("</div><h2>Most common failing tests</h2><table id=\"failures\">");
    let mut exercises: Vec<&String> = room.failures.keys().collect();
    exercises.sort_by_key(|n| (room.positions.get(*n).copied().unwrap_or(u32::MAX), *n));
    for exercise in exercises {
        for (test, count) in room.top_failures(exercise, 3) {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{count} failing runs</td></tr>",
                esc(exercise),
                esc(&test)
            );
        }
    }
    out.push_str("</table><h2>Progress</h2>");
    chart(&mut out, room, now);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::{Event, Kind};

    #[test]
    fn names_tests_and_notes_are_escaped() {
        let mut room = Room::default();
        room.add_learner(1, "<script>alert(1)</script>".into());
        room.note = "<b>\"hi\"</b>".into();
        room.apply(
            1,
            &Event {
                id: "1".into(),
                kind: Kind::Verdict,
                exercise: "ex<1>".into(),
                at: 0,
                status: Some("test_failure".into()),
                failing: vec!["t<img src=x>".into()],
                seconds: 0,
                position: None,
            },
        );
        let html = board(&room, 1_000_000, 300_000);
        assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>\""));
        assert!(html.contains("&lt;b&gt;&quot;hi&quot;&lt;/b&gt;"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("⚠ STUCK"), "{html}");
        assert!(page(&html, "a\"b").contains("/teach/a&quot;b/note"));
    }
}
