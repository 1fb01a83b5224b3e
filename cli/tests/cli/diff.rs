//! `pacto diff`: its counts equal those worked out here from decisions made one by one
//! through the library; errors on either side are counted; the HTML report's charts
//! hold the JSON's figures; `--fail-on-change` gates.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pacto::{ClockStatus, Decision, Engine};
use quick_xml::events::Event;
use serde_json::{Value, json};

use crate::{pacto, path, repo, stderr};

/// `rules/standard-rhai` copied to `dir/name`, with `edit` applied to the script, a
/// version and the wall-clock cap lifted (the one limit that depends on the machine).
pub(crate) fn variant(
    dir: &Path,
    name: &str,
    version: &str,
    edit: impl Fn(String) -> String,
) -> PathBuf {
    let from = repo().join("rules/standard-rhai");
    let to = dir.join(name);
    fs::create_dir_all(to.join("calendars")).unwrap();
    for file in ["calendars/business.toml", "calendars/24x7.toml"] {
        fs::copy(from.join(file), to.join(file)).unwrap();
    }
    let script = fs::read_to_string(from.join("standard.rhai")).unwrap();
    fs::write(to.join("standard.rhai"), edit(script)).unwrap();
    let manifest = fs::read_to_string(from.join("policy.toml"))
        .unwrap()
        .replace("version = \"1.0.0\"", &format!("version = \"{version}\""));
    fs::write(
        to.join("policy.toml"),
        format!("{manifest}\n[limits]\ntimeout_ms = 600_000\n"),
    )
    .unwrap();
    to
}

/// The standard policy, and a stricter one: gold gets 50% of the base targets instead
/// of 75%, and urgent mail cases fail (an error on the `to` side only).
fn policies(dir: &Path) -> (PathBuf, PathBuf) {
    let from = variant(dir, "from", "1.0.0", |s| s);
    let to = variant(dir, "to", "1.1.0", |s| {
        let s = s.replace("\"gold\" => 75,", "\"gold\" => 50,");
        assert!(s.contains("\"gold\" => 50,"));
        s.replace(
            "fn decide(ticket, now) {",
            "fn decide(ticket, now) {\n    if ticket.channel == \"mail\" && ticket.priority == \"urgent\" { throw \"no rule for urgent mail\"; }",
        )
    });
    (from, to)
}

/// 800 sampled cases with three bad lines among them.
fn corpus(dir: &Path) -> PathBuf {
    let out = pacto(&["sample", "--cases", "800", "--seed", "16"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.insert(10, "not json".into());
    lines.insert(400, json!({"case": {"id": "half"}}).to_string());
    lines.push(json!({"case": {"id": "x"}, "nwo": "2026-01-01T00:00:00Z"}).to_string());
    let file = dir.join("corpus.jsonl");
    fs::write(&file, lines.join("\n")).unwrap();
    file
}

fn diff(from: &Path, to: &Path, cases: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "diff",
        "--from",
        path(from),
        "--to",
        path(to),
        "--cases",
        path(cases),
    ];
    args.extend_from_slice(extra);
    pacto(&args)
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// What changed between two answers, worked out independently of the CLI.
fn differs(a: &Result<Decision, String>, b: &Result<Decision, String>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            x.deadlines != y.deadlines
                || x.escalation != y.escalation
                || x.compensation != y.compensation
        }
        (Err(k1), Err(k2)) => k1 != k2,
        _ => true,
    }
}

fn breached(d: &Result<Decision, String>) -> bool {
    d.as_ref().is_ok_and(|d| {
        d.deadlines
            .iter()
            .any(|x| x.status == ClockStatus::Breached)
    })
}

fn escalated(d: &Result<Decision, String>) -> bool {
    d.as_ref()
        .is_ok_and(|d| d.escalation.as_ref().is_some_and(|e| e.level > 0))
}

