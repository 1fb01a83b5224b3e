//! Write [Pacto](https://example.invalid/pacto) policies in Rust and compile them to a
//! WebAssembly component.
//!
//! A policy is a type that implements [`Policy`]: [`Policy::decide`] gets the support
//! case (with the timeline the host derived from its events) and `now`, both in Unix
//! seconds, and returns a [`Decision`]: the SLA deadlines, an optional escalation, the
//! compensation owed and free notes. [`Policy::describe`] names the policy.
//! [`export_policy!`] turns the type into the component's exports. Business-time
//! arithmetic is done by the host, on the bundle's calendars, through the functions in
//! [`sla`].
//!
//! The WIT contract (`wit/policy.wit`, package `pacto:policy@0.3.0`, world `policy`) and
//! wit-bindgen stay out of sight: the types it defines are re-exported here under their
//! Rust names ([`SupportCase`], [`Deadline`], [`Decision`], …), and the glue is in the
//! hidden `bindings` module.
//!
//! # Example
//!
//! A policy that wants a first response within 4 business hours on the `support`
//! calendar and escalates to `tier2` when that is missed:
//!
//! ```no_run
//! use pacto_guest::{
//!     ClockStatus, Decision, Description, Escalation, Metric, Policy, PolicyError,
//!     SupportCase, sla,
//! };
//!
//! struct FirstResponse;
//!
//! impl Policy for FirstResponse {
//!     fn decide(_ticket: &SupportCase, _now: i64) -> Result<Decision, PolicyError> {
//!         // The host measures the clock on the case being decided.
//!         let fr = sla::clock(Metric::FirstResponse, "support", 240)?;
//!         let escalation = (fr.status == ClockStatus::Breached).then(|| Escalation {
//!             level: 1,
//!             team: Some("tier2".to_owned()),
//!             reason: format!("first response late by {} min", fr.breached_by),
//!             notify: Vec::new(),
//!             raise_priority: None,
//!         });
//!         Ok(Decision {
//!             deadlines: vec![fr],
//!             escalation,
//!             notes: vec!["first-response v1".to_owned()],
//!             ..Decision::default()
//!         })
//!     }
//!
//!     fn describe() -> Description {
//!         Description::new("first-response", "1.0.0")
//!     }
//! }
//!
//! pacto_guest::export_policy!(FirstResponse);
//! ```
//!
//! (`no_run`: inside a component the [`sla`] functions are imports of the Pacto host;
//! to run a policy natively, in a unit test say, give it a stand-in host through
//! [`native::decide`], whose docs show one.)
//!
//! The policy crate is a `cdylib`:
//!
//! ```toml
//! [lib]
//! crate-type = ["cdylib"]
//!
//! [dependencies]
//! pacto-guest = { path = "../../guest-sdk" }
//! ```
//!
//! Build it with `cargo build --release --target wasm32-wasip2` (or `pacto build DIR`
//! for a bundle whose `policy.toml` names the crate in `source`): the `.wasm` file is
//! already a component the host loads.
//!
//! # Rules of the sandbox
//!
//! A decision must depend only on the case, `now` and the policy. The host grants no
//! files, network, environment or real clock, and caps fuel and memory. A panic ends
//! the decision with an error (the host reports the panic message); return a
//! [`PolicyError`] instead to decline cleanly.
//!
//! Keep the policy crate a plain `cdylib` and leave the global allocator alone.
//! - An `rlib` crate type turns off link-time optimization for the component, which
//!   then runs about 15% more instructions per decision.
//! - A `#[global_allocator]` other than the default is unsafe here. The component may
//!   end up with wasi-libc's `cabi_realloc`, which allocates what the host passes in with
//!   libc's `malloc`, while Rust frees it with your allocator, and the heap is
//!   corrupted. This was seen with dlmalloc plus an `rlib`.
//!
//! To share rules with native code, put them in a library crate of their own and keep
//! the component crate a thin `cdylib` that calls [`export_policy!`]. (Pacto's own tests
//! include `rules/standard-wasm/guest/src/rules.rs` by `#[path]`, which does the same
//! without a third crate.)
//!
//! Outside Wasm (a native `cargo build` or `cargo test` of a policy crate) the types and
//! the trait work as usual; [`native::decide`] runs a policy with a host of your own
//! answering the [`sla`] functions, which otherwise panic. The `pacto` crate uses it to
//! run a guest's source natively (`Policy::from_guest`).

