//! An independent time oracle, and the calendar checked against it.
//!
//! The oracle answers `due`, `elapsed` (with pauses) and `is_business_time` from a
//! calendar's *spec* (weekly hours, holidays, overrides, a zone) and jiff alone: it
//! shares no code with `pacto::calendar` (not its TOML parser, its day-hours lookup, its
//! zone table, its walk or its pauses). For each local date it picks the hours by the
//! precedence of DESIGN.md (a date that does not exist in the zone has none; then dated
//! override, dated holiday, recurring override, recurring holiday, weekday), turns each
//! interval's ends into instants with jiff's "compatible" rule, and takes the union of
//! all of them in real time (so overlaps count once). Business time is then measured
//! interval by interval on that union, minus the union of the pauses.
//!
//! The oracle first reproduces every hand-written vector (the shared ones and Pacto's
//! own), then the calendar must agree with it on at least 100,000 random draws over
//! random calendars with holidays and overrides that often fall on the same dates, in
//! zones with DST (at midnight, half-hour and 45-minute offsets) and with whole skipped
//! days (Pacific/Apia 2011, Pacific/Kwajalein 1993) or a jump across midnight
//! (America/Toronto 1919), from starts on and around their offset changes.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};
use pacto::calendar::{Calendar, Pauses};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

/// Open intervals of a local day in minutes from midnight, `[start, end)`.
type Hours = Vec<(u32, u32)>;

/// What a calendar file says, as plain data.
#[derive(Clone, Default)]
pub struct Spec {
    pub zone: String,
    /// Monday first.
    pub week: [Hours; 7],
    pub holidays: BTreeSet<Date>,
    /// (month, day)
    pub recurring_holidays: BTreeSet<(i8, i8)>,
    pub overrides: BTreeMap<Date, Hours>,
    pub recurring_overrides: BTreeMap<(i8, i8), Hours>,
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn render(hours: &[(u32, u32)]) -> String {
    let items: Vec<String> = hours
        .iter()
        .map(|&(s, e)| format!("\"{}-{}\"", hhmm(s), hhmm(e)))
        .collect();
    format!("[{}]", items.join(", "))
}

fn minutes_of(text: &str) -> u32 {
    let (h, m) = text.split_once(':').expect("HH:MM");
    h.parse::<u32>().expect("hour") * 60 + m.parse::<u32>().expect("minute")
}

fn hours_of(list: &Value) -> Hours {
    list.as_array()
        .expect("a list of intervals")
        .iter()
        .map(|i| {
            let (a, b) = i.as_str().expect("interval").split_once('-').expect("A-B");
            (minutes_of(a), minutes_of(b))
        })
        .collect()
}

enum Key {
    Dated(Date),
    Recurring((i8, i8)),
}

fn key_of(text: &str) -> Key {
    match text.len() {
        10 => Key::Dated(text.parse().expect("YYYY-MM-DD")),
        5 => {
            let (m, d) = text.split_once('-').expect("MM-DD");
            Key::Recurring((m.parse().expect("month"), d.parse().expect("day")))
        }
        _ => panic!("bad date key {text}"),
    }
}

impl Spec {
    /// A calendar of the vector files (the same keys as the TOML).
    pub fn from_json(cal: &Value) -> Spec {
        let mut spec = Spec {
            zone: cal["timezone"].as_str().expect("timezone").to_owned(),
            ..Spec::default()
        };
        for (i, name) in DAY_NAMES.iter().enumerate() {
            if let Some(list) = cal.get(*name) {
                spec.week[i] = hours_of(list);
            }
        }
        for h in cal["holidays"].as_array().into_iter().flatten() {
            match key_of(h.as_str().expect("holiday")) {
                Key::Dated(d) => spec.holidays.insert(d),
                Key::Recurring(k) => spec.recurring_holidays.insert(k),
            };
        }
        for (k, list) in cal["overrides"].as_object().into_iter().flatten() {
            match key_of(k) {
                Key::Dated(d) => spec.overrides.insert(d, hours_of(list)),
                Key::Recurring(md) => spec.recurring_overrides.insert(md, hours_of(list)),
            };
        }
        spec
    }

