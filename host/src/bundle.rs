//! A policy bundle: a folder with `policy.toml`, the policy (a Rhai script or a Wasm
//! component), its calendars and fixtures.
//!
//! ```toml
//! name = "standard"
//! version = "1.0.0"
//! engine = "rhai"                     # or "wasm"
//! entry = "standard.rhai"             # or "standard.wasm"
//! [calendars]
//! support = "calendars/support.toml"
//! [limits]                            # optional; defaults are safe
//! fuel = 10_000_000
//! memory_mb = 16
//! max_operations = 1_000_000
//! timeout_ms = 50
//! ```
//!
//! Everything is read and checked at load; a decision reads no file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::calendar::Calendar;
use crate::error::{CalendarLoadError, Location};

/// Which sandbox runs the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// A Rhai script.
    Rhai,
    /// A WebAssembly component.
    Wasm,
}

/// Resource limits per decision; every field has a safe default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Wasm: instructions of fuel per decision.
    pub fuel: u64,
    /// Wasm: linear memory cap, MiB.
    pub memory_mb: u64,
    /// Rhai: operations per decision.
    pub max_operations: u64,
    /// Wall-clock cap per decision, both engines, milliseconds.
    pub timeout_ms: u64,
    /// Rhai: nested function calls.
    pub max_call_depth: usize,
    /// Rhai: bytes in one string.
    pub max_string_size: usize,
    /// Rhai: items in one array.
    pub max_array_size: usize,
    /// Rhai: entries in one map.
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 10_000_000,
            memory_mb: 16,
            max_operations: 1_000_000,
            timeout_ms: 50,
            max_call_depth: 64,
            max_string_size: 64 * 1024,
            max_array_size: 10_000,
            max_map_size: 10_000,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: Spanned<String>,
    version: Spanned<String>,
    engine: Spanned<EngineKind>,
    entry: Spanned<String>,
    #[serde(default)]
    calendars: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    limits: Limits,
    /// Wasm: the guest crate that `pacto build` compiles into `entry`.
    #[serde(default)]
    source: Option<Spanned<String>>,
}

/// A bundle that cannot be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BundleError {
    /// A file could not be read.
    #[error("{path}: cannot read: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// `policy.toml` (or another bundle file) is malformed.
    #[error("{location}: {message}")]
    Manifest {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A calendar of the bundle is malformed.
    #[error(transparent)]
    Calendar(#[from] CalendarLoadError),
    /// The policy itself does not compile.
    #[error("{location}: {message}")]
    Policy {
        /// Where in the policy's source.
        location: Location,
        /// The compiler's message.
        message: String,
    },
}

impl BundleError {
    /// Where the problem is, when it is at a place in a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            BundleError::Read { .. } => None,
            BundleError::Manifest { location, .. } | BundleError::Policy { location, .. } => {
                Some(location)
            }
            BundleError::Calendar(e) => Some(&e.location),
        }
    }
}

/// A loaded, checked bundle.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The folder.
    pub dir: PathBuf,
    /// `name` from `policy.toml`.
    pub name: String,
    /// `version` from `policy.toml`.
    pub version: String,
    /// Which sandbox runs it.
    pub engine: EngineKind,
    /// The entry file.
    pub entry: PathBuf,
    /// The entry file's bytes.
    pub entry_bytes: Vec<u8>,
    /// The Wasm guest's source crate, if named.
    pub source: Option<PathBuf>,
    /// Calendars by the name policies use.
    pub calendars: BTreeMap<String, Calendar>,
    /// Per-decision limits.
    pub limits: Limits,
    /// `sha256:` + hex over `policy.toml`, the entry and the calendars.
    pub digest: String,
}

fn read(path: &Path) -> Result<Vec<u8>, BundleError> {
    std::fs::read(path).map_err(|e| BundleError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

impl Bundle {
    /// Reads and checks the bundle in `dir` (everything but compiling the policy).
    pub fn load(dir: &Path) -> Result<Bundle, BundleError> {
        Self::load_with(dir, true)
    }

    /// Like [`load`](Self::load); when `need_entry` is false a missing entry file is
    /// allowed (for `pacto build`, which creates it).
    pub fn load_with(dir: &Path, need_entry: bool) -> Result<Bundle, BundleError> {
        let manifest_path = dir.join("policy.toml");
        let file = manifest_path.display().to_string();
        let bytes = read(&manifest_path)?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| BundleError::Read {
            path: file.clone(),
            message: "not UTF-8".into(),
        })?;
        let at = |span: std::ops::Range<usize>, message: String| BundleError::Manifest {
            location: Location::in_text(&file, &text, span),
            message,
        };
        let m: Manifest = toml::from_str(&text)
            .map_err(|e| at(e.span().unwrap_or(0..0), e.message().trim_end().to_owned()))?;
        for (field, value) in [
            ("name", &m.name),
            ("version", &m.version),
            ("entry", &m.entry),
        ] {
            if value.get_ref().trim().is_empty() {
                return Err(at(value.span(), format!("`{field}` must not be empty")));
            }
        }
        let entry = dir.join(m.entry.get_ref());
        let entry_bytes = match std::fs::read(&entry) {
            Ok(b) => b,
            Err(_) if !need_entry => Vec::new(),
            Err(e) => {
                let hint = if *m.engine.get_ref() == EngineKind::Wasm {
                    "; build it with `pacto build`"
                } else {
                    ""
                };
                return Err(at(
                    m.entry.span(),
                    format!("entry `{}` cannot be read: {e}{hint}", entry.display()),
                ));
            }
        };
        let mut digest = Sha256::new();
        let mut feed = |name: &str, data: &[u8]| {
            digest.update((name.len() as u64).to_le_bytes());
            digest.update(name.as_bytes());
            digest.update((data.len() as u64).to_le_bytes());
            digest.update(data);
        };
        feed("policy.toml", &bytes);
        feed(m.entry.get_ref(), &entry_bytes);
        let mut calendars = BTreeMap::new();
        for (name, rel) in &m.calendars {
            let path = dir.join(rel.get_ref());
            let cal_bytes = std::fs::read(&path).map_err(|e| {
                at(
                    rel.span(),
                    format!(
                        "calendar `{name}`: `{}` cannot be read: {e}",
                        path.display()
                    ),
                )
            })?;
            let cal_text = String::from_utf8_lossy(&cal_bytes);
            calendars.insert(
                name.clone(),
                Calendar::from_toml(&path.display().to_string(), &cal_text)?,
            );
            feed(rel.get_ref(), &cal_bytes);
        }
        let limits = m.limits;
        if limits.timeout_ms == 0
            || limits.max_operations == 0
            || limits.fuel == 0
            || limits.memory_mb == 0
        {
            let span = text.find("[limits]").map_or(0..0, |i| i..i + 8);
            return Err(at(span, "limits must be greater than 0".into()));
        }
        Ok(Bundle {
            dir: dir.to_owned(),
            name: m.name.into_inner(),
            version: m.version.into_inner(),
            engine: m.engine.into_inner(),
            entry,
            entry_bytes,
            source: m.source.map(|s| dir.join(s.into_inner())),
            calendars,
            limits,
            digest: format!("sha256:{:x}", digest.finalize()),
        })
    }
}