/// The code wit-bindgen generates from `wit/policy.wit`. Policies do not need it: use
/// the re-exports at the crate root, [`Policy`] and [`export_policy!`].
#[doc(hidden)]
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "policy",
        pub_export_macro: true,
        default_bindings_module: "pacto_guest::bindings",
        additional_derives: [PartialEq, Eq],
    });
}

use std::fmt;

mod escalation;
pub use escalation::Fired;

pub use bindings::pacto::policy::types::{
    Attribute, Channel, ClockStatus, Compensation, CompensationKind, Customer, Deadline, Decision,
    Description, Escalation, Event, EventKind, Interval, Kind, Metric, NoOpenTime, Order,
    PolicyError, Priority, Rating, Reading, ReversedPause, SlaError, Status, SupportCase,
    TimeError, Timeline, UnknownCalendar,
};

#[cfg(any(doc, not(target_arch = "wasm32")))]
pub mod native;

/// A policy: what a Rust author writes.
///
/// Both functions are associated functions (no `self`): a component instance holds no
/// state the host could rely on between decisions, so a policy should not either.
/// Register the type with [`export_policy!`].
pub trait Policy {
    /// Decides one case at `now` (Unix seconds, UTC).
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] when the policy declines to decide (its message reaches the
    /// caller), including an [`sla`] call the host refused (an unknown calendar, for
    /// example), which `?` passes on.
    fn decide(ticket: &SupportCase, now: i64) -> Result<Decision, PolicyError>;

    /// The policy's name and version; the host compares them with the bundle's
    /// `policy.toml`.
    fn describe() -> Description;
}

/// Exports a [`Policy`] as the component's `decide` and `describe`.
///
/// Use it once, in the policy crate (a `cdylib`), at the top level of any module:
///
/// ```no_run
/// # use pacto_guest::{Decision, Description, Policy, PolicyError, SupportCase};
/// struct Mine;
/// impl Policy for Mine {
///     fn decide(_: &SupportCase, _: i64) -> Result<Decision, PolicyError> {
///         Ok(Decision::default())
///     }
///     fn describe() -> Description {
///         Description::new("mine", "0.1.0")
///     }
/// }
/// pacto_guest::export_policy!(Mine);
/// ```
#[macro_export]
macro_rules! export_policy {
    ($policy:ty) => {
        const _: () = {
            struct __PactoPolicyExport;

            impl $crate::bindings::Guest for __PactoPolicyExport {
                fn decide(
                    ticket: $crate::SupportCase,
                    now: i64,
                ) -> ::core::result::Result<$crate::Decision, $crate::PolicyError> {
                    <$policy as $crate::Policy>::decide(&ticket, now)
                }

                fn describe() -> $crate::Description {
                    <$policy as $crate::Policy>::describe()
                }
            }

    $crate::bindings::export!(__PactoPolicyExport with_types_in $crate::bindings);
        };
    };
}

/// The host's business-time functions, on the calendars the bundle's `policy.toml`
/// names.
///
/// Instants are Unix seconds (UTC); durations are business minutes. An error (an
/// unknown calendar, a computation the calendar makes impossible) comes back as a typed
/// [`SlaError`]; `?` in [`Policy::decide`] turns it into a [`PolicyError`] that carries
/// it as its `cause`, and the host then reports it with the same kind as for a Rhai or
/// native policy (`time` or `policy`).
///
/// # Panics
///
/// Outside Wasm they call the host installed by [`native::decide`], and panic when
/// there is none.
pub mod sla {
    #[cfg(target_arch = "wasm32")]
    use crate::bindings::pacto::policy::sla as host;
    #[cfg(not(target_arch = "wasm32"))]
    use crate::native::installed as host;
    use crate::{Deadline, Metric, SlaError};

