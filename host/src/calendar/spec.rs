//! The calendar TOML file of DESIGN.md, parsed and checked into a [`Calendar`].

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

use super::days::{self, month_day_key};
use super::zone::ZoneTable;
use super::{Calendar, Hours};
use crate::error::{CalendarLoadError, Location};

type Intervals = Spanned<Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    timezone: Spanned<String>,
    mon: Option<Intervals>,
    tue: Option<Intervals>,
    wed: Option<Intervals>,
    thu: Option<Intervals>,
    fri: Option<Intervals>,
    sat: Option<Intervals>,
    sun: Option<Intervals>,
    #[serde(default)]
    holidays: Vec<Spanned<String>>,
    #[serde(default)]
    overrides: BTreeMap<Spanned<String>, Intervals>,
}

struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn error(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> CalendarLoadError {
        CalendarLoadError {
            location: Location::in_text(self.file, self.text, span),
            message: message.into(),
        }
    }
}

/// A date key: a full local date or a month-day that recurs every year.
enum DateKey {
    Dated(i64),
    Recurring(u16),
}

pub(super) fn parse(file: &str, text: &str) -> Result<Calendar, CalendarLoadError> {
    let src = Source { file, text };
    let raw: RawCalendar = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.error(span, e.message().trim_end_matches('\n').to_owned())
    })?;

    let zone_name = raw.timezone.get_ref().clone();
    let zone = TimeZone::get(&zone_name).map_err(|_| {
        src.error(raw.timezone.span(), format!("unknown time zone `{zone_name}`: expected an IANA name such as `Europe/Madrid` or `UTC`"))
    })?;

    let days = [
        &raw.mon, &raw.tue, &raw.wed, &raw.thu, &raw.fri, &raw.sat, &raw.sun,
    ];
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut week: [Hours; 7] = Default::default();
    for (i, day) in days.iter().enumerate() {
        if let Some(list) = day {
            week[i] = hours(&src, names[i], list)?;
        }
    }
    if week.iter().all(|h| h.is_empty()) {
        return Err(src.error(0..0, "the calendar has no open time in any week; add hours to at least one day, e.g. `mon = [\"09:00-17:00\"]`"));
    }

    let mut holidays = Vec::new();
    let mut recurring_holidays = Vec::new();
    for h in &raw.holidays {
        match date_key(&src, h)? {
            DateKey::Dated(d) => holidays.push(d),
            DateKey::Recurring(k) => recurring_holidays.push(k),
        }
    }
    holidays.sort_unstable();
    holidays.dedup();
    recurring_holidays.sort_unstable();
    recurring_holidays.dedup();
    if recurring_holidays.len() == 366 {
        return Err(src.error(0..0, "every day of the year is a holiday, so the calendar is never open; remove some `MM-DD` holidays"));
    }

    let mut overrides = Vec::new();
    let mut recurring_overrides = Vec::new();
    for (key, list) in &raw.overrides {
        let h = hours(&src, key.get_ref(), list)?;
        match date_key(&src, key)? {
            DateKey::Dated(d) => overrides.push((d, h)),
            DateKey::Recurring(k) => recurring_overrides.push((k, h)),
        }
    }
    overrides.sort_by_key(|(d, _)| *d);
    recurring_overrides.sort_by_key(|(k, _)| *k);

    let table = ZoneTable::new(&zone);
    Ok(Calendar {
        index: Default::default(),
        max_offset: table.max_abs_offset(),
        zone,
        zone_name,
        week,
        holidays: holidays.into(),
        recurring_holidays: recurring_holidays.into(),
        overrides: overrides.into(),
        recurring_overrides: recurring_overrides.into(),
        table,
    })
}

fn hours(src: &Source<'_>, day: &str, list: &Intervals) -> Result<Hours, CalendarLoadError> {
    let mut out: Vec<(u32, u32, std::ops::Range<usize>)> = Vec::new();
    for item in list.get_ref() {
        let (s, e) = interval(item.get_ref()).map_err(|why| {
            src.error(
                item.span(),
                format!("invalid interval `{}` in `{day}`: {why}", item.get_ref()),
            )
        })?;
        out.push((s, e, item.span()));
    }
    out.sort_by_key(|(s, _, _)| *s);
    for pair in out.windows(2) {
        if pair[1].0 < pair[0].1 {
            return Err(src.error(
                pair[1].2.clone(),
                format!("intervals overlap in `{day}`: `{}` starts before `{}` ends; merge them or fix the times", fmt_interval(pair[1].0, pair[1].1), fmt_interval(pair[0].0, pair[0].1)),
            ));
        }
    }
    Ok(out.into_iter().map(|(s, e, _)| (s, e)).collect())
}

fn fmt_interval(s: u32, e: u32) -> String {
    format!(
        "{:02}:{:02}-{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        e / 3600,
        e / 60 % 60
    )
}

/// `"HH:MM-HH:MM"` as seconds of the local day, `[start, end)`.
fn interval(text: &str) -> Result<(u32, u32), String> {
    let (a, b) = text.split_once('-').ok_or("expected `HH:MM-HH:MM`")?;
    let start = clock_time(a.trim())?;
    let end = clock_time(b.trim())?;
    if start == 86_400 {
        return Err("an interval cannot start at `24:00`".into());
    }
    if end <= start {
        return Err("the end must be after the start (an interval cannot cross midnight; split it in two days)".into());
    }
    Ok((start, end))
}

