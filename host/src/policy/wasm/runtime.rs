//! The wasmtime engine every Wasm policy of the process shares: one pooling allocator
//! (instance slots reused with copy-on-write memory images), one epoch ticker, and a
//! gate that makes a decision wait for a free slot rather than fail when every slot is
//! in use.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Config, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How often the epoch advances: the resolution of `timeout_ms`.
const EPOCH_TICK: Duration = Duration::from_millis(1);

/// Component instances alive at once, process-wide: decisions in flight at the same
/// time. A decision past this waits for a slot.
pub(super) const SLOTS: u32 = 256;

/// A handle on the shared engine, with the compiled-component cache a Pacto `Engine`
/// asked for. Cheap to clone.
#[derive(Clone)]
pub(crate) struct WasmRuntime {
    shared: Arc<Shared>,
    cache_dir: Option<PathBuf>,
}

struct Shared {
    engine: wasmtime::Engine,
    free: Mutex<u32>,
    freed: Condvar,
}

/// A slot held for one instantiation; given back on drop.
pub(super) struct Slot<'a>(&'a Shared);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

fn config() -> Config {
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(SLOTS)
        // a Rust component has a few core instances and tables (its module and the
        // canonical ABI's shims) and one memory
        .total_core_instances(SLOTS * 8)
        .total_tables(SLOTS * 8)
        .total_memories(SLOTS * 2);
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .consume_fuel(true)
        .epoch_interruption(true)
        .memory_init_cow(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    config
}

fn shared() -> Result<Arc<Shared>, String> {
    static SHARED: OnceLock<Result<Arc<Shared>, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let engine = wasmtime::Engine::new(&config()).map_err(|e| format!("{e:#}"))?;
            let weak = engine.weak();
            std::thread::Builder::new()
                .name("pacto-epoch".into())
                .spawn(move || {
                    while let Some(engine) = weak.upgrade() {
                        engine.increment_epoch();
                        drop(engine);
                        std::thread::sleep(EPOCH_TICK);
                    }
                })
                .map_err(|e| format!("cannot start the epoch thread: {e}"))?;
            Ok(Arc::new(Shared {
                engine,
                free: Mutex::new(SLOTS),
                freed: Condvar::new(),
            }))
        })
        .clone()
}

impl WasmRuntime {
    pub(crate) fn new(cache_dir: Option<PathBuf>) -> Result<Self, String> {
        Ok(WasmRuntime {
            shared: shared()?,
            cache_dir,
        })
    }

    pub(super) fn engine(&self) -> &wasmtime::Engine {
        &self.shared.engine
    }

    pub(super) fn cache_dir(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }

    /// Epoch ticks for a deadline of `timeout_ms`.
    pub(super) fn epoch_ticks(&self, timeout_ms: u64) -> u64 {
        timeout_ms.div_ceil(EPOCH_TICK.as_millis() as u64).max(1)
    }

    /// Waits for a free instance slot.
    pub(super) fn slot(&self) -> Slot<'_> {
        let s = &*self.shared;
        let mut free = s.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = s.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Slot(s)
    }
}
