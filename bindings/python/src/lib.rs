//! The native module `pacto._pacto` of the Python package `pacto`
//! (`pip install ./bindings/python`): bundles, policies and their decisions, with the
//! library's own code paths, so a decision is what `pacto decide` prints and a batch line
//! what `pacto replay --out` writes ([`pacto::corpus`]), byte for byte.
//!
//! The Python package (`python/pacto/__init__.py`) re-exports this module's classes and
//! function and defines the exception classes (`python/pacto/_errors.py`) that this
//! module raises; `python/pacto/__init__.pyi` types both.

use std::collections::BTreeMap;
use std::ffi::CStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::{Array, GenericStringArray, OffsetSizeTrait, StringViewArray, cast::AsArray};
use arrow_data::ffi::FFI_ArrowArray;
use arrow_schema::DataType;
use arrow_schema::ffi::FFI_ArrowSchema;
use jiff::Timestamp;
use pacto::corpus;
use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyCapsule, PyDict, PyList, PyString, PyTuple, PyType};
use rayon::prelude::*;

/// What a bad corpus line's message starts with (`batch:N: `), as in the HTTP API's
/// decide-batch; N counts the lines given from 1.
const BATCH: &str = "batch";

/// The engine every policy of the process is loaded by (one WebAssembly runtime),
/// caching compiled components where the command line does.
fn engine() -> &'static pacto::Engine {
    static ENGINE: OnceLock<pacto::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = var("PACTO_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("pacto")))
            .or_else(|| var("HOME").map(|h| h.join(".cache/pacto")));
        match dir {
            Some(dir) => pacto::Engine::with_cache_dir(dir),
            None => pacto::Engine::new(),
        }
    })
}

/// The `pacto` exception of `kind` (`input`, `limit`, `policy`, `invalid_decision`,
/// `time`, `bundle`) carrying `message`.
fn error(py: Python<'_>, kind: &str, message: impl Into<String>) -> PyErr {
    static CLASSES: [PyOnceLock<Py<PyType>>; 6] = [const { PyOnceLock::new() }; 6];
    let (i, name) = match kind {
        "input" => (0, "InputError"),
        "limit" => (1, "LimitError"),
        "policy" => (2, "PolicyError"),
        "invalid_decision" => (3, "InvalidDecisionError"),
        "time" => (4, "TimeError"),
        _ => (5, "BundleError"),
    };
    match CLASSES[i].import(py, "pacto._errors", name) {
        Ok(class) => PyErr::from_type(class.clone(), message.into()),
        Err(e) => e,
    }
}

fn input(py: Python<'_>, message: impl Into<String>) -> PyErr {
    error(py, "input", message)
}

/// `json.loads`, to hand Python the JSON the library wrote, parsed.
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || {
        PyResult::Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((text,))
}

/// The Python type name of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".into(), |n| n.to_string())
}

