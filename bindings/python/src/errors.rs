//! The exceptions this module raises (classes of `python/pacto/_errors.py`, by kind)
//! and the small conversions every part shares.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

/// The `pacto` exception of `kind` (`input`, `limit`, `policy`, `invalid_decision`,
/// `time`, `bundle`) carrying `message`.
pub(crate) fn error(py: Python<'_>, kind: &str, message: impl Into<String>) -> PyErr {
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

pub(crate) fn input(py: Python<'_>, message: impl Into<String>) -> PyErr {
    error(py, "input", message)
}

/// `json.loads`, to hand Python the JSON the library wrote, parsed.
pub(crate) fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || {
        PyResult::Ok(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((text,))
}

/// The Python type name of `value`, for messages.
pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".into(), |n| n.to_string())
}
