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
        use crate::error::TimeError;
        use crate::policy::{Context, DecideError, SlaError, UnknownCalendar};
        use crate::timeline::Timeline;
        use jiff::Timestamp;

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

        fn metric_from_wit(m: wit::Metric) -> Metric {
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

        /// A host function's failure as the guest receives it.
        fn sla_error(e: SlaError) -> wit::SlaError {
            match e {
                SlaError::UnknownCalendar(u) => {
                    wit::SlaError::UnknownCalendar(wit::UnknownCalendar {
                        name: u.name,
                        known: u.known,
                    })
                }
                SlaError::UnknownMetric(m) => wit::SlaError::UnknownMetric(m.0),
                SlaError::Time(t) => wit::SlaError::Time(match t {
                    TimeError::NoOpenTime { from, days } => {
                        wit::TimeError::NoOpenTime(wit::NoOpenTime {
                            start: from.as_second(),
                            days,
                        })
                    }
                    TimeError::OutOfRange(at) => wit::TimeError::OutOfRange(at.as_second()),
                    TimeError::OutOfRangeSeconds(at) => wit::TimeError::OutOfRange(at),
                    TimeError::Overflow(seconds) => wit::TimeError::Overflow(seconds.to_string()),
                    TimeError::NegativeTarget(m) => wit::TimeError::NegativeTarget(m),
                    TimeError::ReversedPause { start, end } => {
                        wit::TimeError::ReversedPause(wit::ReversedPause {
                            start: start.as_second(),
                            end: end.as_second(),
                        })
                    }
                }),
            }
        }

        // the `sla` functions in WIT types, for the Wasm store and the native guest host

        pub(crate) fn clock(
            ctx: &Context,
            m: wit::Metric,
            calendar: &str,
            minutes: i64,
        ) -> Result<wit::Reading, wit::SlaError> {
            ctx.clock(metric_from_wit(m), calendar, minutes)
                .map(|c| reading(&c))
                .map_err(sla_error)
        }

        pub(crate) fn add_business_minutes(
            ctx: &Context,
            calendar: &str,
            start: i64,
            minutes: i64,
        ) -> Result<i64, wit::SlaError> {
            ctx.add_business_minutes(calendar, start, minutes)
                .map_err(sla_error)
        }

        pub(crate) fn business_minutes_between(
            ctx: &Context,
            calendar: &str,
            start: i64,
            end: i64,
        ) -> Result<i64, wit::SlaError> {
            ctx.business_minutes_between(calendar, start, end)
                .map_err(sla_error)
        }

        pub(crate) fn is_business_time(
            ctx: &Context,
            calendar: &str,
            at: i64,
        ) -> Result<bool, wit::SlaError> {
            ctx.is_business_time(calendar, at).map_err(sla_error)
        }

        fn instant_or(seconds: i64, f: impl FnOnce(Timestamp) -> TimeError) -> TimeError {
            Timestamp::from_second(seconds).map_or(TimeError::OutOfRangeSeconds(seconds), f)
        }

        /// The host's error back from what a guest passed on; none when the guest
        /// made up one the host could not have raised.
        fn sla_error_from_wit(e: wit::SlaError) -> Option<SlaError> {
            Some(match e {
                wit::SlaError::UnknownCalendar(u) => SlaError::UnknownCalendar(UnknownCalendar {
                    name: u.name,
                    known: u.known,
                }),
                wit::SlaError::UnknownMetric(m) => {
                    SlaError::UnknownMetric(crate::clock::UnknownMetric(m))
                }
                wit::SlaError::Time(t) => SlaError::Time(match t {
                    wit::TimeError::NoOpenTime(n) => {
                        instant_or(n.start, |from| TimeError::NoOpenTime { from, days: n.days })
                    }
                    wit::TimeError::OutOfRange(at) => instant_or(at, TimeError::OutOfRange),
                    wit::TimeError::Overflow(seconds) => TimeError::Overflow(seconds.parse().ok()?),
                    wit::TimeError::NegativeTarget(m) => TimeError::NegativeTarget(m),
                    wit::TimeError::ReversedPause(p) => match (
                        Timestamp::from_second(p.start),
                        Timestamp::from_second(p.end),
                    ) {
                        (Ok(start), Ok(end)) => TimeError::ReversedPause { start, end },
                        _ => TimeError::OutOfRangeSeconds(p.start),
                    },
                }),
            })
        }

        /// Why the guest declined: the `sla` error it passed on, as the host raised it
        /// (so the kind and message are the same in every backend), or its own words.
        pub(crate) fn policy_error(e: wit::PolicyError) -> DecideError {
            match e.cause.and_then(sla_error_from_wit) {
                Some(cause) => cause.into(),
                None => DecideError::policy(e.message),
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
