//! The Wasm twin of the standard policy (`rules/standard-wasm`, its guest built from
//! source by `test-programs`): its fixtures pass, and Rhai, Wasm and native Rust decide
//! 5,000 generated cases identically.

use crate::{generate, standard_native};
use std::path::{Path, PathBuf};

use pacto::fixture::{Fixture, Outcome};
use pacto::{Decision, Engine, Policy};

fn rules(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rules")
        .join(name)
}

/// A copy of a Wasm bundle with `component` installed as its entry.
pub fn wasm_bundle(name: &str, component: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = rules(name);
    for sub in ["", "calendars", "fixtures"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() && p.extension().is_none_or(|e| e != "wasm") {
                std::fs::copy(&p, dir.path().join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    std::fs::copy(component, dir.path().join("standard.wasm")).unwrap();
    dir
}

/// The Wasm standard bundle, with a wall-clock cap generous enough for a debug build on a
/// busy machine: these tests are about what is decided, not how fast.
fn standard_wasm() -> (tempfile::TempDir, Policy) {
    let dir = wasm_bundle("standard-wasm", test_programs::STANDARD_WASM);
    let mut bundle = pacto::Bundle::load(dir.path()).unwrap();
    bundle.limits.timeout_ms = 60_000;
    let policy = Engine::new()
        .from_bundle(bundle)
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, policy)
}

#[test]
fn standard_wasm_fixtures_pass() {
    let (dir, policy) = standard_wasm();
    let fixtures = Fixture::load_dir(dir.path()).unwrap();
    assert_eq!(fixtures.len(), crate::standard::fixture_files(dir.path()));
    assert_eq!(
        fixtures.len(),
        crate::standard::fixture_files(&rules("standard-rhai")),
        "the Wasm twin has a fixture for every Rhai one"
    );
    let mut failures = Vec::new();
    for f in &fixtures {
        match f.run(&policy) {
            Outcome::Pass => {}
            Outcome::Fail(ms) => failures.extend(ms.iter().map(|m| format!("{}: {m}", f.name))),
            Outcome::Error(e) => failures.push(format!("{}: {e}", f.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The decision without the `policy` block, which names each bundle's own digest.
fn body(
    d: Decision,
) -> (
    Vec<pacto::decision::Deadline>,
    Option<pacto::decision::Escalation>,
    Vec<pacto::decision::Compensation>,
    Vec<String>,
) {
    (d.deadlines, d.escalation, d.compensation, d.notes)
}

/// Every case decided the same by the three policies (decisions without `policy`).
fn assert_same_decisions(
    label: &str,
    [rhai, wasm, native]: [&Policy; 3],
    cases: &[(pacto::Case, jiff::Timestamp)],
) {
    let differ: Vec<&str> = cases
        .iter()
        .filter(|(case, now)| {
            let r = body(rhai.decide(case, *now).unwrap());
            r != body(wasm.decide(case, *now).unwrap())
                || r != body(native.decide(case, *now).unwrap())
        })
        .map(|(case, _)| case.id.as_str())
        .collect();
    assert!(
        differ.is_empty(),
        "{label}: {} of {} cases differ: {:?}",
        differ.len(),
        cases.len(),
        &differ[..differ.len().min(10)]
    );
}

#[test]
fn rhai_wasm_and_native_decide_identically() {
    let mut bundle = pacto::Bundle::load(&rules("standard-rhai")).unwrap();
    bundle.limits.timeout_ms = 60_000; // parity is about what is decided, not how fast
    let engine = Engine::new();
    let rhai = engine.from_bundle(bundle).unwrap();
    let native = standard_native::policy(&rhai);
    let (_dir, wasm) = standard_wasm();
    assert_eq!(wasm.info().name, rhai.info().name);
    let cases = generate::cases(11, 5_000);
    assert_same_decisions("standard", [&rhai, &wasm, &native], &cases);
}

#[test]
fn compiled_components_are_cached_on_disk_and_a_bad_entry_is_recompiled() {
    let cache = tempfile::tempdir().unwrap();
    let dir = wasm_bundle("standard-wasm", test_programs::STANDARD_WASM);
    let (case, now) = generate::cases(3, 1).remove(0);
    let fresh = Engine::with_cache_dir(cache.path())
        .load(dir.path())
        .unwrap();
    let entries = || -> Vec<PathBuf> {
        std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "cwasm"))
            .collect()
    };
    let cached = entries();
    assert_eq!(cached.len(), 1, "one compiled artifact");
    let from_cache = Engine::with_cache_dir(cache.path())
        .load(dir.path())
        .unwrap();
    assert_eq!(
        from_cache.decide(&case, now).unwrap(),
        fresh.decide(&case, now).unwrap()
    );

    std::fs::write(&cached[0], b"not an artifact").unwrap();
    let recompiled = Engine::with_cache_dir(cache.path())
        .load(dir.path())
        .unwrap();
    assert_eq!(
        recompiled.decide(&case, now).unwrap(),
        fresh.decide(&case, now).unwrap()
    );
    assert!(
        std::fs::metadata(&cached[0]).unwrap().len() > 1000,
        "the bad entry was replaced"
    );
}

/// Rhai and Wasm (and native) again, on calendars in each zone the generator aims at and
/// open on the days of their offset changes.
#[test]
fn rhai_wasm_and_native_agree_across_offset_changes_in_every_zone() {
    let cases = generate::cases(0x3A5_2026, 600);
    // one compiled component for every zone (the calendars are not part of it)
    let cache = tempfile::tempdir().unwrap();
    for zone in generate::DST_ZONES {
        let (_rhai_dir, rhai) = crate::standard::rhai_in(zone);
        let native = standard_native::policy(&rhai);
        let dir = wasm_bundle("standard-wasm", test_programs::STANDARD_WASM);
        crate::standard::rezone(dir.path(), zone);
        let mut bundle = pacto::Bundle::load(dir.path()).unwrap();
        bundle.limits.timeout_ms = 60_000;
        let wasm = Engine::with_cache_dir(cache.path())
            .from_bundle(bundle)
            .unwrap();
        assert_same_decisions(zone, [&rhai, &wasm, &native], &cases);
    }
}
