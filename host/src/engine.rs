//! The engine: loads policy bundles into [`Policy`] values, whatever sandbox runs them.
//!
//! ```
//! use pacto::{Case, Engine};
//!
//! let engine = Engine::new();
//! let policy = engine.load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
//! let case = Case::from_json(&std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"), "/../examples/cases/gold-complaint-phone.json"))?)?;
//! let decision = policy.decide(&case, "2026-03-03T12:00:00+01:00".parse()?)?;
//! assert_eq!(decision.policy.name, "standard");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::bundle::{Bundle, BundleError};
use crate::decision::PolicyInfo;
use crate::error::Location;
use crate::policy::{Backend, Policy};

/// Loads bundles. Cheap to create; `Send + Sync`. The WebAssembly runtime starts with
/// the first Wasm bundle, and is shared by every engine of the process.
#[derive(Default)]
pub struct Engine {
    #[cfg(feature = "wasm")]
    wasm: std::sync::OnceLock<Result<crate::policy::wasm::WasmRuntime, String>>,
    #[cfg_attr(not(feature = "wasm"), allow(dead_code))]
    cache_dir: Option<PathBuf>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine with default settings.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine that caches compiled WebAssembly components in `dir`, so a second load
    /// of the same component skips compilation. The folder is created when needed; a
    /// cache that cannot be read or written is ignored.
    pub fn with_cache_dir(dir: impl Into<PathBuf>) -> Engine {
        Engine {
            #[cfg(feature = "wasm")]
            wasm: std::sync::OnceLock::new(),
            cache_dir: Some(dir.into()),
        }
    }

    /// An engine caching compiled components where the `pacto` command line does:
    /// `$PACTO_CACHE_DIR`, else `$XDG_CACHE_HOME/pacto`, else `~/.cache/pacto`; without
    /// any of them (no home), no cache. The Python binding uses the same folder, so a
    /// component compiled by one is loaded by the other without compiling.
    ///
    /// ```
    /// let policy = pacto::Engine::with_user_cache()
    ///     .load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
    /// assert_eq!(policy.info().name, "standard");
    /// # Ok::<(), pacto::bundle::BundleError>(())
    /// ```
    pub fn with_user_cache() -> Engine {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = var("PACTO_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("pacto")))
            .or_else(|| var("HOME").map(|h| h.join(".cache/pacto")));
        match dir {
            Some(dir) => Engine::with_cache_dir(dir),
            None => Engine::new(),
        }
    }

    /// Loads, checks and compiles the bundle in `dir`.
    pub fn load(&self, dir: impl AsRef<Path>) -> Result<Policy, BundleError> {
        let bundle = Bundle::load(dir.as_ref())?;
        self.from_bundle(bundle)
    }

    /// Compiles an already loaded bundle.
    pub fn from_bundle(&self, bundle: Bundle) -> Result<Policy, BundleError> {
        let info = PolicyInfo {
            name: bundle.name.clone(),
            version: bundle.version.clone(),
            digest: bundle.digest.clone(),
        };
        let backend = self.backend(&bundle)?;
        Ok(Policy::from_backend(
            info,
            Arc::new(bundle.calendars),
            bundle.limits,
            backend,
        ))
    }

    fn backend(&self, bundle: &Bundle) -> Result<Box<dyn Backend>, BundleError> {
        let refuse = |message: String| BundleError::Policy {
            location: Location::file(bundle.entry.display().to_string()),
            message,
        };
        match bundle.engine {
            #[cfg(feature = "rhai")]
            crate::bundle::EngineKind::Rhai => {
                Ok(Box::new(crate::policy::rhai::RhaiBackend::compile(bundle)?))
            }
            #[cfg(feature = "wasm")]
            crate::bundle::EngineKind::Wasm => {
                use crate::policy::wasm::{WasmBackend, WasmRuntime};
                let runtime = self
                    .wasm
                    .get_or_init(|| WasmRuntime::new(self.cache_dir.clone()))
                    .as_ref()
                    .map_err(|e| refuse(format!("the WebAssembly runtime cannot start: {e}")))?;
                Ok(Box::new(WasmBackend::load(runtime, bundle)?))
            }
            #[allow(unreachable_patterns)]
            other => {
                let name = other.as_str();
                Err(refuse(format!(
                    "this build of pacto has no `{name}` engine; enable the crate's `{name}` feature"
                )))
            }
        }
    }
}
