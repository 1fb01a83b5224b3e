//! The support case as a helpdesk sends it: strict JSON, every timestamp with an offset.
//!
//! Unknown fields are rejected with their path; enumerations list the values they allow.
//!
//! ```
//! let case = pacto::Case::from_json(r#"{
//!     "id": "C-1", "opened_at": "2026-03-02T10:15:00+01:00",
//!     "priority": "high", "channel": "email", "kind": "complaint",
//!     "customer": {"id": "K-77", "tier": "gold"},
//!     "events": [{"at": "2026-03-02T11:02:00+01:00", "type": "agent_reply"}]
//! }"#)?;
//! assert_eq!(case.events.len(), 1);
//!
//! let err = pacto::Case::from_json(r#"{"id": "C-1", "colour": "red"}"#).unwrap_err();
//! assert!(err.to_string().contains("unknown field `colour`"));
//! # Ok::<(), pacto::CaseError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A fieldless enum whose values are snake_case names in JSON, with `as_str`.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[allow(missing_docs)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// The name used in JSON and policies.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

named_enum! {
    /// How urgent the case is.
    Priority { Low = "low", Normal = "normal", High = "high", Urgent = "urgent" }
}

named_enum! {
    /// Where the customer reached the helpdesk.
    Channel { Email = "email", Phone = "phone", Chat = "chat", Social = "social", Web = "web", InPerson = "in_person", Mail = "mail" }
}

named_enum! {
    /// What the case is about.
    Kind { Question = "question", Incident = "incident", Problem = "problem", Request = "request", Complaint = "complaint", Compliment = "compliment" }
}

named_enum! {
    /// The state of a case. `pending` (waiting on the customer) and `on_hold` (waiting on
    /// a third party) pause the resolution clock; `solved` and `closed` stop it.
    Status { Open = "open", Pending = "pending", OnHold = "on_hold", Solved = "solved", Closed = "closed" }
}

impl Status {
    /// Waiting on someone other than the helpdesk.
    pub fn is_waiting(self) -> bool {
        matches!(self, Status::Pending | Status::OnHold)
    }

    /// Solved or closed.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
    }
}

/// Who the customer is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The helpdesk's customer id.
    pub id: String,
    /// Service tier, named as the business names them (`standard`, `gold`, …).
    pub tier: String,
    /// A colleague rather than an external customer.
    #[serde(default)]
    pub internal: bool,
    /// Lifetime value in minor units of the business's currency.
    #[serde(default)]
    pub lifetime_value: u64,
    /// SLA breaches on this customer's cases in the last 90 days.
    #[serde(default)]
    pub breaches_90d: u32,
    /// Credits granted to this customer in the last 90 days.
    #[serde(default)]
    pub credits_90d: u32,
}

/// The order the case is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Value in minor units (cents).
    pub value: u64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// Last day of the warranty, if any.
    #[serde(default)]
    pub warranty_until: Option<Date>,
}

/// Something that happened on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
pub enum Event {
    CustomerMessage {
        at: Timestamp,
    },
    AgentReply {
        at: Timestamp,
    },
    InternalNote {
        at: Timestamp,
    },
    Status {
        at: Timestamp,
        status: Status,
    },
    Reopened {
        at: Timestamp,
    },
    Satisfaction {
        at: Timestamp,
        score: u32,
        scale: u32,
    },
}

impl Event {
    /// The event's `type` as in JSON.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::CustomerMessage { .. } => "customer_message",
            Event::AgentReply { .. } => "agent_reply",
            Event::InternalNote { .. } => "internal_note",
            Event::Status { .. } => "status",
            Event::Reopened { .. } => "reopened",
            Event::Satisfaction { .. } => "satisfaction",
        }
    }

    /// When it happened.
    pub fn at(&self) -> Timestamp {
        match self {
            Event::CustomerMessage { at }
            | Event::AgentReply { at }
            | Event::InternalNote { at }
            | Event::Status { at, .. }
            | Event::Reopened { at }
            | Event::Satisfaction { at, .. } => *at,
        }
    }
}

