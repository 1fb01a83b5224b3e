//! The case, its timeline and clock readings as registered Rhai types: views over data
//! built once per decision (one `Arc`), read through property getters. A field is turned
//! into a Rhai value only when a script reads it, and copying a view (Rhai passes every
//! argument by value) copies a pointer, not a tree of maps.
//!
//! Each view behaves as the map it stands for (DESIGN.md "Rhai surface"): the same field
//! names, values and types, `()` for an optional field the case lacks, an error naming an
//! unknown field (`ticket.priorty`, `ticket["priorty"]`) at the same place, `"x" in
//! ticket`, `==`, `to_string`, `keys`, `to_json`, … and `type_of` is `"map"`. A script may write to a view, as to a map: its first write turns
//! it into a map of its own, one level deep (nested views stay shared), so a copy never
//! sees another copy's writes and nothing outlives the decision.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use rhai::{
    Array, Dynamic, EvalAltResult, FnPtr, ImmutableString, Map, NativeCallContext, Position,
};

use crate::bundle::Limits;
use crate::case::{Case, CaseError, Event as CaseEvent};
use crate::clock::{Clock, ClockStatus, Metric};
use crate::decision::RawDeadline;
use crate::policy::{DecideError, LimitExceeded};
use crate::timeline::Timeline;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Every field name of the maps a script is given: the ticket, its customer, order,
/// events and timeline, a clock reading, a satisfaction rating. Reading any other
/// property is an error naming the nearest of these.
pub(super) const FIELDS: &[&str] = &[
    "id",
    "opened_at",
    "priority",
    "channel",
    "kind",
    "category",
    "customer",
    "order",
    "events",
    "tags",
    "attributes",
    "timeline",
    "tier",
    "internal",
    "lifetime_value",
    "breaches_90d",
    "credits_90d",
    "value",
    "currency",
    "warranty_until",
    "at",
    "type",
    "status",
    "score",
    "scale",
    "first_response_at",
    "last_agent_reply_at",
    "awaiting_reply_since",
    "solved_at",
    "reopen_count",
    "paused",
    "latest_satisfaction",
    "metric",
    "calendar",
    "target",
    "due",
    "met_at",
    "breached_by",
    "remaining",
];

// ---- the data of one decision ----

/// What a script can read of the case, converted once per decision: strings a script
/// reads as Rhai strings (shared, so a read copies a pointer), integers checked to fit.
pub(super) struct Root {
    id: ImmutableString,
    opened_at: i64,
    priority: ImmutableString,
    channel: ImmutableString,
    kind: ImmutableString,
    category: Dynamic,
    customer_id: ImmutableString,
    tier: ImmutableString,
    internal: bool,
    lifetime_value: i64,
    breaches_90d: i64,
    credits_90d: i64,
    order: Option<OrderData>,
    /// Sorted by time, stably, as every policy sees them.
    events: Vec<CaseEvent>,
    tags: Array,
    attributes: Map,
    timeline: Arc<Timeline>,
}

struct OrderData {
    value: i64,
    currency: ImmutableString,
    warranty_until: Option<jiff::civil::Date>,
}

/// `n` as a Rhai integer, or the error that names `path`: nothing is clamped.
fn exact(n: u64, path: &str) -> Result<i64, CaseError> {
    i64::try_from(n).map_err(|_| CaseError {
        path: path.into(),
        line: 0,
        column: 0,
        message: format!(
            "`{n}` is beyond what a policy can carry exactly (at most {})",
            i64::MAX
        ),
    })
}

/// The longest string inside a Rhai value (attributes are arbitrary JSON).
fn longest_string(value: &Dynamic) -> usize {
    if let Some(s) = value.read_lock::<ImmutableString>() {
        s.len()
    } else if let Some(a) = value.read_lock::<Array>() {
        a.iter().map(longest_string).max().unwrap_or(0)
    } else if let Some(m) = value.read_lock::<Map>() {
        m.values().map(longest_string).max().unwrap_or(0)
    } else {
        0
    }
}

