//! Integration tests of the `pacto` library: one binary, one module per concern.

mod clocks;
mod properties;
mod vectors;
