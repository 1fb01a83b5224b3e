//! `pacto diff --format html`: one self-contained page (no script, no network, inline
//! SVG charts): breaches by tier, priority and channel, money by tier per currency, the
//! due-shift histogram of each metric, the changed cases.
//!
//! The page is well-formed XML (XHTML syntax), and every bar carries its data:
//! `<svg data-chart="NAME">` holds `<rect data-series="from|to|count" data-key="…"
//! data-value="N">`, so a test (or a script) reads the charts back and checks them
//! against `--format json`.

use std::fmt::Write;

use super::Impact;
use super::tally::{Histogram, Segment, Tally};
use super::text::money;

/// `text` safe inside an element or an attribute.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .2em .7em; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
code, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
.from { fill: #9aa7b8; } .to { fill: #2b6cb0; } .count { fill: #c05621; }
.up { color: #c53030; } .down { color: #2f855a; }
";

/// The class of a change: `up` (red, more), `down` (green, less), or none.
fn change_class(d: i128) -> &'static str {
    match d.signum() {
        1 => "up",
        -1 => "down",
        _ => "same",
    }
}

/// One data series of a bar chart: its name and a value per key.
struct Series<'a> {
    name: &'a str,
    values: Vec<i128>,
}

/// A grouped bar chart; every bar carries its series, key and value.
fn bar_chart(
    out: &mut String,
    chart: &str,
    title: &str,
    keys: &[String],
    series: &[Series<'_>],
    label: impl Fn(i128) -> String,
) {
    // many keys (the histogram's bins): a wider chart, labels turned
    let many = keys.len() > 8;
    // room above the bars for two rows of value labels (see below)
    let (width, height, left, top) = (if many { 900.0 } else { 440.0 }, 232.0, 10.0, 42.0);
    let bottom = if many { 58.0 } else { 42.0 };
    let plot = height - bottom - top;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let group = (width - 2.0 * left) / keys.len().max(1) as f64;
    let bar = (group * 0.8 / series.len().max(1) as f64).min(40.0);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" data-chart="{}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"><title>{}</title><text x="{left}" y="16" font-weight="bold">{}</text>"#,
        esc(chart),
        esc(title),
        esc(title)
    );
    for (k, key) in keys.iter().enumerate() {
        let x0 = left + group * k as f64 + (group - bar * series.len() as f64) / 2.0;
        for (i, s) in series.iter().enumerate() {
            let v = s.values[k];
            let h = plot * (v.max(0) as f64) / max;
            let x = x0 + bar * i as f64;
            let y = top + plot - h;
            let _ = write!(
                out,
                r#"<rect class="{name}" data-series="{name}" data-key="{key}" data-value="{v}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"><title>{key} {name}: {lv}</title></rect>"#,
                name = esc(s.name),
                key = esc(key),
                w = (bar - 2.0).max(1.0),
                lv = esc(&label(v)),
            );
            if v != 0 {
                // a label wider than its bar (about 5 px a character at 9 px) would run
                // into its neighbour's: the second series' goes one row higher
                let text = label(v);
                let raise = if text.len() as f64 * 5.0 > bar {
                    11.0 * i as f64
                } else {
                    0.0
                };
                let _ = write!(
                    out,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="9">{}</text>"#,
                    x + bar / 2.0 - 1.0,
                    y - 3.0 - raise,
                    esc(&text)
                );
            }
        }
        let (x, y) = (
            left + group * k as f64 + group / 2.0,
            height - bottom + 14.0,
        );
        if many {
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="end" transform="rotate(-30 {x:.1} {y:.1})">{}</text>"#,
                esc(key)
            );
        } else {
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{y:.1}" text-anchor="middle">{}</text>"#,
                esc(key)
            );
        }
    }
    let legend_y = height - 8.0;
    let mut lx = left;
    // one series needs no legend
    for s in series.iter().filter(|_| series.len() > 1) {
        let _ = write!(
            out,
            r#"<rect class="{n}" x="{lx}" y="{:.1}" width="10" height="10"/><text x="{:.1}" y="{legend_y}">{n}</text>"#,
            legend_y - 9.0,
            lx + 14.0,
            n = esc(s.name)
        );
        lx += 70.0;
    }
    out.push_str("</svg>");
}

fn segment_chart(
    out: &mut String,
    chart: &str,
    title: &str,
    segments: &std::collections::BTreeMap<String, Segment>,
    pick: impl Fn(&Segment) -> (i128, i128),
    label: impl Fn(i128) -> String,
) {
    let keys: Vec<String> = segments.keys().cloned().collect();
    let (from, to): (Vec<i128>, Vec<i128>) = segments.values().map(pick).unzip();
    bar_chart(
        out,
        chart,
        title,
        &keys,
        &[
            Series {
                name: "from",
                values: from,
            },
            Series {
                name: "to",
                values: to,
            },
        ],
        label,
    );
}

