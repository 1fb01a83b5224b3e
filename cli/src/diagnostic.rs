//! A message at a place in a file, shown with the snippet the [`Location`] carries (the
//! library's errors implement `miette::Diagnostic` themselves; this is for the CLI's own
//! messages, such as a case file's parse error).

use miette::{Diagnostic, LabeledSpan, Report, SourceCode};
use pacto::Location;

/// An error at a place in a file, shown with a snippet of the file.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct AtSource {
    message: String,
    location: Location,
}

impl Diagnostic for AtSource {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.location.labels()
    }
}

/// A report for `message` at `location`. The message itself starts with
/// `file:line:col`, so it stands on its own in logs and scripts.
pub fn at(location: &Location, message: String) -> Report {
    Report::new(AtSource {
        message,
        location: location.clone(),
    })
}
