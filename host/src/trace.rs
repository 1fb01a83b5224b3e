//! Why each deadline is where it is: the business time a clock counted, the pauses it
//! skipped, and the host calls the policy made. Built by the host from the case, `now`
//! and the calendars, never by the policy, so it explains every backend alike.
//!
//! [`Policy::decide_traced`](crate::Policy::decide_traced) adds a [`Trace`] to the
//! decision (`trace` in its JSON); [`Policy::decide`](crate::Policy::decide) does not
//! build one, and its decision is unchanged.
//!
//! ```
//! use pacto::{Calendar, Case, Timeline};
//! use pacto::clock::Metric;
//! use pacto::trace::ClockTrace;
//!
//! let cal = Calendar::from_toml("support.toml", r#"timezone = "UTC"
//!     mon = ["09:00-13:00", "14:00-18:00"]"#)?;
//! let case = Case::from_json(r#"{"id": "C-1", "opened_at": "2026-03-02T12:00:00Z",
//!     "priority": "high", "channel": "email", "kind": "incident",
//!     "customer": {"id": "K-1", "tier": "gold"}, "events": []}"#)?;
//! let now = "2026-03-02T15:00:00Z".parse()?;
//! let timeline = Timeline::derive(&case, now);
//! let trace = ClockTrace::measure(Metric::FirstResponse, "support", &cal, 240,
//!     case.opened_at, &timeline, now)?;
//! // 12:00–13:00 and 14:00–15:00 counted: two business hours of four
//! assert_eq!(trace.counted.len(), 2);
//! assert_eq!(trace.consumed_seconds, 7_200);
//! assert_eq!(trace.counted.iter().map(|s| s.seconds).sum::<i64>(), 7_200);
//! assert_eq!(trace.due.unwrap().to_string(), "2026-03-02T17:00:00+00:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, LocalInstant};
use crate::case::{Case, Status};
use crate::clock::{self, Clock, ClockStatus, Metric};
use crate::decision::Decision;
use crate::error::TimeError;
use crate::policy::Context;
use crate::timeline::Timeline;

/// Counted intervals and pauses kept at each end of a long list; the middle is summed up
/// in an [`Omitted`].
pub const KEEP_AT_EACH_END: usize = 50;

/// Host calls kept in a trace; later ones are only counted.
pub const MAX_TRACED_CALLS: usize = 200;

/// A decision's trace: one [`ClockTrace`] per deadline, the host calls in the order the
/// policy made them, and the policy's notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The instant the decision was made at.
    pub now: LocalInstant,
    /// One per deadline of the decision, in the same order.
    pub clocks: Vec<ClockTrace>,
    /// The host calls the policy made, in order (at most [`MAX_TRACED_CALLS`]).
    pub host_calls: Vec<HostCall>,
    /// Host calls made past [`MAX_TRACED_CALLS`], counted but not listed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub host_calls_omitted: u64,
    /// The policy's own notes, as in the decision.
    pub notes: Vec<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One deadline, explained: the clock as the host measures it on the deadline's
/// calendar and target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockTrace {
    /// The metric.
    pub metric: Metric,
    /// The bundle calendar it runs on.
    pub calendar: String,
    /// The calendar's IANA zone: the instants here are in its offset.
    pub timezone: String,
    /// Where the clock stands at `now`.
    pub status: ClockStatus,
    /// When it started; `None` while inactive.
    pub started_at: Option<LocalInstant>,
    /// When it stopped (the reply, the solve); `None` while it runs.
    pub stopped_at: Option<LocalInstant>,
    /// Where counting ends: the stop, or `now` while it runs.
    pub counted_until: Option<LocalInstant>,
    /// The target, in business seconds.
    pub target_seconds: i64,
    /// Business seconds consumed: the sum of `counted` and `omitted`.
    pub consumed_seconds: i64,
    /// The open intervals counted, in order, touching ones joined.
    pub counted: Vec<Span>,
    /// Counted intervals left out of the middle of a long list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub omitted: Option<Omitted>,
    /// The pauses excluded between start and `counted_until`, in order.
    pub paused: Vec<PauseSpan>,
    /// Pauses left out of the middle of a long list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_omitted: Option<Omitted>,
    /// When consumed time reaches the target; projected as if resumed at `now` when
    /// paused.
    pub due: Option<LocalInstant>,
    /// When consumed time reaches 50 % and 75 % of the target, projected as `due` is:
    /// the points where a helpdesk's SLA badge changes colour.
    pub thresholds: Vec<Threshold>,
    /// From `now` to `due`, in calendar and in business time; negative when `due` has
    /// passed.
    pub to_due: Option<ToDue>,
    /// Whether the decision's deadline says what the host measured (due, status). A
    /// policy may set a deadline of its own; this trace is the host's clock either way.
    pub matches_decision: bool,
}

