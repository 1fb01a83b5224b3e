//! `pacto replay --policy DIR --cases FILE.jsonl [--out FILE.jsonl] [--threads N]`:
//! decides every case of a corpus, streaming, in parallel, and writes one JSON line per
//! input line, in input order: `{"id": …, "decision": {…}}` or
//! `{"id": …, "error": {"kind": …, "message": …}}`. A bad line is reported (kind
//! `input`, naming the line), never dropped.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use miette::{Report, miette};

use crate::corpus::{self, Outcome};
use crate::policy_cmd;
use crate::progress::Progress;
use crate::stream::{self, RawLine, Stopped};

#[derive(Args)]
pub struct ReplayArgs {
    /// The policy bundle folder.
    #[arg(long, value_name = "DIR")]
    policy: PathBuf,
    /// The corpus (JSON Lines: a case, or `{"case": …, "now": "RFC 3339"}`, per line);
    /// `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    cases: PathBuf,
    /// Where to write the results (JSON Lines); standard output when absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Threads deciding at once; all cores when absent (or `RAYON_NUM_THREADS`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
}

/// Lines decided, failed and bad.
#[derive(Default)]
struct Counts {
    decided: usize,
    failed: usize,
    bad: usize,
}

pub fn run(a: ReplayArgs) -> Result<ExitCode, Report> {
    let policy = policy_cmd::load(&a.policy)?;
    let input = corpus::open(&a.cases)?;
    let file = corpus::name(&a.cases);
    let mut out: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(path)
                .map_err(|e| miette!("{}: cannot create: {e}", path.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
    };
    let to = || {
        a.out
            .as_ref()
            .map_or("standard output".into(), |p| p.display().to_string())
    };

    let started = Instant::now();
    let progress = Progress::new(&a.cases);
    let mut counts = Counts::default();
    let decide = |lines: &[RawLine]| {
        let mut text = String::new();
        let mut chunk = Counts::default();
        for line in lines {
            let (answer, outcome) = match &line.text {
                Ok(t) => corpus::answer(&policy, &file, line.number, t),
                Err(why) => (
                    corpus::bad_line(&file, line.number, "", why),
                    Outcome::BadLine,
                ),
            };
            match outcome {
                Outcome::Decided => chunk.decided += 1,
                Outcome::Failed => chunk.failed += 1,
                Outcome::BadLine => chunk.bad += 1,
            }
            text.push_str(&answer);
            text.push('\n');
        }
        (text, chunk)
    };
    let streamed = stream::run(
        input,
        a.threads.map_or(0, usize::from),
        decide,
        |(text, chunk): (String, Counts), span| {
            counts.decided += chunk.decided;
            counts.failed += chunk.failed;
            counts.bad += chunk.bad;
            progress.advance(span);
            out.write_all(text.as_bytes())
        },
    );
    progress.finish();
    match streamed.and_then(|()| out.flush().map_err(Stopped::Emit)) {
        Ok(()) => {}
        Err(Stopped::Read(e)) => return Err(miette!("{file}: cannot read: {e}")),
        Err(Stopped::Emit(e)) => return Err(miette!("{}: cannot write: {e}", to())),
    }

    eprintln!(
        "replayed {} cases from {file} with {} {} in {:.2} s: {} decided, {} failed, {} bad lines",
        counts.decided + counts.failed + counts.bad,
        policy.info().name,
        policy.info().version,
        started.elapsed().as_secs_f64(),
        counts.decided,
        counts.failed,
        counts.bad,
    );
    Ok(ExitCode::SUCCESS)
}
