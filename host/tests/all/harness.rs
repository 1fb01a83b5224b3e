//! What the sandbox tests share (Rhai, Wasm, native guests): a bundle on one small
//! calendar, and the attack itself. A misbehaving case must fail with a typed error in bounded time,
//! after which the same `Policy` decides a good case correctly, twice (so a replaced
//! instance is exercised too).

use std::path::Path;
use std::time::Duration;

use pacto::{Case, DecideError, Policy};
use serde_json::json;

const CALENDAR: &str = "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\n";

/// Writes `policy.toml` and the `office` calendar into `dir`; the entry file is the
/// caller's.
pub fn write_bundle(dir: &Path, name: &str, engine: &str, entry: &str, limits: &str) {
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::write(dir.join("calendars/office.toml"), CALENDAR).unwrap();
    std::fs::write(
        dir.join("policy.toml"),
        format!("name = \"{name}\"\nversion = \"0.0.1\"\nengine = \"{engine}\"\nentry = \"{entry}\"\n[calendars]\noffice = \"calendars/office.toml\"\n{limits}"),
    )
    .unwrap();
}

/// A case opened on Monday 2 March 2026 at 10:00 UTC; the policies under test misbehave
/// on some ids and decide correctly on `good`.
pub fn case(id: &str) -> Case {
    Case::from_value(json!({"id": id, "opened_at": "2026-03-02T10:00:00Z", "priority": "normal", "channel": "email",
        "kind": "question", "customer": {"id": "K", "tier": "standard"}}))
    .unwrap()
}

/// Decides the case `id`, which must fail within 10 s (on another thread, so a policy
/// that never returns fails the test instead of hanging it), then the case `good`,
/// twice, which must give a first response due at 11:00 with 30 minutes left. Returns
/// the failure, for the caller to check its type.
pub fn attack(policy: &Policy, id: &str) -> DecideError {
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let err = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        s.spawn(move || {
            // the receiver may have given up; nothing to do then
            let _ = tx.send(policy.decide(&case(id), now));
        });
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(outcome) => outcome.expect_err("the bad case must fail"),
            // the scope would wait for the runaway thread: end the process instead
            Err(_) => {
                eprintln!("case `{id}` still running after 10 s");
                std::process::exit(101)
            }
        }
    });
    for _ in 0..2 {
        let good = policy
            .decide(&case("good"), now)
            .expect("the next case decides");
        assert_eq!(good.notes, vec!["good".to_owned()]);
        assert_eq!(good.deadlines[0].remaining, 30);
        assert_eq!(
            good.deadlines[0].due.unwrap().to_string(),
            "2026-03-02T11:00:00+00:00"
        );
    }
    err
}