/// A support case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The helpdesk's case id.
    pub id: String,
    /// When the case was opened.
    pub opened_at: Timestamp,
    /// How urgent it is.
    pub priority: Priority,
    /// Where it came from.
    pub channel: Channel,
    /// What it is about.
    pub kind: Kind,
    /// The business's own category (`billing`, …).
    #[serde(default)]
    pub category: Option<String>,
    /// Who asks.
    pub customer: Customer,
    /// The order concerned, if any.
    #[serde(default)]
    pub order: Option<Order>,
    /// What happened, in any order (the timeline sorts them stably by time).
    #[serde(default)]
    pub events: Vec<Event>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// A case that cannot be read: the JSON path of the problem, its position when known,
/// and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CaseError {
    /// JSON path of the offending value, e.g. `events[3].status` (`.` for the root).
    pub path: String,
    /// 1-based line in the source, 0 when not known.
    pub line: usize,
    /// 1-based column in the source, 0 when not known.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == "." {
            write!(f, "{}", self.message)
        } else {
            write!(f, "`{}`: {}", self.path, self.message)
        }
    }
}

impl Case {
    /// The events sorted by time, stably (events at the same instant keep the order they
    /// came in): what every policy sees, whatever order the helpdesk sent them in. A
    /// borrow when they already are in order, as they usually are.
    pub fn events_by_time(&self) -> std::borrow::Cow<'_, [Event]> {
        if self.events.is_sorted_by_key(Event::at) {
            std::borrow::Cow::Borrowed(&self.events)
        } else {
            let mut events = self.events.clone();
            events.sort_by_key(Event::at);
            std::borrow::Cow::Owned(events)
        }
    }

    /// Parses and checks a case from JSON text.
    pub fn from_json(text: &str) -> Result<Case, CaseError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let case: Case = serde_path_to_error::deserialize(de).map_err(|e| {
            let inner = e.inner();
            let suffix = format!(" at line {} column {}", inner.line(), inner.column());
            let msg = inner.to_string();
            CaseError {
                path: e.path().to_string(),
                line: inner.line(),
                column: inner.column(),
                message: msg.strip_suffix(&suffix).unwrap_or(&msg).to_owned(),
            }
        })?;
        case.validate()?;
        Ok(case)
    }

    /// Parses and checks a case from a JSON value (a line of a corpus, a fixture's `case`).
    pub fn from_value(value: serde_json::Value) -> Result<Case, CaseError> {
        let case: Case = serde_path_to_error::deserialize(value).map_err(|e| CaseError {
            path: e.path().to_string(),
            line: 0,
            column: 0,
            message: e.inner().to_string(),
        })?;
        case.validate()?;
        Ok(case)
    }

    /// Checks what the types alone do not: non-empty ids, currency codes, scores within
    /// their scale.
    pub fn validate(&self) -> Result<(), CaseError> {
        let err = |path: String, message: String| {
            Err(CaseError {
                path,
                line: 0,
                column: 0,
                message,
            })
        };
        if self.id.trim().is_empty() {
            return err("id".into(), "must not be empty".into());
        }
        if self.customer.id.trim().is_empty() {
            return err("customer.id".into(), "must not be empty".into());
        }
        if let Some(order) = &self.order
            && !is_currency_code(&order.currency)
        {
            return err(
                "order.currency".into(),
                format!(
                    "`{}` is not an ISO 4217 code; expected three capital letters such as `EUR`",
                    order.currency
                ),
            );
        }
        for (i, event) in self.events.iter().enumerate() {
            if let Event::Satisfaction { score, scale, .. } = event {
                if *scale == 0 {
                    return err(format!("events[{i}].scale"), "must be at least 1".into());
                }
                if score > scale {
                    return err(
                        format!("events[{i}].score"),
                        format!("{score} is above the scale of {scale}"),
                    );
                }
            }
        }
        Ok(())
    }
}

