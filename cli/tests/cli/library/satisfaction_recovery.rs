//! `rules/satisfaction-recovery`: 3,000 sampled cases replayed as they are and with
//! their ratings removed. A rating that is not poor changes nothing at all; a poor one
//! (40% of its scale or less) adds a recovery contact, an escalation and an apology
//! (none for a colleague), and never moves a deadline; no rating ever brings money.

use serde_json::Value;

use super::{replayed, replayed_edited, runnable};

fn at(event: &Value) -> jiff::Timestamp {
    event["at"].as_str().unwrap().parse().unwrap()
}

/// The latest rating at `now` (the host's rule: events sorted stably by time, none
/// after `now`) as (score, scale), and whether an agent has replied since it.
fn latest_rating(case: &Value, now: jiff::Timestamp) -> Option<(i64, i64, bool)> {
    let mut events: Vec<&Value> = case["events"].as_array().unwrap().iter().collect();
    events.sort_by_key(|e| at(e));
    let rating = events
        .iter()
        .rfind(|e| e["type"] == "satisfaction" && at(e) <= now)?;
    let rated = at(rating);
    let contacted = events
        .iter()
        .any(|e| e["type"] == "agent_reply" && rated < at(e) && at(e) <= now);
    let (score, scale) = (rating["score"].as_i64()?, rating["scale"].as_i64()?);
    Some((score, scale, contacted))
}

#[test]
fn only_a_poor_rating_changes_the_decision_and_never_its_deadlines() {
    let bundle = runnable("satisfaction-recovery");
    let rated = replayed(bundle.path(), 3000, 5);
    let unrated = replayed_edited(bundle.path(), 3000, 5, |line| {
        let events = line["case"]["events"].as_array_mut().unwrap();
        events.retain(|e| e["type"] != "satisfaction");
    });
    // ratings read poor, and ratings read satisfied or delighted
    let (mut poor, mut fine) = (0, 0);
    // the corpus lines carry `now`, so removing a rating leaves `now` where it was
    for ((line, with), (_, without)) in rated.iter().zip(&unrated) {
        let case = &line["case"];
        let now: jiff::Timestamp = line["now"].as_str().unwrap().parse().unwrap();
        let id = &case["id"];
        assert_eq!(with["deadlines"], without["deadlines"], "{id}");
        for c in with["compensation"].as_array().unwrap() {
            assert_eq!(
                (&c["kind"], &c["amount"]),
                (&"apology".into(), &0.into()),
                "{id}"
            );
        }
        match latest_rating(case, now) {
            Some((score, scale, contacted)) if score * 5 <= scale * 2 => {
                poor += 1;
                let note = with["notes"][1].as_str().unwrap_or_default();
                assert!(note.starts_with("recovery contact due by "), "{id}: {with}");
                let made = with["notes"].as_array().unwrap().len() == 3;
                assert_eq!(made, contacted, "{id}: {with}");
                if !contacted {
                    // customer success holds the case until someone calls back
                    let level = with["escalation"]["level"].as_i64().unwrap();
                    assert!(level >= 2, "{id}: {with}");
                }
                let apologies = usize::from(case["customer"]["internal"] != true);
                assert_eq!(
                    with["compensation"].as_array().unwrap().len(),
                    apologies,
                    "{id}"
                );
            }
            rating => {
                fine += usize::from(rating.is_some());
                assert_eq!(
                    with, without,
                    "{id}: a rating that is not poor changed the decision"
                );
            }
        }
    }
    assert!(poor > 20 && fine > 20, "poor {poor}, fine {fine}");
}
