//! The standard policy (`standard` 1.0.0) as a WebAssembly component: the Rust twin of
//! `rules/standard-rhai/standard.rhai`. Same rules, same integer math, same order of
//! deadlines, reasons and people to notify; `rules/standard-rhai/README.md` states the
//! rules for people. The rules are in `rules.rs`, which the host's tests also compile
//! natively; this file only exports them.

mod rules;

pub use rules::Standard;

pacto_guest::export_policy!(Standard);
