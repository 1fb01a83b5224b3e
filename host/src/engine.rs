//! The engine: loads policy bundles into [`Policy`] values that decide cases, whatever
//! sandbox runs them.
//!
//! ```
//! use pacto::{Case, Engine};
//!
//! let engine = Engine::new();
//! let policy = engine.load(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
//! let case = Case::from_json(&std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"), "/../examples/cases/gold-complaint-phone.json"))?)?;
//! let decision = policy.decide(&case, "2026-03-03T12:00:00+01:00".parse()?)?;
//! assert_eq!(decision.policy.name, "standard");
//! assert!(decision.deadlines.iter().any(|d| d.metric == pacto::Metric::FirstResponse));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use crate::bundle::{Bundle, BundleError, EngineKind};
use crate::calendar::Calendar;
use crate::case::Case;
use crate::decision::{Decision, InvalidDecision, PolicyInfo, PolicyOutput};
use crate::error::{Location, TimeError};
use crate::rhai_backend::RhaiBackend;
use crate::sla::{Sla, SlaError};
use crate::timeline::Timeline;
use crate::wasm_backend::{WasmBackend, WasmRuntime};

/// A limit a policy ran into. Each is its own variant, so callers can match on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitExceeded {
    /// Rhai: more operations than `max_operations`.
    #[error("more than {0} operations (`max_operations`)")]
    Operations(u64),
    /// Both engines: the wall-clock cap.
    #[error("ran longer than {0} ms (`timeout_ms`)")]
    Timeout(u64),
    /// Rhai: a string, array or map grew past its cap.
    #[error("{what} grew past {limit}")]
    DataTooLarge {
        /// `string`, `array` or `map`.
        what: String,
        /// The cap.
        limit: usize,
    },
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
}

