//! `pacto replay` gives byte-identical output whatever the thread count (DESIGN
//! "Determinism and isolation"), for a Rhai bundle and for a Wasm guest that keeps
//! state and chatters (test-programs/guests/stateful), which would expose any
//! decision seeing another's leftovers; and the Rhai and Wasm twins of the standard
//! policy replay the corpus to the same lines but for the digest.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::{path, repo};

/// `pacto replay` of `cases` with `policy` on `threads` threads; its stdout.
fn replay(policy: &Path, cases: &Path, threads: usize) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["replay", "--policy", path(policy), "--cases", path(cases)])
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env("PACTO_CACHE_DIR", policy.join(".cache"))
        .output()
        .expect("pacto runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn stateful_bundle(dir: &Path) {
    fs::create_dir_all(dir.join("calendars")).unwrap();
    fs::write(
        dir.join("calendars/office.toml"),
        "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\n",
    )
    .unwrap();
    // the wall-clock cap is the one limit that depends on the machine: lifted here
    fs::write(
        dir.join("policy.toml"),
        "name = \"stateful\"\nversion = \"0.0.1\"\nengine = \"wasm\"\nentry = \"p.wasm\"\n\
         [calendars]\noffice = \"calendars/office.toml\"\n[limits]\ntimeout_ms = 600_000\n",
    )
    .unwrap();
    fs::copy(test_programs::STATEFUL, dir.join("p.wasm")).unwrap();
}

#[test]
fn replay_is_byte_identical_on_one_and_two_threads() {
    let corpus = repo().join("examples/corpus.jsonl");
    // the wall-clock cap lifted: a debug build on a loaded CI machine once ran one
    // decision past 50 ms, which is a timeout, not a difference between thread counts
    let rhai_dir = tempfile::tempdir().unwrap();
    let script = repo().join("rules/standard-rhai/standard.rhai");
    standard_bundle(rhai_dir.path(), "standard-rhai", (&script, "standard.rhai"));
    let rhai = rhai_dir.path();
    let one = replay(rhai, &corpus, 1);
    assert_eq!(one, replay(rhai, &corpus, 2), "standard-rhai");
    assert_eq!(
        one.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(),
        1000
    );

    let dir = tempfile::tempdir().unwrap();
    stateful_bundle(dir.path());
    let one = replay(dir.path(), &corpus, 1);
    let again = replay(dir.path(), &corpus, 1);
    let two = replay(dir.path(), &corpus, 2);
    assert!(one == again, "two replays on one thread differ");
    assert!(one == two, "one and two threads differ");
    for line in String::from_utf8(one).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["decision"]["notes"][0], "seen 0", "{line}");
    }
}

/// The bundle `rules/<name>`'s manifest and calendars in `dir`, with the wall-clock cap
/// lifted (the one limit that depends on the machine), and its entry copied from
/// `entry` (for Wasm, the component the test build compiled from source: a fresh
/// checkout has no `standard.wasm`).
pub(crate) fn standard_bundle(dir: &Path, name: &str, entry: (&Path, &str)) {
    let from = repo().join("rules").join(name);
    fs::create_dir_all(dir.join("calendars")).unwrap();
    for calendar in fs::read_dir(from.join("calendars")).unwrap() {
        let calendar = calendar.unwrap();
        fs::copy(
            calendar.path(),
            dir.join("calendars").join(calendar.file_name()),
        )
        .unwrap();
    }
    let manifest = fs::read_to_string(from.join("policy.toml")).unwrap();
    fs::write(dir.join("policy.toml"), without_wall_clock_cap(&manifest)).unwrap();
    fs::copy(entry.0, dir.join(entry.1)).unwrap();
}

/// `manifest` without its `source` (a copy has no guest crate beside it) and with
/// `limits.timeout_ms` at 600 s, the bundle's other limits kept.
fn without_wall_clock_cap(manifest: &str) -> String {
    let mut table: toml::Table = manifest.parse().unwrap();
    table.remove("source");
    let limits = table
        .entry("limits")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    limits
        .as_table_mut()
        .unwrap()
        .insert("timeout_ms".into(), toml::Value::Integer(600_000));
    table.to_string()
}

/// Each output line with `decision.policy.digest` removed: the one field in which the
/// twins differ by design.
fn without_digest(out: &[u8]) -> Vec<String> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(policy) = v["decision"]["policy"].as_object_mut() {
                policy.remove("digest");
            }
            v.to_string()
        })
        .collect()
}

#[test]
fn the_rhai_and_wasm_twins_replay_the_corpus_identically_but_for_the_digest() {
    let corpus = repo().join("examples/corpus.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let component = Path::new(test_programs::STANDARD_WASM);
    standard_bundle(dir.path(), "standard-wasm", (component, "standard.wasm"));
    let rhai_dir = tempfile::tempdir().unwrap();
    let script = repo().join("rules/standard-rhai/standard.rhai");
    standard_bundle(rhai_dir.path(), "standard-rhai", (&script, "standard.rhai"));
    let wasm_one = replay(dir.path(), &corpus, 1);
    assert!(
        wasm_one == replay(dir.path(), &corpus, 2),
        "standard-wasm: 1 and 2 threads differ"
    );
    assert!(
        wasm_one == replay(dir.path(), &corpus, 1),
        "standard-wasm: two replays differ"
    );
    let rhai = without_digest(&replay(rhai_dir.path(), &corpus, 2));
    let wasm = without_digest(&wasm_one);
    assert_eq!(rhai.len(), 1000);
    let differ: Vec<usize> = (0..rhai.len()).filter(|&i| rhai[i] != wasm[i]).collect();
    assert!(
        differ.is_empty(),
        "{} lines differ, first at {}:\nrhai {}\nwasm {}",
        differ.len(),
        differ[0] + 1,
        rhai[differ[0]],
        wasm[differ[0]]
    );
}
