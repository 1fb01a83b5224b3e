//! Every decision starts from the policy's initial state (DESIGN "Determinism and
//! isolation"). The guest, `test-programs/guests/stateful`, keeps a `static` counter and
//! a heap buffer and writes 1 MiB to stderr per decision: on a host that reused
//! instances its notes would count up and its output pile up across decisions.

use std::collections::BTreeMap;
use std::path::Path;

use pacto::{Case, DecideError, Engine, Policy};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rayon::prelude::*;

use crate::harness::{self, case};

const DECISIONS: usize = 10_000;

fn load(dir: &Path) -> Policy {
    // the wall-clock cap is the one limit that depends on the machine: lift it, so a
    // loaded test machine cannot turn a decision into a timeout
    harness::write_bundle(
        dir,
        "stateful",
        "wasm",
        "p.wasm",
        "[limits]\ntimeout_ms = 600_000\n",
    );
    std::fs::copy(test_programs::STATEFUL, dir.join("p.wasm")).unwrap();
    Engine::new().load(dir).unwrap_or_else(|e| panic!("{e}"))
}

/// One case per id: most decide, one in fifty panics.
fn cases() -> Vec<Case> {
    (0..DECISIONS)
        .map(|i| {
            if i % 50 == 7 {
                case(&format!("panic-{i}"))
            } else {
                case(&format!("case-{i}"))
            }
        })
        .collect()
}

/// Decides every case in an order shuffled by `seed`, on `threads` threads; the outcome
/// of each, as JSON text, by case id.
fn decide_all(
    policy: &Policy,
    cases: &[Case],
    seed: u64,
    threads: usize,
) -> BTreeMap<String, String> {
    let mut order: Vec<&Case> = cases.iter().collect();
    order.shuffle(&mut SmallRng::seed_from_u64(seed));
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        order
            .par_iter()
            .map(|c| {
                let outcome = match policy.decide(c, now) {
                    Ok(d) => serde_json::to_string(&d).unwrap(),
                    Err(e) => format!("{}: {e}", e.kind()),
                };
                (c.id.clone(), outcome)
            })
            .collect()
    })
}

#[test]
fn decisions_do_not_depend_on_order_threads_or_history() {
    let dir = tempfile::tempdir().unwrap();
    let policy = load(dir.path());
    let cases = cases();
    let one = decide_all(&policy, &cases, 1, 1);
    let two = decide_all(&policy, &cases, 2, 2);
    assert_eq!(one.len(), DECISIONS);
    let differ: Vec<_> = one
        .iter()
        .filter(|(id, outcome)| two.get(*id) != Some(outcome))
        .map(|(id, outcome)| format!("{id}: {outcome} / {:?}", two.get(id)))
        .take(3)
        .collect();
    assert!(
        differ.is_empty(),
        "the same cases decided differently on 1 and 2 threads: {differ:#?}"
    );
    for (id, outcome) in &one {
        if id.starts_with("panic") {
            continue;
        }
        let d: serde_json::Value =
            serde_json::from_str(outcome).unwrap_or_else(|_| panic!("{id}: {outcome}"));
        assert_eq!(
            d["notes"],
            serde_json::json!(["seen 0", "heap 1", format!("case {id}")]),
            "{id} saw an earlier decision's state"
        );
    }
}

#[test]
fn a_panic_carries_only_its_own_decisions_output() {
    let dir = tempfile::tempdir().unwrap();
    let policy = load(dir.path());
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    // chatter from earlier decisions on the same policy must not reach this error
    for i in 0..20 {
        policy.decide(&case(&format!("chatty-{i}")), now).unwrap();
    }
    let e = policy.decide(&case("panic-here"), now).unwrap_err();
    let DecideError::Policy(failed) = &e else {
        panic!("expected a policy error, got {e:?}")
    };
    assert!(
        failed.message.contains("case panic-here gives up"),
        "{}",
        failed.message
    );
    assert!(!failed.message.contains("chatty"), "{}", failed.message);
    // and the next decision is whole again
    let d = policy.decide(&case("after"), now).unwrap();
    assert_eq!(d.notes[0], "seen 0");
}
