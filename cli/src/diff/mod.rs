//! `pacto diff --from DIR --to DIR --cases FILE.jsonl`: decides every case with both
//! policies (streaming, in parallel, as `replay`) and reports the impact of the swap:
//! cases changed, per field (deadlines moved, status flips, escalation levels,
//! compensation), escalations, breaches and money before and after, by priority,
//! channel and tier, and one changed case before and after.
//!
//! `--format text` (default) prints a table; `json` the contract's object; `html` a
//! self-contained page with inline SVG charts. `--fail-on-change` exits 1 when any
//! case changed. Errors on either side are counted, never dropped.

mod compare;
mod html;
mod tally;
mod text;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use miette::{Report, miette};
use pacto::PolicyInfo;
use serde::Serialize;

use crate::progress::Progress;
use crate::stream::{self, RawLine, Stopped};
use crate::{corpus, policy_cmd};
use compare::{Answer, Calendars};
pub(crate) use html::esc;
pub use tally::Tally;
pub(crate) use text::money;

#[derive(Args)]
pub struct DiffArgs {
    /// The policy bundle in use today.
    #[arg(long, value_name = "DIR")]
    from: PathBuf,
    /// The policy bundle to swap in.
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// The corpus (JSON Lines, as for `replay`); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    cases: PathBuf,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Where to write the report; standard output when absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit 1 when any case changed (for CI gates).
    #[arg(long)]
    fail_on_change: bool,
    /// Threads deciding at once; all cores when absent (or `RAYON_NUM_THREADS`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
}

/// The report's formats.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A compact table for people.
    Text,
    /// One JSON object (DESIGN.md's fields and the breakdown).
    Json,
    /// A self-contained HTML page with SVG charts.
    Html,
}

/// The whole report: the tally and which policies were compared.
#[derive(Serialize)]
pub struct Impact<'a> {
    /// The counts.
    #[serde(flatten)]
    pub tally: &'a Tally,
    /// The two policies.
    pub policies: Policies<'a>,
}

/// The two policies compared.
#[derive(Serialize)]
pub struct Policies<'a> {
    /// `--from`.
    pub from: &'a PolicyInfo,
    /// `--to`.
    pub to: &'a PolicyInfo,
}

pub fn run(a: DiffArgs) -> Result<ExitCode, Report> {
    let from = policy_cmd::load(&a.from)?;
    let to = policy_cmd::load(&a.to)?;
    let input = corpus::open(&a.cases)?;
    let file = corpus::name(&a.cases);
    let calendars = Calendars {
        from: from.calendars(),
        to: to.calendars(),
    };

    let started = Instant::now();
    let progress = Progress::new(&a.cases);
    let mut total = Tally::default();
    let compare = |lines: &[RawLine]| {
        let mut t = Tally::default();
        for line in lines {
            let parsed = line.text.as_ref().ok().and_then(|l| corpus::parse(l).ok());
            let Some((case, now)) = parsed else {
                compare::add_bad_line(&mut t);
                continue;
            };
            let answer = |policy: &pacto::Policy| match policy.decide(&case, now) {
                Ok(d) => Answer::Decided(d),
                Err(e) => Answer::Failed {
                    kind: e.kind(),
                    message: e.to_string(),
                },
            };
            compare::add_case(&mut t, &case, &answer(&from), &answer(&to), &calendars);
        }
        t
    };
    let streamed = stream::run(
        input,
        a.threads.map_or(0, usize::from),
        compare,
        |t: Tally, span| {
            total.merge(t);
            progress.advance(span);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    progress.finish();
    if let Err(Stopped::Read(e)) = streamed {
        return Err(miette!("{file}: cannot read: {e}"));
    }
    let elapsed = started.elapsed();

    let impact = Impact {
        tally: &total,
        policies: Policies {
            from: from.info(),
            to: to.info(),
        },
    };
    let report = match a.format {
        Format::Text => text::render(&impact),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&impact).map_err(|e| miette!("{e}"))?;
            json.push('\n');
            json
        }
        Format::Html => html::render(&impact, &file),
    };
    let written = match &a.out {
        Some(path) => std::fs::write(path, &report)
            .map_err(|e| miette!("{}: cannot write: {e}", path.display())),
        None => std::io::stdout()
            .lock()
            .write_all(report.as_bytes())
            .map_err(|e| miette!("standard output: cannot write: {e}")),
    };
    written?;
    eprintln!(
        "compared {} cases from {file}, {} {} → {} {}, in {:.2} s: {} changed, errors {} → {}",
        total.cases,
        from.info().name,
        from.info().version,
        to.info().name,
        to.info().version,
        elapsed.as_secs_f64(),
        total.changed,
        total.errors.from,
        total.errors.to,
    );
    Ok(if a.fail_on_change && total.changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
