//! Lanes: per-core shares of what the sandboxes keep between decisions (Wasm engines and
//! their instance pools, pooled Rhai engines), so two cores deciding at once do not
//! write the same cache lines (reference counts, slot lists, a pool's lock) on every
//! decision. Which lane a decision takes changes nothing in it: every lane runs the same
//! compiled policy from the same initial state.

/// Lanes at most, whatever the core count: each holds its own copy of what it serves.
pub(crate) const MAX_LANES: usize = 8;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get())
}

/// Lanes: one per core, at most [`MAX_LANES`], or `$PACTO_LANES` (1 to [`MAX_LANES`]; 1
/// makes instruction counts repeatable, as every decision then takes the same path
/// whatever core it runs on).
pub(crate) fn count() -> usize {
    static COUNT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *COUNT.get_or_init(|| {
        std::env::var("PACTO_LANES")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| (1..=MAX_LANES).contains(n))
            .unwrap_or_else(|| cores().clamp(1, MAX_LANES))
    })
}

/// The lane for work starting now, below `lanes`: the current core's (Linux), or the
/// calling thread's, spread round-robin, elsewhere.
pub(crate) fn current(lanes: usize) -> usize {
    if lanes <= 1 {
        return 0;
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `sched_getcpu` takes no arguments and touches no memory of ours; it
        // returns the CPU number or -1.
        #[allow(unsafe_code)]
        let cpu = unsafe { libc::sched_getcpu() };
        if let Ok(cpu) = usize::try_from(cpu) {
            return cpu % lanes;
        }
    }
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local!(static MINE: usize = NEXT.fetch_add(1, Ordering::Relaxed));
    MINE.with(|n| *n % lanes)
}