    /// The SLA clock `metric` measured on the case being decided, on `calendar`, with a
    /// target of `minutes` business minutes: its due time, status, when it was met, how
    /// late it is or how much time is left.
    ///
    /// # Errors
    ///
    /// [`SlaError`] when the calendar is unknown or the target cannot be placed.
    pub fn clock(metric: Metric, calendar: &str, minutes: i64) -> Result<Deadline, SlaError> {
        let r = host::clock(metric, calendar, minutes)?;
        Ok(Deadline {
            metric: r.metric,
            calendar: calendar.to_owned(),
            target: r.target,
            due: r.due,
            status: r.status,
            met_at: r.met_at,
            breached_by: r.breached_by,
            remaining: r.remaining,
            paused: r.paused,
        })
    }

    /// The three clocks a decision lists, in the contract's order: first response and
    /// next response on `response` (calendar, business minutes; next response only
    /// once it has started, that is unless it is inactive), then resolution on
    /// `resolution`.
    ///
    /// # Errors
    ///
    /// [`SlaError`] as for [`clock`].
    pub fn clocks(
        response: (&str, i64),
        resolution: (&str, i64),
    ) -> Result<Vec<Deadline>, SlaError> {
        let mut clocks = vec![clock(Metric::FirstResponse, response.0, response.1)?];
        let next = clock(Metric::NextResponse, response.0, response.1)?;
        if next.status != crate::ClockStatus::Inactive {
            clocks.push(next);
        }
        clocks.push(clock(Metric::Resolution, resolution.0, resolution.1)?);
        Ok(clocks)
    }

    /// `start` moved forward by `minutes` business minutes on `calendar`; negative
    /// minutes count backwards. A start outside hours begins at the next opening.
    ///
    /// # Errors
    ///
    /// [`SlaError`] when the calendar is unknown or the instant out of range.
    pub fn add_business_minutes(calendar: &str, start: i64, minutes: i64) -> Result<i64, SlaError> {
        host::add_business_minutes(calendar, start, minutes)
    }

    /// Whole business minutes (rounded down) on `calendar` from `start` to `end`; 0 when
    /// `end` is not after `start`.
    ///
    /// # Errors
    ///
    /// [`SlaError`] when the calendar is unknown or an instant out of range.
    pub fn business_minutes_between(calendar: &str, start: i64, end: i64) -> Result<i64, SlaError> {
        host::business_minutes_between(calendar, start, end)
    }

    /// Whether `at` falls inside `calendar`'s opening hours.
    ///
    /// # Errors
    ///
    /// [`SlaError`] when the calendar is unknown or the instant out of range.
    pub fn is_business_time(calendar: &str, at: i64) -> Result<bool, SlaError> {
        host::is_business_time(calendar, at)
    }
}

impl PolicyError {
    /// The policy declines to decide, for the reason given.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            cause: None,
        }
    }
}

/// An `sla` error passed on with `?`: the host reports the error itself, with the same
/// kind (`time` for a computation without an answer, `policy` for an unknown calendar)
/// and message as for a Rhai or native policy.
impl From<SlaError> for PolicyError {
    fn from(e: SlaError) -> Self {
        Self {
            message: e.message(),
            cause: Some(e),
        }
    }
}

