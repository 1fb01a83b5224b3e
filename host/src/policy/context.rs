//! One decision's view of the host, and the host functions every policy has, whatever
//! its sandbox: `clock`, `add_business_minutes`, `business_minutes_between`,
//! `is_business_time`.
//!
//! [`Policy::decide`](super::Policy::decide) makes one [`Context`] per decision; the
//! Rhai backend hands it to its host functions as the call's tag, the Wasm backend keeps
//! it in the store for the length of the call, a native policy borrows it. All the
//! functions are pure: they read only the case's timeline, `now` and the bundle's
//! calendars.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use jiff::Timestamp;

use crate::calendar::Calendar;
use crate::calendar::LocalInstant;
use crate::clock::{Clock, Metric, UnknownMetric};
use crate::error::TimeError;
use crate::timeline::Timeline;
use crate::trace::{CallResult, HostCall, MAX_TRACED_CALLS};

/// A host function called with arguments it cannot use, or whose computation has no
/// answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum SlaError {
    /// No calendar by that name in the bundle.
    #[error(transparent)]
    UnknownCalendar(#[from] UnknownCalendar),
    /// Not a metric.
    #[error(transparent)]
    UnknownMetric(#[from] UnknownMetric),
    /// The calendar computation has no answer.
    #[error(transparent)]
    Time(#[from] TimeError),
}

/// A calendar name the bundle does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown calendar `{name}`; the bundle has {}", list_names(.known))]
pub struct UnknownCalendar {
    /// The name asked for.
    pub name: String,
    /// The bundle's calendars.
    pub known: Vec<String>,
}

fn list_names(names: &[String]) -> String {
    if names.is_empty() {
        return "no calendars".into();
    }
    names
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<SlaError> for super::DecideError {
    /// A time error keeps its kind (`time`); a call the bundle cannot answer (an unknown
    /// calendar or metric) is the policy's mistake (`policy`).
    fn from(e: SlaError) -> Self {
        match e {
            SlaError::Time(t) => super::DecideError::Time(t),
            other => super::DecideError::policy(other.to_string()),
        }
    }
}

/// One decision's view of the host: the bundle's calendars, the case's timeline as of
/// `now`, when the case was opened, `now`, and the count of host calls made so far
/// against `max_host_calls`. Cheap to clone (three `Arc`s); clones share the count.
#[derive(Debug, Clone)]
pub struct Context {
    calendars: Arc<BTreeMap<String, Calendar>>,
    timeline: Arc<Timeline>,
    opened_at: Timestamp,
    now: Timestamp,
    calls: Arc<HostCalls>,
    /// The host calls made, when the decision is traced.
    log: Option<Arc<Mutex<CallLog>>>,
}

/// The host calls of a traced decision, in order, the first [`MAX_TRACED_CALLS`] kept.
#[derive(Debug, Default)]
struct CallLog {
    calls: Vec<HostCall>,
    omitted: u64,
}

/// Host calls made in one decision, against its limit.
#[derive(Debug)]
struct HostCalls {
    made: AtomicU64,
    limit: u64,
}

fn instant(second: i64) -> Result<Timestamp, SlaError> {
    Timestamp::from_second(second).map_err(|_| TimeError::OutOfRangeSeconds(second).into())
}

impl Context {
    /// The view of a case opened at `opened_at`, with `timeline` derived as of `now`.
    pub fn new(
        calendars: Arc<BTreeMap<String, Calendar>>,
        timeline: Arc<Timeline>,
        opened_at: Timestamp,
        now: Timestamp,
    ) -> Self {
        Context {
            calendars,
            timeline,
            opened_at,
            now,
            calls: Arc::new(HostCalls {
                made: AtomicU64::new(0),
                limit: u64::MAX,
            }),
            log: None,
        }
    }

    /// The same view, recording each host call for a trace
    /// ([`Policy::decide_traced`](super::Policy::decide_traced)).
    pub(crate) fn traced(mut self) -> Self {
        self.log = Some(Arc::default());
        self
    }

    /// Hands `answer` back, first recording the call it answers (`call` describes it)
    /// when the decision is traced.
    fn record<T>(
        &self,
        answer: Result<T, SlaError>,
        call: impl FnOnce(&Result<T, SlaError>) -> HostCall,
    ) -> Result<T, SlaError> {
        if let Some(log) = &self.log {
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            if log.calls.len() < MAX_TRACED_CALLS {
                log.calls.push(call(&answer));
            } else {
                log.omitted += 1;
            }
        }
        answer
    }

    /// Unix seconds as a trace shows them: in `calendar`'s offset (UTC for a calendar
    /// the bundle lacks); `None` for a second that is no instant.
    fn shown(&self, calendar: &str, second: i64) -> Option<LocalInstant> {
        let at = Timestamp::from_second(second).ok()?;
        Some(match self.calendars.get(calendar) {
            Some(cal) => LocalInstant::on(cal, at),
            None => LocalInstant {
                timestamp: at,
                offset: jiff::tz::Offset::UTC,
            },
        })
    }

    /// The host calls recorded, and how many more were made past the trace's cap.
    pub(crate) fn recorded_calls(&self) -> (Vec<HostCall>, u64) {
        match &self.log {
            Some(log) => {
                let log = log.lock().unwrap_or_else(|e| e.into_inner());
                (log.calls.clone(), log.omitted)
            }
            None => (Vec::new(), 0),
        }
    }

    /// The same view, allowing `limit` host calls (`max_host_calls`) instead of any
    /// number. [`Policy::decide`](super::Policy::decide) sets the bundle's.
    pub fn with_max_host_calls(mut self, limit: u64) -> Self {
        match Arc::get_mut(&mut self.calls) {
            Some(calls) => calls.limit = limit,
            None => {
                self.calls = Arc::new(HostCalls {
                    made: AtomicU64::new(self.host_calls()),
                    limit,
                })
            }
        }
        self
    }

    /// Counts one host call. The sandboxes call this before each `sla` function and
    /// stop the policy, beyond the guest's reach (a Wasm trap, an error Rhai's `catch`
    /// does not see), when it fails; the calendar functions of `Context` itself do not
    /// count, so a native policy is not limited.
    pub fn charge_host_call(&self) -> Result<(), super::LimitExceeded> {
        let made = self.calls.made.fetch_add(1, Ordering::Relaxed);
        if made >= self.calls.limit {
            return Err(super::LimitExceeded::HostCalls(self.calls.limit));
        }
        Ok(())
    }

    /// Whether a call went past `max_host_calls`: then the decision is that limit, however
    /// the policy went on.
    pub fn host_calls_exceeded(&self) -> Option<super::LimitExceeded> {
        (self.calls.made.load(Ordering::Relaxed) > self.calls.limit)
            .then_some(super::LimitExceeded::HostCalls(self.calls.limit))
    }

    /// Host calls counted so far.
    pub fn host_calls(&self) -> u64 {
        self.calls.made.load(Ordering::Relaxed)
    }

    /// The decision's `now`.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The case's derived facts as of `now`.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The timeline, shared: a backend can hand it on without a copy.
    #[cfg(feature = "rhai")]
    pub(crate) fn shared_timeline(&self) -> &Arc<Timeline> {
        &self.timeline
    }

    /// The bundle's calendars by name.
    pub fn calendars(&self) -> &BTreeMap<String, Calendar> {
        &self.calendars
    }

    /// The bundle calendar called `name`.
    pub fn calendar(&self, name: &str) -> Result<&Calendar, SlaError> {
        self.calendars.get(name).ok_or_else(|| {
            UnknownCalendar {
                name: name.to_owned(),
                known: self.calendars.keys().cloned().collect(),
            }
            .into()
        })
    }

    /// The SLA clock `metric` with a target of `minutes` business minutes on `calendar`.
    pub fn clock(&self, metric: Metric, calendar: &str, minutes: i64) -> Result<Clock, SlaError> {
        self.clock_as(metric.as_str(), Ok(metric), calendar, minutes)
    }

    /// [`clock`](Self::clock) with the metric by name (`first_response`, …).
    pub fn clock_named(
        &self,
        metric: &str,
        calendar: &str,
        minutes: i64,
    ) -> Result<Clock, SlaError> {
        self.clock_as(
            metric,
            metric.parse().map_err(SlaError::from),
            calendar,
            minutes,
        )
    }

    /// The clock for `metric`, asked for by the name `asked`.
    fn clock_as(
        &self,
        asked: &str,
        metric: Result<Metric, SlaError>,
        calendar: &str,
        minutes: i64,
    ) -> Result<Clock, SlaError> {
        let measured = metric.and_then(|metric| {
            let cal = self.calendar(calendar)?;
            Ok(Clock::measure_since(
                metric,
                cal,
                minutes,
                self.opened_at,
                &self.timeline,
                self.now,
            )?)
        });
        self.record(measured, |m| HostCall::Clock {
            metric: asked.to_owned(),
            calendar: calendar.to_owned(),
            minutes,
            error: m.as_ref().err().map(ToString::to_string),
        })
    }

    /// `minutes` business minutes after `start` (Unix seconds); negative counts back.
    pub fn add_business_minutes(
        &self,
        calendar: &str,
        start: i64,
        minutes: i64,
    ) -> Result<i64, SlaError> {
        let answer = self.calendar(calendar).and_then(|cal| {
            Ok(cal
                .add_business_minutes(instant(start)?, minutes)?
                .as_second())
        });
        self.record(answer, |a| HostCall::AddBusinessMinutes {
            calendar: calendar.to_owned(),
            start: self.shown(calendar, start),
            minutes,
            result: CallResult::of(a, |&at| self.shown(calendar, at)),
        })
    }

    /// Whole business minutes from `start` to `end` (Unix seconds).
    pub fn business_minutes_between(
        &self,
        calendar: &str,
        start: i64,
        end: i64,
    ) -> Result<i64, SlaError> {
        let answer = self
            .calendar(calendar)
            .and_then(|cal| Ok(cal.business_minutes_between(instant(start)?, instant(end)?)?));
        self.record(answer, |a| HostCall::BusinessMinutesBetween {
            calendar: calendar.to_owned(),
            start: self.shown(calendar, start),
            end: self.shown(calendar, end),
            result: CallResult::of(a, |&minutes| Some(minutes)),
        })
    }

    /// Whether `at` (Unix seconds) is inside business hours.
    pub fn is_business_time(&self, calendar: &str, at: i64) -> Result<bool, SlaError> {
        let answer = self
            .calendar(calendar)
            .and_then(|cal| Ok(cal.is_business_time(instant(at)?)?));
        self.record(answer, |a| HostCall::IsBusinessTime {
            calendar: calendar.to_owned(),
            at: self.shown(calendar, at),
            result: CallResult::of(a, |&open| Some(open)),
        })
    }
}
