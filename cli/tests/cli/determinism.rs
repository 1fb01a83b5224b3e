//! `pacto replay` gives byte-identical output whatever the thread count (DESIGN
//! "Determinism and isolation"), for a Rhai bundle and for a Wasm guest that keeps
//! state and chatters (test-programs/guests/stateful), which would expose any
//! decision seeing another's leftovers.

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
    let rhai = repo().join("rules/standard-rhai");
    let one = replay(&rhai, &corpus, 1);
    assert_eq!(one, replay(&rhai, &corpus, 2), "standard-rhai");
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
