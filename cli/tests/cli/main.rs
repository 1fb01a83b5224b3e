//! End-to-end tests of the `pacto` binary: one test binary, one module per verb.

#![allow(clippy::unwrap_used)]

mod build;
mod calendar;
mod corpus;
mod determinism;
mod diff;
mod explain;
mod library;
mod policy;
mod replay;
mod replay_stream;
mod sample;
mod serve;
mod walkthrough;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `pacto` with `args`.
pub fn pacto(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(args)
        .output()
        .expect("pacto runs")
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// `p` as a command-line argument.
pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// stdout as a trimmed string.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// stderr as a string.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
