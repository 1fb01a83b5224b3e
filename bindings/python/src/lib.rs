//! The native module `pacto._pacto` of the Python package `pacto`
//! (`pip install ./bindings/python`): bundles, policies and their decisions, with the
//! library's own code paths, so a decision is what `pacto decide` prints and a batch line
//! what `pacto replay --out` writes ([`pacto::corpus`]), byte for byte.
//!
//! The Python package (`python/pacto/__init__.py`) re-exports this module's classes and
//! function and defines the exception classes (`python/pacto/_errors.py`) that this
//! module raises; `python/pacto/__init__.pyi` types both.

//!
//! | module | what it is |
//! |---|---|
//! | `errors` | the exception of each error kind, and the conversions every part shares |
//! | `bundle` | `pacto.Bundle`: a bundle read and checked, with the files it was made from |
//! | `policy` | `pacto.Policy`: a compiled policy; `decide`, `decide_batch`, `decide_arrow` |
//! | `arrow` | Arrow arrays in and out through the C data interface (PyCapsules) |

mod arrow;
mod bundle;
mod errors;
mod policy;

use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::prelude::*;

use crate::bundle::{Bundle, bundle_from_dir};
use crate::errors::{error, type_name};
use crate::policy::Policy;

/// What a bad corpus line's message starts with (`batch:N: `), as in the HTTP API's
/// decide-batch; N counts the lines given from 1.
pub(crate) const BATCH: &str = "batch";

/// The engine every policy of the process is loaded by (one WebAssembly runtime),
/// caching compiled components where the command line does.
pub(crate) fn engine() -> &'static pacto::Engine {
    static ENGINE: OnceLock<pacto::Engine> = OnceLock::new();
    ENGINE.get_or_init(pacto::Engine::with_user_cache)
}

/// pacto.load(source) -> Policy
///
/// Loads, checks and compiles a policy: `source` is a bundle folder (str or
/// os.PathLike) or a pacto.Bundle. Raises pacto.BundleError naming the file, line and
/// column of what is wrong.
#[pyfunction]
fn load(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Policy> {
    let bundle = if let Ok(bundle) = source.cast::<Bundle>() {
        bundle.get().clone()
    } else {
        let path: PathBuf = source.extract().map_err(|_| {
            error(
                py,
                "bundle",
                format!(
                    "load: expected a bundle folder (str or os.PathLike) or a pacto.Bundle, got {}",
                    type_name(source)
                ),
            )
        })?;
        py.detach(|| bundle_from_dir(&path))
            .map_err(|e| error(py, "bundle", e))?
    };
    let inner = py
        .detach(|| engine().from_bundle(bundle.inner.clone()))
        .map_err(|e| error(py, "bundle", e.to_string()))?;
    Ok(Policy { inner, bundle })
}

/// The native part of the `pacto` package; import `pacto`, not this module.
#[pymodule]
fn _pacto(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Bundle>()?;
    m.add_class::<Policy>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    Ok(())
}
