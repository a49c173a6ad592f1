//! Problems with a course, located in `info.toml` as precisely as they are known.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem with a course.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    /// An exercise's files are missing: an error for the course's author (`dev check`), but a
    /// learner who deleted one still has a course to work in (`run` says it is missing, `reset`
    /// brings it back).
    pub missing_exercise: bool,
}

impl CourseError {
    pub fn new(file: &Path, message: impl Into<String>) -> Self {
        CourseError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            missing_exercise: false,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for CourseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found while loading a course (never empty).
#[derive(Debug, Clone)]
pub struct CourseErrors(pub Vec<CourseError>);

impl fmt::Display for CourseErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CourseErrors {}

/// The text of `info.toml` and where it was read from: what turns a byte offset into a
/// located error.
pub(super) struct InfoSource<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl InfoSource<'_> {
    /// An error about the whole file.
    pub fn error(&self, message: impl Into<String>) -> CourseError {
        CourseError::new(self.path, message)
    }

    /// An error at byte `offset` of the file.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> CourseError {
        let (line, column) = line_column(self.text, offset);
        CourseError {
            line: Some(line),
            column: Some(column),
            ..self.error(message)
        }
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        line_column(self.text, offset).0
    }

    /// An error of the TOML reader (syntax, or a value of the wrong type), at its span.
    pub fn toml_error(&self, err: &toml::de::Error) -> CourseError {
        let message = err.message().trim();
        match err.span() {
            Some(span) => self.error_at(span.start, message),
            None => self.error(message),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\né = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, text.find('=').unwrap()), (1, 3));
        assert_eq!(line_column(text, text.rfind('=').unwrap()), (2, 3));
        assert_eq!(line_column(text, 10_000), (3, 1));
    }
}
