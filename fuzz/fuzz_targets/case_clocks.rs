//! Case JSON → timeline → the three clocks, on the standard policy's Madrid calendar.
//! Any text: a typed error or an answer, never a panic. The first 8 bytes choose `now`
//! (anywhere from 1900 to 2200); the rest is the case.

#![no_main]

use std::sync::OnceLock;

use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use pacto::{Calendar, Case, Clock, Metric, Timeline};

fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| {
        let text = include_str!("../../rules/standard-rhai/calendars/business.toml");
        Calendar::from_toml("business.toml", text).expect("the standard calendar loads")
    })
}

const FROM: i64 = -2_208_988_800; // 1900-01-01
const SPAN: i64 = 9_467_280_000; // to 2200-01-01

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (head, rest) = data.split_at(8);
    let offset = i64::from_le_bytes(head.try_into().unwrap()).rem_euclid(SPAN);
    let Ok(now) = Timestamp::from_second(FROM + offset) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(case) = Case::from_json(text) else {
        return;
    };
    let _ = case.size_bytes();
    let timeline = Timeline::derive(&case, now);
    for metric in [
        Metric::FirstResponse,
        Metric::NextResponse,
        Metric::Resolution,
    ] {
        for minutes in [0, 60, 480, 100_000] {
            let _ =
                Clock::measure_since(metric, calendar(), minutes, case.opened_at, &timeline, now);
        }
    }
});
