//! Integration tests of the `pacto` library: one binary, one module per concern.

#![allow(clippy::unwrap_used)]

#[path = "../support/generate.rs"]
mod generate;
#[path = "../support/standard_native.rs"]
mod standard_native;

mod clocks;
mod events_order;
mod guest_native;
mod harness;
mod oracle;
mod properties;
mod sandbox;
mod standard;
mod vectors;
mod wasm;
mod wasm_sandbox;