impl Root {
    /// The case as a script sees it. A value Rhai cannot carry exactly (only a `Case`
    /// built in Rust can hold one) is an `input` error naming its path; a string longer
    /// than the bundle's `max_string_size` is that limit, whether or not the script
    /// reads it (the same rule for every script: a value handed to a script obeys the
    /// limits of the values it builds).
    pub(super) fn new(
        case: &Case,
        timeline: Arc<Timeline>,
        limits: &Limits,
    ) -> Result<Root, DecideError> {
        let c = &case.customer;
        let lifetime_value =
            exact(c.lifetime_value, "customer.lifetime_value").map_err(DecideError::Input)?;
        let order = match &case.order {
            None => None,
            Some(o) => Some(OrderData {
                value: exact(o.value, "order.value").map_err(DecideError::Input)?,
                currency: o.currency.as_str().into(),
                warranty_until: o.warranty_until,
            }),
        };
        let mut attributes = Map::new();
        let mut longest = 0;
        for (k, v) in &case.attributes {
            let value = rhai::serde::to_dynamic(v).map_err(|e| {
                DecideError::Input(CaseError {
                    path: format!("attributes.{k}"),
                    line: 0,
                    column: 0,
                    message: format!("a policy cannot carry this value: {e}"),
                })
            })?;
            longest = longest.max(longest_string(&value));
            attributes.insert(k.as_str().into(), value);
        }
        let strings = [&case.id, &c.id, &c.tier]
            .into_iter()
            .chain(&case.category)
            .chain(case.order.as_ref().map(|o| &o.currency))
            .chain(&case.tags);
        longest = strings.map(String::len).fold(longest, usize::max);
        if longest > limits.max_string_size {
            return Err(LimitExceeded::StringSize(limits.max_string_size).into());
        }
        Ok(Root {
            id: case.id.as_str().into(),
            opened_at: case.opened_at.as_second(),
            priority: name(case.priority.as_str()),
            channel: name(case.channel.as_str()),
            kind: name(case.kind.as_str()),
            category: case
                .category
                .as_deref()
                .map_or(Dynamic::UNIT, |s| Dynamic::from(ImmutableString::from(s))),
            customer_id: c.id.as_str().into(),
            tier: c.tier.as_str().into(),
            internal: c.internal,
            lifetime_value,
            breaches_90d: c.breaches_90d.into(),
            credits_90d: c.credits_90d.into(),
            order,
            events: case.events_by_time().into_owned(),
            tags: case
                .tags
                .iter()
                .map(|t| Dynamic::from(ImmutableString::from(t.as_str())))
                .collect(),
            attributes,
            timeline,
        })
    }
}

/// The names a case, a timeline and a clock take their strings from, made once per
/// process: reading `ticket.priority` or `clock.status` copies a pointer.
static NAMES: LazyLock<HashMap<&'static str, ImmutableString>> = LazyLock::new(|| {
    [
        "low",
        "normal",
        "high",
        "urgent",
        "email",
        "phone",
        "chat",
        "social",
        "web",
        "in_person",
        "mail",
        "question",
        "incident",
        "problem",
        "request",
        "complaint",
        "compliment",
        "open",
        "pending",
        "on_hold",
        "solved",
        "closed",
        "customer_message",
        "agent_reply",
        "internal_note",
        "status",
        "reopened",
        "satisfaction",
        "first_response",
        "next_response",
        "resolution",
        "met",
        "breached",
        "paused",
        "inactive",
    ]
    .into_iter()
    .map(|n| (n, ImmutableString::from(n)))
    .collect()
});

fn name(text: &'static str) -> ImmutableString {
    NAMES
        .get(text)
        .cloned()
        .unwrap_or_else(|| ImmutableString::from(text))
}

fn str(s: &ImmutableString) -> Dynamic {
    Dynamic::from(s.clone())
}

fn int(n: impl Into<i64>) -> Dynamic {
    Dynamic::from_int(n.into())
}

