//! Misbehaves as the case id asks (`loop`, `alloc`, `recurse`, `panic`, `invalid`,
//! `calendar`, `time`, `decline`); `events` lists the times of the events it sees as notes; any
//! other case gets a correct one-clock decision.

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
            "recurse" => {
                let n = recurse(std::hint::black_box(0));
                Err(PolicyError::new(format!("unreachable {n}")))
            }
            "panic" => panic!("no rule for case {}", ticket.id),
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
