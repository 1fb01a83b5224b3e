//! `pacto decide`, `pacto check`, `pacto test` on the bundled rules and on broken input.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::{pacto, path, repo, stderr, stdout};

#[test]
fn decide_prints_a_validated_decision_for_every_example_case() {
    let rules = repo().join("rules/standard-rhai");
    let mut seen = 0;
    for entry in fs::read_dir(repo().join("examples/cases")).expect("examples/cases") {
        let file = entry.expect("entry").path();
        if file.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let out = pacto(&["decide", "--policy", path(&rules), "--case", path(&file)]);
        assert!(out.status.success(), "{}: {}", file.display(), stderr(&out));
        let d: Value = serde_json::from_str(&stdout(&out)).expect("JSON decision");
        assert_eq!(d["policy"]["name"], "standard");
        assert!(
            d["policy"]["digest"]
                .as_str()
                .expect("digest")
                .starts_with("sha256:")
        );
        assert!(
            d["deadlines"]
                .as_array()
                .expect("deadlines")
                .iter()
                .any(|x| x["metric"] == "first_response")
        );
        seen += 1;
    }
    assert!(seen >= 5, "{seen} example cases");
}

#[test]
fn decide_honours_now_and_rejects_bad_cases() {
    let rules = repo().join("rules/standard-rhai");
    let case = repo().join("examples/cases/gold-complaint-phone.json");
    let early = pacto(&[
        "decide",
        "--policy",
        path(&rules),
        "--case",
        path(&case),
        "--now",
        "2000-01-01T00:00:00Z",
    ]);
    let d: Value = serde_json::from_str(&stdout(&early)).expect("JSON");
    assert!(
        d["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .all(|x| x["status"] == "inactive"),
        "{d}"
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("case.json");
    let mut v: Value =
        serde_json::from_str(&fs::read_to_string(&case).expect("case")).expect("JSON");
    v["customer"]["vip"] = Value::Bool(true);
    fs::write(&bad, serde_json::to_string_pretty(&v).expect("JSON")).expect("write");
    let out = pacto(&["decide", "--policy", path(&rules), "--case", path(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("case.json:") && err.contains("`customer.vip`: unknown field `vip`"),
        "{err}"
    );

    let out = pacto(&[
        "decide",
        "--policy",
        path(&rules),
        "--case",
        path(&case),
        "--now",
        "tomorrow",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--now `tomorrow` is not an instant"));
}

#[test]
fn test_passes_the_standard_rules_in_every_format() {
    let rules = repo().join("rules/standard-rhai");
    let out = pacto(&["test", path(&rules)]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let last = text.lines().last().expect("summary");
    let passed: usize = last
        .strip_suffix(" passed, 0 failed")
        .expect("N passed, 0 failed")
        .parse()
        .expect("N");
    assert!(passed >= 25, "{last}");

    let out = pacto(&["test", "--format", "json", path(&rules)]);
    let report: Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    assert_eq!(report["failed"], 0);
    assert_eq!(report["passed"].as_u64(), Some(passed as u64));

    let out = pacto(&["test", "--format", "junit", path(&rules)]);
    let xml = stdout(&out);
    assert!(
        xml.starts_with("<?xml")
            && xml.contains(&format!(
                "<testsuites name=\"pacto\" tests=\"{passed}\" failures=\"0\">"
            )),
        "{xml}"
    );
}

/// A copy of the standard rules with one fixture's expectation broken.
fn broken_rules(dir: &Path) {
    let src = repo().join("rules/standard-rhai");
    for sub in ["", "calendars", "fixtures"] {
        fs::create_dir_all(dir.join(sub)).expect("mkdir");
        for entry in fs::read_dir(src.join(sub)).expect("read") {
            let p = entry.expect("entry").path();
            if p.is_file() {
                fs::copy(&p, dir.join(sub).join(p.file_name().expect("name"))).expect("copy");
            }
        }
    }
    let first = fs::read_dir(dir.join("fixtures"))
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .expect("a fixture");
    let mut f: Value =
        serde_json::from_str(&fs::read_to_string(&first).expect("read")).expect("JSON");
    f["expect"]["notes"] = serde_json::json!(["not what it says"]);
    fs::write(&first, f.to_string()).expect("write");
}

#[test]
fn test_fails_with_exit_1_and_names_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    broken_rules(dir.path());
    let out = pacto(&["test", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("FAIL")
            && text.contains("notes[0]: expected \"not what it says\", got \"standard v1\""),
        "{text}"
    );
    assert!(
        text.lines()
            .last()
            .expect("summary")
            .ends_with(" passed, 1 failed"),
        "{text}"
    );
    let out = pacto(&["test", "--format", "junit", path(dir.path())]);
    assert!(
        stdout(&out).contains("<failure message=\"notes[0]: expected &quot;not what it says&quot;"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_accepts_the_rules_and_points_into_broken_bundles() {
    let out = pacto(&["check", path(&repo().join("rules/standard-rhai"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("ok: standard 1.0.0 (sha256:"),
        "{}",
        stdout(&out)
    );

    let dir = tempfile::tempdir().expect("temp dir");
    broken_rules(dir.path());
    let script = dir.path().join("standard.rhai");
    let text = fs::read_to_string(&script).expect("script");
    fs::write(&script, format!("{text}\nfn broken( {{\n")).expect("write");
    let out = pacto(&["check", path(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let line = text.lines().count() + 2;
    assert!(err.contains(&format!("standard.rhai:{line}:")), "{err}");

    let cal = dir.path().join("calendars/business.toml");
    fs::write(&script, text).expect("restore");
    fs::write(
        &cal,
        "timezone = \"Europe/Madrid\"\nmon = [\"09:00-13:00\", \"12:00-18:00\"]\n",
    )
    .expect("write");
    let out = pacto(&["check", path(dir.path())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("business.toml:2:23: intervals overlap in `mon`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bench_reports_throughput_and_percentiles_and_skips_bad_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    let good = fs::read_to_string(repo().join("examples/corpus.jsonl")).expect("corpus");
    let mut lines: Vec<&str> = good.lines().take(20).collect();
    lines.push("{\"case\": {\"id\": \"broken\"}}");
    fs::write(&corpus, lines.join("\n")).expect("write");
    let rules = repo().join("rules/standard-rhai");
    let out = pacto(&[
        "bench",
        "--policy",
        path(&rules),
        "--cases",
        path(&corpus),
        "--rounds",
        "1",
        "--threads",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("corpus      20 cases") && text.contains("(1 bad lines skipped)"),
        "{text}"
    );
    assert!(text.contains("decisions   20 on 2 thread(s)"), "{text}");
    assert!(
        text.contains("throughput") && text.contains("p50") && text.contains("p99"),
        "{text}"
    );
}
