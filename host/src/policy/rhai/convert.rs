//! Case, timeline and clocks as Rhai maps: JSON names, instants as Unix seconds. The
//! surface scripts had before the case's views (`view`), kept as the reference the views
//! are tested against (`tests`): a view must read as exactly this map.

use jiff::Timestamp;
use rhai::{Array, Dynamic, Map};

use crate::case::{Case, CaseError, Event};
use crate::clock::Clock;
use crate::timeline::Timeline;

fn instant(t: Option<Timestamp>) -> Dynamic {
    t.map_or(Dynamic::UNIT, |t| Dynamic::from_int(t.as_second()))
}

fn int(n: impl Into<i64>) -> Dynamic {
    Dynamic::from_int(n.into())
}

fn string(s: &str) -> Dynamic {
    Dynamic::from(s.to_owned())
}

/// `n` as a Rhai integer, or the error that names `path`: nothing is clamped.
fn exact(n: u64, path: &str) -> Result<Dynamic, CaseError> {
    i64::try_from(n)
        .map(Dynamic::from_int)
        .map_err(|_| CaseError {
            path: path.into(),
            line: 0,
            column: 0,
            message: format!(
                "`{n}` is beyond what a policy can carry exactly (at most {})",
                i64::MAX
            ),
        })
}

/// The case as the `ticket` map, with `ticket.timeline`. A value Rhai cannot carry
/// exactly (only a `Case` built in Rust can hold one) is an error naming its path.
pub(super) fn ticket(case: &Case, timeline: &Timeline) -> Result<Map, CaseError> {
    let mut m = Map::new();
    m.insert("id".into(), string(&case.id));
    m.insert("opened_at".into(), int(case.opened_at.as_second()));
    m.insert("priority".into(), string(case.priority.as_str()));
    m.insert("channel".into(), string(case.channel.as_str()));
    m.insert("kind".into(), string(case.kind.as_str()));
    m.insert(
        "category".into(),
        case.category.as_deref().map_or(Dynamic::UNIT, string),
    );

    let c = &case.customer;
    let mut customer = Map::new();
    customer.insert("id".into(), string(&c.id));
    customer.insert("tier".into(), string(&c.tier));
    customer.insert("internal".into(), Dynamic::from_bool(c.internal));
    customer.insert(
        "lifetime_value".into(),
        exact(c.lifetime_value, "customer.lifetime_value")?,
    );
    customer.insert("breaches_90d".into(), int(c.breaches_90d));
    customer.insert("credits_90d".into(), int(c.credits_90d));
    m.insert("customer".into(), customer.into());

    let order = match &case.order {
        None => Dynamic::UNIT,
        Some(o) => {
            let mut order = Map::new();
            order.insert("value".into(), exact(o.value, "order.value")?);
            order.insert("currency".into(), string(&o.currency));
            let warranty = o
                .warranty_until
                .map_or(Dynamic::UNIT, |d| Dynamic::from(d.to_string()));
            order.insert("warranty_until".into(), warranty);
            order.into()
        }
    };
    m.insert("order".into(), order);

    let events: Array = case.events_by_time().iter().map(event).collect();
    m.insert("events".into(), events.into());
    let tags: Array = case.tags.iter().map(|t| string(t)).collect();
    m.insert("tags".into(), tags.into());
    let mut attributes = Map::new();
    for (k, v) in &case.attributes {
        let value = rhai::serde::to_dynamic(v).map_err(|e| CaseError {
            path: format!("attributes.{k}"),
            line: 0,
            column: 0,
            message: format!("a policy cannot carry this value: {e}"),
        })?;
        attributes.insert(k.as_str().into(), value);
    }
    m.insert("attributes".into(), attributes.into());
    m.insert("timeline".into(), self::timeline(timeline).into());
    Ok(m)
}

/// An event: `at`, `type`, and `status`, `score`, `scale` on every event, `()` where
/// its type has none (reading a field a map lacks is an error).
fn event(e: &Event) -> Dynamic {
    let mut m = Map::new();
    m.insert("at".into(), int(e.at().as_second()));
    m.insert("type".into(), string(e.type_name()));
    let (status, score, scale) = match *e {
        Event::Status { status, .. } => (string(status.as_str()), Dynamic::UNIT, Dynamic::UNIT),
        Event::Satisfaction { score, scale, .. } => (Dynamic::UNIT, int(score), int(scale)),
        _ => (Dynamic::UNIT, Dynamic::UNIT, Dynamic::UNIT),
    };
    m.insert("status".into(), status);
    m.insert("score".into(), score);
    m.insert("scale".into(), scale);
    m.into()
}

fn timeline(t: &Timeline) -> Map {
    let mut m = Map::new();
    m.insert("first_response_at".into(), instant(t.first_response_at));
    m.insert("last_agent_reply_at".into(), instant(t.last_agent_reply_at));
    m.insert(
        "awaiting_reply_since".into(),
        instant(t.awaiting_reply_since),
    );
    m.insert("solved_at".into(), instant(t.solved_at));
    m.insert("reopen_count".into(), int(t.reopen_count));
    m.insert("status".into(), string(t.status.as_str()));
    let paused: Array = t
        .paused
        .iter()
        .map(|p| {
            Dynamic::from_array(vec![
                instant(Some(p.interval.start)),
                instant(p.interval.end),
            ])
        })
        .collect();
    m.insert("paused".into(), paused.into());
    let sat = t.latest_satisfaction.map_or(Dynamic::UNIT, |s| {
        let mut sat = Map::new();
        sat.insert("score".into(), int(s.score));
        sat.insert("scale".into(), int(s.scale));
        sat.into()
    });
    m.insert("latest_satisfaction".into(), sat);
    m
}

/// A clock as the map `ticket.clock(…)` returns.
pub(super) fn clock(c: &Clock, calendar: &str) -> Map {
    let mut m = Map::new();
    m.insert("metric".into(), string(c.metric.as_str()));
    m.insert("calendar".into(), string(calendar));
    m.insert("target".into(), int(c.target));
    m.insert("due".into(), instant(c.due));
    m.insert("status".into(), string(c.status.as_str()));
    m.insert("met_at".into(), instant(c.met_at));
    m.insert("breached_by".into(), int(c.breached_by));
    m.insert("remaining".into(), int(c.remaining));
    m.insert("paused".into(), Dynamic::from_bool(c.paused));
    m
}