/// The instant a clock reaches a share of its target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    /// Percent of the target.
    pub percent: u8,
    /// When consumed time reaches it.
    pub at: LocalInstant,
}

/// A `[from, to)` interval and the business seconds in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Start.
    pub from: LocalInstant,
    /// End.
    pub to: LocalInstant,
    /// Business seconds in it.
    pub seconds: i64,
}

/// Why a clock did not count an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    /// Waiting on the customer.
    Pending,
    /// Waiting on a third party.
    OnHold,
    /// Solved, until a reopening.
    Solved,
}

impl PauseReason {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PauseReason::Pending => "pending",
            PauseReason::OnHold => "on_hold",
            PauseReason::Solved => "solved",
        }
    }
}

/// A pause the clock skipped, clipped to the counted range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseSpan {
    /// Start.
    pub from: LocalInstant,
    /// End (`now` for a pause still open).
    pub to: LocalInstant,
    /// Why.
    pub reason: PauseReason,
    /// Still open at `now`.
    pub open: bool,
    /// Business seconds inside it that the clock did not count.
    pub business_seconds: i64,
}

/// What the middle of a long list held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Omitted {
    /// Left out after this many listed entries.
    pub after: usize,
    /// How many.
    pub count: usize,
    /// The business seconds in them.
    pub seconds: i64,
}

/// From `now` to a due instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToDue {
    /// Calendar (wall-clock) seconds.
    pub calendar_seconds: i64,
    /// Business seconds on the clock's calendar, outside its pauses.
    pub business_seconds: i64,
}

/// A host function a policy called, with what it asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "function", rename_all = "snake_case")]
pub enum HostCall {
    /// `sla.clock(metric, calendar, minutes)`.
    Clock {
        /// The metric asked for (as written: it may be unknown).
        metric: String,
        /// The calendar.
        calendar: String,
        /// The target in business minutes.
        minutes: i64,
        /// The error, if the call failed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    /// `sla.add_business_minutes(calendar, start, minutes)`.
    AddBusinessMinutes {
        /// The calendar.
        calendar: String,
        /// The start the policy passed (as Unix seconds); null if no instant.
        start: Option<LocalInstant>,
        /// Minutes to add.
        minutes: i64,
        /// The instant answered, or the error.
        #[serde(flatten)]
        result: CallResult<LocalInstant>,
    },
    /// `sla.business_minutes_between(calendar, start, end)`.
    BusinessMinutesBetween {
        /// The calendar.
        calendar: String,
        /// The start the policy passed; null if no instant.
        start: Option<LocalInstant>,
        /// The end the policy passed; null if no instant.
        end: Option<LocalInstant>,
        /// The answer in minutes, or the error.
        #[serde(flatten)]
        result: CallResult<i64>,
    },
    /// `sla.is_business_time(calendar, at)`.
    IsBusinessTime {
        /// The calendar.
        calendar: String,
        /// The instant the policy passed; null if no instant.
        at: Option<LocalInstant>,
        /// The answer, or the error.
        #[serde(flatten)]
        result: CallResult<bool>,
    },
}

/// A host call's answer. Instants, in arguments and answers, are RFC 3339 in the
/// offset of the call's calendar (UTC when the calendar is unknown), as every instant a
/// decision shows; a policy passes and gets them as Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallResult<T> {
    /// The value returned.
    Value(T),
    /// The error returned.
    Error(String),
}

