//! A policy built against the old `pacto:policy@0.2.0` (its WIT copied here as it was):
//! the host must refuse to load it, naming the version it was built for.

#![allow(missing_docs)]

wit_bindgen::generate!({ path: "wit", world: "policy", generate_all });

struct Old;

impl Guest for Old {
    fn decide(ticket: SupportCase, _now: i64) -> Result<Decision, PolicyError> {
        let fr =
            pacto::policy::sla::clock(pacto::policy::types::Metric::FirstResponse, "office", 60)
                .map_err(|message| PolicyError { message })?;
        Ok(Decision {
            deadlines: vec![],
            escalation: None,
            compensation: vec![],
            notes: vec![format!("{} {}", ticket.id, fr.target)],
        })
    }

    fn describe() -> Description {
        Description {
            name: "old".into(),
            version: "0.0.1".into(),
        }
    }
}

export!(Old);
