//! The calendar index: business time as prefix sums over the walk's open spans.
//!
//! The walk ([`walk`](super::walk)) turns local hours into open spans one day at a time,
//! so a deadline 30 business days away visits six weeks of days and a year's elapsed time
//! visits 366. The index keeps the walk's spans for a stretch of 366 days (a *chunk*),
//! with the open seconds before each span, built the first time a question reaches that
//! stretch and then shared by every clone of the calendar and every thread. Business
//! time between two instants is two binary searches plus the totals of the whole chunks
//! between them; a deadline is a binary search for the span where the count is reached.
//! Pauses are handled segment by segment: the free time between one pause and the next.
//!
//! The walk stays the reference. The index is built from it, so it has the same spans,
//! DST merges and closing-time rule to the second, and it hands a question back (`None`)
//! wherever the walk's answer depends on more than the spans:
//!
//! - a deadline search that reaches the first or the last chunk of the supported range
//!   (the walk knows which error to give there);
//! - a deadline search that meets two whole chunks without open time in a row: only then
//!   can the walk's search horizon ([`SEARCH_HORIZON_DAYS`](super::SEARCH_HORIZON_DAYS)
//!   closed days) give up, so the walk decides;
//! - a chunk with more than [`MAX_SPANS`] spans (a calendar with many intervals a day):
//!   memory stays bounded at `MAX_SPANS` spans per chunk and one chunk per 366 days of the
//!   supported range, built only where asked.

use std::fmt;
use std::ops::ControlFlow::{Break, Continue};
use std::sync::OnceLock;

use super::range::{MAX_SECOND, MIN_SECOND};
use super::walk::Limit;
use super::{Calendar, Pauses};

/// The length of a chunk, in seconds.
const CHUNK: i64 = 366 * DAY;
const DAY: i64 = 86_400;
/// Chunks covering the supported range.
const CHUNKS: usize = ((MAX_SECOND - MIN_SECOND + CHUNK - 1) / CHUNK) as usize;
/// The most spans a chunk keeps; a denser stretch is walked instead.
pub(super) const MAX_SPANS: usize = 4_096;

/// The lazily built chunks of one calendar.
pub(super) struct Index {
    chunks: Box<[OnceLock<Option<Chunk>>]>,
}

/// The open spans of one chunk `[lo, hi)`, clipped to it, and the open seconds before
/// each.
struct Chunk {
    lo: i64,
    hi: i64,
    spans: Box<[(i64, i64)]>,
    /// `cum[i]`: open seconds in `[lo, spans[i].0)`.
    cum: Box<[i64]>,
    total: i64,
    /// `first[d]`: the first span that ends after the chunk's day `d` starts (`lo + d`
    /// days), so that finding a span is a lookup and a step or two, not a search.
    first: Box<[u32]>,
}

/// The outcome of a search inside one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The count is reached at this instant.
    Found(i64),
    /// The segment ends first, after this many open seconds.
    Short(i64),
}

/// What a deadline search remembers across segments: the last chunk it saw, and the last
/// one with open time, to notice a closed stretch long enough for the walk's horizon.
pub(super) struct Scan {
    last_seen: i64,
    last_open: i64,
}

impl Scan {
    /// A forward search for `start`: see [`Index::forward`].
    pub(super) fn forward(start: i64) -> Scan {
        let before = chunk_of(start) as i64 - 1;
        Scan {
            last_seen: before,
            last_open: before,
        }
    }

    /// A backward search for `start`: see [`Index::backward`].
    pub(super) fn backward(start: i64) -> Scan {
        let after = chunk_of(start - 1) as i64 + 1;
        Scan {
            last_seen: after,
            last_open: after,
        }
    }
}

fn chunk_of(t: i64) -> usize {
    (((t - MIN_SECOND).max(0) / CHUNK) as usize).min(CHUNKS - 1)
}

