//! The Rhai sandbox: a script compiled once per bundle, run by a pool of Rhai engines
//! (one per concurrent caller; a single shared engine does not scale), each with the
//! bundle's limits, no `eval`, no modules, no clock, and `print`/`debug` silenced.

#[cfg(test)]
mod convert;
mod host_fns;
#[cfg(test)]
mod tests;
mod view;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rhai::{AST, CallFnOptions, Dynamic, EvalAltResult, Scope};

use crate::bundle::{Bundle, BundleError, Limits};
use crate::case::Case;
use crate::decision::PolicyOutput;
use crate::error::Location;
use crate::policy::{Backend, Context, DecideError, LimitExceeded, PolicyFailed, SlaError};

pub(crate) struct RhaiBackend {
    limits: Limits,
    file: String,
    source: Arc<str>,
    /// Engines ready to decide, one pool per lane ([`crate::lane`]): a core takes and
    /// gives back its own, so two cores do not share the pool's lock or pass engines
    /// (and the cache lines they wrote) back and forth.
    pools: Box<[Mutex<Vec<Pooled>>]>,
    /// What the case's views need to read the script (`view::Guard`).
    guard: Arc<view::Guard>,
    /// The stack a decision runs on ([`stack_size`]).
    stack: usize,
}

/// A Rhai engine with the bundle's limits, the script compiled by it, and the start of
/// the decision it runs (read by its progress callback for `timeout_ms`). One caller at
/// a time uses it.
struct Pooled {
    engine: rhai::Engine,
    started: Arc<Mutex<Option<Instant>>>,
    /// The stack its decisions run on ([`stack_size`]), made by its first decision and
    /// reused by the next ones: address space reserved once, and only the pages a
    /// decision touched are resident.
    stack: Option<corosensei::stack::DefaultStack>,
    /// The script, compiled for this engine alone. A call clones reference counts
    /// inside the AST (its function library, a script function's definition) many times
    /// per decision; with one AST shared by every engine, two threads wrote the same
    /// counters all the time (BENCHMARKS.md, "Lanes").
    ast: AST,
}

/// An engine with the bundle's limits and `source` compiled by it.
fn engine(
    limits: &Limits,
    guard: &Arc<view::Guard>,
    source: &str,
) -> Result<Pooled, rhai::ParseError> {
    let mut e = rhai::Engine::new();
    e.disable_symbol("eval");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});
    e.set_strict_variables(true);
    // a typo (`ticket.priorty`) is an error naming the field, not a silent `()`
    e.set_fail_on_invalid_map_property(true);
    e.set_optimization_level(rhai::OptimizationLevel::Full);
    e.set_max_operations(limits.max_operations);
    e.set_max_call_levels(limits.max_call_depth);
    e.set_max_string_size(limits.max_string_size);
    e.set_max_array_size(limits.max_array_size);
    e.set_max_map_size(limits.max_map_size);
    e.set_max_expr_depths(64, 64);
    let timeout = Duration::from_millis(limits.timeout_ms);
    let started = Arc::new(Mutex::new(None::<Instant>));
    let watch = Arc::clone(&started);
    e.on_progress(move |ops| {
        let late = ops % 512 == 0
            && watch
                .lock()
                .ok()
                .and_then(|s| *s)
                .is_some_and(|s| s.elapsed() > timeout);
        late.then(|| Dynamic::from("timeout"))
    });
    host_fns::register(&mut e);
    view::register(&mut e, guard);
    let ast = e.compile(source)?;
    Ok(Pooled {
        engine: e,
        started,
        stack: None,
        ast,
    })
}

