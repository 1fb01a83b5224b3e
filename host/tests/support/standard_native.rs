//! The standard policy (`rules/standard-rhai/standard.rhai`) as native Rust: the same
//! rules, the same integer math, the same output, so both can be compared decision by
//! decision.

use pacto::case::{Case, Channel, Kind, Priority};
use pacto::decision::{
    CompensationKind, PolicyOutput, RawCompensation, RawDeadline, RawEscalation,
};
use pacto::{Clock, ClockStatus, DecideError, Metric, NativePolicy, Sla};

/// The standard policy, v1, in Rust.
pub struct StandardNative;

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

fn tier_percent(tier: &str) -> i64 {
    match tier {
        "platinum" => 50,
        "gold" => 75,
        _ => 100,
    }
}

fn response_target(case: &Case) -> i64 {
    let target = base_response_minutes(case.priority) * tier_percent(&case.customer.tier) / 100;
    if matches!(case.channel, Channel::Phone | Channel::Chat) {
        target / 2
    } else {
        target
    }
}

fn resolution_target(case: &Case) -> i64 {
    base_resolution_minutes(case.priority) * tier_percent(&case.customer.tier) / 100
}

fn raw(clock: Clock, calendar: &str) -> RawDeadline {
    RawDeadline {
        metric: clock.metric,
        calendar: calendar.to_owned(),
        target: clock.target,
        due: clock.due.map(|t| t.as_second()),
        status: clock.status,
        met_at: clock.met_at.map(|t| t.as_second()),
        breached_by: clock.breached_by,
        remaining: clock.remaining,
        paused: clock.paused,
    }
}

fn sla_clocks(case: &Case, sla: &Sla<'_>) -> Result<Vec<RawDeadline>, DecideError> {
    let calendar = calendar_for(case.priority);
    let response = response_target(case);
    let mut clocks = vec![raw(
        sla.clock("first_response", calendar, response)?,
        calendar,
    )];
    let next = sla.clock("next_response", calendar, response)?;
    if next.status != ClockStatus::Inactive {
        clocks.push(raw(next, calendar));
    }
    clocks.push(raw(
        sla.clock("resolution", calendar, resolution_target(case))?,
        calendar,
    ));
    Ok(clocks)
}

/// One escalation rule that fired.
struct Hit {
    level: i64,
    team: &'static str,
    reason: String,
    notify: &'static [&'static str],
}

fn escalation_hits(case: &Case, sla: &Sla<'_>, clocks: &[RawDeadline]) -> Vec<Hit> {
    let tier = case.customer.tier.as_str();
    let mut hits = Vec::new();
    for c in clocks {
        let running = matches!(c.status, ClockStatus::Pending | ClockStatus::Paused);
        if running && c.target > 0 && (c.target - c.remaining) * 10 >= c.target * 8 {
            hits.push(Hit {
                level: 1,
                team: "tier1-lead",
                reason: format!("{} at 80% of target", c.metric),
                notify: &[],
            });
        }
    }
    for c in clocks.iter().filter(|c| c.status == ClockStatus::Breached) {
        let reason = format!("{} breached by {} min", c.metric, c.breached_by);
        if tier == "platinum" && c.metric == Metric::Resolution {
            hits.push(Hit {
                level: 3,
                team: "escalations",
                reason,
                notify: &["account-manager"],
            });
        } else {
            hits.push(Hit {
                level: 2,
                team: "tier2",
                reason,
                notify: &[],
            });
        }
    }
    let reopened = sla.timeline.reopen_count;
    if reopened >= 2 {
        hits.push(Hit {
            level: 2,
            team: "quality",
            reason: format!("reopened {reopened} times"),
            notify: &[],
        });
    }
    if let Some(rating) = sla.timeline.latest_satisfaction
        && i64::from(rating.score) * 5 <= 2 * i64::from(rating.scale)
    {
        let notify: &[&str] = if tier == "gold" || tier == "platinum" {
            &["account-manager"]
        } else {
            &[]
        };
        hits.push(Hit {
            level: 2,
            team: "customer-success",
            reason: format!("satisfaction {}/{}", rating.score, rating.scale),
            notify,
        });
    }
    hits
}

fn escalation(hits: &[Hit], priority: Priority) -> Option<RawEscalation> {
    let first = hits.first()?;
    // The highest level; the first rule listed on ties.
    let top = hits
        .iter()
        .fold(first, |top, h| if h.level > top.level { h } else { top });
    let mut notify: Vec<String> = Vec::new();
    for who in hits.iter().flat_map(|h| h.notify) {
        if !notify.iter().any(|n| n == who) {
            notify.push((*who).to_owned());
        }
    }
    let raise = top.level >= 2 && matches!(priority, Priority::Low | Priority::Normal);
    Some(RawEscalation {
        level: top.level,
        team: Some(top.team.to_owned()),
        reason: hits
            .iter()
            .map(|h| h.reason.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        notify,
        raise_priority: raise.then_some(Priority::High),
    })
}

fn credit_percent(minutes_late: i64) -> i64 {
    if minutes_late < 60 {
        5
    } else if minutes_late < 240 {
        10
    } else {
        20
    }
}

fn service_credit(
    case: &Case,
    clocks: &[RawDeadline],
) -> Result<Option<RawCompensation>, DecideError> {
    let tier = case.customer.tier.as_str();
    let Some(order) = case
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
    let share = value.checked_mul(pct).ok_or_else(|| DecideError::Policy {
        location: None,
        message: format!("{value} * {pct} overflows"),
    })? / 100;
    let amount = share.min(cap);
    Ok(Some(RawCompensation {
        kind: CompensationKind::ServiceCredit,
        amount,
        currency: Some(order.currency.clone()),
        days: None,
        reason: format!("{pct}% credit: SLA breached by {worst} min"),
        requires_approval: amount > 5000,
    }))
}

fn apology(case: &Case) -> Option<RawCompensation> {
    (case.kind == Kind::Complaint && case.customer.tier == "standard").then(|| RawCompensation {
        kind: CompensationKind::Apology,
        amount: 0,
        currency: None,
        days: None,
        reason: "apology for the trouble".to_owned(),
        requires_approval: false,
    })
}

impl NativePolicy for StandardNative {
    fn decide(&self, case: &Case, sla: &Sla<'_>) -> Result<PolicyOutput, DecideError> {
        let deadlines = sla_clocks(case, sla)?;
        let hits = escalation_hits(case, sla, &deadlines);
        let compensation = if case.customer.internal {
            Vec::new()
        } else {
            service_credit(case, &deadlines)?
                .into_iter()
                .chain(apology(case))
                .collect()
        };
        Ok(PolicyOutput {
            escalation: escalation(&hits, case.priority),
            deadlines,
            compensation,
            notes: vec!["standard v1".to_owned()],
        })
    }
}
