//! Decides the generated cases (seed 7) in a loop, for instruction counts under
//! callgrind, which are repeatable where wall-clock times on a shared VM are not.
//!
//! `cargo run --release -p pacto --example decide_loop -- native|BUNDLE_DIR [N] [ROUNDS]`
//!
//! The figure per decision is the difference between two runs (ROUNDS and ROUNDS + 10)
//! divided by 10 × N: `scripts/instructions-per-decision` does that.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/generate.rs"]
#[allow(dead_code)]
mod generate;
#[path = "../tests/support/standard_native.rs"]
mod standard_native;

use pacto::Engine;
use pacto::bundle::Bundle;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "native".into());
    let n = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let cases = generate::cases(7, n);
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai");
    let policy = if which == "native" {
        let rhai = Engine::new().load(rules).expect("standard-rhai loads");
        standard_native::policy(&rhai)
    } else {
        let mut bundle = Bundle::load(which.as_ref()).expect("the bundle loads");
        // valgrind runs code some 50 times slower: the wall-clock limit would stop
        // Rhai decisions that finish in time natively (it counts nothing else)
        bundle.limits.timeout_ms = 60_000;
        // a cache, so that a second run does not compile the component again
        Engine::with_cache_dir(std::env::temp_dir().join("pacto-decide-loop"))
            .from_bundle(bundle)
            .expect("the bundle loads")
    };
    let mut escalated = 0usize;
    for _ in 0..rounds {
        for (case, now) in &cases {
            let d = policy.decide(case, *now).expect("decides");
            escalated += usize::from(d.escalation.is_some());
        }
    }
    println!("{} decisions, {escalated} escalated", rounds * cases.len());
}
