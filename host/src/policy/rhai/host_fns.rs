//! The functions a Rhai policy can call. Each call of `decide` carries its decision's
//! [`Context`] as Rhai's call tag (`CallFnOptions::with_tag`), which the host functions
//! read through their `NativeCallContext`: no thread-local, nothing shared between
//! decisions.
//!
//! Each call counts against `max_host_calls`.
//!
//! A host function that fails raises its [`SlaError`] itself (as the runtime error's
//! value), so the backend reports the same typed error, and the same kind, as the Wasm
//! and native backends.

use jiff::Timestamp;
use rhai::{Dynamic, EvalAltResult, ImmutableString, Map, NativeCallContext};

use super::view::Reading;
use crate::policy::{Context, SlaError};

fn with_context<T>(
    call: &NativeCallContext,
    f: impl FnOnce(&Context) -> Result<T, SlaError>,
) -> Result<T, Box<EvalAltResult>> {
    let ctx = call
        .tag()
        .and_then(|tag| tag.read_lock::<Context>())
        .ok_or("host functions are only available inside `decide`")?;
    // past `max_host_calls` the script stops: `ErrorTerminated` is one of the errors a
    // `try … catch` cannot catch, and `Policy::decide` reports the limit
    if let Err(limit) = ctx.charge_host_call() {
        return Err(Box::new(EvalAltResult::ErrorTerminated(
            Dynamic::from(limit.to_string()),
            call.call_position(),
        )));
    }
    f(&ctx).map_err(|e| {
        Box::new(EvalAltResult::ErrorRuntime(
            Dynamic::from(e),
            call.call_position(),
        ))
    })
}

fn seconds(n: i64, unit: i64) -> Result<i64, Box<EvalAltResult>> {
    n.checked_mul(unit)
        .ok_or_else(|| format!("{n} × {unit} seconds overflows").into())
}

/// `x.clock(metric, calendar, minutes)`: the clock of the decision's case (whatever
/// map `x` is), as a [`Reading`].
pub(super) fn clock(
    call: &NativeCallContext,
    metric: &str,
    calendar: ImmutableString,
    minutes: i64,
) -> Result<Reading, Box<EvalAltResult>> {
    with_context(call, |ctx| {
        ctx.clock_named(metric, &calendar, minutes)
            .map(|c| Reading::new(&c, calendar.clone()))
    })
}

pub(super) fn register(engine: &mut rhai::Engine) {
    // on the case's own views too (`view`); on any map, as before the views
    engine.register_fn(
        "clock",
        |call: NativeCallContext,
         _ticket: &mut Map,
         metric: &str,
         calendar: ImmutableString,
         minutes: i64| clock(&call, metric, calendar, minutes),
    );
    engine.register_fn(
        "add_business_minutes",
        |call: NativeCallContext, calendar: &str, start: i64, minutes: i64| {
            with_context(&call, |ctx| {
                ctx.add_business_minutes(calendar, start, minutes)
            })
        },
    );
    engine.register_fn(
        "business_minutes_between",
        |call: NativeCallContext, calendar: &str, start: i64, end: i64| {
            with_context(&call, |ctx| {
                ctx.business_minutes_between(calendar, start, end)
            })
        },
    );
    engine.register_fn(
        "is_business_time",
        |call: NativeCallContext, calendar: &str, at: i64| {
            with_context(&call, |ctx| ctx.is_business_time(calendar, at))
        },
    );
    // a script that catches a host error can still read it
    engine.register_fn("to_string", |e: &mut SlaError| e.to_string());
    engine.register_fn("minutes", |n: i64| seconds(n, 60));
    engine.register_fn("hours", |n: i64| seconds(n, 3600));
    engine.register_fn("days", |n: i64| seconds(n, 86_400));
    engine.register_fn(
        "parse_time",
        |text: &str| -> Result<i64, Box<EvalAltResult>> {
            text.parse::<Timestamp>()
                .map(|t| t.as_second())
                .map_err(|_| format!("`{text}` is not an RFC 3339 instant with an offset").into())
        },
    );
}
