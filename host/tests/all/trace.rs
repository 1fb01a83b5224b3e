//! Traces (`Policy::decide_traced`, `ClockTrace::measure`): the intervals a trace says a
//! clock counted add up to what the clock consumed, in every clock scenario and every
//! fixture of the policy library; they lie in business hours and outside pauses; the
//! decision beside the trace is the untraced one; long lists keep their ends.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use pacto::fixture::Fixture;
use pacto::trace::{ClockTrace, HostCall, KEEP_AT_EACH_END, Trace};
use pacto::{Calendar, Case, Clock, ClockStatus, Engine, Metric, Pauses, Policy, Timeline};
use serde_json::json;

/// Checks one clock trace against the clock the host measures and against the
/// calendar; returns what is wrong, one line each.
fn check(
    what: &str,
    trace: &ClockTrace,
    clock: &Clock,
    cal: &Calendar,
    timeline: &Timeline,
    now: Timestamp,
) -> Vec<String> {
    let mut bad = Vec::new();
    let mut fail = |m: String| bad.push(format!("{what}: {m}"));
    let omitted = trace.omitted.as_ref().map_or(0, |o| o.seconds);
    let counted: i64 = trace.counted.iter().map(|s| s.seconds).sum::<i64>() + omitted;
    if counted != trace.consumed_seconds || counted != clock.consumed_seconds {
        fail(format!(
            "counted {counted} s, trace consumed {} s, clock consumed {} s",
            trace.consumed_seconds, clock.consumed_seconds
        ));
    }
    if trace.status != clock.status || trace.due.map(|d| d.timestamp) != clock.due {
        fail(format!(
            "trace {:?} due {:?}, clock {:?} due {:?}",
            trace.status, trace.due, clock.status, clock.due
        ));
    }
    let pauses: Vec<(Timestamp, Timestamp)> = trace
        .paused
        .iter()
        .map(|p| (p.from.timestamp, p.to.timestamp))
        .collect();
    let mut previous_end = None;
    for s in &trace.counted {
        let (a, b) = (s.from.timestamp, s.to.timestamp);
        if b.as_second() - a.as_second() != s.seconds || b <= a {
            fail(format!("span {a}–{b} says {} s", s.seconds));
        }
        if previous_end.is_some_and(|end| a <= end) {
            fail(format!("span {a}–{b} overlaps or touches the one before"));
        }
        previous_end = Some(b);
        if clock.started_at.is_some_and(|start| a < start)
            || trace.counted_until.is_some_and(|u| b > u.timestamp)
        {
            fail(format!("span {a}–{b} outside the clock's start and stop"));
        }
        // open at its start, and every second of it counted on the calendar
        let open = cal.business_seconds_between(a, b, &Pauses::none()).unwrap();
        if open != s.seconds || !cal.is_business_time(a).unwrap() {
            fail(format!(
                "span {a}–{b} is not all business time ({open} s open)"
            ));
        }
        if pauses.iter().any(|&(pa, pb)| pa < b && a < pb) {
            fail(format!("span {a}–{b} overlaps a pause"));
        }
    }
    if let (Some(start), Some(due)) = (clock.started_at, clock.due) {
        let all = pacto::Pauses::new(
            timeline
                .paused
                .iter()
                .map(|p| p.interval)
                .chain(timeline.solved_gaps.iter().copied())
                .map(|i| (i.start, Some(i.end.unwrap_or(now)))),
        )
        .unwrap();
        let pauses = if trace.metric == Metric::Resolution {
            all
        } else {
            Pauses::none()
        };
        let mut last = start;
        for t in &trace.thresholds {
            let at = t.at.timestamp;
            let reached = cal.business_seconds_between(start, at, &pauses).unwrap();
            let share = trace.target_seconds * i64::from(t.percent) / 100;
            if reached != share || at < last || at > due {
                fail(format!("{} % at {at}: {reached} s of {share} s", t.percent));
            }
            last = at;
        }
    }
    bad
}

