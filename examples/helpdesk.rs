//! A small in-memory helpdesk that embeds Pacto: it receives case events, keeps each
//! ticket's [`Case`], asks a [`Registry`] for a decision after every event, and acts on
//! it: shows the deadlines that moved, hands the ticket to the team the escalation names
//! (raising its priority, notifying people), and records what the customer is owed, once.
//!
//! `cargo run -p pacto --example helpdesk -- [POLICIES_DIR] [MAX_LINES]`
//!
//! The folder defaults to `rules/standard-rhai` (the policy `standard`); `MAX_LINES`
//! stops after that many lines of the scripted stream below. Every decision is made as of
//! the event's own time, never the wall clock, so the output is the same on every run.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;

use jiff::Timestamp;
use pacto::case::Event;
use pacto::decision::Decision;
use pacto::{Case, Registry, RegistryEvent};
use serde_json::Value;

/// What the helpdesk receives, as a webhook would send it: a new ticket (a case in the
/// JSON of DESIGN.md, with its first message), an event on a ticket, or a timer that
/// re-decides every ticket (breaches happen while nobody writes).
const STREAM: &str = r#"
{"opened": {"id": "T-1", "opened_at": "2026-03-02T09:30:00+01:00", "priority": "normal", "channel": "email", "kind": "complaint", "category": "billing", "customer": {"id": "K-77", "tier": "gold"}, "order": {"value": 49900, "currency": "EUR"}, "events": [{"at": "2026-03-02T09:30:00+01:00", "type": "customer_message"}]}}
{"opened": {"id": "T-2", "opened_at": "2026-03-02T11:00:00+01:00", "priority": "normal", "channel": "web", "kind": "complaint", "category": "delivery", "customer": {"id": "K-12", "tier": "standard"}, "events": [{"at": "2026-03-02T11:00:00+01:00", "type": "customer_message"}]}}
{"timer": "2026-03-02T12:00:00+01:00"}
{"ticket": "T-1", "event": {"at": "2026-03-02T13:20:00+01:00", "type": "agent_reply"}}
{"ticket": "T-1", "event": {"at": "2026-03-02T13:20:00+01:00", "type": "status", "status": "pending"}}
{"ticket": "T-2", "event": {"at": "2026-03-02T14:30:00+01:00", "type": "agent_reply"}}
{"ticket": "T-2", "event": {"at": "2026-03-02T14:30:00+01:00", "type": "status", "status": "pending"}}
{"ticket": "T-1", "event": {"at": "2026-03-03T10:00:00+01:00", "type": "customer_message"}}
{"ticket": "T-1", "event": {"at": "2026-03-03T10:00:00+01:00", "type": "status", "status": "open"}}
{"ticket": "T-1", "event": {"at": "2026-03-03T10:40:00+01:00", "type": "agent_reply"}}
{"ticket": "T-1", "event": {"at": "2026-03-03T15:00:00+01:00", "type": "status", "status": "solved"}}
{"ticket": "T-2", "event": {"at": "2026-03-04T09:15:00+01:00", "type": "customer_message"}}
{"ticket": "T-2", "event": {"at": "2026-03-04T09:15:00+01:00", "type": "status", "status": "open"}}
{"ticket": "T-1", "event": {"at": "2026-03-04T09:30:00+01:00", "type": "satisfaction", "score": 2, "scale": 5}}
{"ticket": "T-2", "event": {"at": "2026-03-04T09:50:00+01:00", "type": "agent_reply"}}
{"ticket": "T-2", "event": {"at": "2026-03-04T10:00:00+01:00", "type": "status", "status": "solved"}}
{"ticket": "T-2", "event": {"at": "2026-03-05T09:00:00+01:00", "type": "reopened"}}
{"ticket": "T-2", "event": {"at": "2026-03-05T09:30:00+01:00", "type": "agent_reply"}}
{"ticket": "T-2", "event": {"at": "2026-03-05T11:00:00+01:00", "type": "status", "status": "solved"}}
{"ticket": "T-2", "event": {"at": "2026-03-06T10:00:00+01:00", "type": "reopened"}}
{"opened": {"id": "T-3", "opened_at": "2026-03-07T22:00:00+01:00", "priority": "urgent", "channel": "chat", "kind": "incident", "category": "checkout", "customer": {"id": "K-5", "tier": "platinum"}, "order": {"value": 150000, "currency": "EUR"}, "events": [{"at": "2026-03-07T22:00:00+01:00", "type": "customer_message"}]}}
{"ticket": "T-3", "event": {"at": "2026-03-07T22:12:00+01:00", "type": "agent_reply"}}
{"ticket": "T-3", "event": {"at": "2026-03-07T22:15:00+01:00", "type": "status", "status": "on_hold"}}
{"ticket": "T-3", "event": {"at": "2026-03-08T00:30:00+01:00", "type": "status", "status": "open"}}
{"ticket": "T-3", "event": {"at": "2026-03-08T02:30:00+01:00", "type": "status", "status": "solved"}}
"#;

