//! The standard policy's rules, kept apart from the export so that the host's tests
//! and benchmarks can compile this same file natively (`#[path]`) and run it with
//! `pacto::Policy::from_guest`.

use pacto_guest::{
    Channel, ClockStatus, Compensation, CompensationKind, Deadline, Decision, Description,
    Escalation, Fired, Kind, Metric, Policy, PolicyError, Priority, SupportCase, sla,
};

/// The standard policy, v1.
pub struct Standard;

impl Policy for Standard {
    fn decide(ticket: &SupportCase, _now: i64) -> Result<Decision, PolicyError> {
        let deadlines = sla_clocks(ticket)?;
        let hits = escalation_hits(ticket, &deadlines);
        let compensation = if ticket.customer.internal {
            Vec::new()
        } else {
            service_credit(ticket, &deadlines)?
                .into_iter()
                .chain(apology(ticket))
                .collect()
        };
        Ok(Decision {
            escalation: escalation(&hits, ticket.priority),
            deadlines,
            compensation,
            notes: vec!["standard v1".to_owned()],
        })
    }

    fn describe() -> Description {
        Description::new("standard", "1.0.0")
    }
}

// ---- when ----

fn calendar_for(priority: Priority) -> &'static str {
    if priority == Priority::Urgent {
        "24x7"
    } else {
        "business"
    }
}

fn base_response_minutes(priority: Priority) -> i64 {
    match priority {
        Priority::Low => 480,
        Priority::Normal => 240,
        Priority::High => 120,
        Priority::Urgent => 30,
    }
}

fn base_resolution_minutes(priority: Priority) -> i64 {
    match priority {
        Priority::Low => 2400,
        Priority::Normal => 1440,
        Priority::High => 960,
        Priority::Urgent => 240,
    }
}

/// Percentage of the base targets a tier gets.
fn tier_percent(tier: &str) -> i64 {
    match tier {
        "platinum" => 50,
        "gold" => 75,
        _ => 100,
    }
}

/// First (and next) response target: base, then tier, then halved on phone and chat.
fn response_target(ticket: &SupportCase) -> i64 {
    let target = base_response_minutes(ticket.priority) * tier_percent(&ticket.customer.tier) / 100;
    if matches!(ticket.channel, Channel::Phone | Channel::Chat) {
        target / 2
    } else {
        target
    }
}

fn resolution_target(ticket: &SupportCase) -> i64 {
    base_resolution_minutes(ticket.priority) * tier_percent(&ticket.customer.tier) / 100
}

/// The clocks, in order; next_response only once it has started.
fn sla_clocks(ticket: &SupportCase) -> Result<Vec<Deadline>, PolicyError> {
    let calendar = calendar_for(ticket.priority);
    Ok(sla::clocks(
        (calendar, response_target(ticket)),
        (calendar, resolution_target(ticket)),
    )?)
}

// ---- who ----

fn escalation_hits(ticket: &SupportCase, clocks: &[Deadline]) -> Vec<Fired<'static>> {
    let tier = ticket.customer.tier.as_str();
    let mut hits = Vec::new();
    // Running clocks that have used 80% or more of their target.
    for c in clocks {
        let running = matches!(c.status, ClockStatus::Pending | ClockStatus::Paused);
        if running && c.target > 0 && (c.target - c.remaining) * 10 >= c.target * 8 {
            hits.push(Fired {
                level: 1,
                team: "tier1-lead",
                reason: format!("{} at 80% of target", c.metric),
                notify: &[],
            });
        }
    }
    // Breached clocks; a platinum customer's late resolution goes to escalations.
    for c in clocks.iter().filter(|c| c.status == ClockStatus::Breached) {
        let reason = format!("{} breached by {} min", c.metric, c.breached_by);
        if tier == "platinum" && c.metric == Metric::Resolution {
            hits.push(Fired {
                level: 3,
                team: "escalations",
                reason,
                notify: &["account-manager"],
            });
        } else {
            hits.push(Fired {
                level: 2,
                team: "tier2",
                reason,
                notify: &[],
            });
        }
    }
    let reopened = ticket.timeline.reopen_count;
    if reopened >= 2 {
        hits.push(Fired {
            level: 2,
            team: "quality",
            reason: format!("reopened {reopened} times"),
            notify: &[],
        });
    }
    // A rating of 40% of the scale or less.
    if let Some(rating) = ticket.timeline.latest_satisfaction
        && i64::from(rating.score) * 5 <= 2 * i64::from(rating.scale)
    {
        let notify: &[&str] = if tier == "gold" || tier == "platinum" {
            &["account-manager"]
        } else {
            &[]
        };
        hits.push(Fired {
            level: 2,
            team: "customer-success",
            reason: format!("satisfaction {}/{}", rating.score, rating.scale),
            notify,
        });
    }
    hits
}

/// The rules' escalation (the highest level wins, see [`Escalation::of`]); at level 2
/// or more a low or normal case is also raised to high.
fn escalation(hits: &[Fired], priority: Priority) -> Option<Escalation> {
    let mut e = Escalation::of(hits)?;
    if e.level >= 2 && matches!(priority, Priority::Low | Priority::Normal) {
        e.raise_priority = Some(Priority::High);
    }
    Some(e)
}

// ---- what we owe ----

fn credit_percent(minutes_late: i64) -> i64 {
    if minutes_late < 60 {
        5
    } else if minutes_late < 240 {
        10
    } else {
        20
    }
}

/// Gold and platinum customers with an order get a share of it back when a clock
/// breached, set by the worst lateness and capped by tier.
fn service_credit(
    ticket: &SupportCase,
    clocks: &[Deadline],
) -> Result<Option<Compensation>, PolicyError> {
    let tier = ticket.customer.tier.as_str();
    let Some(order) = ticket
        .order
        .as_ref()
        .filter(|_| tier == "gold" || tier == "platinum")
    else {
        return Ok(None);
    };
    let Some(worst) = clocks
        .iter()
        .filter(|c| c.status == ClockStatus::Breached)
        .map(|c| c.breached_by)
        .max()
    else {
        return Ok(None);
    };
    let pct = credit_percent(worst);
    let cap = if tier == "platinum" { 25_000 } else { 10_000 };
    // Rhai integers are i64 with checked arithmetic; do the same.
    let value = i64::try_from(order.value).unwrap_or(i64::MAX);
    let share = value
        .checked_mul(pct)
        .ok_or_else(|| PolicyError::new(format!("{value} * {pct} overflows")))?
        / 100;
    let amount = share.min(cap);
    Ok(Some(Compensation {
        kind: CompensationKind::ServiceCredit,
        amount,
        currency: Some(order.currency.clone()),
        days: None,
        reason: format!("{pct}% credit: SLA breached by {worst} min"),
        requires_approval: amount > 5000,
    }))
}

/// Standard-tier complaints get an apology.
fn apology(ticket: &SupportCase) -> Option<Compensation> {
    (ticket.kind == Kind::Complaint && ticket.customer.tier == "standard").then(|| Compensation {
        kind: CompensationKind::Apology,
        amount: 0,
        currency: None,
        days: None,
        reason: "apology for the trouble".to_owned(),
        requires_approval: false,
    })
}
