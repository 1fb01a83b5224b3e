//! `pacto build DIR...`: compiles each Wasm bundle's guest crate (`source` in
//! `policy.toml`) for `wasm32-wasip2` and installs the component as the bundle's entry,
//! then loads the bundle as `pacto check` does (so a component whose `describe()` is not
//! the policy `policy.toml` names fails the build). Cargo's own diagnostics are shown as
//! they come.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use clap::Args;
use miette::{Report, miette};
use pacto::bundle::{Bundle, EngineKind};

#[derive(Args)]
pub struct BuildArgs {
    /// Policy bundle folders (Rhai bundles are skipped).
    #[arg(value_name = "DIR", required = true)]
    dirs: Vec<PathBuf>,
    /// Cargo's target directory (default: cargo's own choice).
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// Build without optimizations.
    #[arg(long)]
    debug: bool,
}

pub fn run(a: BuildArgs) -> Result<ExitCode, Report> {
    for dir in &a.dirs {
        let bundle = Bundle::load_with(dir, false).map_err(Report::new)?;
        if bundle.engine != EngineKind::Wasm {
            eprintln!("skip {}: a rhai bundle needs no build", dir.display());
            continue;
        }
        let source = bundle.source.as_ref().ok_or_else(|| {
            miette!(
                "{}: `source` is missing: name the guest crate's folder to build it",
                dir.join("policy.toml").display()
            )
        })?;
        let wasm = build(source, a.target_dir.as_deref(), a.debug)?;
        std::fs::copy(&wasm, &bundle.entry).map_err(|e| {
            miette!(
                "cannot install {} as {}: {e}",
                wasm.display(),
                bundle.entry.display()
            )
        })?;
        let size = std::fs::metadata(&bundle.entry)
            .map(|m| m.len())
            .unwrap_or(0);
        // the component must be the policy policy.toml names (`describe()`), link
        // against this host and start: what `pacto check` checks, so a build that would
        // be refused at load fails here, naming the bundle
        crate::policy_cmd::load(dir).map_err(|e| {
            e.wrap_err(format!(
                "{}: built {}, but the bundle does not load",
                dir.display(),
                bundle.entry.display()
            ))
        })?;
        eprintln!(
            "built {} ({} KiB) from {}",
            bundle.entry.display(),
            size.div_ceil(1024),
            source.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How a release guest is built, whatever the crate's own profile says: one codegen
/// unit and link-time optimization let the wit-bindgen glue, the allocator and the
/// policy inline into each other; the standard policy runs about 10% fewer instructions
/// per decision this way (BENCHMARKS.md). The same settings as `test-programs`.
const GUEST_RELEASE_CONFIG: [&str; 2] = [
    "profile.release.lto=true",
    "profile.release.codegen-units=1",
];

/// Runs cargo on the guest crate and returns the component it produced.
pub fn build(source: &Path, target_dir: Option<&Path>, debug: bool) -> Result<PathBuf, Report> {
    let manifest = source.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(miette!(
            "{}: no guest crate here (no Cargo.toml)",
            source.display()
        ));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.arg("build")
        .arg("--target")
        .arg("wasm32-wasip2")
        .arg("--manifest-path")
        .arg(&manifest);
    cmd.arg("--message-format").arg("json-render-diagnostics");
    if !debug {
        cmd.arg("--release");
        cmd.args(GUEST_RELEASE_CONFIG.iter().flat_map(|c| ["--config", c]));
    }
    if let Some(t) = target_dir {
        cmd.arg("--target-dir").arg(t);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| miette!("cannot run cargo: {e}"))?;
    let mut wasm = None;
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if msg["reason"] == "compiler-artifact"
                && msg["manifest_path"].as_str().is_some_and(|p| {
                    Path::new(p) == manifest.canonicalize().unwrap_or(manifest.clone())
                })
            {
                let files = msg["filenames"].as_array().into_iter().flatten();
                if let Some(f) = files
                    .filter_map(|f| f.as_str())
                    .find(|f| f.ends_with(".wasm"))
                {
                    wasm = Some(PathBuf::from(f));
                }
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| miette!("cargo did not finish: {e}"))?;
    if !status.success() {
        return Err(miette!(
            "{}: cargo build failed (its errors are above); is the `wasm32-wasip2` target installed? `rustup target add wasm32-wasip2`",
            source.display()
        ));
    }
    wasm.ok_or_else(|| {
        miette!(
            "{}: cargo built no .wasm; is the crate a `cdylib`?",
            source.display()
        )
    })
}
