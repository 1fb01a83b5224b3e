//! The host functions every policy has, whatever its sandbox: `clock`,
//! `add_business_minutes`, `business_minutes_between`, `is_business_time`.
//!
//! Rhai scripts and Wasm guests reach them through their backends; a native Rust policy
//! calls them directly. All of them are pure: they read only the case, `now` and the
//! bundle's calendars.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;

use crate::calendar::Calendar;
use crate::case::Case;
use crate::clock::{Clock, Metric, UnknownMetric};
use crate::error::TimeError;
use crate::timeline::Timeline;

/// A host function called with arguments it cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlaError {
    /// No calendar by that name in the bundle.
    #[error("unknown calendar `{name}`; the bundle has {known}")]
    UnknownCalendar {
        /// The name asked for.
        name: String,
        /// The bundle's calendars, quoted and comma-separated.
        known: String,
    },
    /// Not a metric.
    #[error(transparent)]
    UnknownMetric(#[from] UnknownMetric),
    /// Not a valid Unix time.
    #[error("{0} is not a valid Unix time")]
    BadInstant(i64),
    /// The calendar computation failed.
    #[error(transparent)]
    Time(#[from] TimeError),
}

/// One decision's view of the host: the case's timeline, `now`, the bundle's calendars.
#[derive(Debug, Clone, Copy)]
pub struct Sla<'a> {
    /// The bundle's calendars by name.
    pub calendars: &'a BTreeMap<String, Calendar>,
    /// When the case was opened.
    pub opened_at: Timestamp,
    /// The case's derived facts as of `now`.
    pub timeline: &'a Timeline,
    /// The decision's `now`.
    pub now: Timestamp,
}

/// [`Sla`]'s data owned, for a sandbox to keep for its host functions during one
/// decision (a Wasm store, a native guest's host).
#[derive(Debug, Clone)]
pub(crate) struct OwnedSla {
    pub calendars: Arc<BTreeMap<String, Calendar>>,
    pub timeline: Arc<Timeline>,
    pub opened_at: Timestamp,
    pub now: Timestamp,
}

impl OwnedSla {
    /// `sla` with the shared calendars and timeline it borrows from.
    pub fn new(
        calendars: &Arc<BTreeMap<String, Calendar>>,
        timeline: &Arc<Timeline>,
        sla: &Sla<'_>,
    ) -> Self {
        debug_assert!(std::ptr::eq(&**calendars, sla.calendars));
        debug_assert!(std::ptr::eq(&**timeline, sla.timeline));
        OwnedSla {
            calendars: Arc::clone(calendars),
            timeline: Arc::clone(timeline),
            opened_at: sla.opened_at,
            now: sla.now,
        }
    }

    /// Runs one host function; its error as the text a policy sees.
    pub fn with<T>(&self, f: impl FnOnce(&Sla<'_>) -> Result<T, SlaError>) -> Result<T, String> {
        let sla = Sla {
            calendars: &self.calendars,
            opened_at: self.opened_at,
            timeline: &self.timeline,
            now: self.now,
        };
        f(&sla).map_err(|e| e.to_string())
    }
}

fn instant(second: i64) -> Result<Timestamp, SlaError> {
    Timestamp::from_second(second).map_err(|_| SlaError::BadInstant(second))
}

impl<'a> Sla<'a> {
    /// The view of `case` as of `now`.
    pub fn new(
        calendars: &'a BTreeMap<String, Calendar>,
        case: &Case,
        timeline: &'a Timeline,
        now: Timestamp,
    ) -> Self {
        Sla {
            calendars,
            opened_at: case.opened_at,
            timeline,
            now,
        }
    }

    /// The bundle calendar called `name`.
    pub fn calendar(&self, name: &str) -> Result<&'a Calendar, SlaError> {
        self.calendars
            .get(name)
            .ok_or_else(|| SlaError::UnknownCalendar {
                name: name.to_owned(),
                known: self
                    .calendars
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The SLA clock `metric` with a target of `minutes` business minutes on `calendar`.
    pub fn clock(&self, metric: &str, calendar: &str, minutes: i64) -> Result<Clock, SlaError> {
        let metric: Metric = metric.parse()?;
        let cal = self.calendar(calendar)?;
        Ok(Clock::measure_since(
            metric,
            cal,
            minutes,
            self.opened_at,
            self.timeline,
            self.now,
        )?)
    }

    /// `minutes` business minutes after `start` (Unix seconds); negative counts back.
    pub fn add_business_minutes(
        &self,
        calendar: &str,
        start: i64,
        minutes: i64,
    ) -> Result<i64, SlaError> {
        let cal = self.calendar(calendar)?;
        Ok(cal
            .add_business_minutes(instant(start)?, minutes)?
            .as_second())
    }

    /// Whole business minutes from `start` to `end` (Unix seconds).
    pub fn business_minutes_between(
        &self,
        calendar: &str,
        start: i64,
        end: i64,
    ) -> Result<i64, SlaError> {
        let cal = self.calendar(calendar)?;
        Ok(cal.business_minutes_between(instant(start)?, instant(end)?)?)
    }

    /// Whether `at` (Unix seconds) is inside business hours.
    pub fn is_business_time(&self, calendar: &str, at: i64) -> Result<bool, SlaError> {
        let cal = self.calendar(calendar)?;
        Ok(cal.is_business_time(instant(at)?)?)
    }
}
