//! The satisfaction-recovery policy's rules.
//!
//! Satisfaction is how the customer perceived our service against what they expected:
//! dissatisfied, satisfied or delighted. Only a **poor** latest rating (40% of its scale
//! or less: `score * 5 <= scale * 2`, so 0–2 of 5, 0–4 of 10) changes a decision: it
//! asks for a recovery contact (an agent reply) within [`RECOVERY_MINUTES`] business
//! minutes of the rating, escalates to customer success until that contact is made, and
//! apologises. A neutral or delighted rating changes nothing: the decision is exactly
//! the one the case would get without any rating.
//!
//! The recovery contact is not an SLA clock (the three metrics start at the opening or
//! at a customer message, never at a rating), so its due time is computed with
//! [`sla::add_business_minutes`] and carried in a note and in the escalation's reason.
//!
//! Kept apart from the export (`lib.rs`), as `rules/standard-wasm` does, so that native
//! code can include this file by `#[path]` and run it with `pacto::Policy::from_guest`.

use pacto_guest::{
    ClockStatus, Compensation, CompensationKind, Deadline, Decision, Description, Escalation,
    EventKind, Fired, Policy, PolicyError, Priority, Rating, SupportCase, sla,
};

/// The satisfaction-recovery policy, v1.
pub struct SatisfactionRecovery;

impl Policy for SatisfactionRecovery {
    fn decide(ticket: &SupportCase, now: i64) -> Result<Decision, PolicyError> {
        let deadlines = sla_clocks(ticket.priority)?;
        let recovery = Recovery::of(ticket, now)?;
        let mut hits = escalation_hits(ticket, &deadlines);
        let mut notes = vec!["satisfaction-recovery v1".to_owned()];
        let mut compensation = Vec::new();
        if let Some(recovery) = &recovery {
            notes.push(format!(
                "recovery contact due by {}",
                local_text(recovery.due)
            ));
            if let Some(at) = recovery.contacted_at {
                notes.push(format!("recovery contact made {}", local_text(at)));
            }
            hits.extend(recovery.hit(&ticket.customer.tier, now));
            if !ticket.customer.internal {
                compensation.push(recovery.apology());
            }
        }
        Ok(Decision {
            deadlines,
            escalation: Escalation::of(&hits),
            compensation,
            notes,
        })
    }

    fn describe() -> Description {
        Description::new("satisfaction-recovery", "1.0.0")
    }
}

/// The care desk's calendar (Madrid business hours).
const CALENDAR: &str = "business";

/// Business minutes from a poor rating to the recovery contact.
const RECOVERY_MINUTES: i64 = 240;

// ---- when ----

/// First and next response target, in business minutes.
fn response_minutes(priority: Priority) -> i64 {
    match priority {
        Priority::Low => 480,
        Priority::Normal => 240,
        Priority::High => 120,
        Priority::Urgent => 60,
    }
}

/// Resolution target, in business minutes.
fn resolution_minutes(priority: Priority) -> i64 {
    match priority {
        Priority::Low => 2400,
        Priority::Normal => 1440,
        Priority::High => 960,
        Priority::Urgent => 480,
    }
}

/// The clocks, in order: first response, next response (once started), resolution.
fn sla_clocks(priority: Priority) -> Result<Vec<Deadline>, PolicyError> {
    Ok(sla::clocks(
        (CALENDAR, response_minutes(priority)),
        (CALENDAR, resolution_minutes(priority)),
    )?)
}

// ---- satisfaction ----

/// Whether a rating is poor: 40% of its scale or less, in integer math.
fn is_poor(rating: Rating) -> bool {
    u64::from(rating.score) * 5 <= u64::from(rating.scale) * 2
}

/// The recovery a poor latest rating calls for.
struct Recovery {
    rating: Rating,
    /// When the recovery contact is due: [`RECOVERY_MINUTES`] after the rating.
    due: i64,
    /// The first agent reply after the rating, up to `now`.
    contacted_at: Option<i64>,
}

