//! The case's views (`view`) against the map-based surface they replace (`convert`,
//! kept for these tests only): the same maps field by field, and the same answers, types
//! and errors for what a script does with them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;

use rhai::{CallFnOptions, Dynamic, Scope};
use serde_json::json;

use super::{RhaiBackend, convert, view};
use crate::bundle::Bundle;
use crate::case::Case;
use crate::clock::{Clock, ClockStatus, Metric};
use crate::policy::Context;
use crate::timeline::Timeline;

fn full_case() -> serde_json::Value {
    json!({
        "id": "C-1001", "opened_at": "2026-03-02T10:15:00+01:00", "priority": "high",
        "channel": "email", "kind": "complaint", "category": "billing",
        "customer": {"id": "K-77", "tier": "gold", "internal": false,
                     "lifetime_value": 125000, "breaches_90d": 1, "credits_90d": 3},
        "order": {"value": 49900, "currency": "EUR", "warranty_until": "2027-01-01"},
        "events": [
            {"at": "2026-03-02T10:15:00+01:00", "type": "customer_message"},
            {"at": "2026-03-02T11:02:00+01:00", "type": "agent_reply"},
            {"at": "2026-03-02T11:02:00+01:00", "type": "status", "status": "pending"},
            {"at": "2026-03-03T09:30:00+01:00", "type": "customer_message"},
            {"at": "2026-03-03T09:30:00+01:00", "type": "status", "status": "open"},
            {"at": "2026-03-03T09:40:00+01:00", "type": "internal_note"},
            {"at": "2026-03-04T16:00:00+01:00", "type": "status", "status": "solved"},
            {"at": "2026-03-05T08:00:00+01:00", "type": "reopened"},
            {"at": "2026-03-05T09:00:00+01:00", "type": "status", "status": "on_hold"},
            {"at": "2026-03-06T12:00:00+01:00", "type": "satisfaction", "score": 2, "scale": 5}
        ],
        "tags": ["outage", "vip"],
        "attributes": {"region": "es", "ratio": 0.25, "count": -3, "flag": true, "none": null,
                       "nested": {"list": [1, "two", 3.5, [4], {"five": 5}], "empty": {}}}
    })
}

/// The fewest fields a case can have, its events out of order.
fn sparse_case() -> serde_json::Value {
    json!({
        "id": "T-1", "opened_at": "2026-03-02T10:00:00Z", "priority": "urgent",
        "channel": "chat", "kind": "question", "customer": {"id": "K", "tier": "standard"},
        "events": [{"at": "2026-03-02T10:05:00Z", "type": "status", "status": "pending"},
                   {"at": "2026-03-02T10:00:00Z", "type": "customer_message"}]
    })
}

/// An order without a warranty, an internal customer, no events at all.
fn odd_case() -> serde_json::Value {
    json!({
        "id": "O-1", "opened_at": "2026-03-02T10:00:00+05:30", "priority": "low",
        "channel": "in_person", "kind": "compliment",
        "customer": {"id": "K-9", "tier": "platinum", "internal": true,
                     "lifetime_value": 9223372036854775807_u64},
        "order": {"value": 0, "currency": "JPY"}, "events": [], "tags": [],
        "attributes": {}
    })
}

fn cases() -> Vec<(Case, jiff::Timestamp)> {
    let mut all = Vec::new();
    for value in [full_case(), sparse_case(), odd_case()] {
        let case = Case::from_value(value).unwrap();
        for now in [
            "2026-03-02T10:30:00Z",
            "2026-03-04T00:00:00Z",
            "2026-03-10T00:00:00Z",
        ] {
            all.push((case.clone(), now.parse().unwrap()));
        }
    }
    all
}

