//! `pacto calendar due|elapsed`: the shared vectors through the binary, and bad input.

use std::fs;

use serde_json::Value;

use crate::{pacto, repo, stderr, stdout};

/// A vector's calendar as the TOML a user would write: `key = value` lines (JSON arrays
/// and strings are TOML too), then an `[overrides]` table.
fn toml_of(calendar: &Value) -> String {
    let object = calendar.as_object().expect("calendar");
    let mut toml: String = object
        .iter()
        .filter(|(k, _)| k.as_str() != "overrides")
        .map(|(k, val)| format!("{k} = {val}\n"))
        .collect();
    if let Some(overrides) = object.get("overrides") {
        toml.push_str("\n[overrides]\n");
        for (date, hours) in overrides.as_object().expect("overrides") {
            toml.push_str(&format!("\"{date}\" = {hours}\n"));
        }
    }
    toml
}

/// Runs every vector of `file` through `pacto calendar`; returns how many there were.
fn run_vectors(file: &str) -> usize {
    let text = fs::read_to_string(repo().join(file)).expect("vectors");
    let vectors: Vec<Value> = serde_json::from_str(&text).expect("JSON");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    for v in &vectors {
        let id = v["id"].as_str().expect("id");
        let path = dir.path().join(format!("{id}.toml"));
        fs::write(&path, toml_of(&v["calendar"])).expect("write calendar");
        let mut args = vec![
            "calendar",
            v["verb"].as_str().expect("verb"),
            "--calendar",
            path.to_str().expect("utf-8 path"),
        ];
        args.extend(
            v["args"]
                .as_array()
                .expect("args")
                .iter()
                .map(|a| a.as_str().expect("arg")),
        );
        let out = pacto(&args);
        let expect = match &v["expect"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if out.status.code() != Some(0) || stdout(&out) != expect {
            failures.push(format!(
                "{id}: pacto {}: expected {expect}, got {:?} (exit {:?}) {}",
                args.join(" "),
                stdout(&out),
                out.status.code(),
                stderr(&out)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors fail:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
    vectors.len()
}

#[test]
fn every_shared_vector_passes_through_the_cli() {
    assert_eq!(run_vectors("host/tests/data/calendar-vectors.json"), 82);
}

/// The skipped-day (Pacific/Apia 2011-12-30, Pacific/Kwajalein 1993-08-21), the
/// override-precedence and the jump-across-midnight (America/Toronto 1919) vectors,
/// through the binary.
#[test]
fn skipped_day_and_precedence_vectors_pass_through_the_cli() {
    assert_eq!(
        run_vectors("host/tests/data/calendar-vectors-pacto.json"),
        30
    );
}

/// Runs `pacto calendar ARGS` on a calendar file with `calendar` as its text and returns
/// (exit code, stderr).
fn bad(calendar: &str, args: &[&str]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("support.toml");
    fs::write(&path, calendar).expect("write");
    let mut all = vec![
        "calendar",
        args[0],
        "--calendar",
        path.to_str().expect("utf-8"),
    ];
    all.extend_from_slice(&args[1..]);
    let out = pacto(&all);
    assert!(out.stdout.is_empty(), "nothing on stdout for bad input");
    (out.status.code(), stderr(&out))
}

const GOOD: &str = "timezone = \"Europe/Madrid\"\nmon = [\"09:00-17:00\"]\n";
const DUE: [&str; 5] = [
    "due",
    "--start",
    "2026-03-02T10:00:00+01:00",
    "--minutes",
    "60",
];

#[test]
fn bad_calendars_exit_2_naming_the_file_line_and_field() {
    let cases: [(&str, &str); 8] = [
        (
            "timezone = \"UTC\"\nmon = [\"09:00-13:00\", \"12:00-18:00\"]\n",
            "support.toml:2:23: intervals overlap in `mon`",
        ),
        (
            "timezone = \"UTC\"\nmon = [\"18:00-09:00\"]\n",
            "support.toml:2:8: invalid interval `18:00-09:00` in `mon`",
        ),
        (
            "timezone = \"UTC\"\ntue = [\"09:00-25:00\"]\n",
            "support.toml:2:8: invalid interval `09:00-25:00` in `tue`: `25:00` is not a time",
        ),
        (
            "timezone = \"Europe/Atlantis\"\nmon = [\"09:00-17:00\"]\n",
            "support.toml:1:12: unknown time zone `Europe/Atlantis`",
        ),
        (
            "timezone = \"UTC\"\nmon = []\nsun = []\n",
            "no open time in any week",
        ),
        (
            "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\nholidays = [\"2026-02-30\"]\n",
            "support.toml:3:13: invalid date `2026-02-30`",
        ),
        (
            "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\nweekend = true\n",
            "support.toml:3:1: unknown field `weekend`",
        ),
        (
            "timezone = \"UTC\"\nmon = [\"09:00-17:00\"\n",
            "support.toml:2:",
        ),
    ];
    for (calendar, want) in cases {
        let (code, err) = bad(calendar, &DUE);
        assert_eq!(code, Some(2), "{calendar}: {err}");
        assert!(err.contains(want), "{calendar}\nwanted `{want}` in:\n{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn bad_arguments_exit_2_naming_the_flag() {
    let cases: [(&[&str], &str); 8] = [
        (
            &["due", "--start", "2300-01-01T00:00:00Z", "--minutes", "5"],
            "2300-01-01T00:00:00Z is outside the supported range 1900-01-01 to 2199-12-31",
        ),
        (
            &["due", "--start", "2026-03-02 10:00", "--minutes", "5"],
            "--start `2026-03-02 10:00` is not an instant",
        ),
        (
            &["due", "--start", "2026-03-02T10:00:00", "--minutes", "5"],
            "expected RFC 3339 with an offset",
        ),
        (
            &[
                "elapsed",
                "--start",
                "2026-03-02T10:00:00Z",
                "--end",
                "yesterday",
            ],
            "--end `yesterday` is not an instant",
        ),
        (
            &[
                "elapsed",
                "--start",
                "2026-03-02T10:00:00Z",
                "--end",
                "2026-03-03T10:00:00Z",
                "--pause",
                "2026-03-02T12:00:00Z/2026-03-02T11:00:00Z",
            ],
            "ends before it starts",
        ),
        (
            &[
                "elapsed",
                "--start",
                "2026-03-02T10:00:00Z",
                "--end",
                "2026-03-03T10:00:00Z",
                "--pause",
                "2026-03-02T12:00:00Z",
            ],
            "expected `FROM/TO`",
        ),
        (&["due", "--start", "2026-03-02T10:00:00Z"], "--minutes"),
        (
            &[
                "due",
                "--start",
                "2026-03-02T10:00:00Z",
                "--minutes",
                "5",
                "--seconds",
                "5",
            ],
            "cannot be used with",
        ),
    ];
    for (args, want) in cases {
        let (code, err) = bad(GOOD, args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}\nwanted `{want}` in:\n{err}");
    }
}

#[test]
fn a_missing_calendar_file_is_named() {
    let out = pacto(&[
        "calendar",
        "due",
        "--calendar",
        "/nonexistent/support.toml",
        "--start",
        "2026-03-02T10:00:00Z",
        "--minutes",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/support.toml: cannot read the calendar"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rarely_open_calendar_answers_and_a_never_reached_one_gives_up() {
    // open only on 29 February: 365 recurring holidays close every other day of the year
    let mut holidays = Vec::new();
    for m in 1..=12u32 {
        let days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1];
        for d in 1..=days {
            if (m, d) != (2, 29) {
                holidays.push(format!("\"{m:02}-{d:02}\""));
            }
        }
    }
    let cal = format!(
        "timezone = \"UTC\"\nmon = [\"09:00-09:01\"]\ntue = [\"09:00-09:01\"]\nwed = [\"09:00-09:01\"]\nthu = [\"09:00-09:01\"]\nfri = [\"09:00-09:01\"]\nsat = [\"09:00-09:01\"]\nsun = [\"09:00-09:01\"]\nholidays = [{}]\n",
        holidays.join(", ")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("leap.toml");
    fs::write(&path, cal).expect("write");
    let path = path.to_str().expect("utf-8");
    let out = pacto(&[
        "calendar",
        "due",
        "--calendar",
        path,
        "--start",
        "2025-03-01T00:00:00Z",
        "--minutes",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "2028-02-29T09:01:00+00:00",
        "{}",
        stderr(&out)
    );
    // 2100 is no leap year: eight years without open time exceed the search horizon,
    // which ends the search with a clear error rather than a hang
    let out = pacto(&[
        "calendar",
        "due",
        "--calendar",
        path,
        "--start",
        "2025-03-01T00:00:00Z",
        "--minutes",
        "100",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no open business time in the 1465 days after"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn elapsed_prints_minutes_by_default_and_zero_for_reversed_spans() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.toml");
    fs::write(&path, GOOD).expect("write");
    let p = path.to_str().expect("utf-8");
    let out = pacto(&[
        "calendar",
        "elapsed",
        "--calendar",
        p,
        "--start",
        "2026-03-02T09:00:30+01:00",
        "--end",
        "2026-03-02T10:00:00+01:00",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "59");
    let out = pacto(&[
        "calendar",
        "elapsed",
        "--calendar",
        p,
        "--start",
        "2026-03-03T10:00:00+01:00",
        "--end",
        "2026-03-02T10:00:00+01:00",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "0");
}
