//! The warranty policy's rules: post-sale support (repairs and warranty claims).
//!
//! A case is covered, in this order of precedence, by
//! 1. a known paid service plan (`attributes.service_plan` = `"care-plus"` or
//!    `"care-basic"`, on a case with an order),
//! 2. the warranty (`order.warranty_until` on or after the date, in Madrid, on which the
//!    case was opened),
//! 3. nothing: best effort, where the resolution clock measures the time to a quote.
//!
//! The coverage sets the targets and who hears about a late case. Whatever the
//! coverage, a product under warranty whose repair is late earns a warranty extension;
//! a paid plan that ran late earns an apology. No rule pays money.
//!
//! Kept apart from the export (`lib.rs`), as `rules/standard-wasm` does, so that native
//! code can include this file by `#[path]` and run it with `pacto::Policy::from_guest`.

use pacto_guest::{
    Attribute, ClockStatus, Compensation, CompensationKind, Deadline, Decision, Description,
    Escalation, Fired, Metric, Policy, PolicyError, SupportCase, sla,
};

/// The warranty policy, v1.
pub struct Warranty;

impl Policy for Warranty {
    fn decide(ticket: &SupportCase, _now: i64) -> Result<Decision, PolicyError> {
        let cover = Cover::of(ticket)?;
        let deadlines = sla_clocks(cover.coverage)?;
        let hits = escalation_hits(cover.coverage, &deadlines);
        let compensation = if ticket.customer.internal {
            Vec::new()
        } else {
            warranty_extension(&cover, &deadlines)
                .into_iter()
                .chain(plan_apology(cover.coverage, &deadlines))
                .collect()
        };
        let mut notes = vec!["warranty v1".to_owned()];
        notes.extend(cover.notes);
        Ok(Decision {
            deadlines,
            escalation: Escalation::of(&hits),
            compensation,
            notes,
        })
    }

    fn describe() -> Description {
        Description::new("warranty", "1.0.0")
    }
}

/// The workshop's calendar (Madrid, Monday to Friday, 480 business minutes a day).
const WORKSHOP: &str = "workshop";

/// The round-the-clock calendar of the care-plus hotline.
const HOTLINE: &str = "24x7";

/// The attribute that names a paid service plan.
const PLAN_ATTRIBUTE: &str = "service_plan";

// ---- coverage ----

/// What covers the product a case is about; it sets the targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coverage {
    /// The premium paid plan: a 24x7 hotline and a fast repair.
    CarePlus,
    /// The basic paid plan: faster than the warranty, in workshop hours.
    CareBasic,
    /// The warranty, no plan: a free repair in five workshop days.
    Warranty,
    /// No plan and no warranty (or no order): best effort, a quote in three days.
    BestEffort,
}

/// A paid service plan this policy knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    /// `care-plus`, the premium plan.
    CarePlus,
    /// `care-basic`, the basic plan.
    CareBasic,
}

impl Plan {
    /// The plan an `attributes.service_plan` names, if it is one this policy knows
    /// (names are compared exactly).
    fn named(name: &str) -> Option<Self> {
        match name {
            "care-plus" => Some(Self::CarePlus),
            "care-basic" => Some(Self::CareBasic),
            _ => None,
        }
    }

    /// The plan's name, as in `attributes.service_plan`.
    fn name(self) -> &'static str {
        match self {
            Self::CarePlus => "care-plus",
            Self::CareBasic => "care-basic",
        }
    }

    /// The coverage the plan gives.
    fn coverage(self) -> Coverage {
        match self {
            Self::CarePlus => Coverage::CarePlus,
            Self::CareBasic => Coverage::CareBasic,
        }
    }
}

impl Coverage {
    /// The paid plan behind this coverage, or `None` when the customer pays for none.
    fn plan(self) -> Option<Plan> {
        match self {
            Self::CarePlus => Some(Plan::CarePlus),
            Self::CareBasic => Some(Plan::CareBasic),
            Self::Warranty | Self::BestEffort => None,
        }
    }

