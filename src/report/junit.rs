//! The JUnit XML report (`--junit`), the format GitLab's and Jenkins' test report pages read:
//! one `testsuite` per learner, one `testcase` per exercise (classname `learner.section`), a
//! `failure` with the captured output for each exercise that does not pass, and an `error` for a
//! learner that could not be graded. Written with `quick-xml`, which escapes every value; output
//! is already free of ANSI codes, and every character XML 1.0 forbids (control characters, U+FFFE,
//! U+FFFF) is replaced, in names as in output: one of them would make the whole file ill-formed.

use anyhow::Result;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::printable;
use crate::report::model::{GradeReport, LearnerGrade, LearnerStatus};

pub fn render(report: &GradeReport) -> Result<String> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests: usize = report.learners.iter().map(cases).sum();
    let failures: usize = report.learners.iter().map(failures).sum();
    let errors = report
        .learners
        .iter()
        .filter(|l| l.status.is_error())
        .count();
    writer
        .create_element("testsuites")
        .with_attribute(("name", "backendlings grade"))
        .with_attribute(("tests", tests.to_string().as_str()))
        .with_attribute(("failures", failures.to_string().as_str()))
        .with_attribute(("errors", errors.to_string().as_str()))
        .with_attribute(("timestamp", report.graded_at.as_str()))
        .write_inner_content(|w| {
            for learner in &report.learners {
                suite(w, learner, &report.graded_at)?;
            }
            Ok(())
        })?;
    let mut text = String::from_utf8(writer.into_inner())?;
    text.push('\n');
    Ok(text)
}

fn cases(learner: &LearnerGrade) -> usize {
    match learner.status {
        LearnerStatus::Graded => learner.exercises.len(),
        LearnerStatus::Error | LearnerStatus::GraderError => 1,
    }
}

fn failures(learner: &LearnerGrade) -> usize {
    learner
        .exercises
        .iter()
        .filter(|e| !e.status.is_pass())
        .count()
}

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

fn suite(w: &mut Writer<Vec<u8>>, learner: &LearnerGrade, timestamp: &str) -> std::io::Result<()> {
    let errors = usize::from(learner.status.is_error());
    let time: u64 = learner.exercises.iter().map(|e| e.duration_ms).sum();
    let name = printable(&learner.name);
    w.create_element("testsuite")
        .with_attribute(("name", name.as_str()))
        .with_attribute(("tests", cases(learner).to_string().as_str()))
        .with_attribute(("failures", failures(learner).to_string().as_str()))
        .with_attribute(("errors", errors.to_string().as_str()))
        .with_attribute(("time", seconds(time).as_str()))
        .with_attribute(("timestamp", timestamp))
        .write_inner_content(|w| {
            w.create_element("properties").write_inner_content(|w| {
                let mut properties = vec![
                    ("score", learner.score.to_string()),
                    ("max_score", learner.max_score.to_string()),
                    ("percent", format!("{:.2}", learner.percent)),
                ];
                if let Some(commit) = &learner.commit {
                    properties.push(("commit", printable(commit)));
                }
                for (key, value) in properties {
                    w.create_element("property")
                        .with_attribute(("name", key))
                        .with_attribute(("value", value.as_str()))
                        .write_empty()?;
                }
                Ok(())
            })?;
            if learner.status.is_error() {
                let message = printable(learner.error.as_deref().unwrap_or("not graded"));
                w.create_element("testcase")
                    .with_attribute(("classname", name.as_str()))
                    .with_attribute(("name", "grading"))
                    .write_inner_content(|w| {
                        w.create_element("error")
                            .with_attribute(("message", message.as_str()))
                            .with_attribute(("type", "learner_error"))
                            .write_text_content(BytesText::new(&message))?;
                        Ok(())
                    })?;
            }
            for exercise in &learner.exercises {
                let classname = printable(&format!("{}.{}", learner.name, exercise.section));
                let case_name = printable(&exercise.name);
                let case = w
                    .create_element("testcase")
                    .with_attribute(("classname", classname.as_str()))
                    .with_attribute(("name", case_name.as_str()))
                    .with_attribute(("time", seconds(exercise.duration_ms).as_str()));
                if exercise.status.is_pass() {
                    case.write_empty()?;
                    continue;
                }
                let mut message = exercise.status.label().to_string();
                if !exercise.failing_tests.is_empty() {
                    message.push_str(&format!(": {}", exercise.failing_tests.join(", ")));
                }
                if exercise.tests_modified {
                    message.push_str(" (tests modified)");
                }
                if exercise.locked_modified {
                    message.push_str(" (locked code modified)");
                }
                let mut body = printable(&exercise.output);
                if exercise.output_truncated {
                    body.push_str("\n[output truncated]\n");
                }
                case.write_inner_content(|w| {
                    w.create_element("failure")
                        .with_attribute(("message", printable(&message).as_str()))
                        .with_attribute(("type", exercise.status.key()))
                        .write_text_content(BytesText::new(&body))?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    #[test]
    fn characters_xml_forbids_never_reach_the_file() {
        let hostile = "eve\u{FFFF}\u{FFFE}\u{0}\u{1b}[2J\u{8}<x>&\"";
        let mut report = sample_report(hostile, "out\u{FFFF}\u{0}\u{7}put </failure>");
        let mut broken = report.learners[0].clone();
        broken.status = LearnerStatus::Error;
        broken.error = Some(format!("cannot read {hostile}"));
        broken.exercises.clear();
        report.learners.push(broken);
        let xml = render(&report).unwrap();
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let suite = doc
            .descendants()
            .find(|n| n.has_tag_name("testsuite"))
            .unwrap();
        assert_eq!(
            suite.attribute("name"),
            Some("eve\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}[2J\u{FFFD}<x>&\"")
        );
        let failure = doc
            .descendants()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        assert_eq!(
            failure.text(),
            Some("out\u{FFFD}\u{FFFD}\u{FFFD}put </failure>")
        );
        assert!(doc.descendants().any(|n| n.has_tag_name("error")));
    }
}
