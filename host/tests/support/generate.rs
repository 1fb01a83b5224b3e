//! A seeded, deterministic generator of realistic support cases for property and parity
//! tests: every priority, channel, kind and tier; internal customers and orders
//! sometimes; 0–20 events with replies, follow-ups, waits on the customer or a third
//! party, solves, reopenings and ratings. Cases open in 2026: at any minute, or (three
//! cases in ten) within a day and a half of one of the 2026 offset changes of the zones
//! in [`DST_ZONES`], so a calendar in one of those zones that is open on that day sees
//! its clocks cross the change. `now` usually comes after the last event, but sometimes
//! falls between the events (those after it must be ignored) or before the case opened.
//! No crates beyond `pacto`'s own and jiff: a splitmix64 generator.

use jiff::Timestamp;
use jiff::civil::Date;
use pacto::Case;
use pacto::case::{Channel, Customer, Event, Kind, Order, Priority, Status};

/// splitmix64: tiny, fast, good enough for test data (the oracle's random calendars
/// draw from it too).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`%.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const PRIORITIES: [Priority; 4] = [
    Priority::Low,
    Priority::Normal,
    Priority::High,
    Priority::Urgent,
];
const CHANNELS: [Channel; 7] = [
    Channel::Email,
    Channel::Phone,
    Channel::Chat,
    Channel::Social,
    Channel::Web,
    Channel::InPerson,
    Channel::Mail,
];
const KINDS: [Kind; 6] = [
    Kind::Question,
    Kind::Incident,
    Kind::Problem,
    Kind::Request,
    Kind::Complaint,
    Kind::Compliment,
];
const TIERS: [&str; 5] = ["standard", "standard", "gold", "platinum", "silver"];
const CATEGORIES: [&str; 5] = ["billing", "delivery", "returns", "account", "technical"];
const CURRENCIES: [&str; 3] = ["EUR", "EUR", "USD"];

/// 2026-01-01T00:00:00Z.
const YEAR_START: i64 = 1_767_225_600;

/// Zones whose 2026 offset changes the generator aims at: spring forward and fall back
/// on Sundays at 02:00 or 03:00 (Madrid, New York, Sydney), by half an hour (Lord Howe),
/// and at a 45-minute offset (Chatham).
pub const DST_ZONES: [&str; 5] = [
    "Europe/Madrid",
    "America/New_York",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
];

