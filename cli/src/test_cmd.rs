//! `pacto test DIR...`: runs each bundle's fixtures; exit 1 on any failure.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use miette::{Report, miette};
use pacto::fixture::{Fixture, Outcome};
use serde_json::{Value, json};

use crate::policy_cmd;

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Junit,
}

#[derive(Args)]
pub struct TestArgs {
    /// Policy bundle folders.
    #[arg(value_name = "DIR", required = true)]
    dirs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

struct Result_ {
    bundle: String,
    name: String,
    file: String,
    outcome: Outcome,
}

pub fn run(a: TestArgs) -> Result<ExitCode, Report> {
    let mut results = Vec::new();
    for dir in &a.dirs {
        let policy = policy_cmd::load(dir)?;
        let fixtures = Fixture::load_dir(dir).map_err(|e| miette!("{e}"))?;
        if fixtures.is_empty() {
            return Err(miette!(
                "{}: no fixtures in `{}`",
                dir.display(),
                dir.join("fixtures").display()
            ));
        }
        for f in fixtures {
            let outcome = f.run(&policy);
            results.push(Result_ {
                bundle: policy.info().name.clone(),
                name: f.name,
                file: f.path.display().to_string(),
                outcome,
            });
        }
    }
    let failed = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Pass))
        .count();
    let passed = results.len() - failed;
    match a.format {
        Format::Text => print!("{}", text(&results, passed, failed)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json_report(&results, passed, failed))
                .unwrap_or_default()
        ),
        Format::Junit => print!("{}", junit(&results, failed)),
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn text(results: &[Result_], passed: usize, failed: usize) -> String {
    let mut out = String::new();
    for r in results {
        match &r.outcome {
            Outcome::Pass => {
                let _ = writeln!(out, "ok    {} {}", r.bundle, r.name);
            }
            Outcome::Fail(mismatches) => {
                let _ = writeln!(out, "FAIL  {} {} ({})", r.bundle, r.name, r.file);
                for m in mismatches {
                    let _ = writeln!(out, "      {m}");
                }
            }
            Outcome::Error(e) => {
                let _ = writeln!(out, "ERROR {} {} ({}): {e}", r.bundle, r.name, r.file);
            }
        }
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    out
}

fn json_report(results: &[Result_], passed: usize, failed: usize) -> Value {
    let fixtures: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut v = json!({"bundle": r.bundle, "name": r.name, "file": r.file});
            match &r.outcome {
                Outcome::Pass => v["status"] = "pass".into(),
                Outcome::Fail(ms) => {
                    v["status"] = "fail".into();
                    v["mismatches"] = ms
                        .iter()
                        .map(
                            |m| json!({"path": m.path, "expected": m.expected, "actual": m.actual}),
                        )
                        .collect();
                }
                Outcome::Error(e) => {
                    v["status"] = "error".into();
                    v["error"] = json!({"kind": e.kind(), "message": e.to_string()});
                }
            }
            v
        })
        .collect();
    json!({"passed": passed, "failed": failed, "fixtures": fixtures})
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn junit(results: &[Result_], failed: usize) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"pacto\" tests=\"{}\" failures=\"{failed}\">",
        results.len()
    );
    let mut bundles: Vec<&str> = results.iter().map(|r| r.bundle.as_str()).collect();
    bundles.dedup();
    for b in bundles {
        let mine: Vec<&Result_> = results.iter().filter(|r| r.bundle == b).collect();
        let fails = mine
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail(_)))
            .count();
        let errors = mine
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Error(_)))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"{errors}\">",
            xml(b),
            mine.len()
        );
        for r in mine {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                xml(b),
                xml(&r.name),
                xml(&r.file)
            );
            match &r.outcome {
                Outcome::Pass => out.push_str("/>\n"),
                Outcome::Fail(ms) => {
                    let body: Vec<String> = ms.iter().map(|m| m.to_string()).collect();
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        xml(&body[0]),
                        xml(&body.join("\n"))
                    );
                }
                Outcome::Error(e) => {
                    let _ = writeln!(
                        out,
                        ">\n      <error type=\"{}\" message=\"{}\"/>\n    </testcase>",
                        e.kind(),
                        xml(&e.to_string())
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
