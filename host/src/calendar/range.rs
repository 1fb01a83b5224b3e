//! The span of instants the calendar math supports, and the search horizon.

/// 1900-01-01T00:00:00Z: the earliest instant a calendar computes with.
pub(crate) const MIN_SECOND: i64 = -2_208_988_800;
/// 2200-01-01T00:00:00Z: the instant no calendar computation reaches.
pub(crate) const MAX_SECOND: i64 = 7_258_118_400;
/// How many days a search for open time walks without finding any before it gives up.
/// Four years and a day, so that a calendar open only on 29 February still answers.
pub const SEARCH_HORIZON_DAYS: u32 = 4 * 366 + 1;

pub(crate) fn in_range(second: i64) -> bool {
    (MIN_SECOND..MAX_SECOND).contains(&second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    #[test]
    fn bounds_are_the_documented_dates() {
        assert_eq!(
            Timestamp::from_second(MIN_SECOND).unwrap().to_string(),
            "1900-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_second(MAX_SECOND).unwrap().to_string(),
            "2200-01-01T00:00:00Z"
        );
    }
}
