//! The WebAssembly sandbox: a policy compiled to a component (the WIT world in `wit/`),
//! run by wasmtime with WASI linked but nothing granted — no files, environment,
//! arguments, sockets or stdio, and clocks and randomness replaced by fixed ones.
//!
//! Per decision: fuel (`[limits] fuel`), a wall-clock deadline through epoch
//! interruption (`timeout_ms`), and a linear-memory cap (`memory_mb`). Instantiation is
//! paid once: instances are pooled and reused; an instance that trapped is dropped (a
//! trap poisons it) and the next decision gets a fresh one.

mod cache;
mod convert;
mod state;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Store, StoreLimitsBuilder, Trap};

use self::state::HostState;
use crate::bundle::{Bundle, BundleError, Limits};
use crate::calendar::Calendar;
use crate::case::Case;
use crate::decision::PolicyOutput;
use crate::engine::{Backend, DecideError, LimitExceeded};
use crate::error::Location;
use crate::sla::{OwnedSla, Sla};
use crate::timeline::Timeline;

mod bindings {
    #![allow(missing_docs)]
    wasmtime::component::bindgen!({ path: "../wit", world: "policy" });
}

/// How often the epoch advances: the resolution of `timeout_ms`.
const EPOCH_TICK: Duration = Duration::from_millis(1);

/// One wasmtime engine per Pacto engine, with its epoch ticker.
pub(crate) struct WasmRuntime {
    engine: wasmtime::Engine,
    cache_dir: Option<std::path::PathBuf>,
}

impl WasmRuntime {
    pub(crate) fn new(cache_dir: Option<std::path::PathBuf>) -> Result<Self, String> {
        let mut config = wasmtime::Config::new();
        config.wasm_component_model(true);
        config.consume_fuel(true);
        config.epoch_interruption(true);
        let engine = wasmtime::Engine::new(&config).map_err(|e| format!("{e:#}"))?;
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
        Ok(WasmRuntime { engine, cache_dir })
    }
}

struct Instance {
    store: Store<HostState>,
    policy: bindings::Policy,
}

pub(crate) struct WasmBackend {
    engine: wasmtime::Engine,
    pre: bindings::PolicyPre<HostState>,
    limits: Limits,
    calendars: Arc<BTreeMap<String, Calendar>>,
    pool: Mutex<Vec<Instance>>,
}

impl WasmBackend {
    pub(crate) fn load(
        runtime: &WasmRuntime,
        bundle: &Bundle,
        calendars: Arc<BTreeMap<String, Calendar>>,
    ) -> Result<Self, BundleError> {
        let file = bundle.entry.display().to_string();
        let refuse = |message: String| BundleError::Policy {
            location: Location {
                file: file.clone(),
                line: 0,
                column: 0,
                span: 0..0,
            },
            message,
        };
        let component = cache::load(
            &runtime.engine,
            &bundle.entry_bytes,
            runtime.cache_dir.as_deref(),
        )
        .map_err(|e| refuse(format!("not a usable WebAssembly component: {e:#}")))?;
        let mut linker = Linker::<HostState>::new(&runtime.engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(|e| refuse(format!("{e:#}")))?;
        bindings::Policy::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)
            .map_err(|e| refuse(format!("{e:#}")))?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(|e| refuse(format!("the component cannot be linked: {e:#}")))?;
        let pre = bindings::PolicyPre::new(pre).map_err(|e| {
            refuse(format!(
                "the component does not export the `pacto:policy/policy` world: {e:#}"
            ))
        })?;
        let backend = WasmBackend {
            engine: runtime.engine.clone(),
            pre,
            limits: bundle.limits.clone(),
            calendars,
            pool: Mutex::new(Vec::new()),
        };
        // build once, fail once: a component that traps while starting, or that is not
        // the policy its policy.toml names, is refused now
        let mut first = backend
            .instantiate()
            .map_err(|e| refuse(format!("the component fails to start: {e}")))?;
        let described = first.policy.call_describe(&mut first.store).map_err(|e| {
            refuse(format!(
                "`describe` failed: {}",
                backend.trap(&e, &first.store)
            ))
        })?;
        if described.name != bundle.name || described.version != bundle.version {
            return Err(refuse(format!(
                "the component describes itself as `{} {}` but policy.toml says `{} {}`; rebuild it with `pacto build`",
                described.name, described.version, bundle.name, bundle.version
            )));
        }
        backend.give_back(first);
        Ok(backend)
    }

