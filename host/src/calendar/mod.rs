//! Business-hours calendars: when a helpdesk is open, and business time on it.
//!
//! A [`Calendar`] is loaded from the TOML of DESIGN.md (weekly hours, holidays, dated
//! overrides, an IANA zone from jiff's bundled tz database) and answers three questions:
//! the instant `N` business seconds after (or before) a start, the business time between
//! two instants, and whether an instant is inside business hours. Each can exclude
//! [`Pauses`]. The rules, shared by every backend:
//!
//! - counting forwards from a start outside hours starts at the next opening;
//! - a deadline that lands exactly on a closing time stays there;
//! - adding zero moves the start forward to the next business moment (or keeps it);
//! - counting backwards stops at an opening time;
//! - hours are local wall-clock hours: business time is real elapsed seconds, so a DST
//!   change inside an open interval makes that day shorter or longer; a local time in a
//!   spring-forward gap moves forward by the gap, a repeated one means its first
//!   occurrence, and open intervals that then overlap count once;
//! - a local date that does not exist in the zone (a whole day skipped, as Pacific/Apia's
//!   2011-12-30) has no open time, and the next day keeps its own hours.
//!
//! ```
//! use pacto::calendar::{Calendar, Pauses};
//! use jiff::Timestamp;
//!
//! let cal = Calendar::from_toml("support.toml", r#"
//!     timezone = "Europe/Madrid"
//!     mon = ["09:00-13:00", "14:00-18:00"]
//!     tue = ["09:00-13:00", "14:00-18:00"]
//!     fri = ["09:00-15:00"]
//!     holidays = ["12-25"]
//! "#)?;
//! let start: Timestamp = "2026-03-02T12:15:00+01:00".parse()?;   // a Monday
//! let due = cal.add_business_minutes(start, 240)?;
//! assert_eq!(cal.format(due), "2026-03-02T17:15:00+01:00");     // lunch hour skipped
//! assert_eq!(cal.business_minutes_between(start, due)?, 240);
//! assert!(!cal.is_business_time("2026-03-02T13:30:00+01:00".parse()?)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod days;
mod index;
mod instant;
mod pauses;
mod range;
mod spec;
mod walk;
mod zone;

use std::ops::ControlFlow::{Break, Continue};
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

use self::index::Index;
pub use self::instant::LocalInstant;
pub use self::pauses::Pauses;
pub use self::range::SEARCH_HORIZON_DAYS;
use self::walk::Limit;
use self::zone::ZoneTable;
use crate::error::{CalendarLoadError, Location, TimeError};

/// Open intervals of one local day, seconds from local midnight, `[start, end)`.
type Hours = Box<[(u32, u32)]>;

/// A business-hours calendar. Cheap to share (`Send + Sync`); every method is pure.
#[derive(Debug, Clone)]
pub struct Calendar {
    zone: TimeZone,
    zone_name: String,
    /// Monday = 0.
    week: [Hours; 7],
    /// Epoch days, sorted.
    holidays: Box<[i64]>,
    /// `month * 32 + day`, sorted.
    recurring_holidays: Box<[u16]>,
    overrides: Box<[(i64, Hours)]>,
    recurring_overrides: Box<[(u16, Hours)]>,
    table: ZoneTable,
    max_offset: i64,
    /// Prefix sums of the open spans, built lazily, shared by the clones.
    index: Arc<Index>,
}

fn second(at: Timestamp) -> Result<i64, TimeError> {
    let s = at.as_second();
    if range::in_range(s) {
        Ok(s)
    } else {
        Err(TimeError::OutOfRange(at))
    }
}

fn timestamp(second: i64) -> Result<Timestamp, TimeError> {
    if range::in_range(second) {
        Timestamp::from_second(second).map_err(|_| TimeError::OutOfRange(Timestamp::MAX))
    } else {
        Err(TimeError::OutOfRange(
            Timestamp::from_second(second).unwrap_or(Timestamp::MAX),
        ))
    }
}

