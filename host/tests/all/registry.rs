//! The registry: swaps under load, refusals, watch mode, fallbacks, name conflicts.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use pacto::registry::Refusal;
use pacto::{Case, Fallback, Registry, RegistryError, RegistryEvent};

const CASE: &str = r#"{
    "id": "T-1", "opened_at": "2026-03-02T09:00:00+01:00", "priority": "normal",
    "channel": "email", "kind": "question", "customer": {"id": "C-1", "tier": "gold"},
    "events": [{"at": "2026-03-02T09:00:00+01:00", "type": "customer_message"}]
}"#;
const NOW: &str = "2026-03-02T10:00:00+01:00";
const CALENDAR: &str = "timezone = \"Europe/Madrid\"\nmon = [\"09:00-17:00\"]\n";

fn case(priority: &str) -> Case {
    Case::from_json(&CASE.replace("\"normal\"", &format!("\"{priority}\""))).unwrap()
}

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

/// The ways a version can be broken.
#[derive(Clone, Copy, Debug)]
enum Broken {
    /// The script does not compile.
    Syntax,
    /// It compiles, but its fixture fails.
    Fixture,
    /// It fails on every case (so its fixture errors).
    Runtime,
    /// `policy.toml` cut off half way, as a write in progress leaves it.
    HalfWritten,
}

/// The script of version `v`: the first-response clock and a note naming the version.
fn script(v: &str) -> String {
    format!(
        "fn decide(ticket, now) {{\n  let fr = ticket.clock(\"first_response\", \"support\", 60);\n  \
         #{{ deadlines: [fr], notes: [\"{v}\"] }}\n}}\n"
    )
}

fn manifest(name: &str, v: &str) -> String {
    format!(
        "name = \"{name}\"\nversion = \"{v}\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n\
         [calendars]\nsupport = \"support.toml\"\n"
    )
}

fn fixture(v: &str) -> String {
    let case: serde_json::Value = serde_json::from_str(CASE).unwrap();
    serde_json::json!({"case": case, "now": NOW, "expect": {"notes": [v]}}).to_string()
}

/// Writes version `v` of policy `name` into `dir`, broken as asked.
fn write_version(dir: &Path, name: &str, v: &str, broken: Option<Broken>) {
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(dir.join("support.toml"), CALENDAR).unwrap();
    let (script, fixture, manifest) = match broken {
        None => (script(v), fixture(v), manifest(name, v)),
        Some(Broken::Syntax) => (format!("{} {{", script(v)), fixture(v), manifest(name, v)),
        Some(Broken::Fixture) => (script(v), fixture("something else"), manifest(name, v)),
        Some(Broken::Runtime) => (
            "fn decide(ticket, now) { throw \"refuses every case\" }".to_owned(),
            fixture(v),
            manifest(name, v),
        ),
        Some(Broken::HalfWritten) => {
            let m = manifest(name, v);
            (script(v), fixture(v), m[..m.len() / 2].to_owned())
        }
    };
    std::fs::write(dir.join("p.rhai"), script).unwrap();
    std::fs::write(dir.join("fixtures/f.json"), fixture).unwrap();
    std::fs::write(dir.join("policy.toml"), manifest).unwrap();
}

/// Collects a registry's events.
fn recorder() -> (
    Arc<Mutex<Vec<RegistryEvent>>>,
    impl Fn(&RegistryEvent) + Send + Sync,
) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |e: &RegistryEvent| {
        sink.lock().unwrap().push(e.clone())
    })
}

