//! Calendars built from structured input (a zone, up to three intervals a weekday,
//! holidays, overrides), plus raw TOML text; whatever loads is asked for deadlines, and
//! the oracle holds: `business_minutes_between(s, add_business_minutes(s, n)) == n`
//! whenever the deadline exists (DESIGN.md: business time from the start to the due
//! instant is exactly the target).

#![no_main]

use arbitrary::Arbitrary;
use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use pacto::Calendar;

const ZONES: [&str; 8] = [
    "UTC",
    "Europe/Madrid",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Apia",
    "America/Santiago",
    "Africa/Casablanca",
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Arbitrary, Debug)]
struct Input {
    zone: u8,
    /// per weekday, up to three (start, length) pairs in minutes of the day
    days: [Vec<(u16, u16)>; 7],
    /// holidays as (month, day) and as days since 2020-01-01
    recurring: Vec<(u8, u8)>,
    dated: Vec<u16>,
    overrides: Vec<(u16, Vec<(u16, u16)>)>,
    /// raw TOML tried as well
    raw: String,
    starts: Vec<(u32, u16)>,
}

fn hhmm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn intervals(pairs: &[(u16, u16)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .take(3)
        .map(|&(start, len)| {
            let start = u32::from(start) % 1440;
            let end = (start + 1 + u32::from(len) % 1440).min(1440);
            format!(
                "\"{}-{}\"",
                hhmm(start),
                if end == 1440 {
                    "24:00".into()
                } else {
                    hhmm(end)
                }
            )
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn toml(input: &Input) -> String {
    let mut t = format!(
        "timezone = \"{}\"\n",
        ZONES[usize::from(input.zone) % ZONES.len()]
    );
    for (name, pairs) in DAYS.iter().zip(&input.days) {
        t.push_str(&format!("{name} = {}\n", intervals(pairs)));
    }
    let base = jiff::civil::date(2020, 1, 1);
    let mut holidays: Vec<String> = input
        .recurring
        .iter()
        .take(50)
        .map(|&(m, d)| format!("\"{:02}-{:02}\"", m % 12 + 1, d % 28 + 1))
        .collect();
    holidays.extend(input.dated.iter().take(200).filter_map(|&n| {
        base.checked_add(jiff::Span::new().days(i64::from(n) % 3000))
            .ok()
            .map(|d| format!("\"{d}\""))
    }));
    t.push_str(&format!(
        "holidays = [{}]\n[overrides]\n",
        holidays.join(", ")
    ));
    let mut seen = std::collections::BTreeSet::new();
    for (n, pairs) in input.overrides.iter().take(20) {
        if let Ok(d) = base.checked_add(jiff::Span::new().days(i64::from(*n) % 3000))
            && seen.insert(d)
        {
            t.push_str(&format!("\"{d}\" = {}\n", intervals(pairs)));
        }
    }
    t
}

fn check(cal: &Calendar, starts: &[(u32, u16)]) {
    for &(offset, n) in starts.iter().take(8) {
        // starts from 2020 to about 2030
        let Ok(s) = Timestamp::from_second(1_577_836_800 + i64::from(offset % 315_360_000)) else {
            continue;
        };
        let n = i64::from(n % 20_000);
        let Ok(due) = cal.add_business_minutes(s, n) else {
            continue;
        };
        assert!(due >= s, "due {due} before the start {s}");
        let elapsed = cal
            .business_minutes_between(s, due)
            .expect("from a start to its own deadline is computable");
        assert_eq!(elapsed, n, "start {s}, n {n}, due {due}");
        let _ = cal.is_business_time(due);
        let _ = cal.add_business_minutes(due, -n);
    }
}

fuzz_target!(|input: Input| {
    if let Ok(cal) = Calendar::from_toml("fuzz.toml", &toml(&input)) {
        check(&cal, &input.starts);
    }
    if let Ok(cal) = Calendar::from_toml("raw.toml", &input.raw) {
        check(&cal, &input.starts);
    }
});
