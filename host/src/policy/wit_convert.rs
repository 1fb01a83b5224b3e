//! Between the host's types and the types generated from `wit/policy.wit`.
//!
//! Two generators make Rust types from the same WIT, with the same names and shapes:
//! wasmtime's `bindgen!` for the Wasm backend and wit-bindgen for `pacto-guest`, whose
//! policies the host can also run natively (`crate::guest`). One set of conversions
//! serves both: [`conversions!`] expands to them for whichever module is in scope as
//! `wit`.

/// Expands to the conversion functions for the WIT types in scope as `wit`.
macro_rules! conversions {
    () => {
        use crate::case::{Case, Channel, Event, Kind, Priority, Status};
        use crate::clock::{Clock, ClockStatus, Metric};
        use crate::decision::{
            CompensationKind, PolicyOutput, RawCompensation, RawDeadline, RawEscalation,
        };
        use crate::timeline::Timeline;

        fn priority(p: Priority) -> wit::Priority {
            match p {
                Priority::Low => wit::Priority::Low,
                Priority::Normal => wit::Priority::Normal,
                Priority::High => wit::Priority::High,
                Priority::Urgent => wit::Priority::Urgent,
            }
        }

        fn priority_from_wit(p: wit::Priority) -> Priority {
            match p {
                wit::Priority::Low => Priority::Low,
                wit::Priority::Normal => Priority::Normal,
                wit::Priority::High => Priority::High,
                wit::Priority::Urgent => Priority::Urgent,
            }
        }

        fn channel(c: Channel) -> wit::Channel {
            match c {
                Channel::Email => wit::Channel::Email,
                Channel::Phone => wit::Channel::Phone,
                Channel::Chat => wit::Channel::Chat,
                Channel::Social => wit::Channel::Social,
                Channel::Web => wit::Channel::Web,
                Channel::InPerson => wit::Channel::InPerson,
                Channel::Mail => wit::Channel::Mail,
            }
        }

        fn kind(k: Kind) -> wit::Kind {
            match k {
                Kind::Question => wit::Kind::Question,
                Kind::Incident => wit::Kind::Incident,
                Kind::Problem => wit::Kind::Problem,
                Kind::Request => wit::Kind::Request,
                Kind::Complaint => wit::Kind::Complaint,
                Kind::Compliment => wit::Kind::Compliment,
            }
        }

        fn status(s: Status) -> wit::Status {
            match s {
                Status::Open => wit::Status::Open,
                Status::Pending => wit::Status::Pending,
                Status::OnHold => wit::Status::OnHold,
                Status::Solved => wit::Status::Solved,
                Status::Closed => wit::Status::Closed,
            }
        }

        pub(crate) fn metric_from_wit(m: wit::Metric) -> Metric {
            match m {
                wit::Metric::FirstResponse => Metric::FirstResponse,
                wit::Metric::NextResponse => Metric::NextResponse,
                wit::Metric::Resolution => Metric::Resolution,
            }
        }

        fn metric(m: Metric) -> wit::Metric {
            match m {
                Metric::FirstResponse => wit::Metric::FirstResponse,
                Metric::NextResponse => wit::Metric::NextResponse,
                Metric::Resolution => wit::Metric::Resolution,
            }
        }

        fn clock_status(s: ClockStatus) -> wit::ClockStatus {
            match s {
                ClockStatus::Pending => wit::ClockStatus::Pending,
                ClockStatus::Met => wit::ClockStatus::Met,
                ClockStatus::Breached => wit::ClockStatus::Breached,
                ClockStatus::Paused => wit::ClockStatus::Paused,
                ClockStatus::Inactive => wit::ClockStatus::Inactive,
            }
        }

        fn clock_status_from_wit(s: wit::ClockStatus) -> ClockStatus {
            match s {
                wit::ClockStatus::Pending => ClockStatus::Pending,
                wit::ClockStatus::Met => ClockStatus::Met,
                wit::ClockStatus::Breached => ClockStatus::Breached,
                wit::ClockStatus::Paused => ClockStatus::Paused,
                wit::ClockStatus::Inactive => ClockStatus::Inactive,
            }
        }

        fn compensation_kind(k: wit::CompensationKind) -> CompensationKind {
            match k {
                wit::CompensationKind::ServiceCredit => CompensationKind::ServiceCredit,
                wit::CompensationKind::Refund => CompensationKind::Refund,
                wit::CompensationKind::Voucher => CompensationKind::Voucher,
                wit::CompensationKind::WarrantyExtension => CompensationKind::WarrantyExtension,
                wit::CompensationKind::Apology => CompensationKind::Apology,
            }
        }

        fn rating(score: u32, scale: u32) -> wit::Rating {
            wit::Rating { score, scale }
        }

        /// The case as the guest sees it, events sorted by time (stable), with its timeline.
        pub(crate) fn case(case: &Case, t: &Timeline) -> wit::SupportCase {
            let c = &case.customer;
            wit::SupportCase {
                id: case.id.clone(),
                opened_at: case.opened_at.as_second(),
                priority: priority(case.priority),
                channel: channel(case.channel),
                kind: kind(case.kind),
                category: case.category.clone(),
                customer: wit::Customer {
                    id: c.id.clone(),
                    tier: c.tier.clone(),
                    internal: c.internal,
                    lifetime_value: c.lifetime_value,
                    recent_breaches: c.breaches_90d,
                    recent_credits: c.credits_90d,
                },
                order: case.order.as_ref().map(|o| wit::Order {
                    value: o.value,
                    currency: o.currency.clone(),
                    warranty_until: o.warranty_until.map(|d| d.to_string()),
                }),
                events: case
                    .events_by_time()
                    .iter()
                    .map(|e| wit::Event {
                        at: e.at().as_second(),
                        kind: match *e {
                            Event::CustomerMessage { .. } => wit::EventKind::CustomerMessage,
                            Event::AgentReply { .. } => wit::EventKind::AgentReply,
                            Event::InternalNote { .. } => wit::EventKind::InternalNote,
                            Event::Status { status: s, .. } => wit::EventKind::Status(status(s)),
                            Event::Reopened { .. } => wit::EventKind::Reopened,
                            Event::Satisfaction { score, scale, .. } => {
                                wit::EventKind::Satisfaction(rating(score, scale))
                            }
                        },
                    })
                    .collect(),
                tags: case.tags.clone(),
                attributes: case
                    .attributes
                    .iter()
                    .map(|(k, v)| wit::Attribute {
                        key: k.clone(),
                        value: v.to_string(),
                    })
                    .collect(),
                timeline: wit::Timeline {
                    first_response_at: t.first_response_at.map(|x| x.as_second()),
                    last_agent_reply_at: t.last_agent_reply_at.map(|x| x.as_second()),
                    awaiting_reply_since: t.awaiting_reply_since.map(|x| x.as_second()),
                    solved_at: t.solved_at.map(|x| x.as_second()),
                    reopen_count: t.reopen_count,
                    status: status(t.status),
                    paused: t
                        .paused
                        .iter()
                        .map(|p| wit::Interval {
                            start: p.interval.start.as_second(),
                            end: p.interval.end.map(|e| e.as_second()),
                        })
                        .collect(),
                    latest_satisfaction: t.latest_satisfaction.map(|s| rating(s.score, s.scale)),
                },
            }
        }

        pub(crate) fn reading(c: &Clock) -> wit::Reading {
            wit::Reading {
                metric: metric(c.metric),
                target: c.target,
                due: c.due.map(|t| t.as_second()),
                status: clock_status(c.status),
                met_at: c.met_at.map(|t| t.as_second()),
                breached_by: c.breached_by,
                remaining: c.remaining,
                paused: c.paused,
            }
        }

        /// The guest's decision, for the host's checks.
        pub(crate) fn decision(d: wit::Decision) -> PolicyOutput {
            PolicyOutput {
                deadlines: d
                    .deadlines
                    .into_iter()
                    .map(|c| RawDeadline {
                        metric: metric_from_wit(c.metric),
                        calendar: c.calendar,
                        target: c.target,
                        due: c.due,
                        status: clock_status_from_wit(c.status),
                        met_at: c.met_at,
                        breached_by: c.breached_by,
                        remaining: c.remaining,
                        paused: c.paused,
                    })
                    .collect(),
                escalation: d.escalation.map(|e| RawEscalation {
                    level: i64::from(e.level),
                    team: e.team,
                    reason: e.reason,
                    notify: e.notify,
                    raise_priority: e.raise_priority.map(priority_from_wit),
                }),
                compensation: d
                    .compensation
                    .into_iter()
                    .map(|c| RawCompensation {
                        kind: compensation_kind(c.kind),
                        amount: c.amount,
                        currency: c.currency,
                        days: c.days,
                        reason: c.reason,
                        requires_approval: c.requires_approval,
                    })
                    .collect(),
                notes: d.notes,
            }
        }
    };
}

pub(crate) use conversions;
