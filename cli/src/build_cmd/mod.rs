//! `pacto build DIR...`: turns each Wasm bundle's `source` (in `policy.toml`) into the
//! component its `entry` names, then loads the bundle as `pacto check` does (so a
//! component whose `describe()` is not the policy `policy.toml` names fails the build).
//!
//! The source says which toolchain builds it: a folder with a `Cargo.toml` is a Rust
//! guest crate ([`rust`], cargo for `wasm32-wasip2`), a `*.py` file a Python module
//! ([`python`], componentize-py) and a `*.js` file a JavaScript module
//! ([`javascript`], componentize-js). `pacto build` installs none of them: a missing
//! tool is an error that says what to install. The tools' own diagnostics are shown as
//! they come.

mod javascript;
mod python;
mod rust;

use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::Args;
use miette::{Report, miette};
use pacto::bundle::{Bundle, EngineKind};

#[derive(Args)]
pub struct BuildArgs {
    /// Policy bundle folders (Rhai bundles are skipped).
    #[arg(value_name = "DIR", required = true)]
    dirs: Vec<PathBuf>,
    /// Cargo's target directory, for Rust guests (default: cargo's own choice).
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// Build a Rust guest without optimizations.
    #[arg(long)]
    debug: bool,
}

/// The WIT world every guest is built against: the host's own, so a guest built by
/// this `pacto` links against it.
pub(crate) const WIT: &str = include_str!("../../../wit/policy.wit");

/// What a bundle's `source` is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Rust,
    Python,
    JavaScript,
}

impl Language {
    fn of(source: &Path) -> Result<Language, Report> {
        match source.extension().and_then(|e| e.to_str()) {
            Some("py") => Ok(Language::Python),
            Some("js" | "mjs") => Ok(Language::JavaScript),
            _ if source.join("Cargo.toml").is_file() => Ok(Language::Rust),
            _ => Err(miette!(
                "{}: `source` must name a Rust guest crate (a folder with a Cargo.toml), a \
                 Python module (*.py) or a JavaScript module (*.js)",
                source.display()
            )),
        }
    }
}

/// A component a toolchain built, and the scratch folder that holds it, if any.
struct Built {
    wasm: PathBuf,
    _scratch: Option<tempfile::TempDir>,
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
                "{}: `source` is missing: name the guest's crate folder or module to build it",
                dir.join("policy.toml").display()
            )
        })?;
        let started = std::time::Instant::now();
        let built = match Language::of(source)? {
            Language::Rust => Built {
                wasm: rust::build(source, a.target_dir.as_deref(), a.debug)?,
                _scratch: None,
            },
            Language::Python => python::build(source)?,
            Language::JavaScript => javascript::build(source)?,
        };
        std::fs::copy(&built.wasm, &bundle.entry).map_err(|e| {
            miette!(
                "cannot install {} as {}: {e}",
                built.wasm.display(),
                bundle.entry.display()
            )
        })?;
        let size = std::fs::metadata(&bundle.entry)
            .map(|m| m.len())
            .unwrap_or(0);
        let took = started.elapsed();
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
            "built {} ({} KiB in {:.1} s) from {}",
            bundle.entry.display(),
            size.div_ceil(1024),
            took.as_secs_f64(),
            source.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `program` as found on `PATH`, the way a shell finds it.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// A scratch folder holding the WIT world at `wit/policy.wit`.
fn scratch_with_wit() -> Result<tempfile::TempDir, Report> {
    let scratch = tempfile::Builder::new()
        .prefix("pacto-build-")
        .tempdir()
        .map_err(|e| miette!("cannot make a scratch folder: {e}"))?;
    let wit = scratch.path().join("wit");
    std::fs::create_dir(&wit)
        .and_then(|()| std::fs::write(wit.join("policy.wit"), WIT))
        .map_err(|e| miette!("cannot write the WIT world to {}: {e}", wit.display()))?;
    Ok(scratch)
}

/// Runs `command` (a toolchain that writes `scratch/policy.wasm`) with its output on
/// our standard error, and returns the component it built; `what` names the tool in
/// the error when it fails or writes nothing.
fn componentize(
    mut command: Command,
    source: &Path,
    what: &str,
    scratch: tempfile::TempDir,
) -> Result<Built, Report> {
    let wasm = scratch.path().join("policy.wasm");
    let status = command
        .stdout(to_stderr())
        .status()
        .map_err(|e| miette!("cannot run {}: {e}", command.get_program().display()))?;
    if !status.success() || !wasm.is_file() {
        return Err(miette!(
            "{}: {what} failed (its errors are above)",
            source.display()
        ));
    }
    Ok(Built {
        wasm,
        _scratch: Some(scratch),
    })
}

/// The child's standard output, sent to ours for errors: `pacto build` keeps its
/// standard output for nothing, as cargo does.
fn to_stderr() -> std::process::Stdio {
    std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map_or_else(|_| std::process::Stdio::inherit(), Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_names_its_language() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("Cargo.toml"), "").expect("write");
        assert_eq!(Language::of(dir.path()).ok(), Some(Language::Rust));
        assert_eq!(
            Language::of(Path::new("p/standard.py")).ok(),
            Some(Language::Python)
        );
        assert_eq!(
            Language::of(Path::new("p/standard.js")).ok(),
            Some(Language::JavaScript)
        );
        let e = Language::of(Path::new("p/standard.rb")).expect_err("not a source");
        assert!(e.to_string().contains("Python module (*.py)"), "{e}");
    }

    #[test]
    fn the_wit_world_is_the_hosts() {
        assert!(WIT.contains("package pacto:policy@0.3.0;"));
    }
}
