//! Pacto: an SLA and policy engine for customer service.
//!
//! | module | what it holds |
//! |---|---|
//! | [`calendar`] | business-hours calendars and business-time arithmetic |
//! | [`case`] | the support case as a helpdesk sends it (strict JSON) |
//! | [`timeline`] | facts derived from a case's events: first reply, pauses, reopenings |
//! | [`clock`] | the SLA clocks: first response, next response, resolution |
//! | [`bundle`] | a policy folder: `policy.toml`, the policy, its calendars, limits, digest |
//! | [`engine`] | [`Engine`] loads bundles into [`Policy`] values that decide cases |
//! | [`sla`] | the host functions every policy calls: clocks and calendar arithmetic |
//! | [`guest`] | a Rust policy written for a Wasm component (`pacto-guest`), run natively |
//! | `rhai_backend` | the Rhai sandbox (private, behind [`Policy`]) |
//! | `wasm_backend` | the WebAssembly sandbox: wasmtime components, nothing granted (private) |
//! | [`fixture`] | fixtures: a case, a `now`, the expected part of a decision |
//! | [`decision`] | the decision types and the host's checks of what a policy returns |
//! | [`error`] | typed errors, one enum per operation |
//!
//! Data flows case → timeline → clock (and, with the engine, → policy → decision).

pub mod bundle;
pub mod calendar;
pub mod case;
pub mod clock;
pub mod decision;
pub mod engine;
pub mod error;
pub mod fixture;
pub mod guest;
mod rhai_backend;
pub mod sla;
pub mod timeline;
mod wasm_backend;
mod wit_convert;

pub use bundle::{Bundle, BundleError, Limits};
pub use calendar::{Calendar, Pauses};
pub use case::{Case, CaseError};
pub use clock::{Clock, ClockStatus, Metric};
pub use decision::{Decision, InvalidDecision, PolicyInfo};
pub use engine::{DecideError, Engine, LimitExceeded, NativePolicy, Policy};
pub use error::{CalendarLoadError, Location, TimeError};
pub use sla::{Sla, SlaError};
pub use timeline::Timeline;

/// The guest SDK, re-exported for [`Policy::from_guest`]: the types and the `Policy` trait
/// a Rust policy is written against.
pub use pacto_guest;