impl<T> CallResult<T> {
    /// The answer `r`, its value shown by `show`.
    pub(crate) fn of<V, E: std::fmt::Display>(
        r: &Result<V, E>,
        show: impl FnOnce(&V) -> Option<T>,
    ) -> Self {
        match r {
            Ok(v) => match show(v) {
                Some(t) => CallResult::Value(t),
                None => CallResult::Error("the answer is not an instant".into()),
            },
            Err(e) => CallResult::Error(e.to_string()),
        }
    }
}

/// Keeps the first and last [`KEEP_AT_EACH_END`] entries of a list fed in order.
struct Ends<T> {
    first: Vec<T>,
    last: VecDeque<T>,
    omitted: usize,
    omitted_seconds: i64,
}

impl<T> Ends<T> {
    fn new() -> Self {
        Ends {
            first: Vec::new(),
            last: VecDeque::new(),
            omitted: 0,
            omitted_seconds: 0,
        }
    }

    fn push(&mut self, item: T, seconds: impl Fn(&T) -> i64) {
        if self.first.len() < KEEP_AT_EACH_END {
            self.first.push(item);
            return;
        }
        self.last.push_back(item);
        if self.last.len() > KEEP_AT_EACH_END
            && let Some(dropped) = self.last.pop_front()
        {
            self.omitted += 1;
            self.omitted_seconds += seconds(&dropped);
        }
    }

    fn finish(self) -> (Vec<T>, Option<Omitted>) {
        let after = self.first.len();
        let omitted = (self.omitted > 0).then_some(Omitted {
            after,
            count: self.omitted,
            seconds: self.omitted_seconds,
        });
        let mut all = self.first;
        all.extend(self.last);
        (all, omitted)
    }
}

impl Trace {
    /// The trace of `decision`, made on `case` in `ctx`: each deadline measured again on
    /// its calendar and target, with the host calls `ctx` recorded.
    pub(crate) fn of(decision: &Decision, case: &Case, ctx: &Context) -> Result<Trace, TimeError> {
        let mut clocks = Vec::with_capacity(decision.deadlines.len());
        for d in &decision.deadlines {
            // the decision was validated: its calendars are the bundle's
            let Ok(calendar) = ctx.calendar(&d.calendar) else {
                continue;
            };
            let mut clock = ClockTrace::measure(
                d.metric,
                &d.calendar,
                calendar,
                d.target,
                case.opened_at,
                ctx.timeline(),
                ctx.now(),
            )?;
            clock.matches_decision = clock.status == d.status
                && clock.due.map(|t| t.timestamp) == d.due.map(|t| t.timestamp);
            clocks.push(clock);
        }
        let zone = decision
            .deadlines
            .first()
            .and_then(|d| ctx.calendar(&d.calendar).ok());
        let now = match zone {
            Some(cal) => LocalInstant::on(cal, ctx.now()),
            None => LocalInstant {
                timestamp: ctx.now(),
                offset: jiff::tz::Offset::UTC,
            },
        };
        let (host_calls, host_calls_omitted) = ctx.recorded_calls();
        Ok(Trace {
            now,
            clocks,
            host_calls,
            host_calls_omitted,
            notes: decision.notes.clone(),
        })
    }
}

fn ts(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap_or(Timestamp::MAX)
}

