//! `pacto bench --policy DIR [--policy DIR]... --cases FILE.jsonl [--threads N[,N]...]`:
//! decisions per second and latency percentiles of one or more policies on a corpus, on
//! one or more thread counts, in one run, so that engines (a Rhai bundle, a Wasm bundle)
//! and scaling are compared on the same machine at the same moment.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Args;
use miette::{Report, miette};
use pacto::{Case, Policy};

use crate::{corpus, policy_cmd};

#[derive(Args)]
pub struct BenchArgs {
    /// A policy bundle folder; repeat the flag to compare several side by side.
    #[arg(long, value_name = "DIR", required = true)]
    policy: Vec<PathBuf>,
    /// The corpus (JSON Lines).
    #[arg(long, value_name = "FILE")]
    cases: PathBuf,
    /// Threads deciding at once; a list (`1,2`) runs each count in turn and reports how
    /// throughput scales against the first.
    #[arg(long, default_value = "1", value_delimiter = ',',
          value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Vec<u16>,
    /// Decide the corpus this many times (after one warm-up pass).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    rounds: u32,
}

/// One policy on one thread count.
struct Run {
    label: String,
    threads: usize,
    decisions: usize,
    wall: Duration,
    /// Sorted.
    latencies: Vec<Duration>,
}

impl Run {
    fn throughput(&self) -> f64 {
        self.decisions as f64 / self.wall.as_secs_f64()
    }

    fn pct(&self, p: f64) -> f64 {
        let l = &self.latencies;
        micros(l[((l.len() - 1) as f64 * p).round() as usize])
    }
}

pub fn run(a: BenchArgs) -> Result<ExitCode, Report> {
    let lines = corpus::read(&a.cases)?;
    let bad = lines.iter().filter(|l| l.is_err()).count();
    let cases: Vec<_> = lines.into_iter().filter_map(Result::ok).collect();
    if cases.is_empty() {
        return Err(miette!(
            "{}: no usable case ({bad} bad lines)",
            a.cases.display()
        ));
    }
    println!(
        "corpus      {} cases from {} ({bad} bad lines skipped)",
        cases.len(),
        a.cases.display()
    );
    let mut runs = Vec::new();
    for dir in &a.policy {
        let started = Instant::now();
        let policy = policy_cmd::load(dir)?;
        let load = started.elapsed();
        // the warm-up pass, which also refuses a corpus the policy cannot decide
        for (case, now) in &cases {
            policy
                .decide(case, *now)
                .map_err(|e| miette!("{}: case `{}`: {e}", dir.display(), case.id))?;
        }
        let info = policy.info();
        for &threads in &a.threads {
            let run = measure(&policy, &cases, usize::from(threads), a.rounds)
                .map_err(|e| miette!("cannot start the bench's threads: {e}"))?;
            println!();
            println!(
                "policy      {} {} ({})",
                info.name, info.version, info.digest
            );
            println!("folder      {}", dir.display());
            println!("load        {:.1} ms", load.as_secs_f64() * 1e3);
            println!(
                "decisions   {} on {} thread(s) in {:.3} s",
                run.decisions,
                run.threads,
                run.wall.as_secs_f64()
            );
            println!("throughput  {:.0} decisions/s", run.throughput());
            println!(
                "latency     p50 {:.1} µs  p95 {:.1} µs  p99 {:.1} µs  max {:.1} µs",
                run.pct(0.50),
                run.pct(0.95),
                run.pct(0.99),
                run.pct(1.0)
            );
            runs.push(Run {
                label: dir.display().to_string(),
                ..run
            });
        }
    }
    if runs.len() > 1 {
        println!();
        print!("{}", summary(&runs));
    }
    Ok(ExitCode::SUCCESS)
}

/// Decides the corpus `rounds` times on `threads` threads, timing each decision.
fn measure(
    policy: &Policy,
    cases: &[(Case, jiff::Timestamp)],
    threads: usize,
    rounds: u32,
) -> std::io::Result<Run> {
    let wall = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|s| -> std::io::Result<_> {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                // as `pacto serve` and `replay` do: Rhai decides without switching stacks
                std::thread::Builder::new()
                    .stack_size(pacto::DECISION_STACK_SIZE)
                    .spawn_scoped(s, move || {
                        let mut own = Vec::new();
                        for _ in 0..rounds {
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
    })?;
    let wall = wall.elapsed();
    latencies.sort_unstable();
    Ok(Run {
        label: String::new(),
        threads,
        decisions: latencies.len(),
        wall,
        latencies,
    })
}

/// The runs side by side; `scaling` is throughput against the same policy's first run.
fn summary(runs: &[Run]) -> String {
    let width = runs.iter().map(|r| r.label.len()).max().unwrap_or(0).max(6);
    let mut out = format!(
        "{:width$}  threads  decisions/s  scaling  p50 µs  p95 µs  p99 µs\n",
        "policy"
    );
    for r in runs {
        let first = runs
            .iter()
            .find(|f| f.label == r.label)
            .map_or(1.0, Run::throughput);
        out.push_str(&format!(
            "{:width$}  {:>7}  {:>11.0}  {:>6.2}×  {:>6.1}  {:>6.1}  {:>6.1}\n",
            r.label,
            r.threads,
            r.throughput(),
            r.throughput() / first,
            r.pct(0.50),
            r.pct(0.95),
            r.pct(0.99),
        ));
    }
    out
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
