//! SLA clock scenarios as data (`tests/data/clocks/scenarios.json`) on the `office`
//! calendar: every status, pauses straddling a deadline, reopened cases, next-response
//! cycles, an open pause at `now`.

use jiff::Timestamp;
use pacto::{Calendar, Case, Clock, Metric, Timeline};
use serde_json::{Value, json};

fn fmt(cal: &Calendar, t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| Value::String(cal.format(t)))
}

fn clock_json(cal: &Calendar, c: &Clock) -> Value {
    json!({
        "status": c.status.as_str(), "due": fmt(cal, c.due), "met_at": fmt(cal, c.met_at),
        "breached_by": c.breached_by, "remaining": c.remaining, "paused": c.paused,
    })
}

fn timeline_json(cal: &Calendar, t: &Timeline) -> Value {
    let paused: Vec<Value> = t
        .paused
        .iter()
        .map(|p| json!([fmt(cal, Some(p.interval.start)), fmt(cal, p.interval.end)]))
        .collect();
    json!({
        "first_response_at": fmt(cal, t.first_response_at), "last_agent_reply_at": fmt(cal, t.last_agent_reply_at),
        "awaiting_reply_since": fmt(cal, t.awaiting_reply_since), "solved_at": fmt(cal, t.solved_at),
        "reopen_count": t.reopen_count, "paused": paused,
    })
}

/// The fields `expect` names that differ, one line each, prefixed with `what`.
fn mismatches(what: &str, expect: &Value, actual: &Value) -> Vec<String> {
    pacto::fixture::compare(expect, actual)
        .iter()
        .map(|m| format!("{what}.{m}"))
        .collect()
}

/// The `office` calendar and the scenarios of `tests/data/clocks/`.
pub fn scenarios() -> (Calendar, Vec<Value>) {
    let cal = Calendar::from_toml("office.toml", include_str!("../data/clocks/office.toml"))
        .expect("calendar");
    let scenarios =
        serde_json::from_str(include_str!("../data/clocks/scenarios.json")).expect("scenarios");
    (cal, scenarios)
}

/// A scenario's name, its case and its `now`.
pub fn scenario(sc: &Value) -> (&str, Case, Timestamp) {
    let name = sc["name"].as_str().expect("name");
    let case = Case::from_value(json!({
        "id": name, "opened_at": sc["opened_at"], "priority": "normal", "channel": "email",
        "kind": "question", "customer": {"id": "K-1", "tier": "standard"}, "events": sc["events"],
    }))
    .expect("scenario cases are valid");
    let now: Timestamp = sc["now"].as_str().expect("now").parse().expect("now");
    (name, case, now)
}

#[test]
fn clock_scenarios() {
    let (cal, scenarios) = scenarios();
    let mut failures = Vec::new();
    for sc in &scenarios {
        let (name, case, now) = scenario(sc);
        let timeline = Timeline::derive(&case, now);
        if let Some(expect) = sc.get("timeline") {
            for m in mismatches("timeline", expect, &timeline_json(&cal, &timeline)) {
                failures.push(format!("{name}: {m}"));
            }
        }
        for c in sc["clocks"].as_array().expect("clocks") {
            let metric: Metric = c["metric"]
                .as_str()
                .expect("metric")
                .parse()
                .expect("metric");
            let clock = Clock::measure(
                metric,
                &cal,
                c["target"].as_i64().expect("target"),
                &case,
                &timeline,
                now,
            )
            .expect("clock");
            for m in mismatches(metric.as_str(), &c["expect"], &clock_json(&cal, &clock)) {
                failures.push(format!("{name}: {m}"));
            }
        }
    }
    assert!(scenarios.len() >= 19);
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_negative_target_is_an_error() {
    let cal = Calendar::from_toml("office.toml", include_str!("../data/clocks/office.toml"))
        .expect("calendar");
    let case = Case::from_value(
        json!({"id": "C", "opened_at": "2026-03-02T10:00:00Z", "priority": "low", "channel": "web",
        "kind": "request", "customer": {"id": "K", "tier": "standard"}}),
    )
    .expect("case");
    let now = case.opened_at;
    let err = Clock::measure(
        Metric::Resolution,
        &cal,
        -1,
        &case,
        &Timeline::derive(&case, now),
        now,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a clock target must be at least 0 business minutes, got -1"
    );
}
