//! `pacto explain --format svg`: the case on a time axis, in the zone of its first
//! deadline's calendar.
//!
//! From the top: each calendar's open hours shaded (holidays hatched), the case's events
//! as markers, the time it waited on someone or stood solved (grey), and a bar per clock from its start
//! to its stop (or `now`), coloured where it reached 50, 75 and 100 % of its target,
//! greyed where paused, with the business intervals it counted as a strip beneath it;
//! then the due instant (a dashed projection while running) and any breach. The
//! decision is written below the picture.
//!
//! The picture carries its scale and data, so that a test (or a script) reads it back:
//! the root `<svg>` has `data-t0`/`data-t1` (Unix seconds) at `data-x0`/`data-x1`
//! (user units), and every mark has `data-from`/`data-to` or `data-at` (RFC 3339) and
//! `data-metric` where it belongs to a clock.

use std::collections::BTreeSet;
use std::fmt::Write;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use pacto::case::{Event, Status};
use pacto::trace::{ClockTrace, HostCall, PauseReason};
use pacto::{Calendar, ClockStatus, Pauses};

use super::{Explained, business, day_time, granted, metric_label};
use crate::diff::esc;

const WIDTH: f64 = 1100.0;
const LEFT: f64 = 180.0;
const RIGHT: f64 = 40.0;
const ROW: f64 = 34.0;
/// Open spans drawn per calendar at most (a long case is drawn without them).
const MAX_OPEN_SPANS: usize = 2_000;
/// Days a holiday search looks at at most.
const MAX_DAYS: i64 = 800;

