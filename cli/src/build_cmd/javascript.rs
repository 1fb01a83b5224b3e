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
    let mut command = Command::new(&tool);
    command
        .arg(&source)
        .arg("--wit")
        .arg(scratch.path().join("wit"))
        .arg("--out")
        .arg(scratch.path().join("policy.wasm"));
    super::componentize(command, &source, TOOL, scratch)
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
