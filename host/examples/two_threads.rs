//! Decisions per second of one Wasm or Rhai bundle on T threads, all sharing one loaded
//! policy or each with a policy of its own: what the lanes of engines are for
//! (BENCHMARKS.md, "Lanes").
//!
//! `cargo run --release -p pacto --example two_threads -- BUNDLE_DIR THREADS [separate]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/generate.rs"]
#[allow(dead_code)]
mod generate;

use std::time::Instant;

use pacto::Engine;
use pacto::bundle::Bundle;

fn load(dir: &str) -> pacto::Policy {
    let bundle = Bundle::load(dir.as_ref()).expect("the bundle loads");
    Engine::with_cache_dir(std::env::temp_dir().join("pacto-decide-loop"))
        .from_bundle(bundle)
        .expect("the bundle compiles")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("a bundle folder");
    let threads: usize = args.next().and_then(|t| t.parse().ok()).unwrap_or(2);
    let separate = args.next().as_deref() == Some("separate");
    let rounds = 30;
    let cases = generate::cases(7, 1000);
    let shared = load(&dir);
    let owned: Vec<pacto::Policy> = if separate {
        (0..threads).map(|_| load(&dir)).collect()
    } else {
        Vec::new()
    };
    let policies: Vec<&pacto::Policy> = if separate {
        owned.iter().collect()
    } else {
        vec![&shared; threads]
    };
    let start = Instant::now();
    std::thread::scope(|s| {
        for policy in policies {
            let cases = &cases;
            s.spawn(move || {
                for _ in 0..rounds {
                    for (case, now) in cases {
                        policy.decide(case, *now).expect("decides");
                    }
                }
            });
        }
    });
    let seconds = start.elapsed().as_secs_f64();
    let decisions = (threads * rounds * cases.len()) as f64;
    let how = if separate {
        "a policy each"
    } else {
        "one policy"
    };
    println!(
        "{threads} threads, {how}: {:.0} decisions/s",
        decisions / seconds
    );
}