/// Why a policy could not decide a case.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DecideError {
    /// The policy ran into a limit of the bundle.
    #[error("policy stopped: {0}")]
    Limit(#[from] LimitExceeded),
    /// The policy failed: a runtime error in the script, a trap or panic in the guest.
    #[error("{}policy failed: {message}", location.as_ref().map(|l| format!("{l}: ")).unwrap_or_default())]
    Policy {
        /// Where in the policy's source, when known.
        location: Option<Location>,
        /// What happened.
        message: String,
    },
    /// The policy returned a decision that breaks the contract.
    #[error(transparent)]
    Invalid(#[from] InvalidDecision),
    /// A calendar computation had no answer.
    #[error(transparent)]
    Time(#[from] TimeError),
}

impl DecideError {
    /// A short machine-readable kind: `limit`, `policy`, `invalid_decision`, `time`.
    pub fn kind(&self) -> &'static str {
        match self {
            DecideError::Limit(_) => "limit",
            DecideError::Policy { .. } => "policy",
            DecideError::Invalid(_) => "invalid_decision",
            DecideError::Time(_) => "time",
        }
    }
}

impl From<SlaError> for DecideError {
    fn from(e: SlaError) -> Self {
        match e {
            SlaError::Time(t) => DecideError::Time(t),
            other => DecideError::Policy {
                location: None,
                message: other.to_string(),
            },
        }
    }
}

/// What a sandbox implements: given a case and the host view, return the policy's output.
/// `timeline` is the one `sla` borrows, shared so a sandbox can keep it for its host
/// functions without copying it.
pub(crate) trait Backend: Send + Sync {
    fn decide(
        &self,
        case: &Case,
        timeline: &Arc<Timeline>,
        sla: &Sla<'_>,
    ) -> Result<PolicyOutput, DecideError>;
}

/// A policy written in Rust against the host's own types and compiled into the host,
/// deciding through the same [`Sla`] functions as sandboxed policies. No sandbox: for
/// code you trust. (A policy written for a Wasm component against `pacto-guest` runs
/// natively through [`Policy::from_guest`] instead.)
///
/// ```
/// use std::collections::BTreeMap;
/// use pacto::decision::PolicyOutput;
/// use pacto::{Case, DecideError, NativePolicy, Policy, PolicyInfo, Sla};
///
/// /// Notes how many events the case has, and nothing else.
/// struct CountEvents;
///
/// impl NativePolicy for CountEvents {
///     fn decide(&self, case: &Case, _: &Sla<'_>) -> Result<PolicyOutput, DecideError> {
///         Ok(PolicyOutput {
///             deadlines: Vec::new(),
///             escalation: None,
///             compensation: Vec::new(),
///             notes: vec![format!("{} events", case.events.len())],
///         })
///     }
/// }
///
/// let info = PolicyInfo { name: "count".into(), version: "1".into(), digest: "-".into() };
/// let policy = Policy::native(info, BTreeMap::new(), CountEvents);
/// let case: Case = serde_json::from_str(r#"{
///     "id": "T-1", "opened_at": "2026-03-02T09:00:00Z", "priority": "normal",
///     "channel": "email", "kind": "question", "customer": {"id": "C-1", "tier": "gold"},
///     "events": [{"at": "2026-03-02T09:00:00Z", "type": "customer_message"}]
/// }"#)?;
/// let decision = policy.decide(&case, "2026-03-02T10:00:00Z".parse()?)?;
/// assert_eq!(decision.notes, ["1 events"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait NativePolicy: Send + Sync {
    /// Decides `case`; `sla` gives the clocks and calendar functions.
    fn decide(&self, case: &Case, sla: &Sla<'_>) -> Result<PolicyOutput, DecideError>;
}

struct Native<P>(P);

impl<P: NativePolicy> Backend for Native<P> {
    fn decide(
        &self,
        case: &Case,
        _: &Arc<Timeline>,
        sla: &Sla<'_>,
    ) -> Result<PolicyOutput, DecideError> {
        self.0.decide(case, sla)
    }
}

/// A loaded policy: decides cases. `Send + Sync`; share it across threads in an `Arc`.
pub struct Policy {
    info: PolicyInfo,
    calendars: Arc<BTreeMap<String, Calendar>>,
    backend: Box<dyn Backend>,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl Policy {
    /// A policy from a Rust implementation, with the calendars it uses.
    pub fn native(
        info: PolicyInfo,
        calendars: BTreeMap<String, Calendar>,
        policy: impl NativePolicy + 'static,
    ) -> Policy {
        Policy {
            info,
            calendars: Arc::new(calendars),
            backend: Box::new(Native(policy)),
        }
    }

    /// A policy deciding through `backend` (one of the crate's own).
    pub(crate) fn from_backend(
        info: PolicyInfo,
        calendars: Arc<BTreeMap<String, Calendar>>,
        backend: Box<dyn Backend>,
    ) -> Policy {
        Policy {
            info,
            calendars,
            backend,
        }
    }

    /// Name, version and digest.
    pub fn info(&self) -> &PolicyInfo {
        &self.info
    }

    /// The calendars the policy uses, by name.
    pub fn calendars(&self) -> &BTreeMap<String, Calendar> {
        &self.calendars
    }

    /// Decides `case` as of `now`: derives the timeline, runs the policy, checks what it
    /// returned. An error leaves the policy ready for the next case.
    pub fn decide(&self, case: &Case, now: Timestamp) -> Result<Decision, DecideError> {
        let timeline = Arc::new(Timeline::derive(case, now));
        let sla = Sla::new(&self.calendars, case, &timeline, now);
        let output = self.backend.decide(case, &timeline, &sla)?;
        Ok(output.validate(self.info.clone(), &self.calendars)?)
    }
}

/// Loads bundles. Cheap to create; `Send + Sync`. The WebAssembly runtime starts with
/// the first Wasm bundle.
#[derive(Default)]
pub struct Engine {
    wasm: std::sync::OnceLock<Result<WasmRuntime, String>>,
    cache_dir: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine with default settings.
    pub fn new() -> Engine {
        Engine::default()
    }

    /// An engine that caches compiled WebAssembly components in `dir`, so a second load
    /// of the same component skips compilation. The folder is created when needed; a
    /// cache that cannot be read or written is ignored.
    pub fn with_cache_dir(dir: impl Into<std::path::PathBuf>) -> Engine {
        Engine {
            cache_dir: Some(dir.into()),
            ..Engine::default()
        }
    }

    /// Loads, checks and compiles the bundle in `dir`.
    pub fn load(&self, dir: impl AsRef<Path>) -> Result<Policy, BundleError> {
        let bundle = Bundle::load(dir.as_ref())?;
        self.from_bundle(bundle)
    }

    /// Compiles an already loaded bundle.
    pub fn from_bundle(&self, bundle: Bundle) -> Result<Policy, BundleError> {
        let info = PolicyInfo {
            name: bundle.name.clone(),
            version: bundle.version.clone(),
            digest: bundle.digest.clone(),
        };
        let calendars = Arc::new(bundle.calendars.clone());
        let backend: Box<dyn Backend> = match bundle.engine {
            EngineKind::Rhai => Box::new(RhaiBackend::compile(&bundle, Arc::clone(&calendars))?),
            EngineKind::Wasm => {
                let runtime = self
                    .wasm
                    .get_or_init(|| WasmRuntime::new(self.cache_dir.clone()))
                    .as_ref()
                    .map_err(|e| BundleError::Policy {
                        location: Location {
                            file: bundle.entry.display().to_string(),
                            line: 0,
                            column: 0,
                            span: 0..0,
                        },
                        message: format!("the WebAssembly runtime cannot start: {e}"),
                    })?;
                Box::new(WasmBackend::load(runtime, &bundle, Arc::clone(&calendars))?)
            }
        };
        Ok(Policy {
            info,
            calendars,
            backend,
        })
    }
}