#[test]
fn swapping_200_times_under_load_fails_no_decision_and_never_serves_a_broken_version() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    write_version(&dir, "p", "v0", None);
    let registry = Registry::open(root.path()).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let deciders: Vec<_> = (0..4)
        .map(|t| {
            let registry = registry.clone();
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let case = case(["normal", "high", "low", "urgent"][t]);
                let mut seen: Vec<(String, String, Vec<String>)> = Vec::new();
                let mut failed = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    match registry.decide("p", &case, now()) {
                        Ok(d) => seen.push((d.policy.version, d.policy.digest, d.notes)),
                        Err(e) => failed.push(e.to_string()),
                    }
                }
                (seen, failed)
            })
        })
        .collect();

    // valid versions and broken ones alternate; each broken kind comes round in turn
    let kinds = [
        Broken::Syntax,
        Broken::Fixture,
        Broken::Runtime,
        Broken::HalfWritten,
    ];
    let mut valid: HashMap<String, String> = HashMap::new(); // digest → version
    valid.insert(
        registry.get("p").unwrap().info().digest.clone(),
        "v0".into(),
    );
    let mut swaps = 0;
    for i in 1..=200 {
        let v = format!("v{i}");
        if i % 2 == 0 {
            write_version(&dir, "p", &v, None);
            let events = registry.reload().unwrap();
            match events.as_slice() {
                [RegistryEvent::Swapped { to, .. }] => {
                    assert_eq!(to.version, v);
                    valid.insert(to.digest.clone(), v.clone());
                    swaps += 1;
                }
                other => panic!("version {v}: expected one swap, got {other:?}"),
            }
        } else {
            let broken = kinds[(i / 2) % kinds.len()];
            write_version(&dir, "p", &v, Some(broken));
            let events = registry.reload().unwrap();
            match events.as_slice() {
                [
                    RegistryEvent::Refused {
                        serving, reason, ..
                    },
                ] => {
                    assert_eq!(serving.as_ref().unwrap().version, format!("v{}", i - 1));
                    let expected = match broken {
                        Broken::Syntax | Broken::HalfWritten => {
                            matches!(reason, Refusal::Bundle(_))
                        }
                        Broken::Fixture | Broken::Runtime => {
                            matches!(reason, Refusal::Fixtures(f) if f.len() == 1)
                        }
                    };
                    assert!(expected, "{broken:?} refused as {reason}");
                }
                other => panic!("{broken:?} version {v}: expected a refusal, got {other:?}"),
            }
            assert_eq!(
                registry.get("p").unwrap().info().version,
                format!("v{}", i - 1)
            );
        }
        // let the deciders run on this state for a moment
        std::thread::sleep(Duration::from_millis(1));
    }
    stop.store(true, Ordering::Relaxed);

    assert_eq!(swaps, 100);
    let mut decisions = 0;
    let mut versions_seen = std::collections::HashSet::new();
    for decider in deciders {
        let (seen, failed) = decider.join().unwrap();
        assert!(failed.is_empty(), "failed decisions: {:?}", &failed[..1]);
        for (version, digest, notes) in &seen {
            // attributed to exactly one valid version, and decided by that version
            let Some(v) = valid.get(digest) else {
                panic!("served a digest no valid version has: {digest} ({version})");
            };
            assert_eq!(v, version);
            assert_eq!(
                notes,
                std::slice::from_ref(version),
                "decided by another version"
            );
            versions_seen.insert(version.clone());
        }
        decisions += seen.len();
    }
    assert!(decisions > 1000, "only {decisions} decisions");
    // the deciders ran across the swaps, not only before or after them
    assert!(versions_seen.len() > 10, "saw only {versions_seen:?}");
}

#[test]
fn a_version_that_stays_broken_is_reported_once() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    write_version(&dir, "p", "v1", None);
    let (seen, listener) = recorder();
    let registry = Registry::builder(root.path())
        .on_event(listener)
        .open()
        .unwrap();
    write_version(&dir, "p", "v2", Some(Broken::Syntax));
    assert_eq!(registry.reload().unwrap().len(), 1);
    assert!(registry.reload().unwrap().is_empty());
    // put back the served version's files: nothing to swap, and the refusal is forgotten
    write_version(&dir, "p", "v1", None);
    assert!(registry.reload().unwrap().is_empty());
    write_version(&dir, "p", "v2", Some(Broken::Syntax));
    assert_eq!(registry.reload().unwrap().len(), 1);
    let seen = seen.lock().unwrap();
    assert!(matches!(&seen[0], RegistryEvent::Loaded { policy, .. } if policy.version == "v1"));
    assert_eq!(seen.len(), 3, "{seen:?}");
}

