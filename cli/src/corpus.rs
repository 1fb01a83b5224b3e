//! Corpora: JSON Lines, each line a case or `{"case": …, "now": "RFC 3339"}`; and the
//! answer line `replay --out` (and `serve`'s decide-batch) writes for each of them.

use std::io::BufRead;
use std::path::Path;

use jiff::Timestamp;
use miette::{Report, miette};
use pacto::case::check_integer_literals;
use pacto::{Case, Policy};
use serde::Serialize;
use serde_json::Value;

use crate::policy_cmd::default_now;

/// One line of a corpus: the case and its `now`, or why the line cannot be used.
pub type Line = Result<(Case, Timestamp), String>;

/// The text of the corpus at `path`.
pub fn read_text(path: &Path) -> Result<String, Report> {
    std::fs::read_to_string(path).map_err(|e| miette!("{}: cannot read: {e}", path.display()))
}

/// The corpus at `path` opened for reading line by line; `-` is standard input.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, Report> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            std::io::stdin(),
        )));
    }
    let file =
        std::fs::File::open(path).map_err(|e| miette!("{}: cannot read: {e}", path.display()))?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
}

/// The name a corpus is reported under: its path, or `stdin` for `-`.
pub fn name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".into()
    } else {
        path.display().to_string()
    }
}

/// The lines that carry a case, numbered from 1; blank lines are skipped.
pub fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
}

/// Reads every line of `path`; blank lines are skipped, bad lines are kept as errors
/// naming the line.
pub fn read(path: &Path) -> Result<Vec<Line>, Report> {
    let text = read_text(path)?;
    Ok(numbered(&text)
        .map(|(n, l)| parse(l).map_err(|e| format!("{}:{n}: {e}", path.display())))
        .collect())
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
    decision: Option<&'a pacto::Decision>,
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
    decide: impl FnOnce(&Case, Timestamp) -> Result<pacto::Decision, pacto::DecideError>,
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
        let sampler = crate::sampler::Sampler::new(3);
        let mut lines: Vec<String> = (0..300)
            .map(|i| serde_json::to_string(&sampler.line(i)).unwrap())
            .collect();
        let bare = serde_json::to_value(sampler.line(1)).unwrap()["case"].to_string();
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
            bare.replacen(r#""id":"S3-"#, r#""id":" ","x":"S3-"#, 1),
        ] {
            assert!(parse_typed(&bad).is_none(), "{bad}");
            assert!(parse(&bad).is_err(), "{bad}");
        }
    }

    const CASE: &str = r#"{"id": "C-1", "opened_at": "2026-03-02T10:15:00+01:00", "priority": "high", "channel": "email", "kind": "complaint", "customer": {"id": "K-1", "tier": "gold"}}"#;

    #[test]
    fn a_bare_case_and_a_wrapper_both_parse() {
        let (case, now) = parse(CASE).unwrap();
        assert_eq!(case.id, "C-1");
        assert_eq!(now, case.opened_at);
        let (_, now) = parse(&format!(
            r#"{{"case": {CASE}, "now": "2026-03-03T00:00:00Z"}}"#
        ))
        .unwrap();
        assert_eq!(now, "2026-03-03T00:00:00Z".parse().unwrap());
        let (case, now) = parse(&format!(r#"{{"case": {CASE}}}"#)).unwrap();
        assert_eq!(now, case.opened_at);
        let (case, now) = parse(&format!(r#"{{"case": {CASE}, "now": null}}"#)).unwrap();
        assert_eq!(now, case.opened_at);
    }

    #[test]
    fn the_wrapper_refuses_unknown_keys_naming_them() {
        let e = parse(&format!(
            r#"{{"case": {CASE}, "nwo": "2026-03-03T00:00:00Z"}}"#
        ))
        .unwrap_err();
        assert!(
            e.starts_with("unknown key `nwo` in the corpus line; expected `case` and `now`"),
            "{e}"
        );
        let e = parse(&format!(
            r#"{{"case": {CASE}, "opened_at": "2026-03-02T10:15:00+01:00", "id": "C-1"}}"#
        ))
        .unwrap_err();
        assert!(
            e.starts_with("unknown keys `id`, `opened_at` in the corpus line"),
            "{e}"
        );
        let e = parse(&format!(
            r#"{{"caes": {CASE}, "now": "2026-03-03T00:00:00Z"}}"#
        ))
        .unwrap_err();
        assert!(e.starts_with("unknown key `caes`"), "{e}");
        let e = parse(r#"{"now": "2026-03-03T00:00:00Z"}"#).unwrap_err();
        assert!(e.starts_with("missing `case`"), "{e}");
    }

    #[test]
    fn integers_beyond_i64_are_refused_with_their_path() {
        let big = CASE.replace(
            r#""tier": "gold"}"#,
            r#""tier": "gold"}, "attributes": {"n": [1, 100000000000000000000]}"#,
        );
        let e = parse(&big).unwrap_err();
        assert!(
            e.starts_with("`attributes.n[1]`: `100000000000000000000` is out of range"),
            "{e}"
        );
        let e = parse(&format!(r#"{{"case": {big}}}"#)).unwrap_err();
        assert!(
            e.starts_with("`case`: `attributes.n[1]`: `100000000000000000000`"),
            "{e}"
        );
        let lv = CASE.replace(
            r#""tier": "gold"}"#,
            r#""tier": "gold", "lifetime_value": 9223372036854775808}"#,
        );
        let e = parse(&format!(r#"{{"case": {lv}}}"#)).unwrap_err();
        assert!(
            e.starts_with(
                "`case`: `customer.lifetime_value`: `9223372036854775808` is out of range"
            ),
            "{e}"
        );
    }
}
