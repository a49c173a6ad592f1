//! The instructor's page. It is a maud template: every value spliced into it is escaped, and the
//! board goes through [`printable`] once, so what a learner or the instructor typed is only ever
//! text. The board is rendered here on the server and the page's script only swaps it in, so
//! escaping lives in one place.
//!
//! Projector first: large type, the Okabe-Ito colour-blind-safe palette, and every state
//! carries a shape and a word besides its colour (✔ passing, ✖ failing, ⚠ STUCK, ? hints).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::room::{Learner, Room};

/// The runner's own filter (its reports apply the same one), shared by path rather than through
/// a crate of its own: the runner is a binary, and a one-function crate in the workspace would
/// cost more than these two lines.
#[path = "../../src/report/printable.rs"]
mod printable;
use printable::printable;

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
.learner{padding:.15rem .4rem;margin:.15rem 0;border-radius:.3rem;border-left:.6rem solid #999;overflow-wrap:anywhere}
code{overflow-wrap:anywhere}
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
/// `board` is [`board`]'s markup; `secret` is the server's own.
pub fn page(board: &str, secret: &str) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { "backendlings classroom" }
                style { (PreEscaped(STYLE)) }
            }
            body data-live="no" {
                span #live aria-live="polite" {}
                h1 { "backendlings classroom" }
                div #board { (PreEscaped(board)) }
                h2 { "Message to every learner's watch screen" }
                form method="post" action={ "/teach/" (secret) "/note" } {
                    textarea name="note" maxlength="500" placeholder="e.g. Break until 11:00" {}
                    br;
                    button type="submit" { "Show on every screen" }
                    " (an empty message clears it)"
                }
                script src="/app.js" {}
            }
        }
    }
    .into_string()
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

fn learner_item(learner: &Learner, now: i64, stuck_ms: i64) -> Markup {
    let (class, mark, detail) = if let Some(stuck) = learner.stuck_for(now, stuck_ms) {
        let what = learner.failing_label().unwrap_or_default();
        let detail = html! { (minutes(stuck)) " min on " code { (what) } };
        ("stuck", "⚠ STUCK", detail)
    } else if learner.passing() {
        ("passing", "✔ passes", html! {})
    } else if let Some(what) = learner.failing_label() {
        ("failing", "✖ fails", html! { code { (what) } })
    } else {
        ("idle", "… working", html! {})
    };
    html! {
        li.learner.(class) data-learner=(learner.name) {
            span.mark { (mark) } " " (learner.name) " " (detail)
            @if learner.hints > 0 {
                " · ? " (learner.hints) " hint" @if learner.hints != 1 { "s" }
            }
            @if learner.exercise.is_some() {
                " · " (learner.seconds / 60) " min on it"
            }
        }
    }
}

fn chart(room: &Room, now: i64) -> Markup {
    const W: f64 = 640.0;
    const H: f64 = 160.0;
    let Some(&(start, _)) = room.progress.first() else {
        return html! { p { "No exercise passed yet." } };
    };
    let end = now.max(start + 60_000);
    let max = room.passes.max(1) as f64;
    let x = |t: i64| 40.0 + (t - start) as f64 / (end - start) as f64 * (W - 50.0);
    let y = |v: u32| H - 25.0 - v as f64 / max * (H - 40.0);
    let mut points = vec![format!("{:.1},{:.1}", x(start), y(0))];
    for &(t, v) in &room.progress {
        points.push(format!("{:.1},{:.1}", x(t), y(v)));
    }
    points.push(format!("{:.1},{:.1}", x(end), y(room.passes)));
    let mins = minutes(end - start);
    let base = H - 25.0;
    let label = H - 5.0;
    html! {
        svg #progress role="img"
            aria-label={ "Exercises passed in the room over time: " (room.passes) " in " (mins) " min" }
            width=(W) height=(H) viewBox={ "0 0 " (W) " " (H) } {
            line x1="40" y1=(base) x2=(W) y2=(base) stroke="#444" {}
            line x1="40" y1="10" x2="40" y2=(base) stroke="#444" {}
            polyline fill="none" stroke="#0072B2" stroke-width="4" points=(points.join(" ")) {}
            text x="0" y="20" { (room.passes) }
            text x="0" y=(base) { "0" }
            text x="40" y=(label) { (mins) " min ago" }
            text x=(W - 10.0) y=(label) text-anchor="end" { "now" }
        }
    }
}

