//! Hostile input (issue "Hardening", item 4): deeply nested JSON, 100,000 events, 5 MB
//! strings, timestamps at the ends of the supported range, a calendar with thousands of
//! holidays. Each gets a typed error or a correct answer, never a panic; the same policy
//! then decides an ordinary case.

use pacto::{Calendar, Case, DecideError, Engine, LimitExceeded, Policy};

use crate::wasm::wasm_bundle;

const CASE: &str = r#"{
    "id": "H-1", "opened_at": "2026-03-02T09:00:00+01:00", "priority": "high",
    "channel": "email", "kind": "complaint", "customer": {"id": "C-1", "tier": "gold"},
    "events": [{"at": "2026-03-02T09:00:00+01:00", "type": "customer_message"}]
}"#;

fn ordinary() -> Case {
    Case::from_json(CASE).unwrap()
}

fn now() -> jiff::Timestamp {
    "2026-03-03T12:00:00+01:00".parse().unwrap()
}

/// Both standard policies, with a wall-clock cap that a debug build under load meets.
fn policies() -> Vec<(&'static str, Policy, Option<tempfile::TempDir>)> {
    let engine = Engine::new();
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai");
    let mut rhai = pacto::Bundle::load(std::path::Path::new(rules)).unwrap();
    rhai.limits.timeout_ms = 60_000;
    let dir = wasm_bundle("standard-wasm", test_programs::STANDARD_WASM);
    let mut wasm = pacto::Bundle::load(dir.path()).unwrap();
    wasm.limits.timeout_ms = 60_000;
    vec![
        ("rhai", engine.from_bundle(rhai).unwrap(), None),
        ("wasm", engine.from_bundle(wasm).unwrap(), Some(dir)),
    ]
}

/// `case` decided by every policy: a decision or a typed error, and the policy decides
/// an ordinary case afterwards.
fn decide_everywhere(case: &Case) -> Vec<(&'static str, Result<pacto::Decision, DecideError>)> {
    policies()
        .into_iter()
        .map(|(name, policy, _dir)| {
            let result = policy.decide(case, now());
            policy
                .decide(&ordinary(), now())
                .unwrap_or_else(|e| panic!("{name}: the next case failed: {e}"));
            (name, result)
        })
        .collect()
}

