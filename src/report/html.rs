//! The HTML overview (`--html`): one self-contained file (inline CSS and script, nothing fetched)
//! with a learners x exercises heat map grouped by section, per-section averages, the hardest
//! exercises, and each learner's failures, shown by clicking the learner's row.
//!
//! The page is a maud template: every value spliced into it is escaped unless it is wrapped in
//! `PreEscaped`, which only the page's own constants are. The finished page goes through
//! [`printable`] once, so no control character a learner's program printed reaches it. Scripts
//! only ever receive numbers (indices), never a name, since an entity-escaped quote is a quote
//! again inside `onclick`.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::printable;
use crate::report::model::{GradeReport, LearnerGrade, LearnerStatus};
use crate::verdict::Status;

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
    let graded: Vec<&LearnerGrade> = report
        .learners
        .iter()
        .filter(|l| l.status == LearnerStatus::Graded)
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Grades: " (report.course.name()) }
                style { (PreEscaped(STYLE)) }
                script { (PreEscaped(SCRIPT)) }
            }
            body {
                (summary(report, &graded))
                (sections(report, &graded))
                (hardest(report, &graded))
                (heat_map(report))
                @for (i, learner) in report.learners.iter().enumerate() {
                    (failures(i, learner))
                }
            }
        }
    };
    printable(&page.into_string()) + "\n"
}

/// The title and the cohort's numbers.
fn summary(report: &GradeReport, graded: &[&LearnerGrade]) -> Markup {
    let average = if graded.is_empty() {
        0.0
    } else {
        graded.iter().map(|l| l.percent).sum::<f64>() / graded.len() as f64
    };
    html! {
        h1 { "Grades: " (report.course.name()) }
        div.meta {
            (report.learners.len()) " learners (" (graded.len()) " graded), "
            (report.course.exercises.len()) " exercises, average " (format!("{average:.1}"))
            "%. Graded at " (report.graded_at)
            @if let Some(deadline) = &report.deadline { ", deadline " (deadline) }
            "."
        }
        @if let Some(note) = &report.deadline_note {
            div.meta { "Note: " (note) "." }
        }
    }
}

/// Per-section averages.
fn sections(report: &GradeReport, graded: &[&LearnerGrade]) -> Markup {
    let rows = report
        .course
        .sections
        .iter()
        .enumerate()
        .map(|(s, section)| {
            let percent = |l: &&LearnerGrade| {
                let sc = &l.sections[s];
                if sc.max_score == 0 {
                    100.0
                } else {
                    f64::from(sc.score) * 100.0 / f64::from(sc.max_score)
                }
            };
            let average = if graded.is_empty() {
                0.0
            } else {
                graded.iter().map(percent).sum::<f64>() / graded.len() as f64
            };
            let passed: usize = graded.iter().map(|l| l.sections[s].passed).sum();
            let total: usize = graded.iter().map(|l| l.sections[s].total).sum();
            (section, average, passed, total)
        });
    html! {
        h2 { "Sections" }
        table.stats {
            tr { th { "Section" } th { "Average score" } th {} th { "Passed exercises" } }
            @for (section, average, passed, total) in rows {
                tr {
                    td { (section.title) }
                    td.num { (format!("{average:.1}")) "%" }
                    td { span.bar style={ "width:" ((average * 1.5).round()) "px" } {} }
                    td.num { (passed) "/" (total) }
                }
            }
        }
    }
}

/// The ten exercises with the lowest pass rate among graded learners.
fn hardest(report: &GradeReport, graded: &[&LearnerGrade]) -> Markup {
    if graded.is_empty() {
        return html! {};
    }
    let course = &report.course;
    let mut rates: Vec<(usize, f64)> = (0..course.exercises.len())
        .map(|i| {
            let passed = graded
                .iter()
                .filter(|l| l.exercises.get(i).is_some_and(|e| e.status.is_pass()))
                .count();
            (i, passed as f64 * 100.0 / graded.len() as f64)
        })
        .collect();
    rates.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    html! {
        h2 { "Hardest exercises" }
        table.stats {
            tr { th { "Exercise" } th { "Section" } th { "Pass rate" } }
            @for (i, rate) in rates.into_iter().take(10) {
                @let exercise = &course.exercises[i];
                tr {
                    td { (exercise.name) }
                    td { (exercise.section) }
                    td.num { (format!("{rate:.0}")) "%" }
                }
            }
        }
    }
}

