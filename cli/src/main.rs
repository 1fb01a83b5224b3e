//! `pacto`: the command line of the Pacto SLA and policy engine.
//!
//! Exit codes: 0 success, 1 a test or check failed, 2 bad usage or bad input.

mod bench_cmd;
mod build_cmd;
mod calendar_cmd;
mod corpus;
mod diagnostic;
mod diff;
mod explain;
mod policy_cmd;
mod progress;
mod replay_cmd;
mod sample_cmd;
mod sampler;
mod serve;
mod stream;
mod test_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Pacto: SLA deadlines, escalations and compensation from swappable policies.
#[derive(Parser)]
#[command(name = "pacto", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decide one case with a policy bundle; prints the decision as JSON.
    Decide(policy_cmd::DecideArgs),
    /// A case's SLA timeline and why each deadline is where it is: text, an SVG picture
    /// or an HTML page.
    Explain(explain::ExplainArgs),
    /// Load, compile and check a bundle; errors point at file:line:col.
    Check(policy_cmd::CheckArgs),
    /// Run bundles' fixtures; exit 1 on any failure.
    Test(test_cmd::TestArgs),
    /// Decide every case of a corpus (JSON Lines), in parallel; one JSON line out per
    /// line in, in order.
    Replay(replay_cmd::ReplayArgs),
    /// Write a deterministic corpus of realistic cases (JSON Lines); the same seed gives
    /// the same bytes.
    Sample(sample_cmd::SampleArgs),
    /// The impact of swapping one policy for another over a corpus: cases changed, per
    /// field, escalations, breaches and money before and after, by segment.
    Diff(diff::DiffArgs),
    /// Decisions per second and latency percentiles of a policy on a corpus.
    Bench(bench_cmd::BenchArgs),
    /// Compile Wasm bundles' guest crates into their components (in release with LTO
    /// and one codegen unit, whatever the crate's profile says).
    Build(build_cmd::BuildArgs),
    /// HTTP sidecar for helpdesks in any language: the policies of a folder, reloaded as
    /// they change.
    Serve(serve::ServeArgs),
    /// Business-time arithmetic on a calendar file.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // one unwrapped line per message, so scripts and logs can grep them
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }));
    let result = match cli.command {
        Command::Decide(a) => policy_cmd::decide(a),
        Command::Check(a) => policy_cmd::check(a),
        Command::Explain(a) => explain::run(a),
        Command::Test(a) => test_cmd::run(a),
        Command::Bench(a) => bench_cmd::run(a),
        Command::Build(a) => build_cmd::run(a),
        Command::Replay(a) => replay_cmd::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Sample(a) => sample_cmd::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Calendar(cmd) => calendar_cmd::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
