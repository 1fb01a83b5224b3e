//! Turning library errors into miette reports that show the file, line, column and the
//! offending text.

use miette::{Diagnostic, NamedSource, Report, SourceSpan};
use pacto::Location;

/// An error at a place in a file, shown with a snippet of the file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct AtSource {
    message: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("here")]
    span: SourceSpan,
}

/// A report for `message` at `location`, with the file's text as the snippet when it can
/// be read. The message itself starts with `file:line:col`, so it stands on its own in
/// logs and scripts.
pub fn at(location: &Location, message: String) -> Report {
    match std::fs::read_to_string(&location.file) {
        Ok(text) if location.line > 0 => {
            let end = location.span.end.min(text.len());
            let start = location.span.start.min(end);
            Report::new(AtSource {
                message,
                source_code: NamedSource::new(&location.file, text),
                span: (start, end - start).into(),
            })
        }
        _ => miette::miette!("{message}"),
    }
}
