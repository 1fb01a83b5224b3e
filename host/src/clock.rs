//! The SLA clocks: consumed business time against a target, per DESIGN.md's Clocks.
//!
//! | metric | starts | stops | paused by |
//! |---|---|---|---|
//! | `first_response` | `opened_at` | first agent reply | nothing |
//! | `next_response` | oldest customer message after an agent reply | the next agent reply | nothing |
//! | `resolution` | `opened_at` | solved (a reopening resumes it) | `pending`, `on_hold` |
//!
//! ```
//! use pacto::{Calendar, Case, Timeline};
//! use pacto::clock::{Clock, ClockStatus, Metric};
//!
//! let cal = Calendar::from_toml("24x7", r#"timezone = "UTC"
//!     mon = ["00:00-24:00"]
//!     tue = ["00:00-24:00"]"#)?;
//! let case = Case::from_json(r#"{"id": "C-1", "opened_at": "2026-03-02T10:00:00Z",
//!     "priority": "urgent", "channel": "chat", "kind": "incident",
//!     "customer": {"id": "K-1", "tier": "gold"}, "events": []}"#)?;
//! let now = "2026-03-02T10:45:00Z".parse()?;
//! let timeline = Timeline::derive(&case, now);
//! let clock = Clock::measure(Metric::FirstResponse, &cal, 60, &case, &timeline, now)?;
//! assert_eq!(clock.status, ClockStatus::Pending);
//! assert_eq!(clock.remaining, 15);
//! assert_eq!(clock.due, Some("2026-03-02T11:00:00Z".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;

use crate::calendar::{Calendar, Pauses};
use crate::case::Case;
use crate::error::TimeError;
use crate::timeline::Timeline;

/// Which SLA metric a clock measures.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// From opening to the first agent reply.
    FirstResponse,
    /// From a customer's follow-up to the agent reply that answers it.
    NextResponse,
    /// From opening to solved, paused while waiting on the customer or a third party.
    Resolution,
}

impl Metric {
    /// Every metric.
    pub const ALL: [Metric; 3] = [
        Metric::FirstResponse,
        Metric::NextResponse,
        Metric::Resolution,
    ];

    /// The name used in JSON and policies.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response",
            Metric::NextResponse => "next_response",
            Metric::Resolution => "resolution",
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown metric name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown metric `{0}`; expected one of `first_response`, `next_response`, `resolution`")]
pub struct UnknownMetric(pub String);

impl FromStr for Metric {
    type Err = UnknownMetric;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Metric::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMetric(s.to_owned()))
    }
}

/// Where a clock stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Running, within target.
    Pending,
    /// Stopped within target.
    Met,
    /// Consumed more than the target, stopped or not.
    Breached,
    /// Within target, and a pause is open at `now`.
    Paused,
    /// Not started.
    Inactive,
}

impl ClockStatus {
    /// The name used in JSON and policies.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockStatus::Pending => "pending",
            ClockStatus::Met => "met",
            ClockStatus::Breached => "breached",
            ClockStatus::Paused => "paused",
            ClockStatus::Inactive => "inactive",
        }
    }
}

/// One SLA clock at `now`. Minutes are business minutes, rounded down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// What it measures.
    pub metric: Metric,
    /// Target in business minutes.
    pub target: i64,
    /// The first instant at which consumed time reaches the target; projected as if the
    /// clock resumed at `now` when paused; `None` when inactive.
    pub due: Option<Timestamp>,
    /// Where it stands.
    pub status: ClockStatus,
    /// When it stopped, if it stopped within target.
    pub met_at: Option<Timestamp>,
    /// How late, when breached; 0 otherwise.
    pub breached_by: i64,
    /// Time left, while pending or paused; 0 otherwise.
    pub remaining: i64,
    /// A pause is open at `now`.
    pub paused: bool,
    /// When it started (`None` when inactive).
    pub started_at: Option<Timestamp>,
    /// When it stopped, met or breached.
    pub stopped_at: Option<Timestamp>,
    /// Business seconds consumed so far.
    pub consumed_seconds: i64,
}

