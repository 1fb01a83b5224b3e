//! Typed errors, one enum per operation, each saying what went wrong and where.
//!
//! Messages are lowercase without a trailing period and quote user input in backticks,
//! so the command line can show them as they are.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use jiff::Timestamp;
use miette::{LabeledSpan, NamedSource, SourceCode};

/// A place in a source text: file name, 1-based line and column (0 when the problem is
/// the file as a whole), the byte span, and the text itself, so an error renders its
/// snippet (through [`miette::Diagnostic`]) without reading the file again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file (or other source) name, as given when loading.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte offsets of the offending text in the source.
    pub span: Range<usize>,
    /// The source text the span points into, named by `file`; none when the problem is
    /// the file as a whole.
    pub source: Option<Arc<NamedSource<Arc<str>>>>,
}

impl Location {
    /// The file `file` as a whole: no line, no snippet.
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: 0,
            column: 0,
            span: 0..0,
            source: None,
        }
    }

    /// The location of byte offset `span.start` in `text` (copied into the location).
    pub fn in_text(file: &str, text: &str, span: Range<usize>) -> Self {
        Self::in_source(file, &Arc::from(text), span)
    }

    /// The location of byte offset `span.start` in `text`, sharing the text.
    pub fn in_source(file: &str, text: &Arc<str>, span: Range<usize>) -> Self {
        let start = span.start.min(text.len());
        let before = &text[..floor_char_boundary(text, start)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location {
            file: file.to_owned(),
            line,
            column,
            span,
            source: Some(Arc::new(NamedSource::new(file, Arc::clone(text)))),
        }
    }

    /// The source text, for [`miette::Diagnostic::source_code`].
    pub fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    /// The span as a miette label, for [`miette::Diagnostic::labels`].
    pub fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let text = self.source.as_ref()?.inner();
        let end = self.span.end.min(text.len());
        let start = self.span.start.min(end);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".into()),
            start,
            end - start,
        ))))
    }
}

impl Location {
    /// The location of 1-based `line` and `column` in `text` (a span of one character).
    pub fn at_line_column(file: &str, text: &str, line: usize, column: usize) -> Self {
        Self::at_line_column_in(file, &Arc::from(text), line, column)
    }

    /// [`at_line_column`](Self::at_line_column), sharing the text.
    pub fn at_line_column_in(file: &str, text: &Arc<str>, line: usize, column: usize) -> Self {
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let offset = text[start.min(text.len())..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i);
        Location {
            file: file.to_owned(),
            line,
            column,
            span: offset..(offset + 1).min(text.len()),
            source: Some(Arc::new(NamedSource::new(file, Arc::clone(text)))),
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// A calendar file that cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{location}: {message}")]
pub struct CalendarLoadError {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and what was expected.
    pub message: String,
}

impl miette::Diagnostic for CalendarLoadError {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.location.labels()
    }
}

/// A calendar computation that has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum TimeError {
    /// The walk went past [`SEARCH_HORIZON_DAYS`](crate::calendar::SEARCH_HORIZON_DAYS)
    /// days without finding any open time.
    #[error(
        "no open business time in the {days} days after {from}; the calendar is open too rarely to answer"
    )]
    NoOpenTime {
        /// Where the search for open time started.
        from: Timestamp,
        /// How many days it searched.
        days: u32,
    },
    /// An instant before 1900 or from 2200 on, given or reached.
    #[error("{0} is outside the supported range 1900-01-01 to 2199-12-31")]
    OutOfRange(Timestamp),
    /// Unix seconds that are no instant at all (beyond what an instant can represent).
    #[error("{0} Unix seconds is outside the supported range 1900-01-01 to 2199-12-31")]
    OutOfRangeSeconds(i64),
    /// An amount of time too large to represent.
    #[error("{0} seconds is too large an amount of business time")]
    Overflow(i128),
    /// A clock target below zero.
    #[error("a clock target must be at least 0 business minutes, got {0}")]
    NegativeTarget(i64),
    /// An excluded interval whose end precedes its start.
    #[error("pause from {start} to {end} ends before it starts")]
    ReversedPause {
        /// The pause's start.
        start: Timestamp,
        /// The pause's end.
        end: Timestamp,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_columns() {
        let text = "a = 1\nmon = [\"25:00-26:00\"]\n";
        let at = text.find("25").unwrap();
        let loc = Location::in_text("cal.toml", text, at..at + 11);
        assert_eq!(loc.to_string(), "cal.toml:2:9");
    }
}
