//! Every policy sees a case's events sorted by time (stably), whatever order the
//! helpdesk sent them in, Rhai and Wasm alike.

use pacto::{Case, Engine, Policy};
use serde_json::json;

use crate::harness;

/// Three events sent out of order; the two at 10:05 keep their relative order.
fn unsorted() -> Case {
    Case::from_value(json!({
        "id": "events", "opened_at": "2026-03-02T10:00:00Z", "priority": "normal",
        "channel": "email", "kind": "question", "customer": {"id": "K", "tier": "standard"},
        "events": [
            {"at": "2026-03-02T10:20:00Z", "type": "agent_reply"},
            {"at": "2026-03-02T10:05:00Z", "type": "customer_message"},
            {"at": "2026-03-02T10:00:00Z", "type": "customer_message"},
            {"at": "2026-03-02T10:05:00Z", "type": "internal_note"}
        ]
    }))
    .unwrap()
}

fn notes(policy: &Policy) -> Vec<String> {
    let now = "2026-03-02T11:00:00Z".parse().unwrap();
    policy.decide(&unsorted(), now).unwrap().notes
}

#[test]
fn rhai_policies_see_the_events_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(dir.path(), "order", "rhai", "p.rhai", "");
    std::fs::write(
        dir.path().join("p.rhai"),
        r#"fn decide(ticket, now) {
    let notes = [];
    for e in ticket.events { notes.push(`${e.at} ${e.type}`); }
    #{ deadlines: [], escalation: (), compensation: [], notes: notes }
}"#,
    )
    .unwrap();
    let policy = Engine::new().load(dir.path()).unwrap();
    assert_eq!(
        notes(&policy),
        [
            "1772445600 customer_message",
            "1772445900 customer_message",
            "1772445900 internal_note",
            "1772446800 agent_reply"
        ]
    );
}

#[test]
fn wasm_policies_see_the_events_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(dir.path(), "sandbox", "wasm", "p.wasm", "");
    std::fs::copy(test_programs::SANDBOX, dir.path().join("p.wasm")).unwrap();
    let policy = Engine::new().load(dir.path()).unwrap();
    assert_eq!(
        notes(&policy),
        ["1772445600", "1772445900", "1772445900", "1772446800"]
    );
}
