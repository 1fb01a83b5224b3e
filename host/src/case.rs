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
    /// Lifetime value in minor units of the business's currency; at most `i64::MAX`
    /// (see [`MAX_EXACT_INTEGER`]).
    #[serde(default, deserialize_with = "exact_amount")]
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
    /// Value in minor units (cents); at most `i64::MAX` (see [`MAX_EXACT_INTEGER`]).
    #[serde(deserialize_with = "exact_amount")]
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
    /// Free attributes: any JSON, except integers outside `i64` (see
    /// [`MAX_EXACT_INTEGER`]).
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
}

/// A case that cannot be read: the JSON path of the problem, its position when known,
/// and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
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
    /// The case's size: the bytes of every string it carries (ids, tier, category,
    /// currency, tags, attribute keys and string values), plus 16 for each event and for
    /// each other value (a number, a flag, a date). What `max_case_bytes` bounds: the
    /// work and memory a case costs a policy, in a few nanoseconds per field, whether
    /// the case came from JSON or was built in Rust.
    ///
    /// ```
    /// let case = pacto::Case::from_json(r#"{
    ///     "id": "T-1", "opened_at": "2026-03-02T09:00:00Z", "priority": "normal",
    ///     "channel": "email", "kind": "question", "customer": {"id": "C-1", "tier": "gold"},
    ///     "tags": ["vip"], "attributes": {"region": "emea"}
    /// }"#)?;
    /// // "T-1" + "C-1" + "gold" + "vip" + "region" + "emea", and 16 for each of the fields
    /// // that are not text (opened_at, priority, channel, kind, and the customer's
    /// // internal, lifetime_value, breaches_90d, credits_90d)
    /// assert_eq!(case.size_bytes(), 3 + 3 + 4 + 3 + 6 + 4 + 8 * 16);
    /// # Ok::<(), pacto::CaseError>(())
    /// ```
    pub fn size_bytes(&self) -> usize {
        const VALUE: usize = 16;
        let text = self.id.len()
            + self.category.as_ref().map_or(0, String::len)
            + self.customer.id.len()
            + self.customer.tier.len()
            + self
                .order
                .as_ref()
                .map_or(0, |o| o.currency.len() + 2 * VALUE)
            + self.tags.iter().map(String::len).sum::<usize>();
        // opened_at, priority, channel, kind; the customer's four numbers and flag
        let fixed = 8 * VALUE;
        let events = self.events.len() * VALUE;
        // attributes: an explicit stack, so a value nested however deep (a case built in
        // Rust has no parser's depth limit) cannot overflow ours
        let mut attributes = 0usize;
        let mut stack: Vec<&serde_json::Value> = Vec::new();
        for (key, value) in &self.attributes {
            attributes = attributes.saturating_add(key.len());
            stack.push(value);
        }
        while let Some(value) = stack.pop() {
            use serde_json::Value as V;
            attributes = attributes.saturating_add(match value {
                V::String(s) => s.len(),
                V::Array(items) => {
                    stack.extend(items);
                    VALUE
                }
                V::Object(map) => {
                    stack.extend(map.values());
                    map.keys().map(String::len).sum::<usize>() + VALUE
                }
                V::Null | V::Bool(_) | V::Number(_) => VALUE,
            });
        }
        text.saturating_add(fixed)
            .saturating_add(events)
            .saturating_add(attributes)
    }

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
    ///
    /// Besides what [`validate`](Self::validate) checks, an integer literal outside `i64`
    /// anywhere in the text is refused with its path, line and column (JSON readers turn
    /// one beyond `u64` into an inexact float, which no later check can tell apart).
    pub fn from_json(text: &str) -> Result<Case, CaseError> {
        let json_error = |path: String, inner: &serde_json::Error| {
            let suffix = format!(" at line {} column {}", inner.line(), inner.column());
            let msg = inner.to_string();
            CaseError {
                path,
                line: inner.line(),
                column: inner.column(),
                message: msg.strip_suffix(&suffix).unwrap_or(&msg).to_owned(),
            }
        };
        let de = &mut serde_json::Deserializer::from_str(text);
        let case: Case = serde_path_to_error::deserialize(&mut *de)
            .map_err(|e| json_error(e.path().to_string(), e.inner()))?;
        de.end().map_err(|e| json_error(".".into(), &e))?;
        check_integer_literals(text)?;
        case.validate()?;
        Ok(case)
    }

    /// Parses and checks a case from a JSON value (a line of a corpus, a fixture's `case`).
    ///
    /// A [`serde_json::Value`] has already turned an integer literal beyond `u64` into a
    /// float; run [`check_integer_literals`] on the text it came from to refuse those too
    /// ([`from_json`](Self::from_json) does).
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
    /// their scale, and integers every backend carries exactly (`customer.lifetime_value`,
    /// `order.value` and any integer in `attributes` within `i64`; see
    /// [`MAX_EXACT_INTEGER`]). A case built in Rust is checked the same way.
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
        if self.customer.lifetime_value > MAX_EXACT_INTEGER {
            return err(
                "customer.lifetime_value".into(),
                amount_out_of_range(self.customer.lifetime_value),
            );
        }
        if let Some(order) = &self.order
            && order.value > MAX_EXACT_INTEGER
        {
            return err("order.value".into(), amount_out_of_range(order.value));
        }
        for (key, value) in &self.attributes {
            if let Some((steps, n)) = find_inexact_integer(value) {
                let path = path_of(format!("attributes.{key}"), steps.iter().rev());
                return err(path, integer_out_of_range(&n.to_string()));
            }
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

/// The largest integer a case carries: `i64::MAX`. Rhai's integers are `i64`, so a larger
/// one could reach a Rhai policy only clamped or rounded to a float; a case holding one
/// (`customer.lifetime_value`, `order.value`, an integer in `attributes`) is refused as
/// bad input instead. Attribute integers may be negative down to `i64::MIN`; floats are
/// carried as they are (`f64` in every backend).
pub const MAX_EXACT_INTEGER: u64 = i64::MAX.unsigned_abs();

fn amount_out_of_range(shown: impl fmt::Display) -> String {
    format!(
        "`{shown}` is out of range; expected an integer from 0 to {MAX_EXACT_INTEGER}, \
         the largest every backend carries exactly"
    )
}

fn integer_out_of_range(shown: &str) -> String {
    format!(
        "`{shown}` is out of range; expected an integer from {} to {}, the range every \
         backend carries exactly (send larger numbers as strings)",
        i64::MIN,
        i64::MAX
    )
}

/// Deserializes a money amount: an integer from 0 to [`MAX_EXACT_INTEGER`].
fn exact_amount<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct Amount;
    impl serde::de::Visitor<'_> for Amount {
        type Value = u64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an integer from 0 to {MAX_EXACT_INTEGER}")
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            if v <= MAX_EXACT_INTEGER {
                Ok(v)
            } else {
                Err(E::custom(amount_out_of_range(v)))
            }
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| E::custom(amount_out_of_range(v)))
        }

        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            if v < 0.0 || v > MAX_EXACT_INTEGER as f64 {
                Err(E::custom(amount_out_of_range(format_args!("{v:?}"))))
            } else {
                Err(E::custom(format!(
                    "`{v:?}` is not an integer; expected an integer from 0 to \
                     {MAX_EXACT_INTEGER} (an amount in minor units, such as cents)"
                )))
            }
        }
    }
    d.deserialize_u64(Amount)
}