    /// The TOML a user would write.
    pub fn toml(&self) -> String {
        let mut out = format!("timezone = \"{}\"\n", self.zone);
        for (name, hours) in DAY_NAMES.iter().zip(&self.week) {
            if !hours.is_empty() {
                out.push_str(&format!("{name} = {}\n", render(hours)));
            }
        }
        let holidays: Vec<String> = self
            .holidays
            .iter()
            .map(|d| format!("\"{d}\""))
            .chain(
                self.recurring_holidays
                    .iter()
                    .map(|(m, d)| format!("\"{m:02}-{d:02}\"")),
            )
            .collect();
        if !holidays.is_empty() {
            out.push_str(&format!("holidays = [{}]\n", holidays.join(", ")));
        }
        if !self.overrides.is_empty() || !self.recurring_overrides.is_empty() {
            out.push_str("\n[overrides]\n");
            for (d, h) in &self.overrides {
                out.push_str(&format!("\"{d}\" = {}\n", render(h)));
            }
            for ((m, d), h) in &self.recurring_overrides {
                out.push_str(&format!("\"{m:02}-{d:02}\" = {}\n", render(h)));
            }
        }
        out
    }
}

/// The oracle's answers over a window of instants `[lo, hi)`: outside it, it says
/// nothing (`None`) rather than guess.
pub struct Oracle {
    tz: TimeZone,
    lo: i64,
    hi: i64,
    /// The union of every open interval, sorted and disjoint, clipped to the window.
    open: Vec<(i64, i64)>,
}

/// Pauses as the oracle takes them: `(start, end)` in Unix seconds, `None` still open.
pub type RawPauses = Vec<(i64, Option<i64>)>;

/// Sorts and merges spans (touching ones too).
fn union(mut spans: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    spans.retain(|&(a, b)| b > a);
    spans.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

impl Oracle {
    pub fn new(spec: &Spec, lo: i64, hi: i64) -> Oracle {
        let tz = TimeZone::get(&spec.zone).expect("zone");
        let local_date = |s: i64| {
            Timestamp::from_second(s)
                .expect("instant")
                .to_zoned(tz.clone())
                .date()
        };
        let (first, last) = (
            local_date(lo).checked_sub(3.days()).expect("date"),
            local_date(hi).checked_add(3.days()).expect("date"),
        );
        let instant = |dt: DateTime| {
            tz.to_ambiguous_timestamp(dt)
                .compatible()
                .expect("in range")
                .as_second()
        };
        let mut spans = Vec::new();
        let mut date = first;
        while date <= last {
            for &(s, e) in hours_on(spec, &tz, date) {
                let at = |m: u32| {
                    if m == 1440 {
                        date.tomorrow().expect("date").at(0, 0, 0, 0)
                    } else {
                        date.at((m / 60) as i8, (m % 60) as i8, 0, 0)
                    }
                };
                spans.push((instant(at(s)), instant(at(e))));
            }
            date = date.tomorrow().expect("date");
        }
        let open = union(spans)
            .into_iter()
            .map(|(a, b)| (a.max(lo), b.min(hi)))
            .filter(|&(a, b)| b > a)
            .collect();
        Oracle { tz, lo, hi, open }
    }

    /// The open spans, for picking instants at their edges.
    pub fn open_spans(&self) -> &[(i64, i64)] {
        &self.open
    }

    /// The window's offset changes, as instants.
    pub fn transitions(&self) -> Vec<i64> {
        self.tz
            .following(Timestamp::from_second(self.lo).expect("lo"))
            .map(|t| t.timestamp().as_second())
            .take_while(|&t| t < self.hi)
            .collect()
    }

    fn inside(&self, t: i64) -> bool {
        (self.lo..self.hi).contains(&t)
    }

    /// Open time minus pauses.
    fn free(&self, pauses: &RawPauses) -> Vec<(i64, i64)> {
        let pauses = union(
            pauses
                .iter()
                .map(|&(s, e)| (s, e.unwrap_or(i64::MAX)))
                .collect(),
        );
        let mut out = Vec::with_capacity(self.open.len());
        let mut p = 0;
        for &(a, b) in &self.open {
            let mut a = a;
            while p < pauses.len() && pauses[p].1 <= a {
                p += 1;
            }
            let mut q = p;
            while a < b {
                match pauses.get(q) {
                    Some(&(ps, pe)) if ps < b => {
                        if ps > a {
                            out.push((a, ps));
                        }
                        a = a.max(pe);
                        q += 1;
                    }
                    _ => {
                        out.push((a, b));
                        break;
                    }
                }
            }
        }
        out
    }

    /// Whether `t` is inside an open interval (pauses do not matter).
    pub fn is_open(&self, t: i64) -> Option<bool> {
        self.inside(t)
            .then(|| self.open.iter().any(|&(a, b)| a <= t && t < b))
    }

    /// Business seconds in `[s, e)` outside the pauses; 0 when `e <= s`.
    pub fn elapsed(&self, s: i64, e: i64, pauses: &RawPauses) -> Option<i64> {
        if e <= s {
            return Some(0);
        }
        if !self.inside(s) || !self.inside(e) {
            return None;
        }
        Some(
            self.free(pauses)
                .iter()
                .map(|&(a, b)| (b.min(e) - a.max(s)).max(0))
                .sum(),
        )
    }

    /// The first instant at which `n` business seconds outside the pauses have passed
    /// since `s` (0: the first free instant at or after `s`); a negative `n` counts back
    /// to the latest instant with `-n` free seconds up to `s`.
    pub fn due(&self, s: i64, n: i64, pauses: &RawPauses) -> Option<i64> {
        if !self.inside(s) {
            return None;
        }
        let free = self.free(pauses);
        if n >= 0 {
            let mut rem = n;
            for &(a, b) in free.iter().filter(|&&(_, b)| b > s) {
                let x = a.max(s);
                if rem <= b - x {
                    return Some(x + rem);
                }
                rem -= b - x;
            }
        } else {
            let mut rem = -n;
            for &(a, b) in free.iter().rev().filter(|&&(a, _)| a < s) {
                let y = b.min(s);
                if rem <= y - a {
                    return Some(y - rem);
                }
                rem -= y - a;
            }
        }
        None // not within the window
    }
}

/// Whether a local date exists in the zone: a date whose midnight lies in a forward
/// jump that lands on a later date has no local time at all.
fn exists(tz: &TimeZone, date: Date) -> bool {
    let midnight = date.at(0, 0, 0, 0);
    let amb = tz.to_ambiguous_timestamp(midnight);
    match amb.offset() {
        AmbiguousOffset::Gap { .. } => {
            let moved = amb.compatible().expect("in range");
            let jump = tz
                .preceding(moved.checked_add(1.second()).expect("in range"))
                .next()
                .expect("a gap has a transition")
                .timestamp();
            jump.to_zoned(tz.clone()).date() == date
        }
        _ => true,
    }
}

/// The hours of a local date, by DESIGN.md's precedence.
fn hours_on<'s>(spec: &'s Spec, tz: &TimeZone, date: Date) -> &'s [(u32, u32)] {
    if !exists(tz, date) {
        return &[];
    }
    if let Some(h) = spec.overrides.get(&date) {
        return h;
    }
    if spec.holidays.contains(&date) {
        return &[];
    }
    let md = (date.month(), date.day());
    if let Some(h) = spec.recurring_overrides.get(&md) {
        return h;
    }
    if spec.recurring_holidays.contains(&md) {
        return &[];
    }
    &spec.week[date.weekday().to_monday_zero_offset() as usize]
}

