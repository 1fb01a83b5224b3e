//! Comparing one case's two answers and counting what changed into a [`Tally`].
//!
//! A case is *changed* when its deadlines, escalation or compensation differ, when one
//! side decides and the other fails, or when both fail with different kinds. `policy`
//! (name, version, digest) always differs and is ignored; notes alone count in
//! `fields.notes_only`, not as a change.

use std::collections::BTreeMap;

use pacto::decision::Deadline;
use pacto::{Calendar, Case, ClockStatus, Decision};
use serde_json::{Value, json};

use super::tally::{Difference, Example, MAX_CHANGED_IDS, Segment, Tally, Totals};

/// What one policy answered for one case.
pub enum Answer {
    /// A decision.
    Decided(Decision),
    /// A `DecideError`: its kind and message.
    Failed {
        /// `limit`, `policy`, `invalid_decision`, `time` or `input`.
        kind: &'static str,
        /// Its message.
        message: String,
    },
}

impl Answer {
    fn decision(&self) -> Option<&Decision> {
        match self {
            Answer::Decided(d) => Some(d),
            Answer::Failed { .. } => None,
        }
    }

    /// The answer as `replay --out` writes it, without `id`.
    fn to_json(&self) -> Value {
        match self {
            Answer::Decided(d) => json!({ "decision": d }),
            Answer::Failed { kind, message } => {
                json!({ "error": { "kind": kind, "message": message } })
            }
        }
    }
}

/// The calendars of both policies, by name.
pub struct Calendars<'a> {
    /// `--from`'s.
    pub from: &'a BTreeMap<String, Calendar>,
    /// `--to`'s.
    pub to: &'a BTreeMap<String, Calendar>,
}

/// Counts a line that is not a usable case: an `input` error on both sides, unchanged.
pub fn add_bad_line(t: &mut Tally) {
    t.cases += 1;
    t.bad_lines += 1;
    t.errors.add(true, true);
    t.fields
        .errors
        .kinds
        .entry("input".into())
        .or_default()
        .add(true, true);
}

/// Facts of one answer that the report counts.
struct Facts {
    failed: bool,
    escalated: bool,
    breached: bool,
    money: Totals,
}

impl Facts {
    fn of(answer: &Answer, from: bool) -> Facts {
        let Some(d) = answer.decision() else {
            return Facts {
                failed: true,
                escalated: false,
                breached: false,
                money: Totals::new(),
            };
        };
        let mut money = Totals::new();
        for c in &d.compensation {
            if let Some(currency) = &c.currency {
                let total = money.entry(currency.clone()).or_default();
                let side = if from { &mut total.from } else { &mut total.to };
                *side += i128::from(c.amount);
            }
        }
        Facts {
            failed: false,
            escalated: level(d) > 0,
            breached: d
                .deadlines
                .iter()
                .any(|dl| dl.status == ClockStatus::Breached),
            money,
        }
    }
}

fn level(d: &Decision) -> u8 {
    d.escalation.as_ref().map_or(0, |e| e.level)
}

/// Counts case `case` answered `from` by one policy and `to` by the other.
pub fn add_case(t: &mut Tally, case: &Case, from: &Answer, to: &Answer, calendars: &Calendars) {
    let (a, b) = (Facts::of(from, true), Facts::of(to, false));
    let changed = match (from, to) {
        (Answer::Decided(x), Answer::Decided(y)) => fields(t, x, y, calendars),
        (Answer::Decided(_), Answer::Failed { .. }) => {
            t.fields.errors.appeared += 1;
            true
        }
        (Answer::Failed { .. }, Answer::Decided(_)) => {
            t.fields.errors.disappeared += 1;
            true
        }
        (Answer::Failed { kind: k1, .. }, Answer::Failed { kind: k2, .. }) => {
            let differ = k1 != k2;
            t.fields.errors.kind_changed += u64::from(differ);
            differ
        }
    };
    for (answer, is_from) in [(from, true), (to, false)] {
        if let Answer::Failed { kind, .. } = answer {
            let p = t.fields.errors.kinds.entry((*kind).into()).or_default();
            p.add(is_from, !is_from);
        }
        if let Answer::Decided(d) = answer {
            for c in &d.compensation {
                let kind = serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                t.compensation_kinds
                    .entry(kind)
                    .or_default()
                    .add(is_from, !is_from);
            }
        }
    }

    t.cases += 1;
    t.changed += u64::from(changed);
    t.errors.add(a.failed, b.failed);
    t.escalated.add(a.escalated, b.escalated);
    t.breached.add(a.breached, b.breached);
    let mut money = a.money.clone();
    for (currency, m) in &b.money {
        money.entry(currency.clone()).or_default().to += m.to;
    }
    for (currency, m) in &money {
        let total = t.compensation.entry(currency.clone()).or_default();
        total.from += m.from;
        total.to += m.to;
    }
    for segments in [
        t.segments.priority.entry(case.priority.as_str().into()),
        t.segments.channel.entry(case.channel.as_str().into()),
        t.segments.tier.entry(case.customer.tier.clone()),
    ] {
        let s: &mut Segment = segments.or_default();
        s.cases += 1;
        s.changed += u64::from(changed);
        s.errors.add(a.failed, b.failed);
        s.escalated.add(a.escalated, b.escalated);
        s.breached.add(a.breached, b.breached);
        for (currency, m) in &money {
            let total = s.compensation.entry(currency.clone()).or_default();
            total.from += m.from;
            total.to += m.to;
        }
    }
    if changed {
        if t.changed_ids.len() < MAX_CHANGED_IDS {
            t.changed_ids.push(case.id.clone());
        }
        if t.example.is_none() {
            let (x, y) = (from.to_json(), to.to_json());
            let mut differences = Vec::new();
            differ(&mut differences, String::new(), &x, &y);
            t.example = Some(Example {
                id: case.id.clone(),
                differences,
                from: x,
                to: y,
            });
        }
    }
}

