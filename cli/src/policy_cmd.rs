//! `pacto decide` and `pacto check`: one decision, or a bundle's load-time checks.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jiff::Timestamp;
use miette::{Report, miette};
use pacto::{Case, Engine, Policy};

use crate::diagnostic;

/// A policy, a case and its `now`: what `decide` and `explain` take.
#[derive(Args)]
pub struct CaseArgs {
    /// The policy bundle folder.
    #[arg(long, value_name = "DIR")]
    pub policy: PathBuf,
    /// The case JSON file.
    #[arg(long, value_name = "FILE")]
    pub case: PathBuf,
    /// The decision's `now` (RFC 3339); defaults to the case's last event.
    #[arg(long, value_name = "T")]
    pub now: Option<String>,
}

impl CaseArgs {
    /// The loaded policy, the case and its `now`.
    pub fn load(&self) -> Result<(Policy, Case, Timestamp), Report> {
        let policy = load(&self.policy)?;
        let case = read_case(&self.case)?;
        let now = match &self.now {
            Some(t) => instant("--now", t)?,
            None => default_now(&case),
        };
        Ok((policy, case, now))
    }

    /// A decision's failure, naming the case file and id.
    pub fn failed(&self, case: &Case, e: pacto::DecideError) -> Report {
        Report::new(e).wrap_err(format!("{}: case `{}`", self.case.display(), case.id))
    }
}

#[derive(Args)]
pub struct DecideArgs {
    #[command(flatten)]
    input: CaseArgs,
    /// Add a `trace` of each deadline: the business intervals counted, the pauses
    /// skipped, the time from `now` to due, and the host calls the policy made.
    #[arg(long)]
    trace: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The policy bundle folder.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

/// Loads a bundle, or a report that points at the file, line and column.
pub fn load(dir: &Path) -> Result<Policy, Report> {
    engine().load(dir).map_err(Report::new)
}

/// An engine caching compiled components in `$PACTO_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/pacto`, else `~/.cache/pacto` ([`Engine::with_user_cache`]).
pub fn engine() -> Engine {
    Engine::with_user_cache()
}

/// Reads a case file.
pub fn read_case(path: &Path) -> Result<Case, Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| miette!("{}: cannot read the case: {e}", path.display()))?;
    Case::from_json(&text).map_err(|e| {
        if e.line > 0 {
            let location = pacto::Location::at_line_column(
                &path.display().to_string(),
                &text,
                e.line,
                e.column,
            );
            diagnostic::at(&location, format!("{location}: {e}"))
        } else {
            miette!("{}: {e}", path.display())
        }
    })
}

/// An RFC 3339 instant named by a flag.
pub fn instant(flag: &str, text: &str) -> Result<Timestamp, Report> {
    text.trim()
        .parse()
        .map_err(|_| miette!("{flag} `{text}` is not an instant; expected RFC 3339 with an offset, such as `2026-03-02T10:15:00+01:00`"))
}

/// The default `now` of a case: its last event, or its opening.
pub fn default_now(case: &Case) -> Timestamp {
    pacto::corpus::default_now(case)
}

pub fn decide(a: DecideArgs) -> Result<ExitCode, Report> {
    let (policy, case, now) = a.input.load()?;
    let decided = if a.trace {
        policy.decide_traced(&case, now)
    } else {
        policy.decide(&case, now)
    };
    let decision = decided.map_err(|e| a.input.failed(&case, e))?;
    let json = serde_json::to_string_pretty(&decision).map_err(|e| miette!("{e}"))?;
    println!("{json}");
    Ok(ExitCode::SUCCESS)
}

pub fn check(a: CheckArgs) -> Result<ExitCode, Report> {
    let policy = load(&a.dir)?;
    let fixtures = pacto::fixture::Fixture::load_dir(&a.dir).map_err(|e| miette!("{e}"))?;
    let info = policy.info();
    let calendars: Vec<&str> = policy.calendars().keys().map(String::as_str).collect();
    println!(
        "ok: {} {} ({}), calendars: {}, {} fixture(s)",
        info.name,
        info.version,
        info.digest,
        if calendars.is_empty() {
            "none".to_owned()
        } else {
            calendars.join(", ")
        },
        fixtures.len()
    );
    Ok(ExitCode::SUCCESS)
}
