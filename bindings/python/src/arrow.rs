//! Arrow arrays in and out of the native module through the Arrow C data interface
//! (the PyCapsule protocol), for `Policy.decide_arrow`.

use std::ffi::CStr;

use arrow_array::cast::AsArray;
use arrow_array::{Array, GenericStringArray, OffsetSizeTrait, StringViewArray};
use arrow_data::ffi::FFI_ArrowArray;
use arrow_schema::DataType;
use arrow_schema::ffi::FFI_ArrowSchema;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

use crate::errors::{input, type_name};
use crate::policy::Item;

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
pub(crate) fn arrow_items(py: Python<'_>, arr: &Bound<'_, PyAny>) -> PyResult<Vec<Option<Item>>> {
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

/// `lines` (None for a null) as a pyarrow string array, built by `pyarrow` from the
/// Arrow C data interface: 32-bit offsets while they fit, else 64-bit (`large_string`).
pub(crate) fn arrow_lines<'py>(
    py: Python<'py>,
    pyarrow: &Bound<'py, PyModule>,
    lines: &[Option<String>],
) -> PyResult<Bound<'py, PyAny>> {
    let bytes: usize = lines.iter().flatten().map(String::len).sum();
    let data = if i32::try_from(bytes).is_ok() {
        GenericStringArray::<i32>::from_iter(lines.iter().map(Option::as_deref)).into_data()
    } else {
        GenericStringArray::<i64>::from_iter(lines.iter().map(Option::as_deref)).into_data()
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
