//! The standard policy natively: the rules of `rules/standard-wasm`'s guest crate,
//! compiled into the test from the same file and run by `Policy::from_guest`, so the
//! Wasm component and this are one source. It is the native floor of the benchmarks
//! and the third side of the parity tests (Rhai, Wasm, native).

#[path = "../../../rules/standard-wasm/guest/src/rules.rs"]
mod rules;

use pacto::Policy;

/// The standard policy run natively, on `like`'s calendars.
pub fn policy(like: &Policy) -> Policy {
    Policy::from_guest::<rules::Standard>("native:standard", like.calendars().clone())
}
