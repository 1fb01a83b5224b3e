//! The limits the host applies around every backend (issue 17, item 2): events in a
//! case (`max_events`), entries in a decision's lists (`max_output_items`) and bytes in
//! its strings (`max_output_string`); each a distinct typed error, each set in
//! `policy.toml`; also host calls (`max_host_calls`), the case's size (`max_case_bytes`),
//! zero limits and the defaults.

use pacto::{Bundle, Case, DecideError, Engine, LimitExceeded, Policy};

const CASE: &str = r#"{
    "id": "L-1", "opened_at": "2026-03-02T09:00:00+01:00", "priority": "high",
    "channel": "email", "kind": "complaint", "customer": {"id": "C-1", "tier": "gold"},
    "events": [{"at": "2026-03-02T09:00:00+01:00", "type": "customer_message"},
               {"at": "2026-03-02T09:05:00+01:00", "type": "internal_note"}]
}"#;

/// A Rhai policy whose decision is `body` (a Rhai expression for the returned map),
/// under `limits` (TOML lines of the `[limits]` table).
fn policy(body: &str, limits: &str) -> Policy {
    let manifest = format!(
        "name = \"l\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"l.rhai\"\n[limits]\n{limits}\n"
    );
    let script = format!("fn decide(ticket, now) {{ {body} }}");
    let bundle = Bundle::from_files([("policy.toml", manifest), ("l.rhai", script)]).unwrap();
    Engine::new().from_bundle(bundle).unwrap()
}

fn decide(policy: &Policy) -> Result<pacto::Decision, DecideError> {
    policy.decide(
        &Case::from_json(CASE).unwrap(),
        "2026-03-02T10:00:00+01:00".parse().unwrap(),
    )
}

fn limit(result: Result<pacto::Decision, DecideError>) -> LimitExceeded {
    match result {
        Err(DecideError::Limit(l)) => l,
        other => panic!("expected a limit, got {other:?}"),
    }
}

const NOTES: &str = "let notes = []; for i in 0..N { notes.push(\"n\" + i) } #{ notes: notes }";

#[test]
fn a_decision_with_too_many_entries_is_refused_naming_the_list() {
    let p = policy(&NOTES.replace('N', "101"), "");
    let l = limit(decide(&p));
    assert_eq!(
        l,
        LimitExceeded::OutputItems {
            path: "notes".into(),
            count: 101,
            limit: 100
        }
    );
    assert_eq!(
        l.to_string(),
        "`notes` has 101 entries, more than 100 (`max_output_items`)"
    );
    assert_eq!(
        decide(&policy(&NOTES.replace('N', "100"), ""))
            .unwrap()
            .notes
            .len(),
        100
    );
    // policy.toml raises it
    let raised = policy(&NOTES.replace('N', "101"), "max_output_items = 500");
    assert_eq!(decide(&raised).unwrap().notes.len(), 101);
}

#[test]
fn a_decision_with_a_long_string_is_refused_naming_the_field() {
    let body = "let s = \"\"; s.pad(5000, 'x'); #{ notes: [\"ok\", s] }";
    let l = limit(decide(&policy(body, "")));
    assert_eq!(
        l,
        LimitExceeded::OutputString {
            path: "notes[1]".into(),
            len: 5000,
            limit: 4096
        }
    );
    let reason = "let r = \"\"; r.pad(300, 'r'); #{ escalation: #{ level: 1, reason: r } }";
    let l = limit(decide(&policy(reason, "max_output_string = 256")));
    assert!(
        matches!(&l, LimitExceeded::OutputString { path, .. } if path == "escalation.reason"),
        "{l}"
    );
    assert!(decide(&policy(body, "max_output_string = 8192")).is_ok());
}

#[test]
fn a_case_with_more_events_than_max_events_is_refused_before_the_policy_runs() {
    // the script would fail if it ran: the limit comes first
    let p = policy("throw \"ran\"", "max_events = 1");
    assert_eq!(
        limit(decide(&p)),
        LimitExceeded::Events { count: 2, limit: 1 }
    );
    let p = policy("#{ notes: [\"ran\"] }", "max_events = 2");
    assert_eq!(decide(&p).unwrap().notes, ["ran"]);
}

#[test]
fn a_case_larger_than_max_case_bytes_is_refused_before_the_policy_runs() {
    let case = Case::from_json(CASE).unwrap();
    let size = case.size_bytes();
    let p = policy("throw \"ran\"", &format!("max_case_bytes = {}", size - 1));
    assert_eq!(
        limit(decide(&p)),
        LimitExceeded::CaseBytes {
            size,
            limit: size - 1
        }
    );
    let p = policy("#{ notes: [\"ran\"] }", &format!("max_case_bytes = {size}"));
    assert_eq!(decide(&p).unwrap().notes, ["ran"]);
}

#[test]
fn a_limit_of_zero_is_refused_at_load_naming_the_key() {
    for key in [
        "fuel",
        "memory_mb",
        "max_operations",
        "timeout_ms",
        "max_call_depth",
        "max_string_size",
        "max_array_size",
        "max_map_size",
        "max_events",
        "max_output_items",
        "max_output_string",
        "max_host_calls",
        "max_case_bytes",
    ] {
        let manifest = format!(
            "name = \"l\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"l.rhai\"\n[limits]\n{key} = 0\n"
        );
        let e = Bundle::from_files([
            ("policy.toml", manifest),
            ("l.rhai", "fn decide(ticket, now) { #{} }".to_owned()),
        ])
        .unwrap_err();
        assert!(
            e.to_string()
                .contains(&format!("`limits.{key}` must be greater than 0")),
            "{key}: {e}"
        );
    }
}

#[test]
fn the_default_limits_are_the_documented_ones() {
    // SECURITY.md's table of default limits, value by value
    let l = pacto::Limits::default();
    assert_eq!(l.fuel, 10_000_000);
    assert_eq!(l.memory_mb, 16);
    assert_eq!(l.max_operations, 1_000_000);
    assert_eq!(l.timeout_ms, 50);
    assert_eq!(l.max_call_depth, 64);
    assert_eq!(l.max_string_size, 65_536);
    assert_eq!(l.max_array_size, 10_000);
    assert_eq!(l.max_map_size, 10_000);
    assert_eq!(l.max_events, 10_000);
    assert_eq!(l.max_output_items, 100);
    assert_eq!(l.max_output_string, 4_096);
    assert_eq!(l.max_host_calls, 10_000);
    assert_eq!(l.max_case_bytes, 1 << 20);
    // and a bundle without `[limits]` gets them
    let b = Bundle::from_files([
        (
            "policy.toml",
            "name = \"l\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"l.rhai\"\n".to_owned(),
        ),
        ("l.rhai", "fn decide(ticket, now) { #{} }".to_owned()),
    ])
    .unwrap();
    assert_eq!(b.limits, l);
}