impl Recovery {
    /// The recovery owed on `ticket` at `now`: `None` unless its latest rating up to
    /// `now` is poor.
    fn of(ticket: &SupportCase, now: i64) -> Result<Option<Self>, PolicyError> {
        // Events are sorted by time; those after `now` have not happened yet.
        let seen = || ticket.events.iter().take_while(|e| e.at <= now);
        let Some((rated_at, rating)) = seen()
            .filter_map(|e| match e.kind {
                EventKind::Satisfaction(rating) => Some((e.at, rating)),
                _ => None,
            })
            .last()
        else {
            return Ok(None);
        };
        if !is_poor(rating) {
            return Ok(None);
        }
        let due = sla::add_business_minutes(CALENDAR, rated_at, RECOVERY_MINUTES)?;
        let contacted_at = seen()
            .find(|e| e.at > rated_at && e.kind == EventKind::AgentReply)
            .map(|e| e.at);
        Ok(Some(Self {
            rating,
            due,
            contacted_at,
        }))
    }

    /// The escalation while no recovery contact has been made: level 2 to customer
    /// success, level 3 with the support manager once the contact is overdue; the
    /// account manager hears of gold and platinum customers.
    fn hit(&self, tier: &str, now: i64) -> Option<Fired<'static>> {
        if self.contacted_at.is_some() {
            return None;
        }
        let overdue = now > self.due;
        let valued = matches!(tier, "gold" | "platinum");
        let notify: &'static [&'static str] = match (valued, overdue) {
            (true, true) => &["account-manager", "support-manager"],
            (true, false) => &["account-manager"],
            (false, true) => &["support-manager"],
            (false, false) => &[],
        };
        let rating = format!("satisfaction {}/{}", self.rating.score, self.rating.scale);
        let due = local_text(self.due);
        Some(if overdue {
            Fired {
                level: 3,
                team: "customer-success",
                reason: format!("{rating}: recovery contact overdue since {due}"),
                notify,
            }
        } else {
            Fired {
                level: 2,
                team: "customer-success",
                reason: format!("{rating}: recovery contact due by {due}"),
                notify,
            }
        })
    }

    /// An apology (no amount) for the poor rating.
    fn apology(&self) -> Compensation {
        Compensation {
            kind: CompensationKind::Apology,
            amount: 0,
            currency: None,
            days: None,
            reason: format!(
                "apology for a poor rating ({}/{})",
                self.rating.score, self.rating.scale
            ),
            requires_approval: false,
        }
    }
}

// ---- who ----

/// The breach and reopening rules that fire, in the README's order (the poor-rating
/// rule comes last, from [`Recovery::hit`]).
fn escalation_hits(ticket: &SupportCase, clocks: &[Deadline]) -> Vec<Fired<'static>> {
    let mut hits: Vec<Fired<'static>> = clocks
        .iter()
        .filter(|c| c.status == ClockStatus::Breached)
        .map(|c| Fired {
            level: 2,
            team: "tier2",
            reason: format!("{} breached by {} min", c.metric, c.breached_by),
            notify: &[],
        })
        .collect();
    match ticket.timeline.reopen_count {
        0 => {}
        1 => hits.push(Fired {
            level: 1,
            team: "team-lead",
            reason: "reopened once".to_owned(),
            notify: &[],
        }),
        2 => hits.push(Fired {
            level: 2,
            team: "quality",
            reason: "reopened 2 times".to_owned(),
            notify: &[],
        }),
        n => hits.push(Fired {
            level: 3,
            team: "quality",
            reason: format!("reopened {n} times"),
            notify: &["support-manager"],
        }),
    }
    hits
}

// ---- time as text ----

/// The calendar's zone, compiled in from jiff's copy of the tz database: times in notes
/// and reasons are written with its offset, as the host writes every output timestamp.
static MADRID: jiff::tz::TimeZone = jiff::tz::get!("Europe/Madrid");

/// Unix second `at` as RFC 3339 text in Madrid's offset (`2026-03-06T16:00:00+01:00`).
/// The host hands a policy only instants inside jiff's range; the bare number otherwise.
fn local_text(at: i64) -> String {
    jiff::Timestamp::from_second(at).map_or_else(
        |_| at.to_string(),
        |t| t.display_with_offset(MADRID.to_offset(t)).to_string(),
    )
}