fn instant(t: Option<jiff::Timestamp>) -> Dynamic {
    t.map_or(Dynamic::UNIT, |t| Dynamic::from_int(t.as_second()))
}

fn seconds(t: Option<i64>) -> Dynamic {
    t.map_or(Dynamic::UNIT, Dynamic::from_int)
}

// ---- views ----

/// A field of a view: its name and how to read it from the shared data.
type Field<V> = (&'static str, fn(&V) -> Dynamic);

/// A registered type that stands for one of the contract's maps.
trait View: Clone + Send + Sync + 'static {
    /// Every field the map has.
    const FIELDS: &'static [Field<Self>];
    /// The map the view became when a script wrote to it.
    fn edits(&self) -> Option<&Map>;
    fn edits_mut(&mut self) -> &mut Option<Box<Map>>;
}

macro_rules! view {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty),* }) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub(super) struct $name {
            $($field: $ty,)*
            edits: Option<Box<Map>>,
        }
    };
}

macro_rules! edits {
    () => {
        fn edits(&self) -> Option<&Map> {
            self.edits.as_deref()
        }
        fn edits_mut(&mut self) -> &mut Option<Box<Map>> {
            &mut self.edits
        }
    };
}

view!(
    /// `ticket`.
    Ticket { root: Arc<Root> }
);
view!(
    /// `ticket.customer`.
    Customer { root: Arc<Root> }
);
view!(
    /// `ticket.order`, when the case has one.
    Order { root: Arc<Root> }
);
view!(
    /// One of `ticket.events`.
    EventView { root: Arc<Root>, index: usize }
);
view!(
    /// `ticket.timeline`.
    TimelineView { root: Arc<Root> }
);
view!(
    /// What `ticket.clock(metric, calendar, minutes)` returns.
    Reading { reading: ReadingData, calendar: ImmutableString }
);

#[derive(Clone)]
pub(super) struct ReadingData {
    metric: Metric,
    /// `metric` and `status` as a script reads them, looked up once.
    metric_name: ImmutableString,
    status_name: ImmutableString,
    target: i64,
    due: Option<i64>,
    status: ClockStatus,
    met_at: Option<i64>,
    breached_by: i64,
    remaining: i64,
    paused: bool,
}

impl Ticket {
    pub(super) fn new(root: Root) -> Ticket {
        Ticket {
            root: Arc::new(root),
            edits: None,
        }
    }
}

impl Reading {
    pub(super) fn new(c: &Clock, calendar: ImmutableString) -> Reading {
        Reading {
            reading: ReadingData {
                metric: c.metric,
                metric_name: name(c.metric.as_str()),
                status_name: name(c.status.as_str()),
                target: c.target,
                due: c.due.map(|t| t.as_second()),
                status: c.status,
                met_at: c.met_at.map(|t| t.as_second()),
                breached_by: c.breached_by,
                remaining: c.remaining,
                paused: c.paused,
            },
            calendar,
            edits: None,
        }
    }

    /// The deadline a decision lists, straight from the reading; `None` once a script
    /// wrote to it (it is then read as the map it became).
    fn deadline(&self) -> Option<RawDeadline> {
        if self.edits.is_some() {
            return None;
        }
        let r = &self.reading;
        Some(RawDeadline {
            metric: r.metric,
            calendar: self.calendar.to_string(),
            target: r.target,
            due: r.due,
            status: r.status,
            met_at: r.met_at,
            breached_by: r.breached_by,
            remaining: r.remaining,
            paused: r.paused,
        })
    }
}

fn view_of<V>(root: &Arc<Root>, make: impl FnOnce(Arc<Root>) -> V) -> Dynamic
where
    V: View,
{
    Dynamic::from(make(Arc::clone(root)))
}