#[test]
fn counted_intervals_add_up_in_every_clock_scenario() {
    let (cal, scenarios) = crate::clocks::scenarios();
    let mut failures = Vec::new();
    let mut checked = 0;
    for sc in &scenarios {
        let (name, case, now) = crate::clocks::scenario(sc);
        let timeline = Timeline::derive(&case, now);
        for metric in Metric::ALL {
            for target in [0, 1, 30, 240, 960, 10_000] {
                let clock = Clock::measure(metric, &cal, target, &case, &timeline, now).unwrap();
                let trace = ClockTrace::measure(
                    metric,
                    "office",
                    &cal,
                    target,
                    case.opened_at,
                    &timeline,
                    now,
                )
                .unwrap();
                let what = format!("{name} / {metric} / {target} min");
                failures.extend(check(&what, &trace, &clock, &cal, &timeline, now));
                checked += 1;
            }
        }
    }
    assert!(checked >= 100, "only {checked} clocks checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn rules(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rules")
        .join(name)
}

/// Every fixture of `policy`'s bundle `dir`, traced: the trace adds up, matches the
/// deadlines, and the rest of the decision is what `decide` gives. Returns the count.
fn trace_fixtures(dir: &Path, policy: &Policy, failures: &mut Vec<String>) -> usize {
    let fixtures = Fixture::load_dir(dir).unwrap_or_else(|e| panic!("{e}"));
    for f in &fixtures {
        let what = format!("{}/{}", dir.display(), f.name);
        let (Ok(plain), Ok(traced)) = (
            policy.decide(&f.case, f.now),
            policy.decide_traced(&f.case, f.now),
        ) else {
            // fixtures that expect an error: nothing to trace
            continue;
        };
        let mut without = traced.clone();
        let trace: Trace = *without.trace.take().expect("a traced decision has a trace");
        if without != plain {
            failures.push(format!(
                "{what}: the traced decision differs beyond its trace"
            ));
        }
        if trace.clocks.len() != plain.deadlines.len() {
            failures.push(format!(
                "{what}: {} clocks for {} deadlines",
                trace.clocks.len(),
                plain.deadlines.len()
            ));
        }
        let clock_calls = trace
            .host_calls
            .iter()
            .filter(|c| matches!(c, HostCall::Clock { .. }))
            .count();
        if clock_calls < plain.deadlines.len() {
            failures.push(format!(
                "{what}: {clock_calls} clock calls recorded for {} deadlines",
                plain.deadlines.len()
            ));
        }
        let timeline = Timeline::derive(&f.case, f.now);
        for (t, d) in trace.clocks.iter().zip(&plain.deadlines) {
            let cal = &policy.calendars()[&d.calendar];
            let clock = Clock::measure(d.metric, cal, d.target, &f.case, &timeline, f.now).unwrap();
            failures.extend(check(
                &format!("{what}/{}", d.metric),
                t,
                &clock,
                cal,
                &timeline,
                f.now,
            ));
            if !t.matches_decision {
                failures.push(format!(
                    "{what}/{}: the library's policies use the host's clocks",
                    d.metric
                ));
            }
        }
        if trace.notes != plain.notes {
            failures.push(format!("{what}: the trace's notes are not the decision's"));
        }
    }
    fixtures.len()
}

