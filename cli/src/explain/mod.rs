//! `pacto explain`: a case's SLA timeline and why each deadline is where it is, as text,
//! as an SVG picture, or as an HTML page holding both, from a traced decision
//! ([`pacto::Policy::decide_traced`]).
//!
//! | module | what it draws |
//! |---|---|
//! | [`text`] | an account per clock: started, counted, paused, due, breached; then the escalation, compensation and notes |
//! | [`svg`] | the timeline: open hours shaded, holidays marked, events, pauses, a bar per clock coloured at 50/75/100 % |
//! | [`html`] | one self-contained page: the picture, the account and the decision |

mod html;
mod svg;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use miette::{Report, miette};
use pacto::trace::{ClockTrace, Trace};
use pacto::{Case, Decision, Policy};

use crate::policy_cmd;

#[derive(Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    input: policy_cmd::CaseArgs,
    /// What to write.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The forms `pacto explain` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable account per clock.
    Text,
    /// The timeline as a standalone SVG picture.
    Svg,
    /// A self-contained page: the picture, the account, the decision.
    Html,
}

/// A traced decision with what it was made from: everything a renderer reads.
pub struct Explained<'a> {
    pub case: &'a Case,
    pub decision: &'a Decision,
    pub trace: &'a Trace,
    pub policy: &'a Policy,
}

impl Explained<'_> {
    /// The zone a clock's instants are shown in: its calendar's.
    fn zone_of(&self, clock: &ClockTrace) -> TimeZone {
        self.policy
            .calendars()
            .get(&clock.calendar)
            .map_or(TimeZone::UTC, |c| c.zone().clone())
    }

    /// The zone of the picture and the header: the first deadline's calendar, else UTC.
    fn zone(&self) -> TimeZone {
        self.trace
            .clocks
            .first()
            .map_or(TimeZone::UTC, |c| self.zone_of(c))
    }

    fn zone_name(&self) -> String {
        self.trace
            .clocks
            .first()
            .map_or_else(|| "UTC".to_owned(), |c| c.timezone.clone())
    }

    fn now(&self) -> Timestamp {
        self.trace.now.timestamp
    }
}

/// Renders a traced decision in `format`.
pub fn render(explained: &Explained<'_>, format: Format) -> String {
    match format {
        Format::Text => text::render(explained),
        Format::Svg => svg::render(explained),
        Format::Html => html::render(explained),
    }
}

pub fn run(a: ExplainArgs) -> Result<ExitCode, Report> {
    let (policy, case, now) = a.input.load()?;
    let decision = policy
        .decide_traced(&case, now)
        .map_err(|e| a.input.failed(&case, e))?;
    let trace = decision
        .trace
        .as_deref()
        .ok_or_else(|| miette!("the decision has no trace"))?;
    let out = render(
        &Explained {
            case: &case,
            decision: &decision,
            trace,
            policy: &policy,
        },
        a.format,
    );
    match &a.out {
        Some(path) => std::fs::write(path, out)
            .map_err(|e| miette!("{}: cannot write: {e}", path.display()))?,
        None => print!("{out}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `at` in `zone` as `Mon 2 Mar 10:15`.
fn day_time(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone())
        .strftime("%a %-d %b %H:%M")
        .to_string()
}

/// `at` in `zone` as `10:15`.
fn time_of_day(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%H:%M").to_string()
}

/// Whether two instants fall on the same local date in `zone`.
fn same_day(zone: &TimeZone, a: Timestamp, b: Timestamp) -> bool {
    a.to_zoned(zone.clone()).date() == b.to_zoned(zone.clone()).date()
}

/// `[from, to)` as `Mon 2 Mar 09:00–13:00`, or with both dates when they differ.
fn span(zone: &TimeZone, from: Timestamp, to: Timestamp) -> String {
    if same_day(zone, from, to) {
        format!("{}–{}", day_time(zone, from), time_of_day(zone, to))
    } else {
        format!("{} – {}", day_time(zone, from), day_time(zone, to))
    }
}

/// Seconds as `2 h 45 min`, `45 min`, `1 d 2 h 5 min` (days of 24 h), `0 min`.
fn duration(seconds: i64) -> String {
    let minutes = seconds.unsigned_abs() / 60;
    let (d, h, m) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "min")]
        .into_iter()
        .filter(|&(n, _)| n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    let text = if parts.is_empty() {
        "0 min".to_owned()
    } else {
        parts.join(" ")
    };
    if seconds < 0 {
        format!("-{text}")
    } else {
        text
    }
}

/// Business seconds as `26 h 5 min`: hours, never days, as a day of business time is
/// not a day.
fn business(seconds: i64) -> String {
    let minutes = seconds.unsigned_abs() / 60;
    let text = match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    if seconds < 0 {
        format!("-{text}")
    } else {
        text
    }
}

/// Business minutes as `105 business minutes (1 h 45 min)`.
fn business_minutes(minutes: i64) -> String {
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    if minutes.abs() >= 60 {
        format!(
            "{minutes} business {unit} ({})",
            business(minutes.saturating_mul(60))
        )
    } else {
        format!("{minutes} business {unit}")
    }
}

/// What a compensation line grants: `49.90 EUR`, `30 days`, or nothing (an apology).
fn amount(c: &pacto::decision::Compensation) -> Option<String> {
    match (&c.currency, c.days) {
        (Some(cur), _) => Some(format!(
            "{} {cur}",
            crate::diff::money(cur, i128::from(c.amount))
        )),
        (None, Some(days)) => Some(format!("{days} days")),
        (None, None) => None,
    }
}

/// A compensation line in one phrase: `service credit 49.90 EUR (needs approval)`.
fn granted(c: &pacto::decision::Compensation) -> String {
    let kind = c.kind.as_str().replace('_', " ");
    let what = amount(c).map(|a| format!(" {a}")).unwrap_or_default();
    let approval = if c.requires_approval {
        " (needs approval)"
    } else {
        ""
    };
    format!("{kind}{what}{approval}")
}

/// A metric's name for people: `first response`.
fn metric_label(clock: &ClockTrace) -> String {
    clock.metric.as_str().replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(duration(0), "0 min");
        assert_eq!(duration(59), "0 min");
        assert_eq!(duration(45 * 60), "45 min");
        assert_eq!(duration(3600), "1 h");
        assert_eq!(duration(165 * 60), "2 h 45 min");
        assert_eq!(duration(26 * 3600 + 60), "1 d 2 h 1 min");
        assert_eq!(duration(24 * 3600 + 43 * 60), "1 d 43 min");
        assert_eq!(duration(-90 * 60), "-1 h 30 min");
        assert_eq!(business(26 * 3600 + 300), "26 h 5 min");
        assert_eq!(business_minutes(105), "105 business minutes (1 h 45 min)");
        assert_eq!(business_minutes(1), "1 business minute");
    }

    #[test]
    fn spans_name_the_day_once_when_they_stay_in_it() {
        let zone = TimeZone::get("Europe/Madrid").unwrap();
        let a: Timestamp = "2026-03-02T09:00:00+01:00".parse().unwrap();
        let b: Timestamp = "2026-03-02T13:00:00+01:00".parse().unwrap();
        let c: Timestamp = "2026-03-03T09:30:00+01:00".parse().unwrap();
        assert_eq!(span(&zone, a, b), "Mon 2 Mar 09:00–13:00");
        assert_eq!(span(&zone, b, c), "Mon 2 Mar 13:00 – Tue 3 Mar 09:30");
    }
}