impl View for Ticket {
    const FIELDS: &'static [Field<Self>] = &[
        ("attributes", |t| {
            Dynamic::from_map(t.root.attributes.clone())
        }),
        ("category", |t| t.root.category.clone()),
        ("channel", |t| str(&t.root.channel)),
        ("customer", |t| {
            view_of(&t.root, |root| Customer { root, edits: None })
        }),
        ("events", |t| {
            let events = (0..t.root.events.len())
                .map(|index| {
                    view_of(&t.root, |root| EventView {
                        root,
                        index,
                        edits: None,
                    })
                })
                .collect();
            Dynamic::from_array(events)
        }),
        ("id", |t| str(&t.root.id)),
        ("kind", |t| str(&t.root.kind)),
        ("opened_at", |t| int(t.root.opened_at)),
        ("order", |t| match t.root.order {
            None => Dynamic::UNIT,
            Some(_) => view_of(&t.root, |root| Order { root, edits: None }),
        }),
        ("priority", |t| str(&t.root.priority)),
        ("tags", |t| Dynamic::from_array(t.root.tags.clone())),
        ("timeline", |t| {
            view_of(&t.root, |root| TimelineView { root, edits: None })
        }),
    ];
    edits!();
}

impl View for Customer {
    const FIELDS: &'static [Field<Self>] = &[
        ("breaches_90d", |c| int(c.root.breaches_90d)),
        ("credits_90d", |c| int(c.root.credits_90d)),
        ("id", |c| str(&c.root.customer_id)),
        ("internal", |c| Dynamic::from_bool(c.root.internal)),
        ("lifetime_value", |c| int(c.root.lifetime_value)),
        ("tier", |c| str(&c.root.tier)),
    ];
    edits!();
}

impl Order {
    fn data(&self) -> &OrderData {
        // an `Order` is made only for a case with an order
        match &self.root.order {
            Some(o) => o,
            None => unreachable!("an order view of a case without an order"),
        }
    }
}

impl View for Order {
    const FIELDS: &'static [Field<Self>] = &[
        ("currency", |o| str(&o.data().currency)),
        ("value", |o| int(o.data().value)),
        ("warranty_until", |o| {
            o.data()
                .warranty_until
                .map_or(Dynamic::UNIT, |d| Dynamic::from(d.to_string()))
        }),
    ];
    edits!();
}

impl EventView {
    fn event(&self) -> &CaseEvent {
        &self.root.events[self.index]
    }
}

impl View for EventView {
    const FIELDS: &'static [Field<Self>] = &[
        ("at", |e| int(e.event().at().as_second())),
        ("scale", |e| match *e.event() {
            CaseEvent::Satisfaction { scale, .. } => int(scale),
            _ => Dynamic::UNIT,
        }),
        ("score", |e| match *e.event() {
            CaseEvent::Satisfaction { score, .. } => int(score),
            _ => Dynamic::UNIT,
        }),
        ("status", |e| match *e.event() {
            CaseEvent::Status { status, .. } => Dynamic::from(name(status.as_str())),
            _ => Dynamic::UNIT,
        }),
        ("type", |e| Dynamic::from(name(e.event().type_name()))),
    ];
    edits!();
}

impl View for TimelineView {
    const FIELDS: &'static [Field<Self>] = &[
        ("awaiting_reply_since", |t| {
            instant(t.root.timeline.awaiting_reply_since)
        }),
        ("first_response_at", |t| {
            instant(t.root.timeline.first_response_at)
        }),
        ("last_agent_reply_at", |t| {
            instant(t.root.timeline.last_agent_reply_at)
        }),
        ("latest_satisfaction", |t| {
            t.root
                .timeline
                .latest_satisfaction
                .map_or(Dynamic::UNIT, |s| {
                    let mut sat = Map::new();
                    sat.insert("score".into(), int(s.score));
                    sat.insert("scale".into(), int(s.scale));
                    Dynamic::from_map(sat)
                })
        }),
        ("paused", |t| {
            let paused: Array = t
                .root
                .timeline
                .paused
                .iter()
                .map(|p| {
                    Dynamic::from_array(vec![
                        instant(Some(p.interval.start)),
                        instant(p.interval.end),
                    ])
                })
                .collect();
            Dynamic::from_array(paused)
        }),
        ("reopen_count", |t| int(t.root.timeline.reopen_count)),
        ("solved_at", |t| instant(t.root.timeline.solved_at)),
        ("status", |t| {
            Dynamic::from(name(t.root.timeline.status.as_str()))
        }),
    ];
    edits!();
}

