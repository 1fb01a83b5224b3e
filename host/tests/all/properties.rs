//! Property tests of calendar arithmetic (proptest).
//!
//! Random calendars (a zone from a list of DST-heavy and fixed-offset zones, 0–3 open
//! intervals a day on whole-minute or 15-minute boundaries, sometimes whole days, dated
//! and recurring holidays and overrides near the start) are rendered as the TOML a user
//! would write and loaded with [`Calendar::from_toml`]; starts lie between 2000 and 2040,
//! often within days of one of the zone's offset changes. The properties are the rules
//! of DESIGN.md "Calendars" stated as equations between `due` (add business seconds) and
//! `elapsed` (business seconds between), so they hold for every calendar and start.
//! These equations all go through the same day walk, so a bug shared by `due` and
//! `elapsed` passes them: `oracle.rs` checks the answers themselves against an
//! independent model.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use pacto::TimeError;
use pacto::calendar::{Calendar, Pauses};
use proptest::prelude::*;

const ZONES: [&str; 10] = [
    "Europe/Madrid",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Tehran",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "UTC",
    "Etc/GMT+5",
];

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// 2000-01-01T00:00:00Z and 2040-01-01T00:00:00Z.
const FIRST_START: i64 = 946_684_800;
const LAST_START: i64 = 2_208_988_800;

/// Open intervals of one local day, in minutes from midnight, `[start, end)`.
type DayHours = Vec<(u32, u32)>;

/// A generated calendar and a start instant.
#[derive(Clone)]
struct Case {
    toml: String,
    start: Timestamp,
    /// Business seconds in a plain week of the weekly hours (ignoring DST, holidays and
    /// overrides): the scale of the amounts a case asks for.
    weekly: i64,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\n--- calendar ---\n{}--- start {} ({}) ---\n",
            self.toml,
            self.start,
            self.start.as_second()
        )
    }
}

impl Case {
    fn calendar(&self) -> Calendar {
        Calendar::from_toml("generated.toml", &self.toml)
            .unwrap_or_else(|e| panic!("generated calendar must load: {e}\n{}", self.toml))
    }

    /// An amount of business seconds from a raw random number: up to about nine weeks
    /// of the calendar's hours (45 to 63 business days), whatever the calendar.
    fn amount(&self, raw: u64) -> i64 {
        let cap = u64::try_from(self.weekly * 9).expect("weekly hours are positive");
        i64::try_from(raw % (cap + 1)).expect("amount fits")
    }

    /// A real span of seconds from a raw random number: up to ten weeks.
    fn span(raw: u64) -> i64 {
        i64::try_from(raw % (70 * 86_400 + 1)).expect("span fits")
    }
}

fn raw_amount() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..7_200, any::<u64>()]
}

/// Hours of one day: closed, open all day, or 0–3 intervals (touching allowed).
pub(crate) fn day_hours() -> impl Strategy<Value = DayHours> {
    prop_oneof![
        3 => Just(Vec::new()),
        1 => Just(vec![(0, 1440)]),
        6 => (any::<bool>(), prop::collection::vec(0u32..=1440, 0..=6)).prop_map(
            |(quarters, mut points)| {
                if quarters {
                    for p in &mut points {
                        *p = *p / 15 * 15;
                    }
                }
                points.sort_unstable();
                points
                    .chunks_exact(2)
                    .filter(|pair| pair[0] < pair[1])
                    .map(|pair| (pair[0], pair[1]))
                    .collect()
            }
        ),
    ]
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn render_hours(hours: &[(u32, u32)]) -> String {
    let items: Vec<String> = hours
        .iter()
        .map(|&(s, e)| format!("\"{}-{}\"", hhmm(s), hhmm(e)))
        .collect();
    format!("[{}]", items.join(", "))
}

fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn month_day_text(d: Date) -> String {
    format!("{:02}-{:02}", d.month(), d.day())
}

/// A start between 2000 and 2040: anywhere, or within three days of an offset change.
fn start_in(zone: &'static str) -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        (FIRST_START..LAST_START).prop_map(|s| Timestamp::from_second(s).expect("start")),
        (2000i16..2039, 0usize..2, -3 * 86_400i64..3 * 86_400).prop_map(
            move |(year, nth, jitter)| {
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
                Timestamp::from_second((at + jitter).clamp(FIRST_START, LAST_START)).expect("start")
            }
        ),
    ]
}

