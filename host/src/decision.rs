//! The decision a policy returns for a case: deadlines, escalation, compensation, notes.
//!
//! A backend hands the host a [`PolicyOutput`] (instants as Unix seconds); the host
//! checks every field and turns it into a [`Decision`] whose instants are RFC 3339 in
//! the offset of the calendar each deadline uses. A violation is an [`InvalidDecision`]
//! naming the path, e.g. `compensation[1].amount: must be ≥ 0`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, LocalInstant};
use crate::case::{Priority, is_currency_code};
use crate::clock::{ClockStatus, Metric};

/// Which policy decided, and the digest of the exact bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInfo {
    /// The bundle's name.
    pub name: String,
    /// The bundle's version.
    pub version: String,
    /// `sha256:` and the hex digest of the bundle's files.
    pub digest: String,
}

/// One SLA clock in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// What it measures.
    pub metric: Metric,
    /// The bundle calendar it runs on.
    pub calendar: String,
    /// Target, business minutes.
    pub target: i64,
    /// When it is (or was) due; null when inactive.
    pub due: Option<LocalInstant>,
    /// Where it stands.
    pub status: ClockStatus,
    /// When it was met.
    pub met_at: Option<LocalInstant>,
    /// Business minutes late, when breached.
    pub breached_by: i64,
    /// Business minutes left, while running.
    pub remaining: i64,
}

/// Who must know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// 0 (none) to 5.
    pub level: u8,
    /// The team to hand the case to.
    pub team: Option<String>,
    /// Why, in words an agent reads.
    pub reason: String,
    /// Who else to notify.
    pub notify: Vec<String>,
    /// A priority to raise the case to.
    pub raise_priority: Option<Priority>,
}

/// The kinds of compensation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum CompensationKind {
    ServiceCredit,
    Refund,
    Voucher,
    WarrantyExtension,
    Apology,
}

impl CompensationKind {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CompensationKind::ServiceCredit => "service_credit",
            CompensationKind::Refund => "refund",
            CompensationKind::Voucher => "voucher",
            CompensationKind::WarrantyExtension => "warranty_extension",
            CompensationKind::Apology => "apology",
        }
    }

    /// Whether it is an amount of money (and so needs a currency).
    pub fn is_money(self) -> bool {
        matches!(
            self,
            CompensationKind::ServiceCredit | CompensationKind::Refund | CompensationKind::Voucher
        )
    }
}

/// What we owe the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compensation {
    /// What kind.
    pub kind: CompensationKind,
    /// Minor units (cents); 0 for an apology.
    pub amount: i64,
    /// ISO 4217, for money.
    pub currency: Option<String>,
    /// Days added, for a warranty extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// Why.
    pub reason: String,
    /// A person must approve it before it is granted.
    pub requires_approval: bool,
}

/// A policy's answer for one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Which policy decided.
    pub policy: PolicyInfo,
    /// The SLA clocks.
    pub deadlines: Vec<Deadline>,
    /// Who must know; null for nobody.
    pub escalation: Option<Escalation>,
    /// What we owe.
    pub compensation: Vec<Compensation>,
    /// Free notes.
    pub notes: Vec<String>,
    /// Present only when a fallback policy decided because the policy asked for failed
    /// on this case (see [`crate::registry`]); `policy` then names the fallback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Box<FallbackUsed>>,
    /// Present only for a traced decision
    /// ([`Policy::decide_traced`](crate::Policy::decide_traced)): why each deadline is
    /// where it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Box<crate::trace::Trace>>,
}

/// Why a decision came from a fallback: the policy that failed, and how it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FallbackUsed {
    /// The policy that was asked and failed.
    pub instead_of: PolicyInfo,
    /// Its error.
    pub error: ErrorReport,
}

/// An error as it appears in JSON output: `{"kind": …, "message": …}`, with the kinds of
/// [`DecideError::kind`](crate::DecideError::kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorReport {
    /// `input`, `limit`, `policy`, `invalid_decision`, `time` or `bundle`.
    pub kind: String,
    /// What happened, in words.
    pub message: String,
}