/// The page.
pub fn render(impact: &Impact<'_>, corpus: &str) -> String {
    let t: &Tally = impact.tally;
    let (from, to) = (impact.policies.from, impact.policies.to);
    let mut s = String::new();
    let title = format!(
        "Impact of swapping {} {} for {} {}",
        from.name, from.version, to.name, to.version
    );
    let _ = write!(
        s,
        r#"<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>{t}</title><style>{STYLE}</style></head><body>
<h1>{t}</h1>
<p>{} cases from <code>{}</code>; <code>{}</code> → <code>{}</code>.</p>
"#,
        t.cases,
        esc(corpus),
        esc(&from.digest),
        esc(&to.digest),
        t = esc(&title),
    );

    s.push_str(r#"<h2>Summary</h2><table data-table="summary"><tr><th></th><th>from</th><th>to</th><th>change</th></tr>"#);
    let _ = write!(
        s,
        r#"<tr><td>cases changed</td><td></td><td data-value="{c}">{c}</td><td></td></tr>"#,
        c = t.changed
    );
    for (name, p) in [
        ("errors", t.errors),
        ("escalated cases", t.escalated),
        ("breached cases", t.breached),
    ] {
        let d = p.to as i128 - p.from as i128;
        let _ = write!(
            s,
            r#"<tr><td>{name}</td><td>{}</td><td>{}</td><td class="{}">{d:+}</td></tr>"#,
            p.from,
            p.to,
            change_class(d)
        );
    }
    for (currency, m) in &t.compensation {
        let d = m.to - m.from;
        let _ = write!(
            s,
            r#"<tr><td>compensation {c}</td><td>{}</td><td>{}</td><td class="{}">{}{}</td></tr>"#,
            money(currency, m.from),
            money(currency, m.to),
            change_class(d),
            if d >= 0 { "+" } else { "" },
            money(currency, d),
            c = esc(currency),
        );
    }
    s.push_str("</table>");

    s.push_str(r#"<h2>Deadlines</h2><table data-table="deadlines"><tr><th>metric</th><th>earlier</th><th>later</th><th>added</th><th>removed</th><th>target lowered</th><th>target raised</th><th>status flips</th></tr>"#);
    for (metric, m) in &t.fields.deadlines {
        let flips: Vec<String> = m
            .status
            .iter()
            .map(|(k, n)| format!("{} {n}", k.replace("->", " → ")))
            .collect();
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(metric),
            m.earlier,
            m.later,
            m.added,
            m.removed,
            m.target_lowered,
            m.target_raised,
            esc(&flips.join(", "))
        );
    }
    s.push_str("</table>");
    let e = &t.fields.escalation;
    let c = &t.fields.compensation;
    let _ = write!(
        s,
        "<p>Escalation: {} up, {} down, {} otherwise changed. Compensation: {} added, {} removed, {} changed. Errors: {} appeared, {} disappeared.</p>",
        e.up,
        e.down,
        e.other,
        c.added,
        c.removed,
        c.changed,
        t.fields.errors.appeared,
        t.fields.errors.disappeared
    );

    s.push_str(r#"<h2>Breaches by segment</h2><div class="charts">"#);
    let count = |v: i128| v.to_string();
    for (dim, segments) in [
        ("tier", &t.segments.tier),
        ("priority", &t.segments.priority),
        ("channel", &t.segments.channel),
    ] {
        segment_chart(
            &mut s,
            &format!("breached-by-{dim}"),
            &format!("Breached cases by {dim}"),
            segments,
            |seg| (seg.breached.from.into(), seg.breached.to.into()),
            count,
        );
    }
    s.push_str("</div>");

    s.push_str(r#"<h2>Compensation by tier</h2><div class="charts">"#);
    for currency in t.compensation.keys() {
        segment_chart(
            &mut s,
            &format!("money-{currency}-by-tier"),
            &format!("{currency} granted by tier"),
            &t.segments.tier,
            |seg| {
                seg.compensation
                    .get(currency)
                    .map_or((0, 0), |m| (m.from, m.to))
            },
            |v| money(currency, v),
        );
    }
    s.push_str("</div>");

    s.push_str(r#"<h2>Due shift (business minutes)</h2><div class="charts">"#);
    for (metric, m) in &t.fields.deadlines {
        if m.due_shift.counts.iter().all(|n| *n == 0) {
            continue;
        }
        let keys: Vec<String> = (0..m.due_shift.counts.len())
            .map(Histogram::label)
            .collect();
        bar_chart(
            &mut s,
            &format!("due-shift-{metric}"),
            &format!("{metric}: cases by due shift"),
            &keys,
            &[Series {
                name: "count",
                values: m.due_shift.counts.iter().map(|n| i128::from(*n)).collect(),
            }],
            count,
        );
    }
    s.push_str("</div>");

    s.push_str("<h2>Changed cases</h2>");
    if let Some(x) = &t.example {
        let _ = write!(
            s,
            r#"<p>Example: <code>{}</code></p><table data-table="example"><tr><th>field</th><th>from</th><th>to</th></tr>"#,
            esc(&x.id)
        );
        for d in &x.differences {
            let _ = write!(
                s,
                r#"<tr><td class="mono">{}</td><td class="mono">{}</td><td class="mono">{}</td></tr>"#,
                esc(&d.path),
                esc(&d.from.to_string()),
                esc(&d.to.to_string())
            );
        }
        s.push_str("</table>");
    }
    let _ = write!(s, r#"<table data-table="changed"><tr><th>case</th></tr>"#);
    for id in &t.changed_ids {
        let _ = write!(s, r#"<tr><td class="mono">{}</td></tr>"#, esc(id));
    }
    s.push_str("</table>");
    if t.changed as usize > t.changed_ids.len() {
        let _ = write!(
            s,
            "<p>The first {} of {} changed cases.</p>",
            t.changed_ids.len(),
            t.changed
        );
    }
    s.push_str("</body></html>\n");
    s
}