/// The learners x exercises grid, with its legend. A click on a name or a cell passes the
/// learner's index (and the exercise's) to the script.
fn heat_map(report: &GradeReport) -> Markup {
    let course = &report.course;
    // The first exercise of each section gets a wider left border.
    let first: Vec<bool> = course
        .exercises
        .iter()
        .enumerate()
        .map(|(x, e)| x == 0 || course.exercises[x - 1].section != e.section)
        .collect();
    html! {
        h2 { "Learners × exercises" }
        div.legend {
            @for status in [
                Status::Passed,
                Status::TestsFailed,
                Status::CompileError,
                Status::RunFailed,
                Status::TimedOut,
                Status::Missing,
                Status::Unreadable,
            ] {
                span class=(status_class(status)) { (status.label()) }
            }
            span style="background:#be185d" { "! tests or locked code modified" }
        }
        table.heat {
            tr {
                th {}
                @for section in &course.sections {
                    @let count = course.exercises.iter().filter(|e| e.section == section.dir).count();
                    // Over one or two columns a title does not fit; the short directory does.
                    th.sec colspan=(count) title=(section.title) {
                        (if count > 2 { &section.title } else { &section.dir })
                    }
                }
                th {}
            }
            tr {
                th {}
                @for (x, exercise) in course.exercises.iter().enumerate() {
                    th.ex.first[first[x]] { div { (exercise.name) } }
                }
                th {}
            }
            @for (i, learner) in report.learners.iter().enumerate() {
                tr.l {
                    td.name onclick={ "show(" (i) ")" } { (learner.name) }
                    @for (x, exercise) in course.exercises.iter().enumerate() {
                        @if let Some(grade) = learner.exercises.get(x) {
                            td.c.(status_class(grade.status)).first[first[x]]
                                title={
                                    (exercise.name) ": " (grade.status.label())
                                    (modified_note(grade.tests_modified, grade.locked_modified))
                                }
                                onclick={ "show(" (i) "," (x) ")" } {
                                @if grade.tests_modified || grade.locked_modified { "!" }
                            }
                        } @else {
                            td.c.s-error.first[first[x]] title="not graded" onclick={ "show(" (i) ")" } {}
                        }
                    }
                    td.score {
                        (learner.score) "/" (learner.max_score) " (" (format!("{:.0}", learner.percent)) "%)"
                    }
                }
            }
        }
    }
}

/// One learner's failures, hidden until the learner's row is clicked.
fn failures(i: usize, learner: &LearnerGrade) -> Markup {
    let failures: Vec<_> = learner
        .exercises
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.status.is_pass())
        .collect();
    html! {
        div.detail id={ "learner-" (i) } {
            h3 {
                (learner.name) " — " (learner.score) "/" (learner.max_score)
                " (" (format!("{:.1}", learner.percent)) "%)"
                @if let Some(commit) = &learner.commit { ", commit " code { (commit) } }
            }
            @if let Some(error) = &learner.error {
                p { "Not graded: " (error) }
            }
            @if failures.is_empty() && learner.error.is_none() {
                p { "Every exercise passes." }
            }
            @for (x, exercise) in failures {
                div.fail id={ "fail-" (i) "-" (x) } {
                    b { (exercise.name) }
                    span.tag.(status_class(exercise.status)) { (exercise.status.label()) }
                    @if exercise.tests_modified { span.tag.mod { "tests modified" } }
                    @if exercise.locked_modified { span.tag.mod { "locked code modified" } }
                    @if !exercise.failing_tests.is_empty() {
                        div { "Failing tests: " (exercise.failing_tests.join(", ")) }
                    }
                    @if !exercise.output.trim().is_empty() {
                        pre {
                            (exercise.output)
                            @if exercise.output_truncated { "\n[output truncated]" }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup that would close a cell and open a script, both quotes, an attribute, and control
    /// characters (an escape sequence, a bell, a non-character XML forbids).
    const HOSTILE: &str =
        "</td><script>alert(\"x\")</script>' onclick='alert(1)\u{1b}[31m\u{7}\u{FFFF}";
    const SHOWN: &str = "&lt;/td&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' \
                         onclick='alert(1)\u{FFFD}[31m\u{FFFD}\u{FFFD}";

    /// A one-learner report in which the learner, the exercise, its section, the failing test
    /// and the output are all `text`.
    fn report_with(text: &str) -> GradeReport {
        let mut report = crate::report::sample_report(text, text);
        report.course.exercises[0].name = text.into();
        report.course.sections[0].title = text.into();
        report.learners[0].exercises[0].name = text.into();
        report
    }

    /// The page's tags with their attribute values blanked: the markup, without any text.
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
    fn hostile_learner_exercise_and_output_text_stays_inert() {
        let html = render(&report_with(HOSTILE));
        assert_eq!(
            skeleton(&html),
            skeleton(&render(&report_with("x"))),
            "{html}"
        );
        for place in [
            format!("<td class=\"name\" onclick=\"show(0)\">{SHOWN}</td>"),
            format!("<div>{SHOWN}</div>"),
            format!("title=\"{SHOWN}: {}\"", Status::TestsFailed.label()),
            format!("<b>{SHOWN}</b>"),
            format!("<div>Failing tests: tests::{SHOWN}</div>"),
            format!("<pre>{SHOWN}</pre>"),
        ] {
            assert!(html.contains(&place), "{place} is missing from {html}");
        }
        assert!(!html.chars().any(|c| c.is_control() && c != '\n'), "{html}");
        // Only the page's own script element, and it is only ever handed indices.
        assert_eq!(html.matches("<script").count(), 1);
        for call in html.split("onclick=\"").skip(1) {
            let call = &call[..call.find('"').unwrap()];
            assert!(matches!(call, "show(0)" | "show(0,0)"), "{call}");
        }
    }
}
