//! What the Rhai and Wasm sandbox tests share: a bundle on one small calendar, and
//! the attack itself. A misbehaving case must fail with a typed error in bounded time,
//! after which the same `Policy` decides a good case correctly, twice (so a replaced
//! instance is exercised too).

use std::path::Path;
use std::time::{Duration, Instant};

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

/// Decides the case `id`, which must fail within 10 s, then the case `good`, twice,
/// which must give a first response due at 11:00 with 30 minutes left. Returns the
/// failure.
pub fn attack(policy: &Policy, id: &str) -> DecideError {
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let started = Instant::now();
    let err = policy
        .decide(&case(id), now)
        .expect_err("the bad case must fail");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
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
