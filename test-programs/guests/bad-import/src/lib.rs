//! The standard world plus an import of `pacto:extra/telemetry`: the host must refuse
//! to load it, naming the import.

#![allow(missing_docs)]

wit_bindgen::generate!({ path: "wit", world: "policy-with-telemetry", generate_all });

struct Phones;

impl Guest for Phones {
    fn decide(ticket: SupportCase, _now: i64) -> Result<Decision, PolicyError> {
        pacto::extra::telemetry::send(&ticket.id);
        Err(PolicyError {
            message: "never runs".into(),
            cause: None,
        })
    }

    fn describe() -> Description {
        Description {
            name: "phones-home".into(),
            version: "0.0.1".into(),
        }
    }
}

export!(Phones);