impl View for Reading {
    const FIELDS: &'static [Field<Self>] = &[
        ("breached_by", |r| int(r.reading.breached_by)),
        ("calendar", |r| str(&r.calendar)),
        ("due", |r| seconds(r.reading.due)),
        ("met_at", |r| seconds(r.reading.met_at)),
        ("metric", |r| str(&r.reading.metric_name)),
        ("paused", |r| Dynamic::from_bool(r.reading.paused)),
        ("remaining", |r| int(r.reading.remaining)),
        ("status", |r| str(&r.reading.status_name)),
        ("target", |r| int(r.reading.target)),
    ];
    edits!();
}

/// The field `key` of `v`, or `None` when its map has no such key.
fn field<V: View>(v: &V, key: &str) -> Option<Dynamic> {
    match v.edits() {
        Some(m) => m.get(key).cloned(),
        None => V::FIELDS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, read)| read(v)),
    }
}

fn has_field<V: View>(v: &V, key: &str) -> bool {
    match v.edits() {
        Some(m) => m.contains_key(key),
        None => V::FIELDS.iter().any(|(name, _)| *name == key),
    }
}

/// The map `v` stands for, one level deep: nested views stay views.
fn one_level<V: View>(v: &V) -> Map {
    match v.edits() {
        Some(m) => m.clone(),
        None => V::FIELDS
            .iter()
            .map(|(name, read)| ((*name).into(), read(v)))
            .collect(),
    }
}

/// The map `v` stands for, views inside it turned into maps too: what the map-based
/// surface gave a script.
fn deep_map<V: View>(v: &V) -> Map {
    let mut m = one_level(v);
    for value in m.values_mut() {
        materialize(value);
    }
    m
}

/// The map a script's first write turns `v` into.
fn edited<V: View>(v: &mut V) -> &mut Map {
    if v.edits().is_none() {
        let m = one_level(v);
        *v.edits_mut() = Some(Box::new(m));
    }
    match v.edits_mut() {
        Some(m) => m,
        None => unreachable!("set just above"),
    }
}

/// Turns every view inside `value` (nested in arrays and maps too) into the map it
/// stands for, in place: the decision and anything printed or compared then reads as
/// the map-based surface did.
pub(super) fn materialize(value: &mut Dynamic) {
    fn deep<V: View>(value: &mut Dynamic) -> bool {
        match value.read_lock::<V>().map(|v| deep_map(&*v)) {
            Some(m) => {
                *value = Dynamic::from_map(m);
                true
            }
            None => false,
        }
    }
    if deep::<Ticket>(value)
        || deep::<Customer>(value)
        || deep::<Order>(value)
        || deep::<EventView>(value)
        || deep::<TimelineView>(value)
        || deep::<Reading>(value)
    {
        return;
    }
    if let Some(mut a) = value.write_lock::<Array>() {
        a.iter_mut().for_each(materialize);
    } else if let Some(mut m) = value.write_lock::<Map>() {
        m.values_mut().for_each(materialize);
    }
}

// ---- the decision ----

/// The decision a script returned, read straight from its value when it is well formed:
/// the deadlines from the clock readings as they are, the rest by serde. `None` when
/// that fails, and the value is as it was.
pub(super) fn fast_output(value: &mut Dynamic) -> Option<crate::decision::PolicyOutput> {
    let deadlines = value.write_lock::<Map>()?.remove("deadlines");
    let output = read_output(deadlines.as_ref(), value);
    if output.is_none()
        && let Some(d) = deadlines
        && let Some(mut m) = value.write_lock::<Map>()
    {
        m.insert("deadlines".into(), d);
    }
    output
}

