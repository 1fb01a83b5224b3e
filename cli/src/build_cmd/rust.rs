//! A Rust guest crate, built by cargo for `wasm32-wasip2`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use miette::{Report, miette};

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