    /// The calendar of the first and next response clocks.
    fn response_calendar(self) -> &'static str {
        if self == Self::CarePlus {
            HOTLINE
        } else {
            WORKSHOP
        }
    }

    /// First and next response target, in business minutes.
    fn response_minutes(self) -> i64 {
        match self {
            Self::CarePlus => 60,
            Self::CareBasic => 240,
            Self::Warranty => 480,
            Self::BestEffort => 960,
        }
    }

    /// Resolution target on the workshop calendar, in business minutes: the repair, or
    /// for best effort the quote.
    fn resolution_minutes(self) -> i64 {
        match self {
            Self::CarePlus => 1440,
            Self::CareBasic => 1920,
            Self::Warranty => 2400,
            Self::BestEffort => 1440,
        }
    }

    /// What the resolution clock stands for, in reasons.
    fn resolution_word(self) -> &'static str {
        if self == Self::BestEffort {
            "quote"
        } else {
            "repair"
        }
    }
}

/// What `attributes.service_plan` says.
enum PlanAttribute {
    /// No such attribute.
    Absent,
    /// A plan this policy knows.
    Known(Plan),
    /// A text that names no plan this policy knows.
    Unknown(String),
    /// A number, a boolean, null, a list or an object: not a plan name.
    NotText,
}

impl PlanAttribute {
    fn of(attributes: &[Attribute]) -> Self {
        let Some(attribute) = attributes.iter().find(|a| a.key == PLAN_ATTRIBUTE) else {
            return Self::Absent;
        };
        // The value is JSON text: a plan name is a JSON string.
        match serde_json::from_str::<String>(&attribute.value) {
            Ok(name) => match Plan::named(&name) {
                Some(plan) => Self::Known(plan),
                None => Self::Unknown(name),
            },
            Err(_) => Self::NotText,
        }
    }
}

/// The coverage of a case, whether its product is under warranty, and notes saying so.
struct Cover {
    coverage: Coverage,
    under_warranty: bool,
    notes: Vec<String>,
}

impl Cover {
    fn of(ticket: &SupportCase) -> Result<Self, PolicyError> {
        let mut notes = Vec::new();
        let order = ticket.order.as_ref();

        let warranty_until = order.and_then(|o| o.warranty_until.as_deref());
        let under_warranty = match warranty_until {
            None => false,
            Some(text) => match text.parse::<jiff::civil::Date>() {
                Ok(last_day) => last_day >= madrid_date(ticket.opened_at)?,
                Err(_) => {
                    notes.push(format!(
                        "warranty_until `{text}` is not a date: treated as out of warranty"
                    ));
                    false
                }
            },
        };

        let plan = match PlanAttribute::of(&ticket.attributes) {
            PlanAttribute::Absent => None,
            PlanAttribute::Known(plan) => {
                if order.is_none() {
                    notes.push(format!(
                        "service plan `{}` without an order: treated as no plan",
                        plan.name()
                    ));
                }
                order.map(|_| plan)
            }
            PlanAttribute::Unknown(name) => {
                notes.push(format!("unknown service plan `{name}`: treated as no plan"));
                None
            }
            PlanAttribute::NotText => {
                notes.push(format!("{PLAN_ATTRIBUTE} is not a text: ignored"));
                None
            }
        };

        let (coverage, summary) = match (plan, under_warranty, warranty_until) {
            (Some(plan), true, Some(until)) => (
                plan.coverage(),
                format!("coverage: {}, under warranty until {until}", plan.name()),
            ),
            (Some(plan), _, _) => (plan.coverage(), format!("coverage: {}", plan.name())),
            (None, true, Some(until)) => (
                Coverage::Warranty,
                format!("coverage: warranty until {until}"),
            ),
            (None, _, _) => (
                Coverage::BestEffort,
                best_effort_summary(ticket, warranty_until),
            ),
        };
        notes.insert(0, summary);
        Ok(Self {
            coverage,
            under_warranty,
            notes,
        })
    }
}

/// Why a case gets best effort, in a note.
fn best_effort_summary(ticket: &SupportCase, warranty_until: Option<&str>) -> String {
    match (&ticket.order, warranty_until) {
        (None, _) => "coverage: none (best effort), no order".to_owned(),
        (Some(_), Some(until)) => format!("coverage: none (best effort), warranty ended {until}"),
        (Some(_), None) => "coverage: none (best effort), no warranty".to_owned(),
    }
}

