//! Pacto: an SLA and policy engine for customer service.
//!
//! | module | what it holds |
//! |---|---|
//! | [`calendar`] | business-hours calendars and business-time arithmetic |
//! | [`case`] | the support case as a helpdesk sends it (strict JSON) |
//! | [`timeline`] | facts derived from a case's events: first reply, pauses, reopenings |
//! | [`clock`] | the SLA clocks: first response, next response, resolution |
//! | [`error`] | typed errors, one enum per operation |
//!
//! Data flows case → timeline → clock (and, with the engine, → policy → decision).

pub mod calendar;
pub mod case;
pub mod clock;
pub mod error;
pub mod timeline;

pub use calendar::{Calendar, Pauses};
pub use case::{Case, CaseError};
pub use clock::{Clock, ClockStatus, Metric};
pub use error::{CalendarLoadError, Location, TimeError};
pub use timeline::Timeline;
