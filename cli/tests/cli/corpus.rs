//! Corpus lines: the `{"case", "now"}` wrapper takes no other key, and a case whose
//! integers no backend carries exactly is refused, each naming the key or path.

use std::fs;

use serde_json::{Value, json};

use crate::{pacto, path, repo, stderr, stdout};

#[test]
fn replay_reports_unknown_wrapper_keys_and_inexact_integers_by_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let example = repo().join("examples/cases/gold-complaint-phone.json");
    let case: Value =
        serde_json::from_str(&fs::read_to_string(&example).expect("case")).expect("case JSON");
    let now = "2026-03-03T12:00:00+01:00";
    let mut with_case_fields = json!({"case": case, "now": now});
    with_case_fields["opened_at"] = case["opened_at"].clone();
    let big = json!({"case": case, "now": now}).to_string().replacen(
        "\"case\":{",
        "\"case\":{\"attributes\":{\"limits\":{\"max\":100000000000000000000}},",
        1,
    );
    let mut lifetime = case.clone();
    lifetime["customer"]["lifetime_value"] = json!(u64::MAX);
    let corpus = [
        json!({"case": case, "now": now}).to_string(),
        json!({"case": case, "nwo": now}).to_string(),
        with_case_fields.to_string(),
        big,
        lifetime.to_string(),
    ];
    let file = dir.path().join("corpus.jsonl");
    fs::write(&file, corpus.join("\n")).expect("corpus");

    let out = pacto(&[
        "replay",
        "--policy",
        path(&repo().join("rules/standard-rhai")),
        "--cases",
        path(&file),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let got: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    assert_eq!(got.len(), 5, "one line per input line");
    assert!(got[0]["decision"].is_object(), "{}", got[0]);
    let error = |i: usize| {
        assert_eq!(got[i]["error"]["kind"], "input", "{}", got[i]);
        assert_eq!(got[i]["id"], case["id"], "{}", got[i]);
        got[i]["error"]["message"]
            .as_str()
            .expect("message")
            .to_owned()
    };
    let m = error(1);
    assert!(
        m.contains(":2: unknown key `nwo` in the corpus line; expected `case` and `now`"),
        "{m}"
    );
    let m = error(2);
    assert!(
        m.contains(":3: unknown key `opened_at` in the corpus line"),
        "{m}"
    );
    let m = error(3);
    assert!(
        m.contains(":4: `case`: `attributes.limits.max`: `100000000000000000000` is out of range"),
        "{m}"
    );
    let m = error(4);
    assert!(
        m.contains(":5: `customer.lifetime_value`: `18446744073709551615` is out of range"),
        "{m}"
    );
}