#[test]
fn bundles_appear_and_go_with_their_folders_and_names_stay_unique() {
    let root = tempfile::tempdir().unwrap();
    write_version(&root.path().join("a"), "alpha", "1", None);
    let registry = Registry::open(root.path()).unwrap();
    assert_eq!(registry.policies().len(), 1);

    write_version(&root.path().join("b"), "beta", "1", None);
    // a second folder giving a name already served is refused, naming the first
    write_version(&root.path().join("c"), "alpha", "2", None);
    let events = registry.reload().unwrap();
    assert!(
        matches!(&events[..], [RegistryEvent::Loaded { policy, .. }, RegistryEvent::Refused { reason: Refusal::Conflict { name, serving_dir }, .. }]
            if policy.name == "beta" && name == "alpha" && serving_dir.ends_with("a")),
        "{events:?}"
    );
    assert_eq!(registry.get("alpha").unwrap().info().version, "1");

    std::fs::remove_dir_all(root.path().join("b")).unwrap();
    let events = registry.reload().unwrap();
    assert!(
        matches!(&events[..], [RegistryEvent::Removed { policy, .. }] if policy.name == "beta"),
        "{events:?}"
    );
    let err = registry.decide("beta", &case("normal"), now()).unwrap_err();
    assert!(matches!(&err, RegistryError::UnknownPolicy { known, .. } if known == &["alpha"]));
    assert_eq!(err.to_string(), "no policy named `beta`; serving: alpha");
}

#[test]
fn a_policy_toml_being_replaced_keeps_its_version_serving() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    write_version(&dir, "p", "v1", None);
    let registry = Registry::open(root.path()).unwrap();
    std::fs::remove_file(dir.join("policy.toml")).unwrap();
    let events = registry.reload().unwrap();
    assert!(
        matches!(
            &events[..],
            [RegistryEvent::Refused {
                reason: Refusal::Bundle(_),
                serving: Some(_),
                ..
            }]
        ),
        "{events:?}"
    );
    assert_eq!(registry.get("p").unwrap().info().version, "v1");
}

/// Waits up to 10 s for `f` to hold.
fn eventually(what: &str, f: impl Fn() -> bool) -> Duration {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    start.elapsed()
}

#[test]
fn watching_applies_edits_additions_and_removals_once_the_writes_settle() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    write_version(&dir, "p", "v1", None);
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let registry = Registry::builder(root.path())
        .on_event(move |e| {
            let _ = tx.lock().unwrap().send(e.clone());
        })
        .open()
        .unwrap();
    assert!(matches!(rx.recv().unwrap(), RegistryEvent::Loaded { .. }));
    let _watch = registry
        .watch_debounced(Duration::from_millis(100))
        .unwrap();
    let version = |name: &str| registry.get(name).map(|s| s.info().version.clone());

    // an edit
    write_version(&dir, "p", "v2", None);
    eventually("v2 serves", || version("p").as_deref() == Some("v2"));

    // a write in progress: half of policy.toml now, the rest a moment later, within the
    // settle time, so the scan sees only the finished file: no refusal on the way
    while rx.try_recv().is_ok() {}
    let full = manifest("p", "v3");
    std::fs::write(dir.join("p.rhai"), script("v3")).unwrap();
    std::fs::write(dir.join("fixtures/f.json"), fixture("v3")).unwrap();
    std::fs::write(dir.join("policy.toml"), &full[..full.len() / 2]).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(dir.join("policy.toml"), &full).unwrap();
    let next = |what: &str| {
        rx.recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no event: {what}"))
    };
    let event = next("v3");
    assert!(
        matches!(&event, RegistryEvent::Swapped { to, .. } if to.version == "v3"),
        "{event}"
    );
    assert_eq!(version("p").as_deref(), Some("v3"));

    // a broken edit is refused and v3 keeps serving
    write_version(&dir, "p", "v4", Some(Broken::Fixture));
    let refused = next("the refusal of v4");
    assert!(
        matches!(
            &refused,
            RegistryEvent::Refused {
                reason: Refusal::Fixtures(_),
                ..
            }
        ),
        "{refused}"
    );
    assert!(refused.to_string().contains("v3"), "{refused}");
    assert_eq!(version("p").as_deref(), Some("v3"));

    // a new bundle, then its removal
    write_version(&root.path().join("q"), "q", "1", None);
    eventually("q serves", || version("q").is_some());
    std::fs::remove_dir_all(root.path().join("q")).unwrap();
    eventually("q is gone", || version("q").is_none());
}