/// A policy bundle, loaded and checked but not compiled: `policy.toml`, the policy (a
/// Rhai script or a WebAssembly component), its calendars and limits, and the digest
/// every decision names. Make one with `Bundle.from_dir` or `Bundle.from_files`; give
/// it to `pacto.load`.
#[pyclass(frozen, module = "pacto")]
#[derive(Clone)]
struct Bundle {
    inner: pacto::Bundle,
    /// The files it was made from, by bundle-relative name (`Bundle.files`), so it can
    /// be rebuilt elsewhere (pickled, shipped to a Spark executor).
    files: Arc<BTreeMap<String, Vec<u8>>>,
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
fn bundle_from_dir(dir: &Path) -> Result<Bundle, String> {
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

/// A loaded, compiled policy: `decide` one case, `decide_batch` corpus lines,
/// `decide_arrow` a pyarrow array of them. Thread-safe; each decision starts from the
/// policy's initial state. Made by `pacto.load`.
#[pyclass(frozen, module = "pacto")]
struct Policy {
    inner: pacto::Policy,
    /// The bundle it was compiled from (`Policy.bundle`).
    bundle: Bundle,
}

/// One item of a batch: the line's text, or why it is not one (a bad line, reported).
type Item = Result<String, String>;

impl Policy {
    /// The `replay --out` line of each item, in order, decided in parallel without the
    /// GIL.
    fn answer_all(&self, py: Python<'_>, items: Vec<Option<Item>>) -> Vec<Option<String>> {
        let policy = &self.inner;
        py.detach(|| {
            items
                .into_par_iter()
                .enumerate()
                .map(|(i, item)| {
                    let number = i + 1;
                    item.map(|item| match item {
                        Ok(text) => corpus::answer(policy, BATCH, number, &text).0,
                        Err(why) => corpus::bad_line(BATCH, number, "", &why),
                    })
                })
                .collect()
        })
    }
}

/// The text of a batch item: a str, or bytes as UTF-8 (else a bad line, as `replay`
/// reports one).
fn item_text(py: Python<'_>, number: usize, item: &Bound<'_, PyAny>) -> PyResult<Item> {
    if let Ok(s) = item.cast::<PyString>() {
        // a str with a lone surrogate has no UTF-8 form: a bad line, as bytes that are
        // not UTF-8
        return Ok(s
            .to_str()
            .map(str::to_owned)
            .map_err(|_| "the line is not UTF-8 (a lone surrogate in the str)".to_owned()));
    }
    if let Ok(b) = item.cast::<PyBytes>() {
        return Ok(String::from_utf8(b.as_bytes().to_vec()).map_err(|e| {
            format!(
                "the line is not UTF-8 (invalid byte at column {})",
                e.utf8_error().valid_up_to() + 1
            )
        }));
    }
    Err(input(
        py,
        format!(
            "decide_batch: line {number}: expected a str (a corpus line, JSON text), got {}",
            type_name(item)
        ),
    ))
}

#[pymethods]
impl Policy {
    /// policy.decide(case, now=None) -> dict
    ///
    /// The decision on `case` (a dict, or the case's JSON text) at `now` (RFC 3339 text
    /// with an offset, an aware datetime, or None: the case's last event, as
    /// `pacto decide` without `--now`). Returns the decision JSON, exactly what
    /// `pacto decide` prints, parsed. Raises pacto.InputError for a bad case or `now`,
    /// and pacto.LimitError, PolicyError, InvalidDecisionError or TimeError when the
    /// policy fails on the case.
    #[pyo3(signature = (case, now = None))]
    fn decide<'py>(
        &self,
        py: Python<'py>,
        case: &Bound<'py, PyAny>,
        now: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = case_text(py, case)?;
        let now = now
            .filter(|n| !n.is_none())
            .map(|n| instant(py, n))
            .transpose()?;
        let policy = &self.inner;
        let decided = py.detach(|| {
            let case = pacto::Case::from_json(&text).map_err(|e| ("input", e.to_string()))?;
            let now = now.unwrap_or_else(|| corpus::default_now(&case));
            let decision = policy
                .decide(&case, now)
                .map_err(|e| (e.kind(), e.to_string()))?;
            // plain data: serializing it cannot fail
            Ok(serde_json::to_string_pretty(&decision).unwrap_or_default())
        });
        match decided {
            Ok(json) => json_loads(py, &json),
            Err((kind, message)) => Err(error(py, kind, message)),
        }
    }

    /// policy.decide_batch(lines) -> list[dict]
    ///
    /// Decides corpus lines (an iterable of str: each a case's JSON, or
    /// `{"case": ..., "now": "RFC 3339"}`), in parallel with the GIL released, and
    /// returns one dict per line, in order: the line `pacto replay --out` writes for it,
    /// parsed, `{"id": ..., "decision": {...}}` or
    /// `{"id": ..., "error": {"kind": ..., "message": ...}}`. A bad line is such an
    /// error (kind "input", its message starting `batch:N: `, N counting lines from 1),
    /// never dropped (bytes that are not UTF-8 too). An item that is neither str nor
    /// bytes raises pacto.InputError before anything is decided.
    fn decide_batch<'py>(
        &self,
        py: Python<'py>,
        lines: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        if lines.is_instance_of::<PyString>() || lines.is_instance_of::<PyBytes>() {
            return Err(input(
                py,
                "decide_batch: expected an iterable of corpus lines, got one str; \
                 pass a list of lines (text.splitlines())",
            ));
        }
        let iter = lines.try_iter().map_err(|_| {
            input(
                py,
                format!(
                    "decide_batch: expected an iterable of corpus lines, got {}",
                    type_name(lines)
                ),
            )
        })?;
        let mut items = Vec::new();
        for (i, item) in iter.enumerate() {
            items.push(Some(item_text(py, i + 1, &item?)?));
        }
        let answers = self.answer_all(py, items);
        let out = PyList::empty(py);
        for answer in answers.into_iter().flatten() {
            out.append(json_loads(py, &answer)?)?;
        }
        Ok(out)
    }

