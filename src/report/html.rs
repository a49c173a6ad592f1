//! The HTML overview (`--html`): one self-contained file (inline CSS and script, nothing fetched)
//! with a learners x exercises heat map grouped by section, per-section averages, the hardest
//! exercises, and each learner's failures, shown by clicking the learner's row.
//!
//! Every text that reaches the page goes through [`esc`]; scripts only ever receive numbers
//! (indices), never a name, since an entity-escaped quote is a quote again inside `onclick`.

use std::fmt::Write;

use super::printable;
use crate::report::model::{GradeReport, LearnerGrade, LearnerStatus};
use crate::verdict::Status;

/// Escapes text for HTML content and quoted attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in printable(text).chars() {
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

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Passed => "s-pass",
        Status::TestsFailed => "s-tests",
        Status::CompileError => "s-compile",
        Status::RunFailed | Status::ClippyFailed | Status::Rejected => "s-run",
        Status::TimedOut => "s-time",
        Status::Missing => "s-missing",
        Status::Unreadable => "s-unread",
    }
}

/// What a heat-map cell's title adds about edits of the course's tests and locked code.
fn modified_note(tests: bool, locked: bool) -> &'static str {
    match (tests, locked) {
        (true, true) => ", tests and locked code modified",
        (true, false) => ", tests modified",
        (false, true) => ", locked code modified",
        (false, false) => "",
    }
}