#[test]
fn diff_counts_match_decisions_made_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let (from_dir, to_dir) = policies(dir.path());
    let cases = corpus(dir.path());
    let report = json_of(&diff(&from_dir, &to_dir, &cases, &["--format", "json"]));

    let engine = Engine::new();
    let (from, to) = (
        engine.load(&from_dir).unwrap(),
        engine.load(&to_dir).unwrap(),
    );
    let text = fs::read_to_string(&cases).unwrap();
    let (mut n, mut bad, mut changed, mut ids) = (0u64, 0u64, 0u64, Vec::new());
    let (mut errors, mut esc, mut br) = ([0u64; 2], [0u64; 2], [0u64; 2]);
    let mut money: BTreeMap<String, [i64; 2]> = BTreeMap::new();
    let mut gold_breached = [0u64; 2];
    let mut earlier = 0u64;
    let mut flips: BTreeMap<String, u64> = BTreeMap::new();
    let mut first_example = None;
    for line in text.lines() {
        n += 1;
        let v: Value = serde_json::from_str(line).unwrap_or(Value::Null);
        let parsed = pacto::Case::from_value(v["case"].clone()).ok().filter(|_| {
            v.as_object()
                .is_some_and(|o| o.keys().all(|k| k == "case" || k == "now"))
        });
        let Some(case) = parsed else {
            bad += 1;
            errors[0] += 1;
            errors[1] += 1;
            continue;
        };
        let now: jiff::Timestamp = v["now"].as_str().unwrap().parse().unwrap();
        let answers = [&from, &to].map(|p| p.decide(&case, now).map_err(|e| e.kind().to_owned()));
        for side in 0..2 {
            errors[side] += u64::from(answers[side].is_err());
            esc[side] += u64::from(escalated(&answers[side]));
            br[side] += u64::from(breached(&answers[side]));
            if case.customer.tier == "gold" {
                gold_breached[side] += u64::from(breached(&answers[side]));
            }
            if let Ok(d) = &answers[side] {
                for c in &d.compensation {
                    if let Some(cur) = &c.currency {
                        money.entry(cur.clone()).or_default()[side] += c.amount;
                    }
                }
            }
        }
        if differs(&answers[0], &answers[1]) {
            changed += 1;
            if ids.len() < 100 {
                ids.push(case.id.clone());
            }
            first_example.get_or_insert(case.id.clone());
        }
        if let (Ok(x), Ok(y)) = (&answers[0], &answers[1]) {
            for (a, b) in x.deadlines.iter().zip(&y.deadlines) {
                if a.metric == pacto::Metric::FirstResponse && b.metric == a.metric {
                    if let (Some(da), Some(db)) = (a.due, b.due) {
                        earlier += u64::from(db.timestamp < da.timestamp);
                    }
                    if a.status != b.status {
                        let key = format!("{}->{}", a.status.as_str(), b.status.as_str());
                        *flips.entry(key).or_default() += 1;
                    }
                }
            }
        }
    }

    assert_eq!(report["cases"], n);
    assert_eq!(report["bad_lines"], bad);
    assert_eq!(bad, 3);
    assert_eq!(report["changed"], changed);
    assert!(
        changed > 50,
        "the stricter policy changes many gold cases: {changed}"
    );
    assert!(
        errors[1] > errors[0],
        "urgent mail fails with `to`: {errors:?}"
    );
    assert_eq!(
        report["errors"],
        json!({"from": errors[0], "to": errors[1]})
    );
    assert_eq!(report["escalated"], json!({"from": esc[0], "to": esc[1]}));
    assert_eq!(report["breached"], json!({"from": br[0], "to": br[1]}));
    let expected_money: BTreeMap<String, Value> = money
        .iter()
        .map(|(c, [f, t])| (c.clone(), json!({"from": f, "to": t})))
        .collect();
    assert_eq!(report["compensation"], json!(expected_money));
    assert_eq!(report["changed_ids"], json!(ids));
    assert_eq!(report["example"]["id"], json!(first_example));
    assert_eq!(
        report["segments"]["tier"]["gold"]["breached"],
        json!({"from": gold_breached[0], "to": gold_breached[1]})
    );
    let fr = &report["fields"]["deadlines"]["first_response"];
    assert_eq!(fr["earlier"], earlier);
    assert_eq!(
        fr["later"], 0,
        "stricter targets never move a deadline later"
    );
    assert_eq!(fr["status"], json!(flips));
    assert_eq!(
        fr["due_shift"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        earlier,
        "every moved deadline is in the histogram"
    );
    assert_eq!(
        report["fields"]["errors"]["appeared"].as_u64().unwrap(),
        errors[1] - errors[0]
    );
    // the segments partition the usable cases
    for dim in ["priority", "channel", "tier"] {
        let segs = report["segments"][dim].as_object().unwrap();
        let total: u64 = segs.values().map(|s| s["cases"].as_u64().unwrap()).sum();
        assert_eq!(total, n - bad, "{dim}");
        let changed_total: u64 = segs.values().map(|s| s["changed"].as_u64().unwrap()).sum();
        assert_eq!(changed_total, changed, "{dim}");
    }
    assert_eq!(report["policies"]["to"]["version"], "1.1.0");

    // the same report on one thread
    let one = json_of(&diff(
        &from_dir,
        &to_dir,
        &cases,
        &["--format", "json", "--threads", "1"],
    ));
    assert_eq!(one, report);
}

