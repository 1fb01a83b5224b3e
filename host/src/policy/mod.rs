//! Policies: the [`Policy`] a bundle loads into, the backends that run it, and the one
//! per-decision [`Context`] their host functions read.
//!
//! | module | what it holds |
//! |---|---|
//! | [`context`] | [`Context`]: one decision's view of the host, and the `sla` functions |
//! | [`error`] | [`DecideError`] and the failures it wraps, one kind per failure in every backend |
//! | `backend` | the trait a sandbox implements (private) |
//! | [`native`] | a `pacto-guest` policy compiled into the host, run without a sandbox |
//! | `rhai` | the Rhai sandbox (feature `rhai`, private) |
//! | `wasm` | the WebAssembly sandbox: wasmtime components, a fresh instance per decision (feature `wasm`, private) |
//! | `wit_convert` | between the host's types and the WIT types, for `native` and `wasm` (private) |
//!
//! ```
//! use pacto::{Case, Engine};
//!
//! let engine = Engine::new();
//! let policy = engine.load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
//! let case = Case::from_json(&std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"), "/../examples/cases/gold-complaint-phone.json"))?)?;
//! let decision = policy.decide(&case, "2026-03-03T12:00:00+01:00".parse()?)?;
//! assert_eq!(decision.policy.name, "standard");
//! assert!(decision.deadlines.iter().any(|d| d.metric == pacto::Metric::FirstResponse));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod backend;
pub mod context;
pub mod error;
pub mod native;
#[cfg(feature = "rhai")]
pub(crate) mod rhai;
#[cfg(feature = "wasm")]
pub(crate) mod wasm;
mod wit_convert;

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

pub(crate) use self::backend::Backend;
pub use self::context::{Context, SlaError, UnknownCalendar};
pub use self::error::{DecideError, LimitExceeded, PolicyFailed};
use crate::bundle::Limits;
use crate::calendar::Calendar;
use crate::case::Case;
use crate::decision::{Decision, PolicyInfo, PolicyOutput};
use crate::timeline::Timeline;

/// Stack enough for a thread to make Rhai decisions under the default limits without
/// switching stacks (release builds; a debug build needs about 330 MiB). A Rhai
/// decision needs 4 MiB plus 4 KiB per level of nesting its data limits allow
/// (`max_map_size` + `max_array_size`: 20,000 by default), because Rhai walks nested
/// values recursively. On a thread with less stack left, each decision first switches
/// to a stack of its own, which costs tens of microseconds (BENCHMARKS.md); the
/// `pacto` command's threads are built with this size.
///
/// ```
/// let worker = std::thread::Builder::new()
///     .stack_size(pacto::DECISION_STACK_SIZE)
///     .spawn(|| { /* decide here */ })?;
/// worker.join().unwrap();
/// # Ok::<(), std::io::Error>(())
/// ```
pub const DECISION_STACK_SIZE: usize = 128 << 20;

/// A policy written in Rust against the host's own types and compiled into the host,
/// deciding through the same [`Context`] functions as sandboxed policies. No sandbox: for
/// code you trust. (A policy written for a Wasm component against `pacto-guest` runs
/// natively through [`Policy::from_guest`] instead.)
///
/// ```
/// use std::collections::BTreeMap;
/// use pacto::decision::PolicyOutput;
/// use pacto::{Case, Context, DecideError, NativePolicy, Policy, PolicyInfo};
///
/// /// Notes how many events the case has, and nothing else.
/// struct CountEvents;
///
/// impl NativePolicy for CountEvents {
///     fn decide(&self, case: &Case, _: &Context) -> Result<PolicyOutput, DecideError> {
///         Ok(PolicyOutput {
///             deadlines: Vec::new(),
///             escalation: None,
///             compensation: Vec::new(),
///             notes: vec![format!("{} events", case.events.len())],
///         })
///     }
/// }
///
/// let info = PolicyInfo { name: "count".into(), version: "1".into(), digest: "-".into() };
/// let policy = Policy::native(info, BTreeMap::new(), CountEvents);
/// let case: Case = serde_json::from_str(r#"{
///     "id": "T-1", "opened_at": "2026-03-02T09:00:00Z", "priority": "normal",
///     "channel": "email", "kind": "question", "customer": {"id": "C-1", "tier": "gold"},
///     "events": [{"at": "2026-03-02T09:00:00Z", "type": "customer_message"}]
/// }"#)?;
/// let decision = policy.decide(&case, "2026-03-02T10:00:00Z".parse()?)?;
/// assert_eq!(decision.notes, ["1 events"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait NativePolicy: Send + Sync {
    /// Decides `case`; `ctx` gives the clocks and calendar functions.
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError>;
}

struct Native<P>(P);

