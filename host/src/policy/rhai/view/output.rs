//! The decision a script returned, read back: straight from its value when it is well
//! formed (the deadlines from the clock readings as they are).

use rhai::{Array, Dynamic, Map};

use super::views::Reading;
use crate::decision::RawDeadline;

/// The decision a script returned, read straight from its value when it is well formed:
/// the deadlines from the clock readings as they are, the rest by serde. `None` when
/// that fails, and the value is as it was.
pub(in crate::policy::rhai) fn fast_output(
    value: &mut Dynamic,
) -> Option<crate::decision::PolicyOutput> {
    let deadlines = value.write_lock::<Map>()?.remove("deadlines");
    let output = read_output(deadlines.as_ref(), value);
    if output.is_none()
        && let Some(d) = deadlines
        && let Some(mut m) = value.write_lock::<Map>()
    {
        m.insert("deadlines".into(), d);
    }
    output
}

fn read_output(
    deadlines: Option<&Dynamic>,
    rest: &Dynamic,
) -> Option<crate::decision::PolicyOutput> {
    let raw = match deadlines {
        None => Vec::new(),
        Some(d) => d
            .read_lock::<Array>()?
            .iter()
            .map(|d| match d.read_lock::<Reading>() {
                Some(r) => r.deadline(),
                None => rhai::serde::from_dynamic::<RawDeadline>(d).ok(),
            })
            .collect::<Option<Vec<_>>>()?,
    };
    let mut output: crate::decision::PolicyOutput = rhai::serde::from_dynamic(rest).ok()?;
    output.deadlines = raw;
    Some(output)
}
