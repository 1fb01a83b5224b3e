//! The policy library in `rules/` (issue 19): every bundle has a README and at least 20
//! fixtures and passes them, Wasm bundles with the component the test build compiled
//! from source; `rules/README.md` indexes every bundle; and, one module per bundle, its
//! money rules hold over every decision of a replayed `pacto sample` corpus.
//!
//! The Python and JavaScript twins of the standard policy are built by componentize-py
//! and componentize-js, which a plain `cargo test` machine lacks: here their fixtures are
//! checked to be standard-rhai's, byte for byte; `scripts/guest-twins` (run by CI) builds
//! them, runs them and replays 5,000 cases through them against standard-rhai.

mod complaints_retention;
mod fallback;
mod internal_ola;
mod satisfaction_recovery;
mod warranty;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pacto::bundle::{Bundle, EngineKind};
use serde_json::Value;

use crate::determinism::standard_bundle;
use crate::{path, repo, stderr, stdout};

/// The bundles the library ships: removing one is a change this test must see.
const LIBRARY: &[&str] = &[
    "complaints-retention",
    "fallback",
    "internal-ola",
    "satisfaction-recovery",
    "standard-js",
    "standard-py",
    "standard-rhai",
    "standard-wasm",
    "warranty",
];

/// Whether `rules/<name>` is built from a Python or JavaScript module, by a tool the
/// test build does not have.
fn built_by_a_guest_language_tool(name: &str) -> bool {
    let bundle = Bundle::load_with(&repo().join("rules").join(name), false).unwrap();
    bundle
        .source
        .and_then(|s| s.extension().map(|e| e == "py" || e == "js"))
        .unwrap_or(false)
}