fn read_output(
    deadlines: Option<&Dynamic>,
    rest: &Dynamic,
) -> Option<crate::decision::PolicyOutput> {
    let raw = match deadlines {
        None => Vec::new(),
        Some(d) => d
            .read_lock::<Array>()?
            .iter()
            .map(|d| match d.read_lock::<Reading>() {
                Some(r) => r.deadline(),
                None => rhai::serde::from_dynamic::<RawDeadline>(d).ok(),
            })
            .collect::<Option<Vec<_>>>()?,
    };
    let mut output: crate::decision::PolicyOutput = rhai::serde::from_dynamic(rest).ok()?;
    output.deadlines = raw;
    Some(output)
}

// ---- registration ----

/// What the indexers need besides the value: the script, to place an unknown key's
/// error where a map places it, and the map size limit a script's writes obey.
pub(super) struct Guard {
    source: Arc<str>,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    max_map_size: usize,
}

impl Guard {
    pub(super) fn new(source: Arc<str>, limits: &Limits) -> Arc<Guard> {
        let lines = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(Guard {
            source,
            lines,
            max_map_size: limits.max_map_size,
        })
    }

    /// Where the key is, for an indexer's call position `op`: that is the operator of
    /// the access (the `.` or `?.` of `x.name`, the `[` or `?[` of `x["name"]`), while a
    /// map names the key itself in its error (the property's name, the index
    /// expression): the first character after the operator and any spaces, on its line.
    fn key_after(&self, op: Position) -> Position {
        let (Some(line), Some(column)) = (op.line(), op.position()) else {
            return op;
        };
        let Some(&start) = self.lines.get(line.saturating_sub(1)) else {
            return op;
        };
        let mut chars = self.source[start..]
            .chars()
            .skip(column.saturating_sub(1))
            .peekable();
        let mut column = column;
        if chars.next_if_eq(&'?').is_some() {
            column += 1;
        }
        if chars.next_if(|c| *c == '.' || *c == '[').is_none() {
            return op;
        }
        column += 1;
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {
            column += 1;
        }
        u16::try_from(line)
            .ok()
            .zip(u16::try_from(column).ok())
            .map_or(op, |(l, c)| Position::new(l, c))
    }
}

fn not_found(name: &str, pos: Position) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorPropertyNotFound(name.to_owned(), pos))
}

/// Calls Rhai's own map function `name` on the map `v` stands for.
fn on_map<V: View>(
    call: &NativeCallContext,
    name: &str,
    v: &V,
    rest: impl IntoIterator<Item = Dynamic>,
) -> RhaiResult<Dynamic> {
    let mut args: Vec<Dynamic> = std::iter::once(Dynamic::from_map(deep_map(v)))
        .chain(rest)
        .collect();
    let mut refs: Vec<&mut Dynamic> = args.iter_mut().collect();
    call.call_native_fn_raw(name, true, &mut refs)
}

/// Calls Rhai's own map function `name`, which changes its map, on the map `v` became.
fn on_edited<V: View>(
    call: &NativeCallContext,
    name: &str,
    v: &mut V,
    rest: impl IntoIterator<Item = Dynamic>,
) -> RhaiResult<Dynamic> {
    let map = std::mem::take(edited(v));
    let mut args: Vec<Dynamic> = std::iter::once(Dynamic::from_map(map))
        .chain(rest)
        .collect();
    let mut refs: Vec<&mut Dynamic> = args.iter_mut().collect();
    let result = call.call_native_fn_raw(name, true, &mut refs);
    if let Some(map) = args.swap_remove(0).try_cast::<Map>() {
        *edited(v) = map;
    }
    result
}

fn other(value: Dynamic) -> Dynamic {
    let mut value = value;
    materialize(&mut value);
    value
}

