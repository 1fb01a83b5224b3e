//! The Rhai sandbox: a script compiled once per bundle, run by a pool of Rhai engines
//! (one per concurrent caller; a single shared engine does not scale), each with the
//! bundle's limits, no `eval`, no modules, no clock, and `print`/`debug` silenced.

mod convert;
mod host_fns;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rhai::{AST, CallFnOptions, Dynamic, EvalAltResult, Scope};

use crate::bundle::{Bundle, BundleError, Limits};
use crate::calendar::Calendar;
use crate::case::Case;
use crate::decision::PolicyOutput;
use crate::engine::{Backend, DecideError, LimitExceeded};
use crate::error::Location;
use crate::sla::Sla;
use crate::timeline::Timeline;

pub(crate) struct RhaiBackend {
    ast: AST,
    calendars: Arc<BTreeMap<String, Calendar>>,
    limits: Limits,
    file: String,
    source: String,
    pool: Mutex<Vec<rhai::Engine>>,
}

fn engine(limits: &Limits) -> rhai::Engine {
    let mut e = rhai::Engine::new();
    e.disable_symbol("eval");
    e.on_print(|_| {});
    e.on_debug(|_, _, _| {});
    e.set_strict_variables(true);
    e.set_optimization_level(rhai::OptimizationLevel::Full);
    e.set_max_operations(limits.max_operations);
    e.set_max_call_levels(limits.max_call_depth);
    e.set_max_string_size(limits.max_string_size);
    e.set_max_array_size(limits.max_array_size);
    e.set_max_map_size(limits.max_map_size);
    e.set_max_expr_depths(64, 64);
    let timeout = Duration::from_millis(limits.timeout_ms);
    e.on_progress(move |ops| {
        if ops % 512 == 0 && host_fns::elapsed() > timeout {
            Some(Dynamic::from("timeout"))
        } else {
            None
        }
    });
    host_fns::register(&mut e);
    e
}

impl RhaiBackend {
    pub(crate) fn compile(
        bundle: &Bundle,
        calendars: Arc<BTreeMap<String, Calendar>>,
    ) -> Result<Self, BundleError> {
        let file = bundle.entry.display().to_string();
        let source =
            String::from_utf8(bundle.entry_bytes.clone()).map_err(|_| BundleError::Read {
                path: file.clone(),
                message: "the script is not UTF-8".into(),
            })?;
        let e = engine(&bundle.limits);
        let ast = e.compile(&source).map_err(|err| {
            let pos = err.position();
            BundleError::Policy {
                location: Location::at_line_column(
                    &file,
                    &source,
                    pos.line().unwrap_or(0),
                    pos.position().unwrap_or(0),
                ),
                message: err.err_type().to_string(),
            }
        })?;
        let has_decide = ast
            .iter_functions()
            .any(|f| f.name == "decide" && f.params.len() == 2);
        if !has_decide {
            return Err(BundleError::Policy {
                location: Location::at_line_column(&file, &source, 1, 1),
                message: "the script has no `fn decide(ticket, now)`".into(),
            });
        }
        Ok(RhaiBackend {
            ast,
            calendars,
            limits: bundle.limits.clone(),
            file,
            source,
            pool: Mutex::new(vec![e]),
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
            E::ErrorDataTooLarge(what, _) => {
                let (what, limit) = if what.contains("string") || what.contains("String") {
                    ("string", l.max_string_size)
                } else if what.contains("map") {
                    ("map", l.max_map_size)
                } else if what.contains("array") {
                    ("array", l.max_array_size)
                } else {
                    (what.as_str(), 0)
                };
                LimitExceeded::DataTooLarge {
                    what: what.into(),
                    limit,
                }
                .into()
            }
            other => {
                let pos = innermost_position(other);
                let location = pos.line().map(|line| {
                    Location::at_line_column(
                        &self.file,
                        &self.source,
                        line,
                        pos.position().unwrap_or(1),
                    )
                });
                DecideError::Policy {
                    location,
                    message: innermost_message(other),
                }
            }
        }
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
        EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
        other => {
            let mut s = other.to_string();
            if let Some(i) = s.rfind(" (line ") {
                s.truncate(i);
            }
            s
        }
    }
}

impl Backend for RhaiBackend {
    fn decide(
        &self,
        case: &Case,
        timeline: &Arc<Timeline>,
        sla: &Sla<'_>,
    ) -> Result<PolicyOutput, DecideError> {
        let engine = self
            .pool
            .lock()
            .map(|mut p| p.pop())
            .unwrap_or(None)
            .unwrap_or_else(|| engine(&self.limits));
        let ticket = convert::ticket(case, sla.timeline);
        let now = sla.now.as_second();
        let result = host_fns::with_context(&self.calendars, timeline, sla, || {
            let mut scope = Scope::new();
            let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
            engine.call_fn_with_options::<Dynamic>(
                options,
                &mut scope,
                &self.ast,
                "decide",
                (ticket, now),
            )
        });
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(engine);
        }
        let value = result.map_err(|e| self.error(&e))?;
        // the direct route is fast; only a malformed decision pays for the JSON detour
        // that names the offending path
        if value.is_map()
            && let Ok(output) = rhai::serde::from_dynamic::<PolicyOutput>(&value)
        {
            return Ok(output);
        }
        let json: serde_json::Value =
            rhai::serde::from_dynamic(&value).map_err(|e| DecideError::Policy {
                location: None,
                message: format!("the decision cannot be read: {e}"),
            })?;
        Ok(PolicyOutput::from_value(json)?)
    }
}
