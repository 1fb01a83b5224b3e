//! A scan of the registry's folder: which bundles changed, and the checks a new version
//! passes before it serves (it loads, compiles, and passes its own fixtures).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use super::event::{FixtureFailure, Refusal, RegistryEvent};
use super::{RegistryError, Served, Shared};
use crate::bundle::Bundle;
use crate::engine::Engine;
use crate::fixture::{Fixture, Outcome};
use crate::policy::Policy;

/// What a scan remembers between scans: the last refusal of each folder, so a bundle that
/// stays broken is reported once, not at every scan.
#[derive(Debug, Default)]
pub(super) struct ScanState {
    refused: HashMap<PathBuf, String>,
}

/// The bundle folders under `root`: `root` itself when it holds a `policy.toml`, else
/// its subfolders that hold one (hidden ones skipped), sorted.
fn bundle_dirs(root: &Path) -> Result<Vec<PathBuf>, RegistryError> {
    if root.join("policy.toml").is_file() {
        return Ok(vec![root.to_owned()]);
    }
    let entries = std::fs::read_dir(root).map_err(|e| RegistryError::Folder {
        dir: root.to_owned(),
        message: e.to_string(),
    })?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .filter(|p| p.join("policy.toml").is_file())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Loads, compiles and runs the fixtures of `bundle`: the policy, or why it may not serve.
fn check(engine: &Engine, bundle: Bundle) -> Result<Policy, Refusal> {
    let fixtures = Fixture::load_dir(&bundle.dir).map_err(Refusal::FixtureFile)?;
    let policy = engine.from_bundle(bundle).map_err(Refusal::Bundle)?;
    let failures: Vec<FixtureFailure> = fixtures
        .iter()
        .filter_map(|fixture| {
            let message = match fixture.run(&policy) {
                Outcome::Pass => return None,
                Outcome::Fail(mismatches) => mismatches
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                Outcome::Error(e) => format!("{}: {e}", e.kind()),
            };
            Some(FixtureFailure {
                fixture: fixture.name.clone(),
                message,
            })
        })
        .collect();
    if failures.is_empty() {
        Ok(policy)
    } else {
        Err(Refusal::Fixtures(failures))
    }
}

impl Shared {
    /// Scans the folder once and swaps in what changed, all at once; returns what
    /// happened. One scan runs at a time.
    pub(super) fn scan(&self) -> Result<Vec<RegistryEvent>, RegistryError> {
        let mut state = self.scan.lock().unwrap_or_else(|e| e.into_inner());
        let current = self.served.load_full();
        let mut dirs = bundle_dirs(&self.root)?;
        // a folder that serves stays in the scan while it exists, even without a
        // `policy.toml` for a moment (an editor replacing it): its load fails, it is
        // refused, and what it served goes on serving
        for served in current.values() {
            if !dirs.contains(&served.dir) && served.dir.is_dir() {
                dirs.push(served.dir.clone());
            }
        }
        dirs.sort();
        let mut next: BTreeMap<String, Arc<Served>> = (*current).clone();
        let mut events = Vec::new();

        // a folder that is gone takes its policy with it; a folder that is there but
        // unreadable (a policy.toml being replaced) keeps serving what it served
        next.retain(|_, served| {
            let gone = !served.dir.is_dir();
            if gone {
                events.push(RegistryEvent::Removed {
                    policy: served.info().clone(),
                    dir: served.dir.clone(),
                });
            }
            !gone
        });
        state.refused.retain(|dir, _| dir.is_dir());

        for dir in dirs {
            let serving = next.values().find(|s| s.dir == dir).cloned();
            let refuse = |reason: Refusal| RegistryEvent::Refused {
                dir: dir.clone(),
                serving: serving.as_ref().map(|s| s.info().clone()),
                reason,
            };
            let outcome = self.candidate(&dir, serving.as_ref(), &next);
            let event = match outcome {
                Candidate::Unchanged => {
                    state.refused.remove(&dir);
                    continue;
                }
                Candidate::Refused(reason) => refuse(reason),
                Candidate::Passed(policy, engine) => {
                    state.refused.remove(&dir);
                    let served = Arc::new(Served {
                        policy: Arc::new(policy),
                        engine,
                        dir: dir.clone(),
                        loaded_at: Timestamp::now(),
                        previous: serving.as_ref().map(|s| Arc::clone(&s.policy)),
                        fallbacks: Arc::clone(&self.fallbacks),
                        listeners: Arc::clone(&self.listeners),
                    });
                    let to = served.info().clone();
                    if let Some(old) = &serving {
                        // the folder may now give another name: the old one goes
                        next.remove(&old.info().name);
                    }
                    next.insert(to.name.clone(), served);
                    events.push(match serving {
                        Some(old) => RegistryEvent::Swapped {
                            from: old.info().clone(),
                            to,
                            dir,
                        },
                        None => RegistryEvent::Loaded { policy: to, dir },
                    });
                    continue;
                }
            };
            // a folder that stays broken the same way is reported once
            let said = event.to_string();
            if state.refused.get(&dir) != Some(&said) {
                state.refused.insert(dir, said);
                events.push(event);
            }
        }

        self.served.store(Arc::new(next));
        drop(state);
        for event in &events {
            self.listeners.emit(event);
        }
        Ok(events)
    }

    /// What the bundle in `dir` is now, against what serves from it.
    fn candidate(
        &self,
        dir: &Path,
        serving: Option<&Arc<Served>>,
        next: &BTreeMap<String, Arc<Served>>,
    ) -> Candidate {
        let bundle = match Bundle::load(dir) {
            Ok(bundle) => bundle,
            Err(e) => return Candidate::Refused(Refusal::Bundle(e)),
        };
        if serving.is_some_and(|s| s.info().digest == bundle.digest) {
            return Candidate::Unchanged;
        }
        if let Some(other) = next.get(&bundle.name)
            && other.dir != dir
        {
            return Candidate::Refused(Refusal::Conflict {
                name: bundle.name,
                serving_dir: other.dir.clone(),
            });
        }
        let engine = bundle.engine;
        match check(&self.engine, bundle) {
            Ok(policy) => Candidate::Passed(policy, engine),
            Err(reason) => Candidate::Refused(reason),
        }
    }
}

enum Candidate {
    /// The same files as the version serving from the folder.
    Unchanged,
    /// A new version that passed every check.
    Passed(Policy, crate::bundle::EngineKind),
    /// A new version that may not serve.
    Refused(Refusal),
}
