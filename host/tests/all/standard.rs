//! The standard policy bundle (`rules/standard-rhai`): its fixtures pass, and the Rhai
//! script decides exactly like the same policy written in Rust.

#[path = "../support/generate.rs"]
mod generate;
#[path = "../support/standard_native.rs"]
mod standard_native;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use pacto::{Case, Engine, Policy};
use serde_json::Value;
use standard_native::StandardNative;

fn bundle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/standard-rhai")
}

fn short(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Compares only what `expect` names: objects field by field, arrays element by element
/// (and their lengths), anything else by equality. One line per mismatch:
/// `path: expected X, got Y`.
fn partial_mismatches(path: &str, expect: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expect, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, w) in want {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match got.get(key) {
                    Some(g) => partial_mismatches(&sub, w, g, out),
                    None => out.push(format!("{sub}: expected {}, got nothing", short(w))),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if want.len() != got.len() {
                out.push(format!(
                    "{path}: expected {} elements, got {}: {}",
                    want.len(),
                    got.len(),
                    short(actual)
                ));
            }
            for (i, (w, g)) in want.iter().zip(got).enumerate() {
                partial_mismatches(&format!("{path}[{i}]"), w, g, out);
            }
        }
        _ if expect == actual => {}
        _ => out.push(format!(
            "{path}: expected {}, got {}",
            short(expect),
            short(actual)
        )),
    }
}

#[test]
fn partial_compare_reports_paths() {
    let actual = serde_json::json!({"a": {"b": [1, {"c": 2, "d": 3}]}, "e": null});
    let mut out = Vec::new();
    partial_mismatches(
        "",
        &serde_json::json!({"a": {"b": [1, {"c": 2}]}, "e": null}),
        &actual,
        &mut out,
    );
    assert!(out.is_empty(), "{out:?}");
    partial_mismatches(
        "",
        &serde_json::json!({"a": {"b": [1, {"c": 5}]}, "e": 1, "f": 0}),
        &actual,
        &mut out,
    );
    assert_eq!(
        out,
        [
            "a.b[1].c: expected 5, got 2",
            "e: expected 1, got null",
            "f: expected 0, got nothing"
        ]
    );
    out.clear();
    partial_mismatches("", &serde_json::json!({"a": {"b": [1]}}), &actual, &mut out);
    assert_eq!(out.len(), 1);
    assert!(
        out[0].starts_with("a.b: expected 1 elements, got 2"),
        "{out:?}"
    );
}

#[test]
fn standard_fixtures_pass() {
    let policy = Engine::new()
        .load(bundle_dir())
        .expect("the standard bundle loads");
    let mut files: Vec<PathBuf> = std::fs::read_dir(bundle_dir().join("fixtures"))
        .expect("fixtures folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "only {} fixtures", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("read fixture"))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        let case = Case::from_value(fixture["case"].clone())
            .unwrap_or_else(|e| panic!("{name}: case: {e}"));
        let now: Timestamp = fixture["now"]
            .as_str()
            .expect("now")
            .parse()
            .unwrap_or_else(|e| panic!("{name}: now: {e}"));
        match policy.decide(&case, now) {
            Ok(decision) => {
                let actual = serde_json::to_value(&decision).expect("decision serializes");
                let mut out = Vec::new();
                partial_mismatches("", &fixture["expect"], &actual, &mut out);
                failures.extend(out.into_iter().map(|m| format!("{name}: {m}")));
            }
            Err(e) => failures.push(format!("{name}: the policy failed: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rhai_and_native_standard_policies_agree() {
    // The parity check is about what is decided, not how fast: a generous wall-clock cap
    // keeps a busy test machine from turning a slow decision into a difference.
    let mut bundle = pacto::Bundle::load(&bundle_dir()).expect("the standard bundle loads");
    bundle.limits.timeout_ms = 60_000;
    let rhai = Engine::new()
        .from_bundle(bundle)
        .expect("the standard bundle compiles");
    let native = Policy::native(
        rhai.info().clone(),
        rhai.calendars().clone(),
        StandardNative,
    );

    let cases = generate::cases(0x5EED_2026, 5_000);
    // Both policies are `Send + Sync`: decide in parallel, one chunk of cases per thread.
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get());
    let outcomes: Vec<Result<String, String>> = std::thread::scope(|s| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(threads))
            .map(|chunk| {
                let (rhai, native) = (&rhai, &native);
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(case, now)| {
                            let a = rhai
                                .decide(case, *now)
                                .map(|d| serde_json::to_string(&d).expect("serializes"));
                            let b = native
                                .decide(case, *now)
                                .map(|d| serde_json::to_string(&d).expect("serializes"));
                            match (a, b) {
                                (Ok(a), Ok(b)) if a == b => Ok(a),
                                (a, b) => Err(format!(
                                    "{} at {now}:\n  rhai:   {a:?}\n  native: {b:?}",
                                    case.id
                                )),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker panicked"))
            .collect()
    });
    let differences: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    let decisions: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let escalated = decisions
        .iter()
        .filter(|d| d.contains("\"escalation\":{"))
        .count();
    let compensated = decisions
        .iter()
        .filter(|d| !d.contains("\"compensation\":[]"))
        .count();
    assert!(
        differences.is_empty(),
        "{} of {} decisions differ; first ones:\n{}",
        differences.len(),
        cases.len(),
        differences
            .iter()
            .take(5)
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generated cases reach the interesting branches, not only the quiet ones.
    assert!(escalated > cases.len() / 10, "only {escalated} escalations");
    assert!(
        compensated > cases.len() / 20,
        "only {compensated} compensations"
    );
}

#[test]
fn generated_cases_are_deterministic_and_varied() {
    let a = generate::cases(7, 300);
    let b = generate::cases(7, 300);
    assert_eq!(a, b);
    let priorities: std::collections::BTreeSet<_> = a.iter().map(|(c, _)| c.priority).collect();
    assert_eq!(priorities.len(), 4);
    assert!(a.iter().any(|(c, _)| c.customer.internal));
    assert!(a.iter().any(|(c, _)| c.order.is_some()) && a.iter().any(|(c, _)| c.order.is_none()));
    for (case, now) in &a {
        case.validate().expect("generated cases are valid");
        assert!(
            case.events.iter().all(|e| e.at() <= *now),
            "{}: an event after now",
            case.id
        );
        assert_eq!(
            case.opened_at.to_zoned(jiff::tz::TimeZone::UTC).year(),
            2026
        );
    }
}
