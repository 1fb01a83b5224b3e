//! One version of a policy as a registry serves it, with the fallbacks that answer when
//! it fails on a case.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::event::RegistryEvent;
use super::{Fallback, Listeners};
use crate::bundle::EngineKind;
use crate::case::Case;
use crate::decision::{Decision, ErrorReport, FallbackUsed, PolicyInfo};
use crate::policy::{DecideError, Policy};

/// A policy version a registry serves: the policy, where it came from, when it started
/// serving, and what answers when it fails. Hold the `Arc` a registry hands out for as
/// long as you like: it keeps deciding on this version even after a swap.
pub struct Served {
    pub(super) policy: Arc<Policy>,
    pub(super) engine: EngineKind,
    pub(super) dir: PathBuf,
    pub(super) loaded_at: Timestamp,
    /// The version this one replaced, for [`Fallback::Previous`].
    pub(super) previous: Option<Arc<Policy>>,
    pub(super) fallbacks: Arc<[Fallback]>,
    pub(super) listeners: Arc<Listeners>,
    pub(super) fallback_log: Mutex<FallbackLog>,
}

/// Fallbacks are logged at most once a second per version, with a count of those not
/// logged: a version that fails on a common case would otherwise write a warning per
/// decision. Listeners still hear every one.
#[derive(Debug, Default)]
pub(super) struct FallbackLog {
    last: Option<Instant>,
    unlogged: u64,
}

const FALLBACK_LOG_EVERY: Duration = Duration::from_secs(1);

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Served")
            .field("policy", self.policy.info())
            .field("dir", &self.dir)
            .field("loaded_at", &self.loaded_at)
            .finish_non_exhaustive()
    }
}

impl Served {
    /// Name, version and digest.
    pub fn info(&self) -> &PolicyInfo {
        self.policy.info()
    }

    /// The policy itself (deciding through it skips the fallbacks).
    pub fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    /// Which sandbox runs it.
    pub fn engine(&self) -> EngineKind {
        self.engine
    }

    /// The bundle's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// When this version started serving.
    pub fn loaded_at(&self) -> Timestamp {
        self.loaded_at
    }

    /// Decides `case` as of `now` with this version. When it fails for a reason other
    /// than the case itself (a trap, a limit, an invalid decision, a calendar with no
    /// answer), the registry's fallbacks are tried in order; the first that decides
    /// answers, its decision marked with [`Decision::fallback`], and a
    /// [`RegistryEvent::FellBack`] reports the failure. When none decides, the error is
    /// the policy's own.
    pub fn decide(&self, case: &Case, now: Timestamp) -> Result<Decision, DecideError> {
        let error = match self.policy.decide(case, now) {
            Ok(decision) => return Ok(decision),
            // a bad case is bad for every policy: no fallback can answer it better
            Err(e @ DecideError::Input(_)) => return Err(e),
            Err(e) => e,
        };
        for fallback in self.fallbacks.iter() {
            let policy = match fallback {
                Fallback::Previous => match &self.previous {
                    Some(p) => p,
                    None => continue,
                },
                Fallback::Policy(p) => p,
            };
            let Ok(mut decision) = policy.decide(case, now) else {
                continue;
            };
            let report = ErrorReport {
                kind: error.kind().to_owned(),
                message: error.to_string(),
            };
            let event = RegistryEvent::FellBack {
                case: case.id.clone(),
                failed: self.info().clone(),
                error: report.clone(),
                by: policy.info().clone(),
            };
            self.log_fallback(&event);
            self.listeners.notify(&event);
            decision.fallback = Some(Box::new(FallbackUsed {
                instead_of: self.info().clone(),
                error: report,
            }));
            return Ok(decision);
        }
        Err(error)
    }

    fn log_fallback(&self, event: &RegistryEvent) {
        let mut log = self.fallback_log.lock().unwrap_or_else(|e| e.into_inner());
        if log.last.is_some_and(|t| t.elapsed() < FALLBACK_LOG_EVERY) {
            log.unlogged += 1;
            return;
        }
        if log.unlogged > 0 {
            tracing::warn!(
                target: "pacto::registry",
                "{event} ({} more fallbacks of {} since the last such line)",
                log.unlogged,
                self.info().name
            );
        } else {
            tracing::warn!(target: "pacto::registry", "{event}");
        }
        *log = FallbackLog {
            last: Some(Instant::now()),
            unlogged: 0,
        };
    }
}