/// One step of a JSON path.
enum Step<'a> {
    Key(std::borrow::Cow<'a, str>),
    Index(usize),
}

impl Step<'_> {
    /// Appends the step as `serde_path_to_error` writes it: `.key` or `[index]`.
    fn push_to(&self, path: &mut String) {
        match self {
            Step::Key(k) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Step::Index(i) => {
                path.push('[');
                path.push_str(&i.to_string());
                path.push(']');
            }
        }
    }
}

/// `start` followed by `steps`, outermost first.
fn path_of<'s, 'a: 's>(start: String, steps: impl IntoIterator<Item = &'s Step<'a>>) -> String {
    steps.into_iter().fold(start, |mut path, step| {
        step.push_to(&mut path);
        path
    })
}

/// The first integer in `value` above `i64::MAX` (serde_json keeps those as `u64`), with
/// the steps to it, innermost first.
fn find_inexact_integer(value: &serde_json::Value) -> Option<(Vec<Step<'_>>, &serde_json::Number)> {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.as_u64().is_some_and(|u| u > MAX_EXACT_INTEGER) => {
            Some((Vec::new(), n))
        }
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let (mut steps, n) = find_inexact_integer(v)?;
            steps.push(Step::Index(i));
            Some((steps, n))
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let (mut steps, n) = find_inexact_integer(v)?;
            steps.push(Step::Key(k.as_str().into()));
            Some((steps, n))
        }),
        _ => None,
    }
}

