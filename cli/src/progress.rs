//! The progress bar of the streaming verbs (`replay`, `diff`): drawn on stderr only when
//! that is a terminal and `CI` is not set; measured in bytes of the corpus read, with the
//! count of cases alongside.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::stream::Span;

/// A progress bar over one corpus.
pub struct Progress {
    bar: ProgressBar,
    cases: std::cell::Cell<u64>,
}

impl Progress {
    /// A bar for the corpus at `path` (its size, when it is a file, is the bar's length).
    pub fn new(path: &Path) -> Progress {
        let shown = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let size = std::fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let bar = match size {
            Some(len) => ProgressBar::new(len),
            None => ProgressBar::new_spinner(),
        };
        if !shown {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {percent}% {msg} ({eta} left)",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress {
            bar,
            cases: std::cell::Cell::new(0),
        }
    }

    /// One more chunk done.
    pub fn advance(&self, span: Span) {
        self.cases.set(self.cases.get() + span.lines as u64);
        self.bar.inc(span.bytes);
        self.bar.set_message(format!("{} cases", self.cases.get()));
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
