//! Between the host's types and the WIT types wasmtime's `bindgen!` generates.

use super::bindings::pacto::policy::types as wit;

crate::policy::wit_convert::conversions!();
