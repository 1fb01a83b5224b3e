//! Bytes as a Wasm policy's component: loading them gives a typed error (almost always)
//! or a policy that decides a fixed case with a decision or a typed error; never a
//! panic or an abort of the host. One engine for the whole run, and no disk cache.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pacto::{Bundle, Case, Engine};

const MANIFEST: &str = "name = \"standard\"\nversion = \"1.0.0\"\nengine = \"wasm\"\nentry = \"p.wasm\"\n[calendars]\nbusiness = \"business.toml\"\n\"24x7\" = \"24x7.toml\"\n[limits]\ntimeout_ms = 10_000\n";
const BUSINESS: &str = include_str!("../../rules/standard-rhai/calendars/business.toml");
const ALWAYS: &str = include_str!("../../rules/standard-rhai/calendars/24x7.toml");
const CASE: &str = include_str!("../../examples/cases/gold-complaint-phone.json");

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    // `Engine::new` keeps no disk cache of compiled components
    E.get_or_init(Engine::new)
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(bundle) = Bundle::from_files([
        ("policy.toml", MANIFEST.as_bytes().to_vec()),
        ("p.wasm", bytes.to_vec()),
        ("business.toml", BUSINESS.as_bytes().to_vec()),
        ("24x7.toml", ALWAYS.as_bytes().to_vec()),
    ]) else {
        return;
    };
    let Ok(policy) = engine().from_bundle(bundle) else {
        return;
    };
    let case = Case::from_json(CASE).expect("the example case parses");
    let _ = policy.decide(
        &case,
        "2026-03-03T12:00:00+01:00".parse().expect("an instant"),
    );
});
