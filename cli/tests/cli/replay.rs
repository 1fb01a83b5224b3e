//! `pacto replay`: one output line per input line, in order, decisions equal to
//! `pacto decide`'s, bad lines and failing cases reported with their kind.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::{pacto, path, repo, stderr, stdout};

/// A Rhai bundle deciding one clock, that throws for the case `boom`.
fn bundle(dir: &Path) {
    fs::create_dir_all(dir.join("calendars")).expect("mkdir");
    fs::copy(
        repo().join("rules/standard-rhai/calendars/business.toml"),
        dir.join("calendars/business.toml"),
    )
    .expect("calendar");
    fs::write(
        dir.join("policy.toml"),
        "name = \"boom\"\nversion = \"1.0.0\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n[calendars]\nbusiness = \"calendars/business.toml\"\n",
    )
    .expect("policy.toml");
    fs::write(
        dir.join("p.rhai"),
        r#"fn decide(ticket, now) {
    if ticket.id == "boom" { throw "no rule for boom"; }
    #{ deadlines: [ticket.clock("first_response", "business", 60)], notes: [] }
}"#,
    )
    .expect("script");
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

#[test]
fn replay_keeps_order_and_reports_every_bad_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules");
    bundle(&rules);
    let example = repo().join("examples/cases/gold-complaint-phone.json");
    let case: Value =
        serde_json::from_str(&fs::read_to_string(&example).expect("case")).expect("case JSON");
    let now = "2026-03-03T12:00:00+01:00";
    let mut boom = case.clone();
    boom["id"] = "boom".into();
    let corpus = [
        serde_json::json!({"case": case, "now": now}).to_string(),
        "not json".to_owned(),
        String::new(), // blank: skipped
        serde_json::json!({"case": {"id": "half", "priority": "normal"}}).to_string(),
        serde_json::json!({"case": boom, "now": now}).to_string(),
        case.to_string(), // no `now`: the case's last event
    ];
    let file = dir.path().join("corpus.jsonl");
    fs::write(&file, corpus.join("\n")).expect("corpus");

    let out = pacto(&["replay", "--policy", path(&rules), "--cases", path(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = lines(&stdout(&out));
    assert_eq!(got.len(), 5, "one line per non-blank input line");

    let id = case["id"].as_str().expect("id");
    let decided = pacto(&[
        "decide",
        "--policy",
        path(&rules),
        "--case",
        path(&example),
        "--now",
        now,
    ]);
    assert_eq!(decided.status.code(), Some(0), "{}", stderr(&decided));
    let expected: Value = serde_json::from_str(&stdout(&decided)).expect("decision");
    assert_eq!(got[0], serde_json::json!({"id": id, "decision": expected}));

    assert_eq!(got[1]["id"], Value::Null);
    assert_eq!(got[1]["error"]["kind"], "input");
    let message = got[1]["error"]["message"].as_str().expect("message");
    assert!(
        message.starts_with(&format!("{}:2: ", file.display())),
        "{message}"
    );

    assert_eq!(got[2]["id"], "half");
    assert_eq!(got[2]["error"]["kind"], "input");
    let message = got[2]["error"]["message"].as_str().expect("message");
    assert!(message.contains(":4: `case`: missing field"), "{message}");

    assert_eq!(got[3]["id"], "boom");
    assert_eq!(got[3]["error"]["kind"], "policy");
    let message = got[3]["error"]["message"].as_str().expect("message");
    assert!(message.contains("no rule for boom"), "{message}");

    assert_eq!(got[4]["id"], id);
    assert!(got[4]["decision"]["deadlines"].is_array(), "{}", got[4]);

    let summary = stderr(&out);
    assert!(
        summary.contains("replayed 5 cases")
            && summary.contains("2 decided, 1 failed, 2 bad lines"),
        "{summary}"
    );
}

#[test]
fn replay_writes_the_corpus_in_input_order_to_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = repo().join("examples/corpus.jsonl");
    let result = dir.path().join("out.jsonl");
    let out = pacto(&[
        "replay",
        "--policy",
        path(&repo().join("rules/standard-rhai")),
        "--cases",
        path(&corpus),
        "--out",
        path(&result),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "the results go to --out");
    let ids_in: Vec<Value> = lines(&fs::read_to_string(&corpus).expect("corpus"))
        .into_iter()
        .map(|l| l["case"]["id"].clone())
        .collect();
    let got = lines(&fs::read_to_string(&result).expect("results"));
    let ids_out: Vec<Value> = got.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids_out, ids_in);
    assert!(
        got.iter().all(|l| l["decision"].is_object()),
        "every case decides"
    );
}

#[test]
fn replay_of_a_missing_corpus_exits_2_naming_it() {
    let out = pacto(&[
        "replay",
        "--policy",
        path(&repo().join("rules/standard-rhai")),
        "--cases",
        "/nonexistent/corpus.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/corpus.jsonl"),
        "{}",
        stderr(&out)
    );
}
