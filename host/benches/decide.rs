//! One decision of the standard policy, three ways on the same 10,000 generated cases
//! (seed 7): the Rhai bundle `rules/standard-rhai`, the Wasm bundle `rules/standard-wasm`
//! (its component built from source by `test-programs`) and natively: the same Rust
//! rules as the component (`rules/standard-wasm/guest/src/rules.rs`) through
//! `Policy::from_guest`, the floor. Also `decide/rhai-floor`: a Rhai script that returns
//! the smallest valid decision (`#{}`), the cost of the Rhai path itself (the case handed
//! to the script, the call, the decision read back). And the Wasm component's load, cold
//! and cached.
//!
//! `cargo bench -p pacto --bench decide`

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/generate.rs"]
mod generate;
#[path = "../tests/support/standard_native.rs"]
mod standard_native;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use pacto::{Engine, Policy};

fn decide_all(
    c: &mut Criterion,
    name: &str,
    policy: &Policy,
    cases: &[(pacto::Case, jiff::Timestamp)],
) {
    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(1));
    let mut i = 0;
    group.bench_function(name, |b| {
        b.iter(|| {
            let (case, now) = &cases[i % cases.len()];
            i += 1;
            black_box(policy.decide(black_box(case), *now).expect("decides"))
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let cases = generate::cases(7, 10_000);
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai");
    let rhai = Engine::new().load(rules).expect("standard-rhai loads");
    let native = standard_native::policy(&rhai);
    let wasm_dir = wasm_bundle();
    let wasm = Engine::new()
        .load(wasm_dir.path())
        .expect("standard-wasm loads");
    // the same answers, or the comparison means nothing; each policy names itself in
    // `policy` (the native one's digest is `native:standard`), so that part is left out
    for (case, now) in cases.iter().take(500) {
        let r = body(rhai.decide(case, *now).expect("rhai"));
        assert_eq!(
            r,
            body(native.decide(case, *now).expect("native")),
            "{}",
            case.id
        );
        assert_eq!(
            r,
            body(wasm.decide(case, *now).expect("wasm")),
            "{}",
            case.id
        );
    }
    decide_all(c, "native", &native, &cases);
    decide_all(c, "standard-wasm", &wasm, &cases);
    decide_all(c, "standard-rhai", &rhai, &cases);
    decide_all(c, "rhai-floor", &rhai_floor(), &cases);
    let cache = tempfile::tempdir().expect("cache dir");
    Engine::with_cache_dir(cache.path())
        .load(wasm_dir.path())
        .expect("fills the cache");
    c.bench_function("load/standard-wasm-cached", |b| {
        b.iter(|| {
            black_box(
                Engine::with_cache_dir(cache.path())
                    .load(wasm_dir.path())
                    .expect("loads"),
            )
        })
    });
    c.bench_function("load/standard-wasm-cold", |b| {
        b.iter(|| black_box(Engine::new().load(wasm_dir.path()).expect("loads")))
    });
}

/// A Rhai bundle whose `decide` returns the smallest valid decision.
fn rhai_floor() -> Policy {
    let bundle = pacto::Bundle::from_files([
        (
            "policy.toml",
            "name = \"floor\"\nversion = \"1.0.0\"\nengine = \"rhai\"\nentry = \"floor.rhai\"\n",
        ),
        ("floor.rhai", "fn decide(ticket, now) { #{} }\n"),
    ])
    .expect("the floor bundle");
    Engine::new()
        .from_bundle(bundle)
        .expect("the floor bundle loads")
}

/// What every backend must agree on: the decision without its `policy` block.
fn body(d: pacto::Decision) -> serde_json::Value {
    let mut v = serde_json::to_value(d).expect("a decision serializes");
    if let Some(m) = v.as_object_mut() {
        m.remove("policy");
    }
    v
}

/// A copy of `rules/standard-wasm` with the component built by `test-programs`.
fn wasm_bundle() -> tempfile::TempDir {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/standard-wasm");
    let dir = tempfile::tempdir().expect("temp dir");
    for sub in ["", "calendars"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        for entry in std::fs::read_dir(src.join(sub)).expect("read") {
            let p = entry.expect("entry").path();
            if p.is_file() && p.extension().is_some_and(|e| e == "toml") {
                std::fs::copy(&p, dir.path().join(sub).join(p.file_name().expect("name")))
                    .expect("copy");
            }
        }
    }
    std::fs::copy(
        test_programs::STANDARD_WASM,
        dir.path().join("standard.wasm"),
    )
    .expect("component");
    dir
}

criterion_group! {
    name = decide;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5)).sample_size(50);
    targets = benches
}
/// `criterion_main!`, on a thread with the stack `pacto serve` and `replay` give their
/// workers, so a Rhai decision is measured without switching stacks (as deployed).
fn main() {
    std::thread::Builder::new()
        .stack_size(pacto::DECISION_STACK_SIZE)
        .spawn(|| {
            decide();
            Criterion::default().configure_from_args().final_summary();
        })
        .expect("the bench thread starts")
        .join()
        .expect("the benches ran");
}
