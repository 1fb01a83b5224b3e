//! SECURITY.md names, for each guarantee, the tests that check it (`file::test`): each
//! named test must exist, so the threat model cannot cite a test that was renamed or
//! never written.

use std::path::Path;

/// `all/` and `cli/` are SECURITY.md's abbreviations for the two integration suites.
fn file_of(reference: &str) -> String {
    if let Some(rest) = reference.strip_prefix("all/") {
        format!("host/tests/all/{rest}")
    } else if let Some(rest) = reference.strip_prefix("cli/")
        && !rest.starts_with("src/")
    {
        format!("cli/tests/cli/{rest}")
    } else {
        reference.to_owned()
    }
}

#[test]
fn every_test_security_md_names_exists() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let text = std::fs::read_to_string(root.join("SECURITY.md")).unwrap();
    let mut file = String::new();
    let mut checked = 0;
    let mut missing = Vec::new();
    // references are `path.rs::name` or, after one, `::name` for the same file
    for span in text.split('`').skip(1).step_by(2) {
        let Some((path, name)) = span.split_once("::") else {
            continue;
        };
        if !path.is_empty() {
            if !path.ends_with(".rs") {
                continue;
            }
            file = file_of(path);
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let source = std::fs::read_to_string(root.join(&file))
            .unwrap_or_else(|e| panic!("SECURITY.md names `{file}`: {e}"));
        if !source.contains(&format!("fn {name}(")) {
            missing.push(format!("{file}::{name}"));
        }
        checked += 1;
    }
    assert!(
        missing.is_empty(),
        "SECURITY.md names tests that do not exist: {missing:#?}"
    );
    assert!(
        checked > 80,
        "only {checked} references found: is the format still `file::test`?"
    );
}