/// The bars of every chart in the page: chart → (series, key) → value.
fn charts(html: &str) -> BTreeMap<String, BTreeMap<(String, String), i128>> {
    let mut reader = quick_xml::Reader::from_str(html);
    let mut out: BTreeMap<String, BTreeMap<(String, String), i128>> = BTreeMap::new();
    let mut chart: Option<String> = None;
    loop {
        match reader.read_event().expect("the page is well-formed") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attrs: BTreeMap<String, String> = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                        (
                            key,
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        )
                    })
                    .collect();
                match e.name().as_ref() {
                    b"svg" => {
                        let name = attrs["data-chart"].clone();
                        out.entry(name.clone()).or_default();
                        chart = Some(name);
                    }
                    b"rect" if attrs.contains_key("data-series") => {
                        let c = chart.clone().expect("a bar inside a chart");
                        let value = attrs["data-value"].parse().unwrap();
                        let key = (attrs["data-series"].clone(), attrs["data-key"].clone());
                        assert!(out.get_mut(&c).unwrap().insert(key, value).is_none());
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref() == b"svg" => chart = None,
            _ => {}
        }
    }
    out
}

#[test]
fn the_html_report_charts_the_json_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (from_dir, to_dir) = policies(dir.path());
    let cases = corpus(dir.path());
    let report = json_of(&diff(&from_dir, &to_dir, &cases, &["--format", "json"]));
    let page = dir.path().join("report.html");
    let out = diff(
        &from_dir,
        &to_dir,
        &cases,
        &["--format", "html", "--out", path(&page)],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "the page goes to --out");
    let html = fs::read_to_string(&page).unwrap();
    for link in ["src=", "href=", "url(", "@import"] {
        assert!(!html.contains(link), "no external resources: `{link}`");
    }
    assert!(!html.contains("<script"), "no script");
    let got = charts(&html);

    let mut expected: BTreeMap<String, BTreeMap<(String, String), i128>> = BTreeMap::new();
    for dim in ["tier", "priority", "channel"] {
        let bars = expected.entry(format!("breached-by-{dim}")).or_default();
        for (key, seg) in report["segments"][dim].as_object().unwrap() {
            for side in ["from", "to"] {
                let v = seg["breached"][side].as_i64().unwrap();
                bars.insert((side.into(), key.clone()), v.into());
            }
        }
    }
    for currency in report["compensation"].as_object().unwrap().keys() {
        let bars = expected
            .entry(format!("money-{currency}-by-tier"))
            .or_default();
        for (tier, seg) in report["segments"]["tier"].as_object().unwrap() {
            for side in ["from", "to"] {
                let v = seg["compensation"][currency][side].as_i64().unwrap_or(0);
                bars.insert((side.into(), tier.clone()), v.into());
            }
        }
    }
    for (metric, m) in report["fields"]["deadlines"].as_object().unwrap() {
        let bins = m["due_shift"].as_array().unwrap();
        if bins.iter().all(|b| b["count"] == 0) {
            continue;
        }
        let bars = expected.entry(format!("due-shift-{metric}")).or_default();
        for b in bins {
            let key = ("count".to_owned(), b["label"].as_str().unwrap().to_owned());
            bars.insert(key, b["count"].as_i64().unwrap().into());
        }
    }
    assert!(expected.len() >= 7, "{:?}", expected.keys());
    assert_eq!(got, expected);

    // the changed-case table lists the JSON's ids, the example its id
    for id in report["changed_ids"].as_array().unwrap() {
        assert!(
            html.contains(&format!(">{}<", id.as_str().unwrap())),
            "{id}"
        );
    }
    assert!(html.contains(report["example"]["id"].as_str().unwrap()));
}

#[test]
fn fail_on_change_gates_and_the_table_names_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (from_dir, to_dir) = policies(dir.path());
    let cases = corpus(dir.path());
    let same = diff(&from_dir, &from_dir, &cases, &["--fail-on-change"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let text = String::from_utf8(same.stdout).unwrap();
    assert!(
        text.starts_with("standard 1.0.0 → standard 1.0.0: 0 of 803 cases changed"),
        "{text}"
    );

    let swapped = diff(&from_dir, &to_dir, &cases, &["--fail-on-change"]);
    assert_eq!(swapped.status.code(), Some(1), "{}", stderr(&swapped));
    let text = String::from_utf8(swapped.stdout).unwrap();
    for words in [
        "breached cases",
        "escalated cases",
        "compensation EUR",
        "first_response",
        "by tier",
        "example: ",
    ] {
        assert!(text.contains(words), "no `{words}` in\n{text}");
    }
    let missing = diff(&from_dir, &to_dir, Path::new("/nonexistent.jsonl"), &[]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/nonexistent.jsonl"));
}

#[test]
fn diff_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let (from_dir, to_dir) = policies(dir.path());
    let cases = corpus(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args([
            "diff",
            "--from",
            path(&from_dir),
            "--to",
            path(&to_dir),
            "--cases",
            "-",
            "--format",
            "json",
        ])
        .stdin(fs::File::open(&cases).unwrap())
        .output()
        .unwrap();
    let piped = json_of(&out);
    assert_eq!(
        piped,
        json_of(&diff(&from_dir, &to_dir, &cases, &["--format", "json"]))
    );
}
