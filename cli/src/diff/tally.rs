//! What `pacto diff` counts: aggregates over the cases compared, small enough to merge
//! chunk by chunk (a streaming diff keeps no decision but one example).
//!
//! Serialized, a [`Tally`] is the body of `diff --format json`; its field order is the
//! contract's (`cases`, `changed`, `errors`, `escalated`, `breached`, `compensation`,
//! `changed_ids`), then the per-field breakdown, the segments and the example.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// Case ids listed in `changed_ids`, at most.
pub const MAX_CHANGED_IDS: usize = 100;

/// A count before and after the swap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// With the `--from` policy.
    pub from: u64,
    /// With the `--to` policy.
    pub to: u64,
}

impl Pair {
    fn merge(&mut self, other: Pair) {
        self.from += other.from;
        self.to += other.to;
    }

    /// Adds `from` and `to` (0 or 1 each).
    pub fn add(&mut self, from: bool, to: bool) {
        self.from += u64::from(from);
        self.to += u64::from(to);
    }
}

/// Money before and after, in minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Money {
    /// Granted by the `--from` policy.
    pub from: i128,
    /// Granted by the `--to` policy.
    pub to: i128,
}

/// Totals per ISO 4217 currency.
pub type Totals = BTreeMap<String, Money>;

fn merge_totals(into: &mut Totals, other: Totals) {
    for (currency, m) in other {
        let total = into.entry(currency).or_default();
        total.from += m.from;
        total.to += m.to;
    }
}

fn merge_counts(into: &mut BTreeMap<String, u64>, other: BTreeMap<String, u64>) {
    for (key, n) in other {
        *into.entry(key).or_default() += n;
    }
}

/// The bins of the due-shift histogram, in business minutes (`to`'s due minus
/// `from`'s): lower and upper bounds, inclusive, `None` for open-ended.
pub const SHIFT_BINS: [(Option<i64>, Option<i64>); 13] = [
    (None, Some(-480)),
    (Some(-479), Some(-120)),
    (Some(-119), Some(-60)),
    (Some(-59), Some(-30)),
    (Some(-29), Some(-15)),
    (Some(-14), Some(-1)),
    (Some(0), Some(0)),
    (Some(1), Some(14)),
    (Some(15), Some(29)),
    (Some(30), Some(59)),
    (Some(60), Some(119)),
    (Some(120), Some(479)),
    (Some(480), None),
];

/// How far moved deadlines moved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    /// One count per [`SHIFT_BINS`] bin.
    pub counts: [u64; SHIFT_BINS.len()],
}

impl Histogram {
    /// Counts a shift of `minutes` business minutes.
    pub fn add(&mut self, minutes: i64) {
        let bin = SHIFT_BINS
            .iter()
            .position(|(lo, hi)| {
                lo.is_none_or(|lo| minutes >= lo) && hi.is_none_or(|hi| minutes <= hi)
            })
            .unwrap_or(0);
        self.counts[bin] += 1;
    }

    /// A label for bin `i`: `≤ -480`, `-479…-120`, `0`, `≥ 480`.
    pub fn label(i: usize) -> String {
        match SHIFT_BINS[i] {
            (None, Some(hi)) => format!("≤ {hi}"),
            (Some(lo), None) => format!("≥ {lo}"),
            (Some(lo), Some(hi)) if lo == hi => lo.to_string(),
            (Some(lo), Some(hi)) => format!("{lo}…{hi}"),
            (None, None) => "all".into(),
        }
    }
}

impl Serialize for Histogram {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Bin {
            label: String,
            min: Option<i64>,
            max: Option<i64>,
            count: u64,
        }
        let bins: Vec<Bin> = SHIFT_BINS
            .iter()
            .zip(self.counts)
            .enumerate()
            .map(|(i, (&(min, max), count))| Bin {
                label: Histogram::label(i),
                min,
                max,
                count,
            })
            .collect();
        bins.serialize(s)
    }
}

/// One metric's deadlines on the cases both policies decided.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MetricChanges {
    /// `due` moved earlier.
    pub earlier: u64,
    /// `due` moved later.
    pub later: u64,
    /// Present with `--to` only.
    pub added: u64,
    /// Present with `--from` only.
    pub removed: u64,
    /// `target` lowered.
    pub target_lowered: u64,
    /// `target` raised.
    pub target_raised: u64,
    /// Status flips, `"met->breached"` and so on.
    pub status: BTreeMap<String, u64>,
    /// The shift of `due` in business minutes on the deadline's calendar, for every
    /// deadline whose `due` moved (0: it moved within closed hours only).
    pub due_shift: Histogram,
}

impl MetricChanges {
    fn merge(&mut self, o: MetricChanges) {
        self.earlier += o.earlier;
        self.later += o.later;
        self.added += o.added;
        self.removed += o.removed;
        self.target_lowered += o.target_lowered;
        self.target_raised += o.target_raised;
        merge_counts(&mut self.status, o.status);
        for (c, n) in self.due_shift.counts.iter_mut().zip(o.due_shift.counts) {
            *c += n;
        }
    }
}

/// Escalation changes on the cases both policies decided.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EscalationChanges {
    /// The level rose (no escalation is level 0).
    pub up: u64,
    /// The level fell.
    pub down: u64,
    /// The same level, something else changed (team, reason, notify, priority).
    pub other: u64,
    /// Level flips, `"0->2"` and so on.
    pub levels: BTreeMap<String, u64>,
}

/// Compensation changes on the cases both policies decided.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CompensationChanges {
    /// None before, some after.
    pub added: u64,
    /// Some before, none after.
    pub removed: u64,
    /// Some on both sides, not the same.
    pub changed: u64,
}

