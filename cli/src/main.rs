//! `pacto`: the command line of the Pacto SLA and policy engine.
//!
//! Exit codes: 0 success, 1 a test or check failed, 2 bad usage or bad input.

mod calendar_cmd;
mod diagnostic;

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
