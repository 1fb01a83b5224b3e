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

/// What a scan remembers between scans about the folders it refused: the refusal, so a
/// bundle that stays broken is reported once, not at every scan; and what the refused
/// files were, so they are not compiled and tested again until one of them changes.
#[derive(Debug, Default)]
pub(super) struct ScanState {
    refused: HashMap<PathBuf, String>,
    refused_files: HashMap<PathBuf, String>,
}

/// What a candidate's checks depend on: its digest, and each fixture file's name, size and
/// time of change (fixtures are not in the digest, and a refusal may be theirs).
fn signature(digest: &str, dir: &Path) -> String {
    let mut fixtures: Vec<String> = std::fs::read_dir(dir.join("fixtures"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| {
            let meta = e.metadata().ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            format!("{}:{len}:{modified:?}", e.file_name().to_string_lossy())
        })
        .collect();
    fixtures.sort();
    format!("{digest} {}", fixtures.join(" "))
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
        state.refused_files.retain(|dir, _| dir.is_dir());

        for dir in dirs {
            let serving = next.values().find(|s| s.dir == dir).cloned();
            let refuse = |reason: Refusal| RegistryEvent::Refused {
                dir: dir.clone(),
                serving: serving.as_ref().map(|s| s.info().clone()),
                reason,
            };
            let outcome = self.candidate(&dir, serving.as_ref(), &next, &state);
            let event = match outcome {
                Candidate::Unchanged => {
                    state.refused.remove(&dir);
                    state.refused_files.remove(&dir);
                    continue;
                }
                Candidate::StillRefused => continue,
                Candidate::Refused(reason, files) => {
                    if let Some(files) = files {
                        state.refused_files.insert(dir.clone(), files);
                    }
                    refuse(reason)
                }
                Candidate::Passed(policy, engine) => {
                    state.refused.remove(&dir);
                    state.refused_files.remove(&dir);
                    let name = policy.info().name.clone();
                    // the folder may now give another name: the old one goes, and the
                    // new name starts without a previous version to fall back on
                    let same_name = serving.as_ref().filter(|old| old.info().name == name);
                    let served = Arc::new(Served {
                        policy: Arc::new(policy),
                        engine,
                        dir: dir.clone(),
                        loaded_at: Timestamp::now(),
                        previous: same_name.map(|s| Arc::clone(&s.policy)),
                        fallbacks: Arc::clone(&self.fallbacks),
                        listeners: Arc::clone(&self.listeners),
                        fallback_log: Default::default(),
                    });
                    let to = served.info().clone();
                    if let Some(old) = serving.as_ref().filter(|old| old.info().name != name) {
                        next.remove(&old.info().name);
                        events.push(RegistryEvent::Removed {
                            policy: old.info().clone(),
                            dir: dir.clone(),
                        });
                    }
                    next.insert(to.name.clone(), Arc::clone(&served));
                    events.push(match same_name {
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
        // still under the scan's lock, so listeners hear scans in the order they stored
        for event in &events {
            self.listeners.emit(event);
        }
        drop(state);
        Ok(events)
    }

    /// What the bundle in `dir` is now, against what serves from it.
    fn candidate(
        &self,
        dir: &Path,
        serving: Option<&Arc<Served>>,
        next: &BTreeMap<String, Arc<Served>>,
        state: &ScanState,
    ) -> Candidate {
        let bundle = match Bundle::load(dir) {
            Ok(bundle) => bundle,
            Err(e) => return Candidate::Refused(Refusal::Bundle(e), None),
        };
        if serving.is_some_and(|s| s.info().digest == bundle.digest) {
            return Candidate::Unchanged;
        }
        let files = signature(&bundle.digest, dir);
        if state.refused_files.get(dir) == Some(&files) {
            return Candidate::StillRefused;
        }
        if let Some(other) = next.get(&bundle.name)
            && other.dir != dir
        {
            // not remembered: the folder serving that name may go away
            return Candidate::Refused(
                Refusal::Conflict {
                    name: bundle.name,
                    serving_dir: other.dir.clone(),
                },
                None,
            );
        }
        let engine = bundle.engine;
        match check(&self.engine, bundle) {
            Ok(policy) => Candidate::Passed(policy, engine),
            Err(reason) => Candidate::Refused(reason, Some(files)),
        }
    }
}

enum Candidate {
    /// The same files as the version serving from the folder.
    Unchanged,
    /// A new version that passed every check.
    Passed(Policy, crate::bundle::EngineKind),
    /// A new version that may not serve, and the signature of its files when the
    /// refusal holds until they change.
    Refused(Refusal, Option<String>),
    /// The same files as the last refusal from this folder.
    StillRefused,
}