    /// policy.decide_arrow(arr) -> pyarrow.StringArray
    ///
    /// Decides a pyarrow string array of corpus lines (string, large_string or
    /// string_view; a ChunkedArray is combined first), in parallel with the GIL
    /// released, and returns a pyarrow string array of the lines `pacto replay --out`
    /// writes for them, as text, in order. A null stays null. Needs pyarrow; takes any
    /// array that offers the Arrow PyCapsule interface (`__arrow_c_array__`).
    fn decide_arrow<'py>(
        &self,
        py: Python<'py>,
        arr: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pyarrow = py.import("pyarrow").map_err(|e| {
            PyImportError::new_err(format!(
                "decide_arrow needs pyarrow (pip install pyarrow): {e}"
            ))
        })?;
        let items = arrow_items(py, arr)?;
        let answers = self.answer_all(py, items);
        let bytes: usize = answers.iter().flatten().map(String::len).sum();
        let data = if i32::try_from(bytes).is_ok() {
            GenericStringArray::<i32>::from_iter(answers.iter().map(Option::as_deref)).into_data()
        } else {
            GenericStringArray::<i64>::from_iter(answers.iter().map(Option::as_deref)).into_data()
        };
        let (array, schema) =
            arrow_array::ffi::to_ffi(&data).map_err(|e| input(py, format!("decide_arrow: {e}")))?;
        let capsules = PyTuple::new(
            py,
            [
                PyCapsule::new_with_value(py, schema, SCHEMA)?.into_any(),
                PyCapsule::new_with_value(py, array, ARRAY)?.into_any(),
            ],
        )?;
        pyarrow.call_method1(
            "array",
            (ArrowCapsules {
                capsules: capsules.unbind(),
            },),
        )
    }

    /// The pacto.Bundle this policy was compiled from (its `files` rebuild it anywhere).
    #[getter]
    fn bundle(&self) -> Bundle {
        self.bundle.clone()
    }

    /// {"name", "version", "digest"}: the policy every decision of it names.
    #[getter]
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let info = self.inner.info();
        let d = PyDict::new(py);
        d.set_item("name", &info.name)?;
        d.set_item("version", &info.version)?;
        d.set_item("digest", &info.digest)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let info = self.inner.info();
        format!(
            "<pacto.Policy {} {} ({})>",
            info.name, info.version, info.digest
        )
    }
}

const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";

/// An exported Arrow array, as the Arrow PyCapsule interface hands it to `pyarrow.array`.
#[pyclass(frozen)]
struct ArrowCapsules {
    capsules: Py<PyTuple>,
}

#[pymethods]
impl ArrowCapsules {
    /// The (schema, array) capsules of the Arrow C data interface.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__(
        &self,
        py: Python<'_>,
        requested_schema: Option<Py<PyAny>>,
    ) -> Py<PyTuple> {
        let _ = requested_schema;
        self.capsules.clone_ref(py)
    }
}

