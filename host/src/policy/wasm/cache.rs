//! Compiled components cached on disk, so a second load skips compilation.
//!
//! A cache file is named by the SHA-256 of the component's bytes and a hash of the
//! engine's `precompile_compatibility_hash` (wasmtime version, target and every
//! `Config` setting that changes code, such as fuel metering), so an artifact is only
//! ever loaded by an engine that could have produced it. Files are written to a
//! temporary name and renamed, so a reader never sees half a file. Any failure to read
//! or write the cache falls back to compiling.
//!
//! The cache is bounded: after an artifact is written, the least recently used ones
//! (by modification time, which a cache hit refreshes) are removed until the folder's
//! artifacts fit in `$PACTO_CACHE_MAX_MB` (1024 MiB by default; a Python or
//! JavaScript component compiles to about 40 MB). The artifact just written stays,
//! whatever its size.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};
use wasmtime::component::Component;

/// A `Hasher` that feeds SHA-256: the engine's compatibility hash as stable bytes,
/// unlike `DefaultHasher`, whose output may change between Rust releases.
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn finish(&self) -> u64 {
        // never called: the digest is read with `finalize`
        0
    }
}

fn key(engine: &wasmtime::Engine, bytes: &[u8]) -> String {
    let mut compat = Sha256Hasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut compat);
    let compat = compat.0.finalize();
    format!(
        "{:x}-{}.cwasm",
        Sha256::digest(bytes),
        compat[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// The cache file `component` would have in `dir`.
pub(super) fn path(dir: &Path, engine: &wasmtime::Engine, bytes: &[u8]) -> PathBuf {
    dir.join(key(engine, bytes))
}

/// The component, from the cache when it holds it, compiled (and cached) otherwise.
pub(super) fn load(
    engine: &wasmtime::Engine,
    bytes: &[u8],
    dir: Option<&Path>,
) -> wasmtime::Result<Component> {
    let Some(dir) = dir else {
        return Component::new(engine, bytes);
    };
    let file = path(dir, engine, bytes);
    // read into memory rather than mapped: a mapped file that someone truncates while a
    // policy still uses it would crash the process
    if let Ok(artifact) = std::fs::read(&file) {
        // SAFETY: `deserialize` must only see what `Component::serialize` wrote for an
        // engine with the same compatibility hash. The file name carries that hash and
        // the component's own digest, and only this function writes such names; the
        // cache directory is the user's, trusted like the pacto binary itself. wasmtime
        // still checks the artifact's header and version and refuses a mismatch.
        #[allow(unsafe_code)]
        let cached = unsafe { Component::deserialize(engine, &artifact) };
        if let Ok(component) = cached {
            // used now: the last to go when the cache is pruned
            if let Ok(f) = std::fs::File::options().write(true).open(&file) {
                let _ = f.set_modified(SystemTime::now());
            }
            return Ok(component);
        }
    }
    let component = Component::new(engine, bytes)?;
    if let Ok(artifact) = component.serialize() {
        let _ = std::fs::create_dir_all(dir);
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            key(engine, bytes),
            std::process::id()
        ));
        if std::fs::write(&tmp, artifact).is_ok() {
            if std::fs::rename(&tmp, &file).is_err() {
                let _ = std::fs::remove_file(&tmp);
            } else {
                prune(dir, &file, max_bytes());
            }
        }
    }
    Ok(component)
}

/// `$PACTO_CACHE_MAX_MB` in bytes (1024 MiB when unset or not a number).
fn max_bytes() -> u64 {
    std::env::var("PACTO_CACHE_MAX_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1024)
        .saturating_mul(1 << 20)
}

/// Removes the least recently modified artifacts (`*.cwasm`) of `dir` but `keep` until
/// the rest fit in `max` bytes. A file that cannot be read or removed is left alone:
/// another process may be using or replacing it.
fn prune(dir: &Path, keep: &Path, max: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut artifacts: Vec<(SystemTime, u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .filter_map(|p| {
            let meta = std::fs::metadata(&p).ok()?;
            Some((meta.modified().ok()?, meta.len(), p))
        })
        .collect();
    let mut total: u64 = artifacts.iter().map(|(_, len, _)| len).sum();
    artifacts.sort();
    for (_, len, path) in artifacts {
        if total <= max {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prune;
    use std::time::{Duration, SystemTime};

    #[test]
    fn the_least_recently_used_artifacts_go_first_and_the_new_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        let day = Duration::from_secs(86_400);
        let write = |name: &str, bytes: usize, age_days: u32| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![0u8; bytes]).unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(SystemTime::now() - day * age_days).unwrap();
            path
        };
        write("old.cwasm", 400, 9);
        write("older.cwasm", 400, 20);
        let recent = write("recent.cwasm", 400, 1);
        let note = write("notes.txt", 5_000, 30);
        let new = write("new.cwasm", 600, 0);
        // 1,800 bytes of artifacts, 1,000 allowed: the two oldest go
        prune(dir.path(), &new, 1_000);
        let left = |name: &str| dir.path().join(name).exists();
        assert!(!left("older.cwasm") && !left("old.cwasm"));
        assert!(left("recent.cwasm") && left("new.cwasm"));
        assert!(note.exists(), "only artifacts are pruned");
        // the one just written stays even alone above the cap
        prune(dir.path(), &new, 10);
        assert!(new.exists() && !recent.exists());
    }
}
