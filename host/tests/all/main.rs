//! Integration tests of the `pacto` library: one binary, one module per concern.

#![allow(clippy::unwrap_used)]

mod clocks;
mod properties;
mod sandbox;
mod standard;
mod vectors;
