//! `pacto sample`: byte-identical for the same seed (on any thread count), a prefix of
//! itself when asked for more, every line a valid corpus line, and the variety the
//! issue asks for; `examples/corpus.jsonl` is exactly its output.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::{pacto, repo, stderr};

fn sample(n: &str, seed: &str, threads: &str) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["sample", "--cases", n, "--seed", seed])
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("pacto runs");
    assert!(out.status.success(), "{}", stderr(&out));
    out.stdout
}

#[test]
fn sample_is_deterministic_and_a_prefix_of_itself() {
    let one = sample("5000", "42", "1");
    assert!(one == sample("5000", "42", "2"), "thread counts differ");
    assert!(one == sample("5000", "42", "1"), "two runs differ");
    let more = sample("6000", "42", "2");
    assert!(more.starts_with(&one), "5,000 cases are the first of 6,000");
    assert!(
        one != sample("5000", "43", "2"),
        "another seed, other cases"
    );
    assert_eq!(one.iter().filter(|b| **b == b'\n').count(), 5000);
}

#[test]
fn the_example_corpus_is_sample_1000_seed_2026() {
    let committed = fs::read(repo().join("examples/corpus.jsonl")).expect("corpus");
    assert!(
        committed == pacto(&["sample", "--cases", "1000", "--seed", "2026"]).stdout,
        "regenerate: pacto sample --cases 1000 --seed 2026 > examples/corpus.jsonl"
    );
}

#[test]
fn sampled_cases_are_valid_and_cover_the_contract() {
    let text = String::from_utf8(sample("5000", "7", "2")).expect("UTF-8");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut offsets: BTreeSet<(String, String)> = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON");
        let now = v["now"].as_str().expect("now");
        now.parse::<jiff::Timestamp>().expect("now is RFC 3339");
        let case =
            pacto::Case::from_value(v["case"].clone()).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(ids.insert(case.id.clone()), "ids are unique");
        let c = &v["case"];
        for key in ["priority", "channel", "kind"] {
            seen.insert(format!("{key}:{}", c[key].as_str().unwrap()));
        }
        seen.insert(format!("tier:{}", c["customer"]["tier"].as_str().unwrap()));
        if case.customer.internal {
            seen.insert("internal".into());
        }
        if let Some(order) = &case.order {
            seen.insert(format!("currency:{}", order.currency));
            if let Some(until) = order.warranty_until {
                let opened = case.opened_at.to_zoned(jiff::tz::TimeZone::UTC).date();
                seen.insert(
                    if until < opened {
                        "warranty:expired"
                    } else {
                        "warranty:valid"
                    }
                    .into(),
                );
            }
        }
        for e in c["events"].as_array().unwrap() {
            let status = e["status"]
                .as_str()
                .map_or(String::new(), |s| format!("/{s}"));
            seen.insert(format!("event:{}{status}", e["type"].as_str().unwrap()));
            if let Some(scale) = e["scale"].as_u64() {
                seen.insert(format!("scale:{scale}"));
            }
        }
        let followups = case
            .events_by_time()
            .windows(2)
            .filter(|w| {
                matches!(w[0], pacto::case::Event::AgentReply { .. })
                    && matches!(w[1], pacto::case::Event::CustomerMessage { .. })
            })
            .count();
        if followups > 0 {
            seen.insert("next-response cycle".into());
        }
        let opened = c["opened_at"].as_str().unwrap();
        seen.insert(format!("month:{}", &opened[5..7]));
        let region = c["attributes"]["region"].as_str().unwrap().to_owned();
        offsets.insert((region, opened[19..].to_owned()));
    }
    let expected = [
        "priority:low",
        "priority:normal",
        "priority:high",
        "priority:urgent",
        "channel:email",
        "channel:phone",
        "channel:chat",
        "channel:social",
        "channel:web",
        "channel:in_person",
        "channel:mail",
        "kind:question",
        "kind:incident",
        "kind:problem",
        "kind:request",
        "kind:complaint",
        "kind:compliment",
        "tier:standard",
        "tier:silver",
        "tier:gold",
        "tier:platinum",
        "internal",
        "currency:EUR",
        "currency:USD",
        "currency:GBP",
        "currency:JPY",
        "currency:CHF",
        "currency:BRL",
        "currency:AUD",
        "warranty:valid",
        "warranty:expired",
        "event:customer_message",
        "event:agent_reply",
        "event:internal_note",
        "event:status/pending",
        "event:status/on_hold",
        "event:status/open",
        "event:status/solved",
        "event:status/closed",
        "event:reopened",
        "event:satisfaction",
        "scale:5",
        "scale:10",
        "next-response cycle",
    ];
    for what in expected {
        assert!(seen.contains(what), "no `{what}` in 5,000 sampled cases");
    }
    for month in 1..=12 {
        assert!(seen.contains(&format!("month:{month:02}")), "month {month}");
    }
    // both sides of each DST change: winter and summer offsets of the same region
    for (region, winter, summer) in [
        ("es", "+01:00", "+02:00"),
        ("us-east", "-05:00", "-04:00"),
        ("au", "+11:00", "+10:00"),
    ] {
        for offset in [winter, summer] {
            assert!(
                offsets.contains(&(region.to_owned(), offset.to_owned())),
                "{region} {offset}"
            );
        }
    }
}