// ---- what a backend returns, before the host's checks ----

/// A deadline as a policy returns it (instants as Unix seconds).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawDeadline {
    pub metric: Metric,
    pub calendar: String,
    pub target: i64,
    #[serde(default)]
    pub due: Option<i64>,
    pub status: ClockStatus,
    #[serde(default)]
    pub met_at: Option<i64>,
    #[serde(default)]
    pub breached_by: i64,
    #[serde(default)]
    pub remaining: i64,
    /// Accepted from `clock()` maps; not part of the decision.
    #[serde(default)]
    pub paused: bool,
}

/// An escalation as a policy returns it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawEscalation {
    pub level: i64,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub notify: Vec<String>,
    #[serde(default)]
    pub raise_priority: Option<Priority>,
}

/// A compensation as a policy returns it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RawCompensation {
    pub kind: CompensationKind,
    #[serde(default)]
    pub amount: i64,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub days: Option<i64>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub requires_approval: bool,
}

/// What a backend returns, before the host's checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PolicyOutput {
    #[serde(default)]
    pub deadlines: Vec<RawDeadline>,
    #[serde(default)]
    pub escalation: Option<RawEscalation>,
    #[serde(default)]
    pub compensation: Vec<RawCompensation>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A decision that breaks the contract, with the path of the offending field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("invalid decision: `{path}`: {message}")]
pub struct InvalidDecision {
    /// e.g. `compensation[1].amount`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

fn invalid<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, InvalidDecision> {
    Err(InvalidDecision {
        path: path.into(),
        message: message.into(),
    })
}

impl PolicyOutput {
    /// Reads a policy's output from JSON-like data, naming the path of any problem.
    pub fn from_value(value: serde_json::Value) -> Result<Self, InvalidDecision> {
        if !value.is_object() {
            let what = match value {
                serde_json::Value::Null => "nothing (unit)",
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Array(_) => "an array",
                serde_json::Value::Object(_) => "a map",
            };
            return invalid(
                ".",
                format!(
                    "a policy must return a map with `deadlines`, `escalation`, `compensation` and `notes`; it returned {what}"
                ),
            );
        }
        serde_path_to_error::deserialize(value).map_err(|e| InvalidDecision {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })
    }

    /// Refuses a decision with a list of more than `max_items` entries or a string of more
    /// than `max_string` bytes, naming the first such place.
    pub fn check_size(
        &self,
        max_items: usize,
        max_string: usize,
    ) -> Result<(), crate::policy::LimitExceeded> {
        use crate::policy::LimitExceeded;
        let items = |path: &str, count: usize| {
            if count > max_items {
                Err(LimitExceeded::OutputItems {
                    path: path.to_owned(),
                    count,
                    limit: max_items,
                })
            } else {
                Ok(())
            }
        };
        // the path is written out only for a string that is too long: formatting it for
        // every string of every decision cost more than the checks
        let string = |path: &dyn Fn() -> String, s: &str| {
            if s.len() > max_string {
                Err(LimitExceeded::OutputString {
                    path: path(),
                    len: s.len(),
                    limit: max_string,
                })
            } else {
                Ok(())
            }
        };
        items("deadlines", self.deadlines.len())?;
        items("compensation", self.compensation.len())?;
        items("notes", self.notes.len())?;
        for (i, d) in self.deadlines.iter().enumerate() {
            string(&|| format!("deadlines[{i}].calendar"), &d.calendar)?;
        }
        for (i, c) in self.compensation.iter().enumerate() {
            string(&|| format!("compensation[{i}].reason"), &c.reason)?;
            if let Some(currency) = &c.currency {
                string(&|| format!("compensation[{i}].currency"), currency)?;
            }
        }
        for (i, note) in self.notes.iter().enumerate() {
            string(&|| format!("notes[{i}]"), note)?;
        }
        if let Some(e) = &self.escalation {
            items("escalation.notify", e.notify.len())?;
            string(&|| "escalation.reason".into(), &e.reason)?;
            if let Some(team) = &e.team {
                string(&|| "escalation.team".into(), team)?;
            }
            for (i, who) in e.notify.iter().enumerate() {
                string(&|| format!("escalation.notify[{i}]"), who)?;
            }
        }
        Ok(())
    }