/// Counts the field changes between two decisions; whether the case changed.
fn fields(t: &mut Tally, x: &Decision, y: &Decision, calendars: &Calendars) -> bool {
    let deadlines = x.deadlines != y.deadlines;
    if deadlines {
        for (metric, pair) in matched(&x.deadlines, &y.deadlines) {
            let m = t.fields.deadlines.entry(metric.into()).or_default();
            match pair {
                (Some(_), None) => m.removed += 1,
                (None, Some(_)) => m.added += 1,
                (Some(a), Some(b)) => {
                    if a.status != b.status {
                        let flip = format!("{}->{}", a.status.as_str(), b.status.as_str());
                        *m.status.entry(flip).or_default() += 1;
                    }
                    match b.target.cmp(&a.target) {
                        std::cmp::Ordering::Less => m.target_lowered += 1,
                        std::cmp::Ordering::Greater => m.target_raised += 1,
                        std::cmp::Ordering::Equal => {}
                    }
                    if let (Some(da), Some(db)) = (a.due, b.due)
                        && da.timestamp != db.timestamp
                    {
                        let (lo, hi) = if db.timestamp < da.timestamp {
                            m.earlier += 1;
                            (db.timestamp, da.timestamp)
                        } else {
                            m.later += 1;
                            (da.timestamp, db.timestamp)
                        };
                        let calendar = calendars
                            .to
                            .get(&b.calendar)
                            .or_else(|| calendars.from.get(&a.calendar));
                        if let Some(Ok(minutes)) =
                            calendar.map(|c| c.business_minutes_between(lo, hi))
                        {
                            let sign = if db.timestamp < da.timestamp { -1 } else { 1 };
                            m.due_shift.add(sign * minutes);
                        }
                    }
                }
                (None, None) => {}
            }
        }
    }
    let escalation = x.escalation != y.escalation;
    if escalation {
        let e = &mut t.fields.escalation;
        let (la, lb) = (level(x), level(y));
        match lb.cmp(&la) {
            std::cmp::Ordering::Greater => e.up += 1,
            std::cmp::Ordering::Less => e.down += 1,
            std::cmp::Ordering::Equal => e.other += 1,
        }
        if la != lb {
            *e.levels.entry(format!("{la}->{lb}")).or_default() += 1;
        }
    }
    let compensation = x.compensation != y.compensation;
    if compensation {
        let c = &mut t.fields.compensation;
        match (x.compensation.is_empty(), y.compensation.is_empty()) {
            (true, false) => c.added += 1,
            (false, true) => c.removed += 1,
            _ => c.changed += 1,
        }
    }
    let changed = deadlines || escalation || compensation;
    if !changed && x.notes != y.notes {
        t.fields.notes_only += 1;
    }
    changed
}

/// A deadline of `--from` and its counterpart of `--to`, either absent.
type Matched<'a> = (Option<&'a Deadline>, Option<&'a Deadline>);

/// The deadlines of both sides paired by metric and, within a metric, by position.
fn matched<'a>(x: &'a [Deadline], y: &'a [Deadline]) -> Vec<(&'static str, Matched<'a>)> {
    let mut by_metric: BTreeMap<&'static str, (Vec<&Deadline>, Vec<&Deadline>)> = BTreeMap::new();
    for d in x {
        by_metric.entry(d.metric.as_str()).or_default().0.push(d);
    }
    for d in y {
        by_metric.entry(d.metric.as_str()).or_default().1.push(d);
    }
    let mut out = Vec::new();
    for (metric, (a, b)) in by_metric {
        for i in 0..a.len().max(b.len()) {
            out.push((metric, (a.get(i).copied(), b.get(i).copied())));
        }
    }
    out
}

/// Every leaf that differs between `x` and `y` (under `path`), the policy aside.
fn differ(out: &mut Vec<Difference>, path: String, x: &Value, y: &Value) {
    if x == y || path == "decision.policy" {
        return;
    }
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (x, y) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (va, vb) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                differ(out, join(key), va, vb);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let (va, vb) = (
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                );
                differ(out, format!("{path}[{i}]"), va, vb);
            }
        }
        _ => out.push(Difference {
            path,
            from: x.clone(),
            to: y.clone(),
        }),
    }
}
