//! The WebAssembly sandbox: a policy compiled to a component (the WIT world in `wit/`),
//! run by wasmtime with WASI linked but nothing granted — no files, environment,
//! arguments or sockets; clocks and randomness replaced by fixed ones; stdout and stderr
//! captured per decision in bounded sinks.
//!
//! **Every decision gets a fresh instance.** A component is linked once at load
//! (`InstancePre`); each decision makes a new `Store` and instantiates into it from
//! wasmtime's pooling allocator, whose slots come back with copy-on-write memory images
//! of the component's initial state. So a guest's globals, heap and output never carry
//! from one decision to the next, and a trap poisons nothing but the store it happened
//! in. Per decision: fuel (`[limits] fuel`), a wall-clock deadline through epoch
//! interruption (`timeout_ms`), and a linear-memory cap (`memory_mb`).

mod cache;
mod convert;
mod output;
mod runtime;
mod state;

use wasmtime::Store;
use wasmtime::Trap;
use wasmtime::component::{Component, ComponentExportIndex, HasSelf, Linker, TypedFunc};

use self::bindings::pacto::policy::types as wit;
pub(crate) use self::runtime::WasmRuntime;
use self::state::HostState;
use crate::bundle::{Bundle, BundleError, Limits};
use crate::case::Case;
use crate::decision::PolicyOutput;
use crate::error::Location;
use crate::policy::{Backend, Context, DecideError, LimitExceeded};

/// The version of the `pacto:policy` WIT package this host implements.
pub(crate) const WIT_VERSION: &str = "0.3.0";

/// A component built against another version of `pacto:policy` is refused by name,
/// before linking would fail on a missing import.
fn check_version(engine: &wasmtime::Engine, component: &Component) -> Result<(), String> {
    for (name, _) in component.component_type().imports(engine) {
        let Some(interface) = name.strip_prefix("pacto:policy/") else {
            continue;
        };
        let version = interface.split_once('@').map_or("(none)", |(_, v)| v);
        if version != WIT_VERSION {
            return Err(format!(
                "the component was built against `pacto:policy@{version}`, but this host \
                 implements `pacto:policy@{WIT_VERSION}`; rebuild it against the current \
                 `pacto-guest` (`pacto build`)"
            ));
        }
    }
    Ok(())
}

mod bindings {
    #![allow(missing_docs)]
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "policy",
        // the `sla` functions can trap (past `max_host_calls`)
        imports: { "pacto:policy/sla": trappable },
    });
}

/// The `decide` export, typed as `bindgen!` types it.
type DecideFn<'a> =
    TypedFunc<(&'a wit::SupportCase, i64), (Result<wit::Decision, wit::PolicyError>,)>;

pub(crate) struct WasmBackend {
    runtime: WasmRuntime,
    /// The component linked into each of the runtime's lanes, in the same order.
    linked: Box<[Linked]>,
    limits: Limits,
    /// `memory_mb` in bytes and `timeout_ms` in epoch ticks, worked out at load.
    memory_bytes: usize,
    epoch_ticks: u64,
}

/// The component as one lane's engine runs it.
struct Linked {
    pre: bindings::PolicyPre<HostState>,
    /// Where `decide` is among the component's exports, found once at load; its type
    /// was checked then too (`PolicyPre::new`), so a decision neither looks it up by
    /// name nor type-checks it again.
    decide: ComponentExportIndex,
}

/// Links `component` for `engine`'s instances.
fn link(engine: &wasmtime::Engine, component: &Component) -> Result<Linked, String> {
    let mut linker = Linker::<HostState>::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(|e| format!("{e:#}"))?;
    bindings::Policy::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)
        .map_err(|e| format!("{e:#}"))?;
    let pre = linker
        .instantiate_pre(component)
        .map_err(|e| format!("the component cannot be linked: {e:#}"))?;
    let pre = bindings::PolicyPre::new(pre).map_err(|e| {
        format!("the component does not export the `pacto:policy/policy` world: {e:#}")
    })?;
    let decide = component
        .get_export_index(None, "decide")
        .ok_or_else(|| "the component does not export `decide`".to_owned())?;
    Ok(Linked { pre, decide })
}

