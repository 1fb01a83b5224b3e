//! `rules/fallback`: over every decision of 3,000 sampled cases, what the registry's
//! last resort promises (README): a deadline for each running clock on the 24x7
//! calendar at the priority's generous target, a person on every case (the duty
//! manager, level 3 with the support manager exactly when a clock is breached), and
//! never any compensation.

use super::{replayed, runnable};

/// The README's (response, resolution) targets in minutes.
fn targets(priority: &str) -> (i64, i64) {
    match priority {
        "urgent" => (60, 480),
        "high" => (240, 2880),
        "normal" => (720, 7200),
        _ => (1440, 14400),
    }
}

#[test]
fn every_case_gets_deadlines_and_a_person_and_never_money() {
    let bundle = runnable("fallback");
    let mut breached = 0;
    for (line, decision) in replayed(bundle.path(), 3000, 5) {
        let case = &line["case"];
        let id = &case["id"];
        assert_eq!(decision["policy"]["name"], "fallback");
        assert_eq!(decision["compensation"], serde_json::json!([]), "{id}");
        let (response, resolution) = targets(case["priority"].as_str().unwrap());
        let deadlines = decision["deadlines"].as_array().unwrap();
        let metrics: Vec<&str> = deadlines
            .iter()
            .map(|d| d["metric"].as_str().unwrap())
            .collect();
        assert!(
            metrics == ["first_response", "resolution"]
                || metrics == ["first_response", "next_response", "resolution"],
            "{id}: {metrics:?}"
        );
        for d in deadlines {
            assert_eq!(d["calendar"], "24x7", "{id}");
            let target = if d["metric"] == "resolution" {
                resolution
            } else {
                response
            };
            assert_eq!(d["target"], target, "{id}: {d}");
        }
        let late = deadlines.iter().any(|d| d["status"] == "breached");
        breached += usize::from(late);
        let e = &decision["escalation"];
        assert_eq!(e["team"], "duty-manager", "{id}");
        assert!(e["raise_priority"].is_null(), "{id}");
        let reason = e["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("decided by the fallback policy; a person must check this case"),
            "{id}: {reason}"
        );
        let level = e["level"].as_i64().unwrap();
        assert!((1..=3).contains(&level), "{id}: {level}");
        assert_eq!(level == 3, late, "{id}: level {level}");
        let notify = if late {
            serde_json::json!(["support-manager"])
        } else {
            serde_json::json!([])
        };
        assert_eq!(e["notify"], notify, "{id}");
        assert_eq!(
            decision["notes"],
            serde_json::json!(["fallback v1: decided without the business policy; review by hand"]),
            "{id}"
        );
    }
    assert!(breached > 0, "the corpus has breaches");
}