/// Outcome changes that involve an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ErrorChanges {
    /// Decided by `--from`, an error with `--to`.
    pub appeared: u64,
    /// An error with `--from`, decided by `--to`.
    pub disappeared: u64,
    /// An error on both sides, of different kinds.
    pub kind_changed: u64,
    /// Errors by kind (`input`, `limit`, `policy`, …).
    pub kinds: BTreeMap<String, Pair>,
}

/// The breakdown per field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Fields {
    /// Per metric (`first_response`, `next_response`, `resolution`).
    pub deadlines: BTreeMap<String, MetricChanges>,
    /// The escalation.
    pub escalation: EscalationChanges,
    /// The compensation list.
    pub compensation: CompensationChanges,
    /// Cases whose notes alone differ (not counted as changed).
    pub notes_only: u64,
    /// Errors.
    pub errors: ErrorChanges,
}

/// The before/after figures of one segment (a priority, channel or tier).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Cases in the segment (usable lines only).
    pub cases: u64,
    /// Of them, changed.
    pub changed: u64,
    /// Errors.
    pub errors: Pair,
    /// Cases with an escalation of level 1 or more.
    pub escalated: Pair,
    /// Cases with at least one breached deadline.
    pub breached: Pair,
    /// Money per currency.
    pub compensation: Totals,
}

impl Segment {
    fn merge(&mut self, o: Segment) {
        self.cases += o.cases;
        self.changed += o.changed;
        self.errors.merge(o.errors);
        self.escalated.merge(o.escalated);
        self.breached.merge(o.breached);
        merge_totals(&mut self.compensation, o.compensation);
    }
}

/// Segments by the case's priority, channel and customer tier.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Segments {
    /// By `priority`.
    pub priority: BTreeMap<String, Segment>,
    /// By `channel`.
    pub channel: BTreeMap<String, Segment>,
    /// By `customer.tier`.
    pub tier: BTreeMap<String, Segment>,
}

/// One changed case, before and after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    /// The case id.
    pub id: String,
    /// Every difference, `policy` aside: the JSON path, the value before and after
    /// (null when absent).
    pub differences: Vec<Difference>,
    /// The `--from` answer, as `replay --out` writes it (without `id`).
    pub from: Value,
    /// The `--to` answer.
    pub to: Value,
}

/// One difference between two answers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// JSON path, e.g. `deadlines[0].due`.
    pub path: String,
    /// Before.
    pub from: Value,
    /// After.
    pub to: Value,
}

/// Everything counted over some cases.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Non-blank lines compared.
    pub cases: u64,
    /// Cases whose answer changed (deadlines, escalation, compensation, or the outcome).
    pub changed: u64,
    /// Errors on each side, bad lines included (a bad line fails on both).
    pub errors: Pair,
    /// Cases with an escalation of level 1 or more.
    pub escalated: Pair,
    /// Cases with at least one breached deadline.
    pub breached: Pair,
    /// Money granted, per currency, in minor units.
    pub compensation: Totals,
    /// The first changed case ids, in input order (at most [`MAX_CHANGED_IDS`]).
    pub changed_ids: Vec<String>,
    /// Lines that are not usable cases (counted in `errors` on both sides).
    pub bad_lines: u64,
    /// Compensations by kind, counted.
    pub compensation_kinds: BTreeMap<String, Pair>,
    /// The breakdown per field.
    pub fields: Fields,
    /// By priority, channel and tier.
    pub segments: Segments,
    /// The first changed case, before and after.
    pub example: Option<Example>,
}

impl Tally {
    /// Adds the counts of `later` (the cases after these, in input order).
    pub fn merge(&mut self, later: Tally) {
        self.cases += later.cases;
        self.changed += later.changed;
        self.errors.merge(later.errors);
        self.escalated.merge(later.escalated);
        self.breached.merge(later.breached);
        merge_totals(&mut self.compensation, later.compensation);
        let room = MAX_CHANGED_IDS.saturating_sub(self.changed_ids.len());
        self.changed_ids
            .extend(later.changed_ids.into_iter().take(room));
        self.bad_lines += later.bad_lines;
        for (kind, p) in later.compensation_kinds {
            self.compensation_kinds.entry(kind).or_default().merge(p);
        }
        let f = later.fields;
        for (metric, m) in f.deadlines {
            self.fields.deadlines.entry(metric).or_default().merge(m);
        }
        let e = &mut self.fields.escalation;
        e.up += f.escalation.up;
        e.down += f.escalation.down;
        e.other += f.escalation.other;
        merge_counts(&mut e.levels, f.escalation.levels);
        let c = &mut self.fields.compensation;
        c.added += f.compensation.added;
        c.removed += f.compensation.removed;
        c.changed += f.compensation.changed;
        self.fields.notes_only += f.notes_only;
        let r = &mut self.fields.errors;
        r.appeared += f.errors.appeared;
        r.disappeared += f.errors.disappeared;
        r.kind_changed += f.errors.kind_changed;
        for (kind, p) in f.errors.kinds {
            r.kinds.entry(kind).or_default().merge(p);
        }
        for (mine, theirs) in [
            (&mut self.segments.priority, later.segments.priority),
            (&mut self.segments.channel, later.segments.channel),
            (&mut self.segments.tier, later.segments.tier),
        ] {
            for (key, s) in theirs {
                mine.entry(key).or_default().merge(s);
            }
        }
        if self.example.is_none() {
            self.example = later.example;
        }
    }
}
