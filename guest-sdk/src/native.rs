//! Running a policy natively, outside Wasm: in a unit test of the policy crate, or
//! compiled into a host (the `pacto` crate's `Policy::from_guest`). The same source
//! then runs both ways.
//!
//! Inside a component, the [`sla`](crate::sla) functions call the Pacto host. Natively
//! they call the [`Host`] that [`decide`] installs for the duration of one decision, on
//! the current thread; with none installed they panic.
//!
//! ```
//! use pacto_guest::native::{self, Host};
//! use pacto_guest::{
//!     ClockStatus, Decision, Description, Metric, Policy, PolicyError, Reading,
//!     SlaError, SupportCase, sla,
//! };
//!
//! struct FirstResponse;
//!
//! impl Policy for FirstResponse {
//!     fn decide(_: &SupportCase, _: i64) -> Result<Decision, PolicyError> {
//!         let fr = sla::clock(Metric::FirstResponse, "support", 240)?;
//!         Ok(Decision { deadlines: vec![fr], ..Decision::default() })
//!     }
//!     fn describe() -> Description {
//!         Description::new("first-response", "1.0.0")
//!     }
//! }
//!
//! /// A stand-in host: every clock is breached by 15 minutes.
//! struct Late;
//!
//! impl Host for Late {
//!     fn clock(&self, metric: Metric, _: &str, minutes: i64) -> Result<Reading, SlaError> {
//!         Ok(Reading {
//!             metric,
//!             target: minutes,
//!             due: Some(1_767_261_600),
//!             status: ClockStatus::Breached,
//!             met_at: None,
//!             breached_by: 15,
//!             remaining: 0,
//!             paused: false,
//!         })
//!     }
//!     fn add_business_minutes(&self, _: &str, start: i64, minutes: i64) -> Result<i64, SlaError> {
//!         Ok(start + 60 * minutes)
//!     }
//!     fn business_minutes_between(&self, _: &str, start: i64, end: i64) -> Result<i64, SlaError> {
//!         Ok((end - start).max(0) / 60)
//!     }
//!     fn is_business_time(&self, _: &str, _: i64) -> Result<bool, SlaError> {
//!         Ok(true)
//!     }
//! }
//!
//! # fn ticket() -> SupportCase {
//! #     use pacto_guest::*;
//! #     SupportCase {
//! #         id: "T-1".into(), opened_at: 0, priority: Priority::Normal,
//! #         channel: Channel::Email, kind: Kind::Question, category: None,
//! #         customer: Customer { id: "C-1".into(), tier: "standard".into(), internal: false,
//! #             lifetime_value: 0, recent_breaches: 0, recent_credits: 0 },
//! #         order: None, events: vec![], tags: vec![], attributes: vec![],
//! #         timeline: Timeline { first_response_at: None, last_agent_reply_at: None,
//! #             awaiting_reply_since: None, solved_at: None, reopen_count: 0,
//! #             status: Status::Open, paused: vec![], latest_satisfaction: None },
//! #     }
//! # }
//! let decision = native::decide::<FirstResponse>(Late, &ticket(), 0).unwrap();
//! assert_eq!(decision.deadlines[0].calendar, "support");
//! assert_eq!(decision.deadlines[0].breached_by, 15);
//! ```

use std::cell::RefCell;

use crate::{Decision, Metric, Policy, PolicyError, Reading, SlaError, SupportCase};

/// What answers the [`sla`](crate::sla) functions when a policy runs natively. The
/// methods mirror the WIT `sla` interface; an `Err` reaches the policy as that
/// [`SlaError`].
pub trait Host {
    /// The clock `metric` on `calendar` with a target of `minutes` business minutes,
    /// measured on the case being decided.
    ///
    /// # Errors
    ///
    /// The failure, when the calendar is unknown, for example.
    fn clock(&self, metric: Metric, calendar: &str, minutes: i64) -> Result<Reading, SlaError>;

    /// `start` moved by `minutes` business minutes on `calendar`.
    ///
    /// # Errors
    ///
    /// The failure, for the policy.
    fn add_business_minutes(
        &self,
        calendar: &str,
        start: i64,
        minutes: i64,
    ) -> Result<i64, SlaError>;

    /// Whole business minutes on `calendar` from `start` to `end`.
    ///
    /// # Errors
    ///
    /// The failure, for the policy.
    fn business_minutes_between(
        &self,
        calendar: &str,
        start: i64,
        end: i64,
    ) -> Result<i64, SlaError>;

    /// Whether `at` is inside `calendar`'s opening hours.
    ///
    /// # Errors
    ///
    /// The failure, for the policy.
    fn is_business_time(&self, calendar: &str, at: i64) -> Result<bool, SlaError>;
}

thread_local! {
    static HOST: RefCell<Option<Box<dyn Host>>> = const { RefCell::new(None) };
}

/// Puts the previous host back when the decision ends, even by a panic.
struct Restore(Option<Box<dyn Host>>);

impl Drop for Restore {
    fn drop(&mut self) {
        // drop the outgoing host after the cell is released: its `Drop` may use `sla`
        drop(HOST.replace(self.0.take()));
    }
}

