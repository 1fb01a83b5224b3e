//! One error vocabulary (DESIGN "Determinism and isolation"): the same failing host
//! call gives the same `DecideError` kind, and the same error, from a Rhai script, a
//! Wasm component, a `pacto-guest` policy run natively and a native policy. Each
//! policy, on a case with id `calendar`, asks for a clock on a calendar the bundle does
//! not have; on `time`, for business time before 1900.

use std::path::Path;

use pacto::decision::PolicyOutput;
use pacto::pacto_guest::{self, Decision, Description, Metric, PolicyError, SupportCase, sla};
use pacto::{Case, Context, DecideError, Engine, NativePolicy, Policy, PolicyInfo, TimeError};

use crate::harness::{self, case};

const RHAI: &str = r#"
fn decide(ticket, now) {
    if ticket.id == "calendar" {
        ticket.clock("first_response", "night-shift", 60);
    }
    if ticket.id == "time" {
        add_business_minutes("office", -5000000000, 1);
    }
    #{ deadlines: [], escalation: (), compensation: [], notes: [] }
}
"#;

struct Guest;

impl pacto_guest::Policy for Guest {
    fn decide(ticket: &SupportCase, _: i64) -> Result<Decision, PolicyError> {
        match ticket.id.as_str() {
            "calendar" => {
                sla::clock(Metric::FirstResponse, "night-shift", 60)?;
            }
            "time" => {
                sla::add_business_minutes("office", -5_000_000_000, 1)?;
            }
            _ => {}
        }
        Ok(Decision::default())
    }
    fn describe() -> Description {
        Description::new("guest", "0.0.1")
    }
}

struct Native;

impl NativePolicy for Native {
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError> {
        match case.id.as_str() {
            "calendar" => {
                ctx.clock(pacto::Metric::FirstResponse, "night-shift", 60)?;
            }
            "time" => {
                ctx.add_business_minutes("office", -5_000_000_000, 1)?;
            }
            _ => {}
        }
        Ok(PolicyOutput {
            deadlines: vec![],
            escalation: None,
            compensation: vec![],
            notes: vec![],
        })
    }
}

/// The four policies, named, on the harness's `office` calendar.
fn policies(dir: &Path) -> Vec<(&'static str, Policy)> {
    let rhai = dir.join("rhai");
    harness::write_bundle(&rhai, "rhai", "rhai", "p.rhai", "");
    std::fs::write(rhai.join("p.rhai"), RHAI).unwrap();
    let rhai = Engine::new().load(&rhai).unwrap_or_else(|e| panic!("{e}"));
    let wasm = dir.join("wasm");
    harness::write_bundle(&wasm, "sandbox", "wasm", "p.wasm", "");
    std::fs::copy(test_programs::SANDBOX, wasm.join("p.wasm")).unwrap();
    let wasm = Engine::new().load(&wasm).unwrap_or_else(|e| panic!("{e}"));
    let calendars = rhai.calendars().clone();
    let info = PolicyInfo {
        name: "native".into(),
        version: "0".into(),
        digest: "-".into(),
    };
    vec![
        (
            "guest",
            Policy::from_guest::<Guest>("native:guest", calendars.clone()),
        ),
        ("native", Policy::native(info, calendars, Native)),
        ("rhai", rhai),
        ("wasm", wasm),
    ]
}

fn now() -> jiff::Timestamp {
    "2026-03-02T10:30:00Z".parse().unwrap()
}

#[test]
fn an_unknown_calendar_is_a_policy_error_with_one_message_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    for (name, policy) in policies(dir.path()) {
        let e = policy.decide(&case("calendar"), now()).unwrap_err();
        let DecideError::Policy(failed) = &e else {
            panic!("{name}: expected a policy error, got {e:?}")
        };
        assert_eq!(
            failed.message, "unknown calendar `night-shift`; the bundle has `office`",
            "{name}"
        );
        assert_eq!(e.kind(), "policy", "{name}");
    }
}

#[test]
fn a_time_out_of_range_is_the_same_time_error_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    for (name, policy) in policies(dir.path()) {
        let e = policy.decide(&case("time"), now()).unwrap_err();
        assert_eq!(e.kind(), "time", "{name}: {e:?}");
        let DecideError::Time(t) = &e else {
            panic!("{name}: {e:?}")
        };
        assert_eq!(
            t,
            &TimeError::OutOfRange("1811-07-23T15:06:40Z".parse().unwrap()),
            "{name}"
        );
    }
}

#[test]
fn a_component_built_for_wit_0_2_is_refused_naming_the_version() {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(dir.path(), "old", "wasm", "p.wasm", "");
    std::fs::copy(test_programs::V02, dir.path().join("p.wasm")).unwrap();
    let e = Engine::new().load(dir.path()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("`pacto:policy@0.2.0`"), "{text}");
    assert!(text.contains("`pacto:policy@0.3.0`"), "{text}");
    assert!(text.contains("p.wasm"), "{text}");
}
