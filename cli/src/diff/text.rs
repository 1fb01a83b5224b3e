//! `pacto diff`'s default output: a compact table for people.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Impact;
use super::tally::{Histogram, Money, Pair, Segment, Tally};

/// Changed case ids the table lists.
const TEXT_IDS: usize = 10;

/// Currencies without minor units (ISO 4217 exponent 0) among the common ones.
const ZERO_DECIMALS: [&str; 8] = ["JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", "XOF"];

/// `amount` minor units of `currency` written in major units: `1,234.56`, `¥` aside.
pub fn money(currency: &str, amount: i128) -> String {
    let decimals = if ZERO_DECIMALS.contains(&currency) {
        0
    } else {
        2
    };
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let (units, cents) = if decimals == 0 {
        (abs, None)
    } else {
        (abs / 100, Some(abs % 100))
    };
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match cents {
        Some(c) => format!("{sign}{grouped}.{c:02}"),
        None => format!("{sign}{grouped}"),
    }
}

fn delta(p: Pair) -> String {
    let d = p.to as i128 - p.from as i128;
    format!("{d:+}")
}

fn pairs<'a>(counts: impl IntoIterator<Item = (&'a String, &'a u64)>) -> String {
    let parts: Vec<String> = counts
        .into_iter()
        .map(|(k, n)| format!("{} {n}", k.replace("->", "→")))
        .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

fn money_change(totals: &BTreeMap<String, Money>) -> String {
    let parts: Vec<String> = totals
        .iter()
        .filter(|(_, m)| m.from != m.to)
        .map(|(c, m)| {
            let d = m.to - m.from;
            let sign = if d >= 0 { "+" } else { "" };
            format!("{c} {sign}{}", money(c, d))
        })
        .collect();
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

/// The table.
pub fn render(impact: &Impact<'_>) -> String {
    let t: &Tally = impact.tally;
    let (from, to) = (impact.policies.from, impact.policies.to);
    let mut s = String::new();
    let share = if t.cases > 0 {
        format!(" ({:.1}%)", 100.0 * t.changed as f64 / t.cases as f64)
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "{} {} → {} {}: {} of {} cases changed{share}",
        from.name, from.version, to.name, to.version, t.changed, t.cases
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "{:<24} {:>14} {:>14} {:>14}", "", "from", "to", "change");
    for (name, p) in [
        ("errors", t.errors),
        ("escalated cases", t.escalated),
        ("breached cases", t.breached),
    ] {
        let _ = writeln!(s, "{name:<24} {:>14} {:>14} {:>14}", p.from, p.to, delta(p));
    }
    for (currency, m) in &t.compensation {
        let d = m.to - m.from;
        let _ = writeln!(
            s,
            "{:<24} {:>14} {:>14} {:>14}",
            format!("compensation {currency}"),
            money(currency, m.from),
            money(currency, m.to),
            format!("{}{}", if d >= 0 { "+" } else { "" }, money(currency, d)),
        );
    }
    if t.bad_lines > 0 {
        let _ = writeln!(s, "{:<24} {:>14}", "bad lines (both sides)", t.bad_lines);
    }

    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  status flips",
        "deadline", "earlier", "later", "added", "removed", "tighter", "looser"
    );
    for (metric, m) in &t.fields.deadlines {
        let _ = writeln!(
            s,
            "{metric:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  {}",
            m.earlier,
            m.later,
            m.added,
            m.removed,
            m.target_lowered,
            m.target_raised,
            pairs(&m.status)
        );
    }
    if t.fields.deadlines.is_empty() {
        let _ = writeln!(s, "(no deadline changed)");
    }
    let e = &t.fields.escalation;
    let _ = writeln!(
        s,
        "escalation: {} up, {} down, {} otherwise changed; levels {}",
        e.up,
        e.down,
        e.other,
        pairs(&e.levels)
    );
    let c = &t.fields.compensation;
    let _ = writeln!(
        s,
        "compensation: {} added, {} removed, {} changed",
        c.added, c.removed, c.changed
    );
    let r = &t.fields.errors;
    let _ = writeln!(
        s,
        "errors: {} appeared, {} disappeared, {} changed kind; notes alone differ on {} cases",
        r.appeared, r.disappeared, r.kind_changed, t.fields.notes_only
    );

    for (title, segments) in [
        ("tier", &t.segments.tier),
        ("priority", &t.segments.priority),
        ("channel", &t.segments.channel),
    ] {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<12} {:>7} {:>8} {:>15} {:>15}  compensation",
            format!("by {title}"),
            "cases",
            "changed",
            "breached",
            "escalated"
        );
        for (key, seg) in segments {
            segment_row(&mut s, key, seg);
        }
    }

    for (metric, m) in &t.fields.deadlines {
        if m.due_shift.counts.iter().all(|n| *n == 0) {
            continue;
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "{metric}: due shift in business minutes");
        let top = m.due_shift.counts.iter().copied().max().unwrap_or(1).max(1);
        for (i, n) in m.due_shift.counts.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let bar = "█".repeat(((n * 40).div_ceil(top)) as usize);
            let _ = writeln!(s, "  {:>10} {bar} {n}", Histogram::label(i));
        }
    }

    if let Some(x) = &t.example {
        let _ = writeln!(s);
        let _ = writeln!(s, "example: {}", x.id);
        for d in x.differences.iter().take(20) {
            let _ = writeln!(s, "  {}: {} → {}", d.path, d.from, d.to);
        }
        if x.differences.len() > 20 {
            let _ = writeln!(s, "  … {} more", x.differences.len() - 20);
        }
    }
    if !t.changed_ids.is_empty() {
        let _ = writeln!(s);
        let shown = &t.changed_ids[..t.changed_ids.len().min(TEXT_IDS)];
        let more = if t.changed as usize > shown.len() {
            format!(
                " (first {} of {}; all of the first 100 in --format json)",
                shown.len(),
                t.changed
            )
        } else {
            String::new()
        };
        let _ = writeln!(s, "changed cases{more}: {}", shown.join(" "));
    }
    s
}

fn segment_row(s: &mut String, key: &str, seg: &Segment) {
    let arrow = |p: Pair| format!("{} → {}", p.from, p.to);
    let _ = writeln!(
        s,
        "  {key:<10} {:>7} {:>8} {:>15} {:>15}  {}",
        seg.cases,
        seg.changed,
        arrow(seg.breached),
        arrow(seg.escalated),
        money_change(&seg.compensation)
    );
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_is_written_in_major_units() {
        assert_eq!(money("EUR", 123_456), "1,234.56");
        assert_eq!(money("EUR", -5), "-0.05");
        assert_eq!(money("JPY", 1_234_567), "1,234,567");
        assert_eq!(money("USD", 0), "0.00");
    }
}