/// A folder with one bundle, `p`, in versions: v1 decides everything; v2 passes its
/// fixture (a `normal` case) but throws on an urgent one.
fn urgent_breaks_v2(dir: &Path) {
    let script = "fn decide(ticket, now) {\n  if ticket.priority == \"urgent\" { throw \"urgent is not handled\" }\n  \
                  let fr = ticket.clock(\"first_response\", \"support\", 60);\n  #{ deadlines: [fr], notes: [\"v2\"] }\n}\n";
    std::fs::write(dir.join("p.rhai"), script).unwrap();
    std::fs::write(dir.join("fixtures/f.json"), fixture("v2")).unwrap();
    std::fs::write(dir.join("policy.toml"), manifest("p", "v2")).unwrap();
}

#[test]
fn the_previous_version_answers_when_the_new_one_fails_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    write_version(&dir, "p", "v1", None);
    let (seen, listener) = recorder();
    let registry = Registry::builder(root.path())
        .fallback(Fallback::Previous)
        .on_event(listener)
        .open()
        .unwrap();
    // the first version has no previous: its failure is the answer
    urgent_breaks_v2(&dir);
    registry.reload().unwrap();

    let d = registry.decide("p", &case("normal"), now()).unwrap();
    assert_eq!(
        (d.policy.version.as_str(), d.fallback.is_none()),
        ("v2", true)
    );

    let d = registry.decide("p", &case("urgent"), now()).unwrap();
    assert_eq!(d.policy.version, "v1");
    assert_eq!(d.notes, ["v1"]);
    assert_eq!(d.deadlines.len(), 1, "the case keeps its deadlines");
    let used = d.fallback.as_ref().unwrap();
    assert_eq!(used.instead_of.version, "v2");
    assert_eq!(used.error.kind, "policy");
    assert!(used.error.message.contains("urgent is not handled"));
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["fallback"]["instead_of"]["version"], "v2");
    assert_eq!(json["fallback"]["error"]["kind"], "policy");
    // a decision without a fallback has no `fallback` key at all
    let plain =
        serde_json::to_value(registry.decide("p", &case("normal"), now()).unwrap()).unwrap();
    assert!(plain.get("fallback").is_none());

    let seen = seen.lock().unwrap();
    let fell_back: Vec<_> = seen
        .iter()
        .filter_map(|e| match e {
            RegistryEvent::FellBack {
                case, failed, by, ..
            } => Some((case.as_str(), failed.version.as_str(), by.version.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(fell_back, [("T-1", "v2", "v1")]);
}

#[test]
fn a_conservative_bundle_answers_when_there_is_no_previous_version() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("p");
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(dir.join("support.toml"), CALENDAR).unwrap();
    urgent_breaks_v2(&dir);
    let conservative = tempfile::tempdir().unwrap();
    write_version(conservative.path(), "conservative", "c1", None);
    let fallback = pacto::Engine::new().load(conservative.path()).unwrap();

    let without = Registry::open(root.path()).unwrap();
    let err = without.decide("p", &case("urgent"), now()).unwrap_err();
    assert!(
        matches!(&err, RegistryError::Decide { policy, error } if policy.version == "v2" && error.kind() == "policy"),
        "{err}"
    );

    let with = Registry::builder(root.path())
        .fallback(Fallback::Previous)
        .fallback(Fallback::Policy(Arc::new(fallback)))
        .open()
        .unwrap();
    let d = with.decide("p", &case("urgent"), now()).unwrap();
    assert_eq!(d.policy.name, "conservative");
    assert_eq!(d.fallback.unwrap().instead_of.name, "p");
}

#[test]
fn a_folder_that_is_one_bundle_serves_that_bundle() {
    let registry = Registry::open(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rules/standard-rhai"
    )))
    .unwrap();
    let names: Vec<_> = registry
        .policies()
        .iter()
        .map(|s| (s.info().name.clone(), s.engine().as_str()))
        .collect();
    assert_eq!(names, [("standard".to_owned(), "rhai")]);
    assert!(matches!(
        Registry::open("/nonexistent/pacto"),
        Err(RegistryError::Folder { .. })
    ));
}
