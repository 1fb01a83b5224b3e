//! What a registry reports: every load, swap, removal and refusal of a bundle, and every
//! decision a fallback answered. Each event is also a log line (`tracing`, target
//! `pacto::registry`).

use std::fmt;
use std::path::PathBuf;

use crate::bundle::BundleError;
use crate::decision::{ErrorReport, PolicyInfo};
use crate::fixture::FixtureError;

/// Something that happened to the policies a registry serves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RegistryEvent {
    /// A policy name appeared and now serves.
    Loaded {
        /// What serves.
        policy: PolicyInfo,
        /// Its folder.
        dir: PathBuf,
    },
    /// A new version replaced the one serving under the same name.
    Swapped {
        /// The version that served until now.
        from: PolicyInfo,
        /// The version that serves from now on.
        to: PolicyInfo,
        /// Its folder.
        dir: PathBuf,
    },
    /// A bundle's folder went away, and its policy with it.
    Removed {
        /// What served.
        policy: PolicyInfo,
        /// The folder that went away.
        dir: PathBuf,
    },
    /// A bundle failed a check and does not serve; what served before goes on serving.
    Refused {
        /// The bundle's folder.
        dir: PathBuf,
        /// What keeps serving from that folder, if anything.
        serving: Option<PolicyInfo>,
        /// Which check failed.
        reason: Refusal,
    },
    /// A policy failed on a case and a fallback decided instead.
    FellBack {
        /// The case's id.
        case: String,
        /// The policy that failed.
        failed: PolicyInfo,
        /// How it failed.
        error: ErrorReport,
        /// The fallback that decided.
        by: PolicyInfo,
    },
}

/// Why a bundle may not serve.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Refusal {
    /// It does not load: `policy.toml`, a calendar or the policy itself is broken (or
    /// half written).
    Bundle(BundleError),
    /// A fixture file cannot be read.
    FixtureFile(FixtureError),
    /// It loads, but some of its own fixtures fail.
    Fixtures(Vec<FixtureFailure>),
    /// Another folder already serves a policy of this name.
    Conflict {
        /// The name both bundles give.
        name: String,
        /// The folder that serves it.
        serving_dir: PathBuf,
    },
}

/// One fixture a candidate version failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureFailure {
    /// The fixture's name (its file stem).
    pub fixture: String,
    /// The mismatches, or the error, in words.
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Bundle(e) => write!(f, "does not load: {e}"),
            Refusal::FixtureFile(e) => write!(f, "a fixture cannot be read: {e}"),
            Refusal::Fixtures(failures) => {
                write!(f, "{} fixture(s) fail:", failures.len())?;
                for failure in failures {
                    write!(f, " {}: {};", failure.fixture, failure.message)?;
                }
                Ok(())
            }
            Refusal::Conflict { name, serving_dir } => write!(
                f,
                "policy `{name}` is already served from {}; names must be unique in the folder",
                serving_dir.display()
            ),
        }
    }
}

fn version(p: &PolicyInfo) -> String {
    format!("{} {} ({})", p.name, p.version, p.digest)
}

impl fmt::Display for RegistryEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryEvent::Loaded { policy, dir } => {
                write!(f, "{}: loaded {}", dir.display(), version(policy))
            }
            RegistryEvent::Swapped { from, to, dir } => write!(
                f,
                "{}: swapped {} for {}",
                dir.display(),
                version(from),
                version(to)
            ),
            RegistryEvent::Removed { policy, dir } => {
                write!(f, "{}: removed {}", dir.display(), version(policy))
            }
            RegistryEvent::Refused {
                dir,
                serving,
                reason,
            } => {
                write!(f, "{}: refused: {reason}", dir.display())?;
                match serving {
                    Some(p) => write!(f, " ({} keeps serving)", version(p)),
                    None => Ok(()),
                }
            }
            RegistryEvent::FellBack {
                case,
                failed,
                error,
                by,
            } => write!(
                f,
                "case {case}: {} failed ({}: {}); {} decided instead",
                version(failed),
                error.kind,
                error.message,
                version(by)
            ),
        }
    }
}

impl RegistryEvent {
    /// Writes the event as a log line: refusals and fallbacks as warnings, the rest as
    /// information.
    pub(super) fn log(&self) {
        match self {
            RegistryEvent::Refused { .. } | RegistryEvent::FellBack { .. } => {
                tracing::warn!(target: "pacto::registry", "{self}");
            }
            _ => tracing::info!(target: "pacto::registry", "{self}"),
        }
    }
}
