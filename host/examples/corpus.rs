//! Writes a corpus of generated cases as JSON Lines (`{"case": …, "now": …}`), from the
//! seeded generator the tests and benchmarks use.
//!
//! `cargo run -q -p pacto --example corpus -- [N] [SEED] > corpus.jsonl`

#[path = "../tests/support/generate.rs"]
#[allow(dead_code)]
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let n = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    for (case, now) in generate::cases(seed, n) {
        let line = serde_json::json!({"case": case, "now": now.to_string()});
        println!("{line}");
    }
}
