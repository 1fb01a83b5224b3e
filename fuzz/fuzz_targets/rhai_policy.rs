//! A Rhai script as a bundle in memory (small operation and size limits, a generous
//! wall clock so the verdict does not depend on the machine): it loads or is refused
//! with a typed error; if it loads it decides a fixed case, with a decision or a typed
//! error; never a panic, never a crash of the host.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pacto::{Bundle, Case, Engine};

const MANIFEST: &str = "name = \"f\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"f.rhai\"\n[calendars]\nbusiness = \"business.toml\"\n[limits]\nmax_operations = 20_000\ntimeout_ms = 10_000\nmax_map_size = 500\nmax_array_size = 500\nmax_string_size = 4096\n";
const CALENDAR: &str = include_str!("../../rules/standard-rhai/calendars/business.toml");
const CASE: &str = include_str!("../../examples/cases/gold-complaint-phone.json");

fn case() -> &'static Case {
    static C: OnceLock<Case> = OnceLock::new();
    C.get_or_init(|| Case::from_json(CASE).expect("the example case parses"))
}

fuzz_target!(|script: &[u8]| {
    let Ok(bundle) = Bundle::from_files([
        ("policy.toml", MANIFEST.as_bytes().to_vec()),
        ("f.rhai", script.to_vec()),
        ("business.toml", CALENDAR.as_bytes().to_vec()),
    ]) else {
        return;
    };
    let Ok(policy) = Engine::new().from_bundle(bundle) else {
        return;
    };
    let now = "2026-03-03T12:00:00+01:00".parse().expect("an instant");
    let _ = policy.decide(case(), now);
});
