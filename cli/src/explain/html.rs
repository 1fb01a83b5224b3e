//! `pacto explain --format html`: one self-contained page (no script, no network) with
//! the timeline picture, a table of the clocks, the account of each, and the decision.
//! Well-formed XML (XHTML syntax), like `pacto diff --format html`.

use std::fmt::Write;

use pacto::ClockStatus;

use super::{Explained, amount, business, day_time, duration, metric_label};
use crate::diff::esc;

const STYLE: &str = "
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1120px; color: #222; padding: 0 1em; }
h1 { font-size: 1.35em; margin-bottom: .2em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { padding: .25em .8em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
.status { font-weight: 600; padding: .05em .5em; border-radius: .6em; color: #fff; }
.st-breached { background: #c53030; } .st-met { background: #2f855a; } .st-pending { background: #2b6cb0; }
.st-paused { background: #718096; } .st-inactive { background: #a0aec0; }
pre { background: #f7f7f7; padding: .8em; white-space: pre-wrap; font-size: 12.5px; }
figure { margin: 0; overflow-x: auto; }
";

pub fn render(e: &Explained<'_>) -> String {
    let (case, d, zone) = (e.case, e.decision, e.zone());
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>Case {id}: SLA timeline</title><style>{STYLE}</style></head><body>
<h1>Case {id}: SLA timeline</h1>
<p class="sub">{kind}, {priority}, by {channel}, {tier} customer {customer}; as of {now} ({zone_name}); decided by {policy} {version}</p>
"#,
        id = esc(&case.id),
        kind = case.kind.as_str(),
        priority = case.priority.as_str(),
        channel = case.channel.as_str(),
        tier = esc(&case.customer.tier),
        customer = esc(&case.customer.id),
        now = esc(&day_time(&zone, e.now())),
        zone_name = esc(&e.zone_name()),
        policy = esc(&d.policy.name),
        version = esc(&d.policy.version),
    );
    let _ = writeln!(out, "<figure>{}</figure>", super::svg::render(e).trim_end());

    out.push_str("<h2>Deadlines</h2>\n<table><tr><th>clock</th><th>status</th><th>due</th><th>business time used</th><th>from now to due</th></tr>\n");
    for c in &e.trace.clocks {
        let z = e.zone_of(c);
        let due = c.due.map_or("—".to_owned(), |t| day_time(&z, t.timestamp));
        let left = match (&c.to_due, c.stopped_at) {
            (Some(t), None) if t.calendar_seconds >= 0 => format!(
                "{} ({} of business time)",
                duration(t.calendar_seconds),
                business(t.business_seconds)
            ),
            (Some(t), None) => format!("passed {} ago", duration(-t.calendar_seconds)),
            _ => "—".to_owned(),
        };
        let status = c.status.as_str();
        let detail = match c.status {
            ClockStatus::Breached => {
                format!(" by {} min", (c.consumed_seconds - c.target_seconds) / 60)
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            r#"<tr><td>{}</td><td><span class="status st-{status}">{status}</span>{detail}</td><td>{}</td><td>{} of {}</td><td>{}</td></tr>"#,
            esc(&metric_label(c)),
            esc(&due),
            business(c.consumed_seconds),
            business(c.target_seconds),
            esc(&left)
        );
    }
    out.push_str("</table>\n");

    out.push_str("<h2>Who must know</h2>\n");
    match &d.escalation {
        Some(x) => {
            let team = x
                .team
                .as_deref()
                .map(|t| format!(" to <b>{}</b>", esc(t)))
                .unwrap_or_default();
            let _ = write!(out, "<p>Level {}{team}: {}", x.level, esc(&x.reason));
            if !x.notify.is_empty() {
                let _ = write!(out, "<br/>Notify: {}", esc(&x.notify.join(", ")));
            }
            if let Some(p) = x.raise_priority {
                let _ = write!(out, "<br/>Raise the priority to {}", p.as_str());
            }
            out.push_str("</p>\n");
        }
        None => out.push_str("<p>Nobody: no escalation.</p>\n"),
    }
    out.push_str("<h2>What we owe</h2>\n");
    if d.compensation.is_empty() {
        out.push_str("<p>Nothing.</p>\n");
    } else {
        out.push_str(
            "<table><tr><th>kind</th><th>amount</th><th>approval</th><th>reason</th></tr>\n",
        );
        for c in &d.compensation {
            let amount = amount(c).unwrap_or_else(|| "—".to_owned());
            let approval = if c.requires_approval { "needed" } else { "—" };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{approval}</td><td>{}</td></tr>",
                c.kind.as_str().replace('_', " "),
                esc(&amount),
                esc(&c.reason)
            );
        }
        out.push_str("</table>\n");
    }
    let _ = write!(
        out,
        "<h2>Why each deadline is where it is</h2>\n<pre>{}</pre>\n",
        esc(super::text::render(e).trim_end())
    );
    let mut plain = d.clone();
    plain.trace = None;
    let json = serde_json::to_string_pretty(&plain).unwrap_or_default();
    let _ = write!(
        out,
        "<details><summary>The decision as JSON</summary><pre>{}</pre></details>\n</body></html>\n",
        esc(&json)
    );
    out
}
