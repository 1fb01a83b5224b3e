//! Pacto: an SLA and policy engine for customer service.
//!
//! The minimal embedding: a [`Registry`] of the policies in a folder (hot reloaded while
//! [`Registry::watch`]'s handle lives), a [`Case`], a [`Decision`] and its deadlines.
//!
//! ```
//! use pacto::{Case, Registry};
//!
//! let registry = Registry::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
//! let _watch = registry.watch()?;
//! let case = Case::from_json(&std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"), "/../examples/cases/gold-complaint-phone.json"))?)?;
//! let decision = registry.decide("standard", &case, "2026-03-03T12:00:00+01:00".parse()?)?;
//! for d in &decision.deadlines {
//!     let due = d.due.map(|at| at.to_string()).unwrap_or_default();
//!     println!("{}: due {due}, {}", d.metric, d.status.as_str());
//! }
//! assert_eq!(decision.deadlines[0].status.as_str(), "breached");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Data flows case → timeline → clocks → policy → decision:
//!
//! | module | what it holds |
//! |---|---|
//! | [`case`] | the support case as a helpdesk sends it (strict JSON) |
//! | [`timeline`] | facts derived from a case's events: first reply, pauses, reopenings |
//! | [`calendar`] | business-hours calendars, business-time arithmetic, [`LocalInstant`] |
//! | [`clock`] | the SLA clocks: first response, next response, resolution |
//! | [`policy`] | [`Policy`], its per-decision [`Context`], [`DecideError`], and the backends: Rhai, Wasm, native |
//! | [`decision`] | the decision types and the host's checks of what a policy returns |
//! | [`trace`] | why each deadline is where it is: intervals counted, pauses skipped, host calls |
//! | [`bundle`] | a policy folder: `policy.toml`, the policy, its calendars, limits, digest |
//! | [`engine`] | [`Engine`] loads bundles into [`Policy`] values |
//! | [`corpus`] | corpus lines (a case, or `{"case", "now"}`) and the answer line `replay --out` writes for each |
//! | [`fixture`] | fixtures: a case, a `now`, the expected part of a decision |
//! | [`registry`] | [`Registry`]: the bundles of a folder by name, swapped while they serve, watched, with fallbacks |
//! | [`error`] | [`Location`] and the errors of loading calendars and of time arithmetic |
//!
//! ## Cargo features
//!
//! - `rhai` (default): Rhai policies.
//! - `wasm` (default): WebAssembly policies, on wasmtime. Leave it out and wasmtime is
//!   not built; Rust policies written against `pacto-guest` still run natively
//!   ([`Policy::from_guest`]).

pub mod bundle;
pub mod calendar;
pub mod case;
pub mod clock;
pub mod corpus;
pub mod decision;
pub mod engine;
pub mod error;
pub mod fixture;
#[cfg(any(feature = "rhai", feature = "wasm"))]
mod lane;
pub mod policy;
pub mod registry;
pub mod timeline;
pub mod trace;

pub use bundle::{Bundle, BundleError, Limits};
pub use calendar::{Calendar, LocalInstant, Pauses};
pub use case::{Case, CaseError};
pub use clock::{Clock, ClockStatus, Metric};
pub use decision::{Decision, ErrorReport, FallbackUsed, InvalidDecision, PolicyInfo};
pub use engine::Engine;
pub use error::{CalendarLoadError, Location, TimeError};
pub use policy::{
    Context, DECISION_STACK_SIZE, DecideError, LimitExceeded, NativePolicy, Policy, PolicyFailed,
    SlaError, UnknownCalendar,
};
pub use registry::{Fallback, Registry, RegistryError, RegistryEvent, Served};
pub use timeline::Timeline;

/// The guest SDK, re-exported for [`Policy::from_guest`]: the types and the `Policy` trait
/// a Rust policy is written against.
pub use pacto_guest;
