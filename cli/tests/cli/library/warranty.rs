//! `rules/warranty`: over every decision of 6,000 sampled cases, a third of them given a
//! service plan (care-plus, care-basic, or a name the policy does not know), the
//! README's coverage, targets and what it can give away: warranty time only (30 or 60
//! days, exactly when a repair under warranty is late), an apology when a paid plan ran
//! late, never money, never anything for a colleague.

use serde_json::{Value, json};

use super::{replayed_edited, runnable};

/// The case's coverage as the README defines it.
fn coverage(case: &Value) -> (&'static str, bool) {
    let order = &case["order"];
    let opened: jiff::Timestamp = case["opened_at"].as_str().unwrap().parse().unwrap();
    let opened_on = opened.in_tz("Europe/Madrid").unwrap().date();
    let under = order["warranty_until"]
        .as_str()
        .is_some_and(|until| until.parse::<jiff::civil::Date>().unwrap() >= opened_on);
    let plan = match case["attributes"]["service_plan"].as_str() {
        Some("care-plus") if order.is_object() => "care-plus",
        Some("care-basic") if order.is_object() => "care-basic",
        _ if under => "warranty",
        _ => "none",
    };
    (plan, under)
}

/// A service plan for about a third of the cases, chosen by the id's last digit.
fn with_plans(line: &mut Value) {
    let id = line["case"]["id"].as_str().unwrap().to_owned();
    let plan = match id.chars().last() {
        Some('1' | '4') => "care-plus",
        Some('2' | '5') => "care-basic",
        Some('3') => "care-gold",
        _ => return,
    };
    let case = line["case"].as_object_mut().unwrap();
    let attributes = case.entry("attributes").or_insert_with(|| json!({}));
    attributes["service_plan"] = json!(plan);
}

#[test]
fn coverage_sets_the_targets_and_only_warranty_time_is_given_away() {
    let bundle = runnable("warranty");
    let mut seen = std::collections::BTreeMap::new();
    let (mut extensions, mut apologies) = (0, 0);
    for (line, decision) in replayed_edited(bundle.path(), 6000, 5, with_plans) {
        let case = &line["case"];
        let id = &case["id"];
        let (plan, under) = coverage(case);
        *seen.entry(plan).or_insert(0) += 1;
        let (response, repair) = match plan {
            "care-plus" => (("24x7", 60), 1440),
            "care-basic" => (("workshop", 240), 1920),
            "warranty" => (("workshop", 480), 2400),
            _ => (("workshop", 960), 1440),
        };
        let deadlines = decision["deadlines"].as_array().unwrap();
        let mut resolution = None;
        for d in deadlines {
            if d["metric"] == "resolution" {
                assert_eq!(
                    (&d["calendar"], &d["target"]),
                    (&json!("workshop"), &json!(repair)),
                    "{id}"
                );
                resolution = Some(d);
            } else {
                assert_eq!(
                    (&d["calendar"], &d["target"]),
                    (&json!(response.0), &json!(response.1)),
                    "{id}"
                );
            }
        }
        let resolution = resolution.unwrap_or_else(|| panic!("{id}: no repair deadline"));
        let late = deadlines.iter().any(|d| d["status"] == "breached");
        assert_eq!(decision["escalation"].is_null(), !late, "{id}");

        let internal = case["customer"]["internal"] == true;
        let lines = decision["compensation"].as_array().unwrap();
        let mut expected = Vec::new();
        if !internal && under && resolution["status"] == "breached" {
            let days = if resolution["breached_by"].as_i64().unwrap() < 2400 {
                30
            } else {
                60
            };
            expected.push(("warranty_extension", Some(days)));
        }
        if !internal && plan.starts_with("care-") && late {
            expected.push(("apology", None));
        }
        let actual: Vec<(&str, Option<i64>)> = lines
            .iter()
            .map(|c| (c["kind"].as_str().unwrap(), c["days"].as_i64()))
            .collect();
        assert_eq!(actual, expected, "{id}: {lines:?}");
        for c in lines {
            assert_eq!(c["amount"], 0, "{id}: never money");
            assert!(c["currency"].is_null(), "{id}");
            assert_eq!(c["requires_approval"], false, "{id}");
        }
        extensions += expected
            .iter()
            .filter(|e| e.0 == "warranty_extension")
            .count();
        apologies += expected.iter().filter(|e| e.0 == "apology").count();
    }
    assert!(
        seen.len() == 4 && extensions > 0 && apologies > 0,
        "coverage {seen:?}, extensions {extensions}, apologies {apologies}"
    );
}
