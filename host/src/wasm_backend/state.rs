//! What a guest's store holds: a WASI context that grants nothing, resource limits,
//! and the decision being made, which the `sla` imports read.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::SmallRng;
use wasmtime::StoreLimits;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{
    HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView,
};

use super::bindings::pacto::policy::{sla, types};
use super::convert;
use crate::sla::{OwnedSla, Sla};

pub(super) struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub limits: StoreLimits,
    pub stderr: MemoryOutputPipe,
    /// The decision being made, for the `sla` imports; set for the length of one call.
    pub current: Option<OwnedSla>,
}

/// A clock that never moves: a guest cannot observe real time.
struct Frozen;

impl HostWallClock for Frozen {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

impl HostMonotonicClock for Frozen {
    fn resolution(&self) -> u64 {
        1_000_000_000
    }
    fn now(&self) -> u64 {
        0
    }
}

/// How much of a guest's stderr is kept (for a panic message).
const STDERR_CAPACITY: usize = 16 * 1024;

impl HostState {
    pub fn new(limits: StoreLimits) -> Self {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtxBuilder::new()
            .stderr(stderr.clone())
            .wall_clock(Frozen)
            .monotonic_clock(Frozen)
            .secure_random(SmallRng::seed_from_u64(0))
            .insecure_random(SmallRng::seed_from_u64(0))
            .insecure_random_seed(0)
            .build();
        HostState {
            wasi,
            table: ResourceTable::new(),
            limits,
            stderr,
            current: None,
        }
    }

    fn with_sla<T>(
        &self,
        f: impl FnOnce(&Sla<'_>) -> Result<T, crate::sla::SlaError>,
    ) -> Result<T, String> {
        self.current
            .as_ref()
            .ok_or("sla functions are only available inside `decide`")?
            .with(f)
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for HostState {}

impl sla::Host for HostState {
    fn clock(
        &mut self,
        metric: types::Metric,
        calendar: String,
        minutes: i64,
    ) -> Result<types::Reading, String> {
        let metric = convert::metric_from_wit(metric);
        self.with_sla(|sla| sla.clock(metric.as_str(), &calendar, minutes))
            .map(|c| convert::reading(&c))
    }

    fn add_business_minutes(
        &mut self,
        calendar: String,
        start: i64,
        minutes: i64,
    ) -> Result<i64, String> {
        self.with_sla(|sla| sla.add_business_minutes(&calendar, start, minutes))
    }

    fn business_minutes_between(
        &mut self,
        calendar: String,
        start: i64,
        end: i64,
    ) -> Result<i64, String> {
        self.with_sla(|sla| sla.business_minutes_between(&calendar, start, end))
    }

    fn is_business_time(&mut self, calendar: String, at: i64) -> Result<bool, String> {
        self.with_sla(|sla| sla.is_business_time(&calendar, at))
    }
}
