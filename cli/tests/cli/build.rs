//! `pacto build` on a Python or JavaScript source without the tool that builds it: it
//! installs nothing and says what to install; a source of another kind is refused
//! naming the three it takes. (Building for real takes componentize-py or
//! componentize-js, which `scripts/guest-twins` installs and CI runs.)

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::{path, repo, stderr};

/// A copy of standard-py's manifest and calendars with `source` set to `source`, and
/// that source file (empty).
fn bundle(dir: &Path, source: &str) {
    let from = repo().join("rules/standard-py");
    let manifest = fs::read_to_string(from.join("policy.toml"))
        .unwrap()
        .replace(
            "source = \"standard.py\"",
            &format!("source = \"{source}\""),
        );
    fs::write(dir.join("policy.toml"), manifest).unwrap();
    fs::create_dir(dir.join("calendars")).unwrap();
    for cal in ["business.toml", "24x7.toml"] {
        fs::copy(
            from.join("calendars").join(cal),
            dir.join("calendars").join(cal),
        )
        .unwrap();
    }
    fs::write(dir.join(source), "").unwrap();
}

/// `pacto build DIR` with nothing on `PATH` but an empty folder.
fn build_without_tools(dir: &Path) -> Output {
    let empty = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["build", path(dir)])
        .env("PATH", empty.path())
        .output()
        .unwrap()
}

#[test]
fn a_python_source_without_componentize_py_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), "standard.py");
    let out = build_without_tools(dir.path());
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("componentize-py is not on PATH"), "{err}");
    assert!(err.contains("guest-sdk-py/requirements.lock"), "{err}");
    assert!(!dir.path().join("standard.wasm").exists());
}

#[test]
fn a_javascript_source_without_the_sdk_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), "standard.js");
    let out = build_without_tools(dir.path());
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("pacto-guest-js"), "{err}");
    assert!(err.contains("npm install --save-dev"), "{err}");
}

#[test]
fn a_python_module_name_must_be_an_identifier() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), "my-policy.py");
    let err = stderr(&build_without_tools(dir.path()));
    assert!(err.contains("must be an identifier"), "{err}");
}

#[test]
fn a_source_of_another_kind_is_refused_naming_the_three() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), "standard.rb");
    let err = stderr(&build_without_tools(dir.path()));
    assert!(err.contains("a Rust guest crate"), "{err}");
    assert!(err.contains("Python module (*.py)"), "{err}");
    assert!(err.contains("JavaScript module (*.js)"), "{err}");
}
