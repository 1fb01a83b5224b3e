//! Days counted from 1970-01-01 (the Unix epoch day), and their civil date.
//!
//! The calendar walks days as integers: weekday and month-day come from arithmetic
//! (Howard Hinnant's `days_from_civil` / `civil_from_days`) instead of a date type,
//! because jiff keeps its epoch-day conversions private and the walk is hot.

/// The weekday of an epoch day, Monday = 0 … Sunday = 6.
pub(crate) fn weekday(day: i64) -> usize {
    // 1970-01-01 was a Thursday (3)
    (day + 3).rem_euclid(7) as usize
}

/// The epoch day of a civil date.
pub(crate) fn from_civil(year: i32, month: u8, day: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = i64::from(year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil (year, month, day) of an epoch day.
pub(crate) fn to_civil(day: i64) -> (i32, u8, u8) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m as u8, d as u8)
}

/// A month-day as one small number (`month * 32 + day`), for recurring dates.
pub(crate) fn month_day_key(month: u8, day: u8) -> u16 {
    u16::from(month) * 32 + u16::from(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    #[test]
    fn agrees_with_jiff_over_three_centuries() {
        let mut date = Date::constant(1899, 12, 1);
        let mut day = from_civil(1899, 12, 1);
        while date.year() < 2201 {
            assert_eq!(
                to_civil(day),
                (i32::from(date.year()), date.month() as u8, date.day() as u8)
            );
            assert_eq!(
                from_civil(i32::from(date.year()), date.month() as u8, date.day() as u8),
                day
            );
            assert_eq!(
                weekday(day),
                date.weekday().to_monday_zero_offset() as usize
            );
            date = date.tomorrow().unwrap();
            day += 1;
        }
    }

    #[test]
    fn epoch_is_day_zero_and_a_thursday() {
        assert_eq!(from_civil(1970, 1, 1), 0);
        assert_eq!(weekday(0), 3);
    }
}
