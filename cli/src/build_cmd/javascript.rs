//! A JavaScript module, built by the JavaScript SDK's `pacto-guest-js` command
//! (`guest-sdk-js/`), which bundles the module with the SDK's glue and runs
//! componentize-js (SpiderMonkey) against the host's WIT world.
//!
//! The command is found where npm installs it for the module: in `node_modules/.bin`
//! of the module's folder or of a folder above it, then on `PATH`.

use std::path::{Path, PathBuf};
use std::process::Command;

use miette::{Report, miette};

use super::Built;

const TOOL: &str = "pacto-guest-js";

pub(super) fn build(source: &Path) -> Result<Built, Report> {
    if !source.is_file() {
        return Err(miette!("{}: no such JavaScript module", source.display()));
    }
    let source = source
        .canonicalize()
        .map_err(|e| miette!("{}: {e}", source.display()))?;
    let tool = installed_for(&source)
        .or_else(|| super::on_path(TOOL))
        .ok_or_else(|| {
            miette!(
                "{}: {TOOL} (the JavaScript SDK's build command) is not installed for this module; \
                 in its folder run `npm install --save-dev <path to>/guest-sdk-js` (which brings \
                 the pinned componentize-js), see guest-sdk-js/README.md",
                source.display()
            )
        })?;
    let scratch = super::scratch_with_wit()?;
    let wasm = scratch.path().join("policy.wasm");
    let status = Command::new(&tool)
        .arg(&source)
        .arg("--wit")
        .arg(scratch.path().join("wit"))
        .arg("--out")
        .arg(&wasm)
        .stdout(super::to_stderr())
        .status()
        .map_err(|e| miette!("cannot run {}: {e}", tool.display()))?;
    if !status.success() || !wasm.is_file() {
        return Err(miette!(
            "{}: {TOOL} failed (its errors are above)",
            source.display()
        ));
    }
    Ok(Built {
        wasm,
        _scratch: Some(scratch),
    })
}

/// `node_modules/.bin/pacto-guest-js` in the module's folder or the nearest folder
/// above it that has one, as node resolves packages.
fn installed_for(source: &Path) -> Option<PathBuf> {
    source
        .ancestors()
        .skip(1)
        .map(|d| d.join("node_modules").join(".bin").join(TOOL))
        .find(|p| p.is_file())
}
