//! Local wall-clock seconds ⇄ instants for one time zone, from a table of its offset
//! transitions built once at load.
//!
//! jiff answers the same questions, but walking a calendar day by day asks them hundreds
//! of times per deadline; with the table and a cursor hint each answer is O(1) amortized.
//! The mapping follows RFC 5545 / Temporal "compatible" disambiguation (jiff's default):
//! a local time inside a spring-forward gap is read with the offset before the gap (so it
//! moves forward by the gap's length) and a repeated local time means its first occurrence.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::range::{MAX_SECOND, MIN_SECOND};

/// One change of UTC offset.
#[derive(Debug, Clone, Copy)]
struct Transition {
    /// The instant of the change (Unix seconds).
    at: i64,
    /// Local seconds from which local times use `after`: `at + max(before, after)`.
    local_threshold: i64,
    /// The offset from `at` on (seconds east of UTC).
    after: i32,
}

/// The offset history of a zone over the supported range.
#[derive(Debug, Clone)]
pub(crate) struct ZoneTable {
    initial: i32,
    transitions: Box<[Transition]>,
    /// Local days (days since 1970-01-01 local) that a forward jump skips entirely, such
    /// as Pacific/Apia's 2011-12-30; sorted, and empty in almost every zone.
    skipped_days: Box<[i64]>,
}

const DAY: i64 = 86_400;

/// Slack kept around the supported range so that days at its edges convert exactly.
const MARGIN: i64 = 3 * 86_400;

impl ZoneTable {
    pub(crate) fn new(zone: &TimeZone) -> Self {
        let from =
            Timestamp::from_second(MIN_SECOND - MARGIN).expect("range start is a valid timestamp");
        let initial = zone.to_offset(from).seconds();
        let mut transitions = Vec::new();
        let mut skipped_days = Vec::new();
        let mut before = initial;
        for t in zone.following(from) {
            let at = t.timestamp().as_second();
            if at > MAX_SECOND + MARGIN {
                break;
            }
            let after = t.offset().seconds();
            if after == before {
                continue; // only the abbreviation or the DST flag changed
            }
            transitions.push(Transition {
                at,
                local_threshold: at + i64::from(before.max(after)),
                after,
            });
            if after > before {
                // local times in [gap_start, gap_end) do not exist
                let (gap_start, gap_end) = (at + i64::from(before), at + i64::from(after));
                let first = gap_start.div_euclid(DAY) + i64::from(gap_start.rem_euclid(DAY) != 0);
                skipped_days.extend(first..gap_end.div_euclid(DAY));
            }
            before = after;
        }
        ZoneTable {
            initial,
            transitions: transitions.into_boxed_slice(),
            skipped_days: skipped_days.into_boxed_slice(),
        }
    }

    fn offset_before(&self, index: usize) -> i32 {
        if index == 0 {
            self.initial
        } else {
            self.transitions[index - 1].after
        }
    }

    /// The UTC offset in force at an instant.
    pub(crate) fn offset_at(&self, instant: i64) -> i32 {
        let i = self.transitions.partition_point(|t| t.at <= instant);
        self.offset_before(i)
    }

    /// Local wall-clock seconds (seconds since 1970-01-01T00:00 local) at an instant.
    pub(crate) fn to_local(&self, instant: i64) -> i64 {
        instant + i64::from(self.offset_at(instant))
    }

    /// The instant of a local wall-clock time, "compatible" disambiguation. `hint` is a
    /// cursor into the table that makes monotone sequences of calls O(1) each.
    pub(crate) fn to_instant(&self, local: i64, hint: &mut usize) -> i64 {
        let t = &self.transitions;
        let mut i = (*hint).min(t.len());
        let behind = i < t.len() && t[i].local_threshold <= local;
        let ahead = i > 0 && t[i - 1].local_threshold > local;
        if behind || ahead {
            // one step covers the common case of walking into the next transition
            if behind && (i + 1 >= t.len() || t[i + 1].local_threshold > local) {
                i += 1;
            } else {
                i = t.partition_point(|x| x.local_threshold <= local);
            }
        }
        *hint = i;
        local - i64::from(self.offset_before(i))
    }

