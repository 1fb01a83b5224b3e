//! Benchmarks of Pacto's time core: business-time arithmetic on calendars and the SLA
//! clocks of a case.
//!
//! Run with `cargo bench -p pacto --bench time_core`; criterion keeps its reports under
//! `target/criterion`. BENCHMARKS.md records the figures and the goals they are compared
//! against.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use pacto::{Calendar, Case, Clock, ClockStatus, Metric, Pauses, Timeline};

/// The Madrid support desk: split shifts Monday to Thursday (8 h), short Fridays (6 h),
/// nine recurring and two dated holidays, and a half day on Christmas Eve.
const MADRID: &str = r#"
timezone = "Europe/Madrid"
mon = ["09:00-13:00", "14:00-18:00"]
tue = ["09:00-13:00", "14:00-18:00"]
wed = ["09:00-13:00", "14:00-18:00"]
thu = ["09:00-13:00", "14:00-18:00"]
fri = ["09:00-15:00"]
sat = []
sun = []
holidays = ["01-01", "01-06", "05-01", "08-15", "10-12", "11-01", "12-06", "12-08", "12-25",
            "2026-04-02", "2026-04-03"]

[overrides]
"2026-12-24" = ["09:00-13:00"]
"#;

/// Round the clock, every day.
const ALWAYS: &str = r#"
timezone = "UTC"
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
"#;

/// 30 business days of 8 hours, in minutes. On the Madrid calendar (38 h a week) this is
/// a little over six working weeks.
const THIRTY_DAYS_MINUTES: i64 = 30 * 8 * 60;

/// A case with 20 events: customer messages, agent replies, pending/open changes, a solve
/// and a reopening, then an unanswered follow-up.
const CASE_20_EVENTS: &str = r#"{
  "id": "C-2001",
  "opened_at": "2026-03-02T09:15:00+01:00",
  "priority": "high",
  "channel": "email",
  "kind": "incident",
  "customer": {"id": "K-9", "tier": "gold"},
  "events": [
    {"at": "2026-03-02T09:15:00+01:00", "type": "customer_message"},
    {"at": "2026-03-02T10:02:00+01:00", "type": "agent_reply"},
    {"at": "2026-03-02T10:02:00+01:00", "type": "status", "status": "pending"},
    {"at": "2026-03-02T16:40:00+01:00", "type": "customer_message"},
    {"at": "2026-03-02T16:40:00+01:00", "type": "status", "status": "open"},
    {"at": "2026-03-03T09:45:00+01:00", "type": "agent_reply"},
    {"at": "2026-03-03T09:46:00+01:00", "type": "status", "status": "pending"},
    {"at": "2026-03-04T11:10:00+01:00", "type": "customer_message"},
    {"at": "2026-03-04T11:10:00+01:00", "type": "status", "status": "open"},
    {"at": "2026-03-04T12:30:00+01:00", "type": "agent_reply"},
    {"at": "2026-03-04T17:50:00+01:00", "type": "customer_message"},
    {"at": "2026-03-05T10:05:00+01:00", "type": "agent_reply"},
    {"at": "2026-03-05T10:06:00+01:00", "type": "status", "status": "pending"},
    {"at": "2026-03-06T09:30:00+01:00", "type": "customer_message"},
    {"at": "2026-03-06T09:30:00+01:00", "type": "status", "status": "open"},
    {"at": "2026-03-06T11:15:00+01:00", "type": "agent_reply"},
    {"at": "2026-03-06T11:16:00+01:00", "type": "status", "status": "solved"},
    {"at": "2026-03-09T09:40:00+01:00", "type": "reopened"},
    {"at": "2026-03-09T09:40:00+01:00", "type": "customer_message"},
    {"at": "2026-03-10T15:00:00+01:00", "type": "customer_message"}
  ]
}"#;

/// Business-minute targets for first response, next response and resolution.
const TARGETS: [(Metric, i64); 3] = [
    (Metric::FirstResponse, 60),
    (Metric::NextResponse, 240),
    (Metric::Resolution, 2400),
];

fn ts(text: &str) -> Timestamp {
    text.parse().expect("a valid RFC 3339 timestamp")
}

fn madrid() -> Calendar {
    Calendar::from_toml("madrid.toml", MADRID).expect("the Madrid calendar loads")
}

