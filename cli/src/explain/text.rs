//! `pacto explain --format text`: an account per clock, then the escalation, the
//! compensation and the notes, with their reasons.

use std::fmt::Write;

use jiff::tz::TimeZone;
use pacto::ClockStatus;
use pacto::trace::{ClockTrace, HostCall, PauseReason};

use super::{
    Explained, business, business_minutes, day_time, duration, granted, metric_label, span,
};

/// Counted intervals listed in full up to this many; longer lists show their ends.
const LIST_IN_FULL: usize = 12;
const LIST_ENDS: usize = 5;

pub fn render(e: &Explained<'_>) -> String {
    let mut out = String::new();
    let (case, d, zone) = (e.case, e.decision, e.zone());
    let _ = writeln!(
        out,
        "Case {} ({}, {}, {}) for customer {} ({}), as of {} ({})",
        case.id,
        case.kind.as_str(),
        case.priority.as_str(),
        case.channel.as_str(),
        case.customer.id,
        case.customer.tier,
        day_time(&zone, e.now()),
        e.zone_name(),
    );
    let _ = writeln!(
        out,
        "Decided by {} {} ({})",
        d.policy.name, d.policy.version, d.policy.digest
    );
    if e.trace.clocks.is_empty() {
        let _ = writeln!(out, "\nNo deadlines.");
    }
    for (clock, deadline) in e.trace.clocks.iter().zip(&d.deadlines) {
        out.push('\n');
        clock_account(&mut out, clock, &e.zone_of(clock));
        if !clock.matches_decision {
            let due = deadline.due.map_or("none".into(), |t| t.to_string());
            let _ = writeln!(
                out,
                "  the policy set this deadline itself (due {due}, {}); the lines above are the host's clock",
                deadline.status.as_str()
            );
        }
    }
    out.push('\n');
    decision_account(&mut out, e);
    out
}

fn status_line(clock: &ClockTrace) -> String {
    let target = clock.target_seconds / 60;
    let consumed = clock.consumed_seconds / 60;
    match clock.status {
        ClockStatus::Inactive => "not started".into(),
        ClockStatus::Met => format!("met, {} to spare", business_minutes(target - consumed)),
        ClockStatus::Breached => format!(
            "breached by {}",
            business_minutes((clock.consumed_seconds - clock.target_seconds) / 60)
        ),
        ClockStatus::Pending => format!("pending, {} left", business_minutes(target - consumed)),
        ClockStatus::Paused => {
            let why = match clock.paused.last().map(|p| p.reason) {
                Some(PauseReason::OnHold) => "on hold with a third party",
                Some(PauseReason::Solved) => "solved",
                _ => "waiting on the customer",
            };
            format!(
                "paused ({why}), {} left; due projected as if it resumed now",
                business_minutes(target - consumed)
            )
        }
    }
}

