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
//!
//! [`data`] holds what one decision's views share, [`views`] the views themselves,
//! [`output`] reads a script's decision back, [`registration`] teaches Rhai the views.

mod data;
mod output;
mod registration;
mod views;

pub(super) use data::Root;
pub(super) use output::fast_output;
pub(super) use registration::{Guard, register};
pub(super) use views::{Reading, Ticket, materialize};

type RhaiResult<T> = Result<T, Box<rhai::EvalAltResult>>;

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