fn clock_time(text: &str) -> Result<u32, String> {
    let bad = || format!("`{text}` is not a time; expected `HH:MM` from `00:00` to `24:00`");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    // digits only: `str::parse` would also take a sign (`+9:00`)
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if h > 24 || m > 59 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

fn date_key(src: &Source<'_>, text: &Spanned<String>) -> Result<DateKey, CalendarLoadError> {
    let t = text.get_ref();
    let bad = || {
        src.error(text.span(), format!("invalid date `{t}`: expected `YYYY-MM-DD`, or `MM-DD` for a date that recurs every year"))
    };
    let parts: Vec<&str> = t.split('-').collect();
    // digits only: `str::parse` would also take a sign (`+1-+1` as 01-01)
    let num = |s: &str| {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<u16>().map_err(|_| bad())
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            let (y, m, d) = (num(y)?, num(m)?, num(d)?);
            jiff::civil::Date::new(y as i16, m as i8, d as i8).map_err(|_| bad())?;
            Ok(DateKey::Dated(days::from_civil(
                i32::from(y),
                m as u8,
                d as u8,
            )))
        }
        [m, d] if m.len() == 2 && d.len() == 2 => {
            let (m, d) = (num(m)?, num(d)?);
            // 2000 is a leap year: accepts 02-29
            jiff::civil::Date::new(2000, m as i8, d as i8).map_err(|_| bad())?;
            Ok(DateKey::Recurring(month_day_key(m as u8, d as u8)))
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse("cal.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn parses_the_design_example() {
        let cal = parse(
            "support.toml",
            r#"
timezone = "Europe/Madrid"
mon = ["09:00-13:00", "14:00-18:00"]
fri = ["09:00-15:00"]
sat = []
holidays = ["2026-01-06", "12-25", "01-01"]
[overrides]
"2026-12-24" = ["09:00-13:00"]
"#,
        )
        .unwrap();
        assert_eq!(cal.timezone(), "Europe/Madrid");
        assert_eq!(
            cal.week[0].as_ref(),
            &[(9 * 3600, 13 * 3600), (14 * 3600, 18 * 3600)]
        );
        assert_eq!(cal.holidays.len(), 1);
        assert_eq!(cal.recurring_holidays.len(), 2);
    }

    #[test]
    fn bad_times_name_the_line_and_the_value() {
        let e = err("timezone = \"UTC\"\nmon = [\"09:00-25:00\"]\n");
        assert!(
            e.starts_with("cal.toml:2:8: invalid interval `09:00-25:00` in `mon`"),
            "{e}"
        );
        assert!(
            err("timezone = \"UTC\"\nmon = [\"18:00-09:00\"]")
                .contains("end must be after the start")
        );
        assert!(err("timezone = \"UTC\"\nmon = [\"9-17\"]").contains("expected `HH:MM`"));
        assert!(
            err("timezone = \"UTC\"\nmon = [\"24:00-24:00\"]").contains("cannot start at `24:00`")
        );
    }

    #[test]
    fn overlapping_intervals_are_refused() {
        let e = err("timezone = \"UTC\"\ntue = [\"09:00-13:00\", \"12:00-18:00\"]");
        assert!(e.contains("intervals overlap in `tue`"), "{e}");
        assert!(e.starts_with("cal.toml:2:23"), "{e}");
    }

    #[test]
    fn unknown_zone_and_keys_and_empty_weeks_are_refused() {
        assert!(
            err("timezone = \"Mars/Olympus\"\nmon = [\"09:00-17:00\"]")
                .contains("cal.toml:1:12: unknown time zone `Mars/Olympus`")
        );
        let e = err("timezone = \"UTC\"\nmonday = [\"09:00-17:00\"]");
        assert!(
            e.contains("cal.toml:2:1") && e.contains("unknown field `monday`"),
            "{e}"
        );
        assert!(err("timezone = \"UTC\"\nmon = []").contains("no open time in any week"));
        assert!(err("timezone = \"UTC\"").contains("no open time in any week"));
        assert!(err("mon = [\"09:00-17:00\"]").contains("missing field `timezone`"));
    }

    #[test]
    fn a_sign_in_a_time_is_refused() {
        for interval in ["+9:00-17:00", "09:00-+5:00", "09:+0-17:00"] {
            let e = err(&format!("timezone = \"UTC\"\nmon = [\"{interval}\"]\n"));
            assert!(e.contains("is not a time"), "{interval}: {e}");
        }
    }

    #[test]
    fn bad_dates_are_refused() {
        let base = "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\n";
        assert!(
            err(&format!("{base}holidays = [\"2026-02-30\"]"))
                .contains("invalid date `2026-02-30`")
        );
        assert!(err(&format!("{base}holidays = [\"13-01\"]")).contains("invalid date `13-01`"));
        assert!(
            err(&format!("{base}[overrides]\n\"2026-1-1\" = []"))
                .contains("invalid date `2026-1-1`")
        );
        assert!(parse("c", &format!("{base}holidays = [\"02-29\"]")).is_ok());
        // a sign is not a digit, though `str::parse` takes one
        for date in ["+1-+1", "2026-+3-01", "+026-03-01", "-1-01"] {
            assert!(
                err(&format!("{base}holidays = [\"{date}\"]"))
                    .contains(&format!("invalid date `{date}`")),
                "{date}"
            );
        }
    }
}