impl RhaiBackend {
    pub(crate) fn compile(bundle: &Bundle) -> Result<Self, BundleError> {
        let file = bundle.entry.display().to_string();
        let source: Arc<str> = std::str::from_utf8(&bundle.entry_bytes)
            .map_err(|_| BundleError::Read {
                path: file.clone(),
                message: "the script is not UTF-8".into(),
            })?
            .into();
        let guard = view::Guard::new(Arc::clone(&source), &bundle.limits);
        let e = engine(&bundle.limits, &guard, &source).map_err(|err| {
            let pos = err.position();
            BundleError::Policy {
                location: Location::at_line_column_in(
                    &file,
                    &source,
                    pos.line().unwrap_or(0),
                    pos.position().unwrap_or(0),
                ),
                message: err.err_type().to_string(),
            }
        })?;
        let has_decide = e
            .ast
            .iter_functions()
            .any(|f| f.name == "decide" && f.params.len() == 2);
        if !has_decide {
            return Err(BundleError::Policy {
                location: Location::at_line_column_in(&file, &source, 1, 1),
                message: "the script has no `fn decide(ticket, now)`".into(),
            });
        }
        let nesting = bundle
            .limits
            .max_map_size
            .saturating_add(bundle.limits.max_array_size);
        if nesting > MAX_NESTING {
            return Err(BundleError::Policy {
                location: Location::file(bundle.dir.join("policy.toml").display().to_string()),
                message: format!(
                    "`limits.max_map_size` + `limits.max_array_size` is {nesting}; at most \
                     {MAX_NESTING}: values nested deeper could exhaust the stack"
                ),
            });
        }
        Ok(RhaiBackend {
            stack: stack_size(&bundle.limits),
            limits: bundle.limits.clone(),
            file,
            source,
            pools: std::iter::once(Mutex::new(vec![e]))
                .chain((1..crate::lane::count()).map(|_| Mutex::new(Vec::new())))
                .collect(),
            guard,
        })
    }

    fn error(&self, err: &EvalAltResult) -> DecideError {
        use EvalAltResult as E;
        let l = &self.limits;
        match err {
            E::ErrorInFunctionCall(_, _, inner, _) => self.error(inner),
            E::ErrorTooManyOperations(_) => LimitExceeded::Operations(l.max_operations).into(),
            E::ErrorTerminated(..) => LimitExceeded::Timeout(l.timeout_ms).into(),
            E::ErrorStackOverflow(_) => LimitExceeded::CallDepth(l.max_call_depth).into(),
            // Rhai has one variant for the three caps and names the one it hit with
            // a fixed label (`eval/data_check.rs`, `packages/`): a lookup of those
            // labels, whole, not a search of the message
            E::ErrorDataTooLarge(what, _) => match what.as_str() {
                "Length of string" => LimitExceeded::StringSize(l.max_string_size),
                "Size of array/BLOB" | "Size of BLOB" | "Size of array" => {
                    LimitExceeded::ArraySize(l.max_array_size)
                }
                "Size of object map" => LimitExceeded::MapSize(l.max_map_size),
                _ => LimitExceeded::Data(what.clone()),
            }
            .into(),
            E::ErrorPropertyNotFound(name, pos) => DecideError::Policy(PolicyFailed {
                location: self.location(*pos),
                message: unknown_field(name),
            }),
            E::ErrorRuntime(value, pos) if value.is::<SlaError>() => {
                let Some(e) = value.read_lock::<SlaError>().map(|e| e.clone()) else {
                    return DecideError::policy(value.to_string());
                };
                match e {
                    SlaError::Time(t) => DecideError::Time(t),
                    other => DecideError::Policy(PolicyFailed {
                        location: self.location(*pos),
                        message: other.to_string(),
                    }),
                }
            }
            other => DecideError::Policy(PolicyFailed {
                location: self.location(innermost_position(other)),
                message: innermost_message(other),
            }),
        }
    }

    fn location(&self, pos: rhai::Position) -> Option<Location> {
        pos.line().map(|line| {
            Location::at_line_column_in(&self.file, &self.source, line, pos.position().unwrap_or(1))
        })
    }
}

/// "unknown field `priorty`; did you mean `priority`?"
fn unknown_field(name: &str) -> String {
    let nearest = view::FIELDS
        .iter()
        .map(|known| (strsim::jaro_winkler(name, known), *known))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match nearest {
        Some((_, known)) => format!("unknown field `{name}`; did you mean `{known}`?"),
        None => format!("unknown field `{name}`; the map has no such field"),
    }
}

fn innermost_position(err: &EvalAltResult) -> rhai::Position {
    match err {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, pos) => {
            let p = innermost_position(inner);
            if p.is_none() { *pos } else { p }
        }
        other => other.position(),
    }
}

fn innermost_message(err: &EvalAltResult) -> String {
    match err {
        EvalAltResult::ErrorInFunctionCall(name, _, inner, _) if name == "decide" => {
            innermost_message(inner)
        }
        EvalAltResult::ErrorInFunctionCall(name, _, inner, _) => {
            format!("in `{name}`: {}", innermost_message(inner))
        }
        // a thrown view reads as the map it stands for
        EvalAltResult::ErrorRuntime(value, _) => {
            let mut value = value.clone();
            view::materialize(&mut value);
            value.to_string()
        }
        other => {
            let mut s = other.to_string();
            if let Some(i) = s.rfind(" (line ") {
                s.truncate(i);
            }
            s
        }
    }
}