/// The 2026 offset changes of [`DST_ZONES`], as Unix seconds.
pub fn dst_changes_2026() -> Vec<i64> {
    let from = Timestamp::from_second(YEAR_START).expect("2026");
    DST_ZONES
        .iter()
        .flat_map(|zone| {
            let tz = jiff::tz::TimeZone::get(zone).expect("a bundled zone");
            tz.following(from)
                .map(|t| t.timestamp().as_second())
                .take_while(|&t| t < YEAR_START + 365 * 86_400)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).expect("generated instants are in range")
}

/// A gap between events (or from the last event to `now`): mostly minutes, sometimes
/// hours, now and then days; seconds included.
fn gap(rng: &mut Rng) -> i64 {
    match rng.below(20) {
        0..=10 => rng.range(30, 90 * 60),
        11..=17 => rng.range(90 * 60, 8 * 3600),
        _ => rng.range(8 * 3600, 3 * 86_400),
    }
}

/// The events of one case, from `opened` on; returns them and the time of the last one.
fn events(rng: &mut Rng, opened: i64) -> (Vec<Event>, i64) {
    let n = rng.below(21) as usize;
    let mut out = Vec::with_capacity(n + 1);
    let mut t = opened;
    let mut status = Status::Open;
    let mut replied = false;
    if n > 0 {
        out.push(Event::CustomerMessage { at: at(t) });
    }
    while out.len() < n {
        t += gap(rng);
        let now = at(t);
        let roll = rng.below(100);
        if status.is_done() {
            // A solved case: a rating, a reopening, or the customer writing again.
            match roll {
                0..=34 => {
                    let scale = rng.pick(&[5, 5, 10]);
                    out.push(Event::Satisfaction {
                        at: now,
                        score: rng.below(u64::from(scale) + 1) as u32,
                        scale,
                    });
                }
                35..=64 => {
                    out.push(Event::Reopened { at: now });
                    status = Status::Open;
                }
                65..=84 => {
                    out.push(Event::CustomerMessage { at: now });
                    out.push(Event::Status {
                        at: now,
                        status: Status::Open,
                    });
                    status = Status::Open;
                }
                _ => {
                    out.push(Event::Status {
                        at: now,
                        status: Status::Closed,
                    });
                    status = Status::Closed;
                }
            }
            continue;
        }
        // Until the first reply, an agent reply is the likeliest next event.
        let roll = if replied { roll } else { roll * 30 / 55 };
        match roll {
            0..=29 => {
                replied = true;
                out.push(Event::AgentReply { at: now });
                if rng.chance(40) {
                    out.push(Event::Status {
                        at: now,
                        status: Status::Pending,
                    });
                    status = Status::Pending;
                }
            }
            30..=54 => {
                out.push(Event::CustomerMessage { at: now });
                if status.is_waiting() && rng.chance(80) {
                    out.push(Event::Status {
                        at: now,
                        status: Status::Open,
                    });
                    status = Status::Open;
                }
            }
            55..=64 => out.push(Event::InternalNote { at: now }),
            65..=72 => {
                let next = if status == Status::OnHold {
                    Status::Open
                } else {
                    Status::OnHold
                };
                out.push(Event::Status {
                    at: now,
                    status: next,
                });
                status = next;
            }
            _ => {
                out.push(Event::Status {
                    at: now,
                    status: Status::Solved,
                });
                status = Status::Solved;
            }
        }
    }
    out.truncate(n);
    // Helpdesks do not always send events in order: the host sorts them.
    if out.len() > 2 && rng.chance(10) {
        let i = rng.below(out.len() as u64 - 1) as usize;
        out.swap(i, i + 1);
    }
    (out, t)
}

fn case(rng: &mut Rng, seed: u64, i: usize, changes: &[i64]) -> (Case, Timestamp) {
    // Any minute of 2026 (so any hour, weekends and holidays included), or a minute
    // near an offset change; sometimes an odd second.
    let minute = if rng.chance(30) {
        let at = changes[rng.below(changes.len() as u64) as usize];
        (at - YEAR_START) / 60 + rng.range(-36 * 60, 36 * 60)
    } else {
        rng.range(0, 364 * 1440)
    };
    let opened = YEAR_START
        + minute.clamp(0, 364 * 1440) * 60
        + if rng.chance(20) { rng.range(1, 59) } else { 0 };
    let tier = rng.pick(&TIERS);
    let customer = Customer {
        id: format!("K-{}", rng.range(1, 5000)),
        tier: tier.to_owned(),
        internal: rng.chance(10),
        lifetime_value: rng.below(2_000_000),
        breaches_90d: rng.below(5) as u32,
        credits_90d: rng.below(3) as u32,
    };
    let order = rng.chance(55).then(|| Order {
        value: rng.pick(&[990, 4_990, 19_900, 49_900, 120_000, 350_000, 1_250_000])
            + rng.below(1000),
        currency: rng.pick(&CURRENCIES).to_owned(),
        warranty_until: rng.chance(50).then(|| Date::constant(2027, 6, 30)),
    });
    let (events, last) = events(rng, opened);
    let now = match rng.below(100) {
        // between the events: the later ones have not happened yet
        0..=9 if last > opened => rng.range(opened, last - 1),
        // before the case opened: every clock is inactive
        10..=12 => opened - rng.range(1, 2 * 86_400),
        13..=27 => last,
        _ => last + gap(rng),
    };
    let case = Case {
        id: format!("G-{seed}-{i}"),
        opened_at: at(opened),
        priority: rng.pick(&PRIORITIES),
        channel: rng.pick(&CHANNELS),
        kind: rng.pick(&KINDS),
        category: rng.chance(80).then(|| rng.pick(&CATEGORIES).to_owned()),
        customer,
        order,
        events,
        tags: if rng.chance(20) {
            vec!["vip".to_owned()]
        } else {
            Vec::new()
        },
        attributes: Default::default(),
    };
    (case, at(now))
}

/// `n` cases from `seed`, each with the `now` to decide it at; the same seed gives the
/// same cases.
pub fn cases(seed: u64, n: usize) -> Vec<(Case, Timestamp)> {
    let mut rng = Rng(seed);
    let changes = dst_changes_2026();
    (0..n).map(|i| case(&mut rng, seed, i, &changes)).collect()
}
