//! Watching the registry's folder: a change on disk triggers one scan once the whole
//! folder has been quiet for the settle time, so the files of a new version written one
//! after the other are read together. A write that begins while a scan reads may still
//! be read half way: the version then fails its checks (never serves), and the scan
//! after that write settles takes the finished files.
//!
//! notify's own debouncers settle each path on its own clock, which would scan between
//! the writes of one version's files; hence the one quiet period here, over the folder.
//!
//! Reads are not changes: inotify reports every open, and a scan opens every bundle file,
//! so access events are dropped (a scan would otherwise wake the next one, for ever).
//! inotify also follows inodes, not names: a root folder replaced (`mv new policies`),
//! deleted and created again, or a bundle symlink pointed elsewhere goes unseen. So the
//! watch is armed again, and the folder scanned, every [`SAFETY_RESCAN`] whatever
//! happened; a scan that finds nothing changed does nothing but read and hash the files.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{RegistryError, Shared};

/// How long writes may go on without a scan: a folder written to without pause is still
/// scanned this many settle times after the first write.
const MAX_DELAY_SETTLES: u32 = 10;

/// The watch is armed again and the folder scanned this often, changes or not.
pub const SAFETY_RESCAN: Duration = Duration::from_secs(10);

enum Message {
    /// Something happened on disk.
    Changed,
    /// The watcher reported an error.
    Failed(notify::Error),
    /// The [`Watch`] was dropped.
    Stop,
}

/// A running watch of a registry's folder; dropping it stops the watch.
pub struct Watch {
    stop: Sender<Message>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.stop.send(Message::Stop);
    }
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").finish_non_exhaustive()
    }
}

/// A watcher on `shared.root` sending what matters to `tx`.
fn arm(shared: &Shared, tx: &Sender<Message>) -> Result<RecommendedWatcher, notify::Error> {
    let tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let message = match event {
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => return,
            Ok(_) => Message::Changed,
            Err(e) => Message::Failed(e),
        };
        let _ = tx.send(message);
    })?;
    watcher.watch(&shared.root, RecursiveMode::Recursive)?;
    Ok(watcher)
}

impl Watch {
    pub(super) fn start(shared: Arc<Shared>, settle: Duration) -> Result<Watch, RegistryError> {
        let fail = |message: String| RegistryError::Watch {
            dir: shared.root.clone(),
            message,
        };
        let (tx, rx) = mpsc::channel::<Message>();
        let first = arm(&shared, &tx).map_err(|e| fail(e.to_string()))?;
        let again = tx.clone();
        let watching = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("pacto-registry-watch".into())
            .spawn(move || {
                let shared = watching;
                let mut watcher = Some(first);
                loop {
                    // wait for a change, or for the safety rescan
                    match rx.recv_timeout(SAFETY_RESCAN) {
                        Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                        Ok(Message::Failed(e)) => warn(&shared, &e),
                        Ok(Message::Changed) => {
                            if !settled(&rx, settle, &shared) {
                                return;
                            }
                        }
                        Err(RecvTimeoutError::Timeout) => {
                            // drop the old watch first: it may watch an inode that is gone
                            drop(watcher.take());
                            watcher = arm(&shared, &again).inspect_err(|e| warn(&shared, e)).ok();
                        }
                    }
                    scan(&shared);
                }
            })
            .map_err(|e| fail(e.to_string()))?;
        Ok(Watch { stop: tx })
    }
}

/// Waits until nothing has changed for `settle` (or for at most [`MAX_DELAY_SETTLES`]
/// settle times); false when the watch stops meanwhile.
fn settled(rx: &mpsc::Receiver<Message>, settle: Duration, shared: &Shared) -> bool {
    let began = Instant::now();
    loop {
        match rx.recv_timeout(settle) {
            Ok(Message::Changed) => {}
            Ok(Message::Failed(e)) => warn(shared, &e),
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
            Err(RecvTimeoutError::Timeout) => return true,
        }
        if began.elapsed() >= settle * MAX_DELAY_SETTLES {
            return true;
        }
    }
}

/// One scan; its failure, or a panic in it (a listener's, say), is logged and the watch
/// goes on.
fn scan(shared: &Shared) {
    match std::panic::catch_unwind(AssertUnwindSafe(|| shared.scan())) {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!(target: "pacto::registry", "{e}"),
        Err(_) => tracing::error!(
            target: "pacto::registry",
            "{}: a scan panicked; the watch goes on",
            shared.root.display()
        ),
    }
}

fn warn(shared: &Shared, e: &notify::Error) {
    tracing::warn!(target: "pacto::registry", "{}: watch: {e}", shared.root.display());
}
