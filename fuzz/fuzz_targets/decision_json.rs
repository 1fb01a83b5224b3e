//! What a policy returns, as JSON: `PolicyOutput::from_value`, the size check and
//! `validate` against the standard calendars give a decision or a typed
//! `InvalidDecision` / limit, never a panic.

#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pacto::decision::PolicyOutput;
use pacto::{Calendar, PolicyInfo};

fn calendars() -> &'static BTreeMap<String, Calendar> {
    static C: OnceLock<BTreeMap<String, Calendar>> = OnceLock::new();
    C.get_or_init(|| {
        let text = include_str!("../../rules/standard-rhai/calendars/business.toml");
        let cal = Calendar::from_toml("business.toml", text).expect("the calendar loads");
        BTreeMap::from([("business".to_owned(), cal)])
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(output) = PolicyOutput::from_value(value) else {
        return;
    };
    if output.check_size(100, 4096).is_err() {
        return;
    }
    let info = PolicyInfo {
        name: "f".into(),
        version: "1".into(),
        digest: "-".into(),
    };
    if let Ok(decision) = output.validate(info, calendars()) {
        let _ = serde_json::to_string(&decision);
    }
});
