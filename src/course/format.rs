//! The file format of `info.toml`: rustlings v6's, plus `[[sections]]`, `dir` and this runner's
//! options.
//!
//! The serde structs below are the one description of the format: the keys a table may have
//! are the fields of its struct (see [`keys_of`]). Entries are read one at a time, so that one
//! bad entry neither hides the problems of the others nor drops them from a lenient reading.
//! Unknown keys are reported (with the closest known one) and dropped before serde reads a
//! table; `deny_unknown_fields` stays on the structs as their statement that the list is closed.

use serde::de::{DeserializeOwned, IgnoredAny, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue, ValueDeserializer};

use super::error::{CourseError, InfoSource};

/// The top-level keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TopLevel {
    pub format_version: Option<Spanned<u32>>,
    /// The course's name, as reports show it (default: its folder's name).
    pub title: Option<String>,
    pub welcome_message: Option<String>,
    pub final_message: Option<String>,
    pub show_solutions: Option<bool>,
    pub forbid_unsafe: Option<bool>,
    /// What the exercises are written in: `"rust"` (the default) or `"python"`.
    pub toolchain: Option<Spanned<String>>,
    /// Only checked to be an array here: each entry is read on its own, as a [`SectionEntry`]
    /// (see [`read`]).
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "declares the key; its entries are read one by one"
    )]
    sections: Vec<IgnoredAny>,
    /// Only checked to be an array here: each entry is read on its own, as an [`ExerciseEntry`]
    /// (see [`read`]).
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "declares the key; its entries are read one by one"
    )]
    exercises: Vec<IgnoredAny>,
}

/// One `[[sections]]` entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SectionEntry {
    pub dir: Spanned<String>,
    pub title: Spanned<String>,
    pub summary: Option<String>,
    /// Cargo features of the exercise package that this section's exercises need, built only
    /// when one of them is checked (heavy crates such as tokio stay off the first start).
    #[serde(default)]
    pub features: Vec<String>,
}

/// One `[[exercises]]` entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExerciseEntry {
    pub name: Spanned<String>,
    pub dir: Option<Spanned<String>>,
    pub test: Option<bool>,
    pub strict_clippy: Option<bool>,
    pub hint: Option<Spanned<String>>,
    pub skip_check_unsolved: Option<bool>,
    pub timeout_secs: Option<Spanned<u64>>,
    pub points: Option<u32>,
    #[serde(default)]
    pub locked: Vec<Spanned<String>>,
    pub tests: Option<usize>,
    /// Python: the learner's file must also pass the type checker.
    pub typecheck: Option<bool>,
    /// Python: modules of the course the tests import besides the learner's (read-only).
    #[serde(default)]
    pub support: Vec<Spanned<String>>,
    /// Python: servers the tests need (`postgres`, `redis`), started by the runner.
    #[serde(default)]
    pub services: Vec<Spanned<String>>,
}

/// `info.toml` as read, entry by entry. Entries that could not be read at all (a required key
/// missing, or not a table) are left out; their problems are reported.
pub(super) struct InfoFile {
    pub top: Entry<TopLevel>,
    /// Whether the file has `[[sections]]` (this runner's format) or not (rustlings').
    pub declares_sections: bool,
    /// Whether some `[[sections]]` entry could not be read at all.
    pub unread_sections: bool,
    pub sections: Vec<Entry<SectionEntry>>,
    pub exercises: Vec<Entry<ExerciseEntry>>,
}

/// One table of `info.toml`, read as far as it could be.
pub(super) struct Entry<T> {
    pub fields: T,
    /// Keys that were dropped because they were unknown or held a value of the wrong type
    /// (each one reported). Their fields hold their defaults, which nothing should be checked
    /// against.
    pub dropped: Vec<String>,
}

impl<T> Entry<T> {
    /// Whether the entry was read without a problem.
    pub fn is_clean(&self) -> bool {
        self.dropped.is_empty()
    }
}

