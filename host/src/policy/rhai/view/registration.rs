//! Registering the views with a Rhai engine: property getters, indexers, the map
//! functions a script may call on them, and where an unknown key's error points.

use std::sync::Arc;

use rhai::{Dynamic, EvalAltResult, FnPtr, ImmutableString, Map, NativeCallContext, Position};

use super::RhaiResult;
use super::views::{
    Customer, EventView, Order, Reading, Ticket, TimelineView, View, deep_map, edited, field,
    has_field, materialize,
};
use crate::bundle::Limits;

/// What the indexers need besides the value: the script, to place an unknown key's
/// error where a map places it, and the map size limit a script's writes obey.
pub(in crate::policy::rhai) struct Guard {
    source: Arc<str>,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    max_map_size: usize,
}

impl Guard {
    pub(in crate::policy::rhai) fn new(source: Arc<str>, limits: &Limits) -> Arc<Guard> {
        let lines = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(Guard {
            source,
            lines,
            max_map_size: limits.max_map_size,
        })
    }

    /// Where the key is, for an indexer's call position `op`: that is the operator of
    /// the access (the `.` or `?.` of `x.name`, the `[` or `?[` of `x["name"]`), while a
    /// map names the key itself in its error (the property's name, the index
    /// expression): the first character after the operator and any spaces, on its line.
    fn key_after(&self, op: Position) -> Position {
        let (Some(line), Some(column)) = (op.line(), op.position()) else {
            return op;
        };
        let Some(&start) = self.lines.get(line.saturating_sub(1)) else {
            return op;
        };
        let mut chars = self.source[start..]
            .chars()
            .skip(column.saturating_sub(1))
            .peekable();
        let mut column = column;
        if chars.next_if_eq(&'?').is_some() {
            column += 1;
        }
        if chars.next_if(|c| *c == '.' || *c == '[').is_none() {
            return op;
        }
        column += 1;
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {
            column += 1;
        }
        u16::try_from(line)
            .ok()
            .zip(u16::try_from(column).ok())
            .map_or(op, |(l, c)| Position::new(l, c))
    }
}

fn not_found(name: &str, pos: Position) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorPropertyNotFound(name.to_owned(), pos))
}

/// Calls Rhai's own map function `name` on the map `v` stands for.
fn on_map<V: View>(
    call: &NativeCallContext,
    name: &str,
    v: &V,
    rest: impl IntoIterator<Item = Dynamic>,
) -> RhaiResult<Dynamic> {
    let mut args: Vec<Dynamic> = std::iter::once(Dynamic::from_map(deep_map(v)))
        .chain(rest)
        .collect();
    let mut refs: Vec<&mut Dynamic> = args.iter_mut().collect();
    call.call_native_fn_raw(name, true, &mut refs)
}

/// Calls Rhai's own map function `name`, which changes its map, on the map `v` became.
fn on_edited<V: View>(
    call: &NativeCallContext,
    name: &str,
    v: &mut V,
    rest: impl IntoIterator<Item = Dynamic>,
) -> RhaiResult<Dynamic> {
    let map = std::mem::take(edited(v));
    let mut args: Vec<Dynamic> = std::iter::once(Dynamic::from_map(map))
        .chain(rest)
        .collect();
    let mut refs: Vec<&mut Dynamic> = args.iter_mut().collect();
    let result = call.call_native_fn_raw(name, true, &mut refs);
    if let Some(map) = args.swap_remove(0).try_cast::<Map>() {
        *edited(v) = map;
    }
    result
}

fn other(value: Dynamic) -> Dynamic {
    let mut value = value;
    materialize(&mut value);
    value
}

