//! `pacto sample --cases N --seed S [--out FILE]`: a deterministic corpus of realistic
//! cases, one `{"case": …, "now": …}` per line; the same seed gives the same bytes.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use miette::{Report, miette};
use rayon::prelude::*;

use crate::sampler::Sampler;

#[derive(Args)]
pub struct SampleArgs {
    /// How many cases.
    #[arg(long, value_name = "N")]
    cases: u64,
    /// The seed: the same seed gives the same corpus, byte for byte.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Where to write the corpus; standard output when absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Cases generated (in parallel) per batch written.
const BATCH: u64 = 4096;

pub fn run(a: SampleArgs) -> Result<ExitCode, Report> {
    let sampler = Sampler::new(a.seed);
    let mut out: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| miette!("{}: cannot create: {e}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let to = || {
        a.out
            .as_ref()
            .map_or("standard output".into(), |p| p.display().to_string())
    };
    let mut start = 0;
    while start < a.cases {
        let end = (start + BATCH).min(a.cases);
        let text: String = (start..end)
            .into_par_iter()
            .map(|i| {
                // plain data: serializing it cannot fail
                let mut line = serde_json::to_string(&sampler.line(i)).unwrap_or_default();
                line.push('\n');
                line
            })
            .collect();
        out.write_all(text.as_bytes())
            .map_err(|e| miette!("{}: cannot write: {e}", to()))?;
        start = end;
    }
    out.flush()
        .map_err(|e| miette!("{}: cannot write: {e}", to()))?;
    Ok(ExitCode::SUCCESS)
}
