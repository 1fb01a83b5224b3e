//! Integration tests of the `pacto` library: one binary, one module per concern.

#![allow(clippy::unwrap_used)]

#[path = "../support/generate.rs"]
mod generate;
#[path = "../support/standard_native.rs"]
mod standard_native;

mod bundle_paths;
mod case_values;
mod clocks;
mod error_kinds;
mod events_order;
mod guest_native;
mod harness;
mod host_limits;
mod hostile_input;
mod hostile_policy;
mod isolation;
mod oracle;
mod properties;
mod registry;
mod rhai_fields;
mod sandbox;
mod security_md;
mod standard;
mod trace;
mod vectors;
mod wasm;
mod wasm_sandbox;
