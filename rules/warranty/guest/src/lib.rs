//! The warranty policy (`warranty` 1.0.0) as a WebAssembly component: post-sale
//! support (repairs and warranty claims) for products under the warranty, under a paid
//! service plan (`care-basic`, `care-plus`), or neither (best effort, with a quote
//! deadline). `rules/warranty/README.md` states the rules for people; the rules are in
//! `rules.rs`, and this file only exports them.

mod rules;

pub use rules::Warranty;

pacto_guest::export_policy!(Warranty);
