//! Walking a calendar's open spans forwards or backwards from an instant.
//!
//! Each local day's hours become instant spans through the zone table; spans that a
//! daylight-saving change makes overlap in real time count once (they are merged, within
//! a day and across days, before the walk hands them on), so every second is counted at
//! most once and none that is open is lost.

use std::ops::ControlFlow;

use jiff::Timestamp;

use super::Calendar;
use super::days::{self, month_day_key};
use super::range::{MAX_SECOND, MIN_SECOND, SEARCH_HORIZON_DAYS};
use crate::error::TimeError;

const DAY: i64 = 86_400;

/// How far a walk may go.
#[derive(Clone, Copy)]
pub(super) enum Limit {
    /// Stop quietly once no span can reach this instant any more.
    Until(i64),
    /// Look for open time; give up after [`SEARCH_HORIZON_DAYS`] days without any.
    Search,
}

/// Where a day's hours come from.
pub(super) enum DayRule<'a> {
    /// An override's or the weekday's hours (none for a day the zone skips).
    Hours(&'a [(u32, u32)]),
    /// A dated or recurring holiday: closed.
    Holiday,
}

fn ts(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap_or(Timestamp::MAX)
}

impl Calendar {
    /// What rule gives an epoch day its hours: override, holiday or weekday, in that
    /// order of precedence, dated entries before recurring ones. A day that does not
    /// exist in the zone (skipped whole by a forward jump) has no hours: they do not
    /// move onto the next.
    pub(super) fn day_rule(&self, day: i64) -> DayRule<'_> {
        if self.table.is_skipped_day(day) {
            return DayRule::Hours(&[]);
        }
        if let Ok(i) = self.overrides.binary_search_by_key(&day, |(d, _)| *d) {
            return DayRule::Hours(&self.overrides[i].1);
        }
        if self.holidays.binary_search(&day).is_ok() {
            return DayRule::Holiday;
        }
        if !self.recurring_overrides.is_empty() || !self.recurring_holidays.is_empty() {
            let (_, m, d) = days::to_civil(day);
            let key = month_day_key(m, d);
            if let Ok(i) = self
                .recurring_overrides
                .binary_search_by_key(&key, |(k, _)| *k)
            {
                return DayRule::Hours(&self.recurring_overrides[i].1);
            }
            if self.recurring_holidays.binary_search(&key).is_ok() {
                return DayRule::Holiday;
            }
        }
        DayRule::Hours(&self.week[days::weekday(day)])
    }

    /// The local hours of an epoch day ([`day_rule`](Self::day_rule)).
    fn hours_on(&self, day: i64) -> &[(u32, u32)] {
        match self.day_rule(day) {
            DayRule::Hours(hours) => hours,
            DayRule::Holiday => &[],
        }
    }

    /// The open spans of one local day as sorted, disjoint instant spans.
    fn day_spans(&self, day: i64, hint: &mut usize, buf: &mut Vec<(i64, i64)>) {
        buf.clear();
        let base = day * DAY;
        for &(s, e) in self.hours_on(day) {
            let a = self.table.to_instant(base + i64::from(s), hint);
            let b = self.table.to_instant(base + i64::from(e), hint);
            if b > a {
                buf.push((a, b));
            }
        }
        if buf.windows(2).any(|w| w[1].0 < w[0].1) {
            // a spring-forward gap moved a local time past the next interval's start
            buf.sort_unstable();
            let mut merged = 0;
            for i in 1..buf.len() {
                if buf[i].0 <= buf[merged].1 {
                    buf[merged].1 = buf[merged].1.max(buf[i].1);
                } else {
                    merged += 1;
                    buf[merged] = buf[i];
                }
            }
            buf.truncate(merged + 1);
        }
    }

    /// Calls `f(a, b)` with each open span `[a, b)` that ends after `from`, clipped to
    /// start at `from` at the earliest, in increasing order, until `f` breaks.
    ///
    /// A day's spans are held back until no later day can reach them: a forward jump
    /// across midnight can move a day's last hours past the next day's first ones (an
    /// instant of local day `d` is never before `d * DAY - max_offset`), and spans that
    /// overlap in real time count once.
    pub(super) fn walk_forward<B>(
        &self,
        from: i64,
        limit: Limit,
        mut f: impl FnMut(i64, i64) -> ControlFlow<B>,
    ) -> Result<Option<B>, TimeError> {
        let mut day = self.table.to_local(from).div_euclid(DAY) - 1;
        let (mut hint, mut buf, mut pending, mut idle) = (0, Vec::new(), Vec::new(), 0u32);
        // hands `f` the held spans that end by `bound`, in order
        let mut release = |pending: &mut Vec<(i64, i64)>, bound: i64| -> ControlFlow<B> {
            let n = pending.iter().take_while(|&&(_, b)| b <= bound).count();
            for (a, b) in pending.drain(..n) {
                if b > from {
                    f(a.max(from), b)?;
                }
            }
            ControlFlow::Continue(())
        };
        loop {
            let earliest = day * DAY - self.max_offset;
            if let Limit::Until(until) = limit
                && earliest > until
            {
                return Ok(release(&mut pending, i64::MAX).break_value());
            }
            if earliest >= MAX_SECOND {
                if let ControlFlow::Break(x) = release(&mut pending, i64::MAX) {
                    return Ok(Some(x));
                }
                return Err(TimeError::OutOfRange(ts(MAX_SECOND)));
            }
            self.day_spans(day, &mut hint, &mut buf);
            let found = buf.iter().any(|&(_, b)| b > from);
            add(&mut pending, &buf);
            if let ControlFlow::Break(x) = release(&mut pending, (day + 1) * DAY - self.max_offset)
            {
                return Ok(Some(x));
            }
            idle = if found { 0 } else { idle + 1 };
            if matches!(limit, Limit::Search) && idle > SEARCH_HORIZON_DAYS {
                if let ControlFlow::Break(x) = release(&mut pending, i64::MAX) {
                    return Ok(Some(x));
                }
                return Err(TimeError::NoOpenTime {
                    from: ts(from),
                    days: SEARCH_HORIZON_DAYS,
                });
            }
            day += 1;
        }
    }

    /// Calls `f(a, b)` with each open span `[a, b)` that starts before `from`, clipped to
    /// end at `from` at the latest, in decreasing order, until `f` breaks. Spans are held
    /// back as in [`walk_forward`](Self::walk_forward), mirrored: an instant of local day
    /// `d` is always before `(d + 1) * DAY + max_offset`.
    pub(super) fn walk_backward<B>(
        &self,
        from: i64,
        limit: Limit,
        mut f: impl FnMut(i64, i64) -> ControlFlow<B>,
    ) -> Result<Option<B>, TimeError> {
        let mut day = self.table.to_local(from).div_euclid(DAY) + 1;
        let (mut hint, mut buf, mut pending, mut idle) = (usize::MAX, Vec::new(), Vec::new(), 0u32);
        // hands `f` the held spans that start at `bound` or later, latest first
        let mut release = |pending: &mut Vec<(i64, i64)>, bound: i64| -> ControlFlow<B> {
            let keep = pending.iter().take_while(|&&(a, _)| a < bound).count();
            for (a, b) in pending.drain(keep..).rev() {
                if a < from {
                    f(a, b.min(from))?;
                }
            }
            ControlFlow::Continue(())
        };
        loop {
            let latest = (day + 1) * DAY + self.max_offset;
            if let Limit::Until(until) = limit
                && latest < until
            {
                return Ok(release(&mut pending, i64::MIN).break_value());
            }
            if latest <= MIN_SECOND {
                if let ControlFlow::Break(x) = release(&mut pending, i64::MIN) {
                    return Ok(Some(x));
                }
                return Err(TimeError::OutOfRange(ts(MIN_SECOND)));
            }
            self.day_spans(day, &mut hint, &mut buf);
            let found = buf.iter().any(|&(a, _)| a < from);
            add(&mut pending, &buf);
            if let ControlFlow::Break(x) = release(&mut pending, day * DAY + self.max_offset) {
                return Ok(Some(x));
            }
            idle = if found { 0 } else { idle + 1 };
            if matches!(limit, Limit::Search) && idle > SEARCH_HORIZON_DAYS {
                if let ControlFlow::Break(x) = release(&mut pending, i64::MIN) {
                    return Ok(Some(x));
                }
                return Err(TimeError::NoOpenTime {
                    from: ts(from),
                    days: SEARCH_HORIZON_DAYS,
                });
            }
            day -= 1;
        }
    }
}

/// Adds spans to a sorted set of disjoint spans, merging those that overlap. Spans that
/// only touch stay apart (the answers are the same either way), so that a calendar open
/// around the clock does not grow one span without end that is never handed on.
fn add(set: &mut Vec<(i64, i64)>, spans: &[(i64, i64)]) {
    if spans.is_empty() {
        return;
    }
    set.extend_from_slice(spans);
    set.sort_unstable();
    let mut merged = 0;
    for i in 1..set.len() {
        if set[i].0 < set[merged].1 {
            set[merged].1 = set[merged].1.max(set[i].1);
        } else {
            merged += 1;
            set[merged] = set[i];
        }
    }
    set.truncate(merged + 1);
}
