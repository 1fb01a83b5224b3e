//! `pacto replay --policy DIR --cases FILE.jsonl [--out FILE.jsonl]`: decides every case
//! of a corpus, in parallel, and writes one JSON line per input line, in input order:
//! `{"id": …, "decision": {…}}` or `{"id": …, "error": {"kind": …, "message": …}}`. A
//! bad line is reported (kind `input`, naming the line), never dropped.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use miette::{Report, miette};
use pacto::Policy;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::{corpus, policy_cmd};

#[derive(Args)]
pub struct ReplayArgs {
    /// The policy bundle folder.
    #[arg(long, value_name = "DIR")]
    policy: PathBuf,
    /// The corpus (JSON Lines: a case, or `{"case": …, "now": "RFC 3339"}`, per line).
    #[arg(long, value_name = "FILE")]
    cases: PathBuf,
    /// Where to write the results (JSON Lines); standard output when absent.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// How one line turned out.
enum Outcome {
    Decided,
    Failed,
    BadLine,
}

pub fn run(a: ReplayArgs) -> Result<ExitCode, Report> {
    let policy = policy_cmd::load(&a.policy)?;
    let text = corpus::read_text(&a.cases)?;
    // blank lines carry no case: they are skipped, not reported
    let lines: Vec<(usize, &str)> = corpus::numbered(&text).collect();
    let file = a.cases.display().to_string();

    let started = Instant::now();
    // drawn on stderr only when it is a terminal
    let bar = ProgressBar::new(lines.len() as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} cases ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let results: Vec<(String, Outcome)> = lines
        .par_iter()
        .map(|&(number, line)| {
            let result = replay_line(&policy, &file, number, line);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();

    let mut out: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| miette!("{}: cannot create: {e}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let written = results
        .iter()
        .try_for_each(|(line, _)| writeln!(out, "{line}"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        let to = a
            .out
            .as_ref()
            .map_or("standard output".into(), |p| p.display().to_string());
        return Err(miette!("{to}: cannot write: {e}"));
    }

    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|(_, o)| f(o)).count();
    eprintln!(
        "replayed {} cases from {file} with {} {} in {:.2} s: {} decided, {} failed, {} bad lines",
        results.len(),
        policy.info().name,
        policy.info().version,
        started.elapsed().as_secs_f64(),
        count(|o| matches!(o, Outcome::Decided)),
        count(|o| matches!(o, Outcome::Failed)),
        count(|o| matches!(o, Outcome::BadLine)),
    );
    Ok(ExitCode::SUCCESS)
}

/// One output line (fields in this order: `id` first).
#[derive(Serialize)]
struct Out<'a> {
    id: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a pacto::Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Error>,
}

#[derive(Serialize)]
struct Error {
    kind: &'static str,
    message: String,
}

/// The output line for one input line.
fn replay_line(policy: &Policy, file: &str, number: usize, line: &str) -> (String, Outcome) {
    let failed = |id, kind, message| Out {
        id,
        decision: None,
        error: Some(Error { kind, message }),
    };
    let (case, now) = match corpus::parse(line) {
        Ok(parsed) => parsed,
        Err(message) => {
            let out = failed(id_of(line), "input", format!("{file}:{number}: {message}"));
            return (to_json(&out), Outcome::BadLine);
        }
    };
    let id = Value::String(case.id.clone());
    match policy.decide(&case, now) {
        Ok(decision) => {
            let out = Out {
                id,
                decision: Some(&decision),
                error: None,
            };
            (to_json(&out), Outcome::Decided)
        }
        Err(e) => (
            to_json(&failed(id, e.kind(), e.to_string())),
            Outcome::Failed,
        ),
    }
}

fn to_json(out: &Out<'_>) -> String {
    // plain data: serializing it cannot fail
    serde_json::to_string(out).unwrap_or_default()
}

/// The case id of a line that is not a usable case, when it has one.
fn id_of(line: &str) -> Value {
    let Ok(v) = serde_json::from_str::<Value>(line) else {
        return Value::Null;
    };
    [&v["id"], &v["case"]["id"]]
        .into_iter()
        .find(|id| id.is_string())
        .cloned()
        .unwrap_or(Value::Null)
}
