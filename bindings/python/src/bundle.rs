//! `pacto.Bundle`: a bundle read and checked, with the files it was made from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use crate::errors::{error, type_name};

/// A policy bundle, loaded and checked but not compiled: `policy.toml`, the policy (a
/// Rhai script or a WebAssembly component), its calendars and limits, and the digest
/// every decision names. Make one with `Bundle.from_dir` or `Bundle.from_files`; give
/// it to `pacto.load`.
#[pyclass(frozen, module = "pacto")]
#[derive(Clone)]
pub(crate) struct Bundle {
    pub(crate) inner: pacto::Bundle,
    /// The files it was made from, by bundle-relative name (`Bundle.files`), so it can
    /// be rebuilt elsewhere (pickled, shipped to a Spark executor).
    pub(crate) files: Arc<BTreeMap<String, Vec<u8>>>,
}

/// A bundle-relative name as `policy.toml` writes it (`./calendars/x.toml`), `/`-separated
/// without `.` components; `Bundle::load` has already refused absolute paths and `..`.
fn relative(raw: &str) -> String {
    raw.split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads and checks the bundle in `dir`, and keeps the files it is made of
/// (`policy.toml`, the entry, the calendars), checked to give the same digest.
pub(crate) fn bundle_from_dir(dir: &Path) -> Result<Bundle, String> {
    let inner = pacto::Bundle::load(dir).map_err(|e| e.to_string())?;
    let manifest_path = dir.join("policy.toml");
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
    };
    let manifest = read(&manifest_path)?;
    let table: toml::Table = std::str::from_utf8(&manifest)
        .ok()
        .and_then(|t| toml::from_str(t).ok())
        .ok_or_else(|| format!("{}: changed while it was read", manifest_path.display()))?;
    let mut files = BTreeMap::new();
    if let Some(entry) = table.get("entry").and_then(toml::Value::as_str) {
        files.insert(relative(entry), inner.entry_bytes.clone());
    }
    let calendars = table.get("calendars").and_then(toml::Value::as_table);
    for raw in calendars
        .into_iter()
        .flatten()
        .filter_map(|(_, v)| v.as_str())
    {
        files.insert(relative(raw), read(&dir.join(raw))?);
    }
    files.insert("policy.toml".to_owned(), manifest);
    // the folder may have changed between the two reads: the files must be the bundle
    let again = pacto::Bundle::from_files(files.clone()).map_err(|e| e.to_string())?;
    if again.digest != inner.digest {
        return Err(format!(
            "{}: the bundle changed while it was read; try again",
            dir.display()
        ));
    }
    Ok(Bundle {
        inner,
        files: Arc::new(files),
    })
}

#[pymethods]
impl Bundle {
    /// Bundle.from_dir(path) -> Bundle
    ///
    /// Reads and checks the bundle in the folder `path` (str or os.PathLike), as
    /// `pacto check` does short of compiling the policy. Raises pacto.BundleError naming
    /// the file, line and column of what is wrong.
    #[staticmethod]
    fn from_dir(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Bundle> {
        let path: PathBuf = path.extract().map_err(|_| {
            error(
                py,
                "bundle",
                format!(
                    "Bundle.from_dir: expected a folder (str or os.PathLike), got {}",
                    type_name(path)
                ),
            )
        })?;
        py.detach(|| bundle_from_dir(&path))
            .map_err(|e| error(py, "bundle", e))
    }

    /// Bundle.from_files(files) -> Bundle
    ///
    /// A bundle from memory: `files` maps bundle-relative names ("policy.toml",
    /// "calendars/support.toml", "standard.rhai") to their bytes (bytes, or str as
    /// UTF-8). The same files give the same bundle and digest as `Bundle.from_dir` of a
    /// folder holding them; files `policy.toml` does not name are ignored. Raises
    /// pacto.BundleError.
    #[staticmethod]
    fn from_files(py: Python<'_>, files: &Bound<'_, PyAny>) -> PyResult<Bundle> {
        let bundle_error = |message: String| error(py, "bundle", message);
        let items = files
            .call_method0("items")
            .and_then(|items| items.try_iter())
            .map_err(|_| {
                bundle_error(format!(
                    "Bundle.from_files: expected a dict of file names to bytes, got {}",
                    type_name(files)
                ))
            })?;
        let mut named: Vec<(String, Vec<u8>)> = Vec::new();
        for item in items {
            let (name, bytes): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
            let name: String = name.extract().map_err(|_| {
                bundle_error(format!(
                    "Bundle.from_files: a file name must be a str, got {}",
                    type_name(&name)
                ))
            })?;
            let bytes = if let Ok(b) = bytes.cast::<PyBytes>() {
                b.as_bytes().to_vec()
            } else if let Ok(s) = bytes.cast::<PyString>() {
                s.to_str()
                    .map_err(|e| bundle_error(format!("Bundle.from_files: `{name}`: {e}")))?
                    .as_bytes()
                    .to_vec()
            } else {
                return Err(bundle_error(format!(
                    "Bundle.from_files: `{name}`: expected bytes or str, got {}",
                    type_name(&bytes)
                )));
            };
            named.push((name, bytes));
        }
        let files: BTreeMap<String, Vec<u8>> = named.iter().cloned().collect();
        let inner = py
            .detach(|| pacto::Bundle::from_files(named))
            .map_err(|e| bundle_error(e.to_string()))?;
        Ok(Bundle {
            inner,
            files: Arc::new(files),
        })
    }

    /// The files the bundle was made from, {bundle-relative name: bytes}: from a folder,
    /// `policy.toml` and the files it names (the entry, the calendars); from
    /// `Bundle.from_files`, the files given. `Bundle.from_files(bundle.files)` gives the
    /// same bundle and digest, on any machine.
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, bytes) in self.files.iter() {
            d.set_item(name, PyBytes::new(py, bytes))?;
        }
        Ok(d)
    }

    /// Pickled as its files (`Bundle.from_files(files)` when unpickled).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let from_files = py.get_type::<Bundle>().getattr("from_files")?;
        let args = PyTuple::new(py, [self.files(py)?])?;
        PyTuple::new(py, [from_files, args.into_any()])
    }

    /// The policy's name, from `policy.toml`.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The policy's version, from `policy.toml`.
    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }

    /// "sha256:" and the hex digest of `policy.toml`, the policy and its calendars.
    #[getter]
    fn digest(&self) -> &str {
        &self.inner.digest
    }

    /// "rhai" or "wasm": which sandbox runs the policy.
    #[getter]
    fn engine(&self) -> &'static str {
        self.inner.engine.as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "<pacto.Bundle {} {} ({}, {})>",
            self.inner.name,
            self.inner.version,
            self.inner.engine.as_str(),
            self.inner.digest
        )
    }
}
