//! A Python module, built by componentize-py against the host's WIT world.
//!
//! componentize-py is found on `PATH`, and the Python SDK (`pacto_guest`, in
//! `guest-sdk-py/`) through the Python interpreter installed beside it, as the SDK's
//! README sets them up in one virtual environment. The module is exported by an entry
//! module written to a scratch folder, which hands the module's one `Policy` subclass
//! to the SDK's glue; the author writes no component code.

use std::path::{Path, PathBuf};
use std::process::Command;

use miette::{Report, miette};

use super::Built;

/// What to tell an author who lacks the tools, after naming what is missing.
const INSTALL: &str = "install the pinned componentize-py and the SDK in a virtual environment and put it on PATH: \
    `python3 -m venv .venv && .venv/bin/pip install --require-hashes -r guest-sdk-py/requirements.lock \
    && .venv/bin/pip install --no-deps ./guest-sdk-py && export PATH=\"$PWD/.venv/bin:$PATH\"` \
    (guest-sdk-py/README.md)";

pub(super) fn build(source: &Path) -> Result<Built, Report> {
    if !source.is_file() {
        return Err(miette!("{}: no such Python module", source.display()));
    }
    let module = source
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| is_identifier(s))
        .ok_or_else(|| {
            miette!(
                "{}: a Python module's name must be an identifier (letters, digits, `_`)",
                source.display()
            )
        })?;
    let tool = super::on_path("componentize-py").ok_or_else(|| {
        miette!(
            "{}: componentize-py is not on PATH; {INSTALL}",
            source.display()
        )
    })?;
    let sdk = sdk_root(&tool)?;
    let scratch = super::scratch_with_wit()?;
    let entry = "pacto_entry";
    std::fs::write(
        scratch.path().join(format!("{entry}.py")),
        format!(
            "# written by `pacto build`: exports the policy in {module}.py\n\
             import {module} as _policy\n\
             from pacto_guest._component import export as _export\n\
             WitWorld = _export(_policy)\n"
        ),
    )
    .map_err(|e| miette!("cannot write the entry module: {e}"))?;
    let folder = match source.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut command = Command::new(&tool);
    command
        .arg("-d")
        .arg(scratch.path().join("wit"))
        .args(["-w", "policy", "componentize", entry])
        .arg("-p")
        .arg(scratch.path())
        .arg("-p")
        .arg(&folder)
        .arg("-p")
        .arg(&sdk)
        .arg("-o")
        .arg(scratch.path().join("policy.wasm"));
    super::componentize(command, source, "componentize-py", scratch)
}

/// The folder holding the `pacto_guest` package, as the Python beside `tool` imports
/// it.
fn sdk_root(tool: &Path) -> Result<PathBuf, Report> {
    let bin = tool.parent().unwrap_or(Path::new("."));
    let python = ["python3", "python"]
        .iter()
        .map(|p| bin.join(p))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            miette!(
                "no Python interpreter beside {} to find the SDK with; {INSTALL}",
                tool.display()
            )
        })?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import os, pacto_guest; print(os.path.dirname(os.path.dirname(os.path.abspath(pacto_guest.__file__))))",
        ])
        .output()
        .map_err(|e| miette!("cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(miette!(
            "the Python SDK (`pacto_guest`) is not installed for {}, beside componentize-py; {INSTALL}",
            python.display()
        ));
    }
    let root = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    Ok(PathBuf::from(root))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_name_must_be_an_identifier() {
        assert!(is_identifier("standard"));
        assert!(is_identifier("_rules2"));
        assert!(!is_identifier("standard-py"));
        assert!(!is_identifier("2fast"));
        assert!(!is_identifier(""));
    }
}