/// The lines of a pyarrow string array (None for a null), read through the Arrow C data
/// interface.
fn arrow_items(py: Python<'_>, arr: &Bound<'_, PyAny>) -> PyResult<Vec<Option<Item>>> {
    let not_arrow = || {
        input(
            py,
            format!(
                "decide_arrow: expected a pyarrow string array of corpus lines, got {}",
                type_name(arr)
            ),
        )
    };
    let mut arr = arr.clone();
    if !arr.hasattr("__arrow_c_array__")? && arr.hasattr("combine_chunks")? {
        arr = arr.call_method0("combine_chunks")?;
    }
    if !arr.hasattr("__arrow_c_array__")? {
        return Err(not_arrow());
    }
    let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) =
        arr.call_method0("__arrow_c_array__")?.extract()?;
    let schema = schema.pointer_checked(Some(SCHEMA))?;
    let array = array.pointer_checked(Some(ARRAY))?;
    #[allow(unsafe_code)]
    // SAFETY: the capsules are named as the Arrow PyCapsule interface names them, so they
    // point to an `ArrowSchema` and an `ArrowArray` of the C data interface, which
    // `FFI_ArrowSchema` and `FFI_ArrowArray` lay out (`repr(C)`). The schema is borrowed
    // while its capsule lives (`schema` is alive to the end of this block); the array is
    // moved out of its capsule (`from_raw` leaves it released, so the capsule's
    // destructor does not release it again) and `from_ffi` takes its ownership.
    let data = unsafe {
        let schema = &*schema.as_ptr().cast::<FFI_ArrowSchema>();
        let array = FFI_ArrowArray::from_raw(array.as_ptr().cast::<FFI_ArrowArray>());
        arrow_array::ffi::from_ffi(array, schema)
    }
    .map_err(|e| input(py, format!("decide_arrow: {e}")))?;
    let array = arrow_array::make_array(data);
    fn lines<O: OffsetSizeTrait>(a: &GenericStringArray<O>) -> Vec<Option<Item>> {
        a.iter().map(|l| l.map(|t| Ok(t.to_owned()))).collect()
    }
    Ok(match array.data_type() {
        DataType::Utf8 => lines(array.as_string::<i32>()),
        DataType::LargeUtf8 => lines(array.as_string::<i64>()),
        DataType::Utf8View => {
            let a: &StringViewArray = array.as_string_view();
            a.iter().map(|l| l.map(|t| Ok(t.to_owned()))).collect()
        }
        other => {
            return Err(input(
                py,
                format!("decide_arrow: expected an array of strings, got type {other}"),
            ));
        }
    })
}

/// The JSON text of a case given as a dict (or any JSON-able value), str or bytes.
fn case_text(py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = case.cast::<PyString>() {
        return s
            .to_str()
            .map(str::to_owned)
            .map_err(|e| input(py, format!("case: the text is not UTF-8: {e}")));
    }
    if let Ok(b) = case.cast::<PyBytes>() {
        return String::from_utf8(b.as_bytes().to_vec())
            .map_err(|e| input(py, format!("case: the bytes are not UTF-8: {e}")));
    }
    if !case.is_instance_of::<PyDict>() {
        return Err(input(
            py,
            format!(
                "case: expected a dict or the case's JSON text, got {}",
                type_name(case)
            ),
        ));
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("allow_nan", false)?;
    py.import("json")?
        .call_method("dumps", (case,), Some(&kwargs))
        .and_then(|t| t.extract::<String>())
        .map_err(|e| input(py, format!("case: cannot be written as JSON: {e}")))
}

/// `now` as an instant: RFC 3339 text with an offset, or an aware datetime.
fn instant(py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let text = if let Ok(s) = now.cast::<PyString>() {
        s.to_str()
            .map_err(|e| input(py, format!("now: {e}")))?
            .to_owned()
    } else if now.hasattr("utcoffset")? && now.hasattr("isoformat")? {
        if now.call_method0("utcoffset")?.is_none() {
            return Err(input(
                py,
                "now: a naive datetime names no instant; give it a tzinfo \
                 (datetime.timezone.utc, zoneinfo.ZoneInfo(...))",
            ));
        }
        now.call_method0("isoformat")?.extract()?
    } else {
        return Err(input(
            py,
            format!(
                "now: expected RFC 3339 text, an aware datetime or None, got {}",
                type_name(now)
            ),
        ));
    };
    text.trim().parse().map_err(|_| {
        input(
            py,
            format!(
                "now: `{text}` is not an instant; expected RFC 3339 with an offset, \
                 such as `2026-03-02T10:15:00+01:00`"
            ),
        )
    })
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