/// A ticket as the helpdesk keeps it: the case, and what it has already done about it.
struct Ticket {
    case: Case,
    /// `due … (status)` of each deadline as last shown, by metric.
    shown: BTreeMap<String, String>,
    level: u8,
    notified: BTreeSet<String>,
    /// Granted or queued for approval, in minor units, by kind and currency.
    recorded: BTreeMap<String, i64>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/standard-rhai").to_owned()
    });
    let max_lines = match args.next() {
        Some(n) => n.parse()?,
        None => usize::MAX,
    };

    // a refused bundle or a fallback is worth telling the operator; loads are not
    let registry = Registry::builder(dir)
        .on_event(|event| {
            if !matches!(event, RegistryEvent::Loaded { .. }) {
                eprintln!("registry: {event}");
            }
        })
        .open()?;
    // A long-running helpdesk would also keep `registry.watch()?` alive: a policy edited
    // on disk then serves, once its own fixtures pass, without a restart.
    let served = registry
        .get("standard")
        .ok_or("no policy `standard` serves")?;
    println!("policy {} {}", served.info().name, served.info().version);

    let mut tickets: BTreeMap<String, Ticket> = BTreeMap::new();
    let mut approvals: Vec<String> = Vec::new();
    let lines = STREAM.lines().filter(|l| !l.is_empty());
    for line in lines.take(max_lines) {
        let message: Value = serde_json::from_str(line)?;
        // the tickets to decide again, and as of when
        let (ids, now) = if let Some(case) = message.get("opened") {
            let case = Case::from_value(case.clone())?;
            let (id, now) = (case.id.clone(), case.opened_at);
            let (p, c, k) = (
                case.priority.as_str(),
                case.channel.as_str(),
                case.kind.as_str(),
            );
            let tier = &case.customer.tier;
            println!(
                "\n{}  {id} opened: {p} {c} {k} from a {tier} customer",
                local(now)
            );
            tickets.insert(id.clone(), Ticket::new(case));
            (vec![id], now)
        } else if let Some(at) = message.get("timer").and_then(Value::as_str) {
            let now: Timestamp = at.parse()?;
            println!("\n{}  timer: every ticket", local(now));
            (tickets.keys().cloned().collect(), now)
        } else {
            let id = message["ticket"]
                .as_str()
                .ok_or("a line without `ticket`")?;
            let event: Event = serde_json::from_value(message["event"].clone())?;
            let now = event.at();
            println!("\n{}  {id} {}", local(now), describe(&event));
            let ticket = tickets
                .get_mut(id)
                .ok_or_else(|| format!("unknown ticket {id}"))?;
            ticket.case.events.push(event);
            (vec![id.to_owned()], now)
        };
        for id in &ids {
            let ticket = tickets.get_mut(id).ok_or("a ticket disappeared")?;
            let mut done = Vec::new();
            // a raised priority tightens the targets, even of clocks that already ran (the
            // policy reads the priority as it is now): decide again until it stays put
            loop {
                let priority = ticket.case.priority;
                let decision = registry.decide("standard", &ticket.case, now)?;
                ticket.act(&decision, &mut done, &mut approvals);
                if ticket.case.priority == priority {
                    break;
                }
            }
            if done.is_empty() && ids.len() == 1 {
                done.push("nothing new".to_owned());
            }
            for line in done {
                let prefix = if ids.len() > 1 {
                    format!("{id}: ")
                } else {
                    String::new()
                };
                println!("    {prefix}{line}");
            }
        }
    }

    println!(
        "\nwaiting for approval:{}",
        if approvals.is_empty() { " none" } else { "" }
    );
    for approval in &approvals {
        println!("    {approval}");
    }
    Ok(())
}