fn load_calendar(c: &mut Criterion) {
    c.bench_function("load_calendar", |b| {
        b.iter(|| Calendar::from_toml(black_box("madrid.toml"), black_box(MADRID)))
    });
}

fn due_30_business_days(c: &mut Criterion) {
    let cal = madrid();
    // a Wednesday; the span crosses the spring-forward Sunday, Easter (2 and 3 April)
    // and 1 May
    let start = ts("2026-03-25T10:30:00+01:00");
    let due = cal
        .add_business_minutes(start, THIRTY_DAYS_MINUTES)
        .expect("a due date");
    assert_eq!(cal.format(due), "2026-05-12T12:30:00+02:00");
    c.bench_function("due_30_business_days", |b| {
        b.iter(|| cal.add_business_minutes(black_box(start), black_box(THIRTY_DAYS_MINUTES)))
    });
}

fn due_24x7_7_days(c: &mut Criterion) {
    let cal = Calendar::from_toml("24x7.toml", ALWAYS).expect("the 24x7 calendar loads");
    let start = ts("2026-03-25T10:30:00Z");
    let minutes = 7 * 24 * 60;
    let due = cal
        .add_business_minutes(start, minutes)
        .expect("a due date");
    assert_eq!(due, ts("2026-04-01T10:30:00Z"));
    c.bench_function("due_24x7_7_days", |b| {
        b.iter(|| cal.add_business_minutes(black_box(start), black_box(minutes)))
    });
}

fn elapsed_one_year(c: &mut Criterion) {
    let cal = madrid();
    let (start, end) = (
        ts("2026-01-01T00:00:00+01:00"),
        ts("2027-01-01T00:00:00+01:00"),
    );
    let none = Pauses::none();
    let secs = cal
        .business_seconds_between(start, end, &none)
        .expect("elapsed time");
    assert!(secs > 1_500 * 3600 && secs < 2_000 * 3600, "{secs} s");
    c.bench_function("elapsed_one_year", |b| {
        b.iter(|| cal.business_seconds_between(black_box(start), black_box(end), &none))
    });
}

fn measure(cal: &Calendar, case: &Case, now: Timestamp, metric: Metric, target: i64) -> Clock {
    let timeline = Timeline::derive(case, now);
    Clock::measure(metric, cal, target, case, &timeline, now).expect("a clock")
}

fn clock_20_events(c: &mut Criterion) {
    let cal = madrid();
    let case = Case::from_json(CASE_20_EVENTS).expect("the case parses");
    assert_eq!(case.events.len(), 20);
    let now = ts("2026-03-11T12:00:00+01:00");
    let statuses: Vec<ClockStatus> = TARGETS
        .iter()
        .map(|&(m, t)| measure(&cal, &case, now, m, t).status)
        .collect();
    // first response met, next response overdue, resolution running
    assert_eq!(
        statuses,
        [
            ClockStatus::Met,
            ClockStatus::Breached,
            ClockStatus::Pending
        ]
    );

    let mut group = c.benchmark_group("clock_20_events");
    group.bench_function("derive_and_all_three", |b| {
        b.iter(|| {
            let (case, now) = (black_box(&case), black_box(now));
            let timeline = Timeline::derive(case, now);
            TARGETS.map(|(metric, target)| {
                Clock::measure(metric, &cal, target, case, &timeline, now).expect("a clock")
            })
        })
    });
    group.bench_function("derive_and_resolution", |b| {
        b.iter(|| {
            let (case, now) = (black_box(&case), black_box(now));
            let timeline = Timeline::derive(case, now);
            Clock::measure(Metric::Resolution, &cal, 2400, case, &timeline, now)
        })
    });
    group.bench_function("derive_only", |b| {
        b.iter(|| Timeline::derive(black_box(&case), black_box(now)))
    });
    group.finish();
}

/// The benchmark group, kept in a private module so that the `pub fn` that
/// `criterion_group!` generates is not public API (and needs no doc comment).
mod group {
    use super::*;

    fn config() -> Criterion {
        Criterion::default()
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
    }

    criterion_group! {
        name = time_core;
        config = config();
        targets = due_30_business_days, elapsed_one_year, clock_20_events, due_24x7_7_days,
            load_calendar
    }
}

criterion_main!(group::time_core);
