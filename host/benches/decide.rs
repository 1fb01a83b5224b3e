//! One decision of the standard policy, three ways on the same 10,000 generated cases
//! (seed 7): the Rhai bundle `rules/standard-rhai` and its native Rust twin (the floor).
//!
//! `cargo bench -p pacto --bench decide`

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/generate.rs"]
mod generate;
#[path = "../tests/support/standard_native.rs"]
mod standard_native;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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
    let native = Policy::native(
        rhai.info().clone(),
        rhai.calendars().clone(),
        standard_native::StandardNative,
    );
    // the same answers, or the comparison means nothing
    for (case, now) in cases.iter().take(500) {
        assert_eq!(
            rhai.decide(case, *now).expect("rhai"),
            native.decide(case, *now).expect("native")
        );
    }
    decide_all(c, "native", &native, &cases);
    decide_all(c, "standard-rhai", &rhai, &cases);
}

criterion_group! {
    name = decide;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5)).sample_size(50);
    targets = benches
}
criterion_main!(decide);
