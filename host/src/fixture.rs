//! Fixtures: a case, a `now` and the expected part of the decision, as JSON files in a
//! bundle's `fixtures/` folder. Only the fields `expect` names are compared.
//!
//! Partial comparison: an expected object constrains only the keys it lists; an expected
//! array must have the same length, each element compared partially; anything else must
//! be equal.
//!
//! ```
//! use pacto::fixture::compare;
//! use serde_json::json;
//!
//! let actual = json!({"escalation": {"level": 2, "team": "tier2"}, "notes": ["v1"]});
//! assert!(compare(&json!({"escalation": {"level": 2}}), &actual).is_empty());
//! let m = compare(&json!({"escalation": {"level": 1}}), &actual);
//! assert_eq!(m[0].to_string(), "escalation.level: expected 1, got 2");
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
        if !raw.expect.is_object() {
            return Err(err(
                "`expect`: must be an object, a part of the decision".into()
            ));
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
    /// What the policy decided (`null` when absent).
    pub actual: Value,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.path, self.expected, self.actual
        )
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
                walk(&join(k), v, a.get(k).unwrap_or(&Value::Null), out);
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
            actual: Value::from(a.len()),
        }),
        _ if expect == actual => {}
        _ => out.push(Mismatch {
            path: if path.is_empty() {
                ".".into()
            } else {
                path.to_owned()
            },
            expected: expect.clone(),
            actual: actual.clone(),
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
        assert!(compare(&json!({"b": [{"x": 1}, {}]}), &actual).is_empty());
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
            "d: expected 5, got null"
        );
        assert!(compare(&json!({"c": null}), &actual).is_empty());
        assert_eq!(compare(&json!({"a": {"z": 1}}), &actual)[0].path, "a");
    }
}