/// Refuses an integer literal outside `i64` anywhere in the JSON `text`, naming its path
/// (from the root of `text`), line and column.
///
/// A JSON reader without arbitrary precision keeps an integer beyond `u64` only as the
/// nearest float, so once parsed it cannot be told from a float literal: this looks at the
/// text itself. [`Case::from_json`] runs it; a caller that parses a case from a
/// [`serde_json::Value`] runs it on the text the value came from. Text that is not valid
/// JSON is not this function's concern: it stops early and reports nothing.
///
/// ```
/// let err = pacto::case::check_integer_literals(r#"{"attributes": {"codes": [1, 2.5, -3, 99999999999999999999]}}"#)
///     .unwrap_err();
/// assert_eq!(err.path, "attributes.codes[3]");
/// assert!(pacto::case::check_integer_literals(r#"{"a": [-9223372036854775808, 1.5e300]}"#).is_ok());
/// ```
pub fn check_integer_literals(text: &str) -> Result<(), CaseError> {
    let mut scan = Scan {
        text,
        bytes: text.as_bytes(),
        at: 0,
        path: Vec::new(),
    };
    match scan.value() {
        None => Ok(()),
        Some((offset, literal)) => {
            let mut path = path_of(String::new(), &scan.path);
            if path.is_empty() {
                path.push('.');
            }
            let at = crate::error::Location::in_text("", text, offset..offset);
            Err(CaseError {
                path,
                line: at.line,
                column: at.column,
                message: integer_out_of_range(literal),
            })
        }
    }
}

/// A walk over JSON text that only looks for integer literals, keeping the path to them.
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    path: Vec<Step<'a>>,
}