/// Reads `info.toml`, reporting every problem of its TOML and of its keys into `errors`.
/// `None` when the text is not TOML at all.
pub(super) fn read(source: &InfoSource, errors: &mut Vec<CourseError>) -> Option<InfoFile> {
    let root = match DeTable::parse(source.text) {
        Ok(root) => root,
        Err(err) => {
            errors.push(source.toml_error(&err));
            return None;
        }
    };
    let span = root.span();
    let mut table = root.into_inner();
    let sections = take_entries(&mut table, "sections");
    let exercises = take_entries(&mut table, "exercises");
    let top = read_entry(Spanned::new(span, DeValue::Table(table)), source, errors)?;
    let section_count = sections.len();
    let read_sections = read_entries(sections, source, errors);
    Some(InfoFile {
        top,
        declares_sections: section_count > 0,
        unread_sections: read_sections.len() < section_count,
        sections: read_sections,
        exercises: read_entries(exercises, source, errors),
    })
}

/// Takes the entries of the array `key` out of `table`. A value that is not an array stays,
/// for reading the top level to report.
fn take_entries<'i>(table: &mut DeTable<'i>, key: &str) -> Vec<Spanned<DeValue<'i>>> {
    if !matches!(
        table.get(key).map(Spanned::get_ref),
        Some(DeValue::Array(_))
    ) {
        return Vec::new();
    }
    match table.remove(key).map(Spanned::into_inner) {
        Some(DeValue::Array(entries)) => entries.into_iter().collect(),
        _ => Vec::new(),
    }
}

fn read_entries<T: DeserializeOwned>(
    entries: Vec<Spanned<DeValue<'_>>>,
    source: &InfoSource,
    errors: &mut Vec<CourseError>,
) -> Vec<Entry<T>> {
    entries
        .into_iter()
        .filter_map(|entry| read_entry(entry, source, errors))
        .collect()
}

/// Reads one table into `T`. Unknown keys and values of the wrong type are reported and
/// dropped, and the rest is read again, so an entry with a typo still yields its name and
/// paths. Gives up (`None`) on a problem that no one key holds, such as a missing key.
fn read_entry<T: DeserializeOwned>(
    mut value: Spanned<DeValue<'_>>,
    source: &InfoSource,
    errors: &mut Vec<CourseError>,
) -> Option<Entry<T>> {
    let mut problems = Vec::new();
    let mut dropped = Vec::new();
    if let DeValue::Table(table) = value.get_mut() {
        let known = keys_of::<T>();
        let unknown: Vec<_> = table
            .keys()
            .filter(|key| !known.contains(&key.get_ref().as_ref()))
            .cloned()
            .collect();
        for key in unknown {
            problems.push(unknown_key(source, &key, known));
            table.remove(&key);
            dropped.push(key.into_inner().into_owned());
        }
    }
    let entry = loop {
        let err = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(fields) => break Some(Entry { fields, dropped }),
            Err(err) => err,
        };
        let culprit = err.span().and_then(|span| key_holding(&value, span));
        // A problem of the whole table (a missing key) after a dropped key is most often that
        // key's own problem again (`titel` for `title`): the first report says it better.
        if culprit.is_some() || dropped.is_empty() {
            problems.push(source.toml_error(&err));
        }
        let (Some(key), DeValue::Table(table)) = (culprit, value.get_mut()) else {
            break None;
        };
        table.remove(&key);
        dropped.push(key.into_inner().into_owned());
    };
    problems.sort_by_key(|p| (p.line, p.column));
    errors.append(&mut problems);
    entry
}

/// The key of `table` whose key or value holds the error at `span`. `None` for an error of the
/// table as a whole, which toml reports at the table's own span.
fn key_holding<'i>(
    table: &Spanned<DeValue<'i>>,
    span: std::ops::Range<usize>,
) -> Option<Spanned<DeString<'i>>> {
    let DeValue::Table(entries) = table.get_ref() else {
        return None;
    };
    if span == table.span() {
        return None;
    }
    entries
        .iter()
        .find(|(key, value)| {
            // A table's header (`[exercises]`) starts before its key.
            let (key, value) = (key.span(), value.span());
            key.start.min(value.start) <= span.start && span.end <= key.end.max(value.end)
        })
        .map(|(key, _)| key.clone())
}

fn unknown_key(source: &InfoSource, key: &Spanned<DeString<'_>>, known: &[&str]) -> CourseError {
    let unknown = key.get_ref().as_ref();
    let closest = known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let help = match closest {
        Some((_, key)) => format!("did you mean `{key}`?"),
        None => format!("known keys here: {}", known.join(", ")),
    };
    source
        .error_at(key.span().start, format!("unknown key `{unknown}`"))
        .help(help)
}