fn register_view<V: View>(engine: &mut rhai::Engine, guard: &Arc<Guard>) {
    engine.register_type_with_name::<V>("map");
    for &(name, read) in V::FIELDS {
        engine.register_get(
            name,
            move |call: NativeCallContext, v: &mut V| -> RhaiResult<Dynamic> {
                match v.edits() {
                    None => Ok(read(v)),
                    Some(m) => m
                        .get(name)
                        .cloned()
                        .ok_or_else(|| not_found(name, call.call_position())),
                }
            },
        );
    }
    let g = Arc::clone(guard);
    engine.register_indexer_get(
        move |call: NativeCallContext, v: &mut V, key: &str| -> RhaiResult<Dynamic> {
            if let Some(value) = field(v, key) {
                return Ok(value);
            }
            // a map has no such key: the error a map gives, by property or by index
            Err(not_found(key, g.key_after(call.call_position())))
        },
    );
    let g = Arc::clone(guard);
    let set =
        move |call: NativeCallContext, v: &mut V, key: &str, value: Dynamic| -> RhaiResult<()> {
            let m = edited(v);
            m.insert(key.into(), value);
            if m.len() > g.max_map_size {
                return Err(Box::new(EvalAltResult::ErrorDataTooLarge(
                    "Size of object map".into(),
                    call.call_position(),
                )));
            }
            Ok(())
        };
    engine.register_indexer_set(set.clone());
    engine.register_fn("set", set);
    engine.register_fn("contains", |v: &mut V, key: &str| has_field(v, key));
    engine.register_fn("get", |v: &mut V, key: &str| {
        field(v, key).unwrap_or(Dynamic::UNIT)
    });
    for name in [
        "len",
        "is_empty",
        "keys",
        "values",
        "to_json",
        "to_string",
        "to_debug",
    ] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V| {
            on_map(&call, name, v, [])
        });
    }
    for name in ["map", "filter"] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, f: FnPtr| {
            on_map(&call, name, v, [Dynamic::from(f)])
        });
    }
    engine.register_fn("+", |call: NativeCallContext, v: &mut V, m: Map| {
        on_map(&call, "+", v, [Dynamic::from_map(m)])
    });
    for name in ["==", "!="] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, w: V| {
            on_map(&call, name, v, [Dynamic::from_map(deep_map(&w))])
        });
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, m: Map| {
            on_map(&call, name, v, [other(Dynamic::from_map(m))])
        });
        engine.register_fn(name, move |call: NativeCallContext, m: &mut Map, v: V| {
            let mut args = [
                other(Dynamic::from_map(m.clone())),
                Dynamic::from_map(deep_map(&v)),
            ];
            let mut refs: Vec<&mut Dynamic> = args.iter_mut().collect();
            call.call_native_fn_raw(name, true, &mut refs)
        });
    }
    engine.register_fn("clear", |call: NativeCallContext, v: &mut V| {
        on_edited(&call, "clear", v, [])
    });
    engine.register_fn(
        "remove",
        |call: NativeCallContext, v: &mut V, key: ImmutableString| {
            on_edited(&call, "remove", v, [Dynamic::from(key)])
        },
    );
    for name in ["mixin", "+=", "fill_with"] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, m: Map| {
            on_edited(&call, name, v, [Dynamic::from_map(m)])
        });
    }
    for name in ["drain", "retain"] {
        engine.register_fn(name, move |call: NativeCallContext, v: &mut V, f: FnPtr| {
            on_edited(&call, name, v, [Dynamic::from(f)])
        });
    }
    // `x.clock(…)` on any of the case's maps, as on any map
    engine.register_fn(
        "clock",
        |call: NativeCallContext,
         _: &mut V,
         metric: &str,
         calendar: ImmutableString,
         minutes: i64| {
            crate::policy::rhai::host_fns::clock(&call, metric, calendar, minutes)
        },
    );
}

/// Registers the case's views and the clock reading.
pub(in crate::policy::rhai) fn register(engine: &mut rhai::Engine, guard: &Arc<Guard>) {
    register_view::<Ticket>(engine, guard);
    register_view::<Customer>(engine, guard);
    register_view::<Order>(engine, guard);
    register_view::<EventView>(engine, guard);
    register_view::<TimelineView>(engine, guard);
    register_view::<Reading>(engine, guard);
}
