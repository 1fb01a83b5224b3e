//! Corpora: JSON Lines, each line a case or `{"case": …, "now": "RFC 3339"}`, read from a
//! file or standard input. Parsing a line and the answer line `replay --out` (and
//! `serve`'s decide-batch) writes for it are the library's ([`pacto::corpus`]), which
//! the Python binding shares, so all of them write the same bytes.

use std::io::BufRead;
use std::path::Path;

use jiff::Timestamp;
use miette::{Report, miette};
use pacto::Case;
pub use pacto::corpus::{Outcome, answer, answer_with, bad_line, parse};

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

#[cfg(test)]
mod tests {
    use super::parse;

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