#[test]
fn counted_intervals_add_up_in_every_fixture_of_the_library() {
    let mut failures = Vec::new();
    let mut fixtures = 0;
    for name in [
        "standard-rhai",
        "complaints-retention",
        "fallback",
        "internal-ola",
    ] {
        let policy = Engine::new()
            .load(rules(name))
            .unwrap_or_else(|e| panic!("{e}"));
        fixtures += trace_fixtures(&rules(name), &policy, &mut failures);
    }
    let dir = crate::wasm::wasm_bundle("standard-wasm", test_programs::STANDARD_WASM);
    let mut bundle = pacto::Bundle::load(dir.path()).unwrap();
    bundle.limits.timeout_ms = 60_000;
    let wasm = Engine::new()
        .from_bundle(bundle)
        .unwrap_or_else(|e| panic!("{e}"));
    fixtures += trace_fixtures(dir.path(), &wasm, &mut failures);
    assert!(fixtures >= 180, "only {fixtures} fixtures traced");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_year_long_clock_keeps_the_ends_of_its_intervals_and_sums_the_middle() {
    let cal = Calendar::from_toml(
        "office.toml",
        "timezone = \"Europe/Madrid\"\nmon = [\"09:00-13:00\", \"14:00-18:00\"]\nwed = [\"09:00-17:00\"]\n",
    )
    .unwrap();
    let case = Case::from_value(
        json!({"id": "long", "opened_at": "2026-01-05T09:00:00+01:00",
        "priority": "low", "channel": "email", "kind": "request",
        "customer": {"id": "K", "tier": "standard"}}),
    )
    .unwrap();
    let now: Timestamp = "2027-01-04T12:00:00+01:00".parse().unwrap();
    let timeline = Timeline::derive(&case, now);
    let trace = ClockTrace::measure(
        Metric::Resolution,
        "office",
        &cal,
        100_000,
        case.opened_at,
        &timeline,
        now,
    )
    .unwrap();
    let clock = Clock::measure(Metric::Resolution, &cal, 100_000, &case, &timeline, now).unwrap();
    assert_eq!(trace.counted.len(), 2 * KEEP_AT_EACH_END);
    let omitted = trace.omitted.as_ref().expect("a year of intervals is cut");
    assert_eq!(omitted.after, KEEP_AT_EACH_END);
    // three intervals a week for a year: 52 weeks of Mondays (2) and Wednesdays (1)
    assert!(omitted.count > 50, "{omitted:?}");
    assert_eq!(
        trace.counted.iter().map(|s| s.seconds).sum::<i64>() + omitted.seconds,
        clock.consumed_seconds
    );
    assert_eq!(
        trace.counted[0].from.to_string(),
        "2026-01-05T09:00:00+01:00"
    );
    assert_eq!(
        trace.counted.last().unwrap().to.to_string(),
        "2027-01-04T12:00:00+01:00"
    );
    assert_eq!(clock.status, ClockStatus::Pending);
}

#[test]
fn host_calls_are_recorded_in_order_with_their_answers_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    crate::harness::write_bundle(dir.path(), "calls", "rhai", "calls.rhai", "");
    std::fs::write(
        dir.path().join("calls.rhai"),
        r#"
fn decide(ticket, now) {
    let fr = ticket.clock("first_response", "office", 60);
    let warn = add_business_minutes("office", fr.due, -15);
    let open = is_business_time("office", now);
    let used = business_minutes_between("office", ticket.opened_at, now);
    try { ticket.clock("first_response", "night", 60); } catch (e) {}
    #{ deadlines: [fr], escalation: (), compensation: [], notes: [`warn ${warn}`] }
}
"#,
    )
    .unwrap();
    let policy = Engine::new()
        .load(dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    let case = crate::harness::case("C-1");
    let now: Timestamp = "2026-03-02T10:30:00Z".parse().unwrap();
    let plain = policy.decide(&case, now).unwrap();
    assert!(plain.trace.is_none(), "decide builds no trace");
    let traced = policy.decide_traced(&case, now).unwrap();
    let trace = traced.trace.as_deref().unwrap();
    let calls = serde_json::to_value(&trace.host_calls).unwrap();
    assert_eq!(
        calls,
        json!([
            {"function": "clock", "metric": "first_response", "calendar": "office", "minutes": 60},
            {"function": "add_business_minutes", "calendar": "office", "start": "2026-03-02T11:00:00+00:00", "minutes": -15, "value": "2026-03-02T10:45:00+00:00"},
            {"function": "is_business_time", "calendar": "office", "at": "2026-03-02T10:30:00+00:00", "value": true},
            {"function": "business_minutes_between", "calendar": "office", "start": "2026-03-02T10:00:00+00:00", "end": "2026-03-02T10:30:00+00:00", "value": 30},
            {"function": "clock", "metric": "first_response", "calendar": "night", "minutes": 60,
             "error": "unknown calendar `night`; the bundle has `office`"},
        ])
    );
    let json = serde_json::to_value(&traced).unwrap();
    assert_eq!(json["trace"]["clocks"][0]["consumed_seconds"], 1800);
    assert_eq!(json["trace"]["now"], "2026-03-02T10:30:00+00:00");
}