/// Three ASCII capital letters.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN_EXAMPLE: &str = r#"{
  "id": "C-1001",
  "opened_at": "2026-03-02T10:15:00+01:00",
  "priority": "high",
  "channel": "email",
  "kind": "complaint",
  "category": "billing",
  "customer": {"id": "K-77", "tier": "gold", "internal": false,
               "lifetime_value": 125000, "breaches_90d": 1, "credits_90d": 0},
  "order": {"value": 49900, "currency": "EUR", "warranty_until": "2027-01-01"},
  "events": [
    {"at": "2026-03-02T10:15:00+01:00", "type": "customer_message"},
    {"at": "2026-03-02T11:02:00+01:00", "type": "agent_reply"},
    {"at": "2026-03-02T11:02:00+01:00", "type": "status", "status": "pending"},
    {"at": "2026-03-03T09:30:00+01:00", "type": "customer_message"},
    {"at": "2026-03-03T09:30:00+01:00", "type": "status", "status": "open"},
    {"at": "2026-03-04T16:00:00+01:00", "type": "status", "status": "solved"},
    {"at": "2026-03-05T08:00:00+01:00", "type": "reopened"},
    {"at": "2026-03-06T12:00:00+01:00", "type": "satisfaction", "score": 2, "scale": 5}
  ],
  "tags": ["outage"],
  "attributes": {"region": "es"}
}"#;

    fn err(text: &str) -> CaseError {
        Case::from_json(text).unwrap_err()
    }

    fn with(field: &str, value: &str) -> String {
        let mut v: serde_json::Value = serde_json::from_str(DESIGN_EXAMPLE).unwrap();
        let mut target = &mut v;
        let parts: Vec<&str> = field.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            target = match p.parse::<usize>() {
                Ok(i) => &mut target[i],
                Err(_) => &mut target[*p],
            };
        }
        target[parts[parts.len() - 1]] = serde_json::from_str(value).unwrap();
        v.to_string()
    }

    #[test]
    fn parses_the_design_example() {
        let case = Case::from_json(DESIGN_EXAMPLE).unwrap();
        assert_eq!(case.priority, Priority::High);
        assert_eq!(case.events.len(), 8);
        assert_eq!(
            case.order.unwrap().warranty_until,
            Some(Date::constant(2027, 1, 1))
        );
        assert_eq!(
            case.events[2],
            Event::Status {
                at: "2026-03-02T10:02:00Z".parse().unwrap(),
                status: Status::Pending
            }
        );
    }

    #[test]
    fn unknown_fields_are_named_with_their_path() {
        let e = err(&with("customer.vip", "true"));
        assert!(e.message.contains("unknown field `vip`"), "{e}");
        assert_eq!(e.path, "customer.vip");
        let e = err(&with("events.0.author", "\"ann\""));
        assert!(e.message.contains("unknown field `author`"), "{e}");
        assert!(e.path.starts_with("events[0]"), "{e:?}");
    }

    #[test]
    fn enums_list_the_values_they_allow() {
        let e = err(&with("priority", "\"critical\""));
        assert_eq!(e.path, "priority");
        assert!(
            e.message.contains(
                "unknown variant `critical`, expected one of `low`, `normal`, `high`, `urgent`"
            ),
            "{e}"
        );
        let e = err(&with("events.2.status", "\"waiting\""));
        assert!(e.path.starts_with("events[2]"), "{e:?}");
        assert!(e.message.contains("`on_hold`"), "{e}");
    }

    #[test]
    fn bad_values_are_refused() {
        let e = err(&with("opened_at", "\"2026-03-02 10:15\""));
        assert_eq!(e.path, "opened_at");
        assert!(e.line > 0);
        assert!(
            err(&with("opened_at", "\"2026-03-02T10:15:00\"")).path == "opened_at",
            "an offset is required"
        );
        assert_eq!(
            err(&with("order.currency", "\"euro\"")).path,
            "order.currency"
        );
        assert_eq!(err(&with("order.value", "-5")).path, "order.value");
        assert_eq!(err(&with("events.7.score", "6")).path, "events[7].score");
        assert_eq!(err(&with("id", "\"\"")).path, "id");
        assert!(err("{").message.contains("EOF"));
    }
}
