//! `pacto.Policy`: a compiled policy and its decisions (one case, a batch of corpus
//! lines, a pyarrow array of them).

use jiff::Timestamp;
use pacto::corpus;
use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use rayon::prelude::*;

use crate::BATCH;
use crate::arrow::{arrow_items, arrow_lines};
use crate::bundle::Bundle;
use crate::errors::{error, input, json_loads, type_name};

/// A loaded, compiled policy: `decide` one case, `decide_batch` corpus lines,
/// `decide_arrow` a pyarrow array of them. Thread-safe; each decision starts from the
/// policy's initial state. Made by `pacto.load`.
#[pyclass(frozen, module = "pacto")]
pub(crate) struct Policy {
    pub(crate) inner: pacto::Policy,
    /// The bundle it was compiled from (`Policy.bundle`).
    pub(crate) bundle: Bundle,
}

/// One item of a batch: the line's text, or why it is not one (a bad line, reported).
pub(crate) type Item = Result<String, String>;

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
        arrow_lines(py, &pyarrow, &answers)
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

/// The JSON text of a case given as a dict (or any JSON-able value), str or bytes.
pub(crate) fn case_text(py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<String> {
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
pub(crate) fn instant(py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
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
