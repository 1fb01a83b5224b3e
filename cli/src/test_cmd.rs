//! `pacto test DIR...`: runs each bundle's fixtures; exit 1 on any failure.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use miette::{Report, miette};
use pacto::fixture::{Fixture, Outcome};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
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
    /// Which of the folders on the command line.
    dir: usize,
    bundle: String,
    name: String,
    file: String,
    outcome: Outcome,
}

pub fn run(a: TestArgs) -> Result<ExitCode, Report> {
    let mut results = Vec::new();
    for (index, dir) in a.dirs.iter().enumerate() {
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
                dir: index,
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
        Format::Junit => println!("{}", junit(&results)),
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
                        .map(|m| match &m.actual {
                            Some(actual) => {
                                json!({"path": m.path, "expected": m.expected, "actual": actual})
                            }
                            None => json!({"path": m.path, "expected": m.expected, "absent": true}),
                        })
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

/// The JUnit XML report: one `<testsuite>` per bundle folder, one `<testcase>` per
/// fixture (with its `file`), a `<failure>` per failed fixture listing every mismatch and
/// an `<error>` (typed by the error kind) per fixture the policy could not decide.
fn junit(results: &[Result_]) -> String {
    let mut report = quick_junit::Report::new("pacto");
    let mut suites: Vec<TestSuite> = Vec::new();
    let mut dir = None;
    for r in results {
        if dir != Some(r.dir) {
            suites.push(TestSuite::new(r.bundle.as_str()));
            dir = Some(r.dir);
        }
        let status = match &r.outcome {
            Outcome::Pass => TestCaseStatus::success(),
            Outcome::Fail(ms) => {
                let lines: Vec<String> = ms.iter().map(ToString::to_string).collect();
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_message(lines.first().cloned().unwrap_or_default())
                    .set_description(lines.join("\n"));
                status
            }
            Outcome::Error(e) => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_type(e.kind()).set_message(e.to_string());
                status
            }
        };
        let mut case = TestCase::new(r.name.as_str(), status);
        case.set_classname(r.bundle.as_str());
        case.extra.insert("file".into(), r.file.as_str().into());
        if let Some(suite) = suites.last_mut() {
            suite.add_test_case(case);
        }
    }
    report.add_test_suites(suites);
    // serializing into memory fails only on a bug in the writer; say so rather than panic
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot write the JUnit report: {e} -->"))
}
