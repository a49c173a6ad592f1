//! Machine-readable output of `list`, `progress` and `verify` (documented in README.md).

use serde_json::{Value, json};

use crate::course::Course;
use crate::progress::Progress;
use crate::verdict::Verdict;

pub const FORMAT_VERSION: u32 = 1;

/// `list --json` (with exercises) and `progress --json` (without).
pub fn progress(course: &Course, progress: &Progress, with_exercises: bool) -> Value {
    let current = progress.current(course);
    let sections: Vec<Value> = course
        .sections
        .iter()
        .enumerate()
        .map(|(s, section)| {
            let (done, total) =
                course.count_in_section(s, |i| progress.is_done(&course.exercises[i].name));
            let mut value = json!({
                "dir": section.dir,
                "title": section.title,
                "summary": section.summary,
                "done": done,
                "total": total,
            });
            if with_exercises {
                value["exercises"] = course
                    .section_exercises(s)
                    .map(|i| {
                        let e = &course.exercises[i];
                        json!({
                            "name": e.name,
                            "path": e.rel_path(),
                            "done": progress.is_done(&e.name),
                            "current": current == Some(i),
                        })
                    })
                    .collect();
            }
            value
        })
        .collect();
    json!({
        "version": FORMAT_VERSION,
        "done": progress.done_count(course),
        "total": course.exercises.len(),
        "current": current.map(|i| &course.exercises[i].name),
        "sections": sections,
    })
}

/// `verify --json`: every exercise's verdict in curriculum order, plus per-section counts.
pub fn verify(course: &Course, verdicts: &[Verdict]) -> Value {
    let sections: Vec<Value> = course
        .sections
        .iter()
        .enumerate()
        .map(|(s, section)| {
            let (passed, total) = course.count_in_section(s, |i| verdicts[i].status.is_pass());
            json!({ "dir": section.dir, "title": section.title, "passed": passed, "total": total })
        })
        .collect();
    let exercises: Vec<Value> = course
        .exercises
        .iter()
        .zip(verdicts)
        .map(|(e, v)| {
            let output = super::reason::explained_output(v);
            json!({
                "name": e.name,
                "section": course.sections[e.section].dir,
                "path": e.rel_path(),
                "status": v.status.key(),
                "failing_tests": v.failing_tests,
                "duration_ms": v.duration_ms,
                "output": output.plain(),
                "output_truncated": output.truncated,
            })
        })
        .collect();
    json!({
        "version": FORMAT_VERSION,
        "passed": verdicts.iter().filter(|v| v.status.is_pass()).count(),
        "total": verdicts.len(),
        "sections": sections,
        "exercises": exercises,
    })
}