// ---- the oracle against the hand-written vectors ----

fn arg<'a>(args: &'a [Value], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args[i + 1].as_str())
}

fn seconds(text: &str) -> i64 {
    text.parse::<Timestamp>().expect("instant").as_second()
}

/// The oracle's answer to a vector, formatted as the vector's `expect`.
fn oracle_answer(v: &Value) -> String {
    let spec = Spec::from_json(&v["calendar"]);
    let args = v["args"].as_array().expect("args");
    let start = seconds(arg(args, "--start").expect("--start"));
    let pauses: RawPauses = args
        .windows(2)
        .filter(|w| w[0] == "--pause")
        .map(|w| {
            let (a, b) = w[1].as_str().expect("pause").split_once('/').expect("A/B");
            (seconds(a), Some(seconds(b)))
        })
        .collect();
    let end = arg(args, "--end").map(seconds);
    let day = 86_400;
    let (lo, hi) = (
        start.min(end.unwrap_or(start)) - 800 * day,
        start.max(end.unwrap_or(start)) + 800 * day,
    );
    let oracle = Oracle::new(&spec, lo, hi);
    match v["verb"].as_str().expect("verb") {
        "due" => {
            let n = match (arg(args, "--minutes"), arg(args, "--seconds")) {
                (Some(m), None) => m.parse::<i64>().expect("minutes") * 60,
                (None, Some(s)) => s.parse::<i64>().expect("seconds"),
                _ => panic!("one of --minutes, --seconds"),
            };
            let due = oracle.due(start, n, &pauses).expect("within the window");
            let at = Timestamp::from_second(due).expect("instant");
            let tz = TimeZone::get(&spec.zone).expect("zone");
            // RFC 3339 in the zone's offset, whole seconds, `+00:00` rather than `Z`
            let offset = tz.to_offset(at).seconds();
            let local = at.to_zoned(tz).datetime();
            let sign = if offset < 0 { '-' } else { '+' };
            let o = offset.unsigned_abs();
            format!(
                "{}{sign}{:02}:{:02}",
                local.strftime("%Y-%m-%dT%H:%M:%S"),
                o / 3600,
                o / 60 % 60
            )
        }
        "elapsed" => {
            let secs = oracle
                .elapsed(start, end.expect("--end"), &pauses)
                .expect("within the window");
            if args.iter().any(|a| a == "--seconds") {
                secs.to_string()
            } else {
                secs.div_euclid(60).to_string()
            }
        }
        other => panic!("unknown verb {other}"),
    }
}