    /// Checks every field and builds the decision; `calendars` are the bundle's.
    pub fn validate(
        self,
        policy: PolicyInfo,
        calendars: &BTreeMap<String, Calendar>,
    ) -> Result<Decision, InvalidDecision> {
        let mut deadlines = Vec::with_capacity(self.deadlines.len());
        for (i, d) in self.deadlines.into_iter().enumerate() {
            let path = |f: &str| format!("deadlines[{i}].{f}");
            let Some(cal) = calendars.get(&d.calendar) else {
                let known: Vec<String> = calendars.keys().map(|k| format!("`{k}`")).collect();
                return invalid(
                    path("calendar"),
                    format!(
                        "unknown calendar `{}`; the bundle has {}",
                        d.calendar,
                        known.join(", ")
                    ),
                );
            };
            for (field, v) in [
                ("target", d.target),
                ("breached_by", d.breached_by),
                ("remaining", d.remaining),
            ] {
                if v < 0 {
                    return invalid(path(field), format!("must be ≥ 0, got {v}"));
                }
            }
            let instant = |field: &str, v: Option<i64>| match v {
                None => Ok(None),
                Some(s) => Timestamp::from_second(s)
                    .map(|t| Some(LocalInstant::on(cal, t)))
                    .map_err(|_| InvalidDecision {
                        path: path(field),
                        message: format!("{s} is not a valid Unix time"),
                    }),
            };
            let due = instant("due", d.due)?;
            let met_at = instant("met_at", d.met_at)?;
            if due.is_none() && d.status != ClockStatus::Inactive {
                return invalid(
                    path("due"),
                    format!("a `{}` deadline needs a due time", d.status.as_str()),
                );
            }
            deadlines.push(Deadline {
                metric: d.metric,
                calendar: d.calendar,
                target: d.target,
                due,
                status: d.status,
                met_at,
                breached_by: d.breached_by,
                remaining: d.remaining,
            });
        }
        let escalation = match self.escalation {
            None => None,
            Some(e) => {
                if !(0..=5).contains(&e.level) {
                    return invalid(
                        "escalation.level",
                        format!("must be between 0 and 5, got {}", e.level),
                    );
                }
                if e.team.as_deref().is_some_and(|t| t.trim().is_empty()) {
                    return invalid("escalation.team", "must not be empty; leave it out instead");
                }
                Some(Escalation {
                    level: e.level as u8,
                    team: e.team,
                    reason: e.reason,
                    notify: e.notify,
                    raise_priority: e.raise_priority,
                })
            }
        };
        let mut compensation = Vec::with_capacity(self.compensation.len());
        for (i, c) in self.compensation.into_iter().enumerate() {
            let path = |f: &str| format!("compensation[{i}].{f}");
            if c.amount < 0 {
                return invalid(path("amount"), format!("must be ≥ 0, got {}", c.amount));
            }
            match &c.currency {
                Some(code) if !is_currency_code(code) => {
                    return invalid(
                        path("currency"),
                        format!(
                            "`{code}` is not an ISO 4217 code; expected three capital letters such as `EUR`"
                        ),
                    );
                }
                None if c.kind.is_money() || c.amount > 0 => {
                    return invalid(
                        path("currency"),
                        "missing: an amount of money needs an ISO 4217 currency",
                    );
                }
                _ => {}
            }
            if let Some(days) = c.days
                && days < 0
            {
                return invalid(path("days"), format!("must be ≥ 0, got {days}"));
            }
            compensation.push(Compensation {
                kind: c.kind,
                amount: c.amount,
                currency: c.currency,
                days: c.days,
                reason: c.reason,
                requires_approval: c.requires_approval,
            });
        }
        Ok(Decision {
            policy,
            deadlines,
            escalation,
            compensation,
            notes: self.notes,
            fallback: None,
            trace: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn calendars() -> BTreeMap<String, Calendar> {
        let cal = Calendar::from_toml("s", "timezone = \"Europe/Madrid\"\nmon = [\"09:00-17:00\"]")
            .unwrap();
        BTreeMap::from([("support".to_owned(), cal)])
    }

    fn info() -> PolicyInfo {
        PolicyInfo {
            name: "t".into(),
            version: "1".into(),
            digest: "sha256:0".into(),
        }
    }

    fn check(v: serde_json::Value) -> Result<Decision, InvalidDecision> {
        PolicyOutput::from_value(v)?.validate(info(), &calendars())
    }

    fn err(v: serde_json::Value) -> String {
        check(v).unwrap_err().to_string()
    }

    #[test]
    fn a_valid_output_becomes_a_decision_in_the_calendar_offset() {
        let d = check(json!({
            "deadlines": [{"metric": "first_response", "calendar": "support", "target": 240, "due": 1_772_457_300,
                           "status": "met", "met_at": 1_772_445_720, "breached_by": 0, "remaining": 0, "paused": false}],
            "escalation": {"level": 1, "team": "tier2", "reason": "late"},
            "compensation": [{"kind": "service_credit", "amount": 4990, "currency": "EUR", "reason": "late"}, {"kind": "apology", "reason": "sorry"}],
            "notes": ["standard v1"]
        }))
        .unwrap();
        let out = serde_json::to_value(&d).unwrap();
        assert_eq!(out["deadlines"][0]["due"], "2026-03-02T14:15:00+01:00");
        assert_eq!(out["deadlines"][0]["met_at"], "2026-03-02T11:02:00+01:00");
        assert_eq!(
            out["escalation"],
            json!({"level": 1, "team": "tier2", "reason": "late", "notify": [], "raise_priority": null})
        );
        assert_eq!(out["compensation"][1]["amount"], 0);
        let back: Decision = serde_json::from_value(out).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn violations_name_the_field() {
        let dl = |extra: serde_json::Value| {
            let mut d = json!({"metric": "resolution", "calendar": "support", "target": 60, "due": 1_772_457_300, "status": "pending"});
            d.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            json!({"deadlines": [d]})
        };
        assert!(
            err(dl(json!({"metric": "lunch"})))
                .contains("`deadlines[0].metric`: unknown variant `lunch`")
        );
        assert!(err(dl(json!({"calendar": "night"}))).contains(
            "`deadlines[0].calendar`: unknown calendar `night`; the bundle has `support`"
        ));
        assert!(err(dl(json!({"target": -1}))).contains("`deadlines[0].target`: must be ≥ 0"));
        assert!(
            err(dl(json!({"due": null})))
                .contains("`deadlines[0].due`: a `pending` deadline needs a due time")
        );
        assert!(
            err(json!({"escalation": {"level": 9, "reason": "x"}}))
                .contains("`escalation.level`: must be between 0 and 5, got 9")
        );
        let e = err(
            json!({"compensation": [{"kind": "apology"}, {"kind": "refund", "amount": -5, "currency": "EUR"}]}),
        );
        assert!(
            e.contains("`compensation[1].amount`: must be ≥ 0, got -5"),
            "{e}"
        );
        assert!(
            err(json!({"compensation": [{"kind": "refund", "amount": 5}]}))
                .contains("`compensation[0].currency`: missing")
        );
        assert!(
            err(json!({"compensation": [{"kind": "voucher", "amount": 5, "currency": "eur"}]}))
                .contains("not an ISO 4217 code")
        );
        assert!(
            err(json!({"compensation": [{"kind": "refund", "amount": 4.5, "currency": "EUR"}]}))
                .contains("`compensation[0].amount`: invalid type: floating point")
        );
        assert!(err(json!({"verdict": "guilty"})).contains("unknown field `verdict`"));
        assert!(err(json!("hello")).contains("it returned a string"));
        assert!(err(json!(null)).contains("it returned nothing"));
    }
}
