//! `pacto calendar due` and `pacto calendar elapsed`: business-time arithmetic for
//! scripts. Each prints one bare line: an RFC 3339 instant in the calendar's offset, or
//! an integer.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use miette::{Report, miette};
use pacto::{Calendar, Pauses};

use crate::policy_cmd::instant;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// The instant N business minutes (or seconds) after START; negative N counts backwards.
    Due(DueArgs),
    /// Whole business minutes (or seconds) from START to END; 0 when END <= START.
    Elapsed(ElapsedArgs),
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("amount").required(true).args(["minutes", "seconds"]))]
pub struct DueArgs {
    /// The calendar TOML file.
    #[arg(long, value_name = "FILE")]
    calendar: PathBuf,
    /// Where to count from: an RFC 3339 instant with an offset.
    #[arg(long, value_name = "T")]
    start: String,
    /// Business minutes to add (negative: count backwards).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    minutes: Option<i64>,
    /// Business seconds to add (negative: count backwards).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    seconds: Option<i64>,
    /// An interval excluded from business time, `FROM/TO`; repeatable.
    #[arg(long, value_name = "FROM/TO")]
    pause: Vec<String>,
}

#[derive(Args)]
pub struct ElapsedArgs {
    /// The calendar TOML file.
    #[arg(long, value_name = "FILE")]
    calendar: PathBuf,
    /// An RFC 3339 instant with an offset.
    #[arg(long, value_name = "T")]
    start: String,
    /// An RFC 3339 instant with an offset.
    #[arg(long, value_name = "T")]
    end: String,
    /// Print whole business seconds instead of minutes.
    #[arg(long)]
    seconds: bool,
    /// An interval excluded from business time, `FROM/TO`; repeatable.
    #[arg(long, value_name = "FROM/TO")]
    pause: Vec<String>,
}

pub fn run(cmd: CalendarCommand) -> Result<ExitCode, Report> {
    let line = match cmd {
        CalendarCommand::Due(a) => {
            let cal = load(&a.calendar)?;
            let start = instant("--start", &a.start)?;
            let pauses = pauses(&a.pause)?;
            let seconds = match (a.minutes, a.seconds) {
                (Some(m), _) => m
                    .checked_mul(60)
                    .ok_or_else(|| miette!("--minutes {m} is too large"))?,
                (None, Some(s)) => s,
                (None, None) => unreachable!("clap requires --minutes or --seconds"),
            };
            let due = cal
                .add_business_seconds(start, seconds, &pauses)
                .map_err(|e| miette!("{}: {e}", a.calendar.display()))?;
            cal.format(due)
        }
        CalendarCommand::Elapsed(a) => {
            let cal = load(&a.calendar)?;
            let start = instant("--start", &a.start)?;
            let end = instant("--end", &a.end)?;
            let pauses = pauses(&a.pause)?;
            let secs = cal
                .business_seconds_between(start, end, &pauses)
                .map_err(|e| miette!("{}: {e}", a.calendar.display()))?;
            if a.seconds {
                secs.to_string()
            } else {
                (secs / 60).to_string()
            }
        }
    };
    println!("{line}");
    Ok(ExitCode::SUCCESS)
}

fn load(path: &std::path::Path) -> Result<Calendar, Report> {
    Calendar::load(path).map_err(Report::new)
}

fn pauses(args: &[String]) -> Result<Pauses, Report> {
    let mut pairs = Vec::with_capacity(args.len());
    for arg in args {
        let (from, to) = arg.split_once('/').ok_or_else(|| {
            miette!("--pause `{arg}` is not an interval; expected `FROM/TO`, two RFC 3339 instants")
        })?;
        let (from, to) = (instant("--pause", from)?, instant("--pause", to)?);
        if to < from {
            return Err(miette!("--pause `{arg}` ends before it starts"));
        }
        pairs.push((from, Some(to)));
    }
    Pauses::new(pairs).map_err(|e| miette!("--pause: {e}"))
}