impl<'a> Scan<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// At a `"`: the string's raw contents, leaving `at` after the closing quote.
    fn string(&mut self) -> &'a str {
        let start = self.at + 1;
        let mut end = start;
        while let Some(&b) = self.bytes.get(end) {
            match b {
                b'\\' => end += 2,
                b'"' => break,
                _ => end += 1,
            }
        }
        self.at = end + 1;
        self.text.get(start..end).unwrap_or("")
    }

    /// Walks the value that `step` leads to, keeping `step` in `path` only when it found
    /// an integer literal outside `i64`.
    fn value_at(&mut self, step: Step<'a>) -> Option<(usize, &'a str)> {
        self.path.push(step);
        let found = self.value();
        if found.is_none() {
            self.path.pop();
        }
        found
    }

    /// Walks one value; on an integer literal outside `i64`, its offset and text, with
    /// `path` left pointing at it.
    fn value(&mut self) -> Option<(usize, &'a str)> {
        self.skip_space();
        match self.peek()? {
            b'{' => {
                self.at += 1;
                loop {
                    self.skip_space();
                    match self.peek()? {
                        b'}' => {
                            self.at += 1;
                            return None;
                        }
                        b',' => self.at += 1,
                        b'"' => {
                            let raw = self.string();
                            let key = if raw.contains('\\') {
                                serde_json::from_str::<String>(&format!("\"{raw}\""))
                                    .map_or(raw.into(), Into::into)
                            } else {
                                raw.into()
                            };
                            self.skip_space();
                            if self.peek() != Some(b':') {
                                return None;
                            }
                            self.at += 1;
                            if let Some(found) = self.value_at(Step::Key(key)) {
                                return Some(found);
                            }
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut index = 0;
                loop {
                    self.skip_space();
                    match self.peek()? {
                        b']' => {
                            self.at += 1;
                            return None;
                        }
                        b',' => {
                            self.at += 1;
                            index += 1;
                        }
                        _ => {
                            let before = self.at;
                            if let Some(found) = self.value_at(Step::Index(index)) {
                                return Some(found);
                            }
                            if self.at == before {
                                return None;
                            }
                        }
                    }
                }
            }
            b'"' => {
                self.string();
                None
            }
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while matches!(
                    self.peek(),
                    Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                ) {
                    self.at += 1;
                }
                let literal = self.text.get(start..self.at).unwrap_or("");
                let integer = !literal.contains(['.', 'e', 'E'])
                    && literal.bytes().any(|b| b.is_ascii_digit());
                (integer && literal.parse::<i64>().is_err()).then_some((start, literal))
            }
            _ => {
                while matches!(self.peek(), Some(b'a'..=b'z')) {
                    self.at += 1;
                }
                None
            }
        }
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

    /// The design example with `attributes` replaced by the raw JSON text `raw`.
    fn with_attributes(raw: &str) -> String {
        let text = DESIGN_EXAMPLE.replace(
            r#""attributes": {"region": "es"}"#,
            &format!(r#""attributes": {raw}"#),
        );
        assert_ne!(text, DESIGN_EXAMPLE);
        text
    }

    #[test]
    fn amounts_above_i64_are_refused_with_their_path() {
        let e = err(&with("customer.lifetime_value", "9223372036854775808"));
        assert_eq!(e.path, "customer.lifetime_value");
        assert!(e.line > 0, "{e:?}");
        assert!(
            e.message.contains("`9223372036854775808` is out of range"),
            "{e}"
        );
        assert!(e.message.contains("from 0 to 9223372036854775807"), "{e}");
        let e = err(&with("order.value", "18446744073709551615"));
        assert_eq!(e.path, "order.value");
        let e = err(&with("order.value", "100000000000000000000"));
        assert_eq!(e.path, "order.value");
        assert!(e.message.contains("out of range"), "{e}");
        let e = err(&with("order.value", "12.5"));
        assert_eq!(e.path, "order.value");
        assert!(e.message.contains("`12.5` is not an integer"), "{e}");
        let e = err(&with("order.value", "-5"));
        assert!(e.message.contains("`-5` is out of range"), "{e}");
        let case = Case::from_json(&with("customer.lifetime_value", "9223372036854775807"))
            .expect("i64::MAX is carried exactly");
        assert_eq!(case.customer.lifetime_value, MAX_EXACT_INTEGER);
    }

    #[test]
    fn attribute_integers_outside_i64_are_refused_with_their_path() {
        let text = with(
            "attributes",
            r#"{"region": "es", "limits": {"min": -9223372036854775808, "max": 9223372036854775808}}"#,
        );
        let e = err(&text);
        assert_eq!(e.path, "attributes.limits.max");
        assert!(e.line > 0 && e.column > 0, "{e:?}");
        assert!(
            e.message.contains("`9223372036854775808` is out of range"),
            "{e}"
        );
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let e = Case::from_value(value).unwrap_err();
        assert_eq!(e.path, "attributes.limits.max");
        assert!(e.message.contains("send larger numbers as strings"), "{e}");

        let text = with("attributes", r#"{"codes": [1, 2, 18446744073709551615]}"#);
        assert_eq!(err(&text).path, "attributes.codes[2]");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            Case::from_value(value).unwrap_err().path,
            "attributes.codes[2]"
        );

        // Beyond u64 a JSON value holds only a rounded float: the text is checked.
        let e = err(&with_attributes(
            r#"{"deep": [{"x": [0, -99999999999999999999]}]}"#,
        ));
        assert_eq!(e.path, "attributes.deep[0].x[1]");
        let e = err(&with_attributes(r#"{"a\"b": 100000000000000000000}"#));
        assert_eq!(e.path, "attributes.a\"b");
    }

    #[test]
    fn attribute_floats_and_i64_bounds_are_carried() {
        let text = with(
            "attributes",
            r#"{"min": -9223372036854775808, "max": 9223372036854775807, "ratio": 0.25, "big": 1e300, "list": [1.5, "9223372036854775808"]}"#,
        );
        let case = Case::from_json(&text).unwrap();
        assert_eq!(case.attributes["max"], serde_json::json!(i64::MAX));
        assert_eq!(case.attributes["big"], serde_json::json!(1e300));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(Case::from_value(value).unwrap(), case);
    }

    #[test]
    fn a_case_built_in_rust_is_checked_the_same_way() {
        let mut case = Case::from_json(DESIGN_EXAMPLE).unwrap();
        case.customer.lifetime_value = u64::MAX;
        assert_eq!(case.validate().unwrap_err().path, "customer.lifetime_value");
        case.customer.lifetime_value = 0;
        if let Some(order) = &mut case.order {
            order.value = u64::MAX;
        }
        assert_eq!(case.validate().unwrap_err().path, "order.value");
        if let Some(order) = &mut case.order {
            order.value = 1;
        }
        case.attributes
            .insert("limits".into(), serde_json::json!({"max": u64::MAX}));
        assert_eq!(case.validate().unwrap_err().path, "attributes.limits.max");
    }

    #[test]
    fn trailing_text_after_the_case_is_refused() {
        let e = err(&format!("{DESIGN_EXAMPLE} {{}}"));
        assert!(e.message.contains("trailing characters"), "{e}");
    }

    #[test]
    fn the_literal_scan_stops_on_broken_text_without_panicking() {
        for text in [
            "",
            "[",
            "{\"a\"",
            "[1,",
            "{\"a\" 1}",
            "[\"\\",
            "[:]",
            "-",
            "{\"x\": [tru",
        ] {
            assert!(check_integer_literals(text).is_ok(), "{text}");
        }
        let e = check_integer_literals("99999999999999999999").unwrap_err();
        assert_eq!(e.path, ".");
    }
}
