//! Stateful and chatty on purpose: every decision bumps a `static` counter and grows a
//! heap buffer, notes what it saw, and writes 1 MiB to stderr (and a little to
//! stdout). On a host that reused instances, the notes would read `seen 0`, `seen 1`, …
//! and the output would pile up across decisions; on an isolated host every decision
//! notes `seen 0` and `heap 1`. A case whose id starts with `panic` panics after the
//! chatter, naming its own id, so a test can check the panic message carries that
//! decision's output only.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use pacto_guest::{Decision, Description, Policy, PolicyError, SupportCase};

static SEEN: AtomicU64 = AtomicU64::new(0);
static HEAP: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// How much each decision writes to stderr.
const CHATTER: usize = 1 << 20;

struct Stateful;

impl Policy for Stateful {
    fn decide(ticket: &SupportCase, _now: i64) -> Result<Decision, PolicyError> {
        let seen = SEEN.fetch_add(1, Ordering::Relaxed);
        let heap = {
            let mut heap = HEAP.lock().unwrap_or_else(|e| e.into_inner());
            heap.push(ticket.id.clone());
            heap.len()
        };
        let line = format!("case {} says hello\n", ticket.id);
        let chatter = line.repeat(CHATTER.div_ceil(line.len()));
        let _ = std::io::stderr().write_all(chatter.as_bytes());
        println!("stdout of case {}", ticket.id);
        if ticket.id.starts_with("panic") {
            panic!("case {} gives up", ticket.id);
        }
        Ok(Decision {
            notes: vec![
                format!("seen {seen}"),
                format!("heap {heap}"),
                format!("case {}", ticket.id),
            ],
            ..Decision::default()
        })
    }

    fn describe() -> Description {
        Description::new("stateful", "0.0.1")
    }
}

pacto_guest::export_policy!(Stateful);