impl ClockTrace {
    /// Measures `metric` on `calendar` (called `name` in the bundle) against
    /// `target_minutes`, for a case opened at `opened_at`, and records every interval
    /// it counted and every pause it skipped.
    pub fn measure(
        metric: Metric,
        name: &str,
        calendar: &Calendar,
        target_minutes: i64,
        opened_at: Timestamp,
        timeline: &Timeline,
        now: Timestamp,
    ) -> Result<ClockTrace, TimeError> {
        let clock =
            Clock::measure_since(metric, calendar, target_minutes, opened_at, timeline, now)?;
        let local = |t: Timestamp| LocalInstant::on(calendar, t);
        let mut trace = ClockTrace {
            metric,
            calendar: name.to_owned(),
            timezone: calendar.timezone().to_owned(),
            status: clock.status,
            started_at: clock.started_at.map(local),
            stopped_at: clock.stopped_at.map(local),
            counted_until: None,
            target_seconds: target_minutes.saturating_mul(60),
            consumed_seconds: clock.consumed_seconds,
            counted: Vec::new(),
            omitted: None,
            paused: Vec::new(),
            paused_omitted: None,
            due: clock.due.map(local),
            thresholds: Vec::new(),
            to_due: None,
            matches_decision: true,
        };
        let Some(start) = clock.started_at else {
            return Ok(trace);
        };
        let until = clock.stopped_at.unwrap_or(now);
        trace.counted_until = Some(local(until));
        let pauses = clock::pauses(metric, timeline, now)?;

        let mut counted = Ends::new();
        let (s, e) = (start.as_second(), until.as_second());
        calendar.each_counted(s, e, &pauses, |a, b| counted.push((a, b), |&(x, y)| y - x))?;
        let (spans, omitted) = counted.finish();
        trace.counted = spans
            .into_iter()
            .map(|(a, b)| Span {
                from: local(ts(a)),
                to: local(ts(b)),
                seconds: b - a,
            })
            .collect();
        trace.omitted = omitted;

        if metric == Metric::Resolution {
            let (paused, omitted) = pause_spans(calendar, timeline, start, until, now)?;
            trace.paused = paused;
            trace.paused_omitted = omitted;
        }
        for percent in [50u8, 75] {
            let share = trace.target_seconds / 100 * i64::from(percent)
                + trace.target_seconds % 100 * i64::from(percent) / 100;
            let at = calendar.add_business_seconds(start, share, &pauses)?;
            trace.thresholds.push(Threshold {
                percent,
                at: local(at),
            });
        }
        if let Some(due) = clock.due {
            let business_seconds = if due >= now {
                calendar.business_seconds_between(now, due, &crate::calendar::Pauses::none())?
            } else {
                -calendar.business_seconds_between(due, now, &pauses)?
            };
            trace.to_due = Some(ToDue {
                calendar_seconds: due.as_second() - now.as_second(),
                business_seconds,
            });
        }
        Ok(trace)
    }
}

/// The resolution clock's pauses between `start` and `until`, in order, clipped.
fn pause_spans(
    calendar: &Calendar,
    timeline: &Timeline,
    start: Timestamp,
    until: Timestamp,
    now: Timestamp,
) -> Result<(Vec<PauseSpan>, Option<Omitted>), TimeError> {
    let waits = timeline.paused.iter().map(|p| {
        let reason = match p.status {
            Status::OnHold => PauseReason::OnHold,
            _ => PauseReason::Pending,
        };
        (p.interval, reason)
    });
    let gaps = timeline
        .solved_gaps
        .iter()
        .map(|i| (*i, PauseReason::Solved));
    let mut all: Vec<_> = waits.chain(gaps).collect();
    all.sort_by_key(|(i, _)| i.start);
    let mut kept = Ends::new();
    for (interval, reason) in all {
        let end = interval.end.unwrap_or(now);
        let (from, to) = (interval.start.max(start), end.min(until));
        if to <= from {
            continue;
        }
        let business_seconds =
            calendar.business_seconds_between(from, to, &crate::calendar::Pauses::none())?;
        let span = PauseSpan {
            from: LocalInstant::on(calendar, from),
            to: LocalInstant::on(calendar, to),
            reason,
            open: interval.end.is_none(),
            business_seconds,
        };
        kept.push(span, |p| p.business_seconds);
    }
    Ok(kept.finish())
}
