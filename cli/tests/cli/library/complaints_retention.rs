//! `rules/complaints-retention`: its money rules over every decision of 6,000 sampled
//! cases (README "The money it can commit"): only external customers' complaints get
//! anything; no money without an order or at the 90-day cap; at most one money line,
//! a fixed share of the order in the order's currency; approval exactly for refunds and
//! above the currency's threshold.

use super::{int, replayed, runnable};

/// The README's approval thresholds, in minor units; an unknown currency always needs
/// approval.
fn threshold(currency: &str) -> i64 {
    match currency {
        "EUR" | "USD" | "GBP" | "CHF" => 5000,
        "AUD" | "JPY" => 8000,
        "BRL" => 25000,
        _ => 0,
    }
}

#[test]
fn money_follows_the_ladder_the_cap_and_the_approval_thresholds() {
    let bundle = runnable("complaints-retention");
    let (mut paid, mut capped, mut approvals, mut refunds) = (0, 0, 0, 0);
    for seed in [5, 19] {
        for (line, decision) in replayed(bundle.path(), 3000, seed) {
            let case = &line["case"];
            let id = &case["id"];
            let lines = decision["compensation"].as_array().unwrap();
            let complaint = case["kind"] == "complaint";
            let internal = case["customer"]["internal"] == true;
            if !complaint || internal {
                assert!(lines.is_empty(), "{id}: {lines:?}");
                continue;
            }
            assert!(matches!(lines.len(), 1 | 2), "{id}: {lines:?}");
            let apology = &lines[0];
            assert_eq!(apology["kind"], "apology", "{id}");
            assert_eq!(apology["amount"], 0, "{id}");
            assert!(apology["currency"].is_null(), "{id}");
            assert_eq!(apology["requires_approval"], false, "{id}");
            if apology["reason"].as_str().unwrap().contains("cap reached") {
                capped += 1;
                let level = decision["escalation"]["level"].as_i64().unwrap();
                assert_eq!(level, 3, "{id}: the cap sends the case to retention");
            }
            let Some(money) = lines.get(1) else { continue };
            paid += 1;
            assert!(int(case, "/customer/credits_90d") < 2, "{id}: over the cap");
            let order = &case["order"];
            assert!(order.is_object(), "{id}: money without an order");
            let currency = order["currency"].as_str().unwrap();
            assert_eq!(money["currency"], currency, "{id}");
            let percent = match money["kind"].as_str().unwrap() {
                "voucher" => vec![10],
                "service_credit" => vec![20, 30],
                "refund" => vec![50],
                other => panic!("{id}: {other} is not on the ladder"),
            };
            let amount = money["amount"].as_i64().unwrap();
            let value = order["value"].as_i64().unwrap();
            assert!(amount > 0, "{id}");
            assert!(
                percent.iter().any(|p| amount == value * p / 100),
                "{id}: {amount} is not {percent:?}% of {value}"
            );
            let refund = money["kind"] == "refund";
            refunds += usize::from(refund);
            let needs = refund || amount > threshold(currency);
            approvals += usize::from(needs);
            assert_eq!(money["requires_approval"], needs, "{id}: {money}");
        }
    }
    // the corpus reaches every money rule, so the assertions above are not vacuous
    assert!(
        paid > 100 && capped > 0 && approvals > 0 && refunds > 0,
        "paid {paid}, capped {capped}, approvals {approvals}, refunds {refunds}"
    );
}