/// The part of the page that changes: sent whole on every change.
pub fn board(room: &Room, now: i64, stuck_ms: i64) -> String {
    let stuck: Vec<&Learner> = room
        .learners
        .values()
        .filter(|l| l.stuck_for(now, stuck_ms).is_some())
        .collect();
    let waiting: Vec<&Learner> = room
        .learners
        .values()
        .filter(|l| l.exercise.is_none())
        .collect();
    let mut exercises: Vec<&String> = room.failures.keys().collect();
    exercises.sort_by_key(|n| (room.positions.get(*n).copied().unwrap_or(u32::MAX), *n));
    let board = html! {
        p.summary data-events=(room.events) {
            b { (room.learners.len()) } " learners · "
            b { (stuck.len()) } " stuck · "
            b { (room.passes) } " exercises passed · "
            (room.events) " events"
        }
        @if !room.note.is_empty() {
            p.note-now { "Message on every screen: " span #note { (room.note) } }
        }
        @if !stuck.is_empty() {
            h2 { "⚠ Stuck (same failure for " (minutes(stuck_ms)) " min or more)" }
            ul #stuck {
                @for learner in &stuck { (learner_item(learner, now, stuck_ms)) }
            }
        }
        h2 { "Learners by exercise" }
        div.grid #grid {
            @for exercise in room.exercises_in_use() {
                @let on: Vec<&Learner> = room
                    .learners
                    .values()
                    .filter(|l| l.exercise.as_deref() == Some(exercise.as_str()))
                    .collect();
                section.exercise data-exercise=(exercise) {
                    h3 { (exercise) " (" (on.len()) ")" }
                    ul { @for learner in on { (learner_item(learner, now, stuck_ms)) } }
                    @let top = room.top_failures(&exercise, 3);
                    @if !top.is_empty() {
                        ol.top title="most common failing tests" {
                            @for (test, count) in top { li { code { (test) } " × " (count) } }
                        }
                    }
                }
            }
            @if !waiting.is_empty() {
                section.exercise data-exercise="" {
                    h3 { "Joined, no exercise yet (" (waiting.len()) ")" }
                    ul { @for learner in waiting { (learner_item(learner, now, stuck_ms)) } }
                }
            }
            @if room.learners.is_empty() {
                p { "Nobody has joined yet." }
            }
        }
        h2 { "Most common failing tests" }
        table #failures {
            @for exercise in exercises {
                @for (test, count) in room.top_failures(exercise, 3) {
                    tr {
                        td { (exercise) }
                        td { code { (test) } }
                        td { (count) " failing run" @if count != 1 { "s" } }
                    }
                }
            }
        }
        h2 { "Progress" }
        (chart(room, now))
    };
    printable(&board.into_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::room::{Event, Kind, Status};

    /// Markup that would close a cell and open a script, both quotes, an attribute, and control
    /// characters (an escape sequence, a bell, a non-character). The server refuses control
    /// characters in names at join, but not in exercise or test names: the page must not rely
    /// on either.
    const HOSTILE: &str =
        "</td><script>alert(\"x\")</script>' onclick='alert(1)\u{1b}[31m\u{7}\u{FFFF}";
    const SHOWN: &str = "&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' \
                         onclick='alert(1)\u{FFFD}[31m\u{FFFD}\u{FFFD}";

    /// A room whose one learner, stuck on its exercise with one failing test, and whose note
    /// are all `text`.
    fn room_with(text: &str) -> Room {
        let mut room = Room::default();
        room.add_learner(1, text.into());
        room.note = text.into();
        room.apply(
            1,
            &Event {
                id: "1".into(),
                kind: Kind::Verdict,
                exercise: text.into(),
                at: 0,
                status: Some(Status::TestsFailed),
                failing: vec![text.into()],
                seconds: 0,
                position: None,
            },
        );
        room
    }

    /// The board's tags with their attribute values blanked: the markup, without any text.
    /// Escaped text holds no `<` and attribute values no `"`, so text cannot change it.
    fn skeleton(html: &str) -> Vec<String> {
        html.split('<')
            .skip(1)
            .map(|rest| {
                let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
                tag.split('"').step_by(2).collect::<Vec<_>>().join("\"\"")
            })
            .collect()
    }

    #[test]
    fn hostile_learner_exercise_test_and_note_text_stays_inert() {
        let html = board(&room_with(HOSTILE), 1_000_000, 300_000);
        let plain = board(&room_with("x"), 1_000_000, 300_000);
        assert_eq!(skeleton(&html), skeleton(&plain), "{html}");
        for place in [
            format!("data-learner=\"{SHOWN}\"><span class=\"mark\">⚠ STUCK</span> {SHOWN} "),
            format!("<span id=\"note\">{SHOWN}</span>"),
            format!("data-exercise=\"{SHOWN}\"><h3>{SHOWN} (1)</h3>"),
            format!("<tr><td>{SHOWN}</td><td><code>{SHOWN}</code></td>"),
        ] {
            assert!(html.contains(&place), "{place} is missing from {html}");
        }
        assert!(!html.chars().any(char::is_control), "{html}");
        let page = page(&html, "secret");
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert!(
            page.contains(r#"<script src="/app.js"></script>"#),
            "{page}"
        );
    }

    #[test]
    fn one_failing_run_is_singular_and_long_names_wrap() {
        let html = board(&room_with("x"), 0, 300_000);
        assert!(html.contains("<td>1 failing run</td>"), "{html}");
        assert!(STYLE.contains("code{overflow-wrap:anywhere}"));
    }

    #[test]
    fn the_secret_in_the_form_is_escaped() {
        assert!(page("", "a\"b").contains(r#"action="/teach/a&quot;b/note""#));
    }
}
