//! `pacto replay` streams: more lines than one chunk, malformed lines among them (bad
//! JSON, an unknown field, a timestamp without an offset, a 5 MB string, bytes that are
//! not UTF-8), each answered in place and in input order, on any thread count and from
//! standard input.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::{pacto, path, repo, stderr};

/// The example case with id `id`.
fn case(id: &str) -> Value {
    let text = fs::read_to_string(repo().join("examples/cases/gold-complaint-phone.json"))
        .expect("example case");
    let mut case: Value = serde_json::from_str(&text).expect("case JSON");
    case["id"] = id.into();
    case
}

/// Per output line: the id expected, and for a bad line its line number and what its
/// message must contain.
type Expected = Vec<(Value, Option<(usize, &'static str)>)>;

/// A corpus of 1,500 lines: every 100th is malformed, in turn one of five ways; blank
/// lines between some. Returns the bytes and what each output line must be.
fn corpus() -> (Vec<u8>, Expected) {
    let mut bytes = Vec::new();
    let mut expected = Vec::new();
    let mut number = 0;
    for i in 0..1500 {
        let id = format!("S-{i}");
        let mut good = json!({"case": case(&id), "now": "2026-03-03T12:00:00+01:00"});
        let (line, bad): (Vec<u8>, Option<&'static str>) = if i % 100 == 99 {
            match (i / 100) % 5 {
                0 => (
                    b"{\"case\": {\"id\": \"x\"".to_vec(),
                    Some("EOF while parsing"),
                ),
                1 => {
                    good["case"]["colour"] = "red".into();
                    (
                        good.to_string().into_bytes(),
                        Some("unknown field `colour`"),
                    )
                }
                2 => {
                    good["case"]["opened_at"] = "2026-03-02T10:15:00".into();
                    (
                        good.to_string().into_bytes(),
                        Some("`case`: `opened_at`: failed to find offset"),
                    )
                }
                3 => {
                    good["case"]["attributes"] = json!({"blob": "x".repeat(5 << 20)});
                    (good.to_string().into_bytes(), None)
                }
                _ => (b"{\"id\": \"\xff\xfe\"}".to_vec(), Some("not UTF-8")),
            }
        } else {
            (good.to_string().into_bytes(), None)
        };
        bytes.extend_from_slice(&line);
        bytes.push(b'\n');
        number += 1;
        let id_expected = match (i / 100) % 5 {
            _ if i % 100 != 99 => json!(id),
            0 | 4 => Value::Null,
            _ => json!(id),
        };
        expected.push((id_expected, bad.map(|b| (number, b))));
        if i % 37 == 0 {
            bytes.extend_from_slice(b"\r\n");
            number += 1;
        }
    }
    (bytes, expected)
}

/// `rules/standard-rhai` copied under `dir` with the wall-clock cap lifted: the one
/// limit that depends on the machine (DESIGN "Limits and determinism"), which a busy
/// test machine would otherwise meet on the 5 MB lines.
fn lifted(dir: &std::path::Path) -> std::path::PathBuf {
    let from = repo().join("rules/standard-rhai");
    let to = dir.join("standard-rhai");
    fs::create_dir_all(to.join("calendars")).expect("mkdir");
    for file in [
        "standard.rhai",
        "calendars/business.toml",
        "calendars/24x7.toml",
    ] {
        fs::copy(from.join(file), to.join(file)).expect("copy");
    }
    let manifest = fs::read_to_string(from.join("policy.toml")).expect("policy.toml");
    fs::write(
        to.join("policy.toml"),
        format!("{manifest}\n[limits]\ntimeout_ms = 600_000\n"),
    )
    .expect("policy.toml");
    to
}

fn check(output: &[u8], expected: &Expected, file: &str) {
    let text = String::from_utf8(output.to_vec()).expect("UTF-8 output");
    let got: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(got.len(), expected.len(), "one line out per line in");
    for (i, (line, (id, bad))) in got.iter().zip(expected).enumerate() {
        assert_eq!(&line["id"], id, "line {i}: {line}");
        match bad {
            Some((number, words)) => {
                assert_eq!(line["error"]["kind"], "input", "line {i}");
                let message = line["error"]["message"].as_str().expect("message");
                assert!(
                    message.starts_with(&format!("{file}:{number}: ")),
                    "line {i}: {message}"
                );
                assert!(message.contains(words), "line {i}: {message}");
            }
            None if line.get("decision").is_some() => {
                assert!(line["decision"]["deadlines"].is_array(), "line {i}");
            }
            None => {
                // the 5 MB string is a valid case: the policy decides it or refuses it
                // with a limit, never drops it
                assert_eq!(
                    line["error"]["kind"], "limit",
                    "line {i}: {}",
                    line["error"]
                );
            }
        }
    }
}

#[test]
fn replay_streams_bad_lines_in_place_and_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (bytes, expected) = corpus();
    let file = dir.path().join("corpus.jsonl");
    fs::write(&file, &bytes).expect("corpus");
    let rhai = lifted(dir.path());

    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = pacto(&[
            "replay",
            "--policy",
            path(&rhai),
            "--cases",
            path(&file),
            "--threads",
            threads,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        check(&out.stdout, &expected, path(&file));
        let summary = stderr(&out);
        assert!(
            summary.contains("replayed 1500 cases") && summary.contains("12 bad lines"),
            "{summary}"
        );
        outputs.push(out.stdout);
    }
    assert!(outputs[0] == outputs[1], "one and two threads differ");

    // standard input: the same answers, the file named `stdin`
    let mut child = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["replay", "--policy", path(&rhai), "--cases", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pacto runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().expect("pacto runs");
    writer.join().expect("writer").expect("written");
    assert!(out.status.success(), "{}", stderr(&out));
    check(&out.stdout, &expected, "stdin");
}