impl Index {
    pub(super) fn new() -> Self {
        Index {
            chunks: (0..CHUNKS).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Chunk `k`, built on first use; `None` when it is too dense to keep.
    fn chunk(&self, calendar: &Calendar, k: usize) -> Option<&Chunk> {
        self.chunks[k]
            .get_or_init(|| Chunk::build(calendar, k))
            .as_ref()
    }

    /// Open seconds in `[x, y)`, both inside the supported range.
    pub(super) fn open(&self, calendar: &Calendar, x: i64, y: i64) -> Option<i64> {
        if y <= x {
            return Some(0);
        }
        let (kx, ky) = (chunk_of(x), chunk_of(y - 1));
        let first = self.chunk(calendar, kx)?;
        if kx == ky {
            return Some(first.before(y) - first.before(x));
        }
        let mut total = first.total - first.before(x);
        for k in kx + 1..ky {
            total += self.chunk(calendar, k)?.total;
        }
        Some(total + self.chunk(calendar, ky)?.before(y))
    }

    /// Whether `t` lies in an open span.
    pub(super) fn contains(&self, calendar: &Calendar, t: i64) -> Option<bool> {
        let c = self.chunk(calendar, chunk_of(t))?;
        let i = c.spans.partition_point(|&(_, b)| b <= t);
        Some(c.spans.get(i).is_some_and(|&(a, _)| a <= t))
    }

    /// The first instant in `[from, to]` at which `rem` open seconds after `from` have
    /// passed (for `rem == 0`, the first open instant before `to`), or how many open
    /// seconds `[from, to)` holds when it has fewer. `from < to`.
    pub(super) fn forward(
        &self,
        calendar: &Calendar,
        from: i64,
        to: i64,
        rem: i64,
        scan: &mut Scan,
    ) -> Option<Step> {
        let mut got = 0;
        let mut k = chunk_of(from);
        loop {
            if k + 1 >= CHUNKS {
                return None;
            }
            let c = self.chunk(calendar, k)?;
            self.note(calendar, scan, k, 1)?;
            match c.forward(from.max(c.lo), to.min(c.hi), rem - got) {
                Step::Found(t) => return Some(Step::Found(t)),
                Step::Short(n) => got += n,
            }
            if to <= c.hi {
                return Some(Step::Short(got));
            }
            k += 1;
        }
    }

    /// The latest instant in `[to, from]` at which `rem` (≥ 1) open seconds before `from`
    /// have passed, or how many open seconds `[to, from)` holds when it has fewer.
    /// `to < from`.
    pub(super) fn backward(
        &self,
        calendar: &Calendar,
        from: i64,
        to: i64,
        rem: i64,
        scan: &mut Scan,
    ) -> Option<Step> {
        let mut got = 0;
        let mut k = chunk_of(from - 1);
        loop {
            if k == 0 {
                return None;
            }
            let c = self.chunk(calendar, k)?;
            self.note(calendar, scan, k, -1)?;
            match c.backward(to.max(c.lo), from.min(c.hi), rem - got) {
                Step::Found(t) => return Some(Step::Found(t)),
                Step::Short(n) => got += n,
            }
            if to >= c.lo {
                return Some(Step::Short(got));
            }
            k -= 1;
        }
    }

    /// Notes that a search in direction `dir` (1 forwards, -1 backwards) reached chunk
    /// `k`, and the chunks it skipped since the last one it saw (inside a pause); `None`
    /// once two whole chunks without open time follow the last open one. That is a closed
    /// stretch of 732 days or more, which a horizon of 1,465 closed days needs (such a
    /// stretch covers three whole chunks), so from there the walk answers.
    fn note(&self, calendar: &Calendar, scan: &mut Scan, k: usize, dir: i64) -> Option<()> {
        let k = k as i64;
        let mut j = scan.last_seen;
        while j != k {
            j += dir;
            if !self.chunk(calendar, j as usize)?.spans.is_empty() {
                scan.last_open = j;
            } else if (j - scan.last_open) * dir >= 2 {
                return None;
            }
        }
        scan.last_seen = k;
        Some(())
    }
}

impl Chunk {
    fn build(calendar: &Calendar, k: usize) -> Option<Chunk> {
        let lo = MIN_SECOND + k as i64 * CHUNK;
        let hi = (lo + CHUNK).min(MAX_SECOND);
        let mut spans = Vec::new();
        let mut dense = false;
        calendar
            .walk_forward(lo, Limit::Until(hi - 1), |a, b| {
                if a >= hi {
                    return Break(());
                }
                if spans.len() == MAX_SPANS {
                    dense = true;
                    return Break(());
                }
                spans.push((a, b.min(hi)));
                Continue(())
            })
            .ok()?;
        if dense {
            return None;
        }
        let mut cum = Vec::with_capacity(spans.len());
        let mut total = 0;
        for &(a, b) in &spans {
            cum.push(total);
            total += b - a;
        }
        let first = (0..=(hi - lo) / DAY)
            .map(|d| spans.partition_point(|&(_, b)| b <= lo + d * DAY) as u32)
            .collect();
        Some(Chunk {
            lo,
            hi,
            spans: spans.into(),
            cum: cum.into(),
            total,
            first,
        })
    }

    /// The first span that ends after `t`, for `t` in `[lo, hi]`.
    fn locate(&self, t: i64) -> usize {
        let mut i = self.first[((t - self.lo) / DAY) as usize] as usize;
        while self.spans.get(i).is_some_and(|&(_, b)| b <= t) {
            i += 1;
        }
        i
    }

    /// Open seconds in `[lo, t)`, for `t` in `[lo, hi]`.
    fn before(&self, t: i64) -> i64 {
        let i = self.locate(t);
        match self.spans.get(i) {
            Some(&(a, _)) if a < t => self.cum[i] + (t - a),
            Some(_) => self.cum[i],
            None => self.total,
        }
    }

    /// Open seconds before the end of span `i`.
    fn cum_end(&self, i: usize) -> i64 {
        self.cum[i] + (self.spans[i].1 - self.spans[i].0)
    }

    /// [`Index::forward`] inside this chunk, `lo <= from <= to <= hi`.
    fn forward(&self, from: i64, to: i64, rem: i64) -> Step {
        if to <= from {
            return Step::Short(0);
        }
        let base = self.before(from);
        let avail = self.before(to) - base;
        if rem > avail || (rem == avail && rem == 0) {
            return Step::Short(avail);
        }
        let target = base + rem;
        // from the first span open after `from`, the first whose end reaches the target
        let i = gallop(self.locate(from), self.spans.len(), |i| {
            self.cum_end(i) < target
        });
        Step::Found(self.spans[i].0 + (target - self.cum[i]))
    }

    /// [`Index::backward`] inside this chunk, `lo <= to <= from <= hi`, `rem >= 1`.
    fn backward(&self, to: i64, from: i64, rem: i64) -> Step {
        if from <= to {
            return Step::Short(0);
        }
        let top = self.before(from);
        let avail = top - self.before(to);
        if rem > avail {
            return Step::Short(avail);
        }
        let target = top - rem;
        // back from the span that holds or follows `from`, the last that starts by the
        // target: `cum` rises with the index, so count the spans down from there
        let n = self.locate(from).min(self.spans.len() - 1) + 1;
        let i = n - gallop(0, n, |j| self.cum[n - 1 - j] > target) - 1;
        Step::Found(self.spans[i].0 + (target - self.cum[i]))
    }
}

/// The first index in `from..len` for which `pred` is false (`pred` true then false
/// there), found by doubling steps from `from` and then halving: deadlines are usually a
/// few spans from their start.
fn gallop(from: usize, len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut step) = (from, 1);
    let mut hi = loop {
        let probe = from + step;
        if probe >= len {
            break len;
        }
        if !pred(probe - 1) {
            break probe;
        }
        lo = probe;
        step *= 2;
    };
    hi = hi.max(lo);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Calendar {
    /// Business seconds in `[s, e)` outside `pauses`, from the index: the open time of
    /// each free segment between pauses.
    pub(super) fn indexed_between(&self, s: i64, e: i64, pauses: &Pauses) -> Option<i64> {
        let spans = pauses.spans();
        let (mut total, mut cursor) = (0, s);
        for &(ps, pe) in &spans[spans.partition_point(|&(_, pe)| pe <= s)..] {
            if ps >= e {
                break;
            }
            total += self.index.open(self, cursor, ps.max(cursor))?;
            cursor = cursor.max(pe);
            if cursor >= e {
                return Some(total);
            }
        }
        Some(total + self.index.open(self, cursor, e)?)
    }

    /// The instant `rem` business seconds after `s` outside `pauses`, from the index,
    /// free segment by free segment; `None` where the walk must answer.
    pub(super) fn indexed_add(&self, s: i64, mut rem: i64, pauses: &Pauses) -> Option<i64> {
        let spans = pauses.spans();
        let mut i = spans.partition_point(|&(_, pe)| pe <= s);
        let (mut from, mut scan) = (s, Scan::forward(s));
        loop {
            // step over the pause that holds `from`
            while let Some(&(_, pe)) = spans.get(i).filter(|&&(ps, _)| ps <= from) {
                from = from.max(pe);
                i += 1;
            }
            if from >= MAX_SECOND {
                return None;
            }
            let to = spans.get(i).map_or(i64::MAX, |&(ps, _)| ps);
            match self.index.forward(self, from, to, rem, &mut scan)? {
                Step::Found(t) => return Some(t),
                Step::Short(n) => (rem, from) = (rem - n, to),
            }
        }
    }

    /// The instant `rem` (≥ 1) business seconds before `s` outside `pauses`, from the
    /// index; `None` where the walk must answer.
    pub(super) fn indexed_sub(&self, s: i64, mut rem: i64, pauses: &Pauses) -> Option<i64> {
        let spans = pauses.spans();
        let mut j = spans.partition_point(|&(ps, _)| ps < s);
        let (mut from, mut scan) = (s, Scan::backward(s));
        loop {
            // step back over the pause that holds the instant before `from`
            while let Some(&(ps, _)) = j
                .checked_sub(1)
                .and_then(|k| spans.get(k))
                .filter(|&&(_, pe)| pe >= from)
            {
                from = from.min(ps);
                j -= 1;
            }
            if from <= MIN_SECOND {
                return None;
            }
            let to = j.checked_sub(1).map_or(i64::MIN, |k| spans[k].1);
            match self.index.backward(self, from, to, rem, &mut scan)? {
                Step::Found(t) => return Some(t),
                Step::Short(n) => (rem, from) = (rem - n, to),
            }
        }
    }
}

impl Default for Index {
    fn default() -> Self {
        Index::new()
    }
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let built = self.chunks.iter().filter(|c| c.get().is_some()).count();
        f.debug_struct("Index")
            .field("chunks_built", &built)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    //! The index against the walk it is built from: every answer, error included, the
    //! same on calendars chosen to reach each hand-back (sparse, dense, DST, skipped
    //! days, the range's ends).

    use super::*;
    use jiff::Timestamp;
    use proptest::prelude::*;

    const CALENDARS: [&str; 6] = [
        // split shifts, holidays, an override, DST at 02:00
        r#"timezone = "Europe/Madrid"
           mon = ["09:00-13:00", "14:00-18:00"]
           tue = ["09:00-13:00", "14:00-18:00"]
           wed = ["09:00-13:00", "14:00-18:00"]
           thu = ["09:00-13:00", "14:00-18:00"]
           fri = ["09:00-15:00"]
           holidays = ["01-01", "12-25", "2026-04-03"]
           [overrides]
           "12-24" = ["09:00-13:00"]"#,
        // round the clock: spans that touch at midnight
        r#"timezone = "UTC"
           mon = ["00:00-24:00"]
           tue = ["00:00-24:00"]
           wed = ["00:00-24:00"]
           thu = ["00:00-24:00"]
           fri = ["00:00-24:00"]
           sat = ["00:00-24:00"]
           sun = ["00:00-24:00"]"#,
        // DST changes at midnight and across it; a 30-minute DST
        r#"timezone = "America/Santiago"
           mon = ["00:00-02:00", "22:00-24:00"]
           sat = ["23:00-24:00"]
           sun = ["00:00-01:30"]"#,
        r#"timezone = "Australia/Lord_Howe"
           mon = ["01:00-03:00"]
           sun = ["01:30-02:30", "23:00-24:00"]"#,
        // a whole day skipped (2011-12-30)
        r#"timezone = "Pacific/Apia"
           thu = ["20:00-24:00"]
           fri = ["00:00-24:00"]
           sat = ["00:00-06:00"]"#,
        // open one minute a week: long deadlines cross many chunks
        r#"timezone = "Africa/Casablanca"
           mon = ["04:02-04:03"]"#,
    ];

    /// Open on Mondays, closed by dated holidays for a year and a half (a whole chunk
    /// without open time), for two years (two chunks in a row: the index hands back,
    /// the walk finds the deadline), for 2020-06-02 to 2026-06-01 (the walk's horizon
    /// gives up), and for the first and last years of the range.
    fn sparse() -> String {
        let mut holidays = Vec::new();
        let closed = [
            ("1900-01-01", "1901-06-01"),
            ("2016-01-01", "2017-06-01"),
            ("2018-01-01", "2020-01-01"),
            ("2020-06-02", "2026-06-01"),
            ("2198-06-01", "2200-01-01"),
        ];
        for (from, to) in closed {
            let (mut d, to) = (
                from.parse::<jiff::civil::Date>().expect("a date"),
                to.parse::<jiff::civil::Date>().expect("a date"),
            );
            while d < to {
                if d.weekday() == jiff::civil::Weekday::Monday {
                    holidays.push(format!("\"{d}\""));
                }
                d = d.tomorrow().expect("a date");
            }
        }
        format!(
            "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\nholidays = [{}]\n",
            holidays.join(", ")
        )
    }

    /// Loaded once: their chunks fill up as the cases go, as in a server.
    static SHARED: std::sync::LazyLock<Vec<Calendar>> = std::sync::LazyLock::new(calendars);

    fn calendars() -> Vec<Calendar> {
        let mut all: Vec<Calendar> = CALENDARS
            .iter()
            .map(|t| Calendar::from_toml("test.toml", t).expect("loads"))
            .collect();
        all.push(Calendar::from_toml("sparse.toml", &sparse()).expect("loads"));
        all
    }

    /// Starts over the whole range, and near its ends and the test dates.
    fn instant() -> impl Strategy<Value = i64> {
        let y2020 = 1_577_836_800;
        prop_oneof![
            MIN_SECOND..MAX_SECOND,
            y2020 - 3 * CHUNK..y2020 + 10 * CHUNK,
            MIN_SECOND..MIN_SECOND + 3 * CHUNK,
            MAX_SECOND - 3 * CHUNK..MAX_SECOND,
        ]
    }

    fn amount() -> impl Strategy<Value = i64> {
        // long walks are slow in a debug build: a few of them
        prop_oneof![
            2 => Just(0i64),
            8 => -86_400i64..86_400,
            8 => -4_000_000i64..4_000_000,
            4 => -40_000_000i64..40_000_000,
            1 => -400_000_000i64..400_000_000,
        ]
    }

    fn pauses(at: i64) -> impl Strategy<Value = Vec<(i64, i64)>> {
        proptest::collection::vec((-5_000_000i64..60_000_000, 0i64..3_000_000), 0..6).prop_map(
            move |v| {
                v.into_iter()
                    .map(|(d, len)| (at + d, at + d + len))
                    .collect()
            },
        )
    }

    fn to_pauses(spans: &[(i64, i64)]) -> Pauses {
        let t = |s: i64| Timestamp::from_second(s).expect("an instant");
        Pauses::new(spans.iter().map(|&(a, b)| (t(a), Some(t(b))))).expect("pauses")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

        #[test]
        fn answers_as_the_walk_does(
            which in 0..=CALENDARS.len(),
            (start, spans) in instant().prop_flat_map(|s| (Just(s), pauses(s))),
            seconds in amount(),
            delta in amount(),
        ) {
            let cal = &SHARED[which];
            let ts = Timestamp::from_second(start).expect("an instant");
            let p = to_pauses(&spans);
            prop_assert_eq!(
                cal.add_business_seconds(ts, seconds, &p),
                cal.walked_add(ts, start, seconds, &p),
                "add {} s from {}", seconds, ts
            );
            let end = (start + delta * 3).clamp(MIN_SECOND, MAX_SECOND - 1);
            let e = Timestamp::from_second(end).expect("an instant");
            let walked = if end <= start { Ok(0) } else { cal.walked_between(start, end, &p) };
            prop_assert_eq!(cal.business_seconds_between(ts, e, &p), walked, "between {} and {}", ts, e);
            let open = cal
                .walk_forward(start, Limit::Until(start), |a, _| Break(a == start))
                .map(|r| r.unwrap_or(false));
            prop_assert_eq!(cal.is_business_time(ts), open, "open at {}", ts);
        }
    }

    #[test]
    fn the_horizon_and_the_range_ends_are_the_walks() {
        let cals = calendars();
        let sparse = &cals[CALENDARS.len()];
        let t = |s: &str| s.parse::<Timestamp>().expect("an instant");
        // from 2020-06-02 the next open day is six years on: the walk gives up
        let e = sparse.add_business_minutes(t("2020-06-02T00:00:00Z"), 60);
        assert!(
            matches!(e, Err(crate::TimeError::NoOpenTime { .. })),
            "{e:?}"
        );
        // two closed years: the index hands back, the walk finds the deadline
        assert_eq!(
            sparse.add_business_minutes(t("2017-12-26T00:00:00Z"), 60),
            Ok(t("2020-01-06T10:00:00Z"))
        );
        // past the end of the range
        let e = cals[1].add_business_minutes(t("2199-12-31T23:00:00Z"), 120);
        assert!(matches!(e, Err(crate::TimeError::OutOfRange(_))), "{e:?}");
        let e = cals[1].add_business_minutes(t("1900-01-01T01:00:00Z"), -120);
        assert!(matches!(e, Err(crate::TimeError::OutOfRange(_))), "{e:?}");
    }

    #[test]
    fn a_dense_calendar_is_walked_not_kept() {
        // 720 one-minute intervals a day: 263,520 spans a year, more than a chunk keeps
        let day: Vec<String> = (0..720)
            .map(|i| {
                format!(
                    "\"{:02}:{:02}-{:02}:{:02}\"",
                    i / 30,
                    i % 30 * 2,
                    i / 30,
                    i % 30 * 2 + 1
                )
            })
            .collect();
        let text = format!("timezone = \"UTC\"\nmon = [{}]\n", day.join(", "));
        let cal = Calendar::from_toml("dense.toml", &text).expect("loads");
        let start: Timestamp = "2026-03-02T00:00:00Z".parse().expect("an instant");
        let due = cal.add_business_minutes(start, 720).expect("a deadline");
        assert_eq!(due, "2026-03-02T23:59:00Z".parse().expect("an instant"));
        assert_eq!(cal.business_minutes_between(start, due), Ok(720));
        let built: Vec<bool> = cal
            .index
            .chunks
            .iter()
            .filter_map(|c| c.get())
            .map(Option::is_some)
            .collect();
        assert_eq!(built, [false], "the chunk is refused, once");
    }

    #[test]
    fn clones_share_the_chunks() {
        let cal = &calendars()[0];
        let copy = cal.clone();
        let t: Timestamp = "2026-03-02T10:00:00Z".parse().expect("an instant");
        copy.add_business_minutes(t, 60).expect("a deadline");
        assert_eq!(format!("{:?}", cal.index), "Index { chunks_built: 1 }");
    }
}