#[test]
fn the_oracle_reproduces_every_hand_written_vector() {
    let mut failures = Vec::new();
    let mut count = 0;
    for text in [
        include_str!("../data/calendar-vectors.json"),
        include_str!("../data/calendar-vectors-pacto.json"),
    ] {
        let vectors: Vec<Value> = serde_json::from_str(text).expect("JSON");
        for v in &vectors {
            count += 1;
            let expect = match &v["expect"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let got = oracle_answer(v);
            if got != expect {
                failures.push(format!("{}: expected {expect}, oracle {got}", v["id"]));
            }
        }
    }
    assert_eq!(count, 82 + 30);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- random calendars against the oracle ----

/// Zones with DST (at 02:00, at midnight, by 30 minutes, at a 45-minute offset), without,
/// with whole skipped days and with a jump across midnight, each with a year worth
/// aiming at.
const ZONES: [(&str, i16); 13] = [
    ("Europe/Madrid", 2026),
    ("America/New_York", 2026),
    ("America/Sao_Paulo", 2018),
    ("America/Havana", 2026),
    ("Asia/Tehran", 2021),
    ("Australia/Lord_Howe", 2026),
    ("Pacific/Chatham", 2026),
    ("Pacific/Apia", 2011),
    ("Pacific/Kwajalein", 1993),
    // 1919-03-30: a one-hour jump from 23:30 across midnight
    ("America/Toronto", 1919),
    ("Asia/Kolkata", 2026),
    ("UTC", 2026),
    ("Etc/GMT+5", 2026),
];

/// 1990-01-01T00:00:00Z and 2040-01-01T00:00:00Z: where most starts lie.
const FIRST_START: i64 = 631_152_000;
const LAST_START: i64 = 2_208_988_800;
/// 1901-01-01T00:00:00Z: the earliest start, for the zones' notable years.
const EARLIEST_START: i64 = -2_177_452_800;

const DAY: i64 = 86_400;

/// Hours of one day: the property tests' strategy (closed, open all day, or 0–3
/// intervals on whole minutes or quarter hours). Test data, not calendar code.
use crate::properties::day_hours;

/// A start: anywhere from 1990 to 2040, or within three days of one of the zone's
/// offset changes in a random year or in the zone's notable year.
fn start_in(zone: &'static str, notable: i16) -> impl Strategy<Value = i64> {
    prop_oneof![
        FIRST_START..LAST_START,
        (
            prop_oneof![1990i16..2039, Just(notable)],
            0usize..3,
            -3 * DAY..3 * DAY
        )
            .prop_map(move |(year, nth, jitter)| {
                let tz = TimeZone::get(zone).expect("zone");
                let from = Date::new(year, 1, 1)
                    .expect("date")
                    .to_zoned(TimeZone::UTC)
                    .expect("zoned")
                    .timestamp();
                let at = tz
                    .following(from)
                    .nth(nth)
                    .map_or(from, |t| t.timestamp())
                    .as_second();
                (at + jitter).clamp(EARLIEST_START, LAST_START)
            }),
    ]
}

/// A generated calendar and the start its draws are around.
#[derive(Clone)]
struct Generated {
    spec: Spec,
    start: i64,
}

impl fmt::Debug for Generated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\n--- calendar ---\n{}--- around {} ---\n",
            self.spec.toml(),
            Timestamp::from_second(self.start).map_err(|_| fmt::Error)?
        )
    }
}