/// Stack a decision may use for each level of nesting its values can reach: Rhai
/// clones, compares, formats and drops a nested map or array recursively. Measured
/// (`hostile_policy.rs`): at most 2.4 KiB a level in a release build (`to_string`,
/// `==`), 8 KiB in a debug build; these leave twice that.
const STACK_PER_LEVEL: usize = if cfg!(debug_assertions) {
    16 << 10
} else {
    4 << 10
};

/// What the rest of a decision needs besides the nesting: the script's own calls are
/// bounded by `max_call_depth` and its expressions by Rhai's expression depth.
const STACK_BASE: usize = 4 << 20;

/// The deepest nesting the data limits allow: Rhai counts every map and array entry,
/// nested ones included, against `max_map_size` and `max_array_size`, so a value can
/// nest at most that many levels.
pub(crate) const MAX_NESTING: usize = 200_000;

fn stack_size(limits: &Limits) -> usize {
    let levels = limits
        .max_map_size
        .saturating_add(limits.max_array_size)
        .min(MAX_NESTING);
    levels.saturating_mul(STACK_PER_LEVEL) + STACK_BASE
}

impl Backend for RhaiBackend {
    fn decide(&self, case: &Case, ctx: &Context) -> Result<PolicyOutput, DecideError> {
        let pool = &self.pools[crate::lane::current(self.pools.len())];
        let popped = pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let mut pooled = match popped {
            Some(pooled) => pooled,
            // the script compiled at load; compiled again by a new engine with the same
            // settings it gives the same AST, with counters of its own
            None => engine(&self.limits, &self.guard, &self.source)
                .map_err(|e| DecideError::policy(format!("the script no longer compiles: {e}")))?,
        };
        // on a stack of its own, sized from the limits: a script nesting maps as deep as
        // they allow cannot overflow the caller's (a 2 MiB thread, a tokio worker)
        let mut stack = match pooled.stack.take() {
            Some(stack) => stack,
            None => corosensei::stack::DefaultStack::new(self.stack).map_err(|err| {
                DecideError::policy(format!(
                    "no stack of {} KiB for a Rhai decision: {err}",
                    self.stack >> 10
                ))
            })?,
        };
        let decided = corosensei::on_stack(&mut stack, || self.decide_on(&pooled, case, ctx));
        pooled.stack = Some(stack);
        if let Ok(mut pool) = pool.lock() {
            pool.push(pooled);
        }
        decided
    }
}

impl RhaiBackend {
    fn decide_on(
        &self,
        pooled: &Pooled,
        case: &Case,
        ctx: &Context,
    ) -> Result<PolicyOutput, DecideError> {
        // the case as a view over data converted once (`view`): a field becomes a Rhai
        // value only when the script reads it
        let root = view::Root::new(case, Arc::clone(ctx.shared_timeline()), &self.limits)?;
        let ticket = view::Ticket::new(root);
        let now = ctx.now().as_second();
        if let Ok(mut started) = pooled.started.lock() {
            *started = Some(Instant::now());
        }
        // a fresh scope and no `eval_ast`: the script's top level never runs, so a call
        // sees nothing an earlier call left behind
        let mut scope = Scope::new();
        let options = CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true)
            .with_tag(ctx.clone());
        let mut value = pooled
            .engine
            .call_fn_with_options::<Dynamic>(
                options,
                &mut scope,
                &pooled.ast,
                "decide",
                (ticket, now),
            )
            .map_err(|e| self.error(&e))?;
        // the direct route is fast (clock readings become deadlines as they are); only
        // a malformed decision, or one holding the case's views, pays for turning every
        // view into its map and the JSON detour that names the offending path
        if let Some(output) = view::fast_output(&mut value) {
            return Ok(output);
        }
        view::materialize(&mut value);
        if value.is_map()
            && let Ok(output) = rhai::serde::from_dynamic::<PolicyOutput>(&value)
        {
            return Ok(output);
        }
        let json: serde_json::Value = rhai::serde::from_dynamic(&value)
            .map_err(|e| DecideError::policy(format!("the decision cannot be read: {e}")))?;
        Ok(PolicyOutput::from_value(json)?)
    }
}