fn register_view<V: View>(engine: &mut rhai::Engine, guard: &Arc<Guard>) {
    engine.register_type_with_name::<V>("map");
    for &(name, read) in V::FIELDS {
        engine.register_get(
            name,
            move |call: NativeCallContext, v: &mut V| -> RhaiResult<Dynamic> {
                match v.edits() {
                    None => Ok(read(v)),
                    Some(m) => m
                        .get(name)
                        .cloned()
                        .ok_or_else(|| not_found(name, call.call_position())),
                }
            },
        );
    }
    let g = Arc::clone(guard);
    engine.register_indexer_get(
        move |call: NativeCallContext, v: &mut V, key: &str| -> RhaiResult<Dynamic> {
            if let Some(value) = field(v, key) {
                return Ok(value);
            }
            // a map has no such key: the error a map gives, by property or by index
            Err(not_found(key, g.key_after(call.call_position())))
        },
    );
    let g = Arc::clone(guard);
    let set =
        move |call: NativeCallContext, v: &mut V, key: &str, value: Dynamic| -> RhaiResult<()> {
            let m = edited(v);
            m.insert(key.into(), value);
            if m.len() > g.max_map_size {
                return Err(Box::new(EvalAltResult::ErrorDataTooLarge(
                    "Size of object map".into(),
                    call.call_position(),
                )));
            }
            Ok(())
        };
    engine.register_indexer_set(set.clone());
    engine.register_fn("set", set);
    engine.register_fn("contains", |v: &mut V, key: &str| has_field(v, key));
    engine.register_fn("get", |v: &mut V, key: &str| {
        field(v, key).unwrap_or(Dynamic::UNIT)
    });
    for name in [
        "len",
        "is_empty",
        "keys",
        "values",
        "to_json",
        "to_string",
        "to_debug",
    ] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V| {
            on_map(&call, name, v, [])
        });
    }
    for name in ["map", "filter"] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, f: FnPtr| {
            on_map(&call, name, v, [Dynamic::from(f)])
        });
    }
    engine.register_fn("+", |call: NativeCallContext, v: &mut V, m: Map| {
        on_map(&call, "+", v, [Dynamic::from_map(m)])
    });
    for name in ["==", "!="] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, w: V| {
            on_map(&call, name, v, [Dynamic::from_map(deep_map(&w))])
        });
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, m: Map| {
            on_map(&call, name, v, [other(Dynamic::from_map(m))])
        });
        engine.register_fn(name, move |call: NativeCallContext, m: &mut Map, v: V| {
            let mut args = [
                other(Dynamic::from_map(m.clone())),
                Dynamic::from_map(deep_map(&v)),
            ];
            let mut refs: Vec<&mut Dynamic> = args.iter_mut().collect();
            call.call_native_fn_raw(name, true, &mut refs)
        });
    }
    engine.register_fn("clear", |call: NativeCallContext, v: &mut V| {
        on_edited(&call, "clear", v, [])
    });
    engine.register_fn(
        "remove",
        |call: NativeCallContext, v: &mut V, key: ImmutableString| {
            on_edited(&call, "remove", v, [Dynamic::from(key)])
        },
    );
    for name in ["mixin", "+=", "fill_with"] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, m: Map| {
            on_edited(&call, name, v, [Dynamic::from_map(m)])
        });
    }
    for name in ["drain", "retain"] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, f: FnPtr| {
            on_edited(&call, name, v, [Dynamic::from(f)])
        });
    }
    // `x.clock(…)` on any of the case's maps, as on any map
    engine.register_fn(
        "clock",
        |call: NativeCallContext,
         _: &mut V,
         metric: &str,
         calendar: ImmutableString,
         minutes: i64| { super::host_fns::clock(&call, metric, calendar, minutes) },
    );
}

/// Registers the case's views and the clock reading.
pub(super) fn register(engine: &mut rhai::Engine, guard: &Arc<Guard>) {
    register_view::<Ticket>(engine, guard);
    register_view::<Customer>(engine, guard);
    register_view::<Order>(engine, guard);
    register_view::<EventView>(engine, guard);
    register_view::<TimelineView>(engine, guard);
    register_view::<Reading>(engine, guard);
}
