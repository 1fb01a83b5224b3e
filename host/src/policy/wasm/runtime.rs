//! The wasmtime engines every Wasm policy of the process shares: one *lane* per core
//! ([`crate::lane`]), each an engine with its own pooling allocator (instance slots
//! reused with copy-on-write memory images) and its own gate, which makes a decision
//! wait for a free slot rather than fail when every slot is in use; one epoch ticker
//! for them all.
//!
//! A decision runs on the lane of the core it runs on. Two cores deciding with one
//! engine and one linked component wrote the same cache lines on every instantiation
//! (the pool's slot lists, the engine's and the component's reference counts, the
//! gate), and two threads decided 1.43× as fast as one; with a lane each, about 1.8×
//! (BENCHMARKS.md, "Lanes"). Every lane instantiates the same compiled component, so a
//! decision is the same on any lane.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

use wasmtime::{Config, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How often the epoch advances: the resolution of `timeout_ms`.
const EPOCH_TICK: Duration = Duration::from_millis(1);

/// Component instances alive at once, process-wide: decisions in flight at the same
/// time, four per core (decisions are CPU-bound), at least 16 and at most 256, or
/// `$PACTO_WASM_SLOTS` (1 to 4096), shared out between the lanes (at least 4 each). A
/// decision past its lane's share waits for a slot. Each slot reserves (but does not
/// commit) about 4 GiB of address space for its linear memory, as wasmtime's default
/// reservation lets compiled code skip bounds checks.
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

/// A handle on the shared lanes, with the compiled-component cache a Pacto `Engine`
/// asked for. Cheap to clone.
#[derive(Clone)]
pub(crate) struct WasmRuntime {
    lanes: Arc<[Lane]>,
    cache_dir: Option<PathBuf>,
}

/// One engine, its pool of instance slots and the gate in front of it.
pub(super) struct Lane {
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
pub(super) struct Slot<'a>(&'a Lane);

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

fn lanes() -> Result<Arc<[Lane]>, String> {
    static LANES: OnceLock<Result<Arc<[Lane]>, String>> = OnceLock::new();
    LANES
        .get_or_init(|| {
            let count = crate::lane::count();
            let per_lane = slots().div_ceil(count as u32).max(4);
            let lanes = (0..count)
                .map(|_| {
                    // the pool reserves its address space up front; where that is
                    // refused (a `ulimit -v`, valgrind), instances are allocated on
                    // demand instead: the same isolation, a few more system calls per
                    // decision. The first that starts wins.
                    let engine = wasmtime::Engine::new(&config(
                        Allocation::PoolRewritingDirtyPages(per_lane),
                    ))
                    .or_else(|_| wasmtime::Engine::new(&config(Allocation::Pool(per_lane))))
                    .or_else(|_| wasmtime::Engine::new(&config(Allocation::OnDemand)))
                    .map_err(|e| format!("{e:#}"))?;
                    Ok(Lane {
                        engine,
                        gate: Mutex::new(Gate {
                            free: per_lane,
                            waiting: 0,
                        }),
                        freed: Condvar::new(),
                    })
                })
                .collect::<Result<Vec<Lane>, String>>()?;
            let weak: Vec<_> = lanes.iter().map(|l| l.engine.weak()).collect();
            std::thread::Builder::new()
                .name("pacto-epoch".into())
                .spawn(move || {
                    loop {
                        let mut alive = false;
                        for engine in weak.iter().filter_map(|w| w.upgrade()) {
                            engine.increment_epoch();
                            alive = true;
                        }
                        if !alive {
                            return;
                        }
                        std::thread::sleep(EPOCH_TICK);
                    }
                })
                .map_err(|e| format!("cannot start the epoch thread: {e}"))?;
            Ok(Arc::from(lanes))
        })
        .clone()
}

impl WasmRuntime {
    pub(crate) fn new(cache_dir: Option<PathBuf>) -> Result<Self, String> {
        Ok(WasmRuntime {
            lanes: lanes()?,
            cache_dir,
        })
    }

    /// Every lane, in order; a policy is linked into each.
    pub(super) fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    /// The lane a decision starting now should use, by index into [`lanes`](Self::lanes).
    pub(super) fn current_lane(&self) -> usize {
        crate::lane::current(self.lanes.len())
    }

    pub(super) fn cache_dir(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }

    /// Epoch ticks for a deadline of `timeout_ms`.
    pub(super) fn epoch_ticks(&self, timeout_ms: u64) -> u64 {
        timeout_ms.div_ceil(EPOCH_TICK.as_millis() as u64).max(1)
    }
}

impl Lane {
    pub(super) fn engine(&self) -> &wasmtime::Engine {
        &self.engine
    }

    /// Waits for a free instance slot.
    pub(super) fn slot(&self) -> Slot<'_> {
        let mut gate = self.gate.lock().unwrap_or_else(|e| e.into_inner());
        while gate.free == 0 {
            gate.waiting += 1;
            gate = self.freed.wait(gate).unwrap_or_else(|e| e.into_inner());
            gate.waiting -= 1;
        }
        gate.free -= 1;
        Slot(self)
    }
}