impl Ticket {
    fn new(case: Case) -> Self {
        let (shown, notified, recorded) = Default::default();
        Ticket {
            case,
            shown,
            level: 0,
            notified,
            recorded,
        }
    }

    /// Does what the decision asks that was not done yet, saying so in `done`.
    fn act(&mut self, decision: &Decision, done: &mut Vec<String>, approvals: &mut Vec<String>) {
        let case = &mut self.case;
        if let Some(fallback) = &decision.fallback {
            done.push(format!("decided by a fallback: {}", fallback.error.message));
        }
        for d in &decision.deadlines {
            let due = d.due.map_or("-".to_owned(), |due| due.to_string());
            let now = format!("due {due} ({})", d.status.as_str());
            if self.shown.get(d.metric.as_str()) != Some(&now) {
                done.push(format!("{:<15} {now}", d.metric.as_str()));
                self.shown.insert(d.metric.as_str().to_owned(), now);
            }
        }
        if let Some(e) = &decision.escalation {
            // only a higher level moves the ticket: never back down, nor sideways
            if e.level > self.level {
                let team = e.team.as_deref().unwrap_or("(no team)");
                done.push(format!(
                    "escalate to level {}: assign {team} ({})",
                    e.level, e.reason
                ));
                self.level = e.level;
            }
            if let Some(p) = e.raise_priority.filter(|p| *p > case.priority) {
                let from = case.priority.as_str();
                done.push(format!(
                    "raise priority {from} -> {}, decide again",
                    p.as_str()
                ));
                case.priority = p;
            }
            for who in &e.notify {
                if self.notified.insert(who.clone()) {
                    done.push(format!("notify {who}: {} ({})", case.id, e.reason));
                }
            }
        }
        for c in &decision.compensation {
            // owed now minus recorded before: a credit that grows is topped up, and the
            // same one is never granted twice
            let kind = serde_json::to_value(c.kind).ok();
            let kind = kind
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or("compensation");
            let currency = c.currency.as_deref().unwrap_or("");
            let key = format!("{kind} {currency}");
            let amount = match self.recorded.get(&key) {
                Some(&before) if before >= c.amount => continue,
                before => c.amount - before.copied().unwrap_or(0),
            };
            self.recorded.insert(key, c.amount);
            let what = match currency {
                "" => kind.to_owned(),
                _ => format!("{kind} {}.{:02} {currency}", amount / 100, amount % 100),
            };
            if c.requires_approval {
                done.push(format!("queue for approval: {what}"));
                approvals.push(format!("{}  {what} ({})", case.id, c.reason));
            } else {
                done.push(format!("grant {what} ({})", c.reason));
            }
        }
    }
}

/// An instant as the desk in Madrid reads it: `Mon 02 Mar 09:30`.
fn local(at: Timestamp) -> String {
    let zoned = at.in_tz("Europe/Madrid");
    zoned.map_or_else(
        |_| at.to_string(),
        |t| t.strftime("%a %d %b %H:%M").to_string(),
    )
}

fn describe(event: &Event) -> String {
    match event {
        Event::Status { status, .. } => format!("status {}", status.as_str()),
        Event::Satisfaction { score, scale, .. } => format!("satisfaction {score}/{scale}"),
        other => other.type_name().to_owned(),
    }
}