    fn arm(&self, store: &mut Store<HostState>) -> Result<(), DecideError> {
        store
            .set_fuel(self.limits.fuel)
            .map_err(|e| DecideError::Policy {
                location: None,
                message: format!("{e:#}"),
            })?;
        store.set_epoch_deadline(
            self.limits
                .timeout_ms
                .div_ceil(EPOCH_TICK.as_millis() as u64)
                .max(1),
        );
        store.epoch_deadline_trap();
        Ok(())
    }

    fn instantiate(&self) -> Result<Instance, DecideError> {
        let memory =
            usize::try_from(self.limits.memory_mb.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
        let limits = StoreLimitsBuilder::new()
            .memory_size(memory)
            .trap_on_grow_failure(true)
            .build();
        let mut store = Store::new(&self.engine, HostState::new(limits));
        store.limiter(|s| &mut s.limits);
        // instantiation runs guest code: arm the limits first
        self.arm(&mut store)?;
        match self.pre.instantiate(&mut store) {
            Ok(policy) => Ok(Instance { store, policy }),
            Err(e) => Err(self.trap(&e, &store)),
        }
    }

    fn give_back(&self, instance: Instance) {
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(instance);
        }
    }

    /// What a failed call means: a limit, a guest panic (with its message), or a trap.
    fn trap(&self, e: &wasmtime::Error, store: &Store<HostState>) -> DecideError {
        let l = &self.limits;
        match e.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => LimitExceeded::Fuel(l.fuel).into(),
            Some(Trap::Interrupt) => LimitExceeded::Timeout(l.timeout_ms).into(),
            Some(Trap::StackOverflow) => LimitExceeded::Stack.into(),
            Some(trap) => {
                let stderr = store.data().stderr.contents();
                let said = String::from_utf8_lossy(&stderr);
                let said = said.trim();
                let message = match said.rfind("panicked at") {
                    Some(i) => format!("the policy panicked: {}", said[i..].trim()),
                    None if !said.is_empty() => format!("the policy trapped ({trap}): {said}"),
                    None => format!("the policy trapped: {trap}"),
                };
                DecideError::Policy {
                    location: None,
                    message,
                }
            }
            None if format!("{e:#}").contains("forcing trap when growing memory") => {
                LimitExceeded::Memory(l.memory_mb).into()
            }
            None => DecideError::Policy {
                location: None,
                message: format!("{e:#}"),
            },
        }
    }
}

impl Backend for WasmBackend {
    fn decide(
        &self,
        case: &Case,
        timeline: &Arc<Timeline>,
        sla: &Sla<'_>,
    ) -> Result<PolicyOutput, DecideError> {
        let pooled = self.pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let mut instance = match pooled {
            Some(i) => i,
            None => self.instantiate()?,
        };
        self.arm(&mut instance.store)?;
        instance.store.data_mut().current = Some(OwnedSla::new(&self.calendars, timeline, sla));
        let ticket = convert::case(case, sla.timeline);
        let result = instance
            .policy
            .call_decide(&mut instance.store, &ticket, sla.now.as_second());
        instance.store.data_mut().current = None;
        match result {
            Ok(answer) => {
                self.give_back(instance);
                match answer {
                    Ok(decision) => Ok(convert::decision(decision)),
                    Err(e) => Err(DecideError::Policy {
                        location: None,
                        message: e.message,
                    }),
                }
            }
            // a trap poisons the instance: drop it, the next decision gets a new one
            Err(e) => Err(self.trap(&e, &instance.store)),
        }
    }
}
