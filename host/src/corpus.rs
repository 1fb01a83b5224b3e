//! Corpus lines and the answer line for each: what `pacto replay --out`, the HTTP API's
//! decide-batch and the Python binding's `decide_batch` write, from one code path, so
//! they are byte-identical by construction.
//!
//! A corpus is JSON Lines: each line a case, or `{"case": …, "now": "RFC 3339"}`. Each
//! line gets one answer line, `{"id": …, "decision": {…}}` or
//! `{"id": …, "error": {"kind": …, "message": …}}`: a bad line is reported (kind
//! `input`), never dropped.
//!
//! ```
//! use pacto::corpus::{self, Outcome};
//!
//! let policy = pacto::Engine::new().load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
//! let (line, outcome) = corpus::answer(&policy, "batch", 1, "not json");
//! assert_eq!(outcome, Outcome::BadLine);
//! assert!(line.starts_with(r#"{"id":null,"error":{"kind":"input","message":"batch:1: "#), "{line}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::case::check_integer_literals;
use crate::{Case, DecideError, Decision, Policy};

/// The default `now` of a case, as `pacto decide` takes it without `--now`: its last
/// event, or its opening.
pub fn default_now(case: &Case) -> Timestamp {
    case.events
        .iter()
        .map(|e| e.at())
        .max()
        .unwrap_or(case.opened_at)
        .max(case.opened_at)
}

/// One line: the case and its `now` (given, or the case's last event), or what is wrong.
///
/// A line is the wrapper `{"case": …, "now": …}` when its object has a `case` or a `now`
/// key (a case has neither), and a bare case otherwise. The wrapper takes no other key:
/// a line mixing `case` with case fields such as `opened_at` is refused, naming them.
pub fn parse(line: &str) -> Result<(Case, Timestamp), String> {
    match parse_typed(line) {
        Some(parsed) => Ok(parsed),
        None => parse_value(line),
    }
}

/// The slow path of [`parse`], through a `serde_json::Value`: it names what is wrong.
fn parse_value(line: &str) -> Result<(Case, Timestamp), String> {
    let mut value: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let (case, now, within) = match value.as_object_mut() {
        Some(wrapper) if wrapper.contains_key("case") || wrapper.contains_key("now") => {
            let (case, now) = unwrap(wrapper)?;
            (case, now, "`case`: ")
        }
        _ => (value, None, ""),
    };
    let case = Case::from_value(case).map_err(|e| format!("{within}{e}"))?;
    // the value has lost integer literals beyond u64: look at the text
    check_integer_literals(line).map_err(|mut e| {
        if let Some(path) = e.path.strip_prefix("case.") {
            e.path = path.to_owned();
        }
        format!("{within}{e}")
    })?;
    let now = now.unwrap_or_else(|| default_now(&case));
    Ok((case, now))
}

/// The fast path of [`parse`]: the line read straight into the types, without a
/// `serde_json::Value` in between (half the cost of a corpus line). `None` when that
/// fails for any reason; [`parse`] then takes the slow path, which accepts the same
/// lines and names what is wrong with the others.
fn parse_typed(line: &str) -> Option<(Case, Timestamp)> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Wrapper {
        case: Case,
        #[serde(default)]
        now: Option<String>,
    }
    let (case, now) = match serde_json::from_str::<Wrapper>(line) {
        Ok(w) => {
            let now = match w.now {
                Some(t) => Some(t.parse::<Timestamp>().ok()?),
                None => None,
            };
            (w.case, now)
        }
        // a bare case (a case has neither a `case` nor a `now` key)
        Err(_) => (serde_json::from_str::<Case>(line).ok()?, None),
    };
    case.validate().ok()?;
    check_integer_literals(line).ok()?;
    let now = now.unwrap_or_else(|| default_now(&case));
    Some((case, now))
}

/// The wrapper's `case` and its `now` when given; a key besides those is refused.
fn unwrap(
    wrapper: &mut serde_json::Map<String, Value>,
) -> Result<(Value, Option<Timestamp>), String> {
    let unknown: Vec<String> = wrapper
        .keys()
        .filter(|k| *k != "case" && *k != "now")
        .map(|k| format!("`{k}`"))
        .collect();
    if !unknown.is_empty() {
        let s = if unknown.len() == 1 { "" } else { "s" };
        return Err(format!(
            "unknown key{s} {} in the corpus line; expected `case` and `now` \
             (a line is a case, or `{{\"case\": {{…}}, \"now\": \"RFC 3339\"}}`)",
            unknown.join(", ")
        ));
    }
    let now = match wrapper.get("now") {
        Some(Value::String(t)) => Some(
            t.parse()
                .map_err(|_| format!("`now`: `{t}` is not an RFC 3339 instant with an offset"))?,
        ),
        Some(Value::Null) | None => None,
        Some(_) => return Err("`now`: expected an RFC 3339 string".into()),
    };
    let case = wrapper.remove("case").ok_or(
        "missing `case` in the corpus line; expected `{\"case\": {…}, \"now\": \"RFC 3339\"}`",
    )?;
    Ok((case, now))
}

