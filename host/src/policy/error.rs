//! Why a policy could not decide a case: one enum, one struct or variant per failure, the
//! same kind whatever the backend (Rhai, Wasm, native).

use miette::{Diagnostic, LabeledSpan, SourceCode};

use crate::case::CaseError;
use crate::decision::InvalidDecision;
use crate::error::{Location, TimeError};

/// A limit a policy ran into. Each is its own variant, so callers can match on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum LimitExceeded {
    /// Rhai: more operations than `max_operations`.
    #[error("more than {0} operations (`max_operations`)")]
    Operations(u64),
    /// Both engines: the wall-clock cap.
    #[error("ran longer than {0} ms (`timeout_ms`)")]
    Timeout(u64),
    /// Rhai: a string grew past `max_string_size` bytes.
    #[error("a string grew past {0} bytes (`max_string_size`)")]
    StringSize(usize),
    /// Rhai: an array grew past `max_array_size` items.
    #[error("an array grew past {0} items (`max_array_size`)")]
    ArraySize(usize),
    /// Rhai: a map grew past `max_map_size` entries.
    #[error("a map grew past {0} entries (`max_map_size`)")]
    MapSize(usize),
    /// Rhai: some other value grew past its cap (Rhai's own words for it).
    #[error("{0} too large")]
    Data(String),
    /// Nested calls deeper than `max_call_depth`.
    #[error("calls nested deeper than {0} (`max_call_depth`)")]
    CallDepth(usize),
    /// Wasm: the guest's stack overflowed (endless recursion).
    #[error("the stack overflowed (endless recursion?)")]
    Stack,
    /// Wasm: out of fuel.
    #[error("out of fuel after {0} instructions (`fuel`)")]
    Fuel(u64),
    /// Wasm: linear memory past `memory_mb`.
    #[error("memory grew past {0} MiB (`memory_mb`)")]
    Memory(u64),
    /// More host calls in one decision than `max_host_calls`.
    #[error("more than {0} host calls (`max_host_calls`)")]
    HostCalls(u64),
    /// The case is larger than `max_case_bytes` ([`Case::size_bytes`](crate::Case::size_bytes));
    /// the policy did not run.
    #[error("the case is {size} bytes, more than {limit} (`max_case_bytes`)")]
    CaseBytes {
        /// The case's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The case has more events than `max_events`; the policy did not run.
    #[error("the case has {count} events, more than {limit} (`max_events`)")]
    Events {
        /// Events in the case.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A list of the decision is longer than `max_output_items`.
    #[error("`{path}` has {count} entries, more than {limit} (`max_output_items`)")]
    OutputItems {
        /// The list, e.g. `notes`.
        path: String,
        /// Its entries.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A string of the decision is longer than `max_output_string` bytes.
    #[error("`{path}` is {len} bytes, more than {limit} (`max_output_string`)")]
    OutputString {
        /// The string, e.g. `notes[3]`.
        path: String,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

/// The policy failed: a runtime error in a script, a trap or panic in a guest, a host
/// function called with a calendar or metric the bundle does not have, or the policy
/// declined to decide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}policy failed: {message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
pub struct PolicyFailed {
    /// Where in the policy's source, when known (Rhai); carries the source text.
    pub location: Option<Location>,
    /// What happened; for a guest panic, the panic's message from this decision's own
    /// output.
    pub message: String,
}

impl PolicyFailed {
    /// A failure with no place in the source.
    pub fn new(message: impl Into<String>) -> Self {
        PolicyFailed {
            location: None,
            message: message.into(),
        }
    }
}

impl Diagnostic for PolicyFailed {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.location.as_ref()?.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.location.as_ref()?.labels()
    }
}

/// Why a policy could not decide a case. [`kind`](Self::kind) is the same for the same
/// failure in every backend.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum DecideError {
    /// The case carries a value a backend cannot represent exactly (a `Case` built in
    /// Rust, unchecked: one parsed from JSON was refused already).
    #[error("the case cannot be decided: {0}")]
    Input(CaseError),
    /// The policy ran into a limit of the bundle.
    #[error("policy stopped: {0}")]
    Limit(#[from] LimitExceeded),
    /// The policy failed or declined.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] PolicyFailed),
    /// The policy returned a decision that breaks the contract.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(#[from] InvalidDecision),
    /// A calendar computation had no answer (no open time within the search horizon, an
    /// instant out of range, …), asked natively or through a sandbox's host functions.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Time(#[from] TimeError),
}

impl DecideError {
    /// A short machine-readable kind: `input`, `limit`, `policy`, `invalid_decision`,
    /// `time`.
    pub fn kind(&self) -> &'static str {
        match self {
            DecideError::Input(_) => "input",
            DecideError::Limit(_) => "limit",
            DecideError::Policy(_) => "policy",
            DecideError::Invalid(_) => "invalid_decision",
            DecideError::Time(_) => "time",
        }
    }

    /// A [`PolicyFailed`] with no place in the source.
    pub(crate) fn policy(message: impl Into<String>) -> Self {
        DecideError::Policy(PolicyFailed::new(message))
    }
}
