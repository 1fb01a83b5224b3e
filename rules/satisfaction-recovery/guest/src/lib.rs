//! The satisfaction-recovery policy (`satisfaction-recovery` 1.0.0) as a WebAssembly
//! component: base targets by priority, a recovery contact after a poor satisfaction
//! rating, and escalation of reopened cases. `rules/satisfaction-recovery/README.md`
//! states the rules for people; the rules are in `rules.rs`, and this file only
//! exports them.

mod rules;

pub use rules::SatisfactionRecovery;

pacto_guest::export_policy!(SatisfactionRecovery);
