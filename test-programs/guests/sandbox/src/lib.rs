//! Misbehaves as the case id asks (`loop`, `alloc`, `grow`, `recurse`, `panic`,
//! `invalid`, `calendar`, `time`, `decline`, `host_calls`, `huge_note`); reports what it
//! can reach of the outside world (`wasi`: files, environment, arguments, network,
//! clocks, randomness) as notes; `events` lists the times of the events it sees as
//! notes; any other case gets a correct one-clock decision.

use pacto_guest::{
    Decision, Description, Escalation, Metric, Policy, PolicyError, SupportCase, sla,
};

struct Sandbox;

/// Recurses until the stack runs out (the depth is only known at run time). It uses
/// no heap (nothing grows linear memory), so the host can only report a stack overflow;
/// the result is used after the call, so the recursion cannot become a loop.
#[inline(never)]
fn recurse(n: u64) -> u64 {
    if n == u64::MAX {
        return n;
    }
    recurse(n + 1).wrapping_mul(31).wrapping_add(n)
}

/// What the guest can reach through WASI, one note each: `fs`, `env`, `args`, `net`,
/// then the wall clock, the monotonic clock and a hash keyed by WASI randomness.
fn outside_world() -> Vec<String> {
    use std::hash::{BuildHasher, Hasher};
    let fs = match std::fs::read_dir("/") {
        Ok(entries) => format!("fs: / lists {} entries", entries.count()),
        Err(_) => match std::fs::read("/etc/passwd") {
            Ok(bytes) => format!("fs: read {} bytes", bytes.len()),
            Err(e) => format!("fs: denied ({:?})", e.kind()),
        },
    };
    let env = format!("env: {} variables", std::env::vars_os().count());
    let args = format!("args: {}", std::env::args_os().count());
    let net = match std::net::TcpStream::connect("127.0.0.1:80") {
        Ok(_) => "net: connected".to_owned(),
        Err(e) => format!("net: denied ({:?})", e.kind()),
    };
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(-1, |d| d.as_secs() as i64);
    let start = std::time::Instant::now();
    std::hint::black_box(recurse as fn(u64) -> u64);
    let elapsed = start.elapsed().as_nanos();
    // `RandomState` keys itself from WASI randomness
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(42);
    vec![
        fs,
        env,
        args,
        net,
        format!("wall clock: {wall}"),
        format!("monotonic elapsed: {elapsed}"),
        format!("random hash: {}", h.finish()),
    ]
}

impl Policy for Sandbox {
    fn decide(ticket: &SupportCase, _now: i64) -> Result<Decision, PolicyError> {
        match ticket.id.as_str() {
            "loop" => {
                let mut x: u64 = 0;
                loop {
                    x = std::hint::black_box(x.wrapping_add(1));
                }
            }
            "alloc" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            // linear memory itself, a page at a time, without the allocator
            "grow" => {
                #[cfg(target_arch = "wasm32")]
                loop {
                    if core::arch::wasm32::memory_grow(0, 1) == usize::MAX {
                        return Err(PolicyError::new("memory.grow refused"));
                    }
                }
                #[cfg(not(target_arch = "wasm32"))]
                Err(PolicyError::new("not wasm"))
            }
            // a million host calls, ignoring every error the host returns
            "host_calls" => {
                let mut open = 0u64;
                for i in 0..1_000_000i64 {
                    if let Ok(true) = sla::is_business_time("office", 1_772_445_600 + i) {
                        open += 1;
                    }
                }
                Err(PolicyError::new(format!(
                    "made a million calls ({open} open)"
                )))
            }
            // a 50 MB note
            "huge_note" => Ok(Decision {
                notes: vec!["x".repeat(50 << 20)],
                ..Decision::default()
            }),
            "wasi" => Ok(Decision {
                notes: outside_world(),
                ..Decision::default()
            }),
            "recurse" => {
                let n = recurse(std::hint::black_box(0));
                Err(PolicyError::new(format!("unreachable {n}")))
            }
            "panic" => panic!("no rule for case {}", ticket.id),
            // what a Python or JavaScript guest does with an uncaught exception: the
            // traceback on stderr, then a trap
            "traceback" => {
                eprintln!(
                    "Traceback (most recent call last):\n  File \"app.py\", line 7, in decide\nValueError: no rule for case traceback"
                );
                panic!("uncaught exception")
            }
            "invalid" => Ok(Decision {
                escalation: Some(Escalation {
                    level: 9,
                    team: None,
                    reason: "too much".into(),
                    notify: vec![],
                    raise_priority: None,
                }),
                ..Decision::default()
            }),
            "calendar" => {
                sla::clock(Metric::FirstResponse, "night-shift", 60)?;
                Ok(Decision::default())
            }
            // before 1900: outside the calendar's range, a `time` error in every backend
            "time" => {
                sla::add_business_minutes("office", -5_000_000_000, 1)?;
                Ok(Decision::default())
            }
            "decline" => Err(PolicyError::new("this policy does not handle requests")),
            // the events as the guest sees them, for the order test
            "events" => Ok(Decision {
                notes: ticket.events.iter().map(|e| e.at.to_string()).collect(),
                ..Decision::default()
            }),
            _ => {
                let fr = sla::clock(Metric::FirstResponse, "office", 60)?;
                Ok(Decision {
                    deadlines: vec![fr],
                    notes: vec!["good".into()],
                    ..Decision::default()
                })
            }
        }
    }

    fn describe() -> Description {
        Description::new("sandbox", "0.0.1")
    }
}

pacto_guest::export_policy!(Sandbox);
