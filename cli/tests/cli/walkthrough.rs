//! `examples/README.md`'s walkthrough runs as written: its `sh` blocks, in order, in
//! one shell, with `pacto` the binary under test and 300 cases instead of 10,000.

use std::fs;
use std::process::Command;

use crate::{path, repo};

#[test]
fn the_examples_walkthrough_runs_as_written() {
    let readme = fs::read_to_string(repo().join("examples/README.md")).unwrap();
    let mut script = String::from("set -euo pipefail\npacto() { \"$PACTO_BIN\" \"$@\"; }\n");
    let mut blocks = 0;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line != "```sh" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        if block.iter().any(|l| l.starts_with("cargo build")) {
            continue; // the test builds the binary itself
        }
        blocks += 1;
        for l in block {
            script.push_str(&l.replace("--cases 10000", "--cases 300"));
            script.push('\n');
        }
    }
    assert!(blocks >= 5, "the walkthrough's blocks: {blocks}");
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(repo())
        .env("PACTO_BIN", env!("CARGO_BIN_EXE_pacto"))
        .env("TMPDIR", path(tmp.path()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for words in [
        "\"case\":{\"id\":\"S7-0000000\"",
        "replayed 300 cases",
        "ok: standard 1.1.0",
        "standard 1.0.0 → standard 1.1.0: ",
        "breached cases",
        "by tier",
        "\"changed\": ",
        "the swap changes decisions (exit 1)",
    ] {
        assert!(
            stdout.contains(words) || stderr.contains(words),
            "no `{words}` in\n{stdout}\n{stderr}"
        );
    }
}
