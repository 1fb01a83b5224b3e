//! `pacto bench --policy DIR --cases FILE.jsonl [--threads N]`: decisions per second and
//! latency percentiles of one policy on a corpus.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use miette::{Report, miette};

use crate::{corpus, policy_cmd};

#[derive(Args)]
pub struct BenchArgs {
    /// The policy bundle folder.
    #[arg(long, value_name = "DIR")]
    policy: PathBuf,
    /// The corpus (JSON Lines).
    #[arg(long, value_name = "FILE")]
    cases: PathBuf,
    /// Threads deciding at once.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: u16,
    /// Decide the corpus this many times (after one warm-up pass).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
}

pub fn run(a: BenchArgs) -> Result<ExitCode, Report> {
    let started = Instant::now();
    let policy = policy_cmd::load(&a.policy)?;
    let load = started.elapsed();
    let lines = corpus::read(&a.cases)?;
    let bad = lines.iter().filter(|l| l.is_err()).count();
    let cases: Vec<_> = lines.into_iter().filter_map(Result::ok).collect();
    if cases.is_empty() {
        return Err(miette!(
            "{}: no usable case ({bad} bad lines)",
            a.cases.display()
        ));
    }
    for (case, now) in &cases {
        policy
            .decide(case, *now)
            .map_err(|e| miette!("case `{}`: {e}", case.id))?;
    }

    let threads = usize::from(a.threads);
    let wall = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|s| -> std::io::Result<_> {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (policy, cases) = (&policy, &cases);
                // as `pacto serve` and `replay` do: Rhai decides without switching stacks
                std::thread::Builder::new()
                    .stack_size(pacto::DECISION_STACK_SIZE)
                    .spawn_scoped(s, move || {
                        let mut own = Vec::new();
                        for _ in 0..a.rounds {
                            for (case, now) in cases.iter().skip(t).step_by(threads) {
                                let t0 = Instant::now();
                                let _ = std::hint::black_box(policy.decide(case, *now));
                                own.push(t0.elapsed());
                            }
                        }
                        own
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect())
    })
    .map_err(|e| miette!("cannot start the bench's threads: {e}"))?;
    let wall = wall.elapsed();
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let info = policy.info();
    println!(
        "policy      {} {} ({})",
        info.name, info.version, info.digest
    );
    println!(
        "corpus      {} cases from {} ({bad} bad lines skipped)",
        cases.len(),
        a.cases.display()
    );
    println!("load        {:.1} ms", load.as_secs_f64() * 1e3);
    println!(
        "decisions   {} on {threads} thread(s) in {:.3} s",
        latencies.len(),
        wall.as_secs_f64()
    );
    println!(
        "throughput  {:.0} decisions/s",
        latencies.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "latency     p50 {:.1} µs  p95 {:.1} µs  p99 {:.1} µs  max {:.1} µs",
        micros(pct(0.50)),
        micros(pct(0.95)),
        micros(pct(0.99)),
        micros(pct(1.0))
    );
    Ok(ExitCode::SUCCESS)
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
