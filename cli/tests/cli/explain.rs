//! `pacto decide --trace` and `pacto explain`: the trace is added and nothing else
//! changes; the SVG is well-formed and its marks sit where the trace (read from
//! `decide --trace`, not from the drawing code) says, at the scale the picture declares;
//! every example case gives an HTML page; the text reads as the issue asked; a Rhai and a
//! Wasm twin explain a case alike.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use serde_json::Value;

use crate::{pacto, path, repo, stderr, stdout};

/// The example cases with the `--now` their README suggests.
const EXAMPLES: [(&str, &str); 5] = [
    ("gold-complaint-phone", "2026-03-03T12:00:00+01:00"),
    ("urgent-outage-chat", "2026-03-15T00:00:00+01:00"),
    ("pending-on-customer", "2026-03-13T10:00:00+01:00"),
    ("reopened-twice", "2026-03-18T12:00:00+01:00"),
    ("internal-request", "2026-03-23T10:00:00+01:00"),
];

fn case_file(name: &str) -> String {
    repo()
        .join("examples/cases")
        .join(format!("{name}.json"))
        .display()
        .to_string()
}

fn run(args: &[&str]) -> String {
    let out = pacto(args);
    assert!(out.status.success(), "pacto {args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

fn decide(policy: &str, case: &str, now: &str, trace: bool) -> Value {
    let mut args = vec!["decide", "--policy", policy, "--case", case, "--now", now];
    if trace {
        args.push("--trace");
    }
    serde_json::from_str(&run(&args)).unwrap()
}

fn explain(policy: &str, case: &str, now: &str, format: &str) -> String {
    run(&[
        "explain", "--policy", policy, "--case", case, "--now", now, "--format", format,
    ])
}

/// Every element of an XML document with its attributes; panics unless well-formed.
fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                out.push((
                    String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    attrs,
                ));
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    assert!(depth >= 0);
    out
}

fn seconds(rfc3339: &str) -> f64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_second() as f64
}

fn num(attrs: &BTreeMap<String, String>, key: &str) -> f64 {
    attrs[key]
        .parse()
        .unwrap_or_else(|_| panic!("{key} = {}", attrs[key]))
}

#[test]
fn decide_trace_adds_a_trace_and_changes_nothing_else() {
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    for (name, now) in EXAMPLES {
        let plain = decide(&policy, &case_file(name), now, false);
        let mut traced = decide(&policy, &case_file(name), now, true);
        assert!(
            plain.get("trace").is_none(),
            "{name}: no trace without --trace"
        );
        let trace = traced
            .as_object_mut()
            .unwrap()
            .remove("trace")
            .expect("a trace");
        assert_eq!(
            traced, plain,
            "{name}: the traced decision is the same decision"
        );
        let clocks = trace["clocks"].as_array().unwrap();
        assert_eq!(
            clocks.len(),
            plain["deadlines"].as_array().unwrap().len(),
            "{name}"
        );
        for (c, d) in clocks.iter().zip(plain["deadlines"].as_array().unwrap()) {
            assert_eq!(c["metric"], d["metric"], "{name}");
            assert_eq!(c["due"], d["due"], "{name}");
            let counted: i64 = c["counted"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["seconds"].as_i64().unwrap())
                .sum();
            assert_eq!(counted, c["consumed_seconds"].as_i64().unwrap(), "{name}");
        }
        assert_eq!(trace["notes"], plain["notes"]);
        assert!(!trace["host_calls"].as_array().unwrap().is_empty());
    }
}

