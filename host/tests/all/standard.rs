//! The standard policy bundle (`rules/standard-rhai`): its fixtures pass, and the Rhai
//! script decides exactly like the same policy written in Rust.

use crate::{generate, standard_native};
use std::path::{Path, PathBuf};

use pacto::Engine;
use pacto::fixture::{Fixture, Outcome};

fn bundle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/standard-rhai")
}

/// How many `*.json` files a bundle's `fixtures/` holds: every one must load and run.
pub fn fixture_files(bundle: &Path) -> usize {
    std::fs::read_dir(bundle.join("fixtures"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count()
}

#[test]
fn standard_fixtures_pass() {
    let policy = Engine::new()
        .load(bundle_dir())
        .expect("the standard bundle loads");
    let fixtures = Fixture::load_dir(&bundle_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fixtures.len(), fixture_files(&bundle_dir()));
    let mut failures = Vec::new();
    for f in &fixtures {
        match f.run(&policy) {
            Outcome::Pass => {}
            Outcome::Fail(mismatches) => {
                failures.extend(mismatches.iter().map(|m| format!("{}: {m}", f.name)))
            }
            Outcome::Error(e) => failures.push(format!("{}: the policy failed: {e}", f.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rhai_and_native_standard_policies_agree() {
    // The parity check is about what is decided, not how fast: a generous wall-clock cap
    // keeps a busy test machine from turning a slow decision into a difference.
    let mut bundle = pacto::Bundle::load(&bundle_dir()).expect("the standard bundle loads");
    bundle.limits.timeout_ms = 60_000;
    let rhai = Engine::new()
        .from_bundle(bundle)
        .expect("the standard bundle compiles");
    let native = standard_native::policy(&rhai);

    let cases = generate::cases(0x5EED_2026, 5_000);
    // Both policies are `Send + Sync`: decide in parallel, one chunk of cases per thread.
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get());
    let outcomes: Vec<Result<String, String>> = std::thread::scope(|s| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(threads))
            .map(|chunk| {
                let (rhai, native) = (&rhai, &native);
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(case, now)| {
                            // the same decision; only the policy's digest differs
                            let json = |mut d: pacto::Decision| {
                                d.policy.digest.clear();
                                serde_json::to_string(&d).expect("serializes")
                            };
                            let a = rhai.decide(case, *now).map(json);
                            let b = native.decide(case, *now).map(json);
                            match (a, b) {
                                (Ok(a), Ok(b)) if a == b => Ok(a),
                                (a, b) => Err(format!(
                                    "{} at {now}:\n  rhai:   {a:?}\n  native: {b:?}",
                                    case.id
                                )),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker panicked"))
            .collect()
    });
    let differences: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    let decisions: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let escalated = decisions
        .iter()
        .filter(|d| d.contains("\"escalation\":{"))
        .count();
    let compensated = decisions
        .iter()
        .filter(|d| !d.contains("\"compensation\":[]"))
        .count();
    assert!(
        differences.is_empty(),
        "{} of {} decisions differ; first ones:\n{}",
        differences.len(),
        cases.len(),
        differences
            .iter()
            .take(5)
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generated cases reach the interesting branches, not only the quiet ones.
    assert!(escalated > cases.len() / 10, "only {escalated} escalations");
    assert!(
        compensated > cases.len() / 20,
        "only {compensated} compensations"
    );
}

#[test]
fn generated_cases_are_deterministic_and_varied() {
    let a = generate::cases(7, 300);
    let b = generate::cases(7, 300);
    assert_eq!(a, b);
    let priorities: std::collections::BTreeSet<_> = a.iter().map(|(c, _)| c.priority).collect();
    assert_eq!(priorities.len(), 4);
    assert!(a.iter().any(|(c, _)| c.customer.internal));
    assert!(a.iter().any(|(c, _)| c.order.is_some()) && a.iter().any(|(c, _)| c.order.is_none()));
    for (case, now) in &a {
        case.validate().expect("generated cases are valid");
        assert!(
            case.events.iter().all(|e| e.at() <= *now),
            "{}: an event after now",
            case.id
        );
        assert_eq!(
            case.opened_at.to_zoned(jiff::tz::TimeZone::UTC).year(),
            2026
        );
    }
}
