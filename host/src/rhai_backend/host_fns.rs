//! The functions a Rhai policy can call, and the per-decision context they read.
//!
//! Rhai engines are pooled and used by one thread at a time, so the decision being
//! made on this thread is kept in a thread-local for the duration of the call.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rhai::{EvalAltResult, Map};

use super::convert;
use crate::calendar::Calendar;
use crate::sla::{Sla, SlaError};
use crate::timeline::Timeline;

struct Context {
    calendars: Arc<BTreeMap<String, Calendar>>,
    timeline: Arc<Timeline>,
    opened_at: Timestamp,
    now: Timestamp,
}

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
    static STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` with `sla` as the current decision on this thread.
pub(super) fn with_context<T>(
    calendars: &Arc<BTreeMap<String, Calendar>>,
    timeline: &Arc<Timeline>,
    sla: &Sla<'_>,
    f: impl FnOnce() -> T,
) -> T {
    let ctx = Context {
        calendars: Arc::clone(calendars),
        timeline: Arc::clone(timeline),
        opened_at: sla.opened_at,
        now: sla.now,
    };
    let previous = CONTEXT.with(|c| c.replace(Some(ctx)));
    let started = STARTED.with(|s| s.replace(Some(Instant::now())));
    let out = f();
    CONTEXT.with(|c| c.replace(previous));
    STARTED.with(|s| s.set(started));
    out
}

/// Wall-clock time since the current decision started on this thread.
pub(super) fn elapsed() -> Duration {
    STARTED.with(|s| s.get().map_or(Duration::ZERO, |t| t.elapsed()))
}

fn with_sla<T>(f: impl FnOnce(&Sla<'_>) -> Result<T, SlaError>) -> Result<T, Box<EvalAltResult>> {
    CONTEXT.with(|c| {
        let c = c.borrow();
        let ctx = c
            .as_ref()
            .ok_or("host functions are only available inside `decide`")?;
        let sla = Sla {
            calendars: &ctx.calendars,
            opened_at: ctx.opened_at,
            timeline: &ctx.timeline,
            now: ctx.now,
        };
        f(&sla).map_err(|e| e.to_string().into())
    })
}

fn seconds(n: i64, unit: i64) -> Result<i64, Box<EvalAltResult>> {
    n.checked_mul(unit)
        .ok_or_else(|| format!("{n} × {unit} seconds overflows").into())
}

pub(super) fn register(engine: &mut rhai::Engine) {
    engine.register_fn(
        "clock",
        |_ticket: &mut Map, metric: &str, calendar: &str, minutes: i64| {
            with_sla(|sla| {
                sla.clock(metric, calendar, minutes)
                    .map(|c| convert::clock(&c, calendar))
            })
        },
    );
    engine.register_fn(
        "add_business_minutes",
        |calendar: &str, start: i64, minutes: i64| {
            with_sla(|sla| sla.add_business_minutes(calendar, start, minutes))
        },
    );
    engine.register_fn(
        "business_minutes_between",
        |calendar: &str, start: i64, end: i64| {
            with_sla(|sla| sla.business_minutes_between(calendar, start, end))
        },
    );
    engine.register_fn("is_business_time", |calendar: &str, at: i64| {
        with_sla(|sla| sla.is_business_time(calendar, at))
    });
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
