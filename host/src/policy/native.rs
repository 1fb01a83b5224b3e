//! A Rust policy written against `pacto-guest`, for a WebAssembly component, compiled
//! into the host and run natively instead: the same source, without the sandbox.
//!
//! This is for policies you trust as much as your own service: there is no fuel, memory
//! cap or timeout. The `sla` functions answer from the same host functions the sandboxes
//! use ([`Context`]). Pacto's tests and benchmarks run `rules/standard-wasm`'s rules this way
//! as the native floor.
//!
//! A panic in the policy ends only that decision, with [`DecideError::Policy`] ("the
//! policy panicked: …", the panic's message without its location), provided the host is
//! built with `panic = "unwind"` (the default). The process's panic hook still runs, so
//! the default hook prints the panic to stderr.
//!
//! ```
//! use std::collections::BTreeMap;
//! use pacto::{Case, Policy};
//! use pacto::pacto_guest::{self, Decision, Description, PolicyError, SupportCase};
//!
//! /// Notes the case's tier, and nothing else.
//! struct Tier;
//!
//! impl pacto_guest::Policy for Tier {
//!     fn decide(ticket: &SupportCase, _: i64) -> Result<Decision, PolicyError> {
//!         Ok(Decision { notes: vec![ticket.customer.tier.clone()], ..Decision::default() })
//!     }
//!     fn describe() -> Description {
//!         Description::new("tier", "1.0.0")
//!     }
//! }
//!
//! let policy = Policy::from_guest::<Tier>("native:tier", BTreeMap::new());
//! assert_eq!(policy.info().version, "1.0.0"); // from `describe()`
//! let case: Case = serde_json::from_str(r#"{
//!     "id": "T-1", "opened_at": "2026-03-02T09:00:00Z", "priority": "normal",
//!     "channel": "email", "kind": "question",
//!     "customer": {"id": "C-1", "tier": "gold"}, "events": []
//! }"#)?;
//! let decision = policy.decide(&case, "2026-03-02T10:00:00Z".parse()?)?;
//! assert_eq!(decision.notes, ["gold"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use pacto_guest as wit;

use super::{Backend, Context, DecideError, Policy};
use crate::calendar::Calendar;
use crate::case::Case;
use crate::decision::{PolicyInfo, PolicyOutput};

mod convert {
    use super::wit;

    super::super::wit_convert::conversions!();
}

impl Policy {
    /// The `pacto-guest` policy `P` compiled natively, deciding on `calendars`. Its name
    /// and version are what `P::describe()` says; `digest` is a label of your choice
    /// for [`PolicyInfo::digest`] (there is no bundle to hash).
    pub fn from_guest<P: pacto_guest::Policy + 'static>(
        digest: impl Into<String>,
        calendars: BTreeMap<String, Calendar>,
    ) -> Policy {
        let described = P::describe();
        let info = PolicyInfo {
            name: described.name,
            version: described.version,
            digest: digest.into(),
        };
        let backend = GuestBackend::<P> {
            policy: PhantomData,
        };
        Policy::from_backend(
            info,
            Arc::new(calendars),
            crate::bundle::Limits::default(),
            Box::new(backend),
        )
    }
}

struct GuestBackend<P> {
    policy: PhantomData<fn() -> P>,
}

impl<P: pacto_guest::Policy> Backend for GuestBackend<P> {
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError> {
        let ticket = convert::case(case, ctx.timeline());
        let host = Host(ctx.clone());
        let now = ctx.now().as_second();
        let decided = catch_unwind(AssertUnwindSafe(|| {
            pacto_guest::native::decide::<P>(host, &ticket, now)
        }));
        match decided {
            Ok(Ok(decision)) => Ok(convert::decision(decision)),
            Ok(Err(e)) => Err(convert::policy_error(e)),
            Err(panic) => Err(DecideError::policy(format!(
                "the policy panicked: {}",
                panic_message(panic.as_ref())
            ))),
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// The host functions for one decision, owned so `pacto_guest::native` can hold them.
struct Host(Context);

impl Host {
    /// Counts a call against `max_host_calls`. Past it the policy stops as a sandboxed
    /// one would: an unwind without the panic hook (nothing printed), which `decide`
    /// catches and `Policy::decide` reports as the limit.
    fn charge(&self) {
        if let Err(limit) = self.0.charge_host_call() {
            std::panic::resume_unwind(Box::new(limit));
        }
    }
}

impl pacto_guest::native::Host for Host {
    fn clock(
        &self,
        metric: wit::Metric,
        calendar: &str,
        minutes: i64,
    ) -> Result<wit::Reading, wit::SlaError> {
        self.charge();
        convert::clock(&self.0, metric, calendar, minutes)
    }

    fn add_business_minutes(
        &self,
        calendar: &str,
        start: i64,
        minutes: i64,
    ) -> Result<i64, wit::SlaError> {
        self.charge();
        convert::add_business_minutes(&self.0, calendar, start, minutes)
    }

    fn business_minutes_between(
        &self,
        calendar: &str,
        start: i64,
        end: i64,
    ) -> Result<i64, wit::SlaError> {
        self.charge();
        convert::business_minutes_between(&self.0, calendar, start, end)
    }

    fn is_business_time(&self, calendar: &str, at: i64) -> Result<bool, wit::SlaError> {
        self.charge();
        convert::is_business_time(&self.0, calendar, at)
    }
}