/// The keys a table read into `T` may have: the field list that `T`'s derived `Deserialize`
/// hands to `deserialize_struct`, caught by a deserializer that reads nothing else. The struct
/// stays the one place where the keys are written.
fn keys_of<T: DeserializeOwned>() -> &'static [&'static str] {
    T::deserialize(KeysProbe).err().map_or(&[], |keys| keys.0)
}

struct KeysProbe;

/// The "error" that carries the field list out of `deserialize_struct`.
#[derive(Debug)]
struct Keys(&'static [&'static str]);

impl std::fmt::Display for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "keys: {}", self.0.join(", "))
    }
}

impl std::error::Error for Keys {}

impl serde::de::Error for Keys {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Keys(&[])
    }
}

impl<'de> Deserializer<'de> for KeysProbe {
    type Error = Keys;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Keys> {
        Err(Keys(&[]))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Keys> {
        Err(Keys(fields))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn read_text(text: &str) -> (Option<InfoFile>, Vec<CourseError>) {
        let source = InfoSource {
            path: Path::new("info.toml"),
            text,
        };
        let mut errors = Vec::new();
        let info = read(&source, &mut errors);
        (info, errors)
    }

    #[test]
    fn the_known_keys_are_the_struct_fields() {
        assert_eq!(
            keys_of::<SectionEntry>(),
            ["dir", "title", "summary", "features"]
        );
        assert!(keys_of::<ExerciseEntry>().contains(&"locked"));
        assert!(keys_of::<TopLevel>().contains(&"exercises"));
    }

    #[test]
    fn a_typo_is_reported_and_the_entry_still_read() {
        let (info, errors) = read_text(
            "format_version = 1\n[[exercises]]\nname = \"x\"\nhnit = \"h\"\n[[exercises]]\nname = \"y\"\n",
        );
        let info = info.unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].message, "unknown key `hnit`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `hint`?"));
        assert_eq!((errors[0].line, errors[0].column), (Some(4), Some(1)));
        let names: Vec<&str> = info
            .exercises
            .iter()
            .map(|e| e.fields.name.get_ref().as_str())
            .collect();
        assert_eq!(names, ["x", "y"]);
        assert_eq!(info.exercises[0].dropped, ["hnit"]);
        assert!(info.exercises[1].is_clean());
    }

    #[test]
    fn a_far_off_key_lists_the_known_ones() {
        let (_, errors) = read_text("format_version = 1\nzzz = 1\n");
        let help = errors[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("known keys here: format_version, "),
            "{help}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_located_and_dropped() {
        let (info, errors) = read_text(
            "format_version = 1\n[[exercises]]\nname = \"x\"\ntest = \"yes\"\npoints = -1\n",
        );
        let exercise = &info.unwrap().exercises[0];
        let mut dropped = exercise.dropped.clone();
        dropped.sort();
        assert_eq!(dropped, ["points", "test"]);
        assert_eq!(exercise.fields.test, None);
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [Some(4), Some(5)], "{errors:?}");
    }

    #[test]
    fn an_entry_without_its_required_key_is_reported_once_and_left_out() {
        let (info, errors) = read_text(
            "format_version = 1\n[[exercises]]\nnmae = \"x\"\n[[exercises]]\nname = \"y\"\n[[exercises]]\nhint = \"h\"\n",
        );
        let info = info.unwrap();
        assert_eq!(info.exercises.len(), 1);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0], "unknown key `nmae`");
        assert!(messages[1].contains("name"), "{messages:?}");
        assert_eq!(errors[1].line, Some(6), "{errors:?}");
    }

    #[test]
    fn a_top_level_value_of_the_wrong_type_keeps_the_rest() {
        let (info, errors) = read_text("format_version = \"1\"\nshow_solutions = false\n");
        let info = info.unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(info.top.dropped, ["format_version"]);
        assert_eq!(info.top.fields.show_solutions, Some(false));
    }

    #[test]
    fn text_that_is_not_toml_is_one_located_error() {
        let (info, errors) = read_text("format_version = 1\n[[exercises]\n");
        assert!(info.is_none());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
    }
}
