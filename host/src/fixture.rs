//! Fixtures: a case, a `now` and the expected part of the decision, as JSON files in a
//! bundle's `fixtures/` folder. Only the fields `expect` names are compared.
//!
//! Partial comparison: an expected object constrains only the keys it lists, and each of
//! them must be present in the decision (a key the decision lacks is a mismatch, shown as
//! `<absent>`, even when the fixture expects `null`); an expected array must have the same
//! length, each element compared partially; anything else must be equal. A fixture that
//! could not fail is refused when it loads: an empty `expect`, or an empty object inside
//! an expected array.
//!
//! ```
//! use pacto::fixture::compare;
//! use serde_json::json;
//!
//! let actual = json!({"escalation": {"level": 2, "team": "tier2"}, "notes": ["v1"]});
//! assert!(compare(&json!({"escalation": {"level": 2}}), &actual).is_empty());
//! let m = compare(&json!({"escalation": {"level": 1}}), &actual);
//! assert_eq!(m[0].to_string(), "escalation.level: expected 1, got 2");
//! // a typo'd key is not read as `null`
//! let m = compare(&json!({"escalaton": null}), &actual);
//! assert_eq!(m[0].to_string(), "escalaton: expected null, got <absent>");
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

use crate::case::{Case, CaseError};
use crate::policy::{DecideError, Policy};

/// A fixture file, read and checked.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The file's stem.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// The case.
    pub case: Case,
    /// The decision's `now`.
    pub now: Timestamp,
    /// The expected part of the decision.
    pub expect: Value,
}

/// A fixture file that cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}: {message}")]
pub struct FixtureError {
    /// The file.
    pub path: String,
    /// What is wrong, with the JSON path.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFixture {
    case: Value,
    now: String,
    expect: Value,
    /// Free text for people.
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
}

impl Fixture {
    /// Reads one fixture file.
    pub fn load(path: &Path) -> Result<Fixture, FixtureError> {
        let file = path.display().to_string();
        let err = |message: String| FixtureError {
            path: file.clone(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
        // an integer literal beyond u64 becomes a float in a JSON value: find it in the
        // text, as `Case::from_json` does
        crate::case::check_integer_literals(&text)
            .map_err(|e| err(format!("`{}`: {}", e.path, e.message)))?;
        let de = &mut serde_json::Deserializer::from_str(&text);
        let raw: RawFixture = serde_path_to_error::deserialize(de)
            .map_err(|e| err(format!("`{}`: {}", e.path(), e.inner())))?;
        let case = Case::from_value(raw.case)
            .map_err(|e: CaseError| err(format!("`case.{}`: {}", e.path, e.message)))?;
        let now = raw.now.parse().map_err(|_| {
            err(format!(
                "`now`: `{}` is not an RFC 3339 instant with an offset",
                raw.now
            ))
        })?;
        match &raw.expect {
            Value::Object(m) if m.is_empty() => {
                return Err(err(
                    "`expect`: is empty, so the fixture checks nothing; name at least one field of the decision, e.g. `\"escalation\": null`".into(),
                ));
            }
            Value::Object(_) => {}
            _ => {
                return Err(err(
                    "`expect`: must be an object, a part of the decision".into()
                ));
            }
        }
        if let Some(path) = empty_object_in_array("expect", &raw.expect) {
            return Err(err(format!(
                "`{path}`: an empty object checks only that the element exists; name at least one of its fields, e.g. `\"status\"`"
            )));
        }
        let name = path
            .file_stem()
            .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
        Ok(Fixture {
            name,
            path: path.to_owned(),
            case,
            now,
            expect: raw.expect,
        })
    }

    /// Reads every `*.json` in `bundle_dir/fixtures`, sorted by name.
    pub fn load_dir(bundle_dir: &Path) -> Result<Vec<Fixture>, FixtureError> {
        let dir = bundle_dir.join("fixtures");
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(FixtureError {
                    path: dir.display().to_string(),
                    message: format!("cannot read: {e}"),
                });
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        paths.iter().map(|p| Fixture::load(p)).collect()
    }

    /// Decides the fixture's case and compares.
    pub fn run(&self, policy: &Policy) -> Outcome {
        match policy.decide(&self.case, self.now) {
            Err(e) => Outcome::Error(e),
            Ok(decision) => {
                let actual = serde_json::to_value(&decision).unwrap_or(Value::Null);
                let mismatches = compare(&self.expect, &actual);
                if mismatches.is_empty() {
                    Outcome::Pass
                } else {
                    Outcome::Fail(mismatches)
                }
            }
        }
    }
}

/// What running a fixture gave.
#[derive(Debug)]
pub enum Outcome {
    /// Every expected field matched.
    Pass,
    /// Some did not.
    Fail(Vec<Mismatch>),
    /// The policy could not decide.
    Error(DecideError),
}

/// One expected field that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// e.g. `deadlines[0].status`.
    pub path: String,
    /// What the fixture expects.
    pub expected: Value,
    /// What the policy decided; `None` when the decision has no such key.
    pub actual: Option<Value>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.actual {
            Some(actual) => write!(f, "{}: expected {}, got {actual}", self.path, self.expected),
            None => write!(f, "{}: expected {}, got <absent>", self.path, self.expected),
        }
    }
}

