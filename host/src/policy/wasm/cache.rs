//! Compiled components cached on disk, so a second load skips compilation.
//!
//! A cache file is named by the SHA-256 of the component's bytes and a hash of the
//! engine's `precompile_compatibility_hash` (wasmtime version, target and every
//! `Config` setting that changes code, such as fuel metering), so an artifact is only
//! ever loaded by an engine that could have produced it. Files are written to a
//! temporary name and renamed, so a reader never sees half a file. Any failure to read
//! or write the cache falls back to compiling.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

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
        if std::fs::write(&tmp, artifact).is_ok() && std::fs::rename(&tmp, &file).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Ok(component)
}
