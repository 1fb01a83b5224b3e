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
/// time, four per core (decisions are CPU-bound), at least 16 and at most 256, or
/// `$PACTO_WASM_SLOTS` (1 to 4096). A decision past this waits for a slot. Each slot
/// reserves (but does not commit) about 4 GiB of address space for its linear memory,
/// as wasmtime's default reservation lets compiled code skip bounds checks.
fn slots() -> u32 {
    if let Some(n) = std::env::var("PACTO_WASM_SLOTS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (1..=4096).contains(n))
    {
        return n;
    }
    let cores = std::thread::available_parallelism().map_or(4, |n| n.get());
    u32::try_from(cores.saturating_mul(4))
        .unwrap_or(u32::MAX)
        .clamp(16, 256)
}

/// A handle on the shared engine, with the compiled-component cache a Pacto `Engine`
/// asked for. Cheap to clone.
#[derive(Clone)]
pub(crate) struct WasmRuntime {
    shared: Arc<Shared>,
    cache_dir: Option<PathBuf>,
}

struct Shared {
    engine: wasmtime::Engine,
    gate: Mutex<Gate>,
    freed: Condvar,
}

/// Free slots, and how many decisions wait for one (so a slot given back wakes someone
/// only when someone waits: a condvar's notify is a system call even with no waiter).
struct Gate {
    free: u32,
    waiting: u32,
}

/// A slot held for one instantiation; given back on drop.
pub(super) struct Slot<'a>(&'a Shared);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut gate = self.0.gate.lock().unwrap_or_else(|e| e.into_inner());
        gate.free += 1;
        if gate.waiting > 0 {
            self.0.freed.notify_one();
        }
    }
}

/// How instances are allocated, best first.
#[derive(Clone, Copy)]
enum Allocation {
    /// A pool whose slots are reset by rewriting the pages a decision dirtied.
    PoolRewritingDirtyPages(u32),
    /// A pool whose slots are reset by `madvise` (a kernel without PAGEMAP_SCAN).
    Pool(u32),
    /// An instance allocated per decision, on demand.
    OnDemand,
}

/// The engine's settings for `allocation`; every one gives each decision its own
/// instance.
fn config(allocation: Allocation) -> Config {
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .consume_fuel(true)
        .epoch_interruption(true)
        .memory_init_cow(true);
    let (Allocation::PoolRewritingDirtyPages(slots) | Allocation::Pool(slots)) = allocation else {
        return config;
    };
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(slots)
        // a Rust component has a few core instances and tables (its module and the
        // canonical ABI's shims) and one memory
        .total_core_instances(slots * 8)
        .total_tables(slots * 8)
        .total_memories(slots);
    if let Allocation::PoolRewritingDirtyPages(_) = allocation {
        // a slot given back is reset by rewriting the pages the decision dirtied
        // (found with Linux's PAGEMAP_SCAN, kernel 6.7 on) rather than by
        // `madvise`, which would page-fault them all back in next time: 39.5 ->
        // 17.1 µs a decision (BENCHMARKS.md). What stays resident is what decisions
        // touch, at most `memory_mb` (16 MiB by default) per slot. Without the
        // ioctl, the keep-resident region would be rewritten whole: not worth it.
        pool.linear_memory_keep_resident(16 << 20)
            .table_keep_resident(1 << 20)
            .pagemap_scan(wasmtime::Enabled::Yes);
    }
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    config
}

fn shared() -> Result<Arc<Shared>, String> {
    static SHARED: OnceLock<Result<Arc<Shared>, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let slots = slots();
            // the pool reserves its address space up front; where that is refused (a
            // `ulimit -v`, valgrind), instances are allocated on demand instead: the
            // same isolation, a few more system calls per decision. The first that
            // starts wins.
            let engine = wasmtime::Engine::new(&config(Allocation::PoolRewritingDirtyPages(slots)))
                .or_else(|_| wasmtime::Engine::new(&config(Allocation::Pool(slots))))
                .or_else(|_| wasmtime::Engine::new(&config(Allocation::OnDemand)))
                .map_err(|e| format!("{e:#}"))?;
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
                gate: Mutex::new(Gate {
                    free: slots,
                    waiting: 0,
                }),
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
        let mut gate = s.gate.lock().unwrap_or_else(|e| e.into_inner());
        while gate.free == 0 {
            gate.waiting += 1;
            gate = s.freed.wait(gate).unwrap_or_else(|e| e.into_inner());
            gate.waiting -= 1;
        }
        gate.free -= 1;
        Slot(s)
    }
}