fn clock_account(out: &mut String, clock: &ClockTrace, zone: &TimeZone) {
    let _ = writeln!(out, "{}: {}", metric_label(clock), status_line(clock));
    let _ = writeln!(
        out,
        "  target {} on `{}` ({})",
        business_minutes(clock.target_seconds / 60),
        clock.calendar,
        clock.timezone
    );
    let Some(started) = clock.started_at else {
        return;
    };
    let started = started.timestamp;
    match clock.stopped_at {
        Some(stop) => {
            let _ = writeln!(
                out,
                "  started {}, stopped {}",
                day_time(zone, started),
                day_time(zone, stop.timestamp)
            );
        }
        None => {
            let _ = writeln!(out, "  started {}, still running", day_time(zone, started));
        }
    }
    let mut counted: Vec<String> = clock
        .counted
        .iter()
        .map(|s| {
            format!(
                "{} ({})",
                span(zone, s.from.timestamp, s.to.timestamp),
                business(s.seconds)
            )
        })
        .collect();
    if let Some(o) = &clock.omitted {
        counted.insert(
            o.after,
            format!("… {} more intervals ({}) …", o.count, business(o.seconds)),
        );
    }
    if counted.len() > LIST_IN_FULL {
        let hidden = counted.len() - 2 * LIST_ENDS;
        let tail = counted.split_off(counted.len() - LIST_ENDS);
        counted.truncate(LIST_ENDS);
        counted.push(format!("… {hidden} more …"));
        counted.extend(tail);
    }
    if counted.is_empty() {
        let _ = writeln!(
            out,
            "  counted nothing yet (no business hours since it started)"
        );
    } else {
        let _ = writeln!(out, "  counted {}", counted.join(", "));
    }
    for p in &clock.paused {
        let reason = match p.reason {
            PauseReason::Pending => "pending on the customer",
            PauseReason::OnHold => "on hold with a third party",
            PauseReason::Solved => "solved until reopened",
        };
        let end = if p.open { " (still paused)" } else { "" };
        let _ = writeln!(
            out,
            "  paused {}{end}: {reason}; {} of business hours not counted",
            span(zone, p.from.timestamp, p.to.timestamp),
            business(p.business_seconds)
        );
    }
    if let Some(o) = &clock.paused_omitted {
        let _ = writeln!(
            out,
            "  … and {} more pauses ({} of business hours)",
            o.count,
            business(o.seconds)
        );
    }
    let _ = writeln!(
        out,
        "  consumed {} of {} business time",
        business(clock.consumed_seconds),
        business(clock.target_seconds)
    );
    if let Some(due) = clock.due {
        let marks: Vec<String> = clock
            .thresholds
            .iter()
            .map(|t| format!("{} % at {}", t.percent, day_time(zone, t.at.timestamp)))
            .collect();
        let _ = writeln!(
            out,
            "  {}, due {}",
            marks.join(", "),
            day_time(zone, due.timestamp)
        );
    }
    let running = clock.stopped_at.is_none();
    if let (Some(to), true) = (&clock.to_due, running) {
        if to.calendar_seconds >= 0 {
            let _ = writeln!(
                out,
                "  due in {} of calendar time, {} of business time",
                duration(to.calendar_seconds),
                business(to.business_seconds)
            );
        } else {
            let _ = writeln!(
                out,
                "  due {} ago in calendar time, {} of business time ago",
                duration(-to.calendar_seconds),
                business(-to.business_seconds)
            );
        }
    }
}

fn decision_account(out: &mut String, e: &Explained<'_>) {
    let d = e.decision;
    match &d.escalation {
        Some(x) => {
            let team = x
                .team
                .as_deref()
                .map(|t| format!(" to `{t}`"))
                .unwrap_or_default();
            let _ = writeln!(out, "Escalation: level {}{team}: {}", x.level, x.reason);
            if !x.notify.is_empty() {
                let _ = writeln!(out, "  notify {}", x.notify.join(", "));
            }
            if let Some(p) = x.raise_priority {
                let _ = writeln!(out, "  raise the priority to {}", p.as_str());
            }
        }
        None => {
            let _ = writeln!(out, "Escalation: none");
        }
    }
    if d.compensation.is_empty() {
        let _ = writeln!(out, "Compensation: none");
    } else {
        let _ = writeln!(out, "Compensation:");
        for c in &d.compensation {
            let _ = writeln!(out, "  {}: {}", granted(c), c.reason);
        }
    }
    if !d.notes.is_empty() {
        let _ = writeln!(out, "Notes:");
        for n in &d.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    if !e.trace.host_calls.is_empty() {
        let calls: Vec<String> = e.trace.host_calls.iter().map(call).collect();
        let more = match e.trace.host_calls_omitted {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let _ = writeln!(out, "Host calls: {}{more}", calls.join("; "));
    }
}

/// A host call as the policy wrote it.
fn call(c: &HostCall) -> String {
    match c {
        HostCall::Clock {
            metric,
            calendar,
            minutes,
            error,
        } => {
            let failed = error
                .as_ref()
                .map(|e| format!(" failed: {e}"))
                .unwrap_or_default();
            format!("clock({metric}, {calendar}, {minutes}){failed}")
        }
        HostCall::AddBusinessMinutes {
            calendar,
            start,
            minutes,
            ..
        } => format!(
            "add_business_minutes({calendar}, {}, {minutes})",
            shown(start)
        ),
        HostCall::BusinessMinutesBetween {
            calendar,
            start,
            end,
            ..
        } => format!(
            "business_minutes_between({calendar}, {}, {})",
            shown(start),
            shown(end)
        ),
        HostCall::IsBusinessTime { calendar, at, .. } => {
            format!("is_business_time({calendar}, {})", shown(at))
        }
    }
}

/// An instant argument as the trace shows it (RFC 3339), or `?` for none.
fn shown(at: &Option<pacto::LocalInstant>) -> String {
    at.map_or_else(|| "?".to_owned(), |t| t.to_string())
}
