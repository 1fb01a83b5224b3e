//! A deterministic generator of realistic support cases, for `pacto sample`.
//!
//! Case `i` of seed `s` depends only on `(s, i)`: the first N cases of a seed are the
//! same whatever the number asked for, and any case can be generated on its own. Cases
//! cover every channel, kind, priority and tier (weighted as a helpdesk sees them),
//! internal customers, orders in seven currencies (some with a warranty date, some of
//! those expired), and lifecycles with first replies, next-response cycles (customer
//! follow-ups), pauses on the customer (`pending`) and on third parties (`on_hold`),
//! solves, reopenings, closes and satisfaction ratings on 5- and 10-point scales. They
//! open across the whole of 2026 in the local time of the customer's region (ten
//! zones, so every DST change of 2026 in those zones is crossed), mostly in office
//! hours, one in twenty within a day and a half of the region's own offset change.
//! Timestamps are written in the region's offset. No randomness beyond a splitmix64
//! generator: the output is byte-identical on every machine.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

/// splitmix64.
struct Rng(u64);

impl Rng {
    /// The generator of case `index` of `seed`.
    fn for_case(seed: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`%.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, by weight.
    fn weighted<T: Copy>(&mut self, items: &[(T, u64)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for &(item, weight) in items {
            if roll < weight {
                return item;
            }
            roll -= weight;
        }
        items[items.len() - 1].0
    }

    /// A duration in seconds between `lo` and `hi` minutes, skewed towards `lo` (most
    /// replies are quick, a few take long).
    fn minutes_skewed(&mut self, lo: i64, hi: i64) -> i64 {
        let u = self.below(1000) as i64;
        let minutes = lo + (hi - lo) * u * u / 1_000_000;
        minutes * 60 + self.range(0, 59)
    }
}

/// A customer's region: its zone, currency, language and how an order's value is sized
/// in its minor units.
#[derive(Clone, Copy)]
struct Region {
    code: &'static str,
    zone: &'static str,
    currency: &'static str,
    language: &'static str,
    /// Minor units per "unit" of order value (100 for cents, 1 for yen).
    minor: u64,
}

const REGIONS: [(Region, u64); 10] = [
    (region("es", "Europe/Madrid", "EUR", "es", 100), 18),
    (region("de", "Europe/Berlin", "EUR", "de", 100), 14),
    (region("fr", "Europe/Paris", "EUR", "fr", 100), 10),
    (region("gb", "Europe/London", "GBP", "en", 100), 12),
    (region("us-east", "America/New_York", "USD", "en", 100), 16),
    (
        region("us-west", "America/Los_Angeles", "USD", "en", 100),
        8,
    ),
    (region("br", "America/Sao_Paulo", "BRL", "pt", 100), 6),
    (region("ch", "Europe/Zurich", "CHF", "de", 100), 4),
    (region("jp", "Asia/Tokyo", "JPY", "ja", 1), 6),
    (region("au", "Australia/Sydney", "AUD", "en", 100), 6),
];

const fn region(
    code: &'static str,
    zone: &'static str,
    currency: &'static str,
    language: &'static str,
    minor: u64,
) -> Region {
    Region {
        code,
        zone,
        currency,
        language,
        minor,
    }
}

const PRIORITIES: [(&str, u64); 4] = [("low", 20), ("normal", 50), ("high", 22), ("urgent", 8)];
const CHANNELS: [(&str, u64); 7] = [
    ("email", 34),
    ("web", 20),
    ("chat", 16),
    ("phone", 15),
    ("social", 7),
    ("in_person", 4),
    ("mail", 4),
];
const KINDS: [(&str, u64); 6] = [
    ("question", 28),
    ("incident", 18),
    ("problem", 14),
    ("request", 22),
    ("complaint", 14),
    ("compliment", 4),
];
const TIERS: [(&str, u64); 4] = [
    ("standard", 58),
    ("silver", 14),
    ("gold", 18),
    ("platinum", 10),
];
const CATEGORIES: [(&str, u64); 6] = [
    ("billing", 20),
    ("delivery", 22),
    ("returns", 14),
    ("account", 14),
    ("technical", 22),
    ("product", 8),
];

/// 2026-01-01T00:00:00Z and the length of 2026 in seconds.
const YEAR_START: i64 = 1_767_225_600;
const YEAR: i64 = 365 * 86_400;

/// A case as `pacto sample` writes it: the contract's JSON, fields in the contract's
/// order, instants in the region's offset.
#[derive(Serialize)]
pub struct SampleCase {
    id: String,
    opened_at: String,
    priority: &'static str,
    channel: &'static str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'static str>,
    customer: Customer,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<Order>,
    events: Vec<Event>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'static str>,
    attributes: Attributes,
}

#[derive(Serialize)]
struct Customer {
    id: String,
    tier: &'static str,
    internal: bool,
    lifetime_value: u64,
    breaches_90d: u32,
    credits_90d: u32,
}

#[derive(Serialize)]
struct Order {
    value: u64,
    currency: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    warranty_until: Option<String>,
}

#[derive(Serialize)]
struct Event {
    at: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<u32>,
}

#[derive(Serialize)]
struct Attributes {
    region: &'static str,
    language: &'static str,
}

/// One corpus line: `{"case": …, "now": …}`.
#[derive(Serialize)]
pub struct SampleLine {
    case: SampleCase,
    now: String,
}

/// The generator: zones resolved once.
pub struct Sampler {
    seed: u64,
    zones: Vec<TimeZone>,
}

impl Sampler {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Sampler {
        let zones = REGIONS
            .iter()
            // the tz database is bundled: every zone named above is there
            .map(|(r, _)| TimeZone::get(r.zone).unwrap_or(TimeZone::UTC))
            .collect();
        Sampler { seed, zones }
    }

    /// Case `index` and its `now`.
    pub fn line(&self, index: u64) -> SampleLine {
        let mut rng = Rng::for_case(self.seed, index);
        let which = rng.weighted(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(|i| (i, REGIONS[i].1)));
        let (region, tz) = (REGIONS[which].0, &self.zones[which]);
        let local = |t: i64| -> String {
            let at = Timestamp::from_second(t).unwrap_or(Timestamp::UNIX_EPOCH);
            at.to_zoned(tz.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        };

        let priority = rng.weighted(&PRIORITIES);
        let channel = rng.weighted(&CHANNELS);
        let kind = rng.weighted(&KINDS);
        let opened = opened_at(&mut rng, tz);
        let internal = rng.chance(5);
        let tier = if internal {
            "standard"
        } else {
            rng.weighted(&TIERS)
        };
        let customer = Customer {
            // a few customers write often: ids drawn from a skewed range
            id: {
                let spread = 1 + rng.below(60_000);
                format!("K-{}", 1 + rng.below(spread))
            },
            tier,
            internal,
            lifetime_value: match tier {
                "platinum" => rng.below(5_000_000) + 500_000,
                "gold" => rng.below(1_500_000) + 100_000,
                _ => rng.below(300_000),
            } * region.minor
                / 100,
            breaches_90d: rng.weighted(&[(0, 70), (1, 18), (2, 8), (3, 3), (5, 1)]),
            credits_90d: rng.weighted(&[(0, 80), (1, 15), (2, 5)]),
        };
        let wants_order = matches!(kind, "complaint" | "problem" | "incident" | "request");
        let order = rng.chance(if wants_order { 75 } else { 35 }).then(|| {
            let units = rng.weighted(&[
                (9, 15),
                (49, 25),
                (199, 25),
                (499, 15),
                (1_200, 12),
                (3_500, 6),
                (12_500, 2),
            ]);
            let value = (units * 100 + rng.below(100)) * region.minor / 100;
            let bought = opened - rng.range(86_400, 700 * 86_400);
            let warranty_until = rng.chance(60).then(|| {
                let years = rng.weighted(&[(1, 40), (2, 50), (3, 10)]);
                let day = Timestamp::from_second(bought)
                    .unwrap_or(Timestamp::UNIX_EPOCH)
                    .to_zoned(tz.clone())
                    .date()
                    .checked_add(years.years())
                    .unwrap_or_default();
                day.to_string()
            });
            Order {
                value,
                currency: region.currency,
                warranty_until,
            }
        });
        let (events, times) = lifecycle(&mut rng, priority, channel, opened, &local);
        let now = now_of(&mut rng, opened, &times);
        let mut tags = Vec::new();
        if tier == "platinum" && rng.chance(40) {
            tags.push("vip");
        }
        if kind == "incident" && rng.chance(25) {
            tags.push("outage");
        }
        if channel == "social" && rng.chance(50) {
            tags.push("public");
        }
        let case = SampleCase {
            id: format!("S{}-{index:07}", self.seed),
            opened_at: local(opened),
            priority,
            channel,
            kind,
            category: rng.chance(90).then(|| rng.weighted(&CATEGORIES)),
            customer,
            order,
            events,
            tags,
            attributes: Attributes {
                region: region.code,
                language: region.language,
            },
        };
        SampleLine {
            case,
            now: local(now),
        }
    }
}

/// When a case opens, as Unix seconds: any second of 2026 (three cases in ten), in the
/// region's office hours on a weekday (about two in three), or within a day and a half
/// of one of the region's 2026 offset changes (one in twenty).
fn opened_at(rng: &mut Rng, tz: &TimeZone) -> i64 {
    let roll = rng.below(100);
    if roll < 5 {
        let from = Timestamp::from_second(YEAR_START).unwrap_or(Timestamp::UNIX_EPOCH);
        let changes: Vec<i64> = tz
            .following(from)
            .map(|t| t.timestamp().as_second())
            .take_while(|&t| t < YEAR_START + YEAR)
            .collect();
        if !changes.is_empty() {
            let at = changes[rng.below(changes.len() as u64) as usize];
            return (at + rng.range(-36 * 3600, 36 * 3600))
                .clamp(YEAR_START, YEAR_START + YEAR - 1);
        }
    }
    let t = YEAR_START + rng.range(0, YEAR - 1);
    if roll >= 35 {
        // moved into office hours, 08:00-19:00 local, Monday to Friday
        let Ok(zoned) = Timestamp::from_second(t).map(|t| t.to_zoned(tz.clone())) else {
            return t;
        };
        let weekday = zoned.date().weekday().to_monday_zero_offset();
        let date = zoned
            .date()
            .checked_add(
                (if weekday >= 5 {
                    7 - i64::from(weekday)
                } else {
                    0
                })
                .days(),
            )
            .unwrap_or(zoned.date());
        let hour = rng.range(8, 18) as i8;
        let minute = rng.range(0, 59) as i8;
        if let Ok(at) = date.at(hour, minute, 0, 0).to_zoned(tz.clone()) {
            return at
                .timestamp()
                .as_second()
                .clamp(YEAR_START, YEAR_START + YEAR - 1);
        }
    }
    t
}

/// How long until the helpdesk answers, in seconds: faster for urgent cases and on
/// live channels, sometimes very late.
fn reply_delay(rng: &mut Rng, priority: &str, channel: &str) -> i64 {
    let (lo, hi) = match priority {
        "urgent" => (2, 120),
        "high" => (5, 480),
        "normal" => (10, 1_200),
        _ => (20, 2_400),
    };
    if matches!(channel, "phone" | "chat" | "in_person") {
        rng.minutes_skewed(lo / 2, hi / 3)
    } else {
        rng.minutes_skewed(lo, hi)
    }
}

/// The events of a case from `opened`, and their instants (in the order generated,
/// which is time order before an occasional swap).
fn lifecycle(
    rng: &mut Rng,
    priority: &'static str,
    channel: &'static str,
    opened: i64,
    local: &impl Fn(i64) -> String,
) -> (Vec<Event>, Vec<i64>) {
    let mut log = Log {
        events: Vec::new(),
        times: Vec::new(),
        local,
    };
    // some cases are still brand new: no events beyond the opening message
    let budget = rng.weighted(&[(1, 8), (3, 17), (6, 30), (10, 30), (16, 12), (24, 3)]);
    let mut t = opened;
    log.push(t, "customer_message", None);
    let mut state = "open";
    let mut awaiting = true;
    while log.events.len() < budget {
        match state {
            "open" if awaiting => {
                t += reply_delay(rng, priority, channel);
                if rng.chance(15) {
                    log.push(t, "internal_note", None);
                    t += rng.minutes_skewed(1, 120);
                }
                log.push(t, "agent_reply", None);
                awaiting = false;
                if rng.chance(40) {
                    log.push(t, "status", Some("pending"));
                    state = "pending";
                }
            }
            "open" => match rng.below(100) {
                0..=39 => {
                    t += rng.minutes_skewed(10, 3_000);
                    log.push(t, "status", Some("solved"));
                    state = "solved";
                }
                40..=54 => {
                    t += rng.minutes_skewed(5, 240);
                    log.push(t, "status", Some("on_hold"));
                    state = "on_hold";
                }
                55..=69 => {
                    t += rng.minutes_skewed(5, 600);
                    log.push(t, "internal_note", None);
                }
                _ => {
                    // a follow-up: a next-response cycle
                    t += rng.minutes_skewed(10, 2_000);
                    log.push(t, "customer_message", None);
                    awaiting = true;
                }
            },
            "pending" => {
                t += rng.minutes_skewed(30, 5_000);
                if rng.chance(12) {
                    log.push(t, "status", Some("solved"));
                    state = "solved";
                } else {
                    log.push(t, "customer_message", None);
                    awaiting = true;
                    if rng.chance(85) {
                        log.push(t, "status", Some("open"));
                        state = "open";
                    }
                }
            }
            "on_hold" => {
                t += rng.minutes_skewed(60, 8_000);
                log.push(t, "status", Some("open"));
                state = "open";
            }
            "solved" => match rng.below(100) {
                0..=44 => {
                    t += rng.minutes_skewed(30, 4_000);
                    let scale = rng.weighted(&[(5, 75), (10, 25)]);
                    let score = rng.below(u64::from(scale) + 1) as u32;
                    log.events.push(Event {
                        at: local(t),
                        kind: "satisfaction",
                        status: None,
                        score: Some(score.max(1)),
                        scale: Some(scale),
                    });
                    log.times.push(t);
                }
                45..=56 => {
                    t += rng.minutes_skewed(60, 10_000);
                    if rng.chance(50) {
                        log.push(t, "reopened", None);
                    } else {
                        log.push(t, "customer_message", None);
                        log.push(t, "status", Some("open"));
                    }
                    state = "open";
                    awaiting = true;
                }
                _ => {
                    t += rng.minutes_skewed(600, 10_000);
                    log.push(t, "status", Some("closed"));
                    state = "closed";
                }
            },
            _ => break,
        }
    }
    let Log {
        mut events,
        mut times,
        ..
    } = log;
    // helpdesks do not always send events in order: the host sorts them
    if events.len() > 2 && rng.chance(3) {
        let i = rng.below(events.len() as u64 - 1) as usize;
        events.swap(i, i + 1);
        times.swap(i, i + 1);
    }
    (events, times)
}

/// The events of a case so far, with their instants.
struct Log<'a, F> {
    events: Vec<Event>,
    times: Vec<i64>,
    local: &'a F,
}

impl<F: Fn(i64) -> String> Log<'_, F> {
    fn push(&mut self, t: i64, kind: &'static str, status: Option<&'static str>) {
        self.events.push(Event {
            at: (self.local)(t),
            kind,
            status,
            score: None,
            scale: None,
        });
        self.times.push(t);
    }
}

/// The instant a case is decided at: mostly a while after its last event, sometimes at
/// it, sometimes between its events (the later ones have not happened yet).
fn now_of(rng: &mut Rng, opened: i64, times: &[i64]) -> i64 {
    let last = times.iter().copied().max().unwrap_or(opened);
    match rng.below(100) {
        0..=11 if last > opened => rng.range(opened, last - 1),
        12..=26 => last,
        _ => last + rng.minutes_skewed(1, 6_000),
    }
}

#[cfg(test)]
mod tests {
    use super::Sampler;

    #[test]
    fn a_case_depends_only_on_seed_and_index_and_parses() {
        let a = Sampler::new(7);
        let b = Sampler::new(7);
        for i in [0, 1, 999, 123_456] {
            let x = serde_json::to_string(&a.line(i)).unwrap();
            assert_eq!(x, serde_json::to_string(&b.line(i)).unwrap());
            if let Err(e) = crate::corpus::parse(&x) {
                panic!("{e}: {x}");
            }
        }
        let other = serde_json::to_string(&Sampler::new(8).line(0)).unwrap();
        assert_ne!(other, serde_json::to_string(&a.line(0)).unwrap());
    }
}
