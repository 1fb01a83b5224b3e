//! `rules/internal-ola`: over every decision of 6,000 sampled cases (about 5% of them
//! colleagues), the README's promises: never compensation; office hours but for urgent
//! cases; the owning team's lead for a colleague, the service desk for anyone else;
//! the service owner told exactly when a clock is breached.

use super::{replayed, runnable};

#[test]
fn colleagues_are_never_paid_and_reach_the_owning_teams_lead() {
    let bundle = runnable("internal-ola");
    let (mut colleagues, mut escalated, mut breached) = (0, 0, 0);
    for seed in [5, 19] {
        for (line, decision) in replayed(bundle.path(), 3000, seed) {
            let case = &line["case"];
            let id = &case["id"];
            assert_eq!(decision["compensation"], serde_json::json!([]), "{id}");
            let calendar = if case["priority"] == "urgent" {
                "24x7"
            } else {
                "office"
            };
            let deadlines = decision["deadlines"].as_array().unwrap();
            assert!(deadlines.iter().all(|d| d["calendar"] == calendar), "{id}");
            let late = deadlines.iter().any(|d| d["status"] == "breached");
            breached += usize::from(late);
            let e = &decision["escalation"];
            let notify: Vec<&str> = e["notify"]
                .as_array()
                .map(|n| n.iter().map(|w| w.as_str().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(notify.contains(&"service-owner"), late, "{id}: {e}");
            if late {
                assert_eq!(e["level"], 2, "{id}: a breach is level 2");
            }
            if !e.is_null() {
                assert!(matches!(e["level"].as_i64(), Some(1 | 2)), "{id}: {e}");
                assert!(e["raise_priority"].is_null(), "{id}");
            }
            if case["customer"]["internal"] != true {
                let reason = e["reason"].as_str().unwrap_or_default();
                assert!(
                    reason.starts_with("external customer: outside the internal OLA, re-route it"),
                    "{id}: {e}"
                );
                assert!(notify.contains(&"service-desk"), "{id}: {e}");
                continue;
            }
            colleagues += 1;
            assert_eq!(
                decision["notes"],
                serde_json::json!(["internal-ola v1"]),
                "{id}"
            );
            assert!(!notify.contains(&"service-desk"), "{id}: {e}");
            if !e.is_null() {
                escalated += 1;
                let owner = case["category"].as_str().unwrap_or("service-desk");
                assert_eq!(e["team"], format!("{owner}-lead"), "{id}: {e}");
            }
        }
    }
    assert!(
        colleagues > 200 && escalated > 0 && breached > 0,
        "colleagues {colleagues}, escalated {escalated}, breached {breached}"
    );
}