    /// Whether a local day (days since 1970-01-01 local) does not exist at all in the
    /// zone: every one of its local times lies inside one forward jump.
    pub(crate) fn is_skipped_day(&self, day: i64) -> bool {
        !self.skipped_days.is_empty() && self.skipped_days.binary_search(&day).is_ok()
    }

    /// Largest absolute offset of the zone: bounds how far a local day strays from UTC.
    pub(crate) fn max_abs_offset(&self) -> i64 {
        let mut m = i64::from(self.initial.unsigned_abs());
        for t in self.transitions.iter() {
            m = m.max(i64::from(t.after.unsigned_abs()));
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::DateTime;

    fn local_seconds(dt: DateTime) -> i64 {
        dt.to_zoned(TimeZone::UTC)
            .expect("in range")
            .timestamp()
            .as_second()
    }

    #[test]
    fn agrees_with_jiff_compatible_around_transitions() {
        for name in [
            "Europe/Madrid",
            "America/Sao_Paulo",
            "Asia/Tehran",
            "Australia/Lord_Howe",
            "America/New_York",
            "Pacific/Apia",
            "UTC",
        ] {
            let tz = TimeZone::get(name).expect("zone");
            let table = ZoneTable::new(&tz);
            let mut hint = 0;
            // every 10 minutes through 2015 and 2016 (DST changes of all zones above)
            let start = local_seconds(DateTime::constant(2015, 1, 1, 0, 0, 0, 0));
            let mut l = start;
            while l < start + 2 * 366 * 86_400 {
                let dt = Timestamp::from_second(l)
                    .expect("ts")
                    .to_zoned(TimeZone::UTC)
                    .datetime();
                let want = tz
                    .to_ambiguous_timestamp(dt)
                    .compatible()
                    .expect("ts")
                    .as_second();
                assert_eq!(table.to_instant(l, &mut hint), want, "{name} {dt}");
                let instant = want;
                assert_eq!(
                    i64::from(table.offset_at(instant)),
                    i64::from(
                        tz.to_offset(Timestamp::from_second(instant).expect("ts"))
                            .seconds()
                    )
                );
                l += 600;
            }
        }
    }

    #[test]
    fn whole_skipped_days_are_found() {
        let day = |y, m, d| crate::calendar::days::from_civil(y, m, d);
        let apia = ZoneTable::new(&TimeZone::get("Pacific/Apia").expect("zone"));
        assert!(apia.is_skipped_day(day(2011, 12, 30)));
        assert!(!apia.is_skipped_day(day(2011, 12, 29)));
        assert!(!apia.is_skipped_day(day(2011, 12, 31)));
        let kwajalein = ZoneTable::new(&TimeZone::get("Pacific/Kwajalein").expect("zone"));
        assert!(kwajalein.is_skipped_day(day(1993, 8, 21)));
        assert!(!kwajalein.is_skipped_day(day(1993, 8, 20)));
        assert!(!kwajalein.is_skipped_day(day(1993, 8, 22)));
        // an ordinary one-hour spring-forward gap skips no day
        let madrid = ZoneTable::new(&TimeZone::get("Europe/Madrid").expect("zone"));
        assert!(madrid.skipped_days.is_empty());
    }

    #[test]
    fn hint_is_only_a_hint() {
        let tz = TimeZone::get("Europe/Madrid").expect("zone");
        let table = ZoneTable::new(&tz);
        let l = local_seconds(DateTime::constant(2026, 7, 1, 12, 0, 0, 0));
        let want = table.to_instant(l, &mut 0);
        for hint in [0, 5, 100, usize::MAX] {
            let mut h = hint;
            assert_eq!(table.to_instant(l, &mut h), want);
        }
        assert_eq!(want, l - 7200);
    }
}
