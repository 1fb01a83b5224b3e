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

/// How many fixture files a bundle has: the counts below are tied to them.
fn fixture_files(dir: &Path) -> usize {
    fs::read_dir(dir.join("fixtures"))
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count()
}

#[test]
fn test_passes_the_standard_rules_in_every_format() {
    let rules = repo().join("rules/standard-rhai");
    let files = fixture_files(&rules);
    let out = pacto(&["test", path(&rules)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert_eq!(
        text.lines().last(),
        Some(format!("{files} passed, 0 failed").as_str())
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("ok    standard "))
            .count(),
        files
    );

    let out = pacto(&["test", "--format", "json", path(&rules)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    assert_eq!(report["failed"], 0);
    assert_eq!(report["passed"].as_u64(), Some(files as u64));
    assert_eq!(report["fixtures"].as_array().map(Vec::len), Some(files));

    let out = pacto(&["test", "--format", "junit", path(&rules)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = stdout(&out);
    assert!(
        xml.starts_with("<?xml")
            && totals(&xml) == (files, 0, 0)
            && xml.contains("<testsuite name=\"standard\"")
            && xml.contains("file=\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), files, "{xml}");
}

/// `(tests, failures, errors)` of a JUnit report's `<testsuites>` element.
fn totals(xml: &str) -> (usize, usize, usize) {
    let start = xml.find("<testsuites ").expect("<testsuites>");
    let element = &xml[start..start + xml[start..].find('>').expect("element end")];
    let attr = |name: &str| -> usize {
        let key = format!(" {name}=\"");
        let from = element
            .find(&key)
            .unwrap_or_else(|| panic!("no {name} in {element}"))
            + key.len();
        element[from..from + element[from..].find('"').expect("quote")]
            .parse()
            .expect("a count")
    };
    (attr("tests"), attr("failures"), attr("errors"))
}

/// A copy of the standard rules, with `limits.timeout_ms` lifted to 60 s: a debug build
/// on a loaded machine can take longer than the bundle's 50 ms over one fixture, and
/// these tests are about what `pacto test` reports, not about the wall-clock limit.
fn standard_copy(dir: &Path) {
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
    let manifest = fs::read_to_string(dir.join("policy.toml")).expect("policy.toml");
    fs::write(
        dir.join("policy.toml"),
        format!("{manifest}\n[limits]\ntimeout_ms = 60000\n"),
    )
    .expect("write policy.toml");
}

/// The first fixture file of a bundle copy.
fn first_fixture(dir: &Path) -> std::path::PathBuf {
    fs::read_dir(dir.join("fixtures"))
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .min()
        .expect("a fixture")
}

/// Replaces the first fixture's `expect` with `expect`.
fn set_expect(dir: &Path, expect: Value) -> std::path::PathBuf {
    let first = first_fixture(dir);
    let mut f: Value =
        serde_json::from_str(&fs::read_to_string(&first).expect("read")).expect("JSON");
    f["expect"] = expect;
    fs::write(&first, f.to_string()).expect("write");
    first
}

/// A copy of the standard rules with one fixture's expectation broken.
fn broken_rules(dir: &Path) {
    standard_copy(dir);
    set_expect(dir, serde_json::json!({"notes": ["not what it says"]}));
}

#[test]
fn test_fails_with_exit_1_and_names_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    broken_rules(dir.path());
    let files = fixture_files(dir.path());
    let out = pacto(&["test", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("FAIL")
            && text.contains("notes[0]: expected \"not what it says\", got \"standard v1\""),
        "{text}"
    );
    assert_eq!(
        text.lines().last(),
        Some(format!("{} passed, 1 failed", files - 1).as_str()),
        "{text}"
    );
    let out = pacto(&["test", "--format", "junit", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert!(
        xml.contains("<failure message=\"notes[0]: expected &quot;not what it says&quot;")
            && totals(&xml) == (files, 1, 0),
        "{xml}"
    );
}

/// `{"escalaton": null}` (a typo for "no escalation") used to pass: the decision has no
/// such key, and an absent key was read as `null`.
#[test]
fn a_typo_in_an_expected_key_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    standard_copy(dir.path());
    set_expect(dir.path(), serde_json::json!({"escalaton": null}));
    let out = pacto(&["test", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("      escalaton: expected null, got <absent>"),
        "{}",
        stdout(&out)
    );
    let out = pacto(&["test", "--format", "json", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    let failed: Vec<&Value> = report["fixtures"]
        .as_array()
        .expect("fixtures")
        .iter()
        .filter(|f| f["status"] == "fail")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0]["mismatches"],
        serde_json::json!([{"path": "escalaton", "expected": null, "absent": true}])
    );
}

#[test]
fn fixtures_that_cannot_fail_are_refused_naming_the_file() {
    for (expect, why) in [
        (serde_json::json!({}), "`expect`: is empty"),
        (
            serde_json::json!({"deadlines": [{"status": "met"}, {}, {}]}),
            "`expect.deadlines[1]`: an empty object",
        ),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        standard_copy(dir.path());
        let file = set_expect(dir.path(), expect);
        let out = pacto(&["test", path(dir.path())]);
        assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
        assert!(out.stdout.is_empty(), "{}", stdout(&out));
        let err = stderr(&out);
        let name = file.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(err.contains(name) && err.contains(why), "{err}");
    }
}

/// A policy that throws on some cases: the fixture is an ERROR (not a FAIL) in every
/// format, with the error's kind and message, and the run exits 1.
#[test]
fn a_policy_error_is_reported_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    standard_copy(dir.path());
    let script = dir.path().join("standard.rhai");
    let text = fs::read_to_string(&script).expect("script");
    let first = first_fixture(dir.path());
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(&first).expect("read")).expect("JSON");
    let id = fixture["case"]["id"].as_str().expect("case id").to_owned();
    let name = first
        .file_stem()
        .and_then(|n| n.to_str())
        .expect("stem")
        .to_owned();
    let files = fixture_files(dir.path());
    fs::write(
        &script,
        text.replacen(
            "fn decide(ticket, now) {",
            &format!("fn decide(ticket, now) {{\n    if ticket.id == \"{id}\" {{ throw \"no rule for this case\"; }}"),
            1,
        ),
    )
    .expect("write");
    assert!(
        fs::read_to_string(&script)
            .expect("script")
            .contains("no rule for this case")
    );

    let out = pacto(&["test", path(dir.path())]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    let error_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("ERROR ")).collect();
    assert_eq!(error_lines.len(), 1, "{text}");
    assert!(
        error_lines[0].starts_with(&format!("ERROR standard {name} ("))
            && error_lines[0].contains("no rule for this case"),
        "{text}"
    );
    assert_eq!(
        text.lines().last(),
        Some(format!("{} passed, 1 failed", files - 1).as_str())
    );

    let out = pacto(&["test", "--format", "json", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("JSON report");
    let errors: Vec<&Value> = report["fixtures"]
        .as_array()
        .expect("fixtures")
        .iter()
        .filter(|f| f["status"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert_eq!(errors[0]["name"], name.as_str());
    assert_eq!(errors[0]["error"]["kind"], "policy");
    assert!(
        errors[0]["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no rule for this case")),
        "{report}"
    );

    let out = pacto(&["test", "--format", "junit", path(dir.path())]);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    assert!(
        totals(&xml) == (files, 0, 1)
            && xml.contains("<error message=\"")
            && xml.contains("type=\"policy\"/>")
            && xml.contains("no rule for this case"),
        "{xml}"
    );
    assert_eq!(xml.matches("<error ").count(), 1, "{xml}");
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

/// `corpus.jsonl` in `dir`: the first `n` lines of the example corpus, then `extra`.
fn first_cases(dir: &std::path::Path, n: usize, extra: &[&str]) -> std::path::PathBuf {
    let corpus = dir.join("corpus.jsonl");
    let good = fs::read_to_string(repo().join("examples/corpus.jsonl")).expect("corpus");
    let lines: Vec<&str> = good.lines().take(n).chain(extra.iter().copied()).collect();
    fs::write(&corpus, lines.join("\n")).expect("write");
    corpus
}

#[test]
fn bench_reports_throughput_and_percentiles_and_skips_bad_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = first_cases(dir.path(), 20, &["{\"case\": {\"id\": \"broken\"}}"]);
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

#[test]
fn bench_compares_policies_and_thread_counts_side_by_side() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = first_cases(dir.path(), 30, &[]);
    let wasm = tempfile::tempdir().expect("temp dir");
    let component = std::path::Path::new(test_programs::STANDARD_WASM);
    crate::determinism::standard_bundle(wasm.path(), "standard-wasm", (component, "standard.wasm"));
    let rules = repo().join("rules/standard-rhai");
    let out = pacto(&[
        "bench",
        "--policy",
        path(&rules),
        "--policy",
        path(wasm.path()),
        "--cases",
        path(&corpus),
        "--rounds",
        "1",
        "--threads",
        "1,2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("throughput  ").count(), 4, "{text}");
    let header = text
        .find("threads  decisions/s")
        .unwrap_or_else(|| panic!("{text}"));
    let table = &text[text[..header].rfind('\n').map_or(0, |i| i + 1)..];
    let rows: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "{table}");
    for (row, (folder, threads)) in rows.iter().zip([
        (path(&rules), "1"),
        (path(&rules), "2"),
        (path(wasm.path()), "1"),
        (path(wasm.path()), "2"),
    ]) {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!((cols[0], cols[1]), (folder, threads), "{table}");
        let per_second: f64 = cols[2].parse().expect("decisions/s");
        assert!(per_second > 0.0, "{table}");
        assert!(cols[3].ends_with('×'), "{table}");
    }
    assert!(rows[0].contains(" 1.00× "), "{table}");
}

/// `print` and `debug` in a Rhai policy go nowhere: `pacto decide`'s stdout is exactly
/// the one JSON decision, and stderr is empty.
#[test]
fn print_and_debug_do_not_reach_stdout_or_stderr() {
    let dir = tempfile::tempdir().expect("temp dir");
    standard_copy(dir.path());
    let script = dir.path().join("standard.rhai");
    let text = fs::read_to_string(&script).expect("script");
    fs::write(
        &script,
        text.replacen(
            "fn decide(ticket, now) {",
            "fn decide(ticket, now) {\n    print(\"leak-print\"); debug(\"leak-debug\");",
            1,
        ),
    )
    .expect("write");
    let case = first_fixture(dir.path());
    let fixture: Value =
        serde_json::from_str(&fs::read_to_string(&case).expect("read")).expect("JSON");
    let case_file = dir.path().join("case.json");
    fs::write(&case_file, fixture["case"].to_string()).expect("write case");
    let out = pacto(&[
        "decide",
        "--policy",
        path(dir.path()),
        "--case",
        path(&case_file),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains("leak"), "{text}");
    let mut values = serde_json::Deserializer::from_str(&text).into_iter::<Value>();
    let decision = values.next().expect("one value").expect("JSON");
    assert!(values.next().is_none(), "more than one JSON value: {text}");
    assert_eq!(decision["policy"]["name"], "standard");
    assert!(decision["deadlines"].is_array(), "{decision}");
}