impl SlaError {
    /// The error in words, as the host words it (its `Display`, generated by
    /// wit-bindgen, is the `Debug` form).
    pub fn message(&self) -> String {
        match self {
            SlaError::UnknownCalendar(u) => {
                let known = if u.known.is_empty() {
                    "no calendars".to_owned()
                } else {
                    let known: Vec<String> = u.known.iter().map(|k| format!("`{k}`")).collect();
                    known.join(", ")
                };
                format!("unknown calendar `{}`; the bundle has {known}", u.name)
            }
            SlaError::UnknownMetric(m) => format!(
                "unknown metric `{m}`; expected `first_response`, `next_response` or `resolution`"
            ),
            SlaError::Time(t) => t.to_string(),
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeError::NoOpenTime(n) => write!(
                f,
                "no open business time in the {} days after {} (Unix seconds)",
                n.days, n.start
            ),
            TimeError::OutOfRange(at) => write!(
                f,
                "{at} (Unix seconds) is outside the supported range 1900-01-01 to 2199-12-31"
            ),
            TimeError::Overflow(seconds) => {
                write!(
                    f,
                    "{seconds} seconds is too large an amount of business time"
                )
            }
            TimeError::NegativeTarget(m) => write!(
                f,
                "a clock target must be at least 0 business minutes, got {m}"
            ),
            TimeError::ReversedPause(p) => write!(
                f,
                "pause from {} to {} (Unix seconds) ends before it starts",
                p.start, p.end
            ),
        }
    }
}

impl From<String> for PolicyError {
    fn from(message: String) -> Self {
        Self::new(message)
    }
}

impl From<&str> for PolicyError {
    fn from(message: &str) -> Self {
        Self::new(message)
    }
}

impl Description {
    /// A policy's name and version, as in its `policy.toml`.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
        }
    }
}

/// An empty decision: no deadlines, no escalation, no compensation, no notes.
impl Default for Decision {
    fn default() -> Self {
        Self {
            deadlines: Vec::new(),
            escalation: None,
            compensation: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// `as_str` (the name used in JSON and in Rhai policies) and a `Display` that writes it.
macro_rules! json_names {
    ($($ty:ident { $($variant:ident => $name:literal),+ $(,)? })+) => {$(
        impl $ty {
            /// The name used in decision JSON and in Rhai policies.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}

json_names! {
    Priority { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" }
    Channel {
        Email => "email", Phone => "phone", Chat => "chat", Social => "social", Web => "web",
        InPerson => "in_person", Mail => "mail",
    }
    Kind {
        Question => "question", Incident => "incident", Problem => "problem",
        Request => "request", Complaint => "complaint", Compliment => "compliment",
    }
    Status {
        Open => "open", Pending => "pending", OnHold => "on_hold", Solved => "solved",
        Closed => "closed",
    }
    Metric {
        FirstResponse => "first_response", NextResponse => "next_response",
        Resolution => "resolution",
    }
    ClockStatus {
        Pending => "pending", Met => "met", Breached => "breached", Paused => "paused",
        Inactive => "inactive",
    }
    CompensationKind {
        ServiceCredit => "service_credit", Refund => "refund", Voucher => "voucher",
        WarrantyExtension => "warranty_extension", Apology => "apology",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_match_the_host() {
        assert_eq!(Metric::FirstResponse.to_string(), "first_response");
        assert_eq!(Metric::NextResponse.as_str(), "next_response");
        assert_eq!(Channel::InPerson.as_str(), "in_person");
        assert_eq!(Status::OnHold.as_str(), "on_hold");
        assert_eq!(ClockStatus::Breached.to_string(), "breached");
        assert_eq!(
            CompensationKind::WarrantyExtension.as_str(),
            "warranty_extension"
        );
    }

    #[test]
    fn errors_and_descriptions_build_from_text() {
        assert_eq!(PolicyError::from("no").message, "no");
        assert_eq!(PolicyError::from("no".to_owned()), PolicyError::new("no"));
        let d = Description::new("standard", "1.0.0");
        assert_eq!((d.name.as_str(), d.version.as_str()), ("standard", "1.0.0"));
        assert_eq!(Decision::default().deadlines, Vec::new());
    }

    #[test]
    #[should_panic(expected = "needs a host")]
    fn sla_outside_wasm_panics_clearly() {
        let _ = sla::is_business_time("support", 0);
    }
}