/// Holidays and overrides are drawn from a few dates near the start, so that a dated
/// override and a holiday (or a recurring entry) often fall on the same date.
fn generated() -> impl Strategy<Value = Generated> {
    prop::sample::select(&ZONES[..]).prop_flat_map(|(zone, notable)| {
        (
            start_in(zone, notable),
            prop::array::uniform7(day_hours()),
            prop::collection::vec(-10i64..40, 1..=6),
            prop::collection::vec((any::<prop::sample::Index>(), any::<bool>()), 0..=4),
            prop::collection::vec(
                (any::<prop::sample::Index>(), any::<bool>(), day_hours()),
                0..=4,
            ),
        )
            .prop_map(move |(start, mut week, pool, holidays, overrides)| {
                if week.iter().all(Vec::is_empty) {
                    week[0] = vec![(9 * 60, 17 * 60)];
                }
                let tz = TimeZone::get(zone).expect("zone");
                let today = Timestamp::from_second(start)
                    .expect("start")
                    .to_zoned(tz)
                    .date();
                let near = |i: &prop::sample::Index| {
                    today
                        .checked_add((*i.get(&pool)).days())
                        .expect("date near the start")
                };
                let mut spec = Spec {
                    zone: zone.to_owned(),
                    week,
                    ..Spec::default()
                };
                for (i, recurs) in &holidays {
                    let d = near(i);
                    if *recurs {
                        spec.recurring_holidays.insert((d.month(), d.day()));
                    } else {
                        spec.holidays.insert(d);
                    }
                }
                for (i, recurs, hours) in overrides {
                    let d = near(&i);
                    if recurs {
                        spec.recurring_overrides.insert((d.month(), d.day()), hours);
                    } else {
                        spec.overrides.insert(d, hours);
                    }
                }
                Generated { spec, start }
            })
    })
}

/// splitmix64, for the draws of one generated calendar: the case generator's.
use crate::generate::Rng;

/// How many draws each generated calendar gets, and how many calendars: together at
/// least [`MIN_DRAWS`] compared answers.
const DRAWS_PER_CALENDAR: usize = 250;
const CALENDARS: u32 = 1_000;
const MIN_DRAWS: u64 = 100_000;

/// An instant worth asking about: anywhere near the start, at or next to an opening or
/// closing, or next to an offset change.
fn instant(rng: &mut Rng, g: &Generated, oracle: &Oracle, transitions: &[i64]) -> i64 {
    let spans = oracle.open_spans();
    let near: Vec<&(i64, i64)> = spans
        .iter()
        .filter(|&&(a, _)| a >= g.start - 12 * DAY && a <= g.start + 30 * DAY)
        .collect();
    let t = match rng.below(10) {
        0..=3 => g.start + rng.range(-10 * DAY, 25 * DAY),
        4..=7 if !near.is_empty() => {
            let &(a, b) = near[rng.below(near.len() as u64) as usize];
            let edge = if rng.chance(50) { a } else { b };
            edge + match rng.below(4) {
                0 => 0,
                1 => rng.range(-1, 1),
                2 => rng.range(-60, 60),
                _ => rng.range(-3600, 3600),
            }
        }
        _ if !transitions.is_empty() => {
            transitions[rng.below(transitions.len() as u64) as usize] + rng.range(-2 * DAY, 2 * DAY)
        }
        _ => g.start + rng.range(-DAY, DAY),
    };
    t.clamp(g.start - 12 * DAY, g.start + 30 * DAY)
}

fn pauses(rng: &mut Rng, g: &Generated, oracle: &Oracle, transitions: &[i64]) -> RawPauses {
    let n = match rng.below(10) {
        0..=3 => 0,
        4..=6 => 1,
        7..=8 => 2,
        _ => 3,
    };
    (0..n)
        .map(|_| {
            let s = instant(rng, g, oracle, transitions);
            let end = match rng.below(10) {
                0 => None,
                1 => Some(s),
                2..=5 => Some(s + rng.range(1, 3 * 3600)),
                _ => Some(s + rng.range(1, 3 * DAY)),
            };
            (s, end)
        })
        .collect()
}

/// An amount of business seconds: small, up to a few days, or whole minutes up to two
/// weeks of round-the-clock time.
fn amount(rng: &mut Rng) -> i64 {
    match rng.below(10) {
        0..=3 => rng.range(0, 7200),
        4..=6 => rng.range(0, 3 * DAY),
        _ => rng.range(0, 14 * 24 * 60) * 60,
    }
}

fn ts(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("timestamp")
}