const STYLE: &str = r#"
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6473;margin-bottom:16px}
table{border-collapse:collapse}
.stats td,.stats th{padding:4px 10px;border-bottom:1px solid #e2e6ec;text-align:left}
.stats td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:8px;background:#3b82f6;border-radius:4px;vertical-align:middle}
.heat{margin-top:8px}
.heat th.sec{font-weight:600;border-left:2px solid #fff;background:#e8ecf2;padding:3px 6px;font-size:12px}
.heat th.ex{height:130px;white-space:nowrap;vertical-align:bottom;padding:0;font-weight:normal;font-size:11px}
.heat th.ex div{transform:rotate(-60deg);transform-origin:left bottom;width:18px;margin-left:12px}
.heat td.c{width:18px;height:18px;border:2px solid #fff;cursor:pointer;text-align:center;font-size:11px;color:#fff;font-weight:700}
.heat tr.l td.name{padding-right:10px;cursor:pointer;white-space:nowrap}
.heat tr.l:hover td.name{text-decoration:underline}
.heat td.score{padding-left:10px;font-variant-numeric:tabular-nums;white-space:nowrap}
.first{border-left:4px solid #fff !important}
.s-pass{background:#22a55a}.s-tests{background:#f59e0b}.s-compile{background:#dc2626}
.s-run{background:#b91c1c}.s-time{background:#7c3aed}.s-missing{background:#cbd2dc}
.s-unread{background:#374151}.s-error{background:#9ca3af}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:3px;color:#fff;font-size:12px}
.legend span.s-missing{color:#1d2330}
.detail{display:none;background:#fff;border:1px solid #d5dbe3;border-radius:6px;padding:12px 16px;margin-top:16px}
.detail.open{display:block}
.detail h3{margin:0 0 8px;font-size:16px}
.fail{margin:10px 0;border-top:1px solid #eef1f5;padding-top:8px}
.fail .tag{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px;margin-left:6px}
.fail .mod{background:#be185d}
pre{background:#111827;color:#e5e7eb;padding:10px;border-radius:4px;overflow:auto;max-height:320px;font-size:12px;white-space:pre-wrap}
"#;

const SCRIPT: &str = r#"
// `ex` is the index of a clicked exercise (0 included), absent for a click on a name.
function show(i, ex) {
  var cell = ex !== undefined;
  document.querySelectorAll('.detail').forEach(function (d) {
    d.classList.toggle('open', d.id === 'learner-' + i && !(d.classList.contains('open') && !cell));
  });
  var target = document.getElementById(cell ? 'fail-' + i + '-' + ex : 'learner-' + i);
  if (target) { target.scrollIntoView({block: 'nearest'}); }
}
// A link to `report.html#learner-3` opens that learner's failures.
window.addEventListener('load', function () {
  var m = location.hash.match(/^#learner-(\d+)$/);
  if (m) { show(m[1]); }
});
"#;

pub fn render(report: &GradeReport) -> String {
    let course = &report.course;
    let graded: Vec<&LearnerGrade> = report
        .learners
        .iter()
        .filter(|l| l.status == LearnerStatus::Graded)
        .collect();
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Grades: {}</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>",
        esc(&course.id)
    );
    let average = if graded.is_empty() {
        0.0
    } else {
        graded.iter().map(|l| l.percent).sum::<f64>() / graded.len() as f64
    };
    let _ = write!(
        html,
        "<h1>Grades: {}</h1><div class=\"meta\">{} learners ({} graded), {} exercises, average {:.1}%. Graded at {}{}.</div>",
        esc(&course.id),
        report.learners.len(),
        graded.len(),
        course.exercises.len(),
        average,
        esc(&report.graded_at),
        report
            .deadline
            .as_ref()
            .map(|d| format!(", deadline {}", esc(d)))
            .unwrap_or_default()
    );
    if let Some(note) = &report.deadline_note {
        let _ = write!(html, "<div class=\"meta\">Note: {}.</div>", esc(note));
    }

    // Per-section averages.
    html.push_str("<h2>Sections</h2><table class=\"stats\"><tr><th>Section</th><th>Average score</th><th></th><th>Passed exercises</th></tr>");
    for (s, section) in course.sections.iter().enumerate() {
        let pct = |l: &&LearnerGrade| {
            let sc = &l.sections[s];
            if sc.max_score == 0 {
                100.0
            } else {
                f64::from(sc.score) * 100.0 / f64::from(sc.max_score)
            }
        };
        let avg = if graded.is_empty() {
            0.0
        } else {
            graded.iter().map(pct).sum::<f64>() / graded.len() as f64
        };
        let passed: usize = graded.iter().map(|l| l.sections[s].passed).sum();
        let total: usize = graded.iter().map(|l| l.sections[s].total).sum();
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"num\">{avg:.1}%</td><td><span class=\"bar\" style=\"width:{}px\"></span></td><td class=\"num\">{passed}/{total}</td></tr>",
            esc(&section.title),
            (avg * 1.5).round()
        );
    }
    html.push_str("</table>");

    // Hardest exercises: lowest pass rate among graded learners.
    if !graded.is_empty() {
        let mut rates: Vec<(usize, f64)> = course
            .exercises
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let passed = graded
                    .iter()
                    .filter(|l| l.exercises.get(i).is_some_and(|e| e.status.is_pass()))
                    .count();
                (i, passed as f64 * 100.0 / graded.len() as f64)
            })
            .collect();
        rates.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        html.push_str("<h2>Hardest exercises</h2><table class=\"stats\"><tr><th>Exercise</th><th>Section</th><th>Pass rate</th></tr>");
        for (i, rate) in rates.into_iter().take(10) {
            let exercise = &course.exercises[i];
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{rate:.0}%</td></tr>",
                esc(&exercise.name),
                esc(&exercise.section)
            );
        }
        html.push_str("</table>");
    }

    // The heat map.
    html.push_str("<h2>Learners × exercises</h2><div class=\"legend\">");
    for status in [
        Status::Passed,
        Status::TestsFailed,
        Status::CompileError,
        Status::RunFailed,
        Status::TimedOut,
        Status::Missing,
        Status::Unreadable,
    ] {
        let _ = write!(
            html,
            "<span class=\"{}\">{}</span>",
            status_class(status),
            status.label()
        );
    }
    html.push_str(
        "<span style=\"background:#be185d\">! tests or locked code modified</span></div>",
    );
    html.push_str("<table class=\"heat\"><tr><th></th>");
    for (s, section) in course.sections.iter().enumerate() {
        let count = course
            .exercises
            .iter()
            .filter(|e| e.section == section.dir)
            .count();
        let _ = write!(
            html,
            "<th class=\"sec\" colspan=\"{count}\" title=\"{}\">{}</th>",
            esc(&section.title),
            esc(if count > 2 {
                &section.title
            } else {
                &course.sections[s].dir
            })
        );
    }
    html.push_str("<th></th></tr><tr><th></th>");
    let mut previous_section = None;
    for exercise in &course.exercises {
        let first = previous_section != Some(&exercise.section);
        previous_section = Some(&exercise.section);
        let _ = write!(
            html,
            "<th class=\"ex{}\"><div>{}</div></th>",
            if first { " first" } else { "" },
            esc(&exercise.name)
        );
    }
    html.push_str("<th></th></tr>");
    for (i, learner) in report.learners.iter().enumerate() {
        let _ = write!(
            html,
            "<tr class=\"l\"><td class=\"name\" onclick=\"show({i})\">{}</td>",
            esc(&learner.name)
        );
        let mut previous_section = None;
        for (x, exercise) in course.exercises.iter().enumerate() {
            let first = if previous_section != Some(&exercise.section) {
                " first"
            } else {
                ""
            };
            previous_section = Some(&exercise.section);
            match learner.exercises.get(x) {
                Some(grade) => {
                    let _ = write!(
                        html,
                        "<td class=\"c {}{first}\" title=\"{}: {}{}\" onclick=\"show({i},{x})\">{}</td>",
                        status_class(grade.status),
                        esc(&exercise.name),
                        grade.status.label(),
                        modified_note(grade.tests_modified, grade.locked_modified),
                        if grade.tests_modified || grade.locked_modified {
                            "!"
                        } else {
                            ""
                        }
                    );
                }
                None => {
                    let _ = write!(
                        html,
                        "<td class=\"c s-error{first}\" title=\"not graded\" onclick=\"show({i})\"></td>"
                    );
                }
            }
        }
        let _ = write!(
            html,
            "<td class=\"score\">{}/{} ({:.0}%)</td></tr>",
            learner.score, learner.max_score, learner.percent
        );
    }
    html.push_str("</table>");

    // Each learner's failures, shown on click.
    for (i, learner) in report.learners.iter().enumerate() {
        let _ = write!(
            html,
            "<div class=\"detail\" id=\"learner-{i}\"><h3>{} — {}/{} ({:.1}%){}</h3>",
            esc(&learner.name),
            learner.score,
            learner.max_score,
            learner.percent,
            learner
                .commit
                .as_ref()
                .map(|c| format!(", commit <code>{}</code>", esc(c)))
                .unwrap_or_default()
        );
        if let Some(error) = &learner.error {
            let _ = write!(html, "<p>Not graded: {}</p>", esc(error));
        }
        let failures: Vec<_> = learner
            .exercises
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.status.is_pass())
            .collect();
        if failures.is_empty() && learner.error.is_none() {
            html.push_str("<p>Every exercise passes.</p>");
        }
        for (x, exercise) in failures {
            let _ = write!(
                html,
                "<div class=\"fail\" id=\"fail-{i}-{x}\"><b>{}</b><span class=\"tag {}\">{}</span>{}",
                esc(&exercise.name),
                status_class(exercise.status),
                exercise.status.label(),
                if exercise.tests_modified {
                    "<span class=\"tag mod\">tests modified</span>"
                } else {
                    ""
                }
            );
            if exercise.locked_modified {
                html.push_str("<span class=\"tag mod\">locked code modified</span>");
            }
            if !exercise.failing_tests.is_empty() {
                let _ = write!(
                    html,
                    "<div>Failing tests: {}</div>",
                    esc(&exercise.failing_tests.join(", "))
                );
            }
            if !exercise.output.trim().is_empty() {
                let _ = write!(
                    html,
                    "<pre>{}{}</pre>",
                    esc(&exercise.output),
                    if exercise.output_truncated {
                        "\n[output truncated]"
                    } else {
                        ""
                    }
                );
            }
            html.push_str("</div>");
        }
        html.push_str("</div>");
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learner_text_never_becomes_markup_or_script() {
        let name = "<script>alert(1)</script>'); alert('x";
        let output = "</pre><img src=x onerror=alert(1)>\u{FFFF}";
        let html = render(&crate::report::sample_report(name, output));
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("'); alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&#39;); alert(&#39;x"));
        assert!(html.contains("onclick=\"show(0,0)\"") && html.contains("id=\"fail-0-0\""));
        assert!(!html.contains('\u{FFFF}'));
        // Only the page's own script element.
        assert_eq!(html.matches("<script").count(), 1);
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            esc("<b>\"x\" & 'y'\u{1b}[31m"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;\u{FFFD}[31m"
        );
    }
}
