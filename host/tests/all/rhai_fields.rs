//! Rhai policies see every field of the contract, and a field outside it is an error
//! naming the field, its line and column and the nearest known name — never a silent
//! `()` that sends an urgent case down the else branch (DESIGN "Rhai policy contract").

use pacto::{DecideError, Engine, Policy};
use serde_json::json;

use crate::harness;

fn policy(body: &str) -> (tempfile::TempDir, Policy) {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(dir.path(), "fields", "rhai", "p.rhai", "");
    let script = format!("fn decide(ticket, now) {{\n{body}\n}}\n",);
    std::fs::write(dir.path().join("p.rhai"), script).unwrap();
    let policy = Engine::new()
        .load(dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, policy)
}

fn decide(body: &str, case: serde_json::Value) -> Result<Vec<String>, DecideError> {
    let (_dir, policy) = policy(body);
    let case = pacto::Case::from_value(case).unwrap();
    policy
        .decide(&case, "2026-03-02T10:30:00Z".parse().unwrap())
        .map(|d| d.notes)
}

fn case() -> serde_json::Value {
    json!({"id": "T-1", "opened_at": "2026-03-02T10:00:00Z", "priority": "urgent",
        "channel": "email", "kind": "question", "customer": {"id": "K", "tier": "gold"},
        "events": [{"at": "2026-03-02T10:00:00Z", "type": "customer_message"},
                   {"at": "2026-03-02T10:05:00Z", "type": "status", "status": "pending"}]})
}

const EMPTY: &str = "#{ deadlines: [], escalation: (), compensation: [], notes: notes }";

#[test]
fn a_typo_in_a_ticket_field_is_an_error_with_its_place_and_a_suggestion() {
    let e = decide(
        &format!("    let notes = [];\n    if ticket.priorty == \"urgent\" {{ notes.push(\"urgent\"); }}\n    {EMPTY}"),
        case(),
    )
    .unwrap_err();
    let DecideError::Policy(failed) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        failed.message,
        "unknown field `priorty`; did you mean `priority`?"
    );
    let at = failed.location.as_ref().expect("a location");
    assert_eq!((at.line, at.file.ends_with("p.rhai")), (3, true), "{e}");
    assert!(e.to_string().contains("p.rhai:3:"), "{e}");
}

#[test]
fn a_typo_in_a_clock_or_timeline_field_is_an_error_too() {
    for (read, wanted) in [
        (
            "ticket.clock(\"first_response\", \"office\", 60).breached",
            "breached_by",
        ),
        ("ticket.timeline.reopens", "reopen_count"),
        ("ticket.customer.teir", "tier"),
    ] {
        let e = decide(
            &format!("    let x = {read};\n    let notes = [];\n    {EMPTY}"),
            case(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains(&format!("did you mean `{wanted}`?")),
            "{read}: {e}"
        );
    }
}

#[test]
fn optional_fields_the_case_lacks_read_as_unit() {
    let notes = decide(
        &format!(
            "    let notes = [];\n\
             \x20   notes.push(`${{ticket.order == ()}} ${{type_of(ticket.category)}} ${{ticket.timeline.solved_at == ()}}`);\n\
             \x20   for e in ticket.events {{ notes.push(`${{e.type}} ${{e.status}} ${{e.score == ()}}`); }}\n\
             \x20   {EMPTY}"
        ),
        case(),
    )
    .unwrap();
    assert_eq!(
        notes,
        [
            "true () true",
            "customer_message  true",
            "status pending true",
        ]
    );
}