const STYLE: &str = "
text { font: 12px system-ui, sans-serif; fill: #222; }
.small { font-size: 10px; fill: #555; }
.title { font-size: 15px; font-weight: 600; }
.label { font-size: 12px; font-weight: 600; }
.open { fill: #d8f0df; } .closed { fill: #f2f2f2; }
.holiday { fill: url(#hatch); }
.grid { stroke: #ccc; stroke-width: 1; }
.wait { fill: #b8b8b8; } .wait-on_hold { fill: #9c9c9c; } .wait-solved { fill: #d6d6d6; }
.seg-0 { fill: #38a169; } .seg-50 { fill: #ecc94b; } .seg-75 { fill: #dd6b20; } .seg-100 { fill: #c53030; }
.paused { fill: #a0a0a0; }
.counted { fill: #2c5282; }
.projection { fill: none; stroke: #555; stroke-dasharray: 4 3; }
.due { stroke: #222; stroke-width: 2; } .breach { fill: #c53030; font-weight: 600; }
.now { stroke: #6b46c1; stroke-width: 1.5; stroke-dasharray: 6 3; } .now-label { fill: #6b46c1; }
.ev-customer_message { fill: #2b6cb0; } .ev-agent_reply { fill: #2f855a; }
.ev-status { fill: #718096; } .ev-reopened { fill: #dd6b20; } .ev-satisfaction { fill: #d69e2e; }
.ev-internal_note { fill: #a0aec0; } .later { opacity: .35; }
.point { stroke: #805ad5; stroke-width: 1.5; }
";

/// Where instants fall on the page.
struct Axis {
    t0: i64,
    t1: i64,
    x0: f64,
    x1: f64,
}

impl Axis {
    fn x(&self, t: Timestamp) -> f64 {
        let s = t.as_second().clamp(self.t0, self.t1);
        self.x0 + (s - self.t0) as f64 / (self.t1 - self.t0) as f64 * (self.x1 - self.x0)
    }

    fn contains(&self, t: Timestamp) -> bool {
        (self.t0..=self.t1).contains(&t.as_second())
    }
}

/// The instants the picture must show: the case's life up to `now` and each clock's
/// due and thresholds.
fn axis(e: &Explained<'_>) -> Axis {
    let mut times = vec![e.case.opened_at, e.now()];
    times.extend(
        e.case
            .events
            .iter()
            .map(Event::at)
            .filter(|t| *t <= e.now()),
    );
    for c in &e.trace.clocks {
        times.extend(c.due.map(|d| d.timestamp));
        times.extend(c.started_at.map(|d| d.timestamp));
    }
    let lo = times.iter().min().map_or(0, |t| t.as_second());
    let hi = times.iter().max().map_or(0, |t| t.as_second());
    let pad = ((hi - lo) / 30).max(900);
    Axis {
        t0: lo - pad,
        t1: hi + pad,
        x0: LEFT,
        x1: WIDTH - RIGHT,
    }
}

fn ts(s: i64) -> Timestamp {
    Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn rfc(zone: &TimeZone, t: Timestamp) -> String {
    t.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// A rectangle from `a` to `b` on the axis, in row `y`; nothing when it has no width.
#[allow(clippy::too_many_arguments)]
fn rect(
    out: &mut String,
    axis: &Axis,
    zone: &TimeZone,
    (a, b): (Timestamp, Timestamp),
    y: f64,
    h: f64,
    class: &str,
    extra: &str,
    title: &str,
) {
    let (xa, xb) = (axis.x(a), axis.x(b));
    if xb <= xa {
        return;
    }
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{xa:.2}" y="{y:.1}" width="{:.2}" height="{h:.1}" data-from="{}" data-to="{}"{extra}>"#,
        xb - xa,
        rfc(zone, a),
        rfc(zone, b),
    );
    if title.is_empty() {
        out.push_str("</rect>");
    } else {
        let _ = write!(out, "<title>{}</title></rect>", esc(title));
    }
}

pub fn render(e: &Explained<'_>) -> String {
    let zone = e.zone();
    let axis = axis(e);
    let calendars: BTreeSet<&str> = e.trace.clocks.iter().map(|c| c.calendar.as_str()).collect();
    let mut body = String::new();
    let mut y = 58.0;

    let _ = write!(
        body,
        r#"<text class="title" x="12" y="24">Case {} · {} · {} · {} · {} customer — as of {} ({})</text>"#,
        esc(&e.case.id),
        e.case.kind.as_str(),
        e.case.priority.as_str(),
        e.case.channel.as_str(),
        esc(&e.case.customer.tier),
        esc(&day_time(&zone, e.now())),
        esc(&e.zone_name()),
    );
    let _ = write!(
        body,
        r#"<text class="small" x="12" y="42">{} {} · bars turn yellow at 50 %, orange at 75 %, red past 100 % of the target · grey: paused · dark strip: business time counted · events: C customer, A agent, n note, R reopened, ★ rating</text>"#,
        esc(&e.decision.policy.name),
        esc(&e.decision.policy.version),
    );
    let top = y;

    for name in &calendars {
        if let Some(cal) = e.policy.calendars().get(*name) {
            hours_row(&mut body, &axis, &zone, name, cal, y);
            y += ROW * 0.8;
        }
    }
    events_row(&mut body, &axis, &zone, e, y);
    y += ROW * 1.4;
    if let Some(res) = e.trace.clocks.iter().find(|c| !c.paused.is_empty()) {
        waits_row(&mut body, &axis, &zone, res, y);
        y += ROW * 1.1;
    }
    for clock in &e.trace.clocks {
        clock_row(&mut body, &axis, &zone, clock, e.now(), y);
        y += ROW * 1.6;
    }
    points(&mut body, &axis, &zone, e, top, y);
    let bottom = y;
    day_grid(&mut body, &axis, &zone, top, bottom);
    let now_x = axis.x(e.now());
    let _ = write!(
        body,
        r#"<line class="now" x1="{now_x:.2}" y1="{:.1}" x2="{now_x:.2}" y2="{bottom:.1}" data-at="{}"></line><text class="small now-label" x="{:.2}" y="{:.1}">now</text>"#,
        top - 6.0,
        rfc(&zone, e.now()),
        now_x + 3.0,
        top - 2.0
    );
    y = bottom + 48.0;
    y = decision_lines(&mut body, e, y);

    let height = y + 10.0;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" role="img" data-t0="{}" data-t1="{}" data-x0="{}" data-x1="{}" data-zone="{}"><title>SLA timeline of case {}</title><style>{STYLE}</style><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde8e8"></rect><line x1="0" y1="0" x2="0" y2="6" stroke="#e9a3a3" stroke-width="2"></line></pattern></defs><rect x="0" y="0" width="{WIDTH}" height="{height:.0}" fill="#fff"></rect>{body}</svg>
"##,
        axis.t0,
        axis.t1,
        axis.x0,
        axis.x1,
        esc(&e.zone_name()),
        esc(&e.case.id),
    )
}

fn row_label(out: &mut String, y: f64, label: &str, sub: &str) {
    let _ = write!(
        out,
        r#"<text class="label" x="12" y="{:.1}">{}</text>"#,
        y + 13.0,
        esc(label)
    );
    if !sub.is_empty() {
        let _ = write!(
            out,
            r#"<text class="small" x="12" y="{:.1}">{}</text>"#,
            y + 25.0,
            esc(sub)
        );
    }
}

/// A calendar's open hours across the axis, and its holidays.
fn hours_row(out: &mut String, axis: &Axis, zone: &TimeZone, name: &str, cal: &Calendar, y: f64) {
    row_label(out, y, &format!("hours: {name}"), "");
    let h = 18.0;
    rect(
        out,
        axis,
        zone,
        (ts(axis.t0), ts(axis.t1)),
        y,
        h,
        "closed",
        "",
        "closed",
    );
    // a long case's hours would be a blur: drawn only while there are few enough
    if let Ok((spans, 0)) =
        cal.open_spans(ts(axis.t0), ts(axis.t1), &Pauses::none(), MAX_OPEN_SPANS)
    {
        for (a, b) in spans {
            let title = format!("open {}", super::span(zone, a, b));
            rect(
                out,
                axis,
                zone,
                (a, b),
                y,
                h,
                "open",
                r#" data-calendar="open""#,
                &title,
            );
        }
    }
    let cal_zone = cal.zone().clone();
    let first = ts(axis.t0).to_zoned(cal_zone.clone()).date();
    let mut day = first;
    for _ in 0..MAX_DAYS {
        let Ok(start) = day.to_zoned(cal_zone.clone()) else {
            break;
        };
        if start.timestamp().as_second() > axis.t1 {
            break;
        }
        let Ok(next) = day.checked_add(1.day()) else {
            break;
        };
        if cal.is_holiday(day)
            && let Ok(end) = next.to_zoned(cal_zone.clone())
        {
            let title = format!("holiday {}", day.strftime("%a %-d %b %Y"));
            rect(
                out,
                axis,
                zone,
                (
                    start.timestamp().max(ts(axis.t0)),
                    end.timestamp().min(ts(axis.t1)),
                ),
                y,
                h,
                "holiday",
                r#" data-calendar="holiday""#,
                &title,
            );
        }
        day = next;
    }
}

/// The case's events as markers; those after `now` (which the decision ignores) faded.
fn events_row(out: &mut String, axis: &Axis, zone: &TimeZone, e: &Explained<'_>, y: f64) {
    row_label(out, y, "events", "");
    let cy = y + 10.0;
    let _ = write!(
        out,
        r#"<line class="grid" x1="{:.1}" y1="{cy:.1}" x2="{:.1}" y2="{cy:.1}"></line>"#,
        axis.x0, axis.x1
    );
    // labels of events close together go on lower lines, so none covers another
    let mut line_ends = [f64::MIN; 3];
    let mut events: Vec<&Event> = e.case.events.iter().collect();
    events.sort_by_key(|ev| ev.at());
    for ev in events {
        let at = ev.at();
        if !axis.contains(at) {
            continue;
        }
        let x = axis.x(at);
        let line = line_ends
            .iter()
            .position(|&end| x - end > 34.0)
            .unwrap_or(0);
        line_ends[line] = x;
        let kind = ev.type_name();
        let later = if at > e.now() { " later" } else { "" };
        let (what, tag) = match ev {
            Event::CustomerMessage { .. } => ("customer message".to_owned(), "C"),
            Event::AgentReply { .. } => ("agent reply".to_owned(), "A"),
            Event::InternalNote { .. } => ("internal note".to_owned(), "n"),
            Event::Status { status, .. } => {
                (format!("status: {}", status.as_str()), status_tag(*status))
            }
            Event::Reopened { .. } => ("reopened".to_owned(), "R"),
            Event::Satisfaction { score, scale, .. } => (format!("rated {score}/{scale}"), "★"),
        };
        let title = format!("{} — {what}", day_time(zone, at));
        let _ = write!(
            out,
            r#"<g class="event{later}" data-at="{}" data-type="{kind}"><circle class="ev-{kind}" cx="{x:.2}" cy="{cy:.1}" r="6"></circle><text class="small" x="{x:.2}" y="{:.1}" text-anchor="middle">{}</text><title>{}</title></g>"#,
            rfc(zone, at),
            cy + 18.0 + 10.0 * line as f64,
            esc(tag),
            esc(&title)
        );
    }
}

fn status_tag(s: Status) -> &'static str {
    match s {
        Status::Open => "open",
        Status::Pending => "pend",
        Status::OnHold => "hold",
        Status::Solved => "solved",
        Status::Closed => "closed",
    }
}

/// The time the case waited on the customer or a third party, or stood solved.
fn waits_row(out: &mut String, axis: &Axis, zone: &TimeZone, clock: &ClockTrace, y: f64) {
    row_label(out, y, "paused", "not counted by resolution");
    for p in &clock.paused {
        let title = format!(
            "{} {}: {} of business hours not counted",
            reason_text(p.reason),
            super::span(zone, p.from.timestamp, p.to.timestamp),
            business(p.business_seconds)
        );
        let extra = format!(r#" data-reason="{}""#, p.reason.as_str());
        rect(
            out,
            axis,
            zone,
            (p.from.timestamp, p.to.timestamp),
            y,
            16.0,
            &format!("wait wait-{}", p.reason.as_str()),
            &extra,
            &title,
        );
    }
}

fn reason_text(r: PauseReason) -> &'static str {
    match r {
        PauseReason::Pending => "pending on the customer",
        PauseReason::OnHold => "on hold with a third party",
        PauseReason::Solved => "solved until reopened",
    }
}

/// One clock: its bar in the colour of its share of the target, pauses greyed, counted
/// time beneath, due and breach marked.
fn clock_row(
    out: &mut String,
    axis: &Axis,
    zone: &TimeZone,
    c: &ClockTrace,
    now: Timestamp,
    y: f64,
) {
    let metric = c.metric.as_str();
    let status = match c.status {
        ClockStatus::Breached => format!(
            "breached by {} min",
            (c.consumed_seconds - c.target_seconds) / 60
        ),
        ClockStatus::Met => "met".to_owned(),
        ClockStatus::Pending => {
            format!("{} min left", (c.target_seconds - c.consumed_seconds) / 60)
        }
        ClockStatus::Paused => format!(
            "paused, {} min left",
            (c.target_seconds - c.consumed_seconds) / 60
        ),
        ClockStatus::Inactive => "not started".to_owned(),
    };
    row_label(
        out,
        y,
        &metric_label(c),
        &format!("{status} · target {}", business(c.target_seconds)),
    );
    let (Some(start), Some(until)) = (c.started_at, c.counted_until) else {
        return;
    };
    let (start, until) = (start.timestamp, until.timestamp);
    let h = 16.0;
    let data = format!(r#" data-metric="{metric}""#);
    // the bar, cut where it reached 50, 75 and 100 %
    let mut cuts = vec![(start, 0u8)];
    cuts.extend(c.thresholds.iter().map(|t| (t.at.timestamp, t.percent)));
    cuts.extend(c.due.map(|d| (d.timestamp, 100)));
    for (i, &(from, pct)) in cuts.iter().enumerate() {
        let to = cuts.get(i + 1).map_or(until, |&(t, _)| t.min(until));
        if from >= until || to <= from {
            continue;
        }
        let title = format!(
            "{}: {}",
            metric_label(c),
            match pct {
                0 => "under 50 % of the target".to_owned(),
                100 => "past the target".to_owned(),
                p => format!("past {p} % of the target"),
            }
        );
        let extra = format!(r#"{data} data-share="{pct}""#);
        rect(
            out,
            axis,
            zone,
            (from, to),
            y,
            h,
            &format!("bar seg-{pct}"),
            &extra,
            &title,
        );
    }
    for p in &c.paused {
        let title = format!("paused: {}", reason_text(p.reason));
        rect(
            out,
            axis,
            zone,
            (p.from.timestamp, p.to.timestamp),
            y,
            h,
            "paused",
            &data,
            &title,
        );
    }
    for s in &c.counted {
        let title = format!(
            "counted {} ({})",
            super::span(zone, s.from.timestamp, s.to.timestamp),
            business(s.seconds)
        );
        let extra = format!(r#"{data} data-seconds="{}""#, s.seconds);
        rect(
            out,
            axis,
            zone,
            (s.from.timestamp, s.to.timestamp),
            y + h + 2.0,
            5.0,
            "counted",
            &extra,
            &title,
        );
    }
    let Some(due) = c.due.map(|d| d.timestamp) else {
        return;
    };
    if c.stopped_at.is_none() && due > now {
        let (xa, xb) = (axis.x(now), axis.x(due));
        let _ = write!(
            out,
            r#"<rect class="projection" x="{xa:.2}" y="{y:.1}" width="{:.2}" height="{h:.1}"{data} data-from="{}" data-to="{}"><title>projected to due, {} of business time left</title></rect>"#,
            (xb - xa).max(0.0),
            rfc(zone, now),
            rfc(zone, due),
            business(c.target_seconds - c.consumed_seconds)
        );
    }
    let x = axis.x(due);
    let _ = write!(
        out,
        r#"<line class="due" x1="{x:.2}" y1="{:.1}" x2="{x:.2}" y2="{:.1}"{data} data-at="{}"><title>due {}</title></line>"#,
        y - 3.0,
        y + h + 3.0,
        rfc(zone, due),
        esc(&day_time(zone, due))
    );
    let label = match c.status {
        ClockStatus::Breached => format!("✕ due {}", day_time(zone, due)),
        _ => format!("due {}", day_time(zone, due)),
    };
    let class = if c.status == ClockStatus::Breached {
        "small breach"
    } else {
        "small"
    };
    let anchor = if x > WIDTH - 200.0 { "end" } else { "start" };
    let dx = if anchor == "end" { -4.0 } else { 4.0 };
    let _ = write!(
        out,
        r#"<text class="{class}" x="{:.2}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
        x + dx,
        y + h + 16.0,
        esc(&label)
    );
}

/// The instants the policy worked out with the calendar (a warning before a due, a
/// follow-up): a mark across the clocks, labelled.
fn points(
    out: &mut String,
    axis: &Axis,
    zone: &TimeZone,
    e: &Explained<'_>,
    top: f64,
    bottom: f64,
) {
    for call in &e.trace.host_calls {
        let HostCall::AddBusinessMinutes {
            calendar,
            minutes,
            result: pacto::trace::CallResult::Value(at),
            ..
        } = call
        else {
            continue;
        };
        let at = at.timestamp;
        if !axis.contains(at) {
            continue;
        }
        let x = axis.x(at);
        let what = if *minutes < 0 {
            format!("warning: {} business minutes before", -minutes)
        } else {
            format!("{minutes} business minutes after")
        };
        let _ = write!(
            out,
            r#"<line class="point" x1="{x:.2}" y1="{top:.1}" x2="{x:.2}" y2="{bottom:.1}" data-at="{}"><title>the policy's point on `{}`: {} ({})</title></line>"#,
            rfc(zone, at),
            esc(calendar),
            esc(&what),
            esc(&day_time(zone, at))
        );
    }
}

/// A line at each local midnight, labelled with the day (every few days on a long axis),
/// and on an axis of a few days the hours between.
fn day_grid(out: &mut String, axis: &Axis, zone: &TimeZone, top: f64, bottom: f64) {
    let days = (axis.t1 - axis.t0) / 86_400 + 1;
    let step = match axis.t1 - axis.t0 {
        0..=43_200 => Some(1),
        43_201..=172_800 => Some(3),
        172_801..=432_000 => Some(6),
        _ => None,
    };
    if let Some(step) = step {
        let first = ts(axis.t0).to_zoned(zone.clone()).date();
        for day in 0..=days + 1 {
            for hour in (step..24).step_by(step) {
                let Ok(date) = first.checked_add(day.days()) else {
                    continue;
                };
                let Ok(at) = date.at(hour as i8, 0, 0, 0).to_zoned(zone.clone()) else {
                    continue;
                };
                let t = at.timestamp();
                if !axis.contains(t) {
                    continue;
                }
                let x = axis.x(t);
                let _ = write!(
                    out,
                    r#"<line class="grid" x1="{x:.2}" y1="{:.1}" x2="{x:.2}" y2="{:.1}"></line><text class="small" x="{x:.2}" y="{:.1}" text-anchor="middle">{hour:02}:00</text>"#,
                    bottom - 4.0,
                    bottom + 2.0,
                    bottom + 26.0
                );
            }
        }
    }
    let every = (days / 14 + 1).max(1);
    let mut day = ts(axis.t0).to_zoned(zone.clone()).date();
    for i in 0..MAX_DAYS {
        let Ok(next) = day.checked_add(1.day()) else {
            break;
        };
        day = next;
        let Ok(midnight) = day.to_zoned(zone.clone()) else {
            continue;
        };
        let t = midnight.timestamp();
        if t.as_second() > axis.t1 {
            break;
        }
        let x = axis.x(t);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{x:.2}" y1="{top:.1}" x2="{x:.2}" y2="{bottom:.1}"></line>"#
        );
        if i % every == 0 {
            let _ = write!(
                out,
                r#"<text class="small" x="{:.2}" y="{:.1}">{}</text>"#,
                x + 3.0,
                bottom + 14.0,
                esc(&day.strftime("%a %-d %b").to_string())
            );
        }
    }
}

/// The decision in a few lines below the picture; returns the next free `y`.
fn decision_lines(out: &mut String, e: &Explained<'_>, mut y: f64) -> f64 {
    let d = e.decision;
    let mut lines = Vec::new();
    match &d.escalation {
        Some(x) => {
            let team = x
                .team
                .as_deref()
                .map(|t| format!(" to {t}"))
                .unwrap_or_default();
            lines.push(format!(
                "Escalation: level {}{team} — {}",
                x.level, x.reason
            ));
        }
        None => lines.push("Escalation: none".to_owned()),
    }
    if d.compensation.is_empty() {
        lines.push("Compensation: none".to_owned());
    }
    for c in &d.compensation {
        lines.push(format!("Compensation: {} — {}", granted(c), c.reason));
    }
    for line in lines {
        let _ = write!(out, r#"<text x="12" y="{y:.1}">{}</text>"#, esc(&line));
        y += 18.0;
    }
    y
}
