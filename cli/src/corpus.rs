//! Corpora: JSON Lines, each line a case or `{"case": …, "now": "RFC 3339"}`.

use std::path::Path;

use jiff::Timestamp;
use miette::{Report, miette};
use pacto::Case;
use serde_json::Value;

use crate::policy_cmd::default_now;

/// One line of a corpus: the case and its `now`, or why the line cannot be used.
pub type Line = Result<(Case, Timestamp), String>;

/// The text of the corpus at `path`.
pub fn read_text(path: &Path) -> Result<String, Report> {
    std::fs::read_to_string(path).map_err(|e| miette!("{}: cannot read: {e}", path.display()))
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
pub fn parse(line: &str) -> Result<(Case, Timestamp), String> {
    let mut value: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let wrapped = value.get("case").is_some() && value.get("opened_at").is_none();
    if !wrapped {
        let case = Case::from_value(value).map_err(|e| e.to_string())?;
        let now = default_now(&case);
        return Ok((case, now));
    }
    let now = match value.get("now") {
        Some(Value::String(t)) => Some(
            t.parse()
                .map_err(|_| format!("`now`: `{t}` is not an RFC 3339 instant with an offset"))?,
        ),
        Some(_) => return Err("`now`: expected an RFC 3339 string".into()),
        None => None,
    };
    let case = Case::from_value(value["case"].take()).map_err(|e| format!("`case`: {e}"))?;
    let now = now.unwrap_or_else(|| default_now(&case));
    Ok((case, now))
}
