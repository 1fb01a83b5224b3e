//! The registered types a script sees as maps: `ticket`, its customer, order, events
//! and timeline, and a clock reading; reading a field, the map a write turns a view
//! into, and turning views back into maps.

use std::sync::Arc;

use rhai::{Array, Dynamic, ImmutableString, Map};

use super::data::{OrderData, Root, instant, int, name, seconds, str};
use crate::case::Event as CaseEvent;
use crate::clock::{Clock, ClockStatus, Metric};
use crate::decision::RawDeadline;

/// A field of a view: its name and how to read it from the shared data.
pub(super) type Field<V> = (&'static str, fn(&V) -> Dynamic);

/// A registered type that stands for one of the contract's maps.
pub(super) trait View: Clone + Send + Sync + 'static {
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
        pub(in crate::policy::rhai) struct $name {
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
    pub(in crate::policy::rhai) fn new(root: Root) -> Ticket {
        Ticket {
            root: Arc::new(root),
            edits: None,
        }
    }
}

impl Reading {
    pub(in crate::policy::rhai) fn new(c: &Clock, calendar: ImmutableString) -> Reading {
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
    pub(super) fn deadline(&self) -> Option<RawDeadline> {
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
pub(super) fn field<V: View>(v: &V, key: &str) -> Option<Dynamic> {
    match v.edits() {
        Some(m) => m.get(key).cloned(),
        None => V::FIELDS
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, read)| read(v)),
    }
}

pub(super) fn has_field<V: View>(v: &V, key: &str) -> bool {
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
pub(super) fn deep_map<V: View>(v: &V) -> Map {
    let mut m = one_level(v);
    for value in m.values_mut() {
        materialize(value);
    }
    m
}

/// The map a script's first write turns `v` into.
pub(super) fn edited<V: View>(v: &mut V) -> &mut Map {
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
pub(in crate::policy::rhai) fn materialize(value: &mut Dynamic) {
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
