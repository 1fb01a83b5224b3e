//! A `pacto-guest` policy run natively (`Policy::from_guest`): a panic, a declined case,
//! an unknown calendar and an invalid decision each end that decision with a typed error,
//! and the same `Policy` then decides the next case correctly.

use pacto::pacto_guest::{
    self, Decision, Description, Escalation, Metric, PolicyError, SupportCase, sla,
};
use pacto::{DecideError, Engine, Policy, PolicyFailed};

use crate::harness;

/// Misbehaves as the case id asks, like the Wasm sandbox guest.
struct Misbehaves;

impl pacto_guest::Policy for Misbehaves {
    fn decide(ticket: &SupportCase, _: i64) -> Result<Decision, PolicyError> {
        match ticket.id.as_str() {
            "panic" => panic!("no rule for case {}", ticket.id),
            "decline" => Err(PolicyError::new("this policy does not handle questions")),
            "calendar" => {
                sla::clock(Metric::FirstResponse, "night-shift", 60)?;
                Ok(Decision::default())
            }
            "invalid" => Ok(Decision {
                escalation: Some(Escalation {
                    level: 9,
                    team: None,
                    reason: "too much".into(),
                    notify: vec![],
                    raise_priority: None,
                }),
                ..Decision::default()
            }),
            _ => Ok(Decision {
                deadlines: vec![sla::clock(Metric::FirstResponse, "office", 60)?],
                notes: vec!["good".into()],
                ..Decision::default()
            }),
        }
    }

    fn describe() -> Description {
        Description::new("misbehaves", "0.0.1")
    }
}

/// The policy, on the harness's `office` calendar.
fn policy() -> Policy {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(dir.path(), "calendars", "rhai", "p.rhai", "");
    std::fs::write(dir.path().join("p.rhai"), "fn decide(ticket, now) { #{} }").unwrap();
    let calendars = Engine::new().load(dir.path()).unwrap().calendars().clone();
    Policy::from_guest::<Misbehaves>("native:misbehaves", calendars)
}

fn policy_error(e: DecideError) -> String {
    match e {
        DecideError::Policy(PolicyFailed { location, message }) => {
            assert!(location.is_none());
            message
        }
        other => panic!("expected DecideError::Policy, got {other:?}"),
    }
}

#[test]
fn name_and_version_come_from_describe() {
    let p = policy();
    assert_eq!(
        (p.info().name.as_str(), p.info().version.as_str()),
        ("misbehaves", "0.0.1")
    );
    assert_eq!(p.info().digest, "native:misbehaves");
}

#[test]
fn a_panic_ends_only_that_decision() {
    let message = policy_error(harness::attack(&policy(), "panic"));
    assert_eq!(message, "the policy panicked: no rule for case panic");
}

#[test]
fn a_declined_case_carries_the_policy_message() {
    let message = policy_error(harness::attack(&policy(), "decline"));
    assert_eq!(message, "this policy does not handle questions");
}

#[test]
fn an_unknown_calendar_is_named() {
    let message = policy_error(harness::attack(&policy(), "calendar"));
    assert!(
        message.contains("unknown calendar `night-shift`"),
        "{message}"
    );
}

#[test]
fn an_invalid_decision_is_refused_by_the_host() {
    let e = harness::attack(&policy(), "invalid");
    assert!(matches!(e, DecideError::Invalid(_)), "{e:?}");
    assert!(e.to_string().contains("escalation.level"), "{e}");
}