#[test]
fn the_pictures_marks_sit_where_the_trace_says() {
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    for (name, now) in EXAMPLES {
        let trace = decide(&policy, &case_file(name), now, true)["trace"].clone();
        let svg = explain(&policy, &case_file(name), now, "svg");
        let els = elements(&svg);
        let root = &els[0].1;
        assert_eq!(els[0].0, "svg", "{name}");
        let (t0, t1, x0, x1) = (
            num(root, "data-t0"),
            num(root, "data-t1"),
            num(root, "data-x0"),
            num(root, "data-x1"),
        );
        let x = |t: &Value| x0 + (seconds(t.as_str().unwrap()) - t0) / (t1 - t0) * (x1 - x0);
        let close = |a: f64, b: f64, what: &str| {
            assert!(
                (a - b).abs() < 0.02,
                "{name}: {what}: drawn at {a}, the trace says {b}"
            )
        };
        let of = |class: &str, metric: &str| -> Vec<&BTreeMap<String, String>> {
            els.iter()
                .filter(|(_, a)| {
                    a.get("class")
                        .is_some_and(|c| c.split(' ').any(|w| w == class))
                        && a.get("data-metric").is_some_and(|m| m == metric)
                })
                .map(|(_, a)| a)
                .collect()
        };
        for clock in trace["clocks"].as_array().unwrap() {
            let metric = clock["metric"].as_str().unwrap();
            let bars = of("bar", metric);
            if clock["started_at"].is_null() {
                assert!(
                    bars.is_empty(),
                    "{name}: {metric} is not started and has no bar"
                );
                continue;
            }
            // the bar runs from the start to the stop (or now), in one piece
            let left = bars.iter().map(|a| num(a, "x")).fold(f64::MAX, f64::min);
            let right = bars
                .iter()
                .map(|a| num(a, "x") + num(a, "width"))
                .fold(f64::MIN, f64::max);
            close(
                left,
                x(&clock["started_at"]),
                &format!("{metric} bar start"),
            );
            close(
                right,
                x(&clock["counted_until"]),
                &format!("{metric} bar end"),
            );
            let covered: f64 = bars.iter().map(|a| num(a, "width")).sum();
            close(covered, right - left, &format!("{metric} bar has no gap"));
            // red exactly when it ran past its due
            let red = bars.iter().any(|a| a["class"].contains("seg-100"));
            let past_due = seconds(clock["counted_until"].as_str().unwrap())
                > seconds(clock["due"].as_str().unwrap());
            assert_eq!(red, past_due, "{name}: {metric} red part");
            // the counted strip: one mark per counted interval, as long as it
            let strips = of("counted", metric);
            let counted = clock["counted"].as_array().unwrap();
            assert_eq!(
                strips.len(),
                counted.len(),
                "{name}: {metric} counted intervals"
            );
            for (strip, span) in strips.iter().zip(counted) {
                close(
                    num(strip, "x"),
                    x(&span["from"]),
                    &format!("{metric} counted from"),
                );
                close(
                    num(strip, "x") + num(strip, "width"),
                    x(&span["to"]),
                    &format!("{metric} counted to"),
                );
                assert_eq!(strip["data-seconds"], span["seconds"].to_string());
            }
            let width: f64 = strips.iter().map(|a| num(a, "width")).sum();
            let consumed = clock["consumed_seconds"].as_f64().unwrap() / (t1 - t0) * (x1 - x0);
            assert!(
                (width - consumed).abs() < 0.02 * strips.len() as f64 + 0.01,
                "{name}: {metric} counted width"
            );
            // the due line
            let due = of("due", metric);
            assert_eq!(due.len(), 1, "{name}: {metric} due line");
            close(
                num(due[0], "x1"),
                x(&clock["due"]),
                &format!("{metric} due"),
            );
            // pauses greyed on the bar, one per pause
            let paused = of("paused", metric);
            assert_eq!(
                paused.len(),
                clock["paused"].as_array().unwrap().len(),
                "{name}: {metric} pauses"
            );
            for (p, span) in paused.iter().zip(clock["paused"].as_array().unwrap()) {
                close(
                    num(p, "x"),
                    x(&span["from"]),
                    &format!("{metric} pause from"),
                );
            }
        }
        // the now line
        let now_line = els
            .iter()
            .find(|(n, a)| n == "line" && a.get("class").is_some_and(|c| c == "now"))
            .expect("a now line");
        close(num(&now_line.1, "x1"), x(&trace["now"]), "now");
        // every event up to now is marked
        let events = els
            .iter()
            .filter(|(n, a)| n == "g" && a.get("class").is_some_and(|c| c.starts_with("event")))
            .count();
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(case_file(name)).unwrap()).unwrap();
        assert_eq!(
            events,
            case["events"].as_array().unwrap().len(),
            "{name}: events"
        );
    }
}

#[test]
fn holidays_and_open_hours_are_marked() {
    // the standard policy's business calendar has Good Friday 2026 (3 April) as a
    // holiday and Maundy Thursday (2 April) open: a case over Easter shows one hatched
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(case_file("pending-on-customer")).unwrap();
    let mut case: Value = serde_json::from_str(&text).unwrap();
    case["opened_at"] = "2026-03-31T16:20:00+02:00".into();
    case["events"] = serde_json::json!([
        {"at": "2026-03-31T16:20:00+02:00", "type": "customer_message"},
        {"at": "2026-04-06T09:40:00+02:00", "type": "agent_reply"}
    ]);
    let file = dir.path().join("easter.json");
    std::fs::write(&file, case.to_string()).unwrap();
    let svg = explain(&policy, path(&file), "2026-04-06T12:00:00+02:00", "svg");
    let els = elements(&svg);
    let holidays: Vec<&str> = els
        .iter()
        .filter(|(_, a)| a.get("data-calendar").is_some_and(|c| c == "holiday"))
        .map(|(_, a)| a["data-from"].as_str())
        .collect();
    assert_eq!(holidays, ["2026-04-03T00:00:00+02:00"]);
    let open = els
        .iter()
        .filter(|(_, a)| a.get("data-calendar").is_some_and(|c| c == "open"))
        .count();
    assert!(open >= 4, "{open} open spans");
}