/// The component compiled for lane 0's engine, loaded into another lane's.
fn copy_for(engine: &wasmtime::Engine, artifact: &[u8]) -> wasmtime::Result<Component> {
    // SAFETY: `deserialize` must only see what `Component::serialize` wrote for an
    // engine with the same compatibility hash. `artifact` was serialized a moment ago by
    // lane 0's engine, and every lane's engine is made from the same `Config`
    // (`runtime::config`); wasmtime checks the header and settings again anyway.
    #[allow(unsafe_code)]
    unsafe {
        Component::deserialize(engine, artifact)
    }
}

impl WasmBackend {
    pub(crate) fn load(runtime: &WasmRuntime, bundle: &Bundle) -> Result<Self, BundleError> {
        let file = bundle.entry.display().to_string();
        let refuse = |message: String| BundleError::Policy {
            location: Location::file(file.clone()),
            message,
        };
        let lanes = runtime.lanes();
        let first = lanes[0].engine();
        let component = cache::load(first, &bundle.entry_bytes, runtime.cache_dir())
            .map_err(|e| refuse(format!("not a usable WebAssembly component: {e:#}")))?;
        check_version(first, &component).map_err(&refuse)?;
        let mut linked = vec![link(first, &component).map_err(&refuse)?];
        if lanes.len() > 1 {
            let artifact = component
                .serialize()
                .map_err(|e| refuse(format!("the compiled component cannot be copied: {e:#}")))?;
            for lane in &lanes[1..] {
                let copy = copy_for(lane.engine(), &artifact).map_err(|e| {
                    refuse(format!("the compiled component cannot be copied: {e:#}"))
                })?;
                linked.push(link(lane.engine(), &copy).map_err(&refuse)?);
            }
        }
        let backend = WasmBackend {
            runtime: runtime.clone(),
            linked: linked.into(),
            limits: bundle.limits.clone(),
            memory_bytes: usize::try_from(bundle.limits.memory_mb.saturating_mul(1 << 20))
                .unwrap_or(usize::MAX),
            epoch_ticks: runtime.epoch_ticks(bundle.limits.timeout_ms),
        };
        off_the_executor(|| backend.check(bundle)).map_err(refuse)?;
        Ok(backend)
    }

    /// Build once, fail once: a component that traps while starting, or that is not the
    /// policy its policy.toml names, is refused at load.
    fn check(&self, bundle: &Bundle) -> Result<(), String> {
        let backend = self;
        let refuse = |message: String| message;
        let lane = &backend.runtime.lanes()[0];
        let _slot = lane.slot();
        let mut store = backend.store(lane.engine(), None);
        let policy = backend.linked[0].pre.instantiate(&mut store).map_err(|e| {
            refuse(format!(
                "the component fails to start: {}",
                backend.trap(&e, &store)
            ))
        })?;
        let described = policy
            .call_describe(&mut store)
            .map_err(|e| refuse(format!("`describe` failed: {}", backend.trap(&e, &store))))?;
        if described.name != bundle.name || described.version != bundle.version {
            return Err(refuse(format!(
                "the component describes itself as `{} {}` but policy.toml says `{} {}`; make the guest's `describe()` and policy.toml agree, then `pacto build` it again",
                described.name, described.version, bundle.name, bundle.version
            )));
        }
        Ok(())
    }

    /// A new store for one decision, its limits armed (instantiation runs guest code, so
    /// they must be set before it).
    fn store(&self, engine: &wasmtime::Engine, ctx: Option<Context>) -> Store<HostState> {
        let mut store = Store::new(engine, HostState::new(self.memory_bytes, ctx));
        store.limiter(|s| &mut s.limiter);
        // `set_fuel` fails only on an engine without fuel metering, which ours is not
        let _ = store.set_fuel(self.limits.fuel);
        store.set_epoch_deadline(self.epoch_ticks);
        store.epoch_deadline_trap();
        store
    }