impl<P: NativePolicy> Backend for Native<P> {
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError> {
        self.0.decide(case, ctx)
    }
}

/// A loaded policy: decides cases. `Send + Sync`; share it across threads in an `Arc`.
///
/// A decision depends only on the case, `now`, the policy and its calendars: every
/// decision starts from the policy's initial state, whatever ran before it, on whichever
/// thread.
pub struct Policy {
    info: PolicyInfo,
    calendars: Arc<BTreeMap<String, Calendar>>,
    /// The limits the host applies around the backend: events in, sizes out.
    limits: Limits,
    backend: Box<dyn Backend>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Policy {
    /// A policy from a Rust implementation, with the calendars it uses.
    pub fn native(
        info: PolicyInfo,
        calendars: BTreeMap<String, Calendar>,
        policy: impl NativePolicy + 'static,
    ) -> Policy {
        Policy::from_backend(
            info,
            Arc::new(calendars),
            Limits::default(),
            Box::new(Native(policy)),
        )
    }

    /// A policy deciding through `backend` (one of the crate's own).
    pub(crate) fn from_backend(
        info: PolicyInfo,
        calendars: Arc<BTreeMap<String, Calendar>>,
        limits: Limits,
        backend: Box<dyn Backend>,
    ) -> Policy {
        Policy {
            info,
            calendars,
            limits,
            backend,
        }
    }

    /// The same policy under other host-side limits (`max_events`, `max_output_items`,
    /// `max_output_string`; a sandbox's own limits are set when its bundle loads).
    pub fn with_limits(mut self, limits: Limits) -> Policy {
        self.limits = limits;
        self
    }

    /// Name, version and digest.
    pub fn info(&self) -> &PolicyInfo {
        &self.info
    }

    /// The calendars the policy uses, by name.
    pub fn calendars(&self) -> &BTreeMap<String, Calendar> {
        &self.calendars
    }

    /// Decides `case` as of `now`: derives the timeline, runs the policy, checks what it
    /// returned. An error leaves the policy ready for the next case.
    pub fn decide(&self, case: &Case, now: Timestamp) -> Result<Decision, DecideError> {
        self.decide_with(case, now, false)
    }

    /// [`decide`](Self::decide), with a [`Trace`](crate::trace::Trace) of every
    /// deadline in the decision's `trace`: the business intervals counted, the pauses
    /// skipped, the time from `now` to due, and the host calls the policy made. The rest
    /// of the decision is what `decide` gives.
    ///
    /// ```
    /// use pacto::{Case, Engine};
    ///
    /// let policy = Engine::new().load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
    /// let case = Case::from_json(&std::fs::read_to_string(concat!(
    ///     env!("CARGO_MANIFEST_DIR"), "/../examples/cases/pending-on-customer.json"))?)?;
    /// let now = "2026-03-04T12:00:00+01:00".parse()?;
    /// let decision = policy.decide_traced(&case, now)?;
    /// let trace = decision.trace.as_deref().expect("traced");
    /// for clock in &trace.clocks {
    ///     let counted: i64 = clock.counted.iter().map(|s| s.seconds).sum();
    ///     assert_eq!(counted, clock.consumed_seconds);
    /// }
    /// assert!(trace.host_calls.len() >= trace.clocks.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_traced(&self, case: &Case, now: Timestamp) -> Result<Decision, DecideError> {
        self.decide_with(case, now, true)
    }

    fn decide_with(
        &self,
        case: &Case,
        now: Timestamp,
        traced: bool,
    ) -> Result<Decision, DecideError> {
        if case.events.len() > self.limits.max_events {
            return Err(DecideError::Limit(LimitExceeded::Events {
                count: case.events.len(),
                limit: self.limits.max_events,
            }));
        }
        let size = case.size_bytes();
        if size > self.limits.max_case_bytes {
            return Err(DecideError::Limit(LimitExceeded::CaseBytes {
                size,
                limit: self.limits.max_case_bytes,
            }));
        }
        let ctx = Context::new(
            Arc::clone(&self.calendars),
            Arc::new(Timeline::derive(case, now)),
            case.opened_at,
            now,
        )
        .with_max_host_calls(self.limits.max_host_calls);
        let ctx = if traced { ctx.traced() } else { ctx };
        let decided = self.backend.decide(case, &ctx);
        // past the limit the decision is the limit, whatever the policy did after
        if let Some(limit) = ctx.host_calls_exceeded() {
            return Err(limit.into());
        }
        let output: PolicyOutput = decided?;
        output.check_size(self.limits.max_output_items, self.limits.max_output_string)?;
        let mut decision = output.validate(self.info.clone(), &self.calendars)?;
        if traced {
            decision.trace = Some(Box::new(crate::trace::Trace::of(&decision, case, &ctx)?));
        }
        Ok(decision)
    }
}