#[test]
fn deeply_nested_json_is_refused_as_input_naming_the_place() {
    for depth in [200, 100_000] {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let text = CASE.replace(
            r#""tier": "gold"}"#,
            &format!(r#""tier": "gold"}}, "attributes": {{"deep": {nested}}}"#),
        );
        let e = Case::from_json(&text).unwrap_err();
        assert!(e.message.contains("recursion limit"), "{depth}: {e}");
        assert!(
            e.line > 0 && e.path.starts_with("attributes"),
            "{depth}: {e:?}"
        );
    }
}

#[test]
fn a_hundred_thousand_events_are_refused_by_max_events_before_the_policy_runs() {
    let mut value: serde_json::Value = serde_json::from_str(CASE).unwrap();
    let events: Vec<serde_json::Value> = (0..100_000)
        .map(|i| {
            let at = jiff::Timestamp::from_second(1_772_438_400 + i).unwrap();
            let kind = if i % 2 == 0 {
                "customer_message"
            } else {
                "agent_reply"
            };
            serde_json::json!({"at": at.to_string(), "type": kind})
        })
        .collect();
    value["events"] = serde_json::Value::Array(events);
    let case = Case::from_json(&value.to_string()).unwrap();
    for (name, result) in decide_everywhere(&case) {
        match result {
            Err(DecideError::Limit(LimitExceeded::Events { count, limit })) => {
                assert_eq!((count, limit), (100_000, 10_000), "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// The ordinary case with a 5 MB `category`.
fn five_megabyte_case() -> Case {
    let big = "x".repeat(5 * 1024 * 1024);
    let text = CASE.replace(
        r#""kind": "complaint""#,
        &format!(r#""kind": "complaint", "category": "{big}""#),
    );
    Case::from_json(&text).unwrap()
}

#[test]
fn a_five_megabyte_string_is_refused_by_max_case_bytes_before_the_policy_runs() {
    let case = five_megabyte_case();
    let size = case.size_bytes();
    assert!(size > 5 * 1024 * 1024, "{size}");
    for (name, result) in decide_everywhere(&case) {
        match result {
            Err(DecideError::Limit(LimitExceeded::CaseBytes { size: s, limit })) => {
                assert_eq!((s, limit), (size, 1 << 20), "{name}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn a_five_megabyte_string_within_max_case_bytes_gets_an_answer_or_the_string_limit() {
    let case = five_megabyte_case();
    let raised = pacto::Limits {
        max_case_bytes: 8 << 20,
        ..pacto::Limits::default()
    };
    for (name, policy, _dir) in policies() {
        let policy = policy.with_limits(raised.clone());
        match (name, policy.decide(&case, now())) {
            ("rhai", Err(DecideError::Limit(limit))) => {
                assert!(limit.to_string().contains("max_string_size"), "{limit}")
            }
            ("wasm", Ok(d)) => assert!(!d.deadlines.is_empty()),
            (name, other) => panic!("{name}: {other:?}"),
        }
        assert!(policy.decide(&ordinary(), now()).is_ok(), "{name}");
    }
}

#[test]
fn timestamps_at_the_ends_of_the_supported_range_get_an_answer_or_a_time_error() {
    for (opened, now) in [
        ("1900-01-01T00:00:00Z", "1900-01-02T00:00:00Z"),
        ("2199-12-31T00:00:00Z", "2199-12-31T23:59:59Z"),
        ("1899-12-31T23:59:59Z", "1900-01-02T00:00:00Z"),
        ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
        ("-009999-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
    ] {
        let text = CASE.replace("2026-03-02T09:00:00+01:00", opened).replace(
            r#""events": [{"at": "2026-03-02T09:00:00+01:00", "type": "customer_message"}]"#,
            r#""events": []"#,
        );
        // beyond what jiff holds (years -9999 to 9999, less a day at each end): bad input
        let case = match Case::from_json(&text) {
            Ok(case) => case,
            Err(e) => {
                assert_eq!(e.path, "opened_at", "{opened}: {e}");
                continue;
            }
        };
        for (name, policy, _dir) in policies() {
            match policy.decide(&case, now.parse().unwrap()) {
                Ok(d) => assert!(!d.deadlines.is_empty(), "{name} {opened}"),
                Err(DecideError::Time(e)) => {
                    assert!(
                        e.to_string().contains("supported range"),
                        "{name} {opened}: {e}"
                    )
                }
                Err(e) => panic!("{name} {opened}: {} {e}", e.kind()),
            }
            policy.decide(&ordinary(), self::now()).unwrap();
        }
    }
}

#[test]
fn a_calendar_with_thousands_of_holidays_answers_in_bounded_work() {
    // every weekday of 30 years a holiday, but for one day a year
    let mut holidays = Vec::new();
    let mut day: jiff::civil::Date = "2000-01-01".parse().unwrap();
    while day.year() < 2030 {
        if !(day.month() == 6 && day.day() == 15) {
            holidays.push(format!("\"{day}\""));
        }
        day = day.tomorrow().unwrap();
    }
    assert!(holidays.len() > 10_000);
    let toml = format!(
        "timezone = \"Europe/Madrid\"\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\nwed = [\"09:00-17:00\"]\nthu = [\"09:00-17:00\"]\nfri = [\"09:00-17:00\"]\nsat = [\"09:00-17:00\"]\nsun = [\"09:00-17:00\"]\nholidays = [{}]\n",
        holidays.join(", ")
    );
    let calendar = Calendar::from_toml("many-holidays.toml", &toml).unwrap();
    let start: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    // 60 minutes from New Year's Day 2026: the only open day is 15 June
    let due = calendar.add_business_minutes(start, 60).unwrap();
    assert_eq!(due.to_string(), "2026-06-15T08:00:00Z");
    // past 2029 every day is open again; before 2000 too
    let elapsed = calendar
        .business_minutes_between(
            "1999-12-31T00:00:00Z".parse().unwrap(),
            "2031-01-01T00:00:00Z".parse().unwrap(),
        )
        .unwrap();
    assert_eq!(elapsed, (30 + 365) * 8 * 60 + 8 * 60);
}