/// Decides `ticket` at `now` with policy `P`, natively, `host` answering its
/// [`sla`](crate::sla) calls.
///
/// The host is installed for the current thread only, for the length of this call; the
/// one installed before (if any) is back afterwards, also when `P::decide` panics.
///
/// # Errors
///
/// Whatever `P::decide` returns.
///
/// # Panics
///
/// When `P::decide` panics: the panic goes on to the caller. `sla` calls from threads
/// the policy starts itself panic (they have no host), and so does a `Host` method that
/// calls [`decide`] again.
pub fn decide<P: Policy>(
    host: impl Host + 'static,
    ticket: &SupportCase,
    now: i64,
) -> Result<Decision, PolicyError> {
    let _restore = Restore(HOST.replace(Some(Box::new(host))));
    P::decide(ticket, now)
}

/// The [`sla`](crate::sla) functions' backend outside Wasm, with the signatures of the
/// WIT imports they stand in for.
pub(crate) mod installed {
    use super::{HOST, Host};
    use crate::{Metric, Reading, SlaError};

    fn with<T>(function: &str, f: impl FnOnce(&dyn Host) -> T) -> T {
        HOST.with_borrow(|host| match host {
            Some(host) => f(host.as_ref()),
            None => panic!(
                "pacto_guest::sla::{function} needs a host: build the policy for wasm32-wasip2 \
                 for Pacto, or run it natively through pacto_guest::native::decide"
            ),
        })
    }

    pub fn clock(metric: Metric, calendar: &str, minutes: i64) -> Result<Reading, SlaError> {
        with("clock", |h| h.clock(metric, calendar, minutes))
    }

    pub fn add_business_minutes(calendar: &str, start: i64, minutes: i64) -> Result<i64, SlaError> {
        with("add_business_minutes", |h| {
            h.add_business_minutes(calendar, start, minutes)
        })
    }

    pub fn business_minutes_between(calendar: &str, start: i64, end: i64) -> Result<i64, SlaError> {
        with("business_minutes_between", |h| {
            h.business_minutes_between(calendar, start, end)
        })
    }

    pub fn is_business_time(calendar: &str, at: i64) -> Result<bool, SlaError> {
        with("is_business_time", |h| h.is_business_time(calendar, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Description, sla};

    /// Open from 09:00 UTC, one business minute per minute, no clocks.
    struct Fixed;

    impl Host for Fixed {
        fn clock(&self, _: Metric, calendar: &str, _: i64) -> Result<Reading, SlaError> {
            Err(SlaError::UnknownCalendar(crate::UnknownCalendar {
                name: calendar.into(),
                known: vec![],
            }))
        }
        fn add_business_minutes(&self, _: &str, start: i64, minutes: i64) -> Result<i64, SlaError> {
            Ok(start + 60 * minutes)
        }
        fn business_minutes_between(&self, _: &str, start: i64, end: i64) -> Result<i64, SlaError> {
            Ok((end - start) / 60)
        }
        fn is_business_time(&self, _: &str, at: i64) -> Result<bool, SlaError> {
            Ok(at % 86_400 >= 9 * 3600)
        }
    }

    /// Asks the host everything once; panics on a `now` of -1.
    struct Asks;

    impl Policy for Asks {
        fn decide(_: &SupportCase, now: i64) -> Result<Decision, PolicyError> {
            assert!(now != -1, "asked to panic");
            let due = sla::add_business_minutes("support", now, 30)?;
            let open = sla::is_business_time("support", due)?;
            let minutes = sla::business_minutes_between("support", now, due)?;
            let notes = vec![format!("{due} {open} {minutes}")];
            sla::clock(Metric::Resolution, "support", 60)?;
            Ok(Decision {
                notes,
                ..Decision::default()
            })
        }
        fn describe() -> Description {
            Description::new("asks", "0")
        }
    }

    fn ticket() -> SupportCase {
        use crate::{Channel, Customer, Kind, Priority, Status, Timeline};
        SupportCase {
            id: "T-1".into(),
            opened_at: 0,
            priority: Priority::Normal,
            channel: Channel::Email,
            kind: Kind::Question,
            category: None,
            customer: Customer {
                id: "C-1".into(),
                tier: "standard".into(),
                internal: false,
                lifetime_value: 0,
                recent_breaches: 0,
                recent_credits: 0,
            },
            order: None,
            events: vec![],
            tags: vec![],
            attributes: vec![],
            timeline: Timeline {
                first_response_at: None,
                last_agent_reply_at: None,
                awaiting_reply_since: None,
                solved_at: None,
                reopen_count: 0,
                status: Status::Open,
                paused: vec![],
                latest_satisfaction: None,
            },
        }
    }

    #[test]
    fn the_host_answers_and_its_errors_reach_the_policy() {
        let err = decide::<Asks>(Fixed, &ticket(), 0).unwrap_err();
        assert_eq!(
            err.message,
            "unknown calendar `support`; the bundle has no calendars"
        );
        assert!(matches!(err.cause, Some(SlaError::UnknownCalendar(_))));
    }

    #[test]
    fn the_host_is_gone_after_the_decision_even_after_a_panic() {
        let panicked = std::panic::catch_unwind(|| decide::<Asks>(Fixed, &ticket(), -1)).is_err();
        assert!(panicked);
        assert!(HOST.with_borrow(Option::is_none));
        let _ = decide::<Asks>(Fixed, &ticket(), 0);
        assert!(HOST.with_borrow(Option::is_none));
    }
}