/// How one corpus line turned out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The policy decided the case.
    Decided,
    /// The policy failed on the case (a `DecideError`).
    Failed,
    /// The line is not a usable case (kind `input`).
    BadLine,
}

/// One answer line (fields in this order: `id` first).
#[derive(Serialize)]
struct Answer<'a> {
    id: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<AnswerError<'a>>,
}

#[derive(Serialize)]
struct AnswerError<'a> {
    kind: &'a str,
    message: &'a str,
}

/// The answer line for corpus line `number` of `file` (without a line ending):
/// `{"id": …, "decision": {…}}`, or `{"id": …, "error": {"kind": …, "message": …}}`
/// where a bad line's message starts with `FILE:LINE: `.
pub fn answer(policy: &Policy, file: &str, number: usize, line: &str) -> (String, Outcome) {
    answer_with(|case, now| policy.decide(case, now), file, number, line)
}

/// [`answer`], deciding through `decide` (a registry's version with its fallbacks, say).
pub fn answer_with(
    decide: impl FnOnce(&Case, Timestamp) -> Result<Decision, DecideError>,
    file: &str,
    number: usize,
    line: &str,
) -> (String, Outcome) {
    let (case, now) = match parse(line) {
        Ok(parsed) => parsed,
        Err(message) => return (bad_line(file, number, line, &message), Outcome::BadLine),
    };
    let id = Value::String(case.id.clone());
    match decide(&case, now) {
        Ok(decision) => (
            to_json(&Answer {
                id: &id,
                decision: Some(&decision),
                error: None,
            }),
            Outcome::Decided,
        ),
        Err(e) => (error_line(&id, e.kind(), &e.to_string()), Outcome::Failed),
    }
}

/// The answer line for a corpus line that is not a usable case: kind `input`, the
/// message prefixed with `FILE:LINE: `, the line's id when it has one.
pub fn bad_line(file: &str, number: usize, line: &str, message: &str) -> String {
    error_line(
        &id_of(line),
        "input",
        &format!("{file}:{number}: {message}"),
    )
}

/// `{"id": …, "error": {"kind": …, "message": …}}`.
pub fn error_line(id: &Value, kind: &str, message: &str) -> String {
    to_json(&Answer {
        id,
        decision: None,
        error: Some(AnswerError { kind, message }),
    })
}

fn to_json(answer: &Answer<'_>) -> String {
    // plain data: serializing it cannot fail
    serde_json::to_string(answer).unwrap_or_default()
}

/// The case id of a line that is not a usable case, when it has one (`id`, or
/// `case.id` in a wrapper); else null.
pub fn id_of(line: &str) -> Value {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return Value::Null;
    };
    [&v["id"], &v["case"]["id"]]
        .into_iter()
        .find(|id| id.is_string())
        .cloned()
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::{parse, parse_typed, parse_value};

    #[test]
    fn the_fast_path_reads_what_the_slow_path_reads() {
        // the corpus `pacto sample` wrote (examples/corpus.jsonl)
        let corpus = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/corpus.jsonl"
        ))
        .unwrap();
        let mut lines: Vec<String> = corpus.lines().take(300).map(str::to_owned).collect();
        let bare =
            serde_json::from_str::<serde_json::Value>(&lines[1]).unwrap()["case"].to_string();
        lines.push(bare.clone());
        lines.push(format!(r#"{{"case": {bare}, "now": null}}"#));
        lines.push(format!(
            r#"{{"now": "2026-12-01T10:00:00+01:00", "case": {bare}}}"#
        ));
        for line in &lines {
            let fast = parse_typed(line).expect("the fast path reads a good line");
            assert_eq!(Ok(fast), parse_value(line), "{line}");
        }
        // lines the fast path leaves to the slow one, which names the problem
        for bad in [
            format!(r#"{{"case": {bare}, "now": "yesterday"}}"#),
            format!(r#"{{"case": {bare}, "now": 5}}"#),
            format!(r#"{{"case": {bare}, "extra": 1}}"#),
            bare.replacen(
                r#""attributes":{"#,
                r#""attributes":{"n":100000000000000000000,"#,
                1,
            ),
            bare.replacen(r#""id":"S2026-"#, r#""id":" ","x":"S2026-"#, 1),
        ] {
            assert!(parse_typed(&bad).is_none(), "{bad}");
            assert!(parse(&bad).is_err(), "{bad}");
        }
    }
}