/// The JSON path of the first empty object inside an array of `v`, if any.
fn empty_object_in_array(path: &str, v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => m
            .iter()
            .find_map(|(k, v)| empty_object_in_array(&format!("{path}.{k}"), v)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let here = format!("{path}[{i}]");
            if v.as_object().is_some_and(|m| m.is_empty()) {
                Some(here)
            } else {
                empty_object_in_array(&here, v)
            }
        }),
        _ => None,
    }
}

/// The fields of `actual` that differ from what `expect` names.
pub fn compare(expect: &Value, actual: &Value) -> Vec<Mismatch> {
    let mut out = Vec::new();
    walk("", expect, actual, &mut out);
    out
}

fn walk(path: &str, expect: &Value, actual: &Value, out: &mut Vec<Mismatch>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (expect, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => walk(&join(k), v, av, out),
                    None => out.push(Mismatch {
                        path: join(k),
                        expected: v.clone(),
                        actual: None,
                    }),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                walk(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        (Value::Array(e), Value::Array(a)) => out.push(Mismatch {
            path: format!("{path} (length)"),
            expected: Value::from(e.len()),
            actual: Some(Value::from(a.len())),
        }),
        _ if expect == actual => {}
        _ => out.push(Mismatch {
            path: if path.is_empty() {
                ".".into()
            } else {
                path.to_owned()
            },
            expected: expect.clone(),
            actual: Some(actual.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn partial_objects_and_whole_arrays() {
        let actual = json!({"a": 1, "b": [{"x": 1, "y": 2}, {"x": 3}], "c": null});
        assert!(compare(&json!({"b": [{"x": 1}, {"x": 3}]}), &actual).is_empty());
        assert_eq!(
            compare(&json!({"b": [{"x": 1}]}), &actual)[0].to_string(),
            "b (length): expected 1, got 2"
        );
        assert_eq!(
            compare(&json!({"b": [{}, {"x": 4}]}), &actual)[0].to_string(),
            "b[1].x: expected 4, got 3"
        );
        assert_eq!(
            compare(&json!({"d": 5}), &actual)[0].to_string(),
            "d: expected 5, got <absent>"
        );
        assert!(compare(&json!({"c": null}), &actual).is_empty());
        // a key the decision lacks is a mismatch even when `null` is expected
        let m = compare(&json!({"escalaton": null, "b": [{"z": null}, {}]}), &actual);
        assert_eq!(
            m.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "b[0].z: expected null, got <absent>",
                "escalaton: expected null, got <absent>"
            ]
        );
        assert_eq!(m[1].actual, None);
        assert_eq!(compare(&json!({"a": {"z": 1}}), &actual)[0].path, "a");
    }

    fn load_text(text: &str) -> Result<Fixture, FixtureError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("typo.json");
        std::fs::write(&path, text).unwrap();
        Fixture::load(&path)
    }

    const CASE: &str = r#"{"id": "C-1", "opened_at": "2026-03-02T10:15:00+01:00", "priority": "high",
        "channel": "email", "kind": "question", "customer": {"id": "K", "tier": "gold"}}"#;

    #[test]
    fn an_integer_beyond_u64_in_a_fixture_case_is_refused_with_its_path() {
        let case = CASE.replace(
            r#""tier": "gold"}"#,
            r#""tier": "gold"}, "attributes": {"big": 99999999999999999999}"#,
        );
        let e = load_text(&format!(
            r#"{{"case": {case}, "now": "2026-03-02T12:00:00Z", "expect": {{"notes": []}}}}"#
        ))
        .unwrap_err();
        assert!(e.to_string().contains("`case.attributes.big`"), "{e}");
    }

    #[test]
    fn fixtures_that_cannot_fail_are_refused_naming_the_file() {
        let e = load_text(&format!(
            r#"{{"case": {CASE}, "now": "2026-03-02T12:00:00Z", "expect": {{}}}}"#
        ))
        .unwrap_err();
        assert!(e.path.ends_with("typo.json"), "{e}");
        assert!(e.to_string().contains("`expect`: is empty"), "{e}");
        let e = load_text(&format!(
            r#"{{"case": {CASE}, "now": "2026-03-02T12:00:00Z", "expect": {{"deadlines": [{{"status": "met"}}, {{}}]}}}}"#
        ))
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("typo.json: `expect.deadlines[1]`: an empty object"),
            "{e}"
        );
        let e = load_text(&format!(
            r#"{{"case": {CASE}, "now": "2026-03-02T12:00:00Z", "expect": {{"escalation": {{"notify": [{{}}]}}}}}}"#
        ))
        .unwrap_err();
        assert!(
            e.to_string().contains("`expect.escalation.notify[0]`"),
            "{e}"
        );
        let ok = load_text(&format!(
            r#"{{"case": {CASE}, "now": "2026-03-02T12:00:00Z", "expect": {{"compensation": [], "escalation": null}}}}"#
        ))
        .unwrap();
        assert_eq!(ok.name, "typo");
    }
}
