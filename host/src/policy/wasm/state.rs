//! What a guest's store holds for its one decision: a WASI context that grants nothing,
//! the memory limiter, the decision's output sinks, and its [`Context`], which the `sla`
//! imports read.

use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::SmallRng;
use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{
    HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView,
};

use super::bindings::pacto::policy::{sla, types};
use super::convert;
use super::output::OutputSink;
use crate::policy::Context;

pub(super) struct HostState {
    /// Built on the guest's first WASI call: most decisions make none, and building
    /// one (boxed clocks and generators, seeded from the OS) is a tenth of what the
    /// host spends on a decision.
    wasi: Option<WasiCtx>,
    table: ResourceTable,
    pub limiter: Limiter,
    /// Made with the WASI context: a decision without it wrote nothing.
    stderr: Option<OutputSink>,
    /// The decision being made, for the `sla` imports.
    ctx: Option<Context>,
}

/// `memory_mb` as wasmtime's `StoreLimits`, remembering whether the guest hit it, so a
/// failed grow is reported as [`LimitExceeded::Memory`](crate::LimitExceeded::Memory)
/// by type, not by reading the trap's message.
pub(super) struct Limiter {
    limits: StoreLimits,
    pub memory_exceeded: bool,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum);
        if !matches!(allowed, Ok(true)) {
            self.memory_exceeded = true;
        }
        allowed
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }
    fn tables(&self) -> usize {
        self.limits.tables()
    }
    fn memories(&self) -> usize {
        self.limits.memories()
    }
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

impl HostState {
    /// A fresh state for one decision (or for the check at load, with no context).
    pub fn new(memory_bytes: usize, ctx: Option<Context>) -> Self {
        let limits = StoreLimitsBuilder::new()
            .memory_size(memory_bytes)
            .trap_on_grow_failure(true)
            .build();
        HostState {
            wasi: None,
            table: ResourceTable::new(),
            limiter: Limiter {
                limits,
                memory_exceeded: false,
            },
            stderr: None,
            ctx,
        }
    }

    /// What the guest wrote to stderr in this decision.
    pub fn stderr(&self) -> String {
        self.stderr
            .as_ref()
            .map(OutputSink::text)
            .unwrap_or_default()
    }

    /// Runs a host function on this decision's context. At load (`describe`, start-up)
    /// there is no case: the call fails as a calendar the bundle does not have would.
    ///
    /// Each call counts against `max_host_calls`; past it the guest traps (it cannot
    /// catch a trap and go on) and `Policy::decide` reports the limit.
    fn with_context<T>(
        &self,
        f: impl FnOnce(&Context) -> Result<T, types::SlaError>,
    ) -> wasmtime::Result<Result<T, types::SlaError>> {
        let Some(ctx) = self.ctx.as_ref() else {
            return Ok(Err(types::SlaError::UnknownCalendar(
                types::UnknownCalendar {
                    name: "(no decision: sla functions are only available inside `decide`)".into(),
                    known: Vec::new(),
                },
            )));
        };
        ctx.charge_host_call()?;
        Ok(f(ctx))
    }
}

/// A WASI context that grants nothing, with fixed clocks and randomness; stdout goes
/// nowhere, boundedly, and stderr to `stderr`, kept for a panic's message.
fn wasi(stderr: &OutputSink) -> WasiCtx {
    WasiCtxBuilder::new()
        .stdout(OutputSink::default())
        .stderr(stderr.clone())
        .wall_clock(Frozen)
        .monotonic_clock(Frozen)
        .secure_random(SmallRng::seed_from_u64(0))
        .insecure_random(SmallRng::seed_from_u64(0))
        .insecure_random_seed(0)
        .build()
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        let stderr = self.stderr.get_or_insert_with(OutputSink::default);
        WasiCtxView {
            ctx: self.wasi.get_or_insert_with(|| wasi(stderr)),
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
    ) -> wasmtime::Result<Result<types::Reading, types::SlaError>> {
        self.with_context(|ctx| convert::clock(ctx, metric, &calendar, minutes))
    }

    fn add_business_minutes(
        &mut self,
        calendar: String,
        start: i64,
        minutes: i64,
    ) -> wasmtime::Result<Result<i64, types::SlaError>> {
        self.with_context(|ctx| convert::add_business_minutes(ctx, &calendar, start, minutes))
    }

    fn business_minutes_between(
        &mut self,
        calendar: String,
        start: i64,
        end: i64,
    ) -> wasmtime::Result<Result<i64, types::SlaError>> {
        self.with_context(|ctx| convert::business_minutes_between(ctx, &calendar, start, end))
    }

    fn is_business_time(
        &mut self,
        calendar: String,
        at: i64,
    ) -> wasmtime::Result<Result<bool, types::SlaError>> {
        self.with_context(|ctx| convert::is_business_time(ctx, &calendar, at))
    }
}