impl Clock {
    /// Measures `metric` on `calendar` against `target_minutes` business minutes.
    pub fn measure(
        metric: Metric,
        calendar: &Calendar,
        target_minutes: i64,
        case: &Case,
        timeline: &Timeline,
        now: Timestamp,
    ) -> Result<Clock, TimeError> {
        Clock::measure_since(
            metric,
            calendar,
            target_minutes,
            case.opened_at,
            timeline,
            now,
        )
    }

    /// [`measure`](Self::measure) for a case opened at `opened_at`.
    pub fn measure_since(
        metric: Metric,
        calendar: &Calendar,
        target_minutes: i64,
        opened_at: Timestamp,
        timeline: &Timeline,
        now: Timestamp,
    ) -> Result<Clock, TimeError> {
        if target_minutes < 0 {
            return Err(TimeError::NegativeTarget(target_minutes));
        }
        let target = target_minutes
            .checked_mul(60)
            .ok_or(TimeError::Overflow(i128::from(target_minutes) * 60))?;
        let (start, stop) = span(metric, opened_at, timeline);
        let mut clock = Clock {
            metric,
            target: target_minutes,
            due: None,
            status: ClockStatus::Inactive,
            met_at: None,
            breached_by: 0,
            remaining: 0,
            paused: false,
            started_at: None,
            stopped_at: None,
            consumed_seconds: 0,
        };
        let Some(start) = start.filter(|s| *s <= now) else {
            return Ok(clock);
        };
        let pauses = pauses(metric, timeline, now)?;
        let paused_now = stop.is_none()
            && metric == Metric::Resolution
            && timeline
                .paused
                .last()
                .is_some_and(|p| p.interval.end.is_none());

        let consumed = calendar.business_seconds_between(start, stop.unwrap_or(now), &pauses)?;
        clock.started_at = Some(start);
        clock.stopped_at = stop;
        clock.consumed_seconds = consumed;
        clock.paused = paused_now;
        clock.due = Some(calendar.add_business_seconds(start, target, &pauses)?);
        clock.status = match (stop, consumed > target) {
            (_, true) => ClockStatus::Breached,
            (Some(_), false) => ClockStatus::Met,
            (None, false) if paused_now => ClockStatus::Paused,
            (None, false) => ClockStatus::Pending,
        };
        match clock.status {
            ClockStatus::Breached => clock.breached_by = (consumed - target) / 60,
            ClockStatus::Met => clock.met_at = stop,
            _ => clock.remaining = (target - consumed) / 60,
        }
        Ok(clock)
    }
}

/// When `metric`'s clock starts and stops on a case opened at `opened_at`: the start is
/// `None` when the clock has not started, the stop `None` while it runs.
pub(crate) fn span(
    metric: Metric,
    opened_at: Timestamp,
    timeline: &Timeline,
) -> (Option<Timestamp>, Option<Timestamp>) {
    match metric {
        Metric::FirstResponse => (Some(opened_at), timeline.first_response_at),
        Metric::NextResponse => match timeline.next_response {
            Some(cycle) => (Some(cycle.start), cycle.end),
            None => (None, None),
        },
        Metric::Resolution => (Some(opened_at), timeline.solved_at),
    }
}

/// The time `metric`'s clock does not count: for `resolution`, every wait on the
/// customer or a third party and every time solved before a reopening (a wait still open
/// ends at `now`); nothing for the response clocks.
pub(crate) fn pauses(
    metric: Metric,
    timeline: &Timeline,
    now: Timestamp,
) -> Result<Pauses, TimeError> {
    if metric != Metric::Resolution {
        return Ok(Pauses::none());
    }
    let waits = timeline.paused.iter().map(|p| p.interval);
    let spans = waits.chain(timeline.solved_gaps.iter().copied());
    Pauses::new(spans.map(|i| (i.start, Some(i.end.unwrap_or(now)))))
}
