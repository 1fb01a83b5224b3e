//! Watching the registry's folder: a change on disk triggers one scan once the whole
//! folder has been quiet for the settle time, so the files of a new version written one
//! after the other are read together. A write that begins while a scan reads may still
//! be read half way: the version then fails its checks (never serves), and the scan
//! after that write settles takes the finished files.
//!
//! notify's own debouncers settle each path on its own clock, which would scan between
//! the writes of one version's files; hence the one quiet period here, over the folder.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::{RegistryError, Shared};

/// How long writes may go on without a scan: a folder written to without pause is still
/// scanned this many settle times after the first write.
const MAX_DELAY_SETTLES: u32 = 10;

/// A running watch of a registry's folder; dropping it stops the watch.
pub struct Watch {
    // dropping the watcher closes the channel, which ends the scanning thread
    _watcher: RecommendedWatcher,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").finish_non_exhaustive()
    }
}

impl Watch {
    pub(super) fn start(shared: Arc<Shared>, settle: Duration) -> Result<Watch, RegistryError> {
        let fail = |root: &Path, e: notify::Error| RegistryError::Watch {
            dir: root.to_owned(),
            message: e.to_string(),
        };
        let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| fail(&shared.root, e))?;
        watcher
            .watch(&shared.root, RecursiveMode::Recursive)
            .map_err(|e| fail(&shared.root, e))?;
        let root = shared.root.clone();
        std::thread::Builder::new()
            .name("pacto-registry-watch".into())
            .spawn(move || {
                // each turn: wait for a change, then for quiet, then scan
                while let Ok(first) = rx.recv() {
                    warn_on_error(&shared, first);
                    let began = Instant::now();
                    loop {
                        match rx.recv_timeout(settle) {
                            Ok(next) => {
                                warn_on_error(&shared, next);
                                if began.elapsed() >= settle * MAX_DELAY_SETTLES {
                                    break;
                                }
                            }
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    // whatever changed (or if the watcher lost track), one scan sorts it out
                    if let Err(e) = shared.scan() {
                        tracing::error!(target: "pacto::registry", "{e}");
                    }
                }
            })
            .map_err(|e| RegistryError::Watch {
                dir: root,
                message: e.to_string(),
            })?;
        Ok(Watch { _watcher: watcher })
    }
}

fn warn_on_error(shared: &Shared, event: notify::Result<notify::Event>) {
    if let Err(e) = event {
        tracing::warn!(target: "pacto::registry", "{}: watch: {e}", shared.root.display());
    }
}
