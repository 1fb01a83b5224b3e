//! The calendar vectors through the library: the 82 shared ones
//! (`tests/data/calendar-vectors.json`), taken from the test suites of real business-time
//! engines, and Pacto's own (`tests/data/calendar-vectors-pacto.json`): the skipped-day
//! rule (Pacific/Apia 2011, Pacific/Kwajalein 1993), the precedence of overrides and
//! holidays, and a jump across midnight that moves a day's last hours into the next
//! day's (America/Toronto 1919), each worked out by hand from DESIGN.md.

use jiff::Timestamp;
use pacto::calendar::{Calendar, Pauses};
use serde_json::Value;

pub struct Vector {
    pub id: String,
    pub calendar_toml: String,
    pub verb: String,
    pub args: Vec<String>,
    pub expect: String,
}

/// The shared vectors, with each calendar rendered as the TOML a user would write.
pub fn load() -> Vec<Vector> {
    parse(include_str!("../data/calendar-vectors.json"))
}

/// Pacto's own vectors (skipped days, overrides and precedence).
pub fn load_pacto() -> Vec<Vector> {
    parse(include_str!("../data/calendar-vectors-pacto.json"))
}

fn parse(text: &str) -> Vec<Vector> {
    let all: Vec<Value> = serde_json::from_str(text).expect("vectors are JSON");
    all.into_iter()
        .map(|v| Vector {
            id: v["id"].as_str().expect("id").to_owned(),
            calendar_toml: toml_of(&v["calendar"]),
            verb: v["verb"].as_str().expect("verb").to_owned(),
            args: v["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| a.as_str().expect("arg").to_owned())
                .collect(),
            expect: match &v["expect"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        })
        .collect()
}

/// `key = value` lines (JSON arrays and strings are TOML too), then `[overrides]`.
fn toml_of(cal: &Value) -> String {
    let mut out = String::new();
    let object = cal.as_object().expect("calendar object");
    for (key, value) in object {
        if key != "overrides" {
            out.push_str(&format!("{key} = {value}\n"));
        }
    }
    if let Some(overrides) = object.get("overrides") {
        out.push_str("\n[overrides]\n");
        for (date, hours) in overrides.as_object().expect("overrides object") {
            out.push_str(&format!("\"{date}\" = {hours}\n"));
        }
    }
    out
}

fn arg<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .map(|i| args[i + 1].as_str())
}

fn pauses(args: &[String]) -> Pauses {
    let pairs = args.windows(2).filter(|w| w[0] == "--pause").map(|w| {
        let (a, b) = w[1].split_once('/').expect("FROM/TO");
        (
            a.parse::<Timestamp>().expect("from"),
            Some(b.parse::<Timestamp>().expect("to")),
        )
    });
    Pauses::new(pairs).expect("valid pauses")
}

fn answer(v: &Vector) -> String {
    let cal = Calendar::from_toml(&v.id, &v.calendar_toml).expect("vector calendars are valid");
    let start: Timestamp = arg(&v.args, "--start")
        .expect("--start")
        .parse()
        .expect("start");
    let pauses = pauses(&v.args);
    match v.verb.as_str() {
        "due" => {
            let seconds = match (arg(&v.args, "--minutes"), arg(&v.args, "--seconds")) {
                (Some(m), None) => m.parse::<i64>().expect("minutes") * 60,
                (None, Some(s)) => s.parse::<i64>().expect("seconds"),
                _ => panic!("{}: exactly one of --minutes and --seconds", v.id),
            };
            cal.format(
                cal.add_business_seconds(start, seconds, &pauses)
                    .expect("due"),
            )
        }
        "elapsed" => {
            let end: Timestamp = arg(&v.args, "--end").expect("--end").parse().expect("end");
            let secs = cal
                .business_seconds_between(start, end, &pauses)
                .expect("elapsed");
            if v.args.iter().any(|a| a == "--seconds") {
                secs.to_string()
            } else {
                (secs / 60).to_string()
            }
        }
        other => panic!("{}: unknown verb {other}", v.id),
    }
}

fn check(vectors: &[Vector]) {
    let failures: Vec<String> = vectors
        .iter()
        .filter_map(|v| {
            let got = answer(v);
            (got != v.expect).then(|| {
                format!(
                    "{} {} {}: expected {}, got {got}",
                    v.id,
                    v.verb,
                    v.args.join(" "),
                    v.expect
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} vectors fail:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
}

#[test]
fn every_shared_vector_passes_through_the_library() {
    let vectors = load();
    assert_eq!(vectors.len(), 82);
    check(&vectors);
}

#[test]
fn skipped_day_and_precedence_vectors_pass_through_the_library() {
    let vectors = load_pacto();
    let count = |prefix: &str| vectors.iter().filter(|v| v.id.starts_with(prefix)).count();
    assert_eq!((count("skip-"), count("prec-"), count("gap-")), (12, 14, 4));
    assert!(
        vectors
            .iter()
            .any(|v| v.calendar_toml.contains("[overrides]"))
    );
    check(&vectors);
}
