//! Intervals excluded from business time (a case waiting on the customer, a solved case
//! before it is reopened), normalized once so the walk can subtract them in one pass.

use jiff::Timestamp;

use crate::error::TimeError;

/// A sorted set of disjoint `[start, end)` intervals excluded from business time.
///
/// ```
/// use pacto::calendar::Pauses;
/// use jiff::Timestamp;
///
/// let t = |s: &str| s.parse::<Timestamp>().unwrap();
/// let pauses = Pauses::new([
///     (t("2026-03-02T12:00:00Z"), Some(t("2026-03-02T13:00:00Z"))),
///     (t("2026-03-02T12:30:00Z"), Some(t("2026-03-02T14:00:00Z"))),
/// ])?;
/// assert_eq!(pauses.len(), 1); // overlapping pauses merge
/// # Ok::<(), pacto::TimeError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pauses {
    spans: Vec<(i64, i64)>,
}

impl Pauses {
    /// No pause at all.
    pub fn none() -> Self {
        Pauses::default()
    }

    /// Pauses from `(start, end)` pairs in any order; `None` as the end is a pause still
    /// open. Overlapping or touching pauses merge. An end before its start is an error.
    pub fn new(
        pairs: impl IntoIterator<Item = (Timestamp, Option<Timestamp>)>,
    ) -> Result<Self, TimeError> {
        let mut spans = Vec::new();
        for (start, end) in pairs {
            let s = start.as_second();
            let e = match end {
                Some(end) if end < start => return Err(TimeError::ReversedPause { start, end }),
                Some(end) => end.as_second(),
                None => i64::MAX,
            };
            if e > s {
                spans.push((s, e));
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        Ok(Pauses { spans: merged })
    }

    /// How many disjoint pauses there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there is no pause.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The pauses as sorted, disjoint `[start, end)` Unix seconds (`i64::MAX` for an open
    /// end).
    pub(crate) fn spans(&self) -> &[(i64, i64)] {
        &self.spans
    }

    /// Whether `at` lies inside a pause.
    pub fn contains(&self, at: Timestamp) -> bool {
        let t = at.as_second();
        let i = self.spans.partition_point(|&(_, e)| e <= t);
        self.spans.get(i).is_some_and(|&(s, _)| s <= t)
    }

    /// Calls `f` with the parts of `[a, b)` outside every pause, in increasing order.
    /// `cursor` carries the position between calls whose spans increase.
    pub(crate) fn free_parts<B>(
        &self,
        mut a: i64,
        b: i64,
        cursor: &mut usize,
        mut f: impl FnMut(i64, i64) -> std::ops::ControlFlow<B>,
    ) -> std::ops::ControlFlow<B> {
        use std::ops::ControlFlow::Continue;
        while let Some(&(ps, pe)) = self.spans.get(*cursor) {
            if pe <= a {
                *cursor += 1;
                continue;
            }
            if ps >= b {
                break;
            }
            if ps > a {
                f(a, ps)?;
            }
            a = a.max(pe);
            if pe > b {
                return Continue(());
            }
            *cursor += 1;
        }
        if a < b { f(a, b) } else { Continue(()) }
    }

    /// Like [`free_parts`](Self::free_parts) in decreasing order, for spans that decrease.
    /// `cursor` counts pauses from the end.
    pub(crate) fn free_parts_rev<B>(
        &self,
        a: i64,
        mut b: i64,
        cursor: &mut usize,
        mut f: impl FnMut(i64, i64) -> std::ops::ControlFlow<B>,
    ) -> std::ops::ControlFlow<B> {
        use std::ops::ControlFlow::Continue;
        while *cursor < self.spans.len() {
            let (ps, pe) = self.spans[self.spans.len() - 1 - *cursor];
            if ps >= b {
                *cursor += 1;
                continue;
            }
            if pe <= a {
                break;
            }
            if pe < b {
                f(pe, b)?;
            }
            b = b.min(ps);
            if ps < a {
                return Continue(());
            }
            *cursor += 1;
        }
        if a < b { f(a, b) } else { Continue(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::ControlFlow;

    fn ts(s: i64) -> Timestamp {
        Timestamp::from_second(s).unwrap()
    }

    fn parts(p: &Pauses, spans: &[(i64, i64)], rev: bool) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut cursor = 0;
        for &(a, b) in spans {
            let _ = if rev {
                p.free_parts_rev(a, b, &mut cursor, |x, y| {
                    out.push((x, y));
                    ControlFlow::<()>::Continue(())
                })
            } else {
                p.free_parts(a, b, &mut cursor, |x, y| {
                    out.push((x, y));
                    ControlFlow::<()>::Continue(())
                })
            };
        }
        out
    }

    #[test]
    fn subtracts_pauses_forwards_and_backwards() {
        let p = Pauses::new([
            (ts(10), Some(ts(20))),
            (ts(25), Some(ts(27))),
            (ts(40), None),
        ])
        .unwrap();
        assert_eq!(
            parts(&p, &[(0, 15), (18, 30), (35, 50)], false),
            vec![(0, 10), (20, 25), (27, 30), (35, 40)]
        );
        assert_eq!(
            parts(&p, &[(35, 50), (18, 30), (0, 15)], true),
            vec![(35, 40), (27, 30), (20, 25), (0, 10)]
        );
    }

    #[test]
    fn merges_and_rejects_reversed() {
        let p = Pauses::new([
            (ts(5), Some(ts(9))),
            (ts(1), Some(ts(5))),
            (ts(3), Some(ts(3))),
        ])
        .unwrap();
        assert_eq!(p.spans, vec![(1, 9)]);
        assert!(p.contains(ts(1)) && p.contains(ts(8)) && !p.contains(ts(9)));
        assert!(matches!(
            Pauses::new([(ts(5), Some(ts(4)))]),
            Err(TimeError::ReversedPause { .. })
        ));
    }
}
