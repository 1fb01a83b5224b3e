//! The Wasm sandbox under attack (guest: `test-programs/guests/sandbox`): every
//! misbehaviour ends in a typed error in bounded time, and the same `Policy` then
//! decides the next case correctly, on a fresh instance if the last one trapped.

use std::path::Path;

use pacto::{BundleError, DecideError, Engine, LimitExceeded, Policy};

use crate::harness::{self, case};

fn bundle(dir: &Path, component: &str, name: &str, limits: &str) {
    harness::write_bundle(dir, name, "wasm", "p.wasm", limits);
    std::fs::copy(component, dir.join("p.wasm")).unwrap();
}

fn load(limits: &str) -> (tempfile::TempDir, Policy) {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), test_programs::SANDBOX, "sandbox", limits);
    let policy = Engine::new()
        .load(dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, policy)
}

fn attack_with(id: &str, limits: &str) -> DecideError {
    let (_dir, policy) = load(limits);
    harness::attack(&policy, id)
}

fn attack(id: &str) -> DecideError {
    attack_with(id, "")
}

#[test]
fn an_endless_loop_runs_out_of_fuel() {
    let e = attack_with("loop", "[limits]\ntimeout_ms = 60_000\n");
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Fuel(10_000_000))),
        "{e:?}"
    );
}

#[test]
fn an_endless_loop_hits_the_wall_clock_when_fuel_allows() {
    let e = attack_with(
        "loop",
        "[limits]\nfuel = 1_000_000_000_000\ntimeout_ms = 20\n",
    );
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Timeout(20))),
        "{e:?}"
    );
}

#[test]
fn allocating_past_the_cap_is_stopped() {
    let e = attack_with(
        "alloc",
        "[limits]\nfuel = 1_000_000_000_000\ntimeout_ms = 60_000\nmemory_mb = 16\n",
    );
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Memory(16))),
        "{e:?}"
    );
}

#[test]
fn endless_recursion_overflows_the_stack() {
    let e = attack_with(
        "recurse",
        "[limits]\nfuel = 1_000_000_000_000\ntimeout_ms = 60_000\n",
    );
    // the guest recurses without touching the heap, so only the stack can stop it
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Stack)),
        "{e:?}"
    );
}

#[test]
fn a_panic_carries_its_message() {
    let e = attack("panic");
    assert!(
        e.to_string().contains("panicked") && e.to_string().contains("no rule for case panic"),
        "{e}"
    );
}

#[test]
fn a_panic_keeps_what_the_guest_wrote_before_it() {
    let e = attack("traceback").to_string();
    assert!(e.contains("the policy panicked: panicked at"), "{e}");
    assert!(!e.contains("RUST_BACKTRACE"), "{e}");
    assert!(e.contains("uncaught exception"), "{e}");
    assert!(
        e.contains("the guest wrote before it:\nTraceback (most recent call last):\n  File \"app.py\", line 7, in decide\nValueError: no rule for case traceback"),
        "{e}"
    );
    assert!(!e.contains("thread '"), "Rust's preamble is left out: {e}");
    // a plain panic has nothing before it
    assert!(!attack("panic").to_string().contains("wrote before"));
}

#[test]
fn an_invalid_decision_names_the_field() {
    let e = attack("invalid");
    assert!(
        e.to_string()
            .contains("`escalation.level`: must be between 0 and 5, got 9"),
        "{e}"
    );
}

#[test]
fn an_unknown_calendar_is_named() {
    let e = attack("calendar");
    assert!(
        e.to_string()
            .contains("unknown calendar `night-shift`; the bundle has `office`"),
        "{e}"
    );
}

#[test]
fn a_declined_case_is_a_policy_error() {
    let e = attack("decline");
    assert!(
        matches!(&e, DecideError::Policy { .. })
            && e.to_string().contains("does not handle requests"),
        "{e:?}"
    );
}

#[test]
fn a_component_importing_what_the_host_does_not_offer_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), test_programs::BAD_IMPORT, "phones-home", "");
    let e = Engine::new().load(dir.path()).unwrap_err();
    assert!(matches!(e, BundleError::Policy { .. }), "{e:?}");
    assert!(e.to_string().contains("pacto:extra/telemetry"), "{e}");
}

#[test]
fn a_component_that_is_not_the_named_policy_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), test_programs::SANDBOX, "standard", "");
    let e = Engine::new().load(dir.path()).unwrap_err();
    assert!(
        e.to_string()
            .contains("describes itself as `sandbox 0.0.1` but policy.toml says `standard 0.0.1`"),
        "{e}"
    );
}

#[test]
fn a_file_that_is_not_a_component_is_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), test_programs::SANDBOX, "sandbox", "");
    std::fs::write(dir.path().join("p.wasm"), b"not wasm at all").unwrap();
    let e = Engine::new().load(dir.path()).unwrap_err();
    assert!(
        e.to_string().contains("p.wasm")
            && e.to_string().contains("not a usable WebAssembly component"),
        "{e}"
    );
}

#[test]
fn a_wasm_policy_is_shared_across_threads() {
    let (_dir, policy) = load("");
    let policy = std::sync::Arc::new(policy);
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let p = std::sync::Arc::clone(&policy);
            std::thread::spawn(move || {
                (0..25)
                    .map(|j| {
                        // every fifth call traps, the rest must still decide
                        if (i + j) % 5 == 0 {
                            assert!(p.decide(&case("panic"), now).is_err());
                        }
                        p.decide(&case("good"), now).unwrap().notes
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        assert!(
            h.join()
                .unwrap()
                .iter()
                .all(|n| n == &vec!["good".to_owned()])
        );
    }
}
