//! A registry: the policy bundles of a folder, keyed by policy name, swapped while they
//! serve.
//!
//! A new version of a bundle serves only after it loads, compiles and passes its own
//! fixtures; then it replaces the old version atomically. A decision finishes on the
//! version it started with. A version that fails a check never serves: a
//! [`RegistryEvent::Refused`] (and a log line) reports it, and the old version goes on
//! serving. [`Registry::watch`] applies changes on disk as they settle.
//!
//! ```
//! use pacto::{Case, Registry};
//!
//! let registry = Registry::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai"))?;
//! let case = Case::from_json(&std::fs::read_to_string(concat!(
//!     env!("CARGO_MANIFEST_DIR"), "/../examples/cases/gold-complaint-phone.json"))?)?;
//! let decision = registry.decide("standard", &case, "2026-03-03T12:00:00+01:00".parse()?)?;
//! assert_eq!(decision.policy.name, "standard");
//! assert!(decision.policy.digest.starts_with("sha256:"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! | module | what it holds |
//! |---|---|
//! | [`event`] | [`RegistryEvent`]: loads, swaps, removals, refusals, fallbacks |
//! | `served` | [`Served`]: one version as it serves, with its fallbacks |
//! | `scan` | a scan of the folder, and the checks before a swap (private) |
//! | `watch` | [`Watch`]: scans when files change, debounced (private) |

pub mod event;
mod scan;
mod served;
mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;
use jiff::Timestamp;

pub use self::event::{FixtureFailure, Refusal, RegistryEvent};
pub use self::served::Served;
pub use self::watch::Watch;
use crate::case::Case;
use crate::decision::{Decision, PolicyInfo};
use crate::engine::Engine;
use crate::policy::{DecideError, Policy};

/// What answers a case when the policy asked for fails on it (see [`Served::decide`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Fallback {
    /// The version the serving one replaced, when there is one.
    Previous,
    /// A fixed policy, for every name: a conservative bundle that always gives deadlines.
    Policy(Arc<Policy>),
}

type Listener = Box<dyn Fn(&RegistryEvent) + Send + Sync>;

/// The registry's listeners, fixed when it opens.
pub(crate) struct Listeners(Vec<Listener>);

impl Listeners {
    /// Logs `event` and hands it to every listener.
    fn emit(&self, event: &RegistryEvent) {
        event.log();
        self.notify(event);
    }

    /// Hands `event` to every listener, without a log line.
    fn notify(&self, event: &RegistryEvent) {
        for listener in &self.0 {
            listener(event);
        }
    }
}

/// Why the registry cannot do what was asked.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[non_exhaustive]
pub enum RegistryError {
    /// The policies folder cannot be read.
    #[error("{}: cannot read the policies folder: {message}", dir.display())]
    Folder {
        /// The folder.
        dir: PathBuf,
        /// Why.
        message: String,
    },
    /// No policy of that name serves.
    #[error("no policy named `{name}`; serving: {}", if known.is_empty() { "none".to_owned() } else { known.join(", ") })]
    UnknownPolicy {
        /// The name asked for.
        name: String,
        /// The names that serve.
        known: Vec<String>,
    },
    /// The policy (and every fallback) failed on the case.
    #[error("{error}")]
    Decide {
        /// The version that failed.
        policy: Box<PolicyInfo>,
        /// How.
        #[diagnostic_source]
        error: DecideError,
    },
    /// The folder cannot be watched.
    #[error("{}: cannot watch: {message}", dir.display())]
    Watch {
        /// The folder.
        dir: PathBuf,
        /// Why.
        message: String,
    },
}

/// The policies of a folder, by name. Cheap to clone (clones share the registry);
/// `Send + Sync`.
#[derive(Clone)]
pub struct Registry {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    root: PathBuf,
    engine: Engine,
    fallbacks: Arc<[Fallback]>,
    listeners: Arc<Listeners>,
    served: ArcSwap<BTreeMap<String, Arc<Served>>>,
    scan: Mutex<scan::ScanState>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("root", &self.shared.root)
            .field("policies", &self.names())
            .finish_non_exhaustive()
    }
}