fn to_pauses(raw: &RawPauses) -> Pauses {
    Pauses::new(raw.iter().map(|&(s, e)| (ts(s), e.map(ts)))).expect("pauses")
}

fn show(raw: &RawPauses) -> String {
    let items: Vec<String> = raw
        .iter()
        .map(|&(s, e)| {
            format!(
                "{}/{}",
                ts(s),
                e.map_or("open".to_owned(), |e| ts(e).to_string())
            )
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// One generated calendar: `DRAWS_PER_CALENDAR` draws; returns how many were compared
/// (a draw whose answer lies beyond the oracle's window is not counted).
fn check_calendar(g: &Generated, seed: u64) -> Result<u64, TestCaseError> {
    let toml = g.spec.toml();
    let cal = Calendar::from_toml("generated.toml", &toml)
        .map_err(|e| TestCaseError::fail(format!("the generated calendar must load: {e}")))?;
    let oracle = Oracle::new(&g.spec, g.start - 120 * DAY, g.start + 240 * DAY);
    let transitions = oracle.transitions();
    let mut rng = Rng(seed);
    let mut compared = 0;
    for draw in 0..DRAWS_PER_CALENDAR {
        let s = instant(&mut rng, g, &oracle, &transitions);
        let (what, got, want) = match rng.below(10) {
            0..=3 => {
                let p = pauses(&mut rng, g, &oracle, &transitions);
                let mut n = amount(&mut rng);
                if rng.chance(30) {
                    n = -n;
                }
                let Some(want) = oracle.due(s, n, &p) else {
                    continue;
                };
                let got = cal
                    .add_business_seconds(ts(s), n, &to_pauses(&p))
                    .map(|d| d.as_second().to_string())
                    .unwrap_or_else(|e| format!("error: {e}"));
                (
                    format!("due({}, {n} s, pauses {})", ts(s), show(&p)),
                    got,
                    want.to_string(),
                )
            }
            4..=7 => {
                let p = pauses(&mut rng, g, &oracle, &transitions);
                let e = if rng.chance(10) {
                    instant(&mut rng, g, &oracle, &transitions)
                } else {
                    s + rng.range(0, 21 * DAY)
                };
                let want = oracle.elapsed(s, e, &p).expect("inside the window");
                let got = cal
                    .business_seconds_between(ts(s), ts(e), &to_pauses(&p))
                    .map(|x| x.to_string())
                    .unwrap_or_else(|e| format!("error: {e}"));
                (
                    format!("elapsed({}, {}, pauses {})", ts(s), ts(e), show(&p)),
                    got,
                    want.to_string(),
                )
            }
            8 => {
                let want = oracle.is_open(s).expect("inside the window");
                let got = cal
                    .is_business_time(ts(s))
                    .map(|x| x.to_string())
                    .unwrap_or_else(|e| format!("error: {e}"));
                (
                    format!("is_business_time({})", ts(s)),
                    got,
                    want.to_string(),
                )
            }
            _ => {
                // the whole-minute API, rounded down
                let e = s + rng.range(0, 10 * DAY);
                let want = oracle
                    .elapsed(s, e, &Vec::new())
                    .expect("inside")
                    .div_euclid(60);
                let got = cal
                    .business_minutes_between(ts(s), ts(e))
                    .map(|x| x.to_string())
                    .unwrap_or_else(|e| format!("error: {e}"));
                (
                    format!("business_minutes_between({}, {})", ts(s), ts(e)),
                    got,
                    want.to_string(),
                )
            }
        };
        if got != want {
            return Err(TestCaseError::fail(format!(
                "draw {draw}: {what}: calendar {got}, oracle {want}\n{toml}"
            )));
        }
        compared += 1;
    }
    Ok(compared)
}

/// The calendar and the oracle agree on at least 100,000 random draws: `due` (forwards,
/// zero, backwards), `elapsed` in seconds and whole minutes, each with 0–3 pauses (some
/// still open), and `is_business_time`.
#[test]
fn the_calendar_agrees_with_the_oracle() {
    let compared = Cell::new(0u64);
    let mut runner = TestRunner::new(Config {
        cases: CALENDARS,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    });
    let result = runner.run(&(generated(), any::<u64>()), |(g, seed)| {
        compared.set(compared.get() + check_calendar(&g, seed)?);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "the calendar agreed with the oracle on {} draws over {CALENDARS} calendars",
        compared.get()
    );
    assert!(
        compared.get() >= MIN_DRAWS,
        "only {} draws were compared",
        compared.get()
    );
}