/// Days relative to the start's local date, for holidays and overrides that matter.
fn offsets(max: usize) -> impl Strategy<Value = Vec<i64>> {
    prop_oneof![
        1 => Just(Vec::new()),
        1 => prop::collection::vec(-20i64..90, 1..=max),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    prop::sample::select(&ZONES[..]).prop_flat_map(|zone| {
        (
            start_in(zone),
            prop::array::uniform7(day_hours()),
            offsets(4),
            offsets(3),
            prop_oneof![
                2 => Just(Vec::new()),
                1 => prop::collection::vec((-20i64..90, any::<bool>(), day_hours()), 1..=2),
            ],
        )
            .prop_map(move |(start, mut week, dated, recurring, overrides)| {
                if week.iter().all(Vec::is_empty) {
                    week[0] = vec![(9 * 60, 17 * 60)];
                }
                let tz = TimeZone::get(zone).expect("zone");
                let today = start.to_zoned(tz).date();
                let near = |offset: i64| today.checked_add(offset.days()).expect("date");
                let mut toml = format!("timezone = \"{zone}\"\n");
                for (name, hours) in DAY_NAMES.iter().zip(&week) {
                    if !hours.is_empty() {
                        toml.push_str(&format!("{name} = {}\n", render_hours(hours)));
                    }
                }
                let holidays: Vec<String> = dated
                    .iter()
                    .map(|&o| date_text(near(o)))
                    .chain(recurring.iter().map(|&o| month_day_text(near(o))))
                    .map(|h| format!("\"{h}\""))
                    .collect();
                if !holidays.is_empty() {
                    toml.push_str(&format!("holidays = [{}]\n", holidays.join(", ")));
                }
                let overrides: BTreeMap<String, DayHours> = overrides
                    .into_iter()
                    .map(|(o, recurs, hours)| {
                        let key = if recurs {
                            month_day_text(near(o))
                        } else {
                            date_text(near(o))
                        };
                        (key, hours)
                    })
                    .collect();
                if !overrides.is_empty() {
                    toml.push_str("\n[overrides]\n");
                    for (key, hours) in &overrides {
                        toml.push_str(&format!("\"{key}\" = {}\n", render_hours(hours)));
                    }
                }
                let weekly = week
                    .iter()
                    .flatten()
                    .map(|&(s, e)| i64::from(e - s) * 60)
                    .sum();
                Case {
                    toml,
                    start,
                    weekly,
                }
            })
    })
}

fn ts(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("timestamp")
}

fn secs(t: Timestamp) -> i64 {
    t.as_second()
}

fn due(cal: &Calendar, start: Timestamp, seconds: i64) -> Timestamp {
    cal.add_business_seconds(start, seconds, &Pauses::none())
        .unwrap_or_else(|e| panic!("due({start}, {seconds}): {e}"))
}

fn elapsed(cal: &Calendar, start: Timestamp, end: Timestamp) -> i64 {
    cal.business_seconds_between(start, end, &Pauses::none())
        .unwrap_or_else(|e| panic!("elapsed({start}, {end}): {e}"))
}

/// How many seconds from `t` on are open without a break (up to a closing time), or
/// `None` if that is more than three weeks (a calendar open around the clock).
fn open_run(cal: &Calendar, t: Timestamp) -> Option<i64> {
    const LIMIT: i64 = 21 * 86_400;
    let all_open = |k: i64| elapsed(cal, t, ts(secs(t) + k)) == k;
    if all_open(LIMIT) {
        return None;
    }
    // largest k with [t, t + k) all open
    let (mut lo, mut hi) = (0, LIMIT);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if all_open(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

fn open(cal: &Calendar, at: Timestamp) -> bool {
    cal.is_business_time(at)
        .unwrap_or_else(|e| panic!("is_business_time({at}): {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// 1. Round trip: the business time from a start to its due instant is the amount
    /// asked for, from any start (closed time before the first opening counts nothing).
    /// Adding 0 gives a business moment with no business
    /// time before it, and keeps a start that is already in hours.
    #[test]
    fn due_then_elapsed_round_trips(c in case(), raw in raw_amount()) {
        let cal = c.calendar();
        let s = c.start;
        let next = due(&cal, s, 0);
        prop_assert!(next >= s);
        prop_assert!(open(&cal, next), "due(s, 0) = {next} is not business time");
        prop_assert_eq!(elapsed(&cal, s, next), 0);
        if open(&cal, s) {
            prop_assert_eq!(next, s);
        }

        let n = c.amount(raw);
        let d = due(&cal, s, n);
        prop_assert_eq!(elapsed(&cal, s, d), n, "due = {}", d);
        prop_assert_eq!(elapsed(&cal, next, d), n, "due = {}", d);
        if n > 0 {
            // the first instant that reaches n: one second earlier it was not reached
            prop_assert_eq!(elapsed(&cal, s, ts(secs(d) - 1)), n - 1);
            prop_assert_eq!(due(&cal, next, n), d);
        }

    }

    /// 2. Additivity: `due(due(s, a), b) == due(s, a + b)` for `a, b > 0`. This holds
    /// even when `due(s, a)` is a closing time (half the cases move `a` so that it is),
    /// since the next count resumes at the next opening either way; for `b == 0` it
    /// holds only when `due(s, a)` is in hours, and otherwise moves to the next opening.
    #[test]
    fn due_is_additive(
        c in case(),
        ra in raw_amount(),
        rb in raw_amount(),
        to_closing in any::<bool>(),
    ) {
        let cal = c.calendar();
        // a + b stays within the usual amount
        let (mut a, b) = (c.amount(ra) / 2 + 1, c.amount(rb) / 2 + 1);
        let mut at_closing = false;
        if to_closing && let Some(k) = open_run(&cal, due(&cal, c.start, a)) {
            a += k;
            at_closing = true;
        }
        let da = due(&cal, c.start, a);
        let da_open = open(&cal, da);
        if at_closing {
            prop_assert!(!da_open, "{da} should be a closing time");
        }
        prop_assert_eq!(
            due(&cal, da, b),
            due(&cal, c.start, a + b),
            "due(s, a) = {} (open: {})",
            da,
            da_open
        );
        let d0 = due(&cal, da, 0);
        if da_open {
            prop_assert_eq!(d0, da);
        } else {
            prop_assert!(d0 > da);
            prop_assert_eq!(elapsed(&cal, da, d0), 0);
            prop_assert_eq!(d0, due(&cal, c.start, a + 1) - jiff::SignedDuration::from_secs(1));
        }
    }

    /// 3. Backwards then forwards: `b = due(s, -n)` is a business moment with exactly
    /// `n` business seconds up to `s`. Counting `n` forwards from `b` gives back `s`
    /// when the second before `s` is open; when `s` is an opening time after closed
    /// time it gives the closing time before `s` (a deadline that lands on a closing
    /// time stays there), with no business time in between.
    #[test]
    fn backwards_then_forwards(c in case(), raw in raw_amount()) {
        let cal = c.calendar();
        let s = due(&cal, c.start, 0);
        prop_assert!(open(&cal, s));
        let n = c.amount(raw).max(1);
        let b = due(&cal, s, -n);
        prop_assert!(b < s);
        prop_assert!(open(&cal, b), "due(s, -n) = {b} is not an opening or inside hours");
        prop_assert_eq!(elapsed(&cal, b, s), n, "b = {}", b);
        // one second later would be short of n
        prop_assert_eq!(elapsed(&cal, ts(secs(b) + 1), s), n - 1);
        let f = due(&cal, b, n);
        if open(&cal, ts(secs(s) - 1)) {
            prop_assert_eq!(f, s, "b = {}", b);
        } else {
            prop_assert!(f < s, "f = {f}, s = {s}");
            prop_assert!(!open(&cal, f));
            prop_assert_eq!(elapsed(&cal, f, s), 0);
        }
        // and from any start, not only one in hours
        let b2 = due(&cal, c.start, -n);
        prop_assert_eq!(elapsed(&cal, b2, c.start), n);
    }

    /// 4. Monotonicity: more business time is never due earlier (negative amounts
    /// included), and elapsed time never shrinks as the end moves later; it is also
    /// additive over a split of the span.
    #[test]
    fn due_and_elapsed_are_monotone(
        c in case(),
        r1 in raw_amount(),
        r2 in raw_amount(),
        back in any::<bool>(),
        e1 in any::<u64>(),
        e2 in any::<u64>(),
    ) {
        let cal = c.calendar();
        let s = c.start;
        let n1 = c.amount(r1) * if back { -1 } else { 1 };
        let n2 = n1 + c.amount(r2);
        let (d1, d2) = (due(&cal, s, n1), due(&cal, s, n2));
        prop_assert!(d1 <= d2, "due({n1}) = {d1} > due({n2}) = {d2}");
        // distinct amounts have distinct business time up to them
        if n1 < n2 {
            prop_assert!(d1 < d2, "due({n1}) = due({n2}) = {d1}");
        }

        let m = ts(secs(s) + Case::span(e1));
        let e = ts(secs(m) + Case::span(e2));
        let (to_m, to_e) = (elapsed(&cal, s, m), elapsed(&cal, s, e));
        prop_assert!(to_m <= to_e);
        prop_assert_eq!(to_m + elapsed(&cal, m, e), to_e);
    }

    /// 5. Elapsed business time lies between 0 and the real span, and is 0 when the
    /// end is not after the start.
    #[test]
    fn elapsed_is_bounded_by_the_real_span(
        c in case(),
        raw in any::<u64>(),
        before in any::<bool>(),
    ) {
        let cal = c.calendar();
        let span = Case::span(raw);
        let s = c.start;
        let e = ts(secs(s) + if before { -span } else { span });
        let got = elapsed(&cal, s, e);
        if e <= s {
            prop_assert_eq!(got, 0);
        } else {
            prop_assert!((0..=secs(e) - secs(s)).contains(&got), "{got} for {span} s");
        }
    }

    /// `is_business_time(t)` is exactly "the second starting at t is counted".
    #[test]
    fn is_business_time_is_one_counted_second(c in case(), raw in any::<u64>()) {
        let cal = c.calendar();
        let t = ts(secs(c.start) + Case::span(raw) % 86_400);
        prop_assert_eq!(open(&cal, t), elapsed(&cal, t, ts(secs(t) + 1)) == 1, "t = {}", t);
        let d = due(&cal, t, 0);
        prop_assert_eq!(open(&cal, t), d == t);
    }

    /// 6. Pauses: a pause only removes business time, exactly the business time inside
    /// it (clipped to the span); an open pause stops the count at its start. Due and
    /// elapsed still round-trip with the pause, both ways.
    #[test]
    fn pauses_remove_exactly_their_business_time(
        c in case(),
        r_end in any::<u64>(),
        r_from in any::<u64>(),
        r_len in any::<u64>(),
        raw in raw_amount(),
    ) {
        let cal = c.calendar();
        let s = c.start;
        let e = ts(secs(s) + Case::span(r_end));
        // a pause anywhere from a week before the start to well after the end
        let p1 = ts(secs(s) - 7 * 86_400 + Case::span(r_from));
        let p2 = ts(secs(p1) + Case::span(r_len) / 4);
        let pauses = Pauses::new([(p1, Some(p2))]).expect("pause");
        let with = cal.business_seconds_between(s, e, &pauses).expect("elapsed with pause");
        let without = elapsed(&cal, s, e);
        prop_assert!(with <= without);
        let inside = elapsed(&cal, s.max(p1), e.min(p2));
        prop_assert_eq!(with, without - inside, "pause {}/{}", p1, p2);

        let open_pause = Pauses::new([(p1, None)]).expect("open pause");
        prop_assert_eq!(
            cal.business_seconds_between(s, e, &open_pause).expect("elapsed, open pause"),
            elapsed(&cal, s, e.min(p1))
        );

        let n = c.amount(raw);
        let d = cal.add_business_seconds(s, n, &pauses).expect("due with pause");
        prop_assert!(d >= due(&cal, s, n));
        let counted = cal.business_seconds_between(s, d, &pauses).expect("elapsed");
        prop_assert_eq!(counted, n, "due = {}", d);
        prop_assert!(!pauses.contains(d) || d == p1, "due {} inside the pause", d);
        if n > 0 {
            let b = cal.add_business_seconds(s, -n, &pauses).expect("back with pause");
            prop_assert!(b <= due(&cal, s, -n));
            let counted_back = cal.business_seconds_between(b, s, &pauses).expect("elapsed");
            prop_assert_eq!(counted_back, n, "back = {}", b);
            prop_assert!(!pauses.contains(b), "back {} inside the pause", b);
        }
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

/// Madrid springs forward at 02:00 on Sunday 2026-03-29: "00:00-02:30" ends at 03:30
/// CEST, past the start of "03:00-24:00", so the two intervals are one open span from
/// 00:00 CET to 24:00 CEST, 23 real hours.
#[test]
fn madrid_spring_forward_sunday_is_23_hours() {
    let cal = Calendar::from_toml(
        "madrid.toml",
        "timezone = \"Europe/Madrid\"\nsun = [\"00:00-02:30\", \"03:00-24:00\"]\n",
    )
    .expect("calendar");
    let (sun, mon) = (
        at("2026-03-29T00:00:00+01:00"),
        at("2026-03-30T00:00:00+02:00"),
    );
    let none = Pauses::none();
    assert_eq!(
        cal.business_seconds_between(sun, mon, &none)
            .expect("elapsed"),
        23 * 3600
    );
    assert_eq!(
        cal.business_seconds_between(
            at("2026-03-28T12:00:00Z"),
            at("2026-03-31T12:00:00Z"),
            &none
        )
        .expect("elapsed"),
        23 * 3600
    );
    assert_eq!(
        cal.add_business_seconds(at("2026-03-28T12:00:00Z"), 0, &none)
            .expect("due"),
        sun
    );
    // the whole Sunday, landing on its closing time
    assert_eq!(
        cal.add_business_seconds(sun, 23 * 3600, &none)
            .expect("due"),
        mon
    );
    assert_eq!(
        cal.add_business_seconds(mon, -23 * 3600, &none)
            .expect("back"),
        sun
    );
    for t in [
        "2026-03-29T00:59:59Z", // 01:59:59 CET
        "2026-03-29T01:00:00Z", // 03:00 CEST
        "2026-03-29T01:30:00Z", // 03:30 CEST
        "2026-03-29T21:59:59Z", // 23:59:59 CEST
    ] {
        assert!(cal.is_business_time(at(t)).expect("open"), "{t}");
    }
    assert!(!cal.is_business_time(mon).expect("open"));
    // a plain Sunday keeps its 30-minute gap: 24 h - 30 min
    assert_eq!(
        cal.business_seconds_between(
            at("2026-04-05T00:00:00+02:00"),
            at("2026-04-06T00:00:00+02:00"),
            &none
        )
        .expect("elapsed"),
        23 * 3600 + 1800
    );
}

/// Weekly hours every day and every `MM-DD` but 02-29 a holiday (365 recurring
/// holidays load; all 366 are refused): the calendar is open only on leap days.
fn leap_day_calendar() -> Calendar {
    let mut holidays = Vec::new();
    let mut d = Date::new(2024, 1, 1).expect("date");
    while d.year() == 2024 {
        if (d.month(), d.day()) != (2, 29) {
            holidays.push(format!("\"{}\"", month_day_text(d)));
        }
        d = d.tomorrow().expect("date");
    }
    assert_eq!(holidays.len(), 365);
    let mut toml = String::from("timezone = \"Europe/Madrid\"\n");
    for day in DAY_NAMES {
        toml.push_str(&format!("{day} = [\"09:00-17:00\"]\n"));
    }
    let all = format!("{toml}holidays = [{}, \"02-29\"]\n", holidays.join(", "));
    assert!(
        Calendar::from_toml("every-day.toml", &all).is_err(),
        "366 recurring holidays close every day and must be refused"
    );
    toml.push_str(&format!("holidays = [{}]\n", holidays.join(", ")));
    Calendar::from_toml("leap.toml", &toml).expect("365 recurring holidays load")
}

#[test]
fn calendar_open_only_on_leap_days_answers() {
    let cal = leap_day_calendar();
    let due = cal
        .add_business_minutes(at("2025-03-01T00:00:00Z"), 1)
        .expect("a leap day within the search horizon");
    assert_eq!(cal.format(due), "2028-02-29T09:01:00+01:00");
    // from just after one leap day the next is 1461 days away, inside the horizon
    let due = cal
        .add_business_minutes(at("2028-03-01T00:00:00+01:00"), 1)
        .expect("the next leap day");
    assert_eq!(cal.format(due), "2032-02-29T09:01:00+01:00");
    let back = cal
        .add_business_minutes(at("2028-03-01T00:00:00+01:00"), -1)
        .expect("back to the leap day");
    assert_eq!(cal.format(back), "2028-02-29T16:59:00+01:00");
    assert_eq!(
        cal.business_minutes_between(at("2025-03-01T00:00:00Z"), at("2033-01-01T00:00:00Z"))
            .expect("elapsed"),
        2 * 8 * 60
    );
}

/// The search horizon is four years and a day; 2100 is not a leap year, so from
/// 2096-03-01 the next 29 February (2104) is about eight years away: the search gives up
/// with `NoOpenTime` after 1,465 closed days (an error, never a hang).
#[test]
fn calendar_open_only_on_leap_days_across_2100_gives_up_at_the_horizon() {
    let cal = leap_day_calendar();
    let got = cal.add_business_minutes(at("2096-03-01T00:00:00Z"), 1);
    assert!(
        matches!(got, Err(TimeError::NoOpenTime { days: 1465, .. })),
        "{got:?}"
    );
}
