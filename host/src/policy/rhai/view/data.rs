//! The data of one decision that every view of it shares (one `Arc<Root>`), and the
//! interned names and small conversions the views read values with.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use rhai::{Array, Dynamic, ImmutableString, Map};

use crate::bundle::Limits;
use crate::case::{Case, CaseError, Event as CaseEvent};
use crate::policy::{DecideError, LimitExceeded};
use crate::timeline::Timeline;

/// What a script can read of the case, converted once per decision: strings a script
/// reads as Rhai strings (shared, so a read copies a pointer), integers checked to fit.
pub(in crate::policy::rhai) struct Root {
    pub(super) id: ImmutableString,
    pub(super) opened_at: i64,
    pub(super) priority: ImmutableString,
    pub(super) channel: ImmutableString,
    pub(super) kind: ImmutableString,
    pub(super) category: Dynamic,
    pub(super) customer_id: ImmutableString,
    pub(super) tier: ImmutableString,
    pub(super) internal: bool,
    pub(super) lifetime_value: i64,
    pub(super) breaches_90d: i64,
    pub(super) credits_90d: i64,
    pub(super) order: Option<OrderData>,
    /// Sorted by time, stably, as every policy sees them.
    pub(super) events: Vec<CaseEvent>,
    pub(super) tags: Array,
    pub(super) attributes: Map,
    pub(super) timeline: Arc<Timeline>,
}

pub(super) struct OrderData {
    pub(super) value: i64,
    pub(super) currency: ImmutableString,
    pub(super) warranty_until: Option<jiff::civil::Date>,
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
    pub(in crate::policy::rhai) fn new(
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

pub(super) fn name(text: &'static str) -> ImmutableString {
    NAMES
        .get(text)
        .cloned()
        .unwrap_or_else(|| ImmutableString::from(text))
}

pub(super) fn str(s: &ImmutableString) -> Dynamic {
    Dynamic::from(s.clone())
}

pub(super) fn int(n: impl Into<i64>) -> Dynamic {
    Dynamic::from_int(n.into())
}

pub(super) fn instant(t: Option<jiff::Timestamp>) -> Dynamic {
    t.map_or(Dynamic::UNIT, |t| Dynamic::from_int(t.as_second()))
}

pub(super) fn seconds(t: Option<i64>) -> Dynamic {
    t.map_or(Dynamic::UNIT, Dynamic::from_int)
}