/// The folder names of `rules/` that hold a bundle.
fn bundles() -> BTreeSet<String> {
    fs::read_dir(repo().join("rules"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|dir| dir.join("policy.toml").is_file())
        .map(|dir| dir.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The component the test build compiled from the guest crate of `rules/<name>`.
fn component(name: &str) -> &'static str {
    match name {
        "standard-wasm" => test_programs::STANDARD_WASM,
        "warranty" => test_programs::WARRANTY,
        "satisfaction-recovery" => test_programs::SATISFACTION_RECOVERY,
        other => panic!(
            "rules/{other} is a Wasm bundle: add its guest crate to test-programs/build.rs \
             (GUESTS) and here"
        ),
    }
}

/// `rules/<name>` as the tests run it, in a temporary folder: its manifest with the
/// wall-clock cap lifted (the one limit that depends on the machine), its calendars and
/// fixtures, and its entry (for Wasm, the component built from source: a fresh checkout
/// has none).
pub(crate) fn runnable(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = repo().join("rules").join(name);
    // a fresh checkout has no Wasm component yet: the entry need not exist
    let bundle = Bundle::load_with(&from, false).unwrap();
    let entry = bundle.entry.file_name().unwrap().to_str().unwrap();
    let source = match bundle.engine {
        EngineKind::Wasm => PathBuf::from(component(name)),
        EngineKind::Rhai => bundle.entry.clone(),
    };
    standard_bundle(dir.path(), name, (&source, entry));
    fs::create_dir_all(dir.path().join("fixtures")).unwrap();
    for fixture in fs::read_dir(from.join("fixtures")).unwrap() {
        let fixture = fixture.unwrap();
        fs::copy(
            fixture.path(),
            dir.path().join("fixtures").join(fixture.file_name()),
        )
        .unwrap();
    }
    dir
}

/// Each line (`{"case", "now"}`) of `pacto sample --cases <cases> --seed <seed>` with
/// the decision `bundle` made for it; no line may be an error.
pub(crate) fn replayed(bundle: &Path, cases: u32, seed: u32) -> Vec<(Value, Value)> {
    replayed_edited(bundle, cases, seed, |_| ())
}

/// As [`replayed`], each corpus line (`{"case", "now"}`) first changed by `edit`.
pub(crate) fn replayed_edited(
    bundle: &Path,
    cases: u32,
    seed: u32,
    edit: impl Fn(&mut Value),
) -> Vec<(Value, Value)> {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("sample.jsonl");
    let decisions = work.path().join("decisions.jsonl");
    let out = crate::pacto(&[
        "sample",
        "--cases",
        &cases.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        path(&corpus),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let edited: String = fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .map(|line| {
            let mut v: Value = serde_json::from_str(line).unwrap();
            edit(&mut v);
            v.to_string() + "\n"
        })
        .collect();
    fs::write(&corpus, edited).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["replay", "--policy", path(bundle), "--cases", path(&corpus)])
        .args(["--out", path(&decisions)])
        .env("PACTO_CACHE_DIR", work.path().join("cache"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let read = |file: &Path| -> Vec<Value> {
        fs::read_to_string(file)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    let (cases, decisions) = (read(&corpus), read(&decisions));
    assert_eq!(cases.len(), decisions.len());
    cases
        .into_iter()
        .zip(decisions)
        .map(|(line, out)| {
            assert_eq!(line["case"]["id"], out["id"]);
            assert!(out.get("error").is_none(), "{out}");
            (line, out["decision"].clone())
        })
        .collect()
}

/// `case`'s integer at `pointer` (a JSON pointer), 0 when absent.
pub(crate) fn int(case: &Value, pointer: &str) -> i64 {
    case.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

#[test]
fn the_library_holds_its_bundles_and_the_index_names_each() {
    let found = bundles();
    let expected: BTreeSet<String> = LIBRARY.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(found, expected, "rules/ and LIBRARY differ");
    let index = fs::read_to_string(repo().join("rules/README.md")).unwrap();
    for name in LIBRARY {
        // the bundle's row: `| [name](name/README.md) | … | fixtures |`
        let row = index
            .lines()
            .find(|line| line.starts_with(&format!("| [{name}]({name}/")))
            .unwrap_or_else(|| panic!("rules/README.md has no row for {name}"));
        let count = row.trim_end_matches('|').rsplit('|').next().unwrap().trim();
        assert_eq!(
            count,
            fixture_count(name).to_string(),
            "rules/README.md: the fixtures of {name}"
        );
    }
}

/// The fixtures of `rules/<name>`: file name and bytes.
fn fixture_files(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(repo().join("rules").join(name).join("fixtures"))
        .unwrap()
        .map(|f| {
            let path = f.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The number of fixtures in `rules/<name>/fixtures`.
fn fixture_count(name: &str) -> usize {
    fs::read_dir(repo().join("rules").join(name).join("fixtures"))
        .unwrap()
        .filter(|f| f.as_ref().unwrap().path().extension() == Some("json".as_ref()))
        .count()
}

#[test]
fn every_bundle_has_a_readme_and_twenty_fixtures_and_passes_them() {
    for name in bundles() {
        let from = repo().join("rules").join(&name);
        let readme = fs::read_to_string(from.join("README.md"))
            .unwrap_or_else(|e| panic!("rules/{name}/README.md: {e}"));
        assert!(readme.len() > 1500, "rules/{name}/README.md is too thin");
        let fixtures = fixture_count(&name);
        assert!(fixtures >= 20, "rules/{name} has {fixtures} fixtures");
        if built_by_a_guest_language_tool(&name) {
            assert_eq!(
                fixture_files(&name),
                fixture_files("standard-rhai"),
                "rules/{name}: a twin's fixtures are standard-rhai's"
            );
            continue;
        }

        let bundle = runnable(&name);
        let out = crate::pacto(&["test", path(bundle.path())]);
        assert!(
            out.status.success(),
            "rules/{name}:\n{}\n{}",
            stdout(&out),
            stderr(&out)
        );
        let json = crate::pacto(&["test", "--format", "json", path(bundle.path())]);
        let report: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(report["failed"], 0, "rules/{name}: {report}");
        assert_eq!(
            report["passed"].as_u64(),
            Some(fixtures as u64),
            "rules/{name}: {report}"
        );
    }
}