impl Calendar {
    /// Parses and checks a calendar; `file` names the source in error messages.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, CalendarLoadError> {
        spec::parse(file, text)
    }

    /// Reads, parses and checks a calendar file.
    pub fn load(path: &Path) -> Result<Self, CalendarLoadError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| CalendarLoadError {
            location: Location::file(file.clone()),
            message: format!("cannot read the calendar: {e}"),
        })?;
        spec::parse(&file, &text)
    }

    /// The IANA name of the calendar's zone.
    pub fn timezone(&self) -> &str {
        &self.zone_name
    }

    /// The calendar's zone.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The calendar zone's UTC offset at an instant.
    pub fn offset_at(&self, at: Timestamp) -> Offset {
        self.zone.to_offset(at)
    }

    /// RFC 3339 in the calendar zone's offset at that instant, e.g.
    /// `2026-03-02T14:15:00+01:00` (whole seconds; `+00:00` rather than `Z`).
    pub fn format(&self, at: Timestamp) -> String {
        LocalInstant::on(self, at).to_string()
    }

    /// Whether the local date `date` is one of the calendar's holidays (dated or
    /// recurring), unless a dated or recurring override gives it hours.
    ///
    /// ```
    /// use pacto::Calendar;
    /// use jiff::civil::date;
    ///
    /// let cal = Calendar::from_toml("s.toml", r#"timezone = "Europe/Madrid"
    ///     fri = ["09:00-15:00"]
    ///     holidays = ["12-25", "2026-04-03"]"#)?;
    /// assert!(cal.is_holiday(date(2026, 12, 25)));
    /// assert!(cal.is_holiday(date(2026, 4, 3)));
    /// assert!(!cal.is_holiday(date(2026, 4, 10)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_holiday(&self, date: jiff::civil::Date) -> bool {
        let day = days::from_civil(i32::from(date.year()), date.month() as u8, date.day() as u8);
        matches!(self.day_rule(day), walk::DayRule::Holiday)
    }

    /// Whether `at` is inside business hours (an instant at a closing time is not).
    pub fn is_business_time(&self, at: Timestamp) -> Result<bool, TimeError> {
        let t = second(at)?;
        if let Some(open) = self.index.contains(self, t) {
            return Ok(open);
        }
        Ok(self
            .walk_forward(t, Limit::Until(t), |a, _| Break(a == t))?
            .unwrap_or(false))
    }

    /// The instant `minutes` business minutes after `start` (before it, for a negative
    /// amount). See [`add_business_seconds`](Self::add_business_seconds).
    pub fn add_business_minutes(
        &self,
        start: Timestamp,
        minutes: i64,
    ) -> Result<Timestamp, TimeError> {
        let seconds = minutes
            .checked_mul(60)
            .ok_or(TimeError::Overflow(i128::from(minutes) * 60))?;
        self.add_business_seconds(start, seconds, &Pauses::none())
    }

    /// The first instant at which `seconds` of business time outside `pauses` have passed
    /// since `start`. Zero gives the next business moment at or after `start`; a negative
    /// amount counts backwards and stops at an opening time.
    pub fn add_business_seconds(
        &self,
        start: Timestamp,
        seconds: i64,
        pauses: &Pauses,
    ) -> Result<Timestamp, TimeError> {
        let s = second(start)?;
        let indexed = if seconds >= 0 {
            self.indexed_add(s, seconds, pauses)
        } else {
            seconds
                .checked_neg()
                .and_then(|rem| self.indexed_sub(s, rem, pauses))
        };
        match indexed {
            Some(found) => timestamp(found),
            None => self.walked_add(start, s, seconds, pauses),
        }
    }

    /// [`add_business_seconds`](Self::add_business_seconds) by walking day by day: the
    /// reference the index agrees with, and the answer where the index hands back.
    fn walked_add(
        &self,
        start: Timestamp,
        s: i64,
        seconds: i64,
        pauses: &Pauses,
    ) -> Result<Timestamp, TimeError> {
        let mut cursor = 0;
        let found = if seconds >= 0 {
            let mut rem = seconds;
            self.walk_forward(s, Limit::Search, |a, b| {
                pauses.free_parts(a, b, &mut cursor, |x, y| {
                    if rem <= y - x {
                        return Break(x + rem);
                    }
                    rem -= y - x;
                    Continue(())
                })
            })?
        } else {
            let mut rem = seconds
                .checked_neg()
                .ok_or(TimeError::Overflow(i128::from(seconds)))?;
            self.walk_backward(s, Limit::Search, |a, b| {
                pauses.free_parts_rev(a, b, &mut cursor, |x, y| {
                    if rem <= y - x {
                        return Break(y - rem);
                    }
                    rem -= y - x;
                    Continue(())
                })
            })?
        };
        timestamp(found.ok_or(TimeError::NoOpenTime {
            from: start,
            days: SEARCH_HORIZON_DAYS,
        })?)
    }

    /// Whole business minutes from `start` to `end`, rounded down; 0 when `end <= start`.
    pub fn business_minutes_between(
        &self,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<i64, TimeError> {
        Ok(self
            .business_seconds_between(start, end, &Pauses::none())?
            .div_euclid(60))
    }

    /// Business seconds from `start` to `end` outside `pauses`; 0 when `end <= start`.
    pub fn business_seconds_between(
        &self,
        start: Timestamp,
        end: Timestamp,
        pauses: &Pauses,
    ) -> Result<i64, TimeError> {
        let (s, e) = (second(start)?, second(end)?);
        if e <= s {
            return Ok(0);
        }
        if let Some(total) = self.indexed_between(s, e, pauses) {
            return Ok(total);
        }
        self.walked_between(s, e, pauses)
    }

    /// [`business_seconds_between`](Self::business_seconds_between) by walking.
    fn walked_between(&self, s: i64, e: i64, pauses: &Pauses) -> Result<i64, TimeError> {
        let mut total = 0;
        self.each_counted(s, e, pauses, |x, y| total += y - x)?;
        Ok(total)
    }

    /// Calls `f(a, b)` with each business interval `[a, b)` (Unix seconds) between
    /// `s` and `e` outside `pauses`, in increasing order, intervals that touch (a
    /// calendar open around the clock, across midnight) joined: the seconds
    /// [`business_seconds_between`](Self::business_seconds_between) adds up.
    pub(crate) fn each_counted(
        &self,
        s: i64,
        e: i64,
        pauses: &Pauses,
        mut f: impl FnMut(i64, i64),
    ) -> Result<(), TimeError> {
        if e <= s {
            return Ok(());
        }
        let (mut cursor, mut held) = (0, None::<(i64, i64)>);
        self.walk_forward(s, Limit::Until(e), |a, b| {
            if a >= e {
                return Break(());
            }
            pauses.free_parts(a, b.min(e), &mut cursor, |x, y| {
                match held.as_mut() {
                    Some(span) if span.1 == x => span.1 = y,
                    _ => {
                        if let Some((p, q)) = held.replace((x, y)) {
                            f(p, q);
                        }
                    }
                }
                Continue::<()>(())
            })
        })?;
        if let Some((p, q)) = held {
            f(p, q);
        }
        Ok(())
    }

    /// The business intervals between `start` and `end` outside `pauses`, in order, as
    /// `(from, to)` pairs: what [`business_seconds_between`](Self::business_seconds_between)
    /// counts. Intervals that touch (a calendar open around the clock, across midnight)
    /// are joined. At most `limit` are returned; the second value says how many more
    /// there were.
    ///
    /// ```
    /// use pacto::calendar::{Calendar, Pauses};
    ///
    /// let cal = Calendar::from_toml("support.toml", r#"
    ///     timezone = "Europe/Madrid"
    ///     mon = ["09:00-13:00", "14:00-18:00"]"#)?;
    /// let (spans, more) = cal.open_spans(
    ///     "2026-03-02T10:00:00+01:00".parse()?,
    ///     "2026-03-02T15:00:00+01:00".parse()?,
    ///     &Pauses::none(),
    ///     10,
    /// )?;
    /// assert_eq!(more, 0);
    /// assert_eq!(cal.format(spans[0].0), "2026-03-02T10:00:00+01:00");
    /// assert_eq!(cal.format(spans[0].1), "2026-03-02T13:00:00+01:00");
    /// assert_eq!(cal.format(spans[1].0), "2026-03-02T14:00:00+01:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_spans(
        &self,
        start: Timestamp,
        end: Timestamp,
        pauses: &Pauses,
        limit: usize,
    ) -> Result<(Vec<(Timestamp, Timestamp)>, usize), TimeError> {
        let (s, e) = (second(start)?, second(end)?);
        let (mut spans, mut more) = (Vec::new(), 0usize);
        self.each_counted(s, e, pauses, |a, b| {
            if spans.len() < limit {
                spans.push((a, b));
            } else {
                more += 1;
            }
        })?;
        let spans = spans
            .into_iter()
            .map(|(a, b)| Ok((timestamp(a)?, timestamp(b)?)))
            .collect::<Result<_, TimeError>>()?;
        Ok((spans, more))
    }
}