/// Sets up a [`Registry`]: its engine, fallbacks and listeners.
pub struct RegistryBuilder {
    root: PathBuf,
    engine: Option<Engine>,
    fallbacks: Vec<Fallback>,
    listeners: Vec<Listener>,
}

impl RegistryBuilder {
    /// The engine that loads the bundles (default: [`Engine::new`]).
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = Some(engine);
        self
    }

    /// Adds a fallback, tried after those added before it.
    pub fn fallback(mut self, fallback: Fallback) -> Self {
        self.fallbacks.push(fallback);
        self
    }

    /// Calls `listener` with every event, from the first load on. It runs on the thread
    /// that caused the event (a scan, or a decision that fell back): keep it short. A
    /// scan's events are delivered while the scan holds its lock, in order: a listener
    /// must not call [`Registry::reload`] (it would wait for itself).
    pub fn on_event(mut self, listener: impl Fn(&RegistryEvent) + Send + Sync + 'static) -> Self {
        self.listeners.push(Box::new(listener));
        self
    }

    /// Loads every bundle of the folder. A bundle that fails its checks is refused (an
    /// event reports it) and the others serve; only an unreadable folder is an error.
    pub fn open(self) -> Result<Registry, RegistryError> {
        let shared = Arc::new(Shared {
            root: self.root,
            engine: self.engine.unwrap_or_default(),
            fallbacks: self.fallbacks.into(),
            listeners: Arc::new(Listeners(self.listeners)),
            served: ArcSwap::from_pointee(BTreeMap::new()),
            scan: Mutex::default(),
        });
        shared.scan()?;
        Ok(Registry { shared })
    }
}

impl Registry {
    /// A registry of the bundles in `dir` with the default engine and no fallback.
    ///
    /// `dir` is a folder of bundle folders, or one bundle folder (a `policy.toml` in it).
    pub fn open(dir: impl Into<PathBuf>) -> Result<Registry, RegistryError> {
        Registry::builder(dir).open()
    }

    /// A builder for a registry of the bundles in `dir`.
    pub fn builder(dir: impl Into<PathBuf>) -> RegistryBuilder {
        RegistryBuilder {
            root: dir.into(),
            engine: None,
            fallbacks: Vec::new(),
            listeners: Vec::new(),
        }
    }

    /// The folder it serves.
    pub fn root(&self) -> &Path {
        &self.shared.root
    }

    /// The version serving under `name` now. Deciding through it finishes on that
    /// version whatever swaps happen meanwhile (a batch decided through one `Served` is
    /// decided by one version).
    pub fn get(&self, name: &str) -> Option<Arc<Served>> {
        self.shared.served.load().get(name).cloned()
    }

    /// Every version serving now, by name.
    pub fn policies(&self) -> Vec<Arc<Served>> {
        self.shared.served.load().values().cloned().collect()
    }

    fn names(&self) -> Vec<String> {
        self.shared.served.load().keys().cloned().collect()
    }

    /// Decides `case` as of `now` with the version serving under `name`, falling back as
    /// [`Served::decide`] does.
    pub fn decide(
        &self,
        name: &str,
        case: &Case,
        now: Timestamp,
    ) -> Result<Decision, RegistryError> {
        let served = self.get(name).ok_or_else(|| RegistryError::UnknownPolicy {
            name: name.to_owned(),
            known: self.names(),
        })?;
        served
            .decide(case, now)
            .map_err(|error| RegistryError::Decide {
                policy: Box::new(served.info().clone()),
                error,
            })
    }

    /// Scans the folder now: loads what was added, swaps what changed and passes its
    /// checks, removes what is gone. Returns what happened (listeners hear it too).
    pub fn reload(&self) -> Result<Vec<RegistryEvent>, RegistryError> {
        self.shared.scan()
    }

    /// Watches the folder: once writes have settled for 200 ms, scans it as
    /// [`reload`](Self::reload) does. Watching stops when the [`Watch`] is dropped.
    pub fn watch(&self) -> Result<Watch, RegistryError> {
        self.watch_debounced(Duration::from_millis(200))
    }

    /// [`watch`](Self::watch), scanning once writes have settled for `settle`.
    pub fn watch_debounced(&self, settle: Duration) -> Result<Watch, RegistryError> {
        Watch::start(Arc::clone(&self.shared), settle)
    }
}