    /// What a failed call means: a limit, a guest panic (with its message, from this
    /// decision's own output), or a trap.
    fn trap(&self, e: &wasmtime::Error, store: &Store<HostState>) -> DecideError {
        let l = &self.limits;
        if store.data().limiter.memory_exceeded {
            return LimitExceeded::Memory(l.memory_mb).into();
        }
        match e.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => LimitExceeded::Fuel(l.fuel).into(),
            Some(Trap::Interrupt) => LimitExceeded::Timeout(l.timeout_ms).into(),
            Some(Trap::StackOverflow) => LimitExceeded::Stack.into(),
            Some(trap) => {
                let said = store.data().stderr();
                let said = said.trim();
                DecideError::policy(match said.rfind("panicked at") {
                    Some(i) => {
                        // the hint is for a process, not a guest: it has no environment
                        let panic = said[i..]
                            .lines()
                            .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
                            .collect::<Vec<_>>()
                            .join("\n");
                        match wrote_before(&said[..i]) {
                            Some(before) => format!(
                                "the policy panicked: {}\nthe guest wrote before it:\n{before}",
                                panic.trim()
                            ),
                            None => format!("the policy panicked: {}", panic.trim()),
                        }
                    }
                    None if !said.is_empty() => format!("the policy trapped ({trap}): {said}"),
                    None => format!("the policy trapped: {trap}"),
                })
            }
            None => DecideError::policy(format!("{e:#}")),
        }
    }
}

/// What a guest wrote to stderr before its panic message, without the `thread '…'`
/// that Rust's panic handler puts in front of `panicked at` on the same line; `None` when nothing else
/// (a Python or JavaScript traceback is printed there, before the trap).
fn wrote_before(text: &str) -> Option<&str> {
    let text = text.trim_end();
    let last = text.rfind('\n').map_or(0, |i| i + 1);
    let preamble = &text[last..];
    // `thread '<unnamed>' ` or, with the thread's id, `thread '<unnamed>' (1) `
    let text = if preamble.starts_with("thread '") {
        text[..last].trim_end()
    } else {
        text
    };
    let text = text.trim_start();
    (!text.is_empty()).then_some(text)
}

/// Runs `f`, which calls into a guest, where wasmtime-wasi's synchronous WASI can work.
/// Each WASI call (a write to stderr, a clock) runs through the ambient tokio runtime
/// with `Handle::block_on`, which panics on a thread that drives async tasks: a
/// decision made inside an async handler (`pacto serve`, an embedder's axum) would fail
/// as soon as its guest printed. On a multi-threaded runtime's worker `f` runs in
/// `block_in_place` (the worker hands its tasks to another thread meanwhile; elsewhere,
/// such as a `spawn_blocking` thread, that is just a call); on a current-thread
/// runtime, on a thread of its own; outside any runtime, as it is.
fn off_the_executor<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current().map(|h| h.runtime_flavor()) {
        Err(_) => f(),
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        Ok(_) => std::thread::scope(|s| match s.spawn(f).join() {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }),
    }
}

impl Backend for WasmBackend {
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError> {
        off_the_executor(|| self.decide_here(case, ctx))
    }
}

impl WasmBackend {
    fn decide_here(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError> {
        let ticket = convert::case(case, ctx.timeline());
        let now = ctx.now().as_second();
        let index = self.runtime.current_lane();
        let (lane, linked) = (&self.runtime.lanes()[index], &self.linked[index]);
        let _slot = lane.slot();
        let mut store = self.store(lane.engine(), Some(ctx.clone()));
        let instance = linked
            .pre
            .instance_pre()
            .instantiate(&mut store)
            .map_err(|e| self.trap(&e, &store))?;
        let decide = instance
            .get_func(&mut store, linked.decide)
            .ok_or_else(|| DecideError::policy("the component does not export `decide`"))?;
        // SAFETY: `TypedFunc::new_unchecked` needs `decide` to have this type.
        // `PolicyPre::new` type-checked the component's `decide` export against the very
        // types `bindgen!` generated (the ones named here) when the bundle was loaded,
        // and every instance comes from that one component, so its `decide` has them.
        // That check is what `get_typed_func` would redo on every decision (a walk of
        // the whole case type, ≈ 7,000 instructions).
        #[allow(unsafe_code)]
        let decide: DecideFn<'_> = unsafe { TypedFunc::new_unchecked(decide) };
        match decide.call(&mut store, (&ticket, now)) {
            Ok((Ok(decision),)) => Ok(convert::decision(decision)),
            Ok((Err(e),)) => Err(convert::policy_error(e)),
            Err(e) => Err(self.trap(&e, &store)),
        }
    }
}