fn root(case: &Case, timeline: &Arc<Timeline>) -> view::Root {
    view::Root::new(
        case,
        Arc::clone(timeline),
        &crate::bundle::Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The value as a script would have had it from the map-based surface.
fn deep(value: Dynamic) -> String {
    let mut value = value;
    view::materialize(&mut value);
    format!("{value:?}")
}

#[test]
fn the_ticket_view_is_the_ticket_map_field_by_field() {
    for (case, now) in cases() {
        let timeline = Arc::new(Timeline::derive(&case, now));
        let map = convert::ticket(&case, &timeline).unwrap();
        let view = Dynamic::from(view::Ticket::new(root(&case, &timeline)));
        assert_eq!(
            deep(view),
            deep(Dynamic::from_map(map)),
            "{} at {now}",
            case.id
        );
    }
}

#[test]
fn a_clock_reading_is_the_clock_map_field_by_field() {
    let at = |s: &str| Some(s.parse::<jiff::Timestamp>().unwrap());
    let base = Clock {
        metric: Metric::FirstResponse,
        target: 240,
        due: at("2026-03-02T14:15:00Z"),
        status: ClockStatus::Met,
        met_at: at("2026-03-02T11:02:00Z"),
        breached_by: 0,
        remaining: 0,
        paused: false,
        started_at: at("2026-03-02T10:15:00Z"),
        stopped_at: at("2026-03-02T11:02:00Z"),
        consumed_seconds: 2820,
    };
    let clocks = [
        base.clone(),
        Clock {
            metric: Metric::NextResponse,
            status: ClockStatus::Inactive,
            due: None,
            met_at: None,
            ..base.clone()
        },
        Clock {
            metric: Metric::Resolution,
            status: ClockStatus::Breached,
            met_at: None,
            breached_by: 17,
            paused: true,
            ..base.clone()
        },
        Clock {
            status: ClockStatus::Paused,
            met_at: None,
            remaining: 12,
            paused: true,
            ..base.clone()
        },
        Clock {
            status: ClockStatus::Pending,
            met_at: None,
            remaining: 100,
            ..base
        },
    ];
    for c in clocks {
        let reading = Dynamic::from(view::Reading::new(&c, "24x7".into()));
        let map = Dynamic::from_map(convert::clock(&c, "24x7"));
        assert_eq!(deep(reading), deep(map), "{c:?}");
    }
}

/// What a script does with the case, each line one expression over `ticket`.
const PROBES: &[&str] = &[
    // every field, its type and value
    "[type_of(ticket), ticket]",
    "[type_of(ticket.id), ticket.id]",
    "[type_of(ticket.opened_at), ticket.opened_at]",
    "[ticket.priority, ticket.channel, ticket.kind]",
    "[type_of(ticket.category), ticket.category]",
    "[type_of(ticket.customer), ticket.customer]",
    "[ticket.customer.id, ticket.customer.tier, ticket.customer.internal]",
    "[ticket.customer.lifetime_value, ticket.customer.breaches_90d, ticket.customer.credits_90d]",
    "[type_of(ticket.order), ticket.order]",
    "if ticket.order != () { [ticket.order.value, ticket.order.currency, ticket.order.warranty_until, type_of(ticket.order.warranty_until)] }",
    "[type_of(ticket.events), ticket.events.len(), ticket.events]",
    "ticket.events.map(|e| [e.at, e.type, e.status, e.score, e.scale, type_of(e.score)])",
    "[type_of(ticket.tags), ticket.tags]",
    "[type_of(ticket.attributes), ticket.attributes]",
    "if \"region\" in ticket.attributes { [ticket.attributes.region, ticket.attributes.nested.list[1], type_of(ticket.attributes.ratio)] }",
    "[type_of(ticket.timeline), ticket.timeline]",
    "let t = ticket.timeline; [t.first_response_at, t.last_agent_reply_at, t.awaiting_reply_since, t.solved_at, t.reopen_count, t.status]",
    "let t = ticket.timeline; [t.paused, t.latest_satisfaction, type_of(t.latest_satisfaction)]",
    "let s = ticket.timeline.latest_satisfaction; if s != () { [s.score, s.scale] }",
    // `in`, indexing, probing
    "[\"order\" in ticket, \"category\" in ticket, \"priorty\" in ticket, \"timeline\" in ticket]",
    "[\"tier\" in ticket.customer, \"tire\" in ticket.customer, \"status\" in ticket.timeline]",
    "[ticket[\"priority\"], ticket.customer[\"tier\"], ticket[\"order\"], ticket.events[0][\"type\"]]",
    "[ticket[\"priority\"], ticket[ \"priorty\"], ticket.customer[\"tier\"]]",
    "ticket?[\"priorty\"]",
    "ticket.timeline[\"reopens\"]",
    "let k = \"kind\"; [ticket[k], ticket.timeline[\"reopen_count\"], ticket?.order?.value, ticket.order ?? \"none\"]",
    "ticket.events.map(|e| [e[\"type\"], \"status\" in e, \"nope\" in e])",
    "ticket.events.map(|e| e[\"nope\"])",
    "[ticket.get(\"priority\"), ticket.get(\"nope\"), ticket.customer.get(\"tier\")]",
    // comparisons
    "[ticket == (), ticket != (), ticket.order == (), ticket.order != (), () == ticket.customer]",
    "[ticket.customer == ticket.customer, ticket.customer != ticket.customer, ticket.timeline == ticket.timeline]",
    "[ticket.customer == ticket.order, ticket.customer != ticket.order, ticket == ticket.customer]",
    "[ticket.customer == #{}, #{} == ticket.customer, ticket.customer != #{}]",
    "let c = ticket.customer; [c == #{ id: c.id, tier: c.tier, internal: c.internal, lifetime_value: c.lifetime_value, breaches_90d: c.breaches_90d, credits_90d: c.credits_90d }]",
    "[ticket.events.contains(if ticket.events.len() > 0 { ticket.events[0] } else { 1 }), ticket.customer == 1]",
    // printing and map functions
    "`${ticket.customer} ${ticket.order} ${ticket.timeline}`",
    "ticket.to_string()",
    "ticket.to_debug()",
    "[ticket.to_json(), ticket.customer.to_json(), ticket.timeline.to_json()]",
    "[ticket.keys(), ticket.len(), ticket.is_empty(), ticket.customer.values()]",
    "ticket.customer.map(|k, v| `${k}=${v}`)",
    "ticket.timeline.filter(|k, v| v == ())",
    "ticket.customer + #{ extra: 1 }",
    // writes stay the writer's
    "let t = ticket; t.customer.tier = \"changed\"; t.priority = \"p\"; t.extra = 1; [t.customer.tier, t.priority, t.extra, ticket.customer.tier, ticket.priority, \"extra\" in t, \"extra\" in ticket, t.len()]",
    "let t = ticket; t.customer.breaches_90d += 2; t.timeline.reopen_count -= 1; [t.customer.breaches_90d, ticket.customer.breaches_90d, t.timeline.reopen_count, t.customer]",
    "let c = ticket.customer; c[\"tier\"] = 5; c.set(\"id\", ()); [c.tier, c.id, c]",
    "let c = ticket.customer; c.remove(\"tier\"); [c.keys(), \"tier\" in c, ticket.customer.tier]",
    "let c = ticket.customer; c.mixin(#{ a: 1 }); c += #{ b: 2 }; c.fill_with(#{ a: 3, d: 4 }); c",
    "let c = ticket.timeline; c.clear(); [c, c.len(), ticket.timeline.len()]",
    "let c = ticket.customer; let gone = c.drain(|k, v| k == \"tier\"); c.retain(|k, v| k != \"id\"); [gone, c]",
    "let e = ticket.events; if e.len() > 0 { e[0].type = \"x\"; e[0].added = 1; [e[0], ticket.events[0]] }",
    "fn_write(ticket); ticket.customer.tier",
    "let a = ticket.customer; let b = a; b.tier = \"b\"; [a.tier, b.tier]",
    // passed on, as `this`
    "[helper(ticket), ticket.method(), ticket.customer.method_tier()]",
    // the clock from any of the case's maps
    "[ticket.clock(\"first_response\", \"support\", 60), clock(ticket, \"resolution\", \"support\", 60)]",
    "let c = ticket.clock(\"first_response\", \"support\", 60); [type_of(c), c.metric, c.status, c.due, c.met_at, c.target, c.remaining, c.breached_by, c.paused, c.calendar, \"due\" in c, c[\"due\"]]",
    "ticket.clock(\"first_response\", \"support\", 60)[\"nope\"]",
    "let c = ticket.clock(\"resolution\", \"support\", 0); c.target = 5; c.extra = 1; [c, `${c}`]",
    "ticket.customer.clock(\"first_response\", \"support\", 60).metric",
    "#{}.clock(\"first_response\", \"support\", 60).status",
    // errors: a field outside the contract, by property, wherever it is
    "ticket.priorty",
    "ticket.customer.teir",
    "ticket.timeline.reopens",
    "ticket.clock(\"first_response\", \"support\", 60).breached",
    "ticket  .  tier",
    "ticket.events.map(|e| e.typ)",
    "ticket.timeline.latest_satisfaction.scor",
    "ticket.order.valu",
    "let t = ticket; t.extra = 1; t.extr",
    "ticket?.priorty",
    // errors: what a map does not do
    "throw ticket.customer",
    "throw [ticket.order, ticket.clock(\"first_response\", \"support\", 60)]",
    "ticket.nothing()",
    "ticket + 1",
    "ticket.customer.tier.nothing",
    "ticket.category.len()",
    "ticket.clock(\"lunch\", \"support\", 60)",
    "ticket.clock(\"first_response\", \"night-shift\", 60)",
];

const HELPERS: &str = "
fn helper(t) { [t.priority, t.customer.tier] }
fn method() { [this.priority, this.order] }
fn method_tier() { this.tier }
fn fn_write(t) { t.customer.tier = \"inside\"; }
";

fn script() -> String {
    let mut script = String::from("fn decide(ticket, now) { #{} }\n");
    script.push_str(HELPERS);
    for (i, probe) in PROBES.iter().enumerate() {
        script.push_str(&format!("fn probe_{i}(ticket) {{\n    {probe}\n}}\n"));
    }
    script
}

fn backend() -> (RhaiBackend, Arc<BTreeMap<String, crate::Calendar>>) {
    let script = script();
    let bundle = Bundle::from_files([
        (
            "policy.toml",
            "name = \"probe\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n\
             [calendars]\nsupport = \"support.toml\"\n",
        ),
        ("p.rhai", script.as_str()),
        (
            "support.toml",
            "timezone = \"Europe/Madrid\"\nmon = [\"09:00-18:00\"]\ntue = [\"09:00-18:00\"]\n\
             wed = [\"09:00-18:00\"]\nthu = [\"09:00-18:00\"]\nfri = [\"09:00-15:00\"]\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let calendars = Arc::new(bundle.calendars.clone());
    (RhaiBackend::compile(&bundle).unwrap(), calendars)
}

impl RhaiBackend {
    /// Calls `probe_{i}` with `ticket` as the decision of `ctx` would.
    fn probe(&self, pooled: &super::Pooled, i: usize, ticket: Dynamic, ctx: &Context) -> String {
        let options = CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true)
            .with_tag(ctx.clone());
        let result = pooled.engine.call_fn_with_options::<Dynamic>(
            options,
            &mut Scope::new(),
            &pooled.ast,
            format!("probe_{i}"),
            (ticket,),
        );
        match result {
            Ok(value) => deep(value),
            Err(e) => {
                let e = self.error(&e);
                format!("error ({}): {e}", e.kind())
            }
        }
    }
}

#[test]
fn a_script_does_the_same_with_the_views_as_with_the_maps() {
    let (backend, calendars) = backend();
    let pooled = super::engine(&backend.limits, &backend.guard, &backend.source).unwrap();
    for (case, now) in cases() {
        let timeline = Arc::new(Timeline::derive(&case, now));
        let ctx = Context::new(
            Arc::clone(&calendars),
            Arc::clone(&timeline),
            case.opened_at,
            now,
        );
        for (i, probe) in PROBES.iter().enumerate() {
            let map = Dynamic::from_map(convert::ticket(&case, &timeline).unwrap());
            let view = Dynamic::from(view::Ticket::new(root(&case, &timeline)));
            let old = backend.probe(&pooled, i, map, &ctx);
            let new = backend.probe(&pooled, i, view, &ctx);
            assert_eq!(new, old, "`{probe}` on {} at {now}", case.id);
        }
    }
}

#[test]
fn a_typo_is_an_error_at_the_property_or_the_index() {
    let (backend, calendars) = backend();
    let pooled = super::engine(&backend.limits, &backend.guard, &backend.source).unwrap();
    let (case, now) = cases().remove(0);
    let timeline = Arc::new(Timeline::derive(&case, now));
    let ctx = Context::new(calendars, Arc::clone(&timeline), case.opened_at, now);
    let probe = |text: &str| {
        let i = PROBES.iter().position(|p| *p == text).unwrap();
        let ticket = Dynamic::from(view::Ticket::new(root(&case, &timeline)));
        backend.probe(&pooled, i, ticket, &ctx)
    };
    let script = script();
    let line = |text: &str| {
        1 + script
            .lines()
            .position(|l| l == format!("    {text}"))
            .unwrap()
    };
    assert_eq!(
        probe("ticket.priorty"),
        format!(
            "error (policy): p.rhai:{}:12: policy failed: unknown field `priorty`; did you mean \
             `priority`?",
            line("ticket.priorty")
        )
    );
    assert_eq!(
        probe("ticket  .  tier"),
        format!(
            "error (policy): p.rhai:{}:16: policy failed: unknown field `tier`; did you mean \
             `tier`?",
            line("ticket  .  tier")
        )
    );
    let text = "[ticket[\"priority\"], ticket[ \"priorty\"], ticket.customer[\"tier\"]]";
    assert_eq!(
        probe(text),
        format!(
            "error (policy): p.rhai:{}:34: policy failed: unknown field `priorty`; did you mean \
             `priority`?",
            line(text)
        )
    );
}

#[test]
fn a_string_beyond_max_string_size_is_the_limit_before_the_script_runs() {
    let mut value = full_case();
    value["attributes"]["nested"]["list"][1] = json!("x".repeat(100));
    let case = Case::from_value(value).unwrap();
    let timeline = Arc::new(Timeline::derive(&case, case.opened_at));
    let limits = crate::bundle::Limits {
        max_string_size: 99,
        ..Default::default()
    };
    let e = view::Root::new(&case, timeline, &limits).err().unwrap();
    assert!(
        matches!(
            e,
            crate::DecideError::Limit(crate::LimitExceeded::StringSize(99))
        ),
        "{e:?}"
    );
}