// ---- dates ----

/// The workshop's zone, compiled in from jiff's copy of the tz database (no parsing at
/// run time): a warranty's last day is a date in Madrid.
static MADRID: jiff::tz::TimeZone = jiff::tz::get!("Europe/Madrid");

/// The date in Madrid at Unix second `at`. The host hands a policy only instants its
/// calendars support (1900–2199), all inside jiff's range; one outside it is an error.
fn madrid_date(at: i64) -> Result<jiff::civil::Date, PolicyError> {
    let instant = jiff::Timestamp::from_second(at)
        .map_err(|e| PolicyError::new(format!("opened_at {at}: {e}")))?;
    Ok(MADRID.to_datetime(instant).date())
}

// ---- when ----

/// The clocks, in order: first response, next response (once started), resolution.
fn sla_clocks(coverage: Coverage) -> Result<Vec<Deadline>, PolicyError> {
    Ok(sla::clocks(
        (coverage.response_calendar(), coverage.response_minutes()),
        (WORKSHOP, coverage.resolution_minutes()),
    )?)
}

// ---- who ----

/// The escalation rules that fire, one per breached clock, in the clocks' order (late
/// responses, then a late repair or quote).
fn escalation_hits(coverage: Coverage, clocks: &[Deadline]) -> Vec<Fired<'static>> {
    let mut hits = Vec::new();
    for c in clocks.iter().filter(|c| c.status == ClockStatus::Breached) {
        let hit = if c.metric == Metric::Resolution {
            let reason = format!(
                "{} breached by {} min",
                coverage.resolution_word(),
                c.breached_by
            );
            match coverage {
                Coverage::CarePlus => Fired {
                    level: 3,
                    team: "care-team",
                    reason,
                    notify: &["account-manager"],
                },
                Coverage::CareBasic => Fired {
                    level: 2,
                    team: "care-team",
                    reason,
                    notify: &[],
                },
                Coverage::Warranty => Fired {
                    level: 2,
                    team: "repairs-lead",
                    reason,
                    notify: &[],
                },
                Coverage::BestEffort => Fired {
                    level: 1,
                    team: "service-desk-lead",
                    reason,
                    notify: &[],
                },
            }
        } else {
            let reason = format!("{} breached by {} min", c.metric, c.breached_by);
            if coverage == Coverage::CarePlus {
                Fired {
                    level: 2,
                    team: "care-team",
                    reason,
                    notify: &[],
                }
            } else {
                Fired {
                    level: 1,
                    team: "service-desk-lead",
                    reason,
                    notify: &[],
                }
            }
        };
        hits.push(hit);
    }
    hits
}

// ---- what we owe ----

/// Days of extra warranty for a repair late by `minutes` business minutes: 30, or 60
/// once it is five workshop days (2400 minutes) late or more.
fn extension_days(minutes_late: i64) -> i64 {
    if minutes_late < 2400 { 30 } else { 60 }
}

/// A product under warranty whose repair is late gets its warranty extended, whatever
/// the coverage that set the target.
fn warranty_extension(cover: &Cover, clocks: &[Deadline]) -> Option<Compensation> {
    if !cover.under_warranty {
        return None;
    }
    let late = clocks
        .iter()
        .find(|c| c.metric == Metric::Resolution && c.status == ClockStatus::Breached)?;
    let days = extension_days(late.breached_by);
    Some(Compensation {
        kind: CompensationKind::WarrantyExtension,
        amount: 0,
        currency: None,
        days: Some(days),
        reason: format!(
            "warranty extended {days} days: repair late by {} min",
            late.breached_by
        ),
        requires_approval: false,
    })
}

/// A paid plan whose service ran late (any clock breached) gets an apology.
fn plan_apology(coverage: Coverage, clocks: &[Deadline]) -> Option<Compensation> {
    let plan = coverage.plan()?.name();
    clocks
        .iter()
        .any(|c| c.status == ClockStatus::Breached)
        .then(|| Compensation {
            kind: CompensationKind::Apology,
            amount: 0,
            currency: None,
            days: None,
            reason: format!("apology: {plan} service late"),
            requires_approval: false,
        })
}