#[test]
fn every_example_case_gives_a_page() {
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    let mut pages = 0;
    for entry in std::fs::read_dir(repo().join("examples/cases")).unwrap() {
        let file = entry.unwrap().path();
        if file.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let case = path(&file);
        let out = pacto(&[
            "explain", "--policy", &policy, "--case", case, "--format", "html",
        ]);
        assert!(out.status.success(), "{case}: {}", stderr(&out));
        let html = stdout(&out);
        let els = elements(&html);
        assert_eq!(els[0].0, "html");
        assert!(els.iter().any(|(n, _)| n == "svg"), "{case}: the picture");
        for want in [
            "Deadlines",
            "Who must know",
            "What we owe",
            "Why each deadline is where it is",
            "first response",
        ] {
            assert!(html.contains(want), "{case}: {want}");
        }
        assert!(!html.contains("<script"), "{case}: no script");
        let links = html.replace("http://www.w3.org/", "");
        assert!(
            !links.contains("http://") && !links.contains("https://"),
            "{case}: nothing from the network"
        );
        pages += 1;
    }
    assert_eq!(pages, 5);
}

#[test]
fn the_text_account_says_why() {
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    let (name, now) = EXAMPLES[0];
    let text = explain(&policy, &case_file(name), now, "text");
    for want in [
        "next response: breached by 105 business minutes (1 h 45 min)",
        "started Tue 3 Mar 09:30, still running",
        "50 % at Tue 3 Mar 09:52, 75 % at Tue 3 Mar 10:03, due Tue 3 Mar 10:15",
        "paused Mon 2 Mar 11:02 – Tue 3 Mar 09:30: pending on the customer; 6 h 28 min of business hours not counted",
        "counted Mon 2 Mar 10:15–11:02 (47 min), Tue 3 Mar 09:30–12:00 (2 h 30 min)",
        "Escalation: level 2 to `tier2`",
        "service credit 49.90 EUR",
        "Host calls: clock(first_response, business, 45)",
    ] {
        assert!(text.contains(want), "missing `{want}` in:\n{text}");
    }
}

#[test]
fn explain_writes_to_a_file_and_names_a_bad_case() {
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("c.svg");
    let (name, now) = EXAMPLES[1];
    let out = pacto(&[
        "explain",
        "--policy",
        &policy,
        "--case",
        &case_file(name),
        "--now",
        now,
        "--format",
        "svg",
        "--out",
        path(&out_file),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    elements(&std::fs::read_to_string(&out_file).unwrap());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"id\": 3}").unwrap();
    let out = pacto(&["explain", "--policy", &policy, "--case", path(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.json"), "{}", stderr(&out));
}

#[test]
fn rhai_and_wasm_twins_explain_alike() {
    let rhai = path(&repo().join("rules/standard-rhai")).to_owned();
    let wasm = crate::library::runnable("standard-wasm");
    for (name, now) in EXAMPLES {
        let strip = |t: String| {
            t.lines()
                .filter(|l| !l.starts_with("Decided by"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let a = strip(explain(&rhai, &case_file(name), now, "text"));
        let b = strip(explain(path(wasm.path()), &case_file(name), now, "text"));
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn the_golden_pictures_are_what_explain_draws_and_their_pngs_were_rendered_from_them() {
    use sha2::{Digest, Sha256};
    let policy = path(&repo().join("rules/standard-rhai")).to_owned();
    let dir = repo().join("examples/explain");
    let rendered = std::fs::read_to_string(dir.join("rendered-from.txt")).unwrap();
    let mut checked = 0;
    for (name, now) in [EXAMPLES[0], EXAMPLES[2]] {
        let golden = std::fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap();
        let drawn = explain(&policy, &case_file(name), now, "svg");
        assert!(
            drawn == golden,
            "{name}: explain draws another picture than examples/explain/{name}.svg; run \
             scripts/render-explain and look at the PNGs before committing them"
        );
        let digest = format!("{:x}", Sha256::digest(golden.as_bytes()));
        assert!(
            rendered
                .lines()
                .any(|l| l == format!("{name}.png {digest}")),
            "{name}.png was not rendered from the current {name}.svg: run scripts/render-explain"
        );
        assert!(dir.join(format!("{name}.png")).is_file());
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn a_warning_the_policy_computes_is_marked_on_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let policy = crate::diff::variant(dir.path(), "warns", "1.0.1", |s| {
        s.replace(
            "fn decide(ticket, now) {",
            "fn decide(ticket, now) {\n    let warn = add_business_minutes(\"business\", ticket.clock(\"resolution\", \"business\", 720).due, -60);",
        )
    });
    let (name, now) = EXAMPLES[0];
    let trace = decide(path(&policy), &case_file(name), now, true)["trace"].clone();
    let warning = trace["host_calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["function"] == "add_business_minutes")
        .expect("the call is in the trace");
    assert_eq!(warning["minutes"], -60);
    let at = seconds(warning["value"].as_str().unwrap()) as i64;
    let svg = explain(path(&policy), &case_file(name), now, "svg");
    let points: Vec<_> = elements(&svg)
        .into_iter()
        .filter(|(n, a)| n == "line" && a.get("class").is_some_and(|c| c == "point"))
        .collect();
    assert_eq!(points.len(), 1, "{svg}");
    assert_eq!(seconds(&points[0].1["data-at"]) as i64, at);
    // one business hour before resolution's due (Wed 4 Mar 12:43)
    assert_eq!(points[0].1["data-at"], "2026-03-04T11:43:00+01:00");
    assert!(svg.contains("warning: 60 business minutes before"));
}
