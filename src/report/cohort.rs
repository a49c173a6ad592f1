//! The grade report as JSON (`--json`, schema in `docs/report-schema.md`) and the short roster
//! printed after grading.

use anyhow::Result;

use crate::report::model::{GradeReport, LearnerStatus};

/// The versioned JSON report.
pub fn json(report: &GradeReport) -> Result<String> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}

/// Text from a learner (a folder name, an error naming a path) as it may be printed on a
/// terminal: control characters and the invisible characters that reorder or hide text (bidi
/// overrides, zero-width marks) are written as escapes, so a learner cannot move the cursor,
/// clear the screen or forge another learner's line of the roster.
pub fn terminal_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let hidden = matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
        );
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if hidden {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// One line per learner: score, percent, and what stands out.
pub fn summary(report: &GradeReport) -> String {
    let names: Vec<String> = report
        .learners
        .iter()
        .map(|l| terminal_text(&l.name))
        .collect();
    let width = names
        .iter()
        .map(|name| name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let mut out = String::new();
    for (learner, name) in report.learners.iter().zip(&names) {
        let detail = match learner.status {
            LearnerStatus::Error | LearnerStatus::GraderError => format!(
                "error: {}",
                terminal_text(learner.error.as_deref().unwrap_or(""))
            ),
            LearnerStatus::Graded => {
                let passed = learner
                    .exercises
                    .iter()
                    .filter(|e| e.status.is_pass())
                    .count();
                let modified = learner
                    .exercises
                    .iter()
                    .filter(|e| e.tests_modified)
                    .count();
                let locked = learner
                    .exercises
                    .iter()
                    .filter(|e| e.locked_modified)
                    .count();
                let mut detail = format!("{passed}/{} exercises pass", learner.exercises.len());
                if modified > 0 {
                    detail.push_str(&format!(", tests modified in {modified}"));
                }
                if locked > 0 {
                    detail.push_str(&format!(", locked code modified in {locked}"));
                }
                if let Some(commit) = &learner.commit {
                    let short: String = commit.chars().take(12).collect();
                    detail.push_str(&format!(", commit {}", terminal_text(&short)));
                }
                detail
            }
        };
        out.push_str(&format!(
            "{:<width$}  {:>4}/{:<4} {:>6.2}%  {detail}\n",
            name, learner.score, learner.max_score, learner.percent
        ));
    }
    let graded = report
        .learners
        .iter()
        .filter(|l| l.status == LearnerStatus::Graded)
        .count();
    out.push_str(&format!(
        "{graded}/{} learners graded against {} ({} exercises)\n",
        report.learners.len(),
        report.course.name(),
        report.course.exercises.len()
    ));
    if let Some(note) = &report.deadline_note {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    #[test]
    fn names_cannot_forge_roster_lines_or_drive_the_terminal() {
        let name = "eve\n   zed     9/9   100.00%  all pass\u{1b}[2J\r\u{202E}evil";
        let mut report = sample_report(name, "");
        let mut broken = report.learners[0].clone();
        broken.status = LearnerStatus::Error;
        broken.error = Some("learner folder /x/\u{1b}]0;title\u{7} does not exist".into());
        report.learners.push(broken);
        let roster = summary(&report);
        assert_eq!(roster.lines().count(), 3, "{roster}");
        assert!(
            !roster.contains(['\u{1b}', '\r', '\u{7}', '\u{202E}']),
            "{roster}"
        );
        assert!(roster.contains("eve\\n   zed"), "{roster}");
        assert!(roster.contains("\\u{1b}[2J\\r\\u{202e}evil"), "{roster}");
        assert_eq!(terminal_text("ada lovelace é"), "ada lovelace é");
    }

    #[test]
    fn a_deadline_comes_with_its_caveat() {
        let mut report = sample_report("ada", "");
        assert!(!summary(&report).contains("forged"));
        report.deadline_note = Some(crate::report::model::DEADLINE_NOTE.into());
        assert!(summary(&report).contains("note: commits are picked by committer date"));
        assert!(
            json(&report)
                .unwrap()
                .contains("\"deadline_note\": \"commits are picked")
        );
    }
}
