//! The standard policy bundle (`rules/standard-rhai`): its fixtures pass, and the Rhai
//! script decides exactly like the same policy written in Rust.

use crate::{generate, standard_native};
use std::path::{Path, PathBuf};

use pacto::Engine;
use pacto::fixture::{Fixture, Outcome};

fn bundle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/standard-rhai")
}

/// How many `*.json` files a bundle's `fixtures/` holds: every one must load and run.
pub fn fixture_files(bundle: &Path) -> usize {
    std::fs::read_dir(bundle.join("fixtures"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .count()
}

#[test]
fn standard_fixtures_pass() {
    let policy = Engine::new()
        .load(bundle_dir())
        .expect("the standard bundle loads");
    let fixtures = Fixture::load_dir(&bundle_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fixtures.len(), fixture_files(&bundle_dir()));
    let mut failures = Vec::new();
    for f in &fixtures {
        match f.run(&policy) {
            Outcome::Pass => {}
            Outcome::Fail(mismatches) => {
                failures.extend(mismatches.iter().map(|m| format!("{}: {m}", f.name)))
            }
            Outcome::Error(e) => failures.push(format!("{}: the policy failed: {e}", f.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn rhai_and_native_standard_policies_agree() {
    // The parity check is about what is decided, not how fast: a generous wall-clock cap
    // keeps a busy test machine from turning a slow decision into a difference.
    let mut bundle = pacto::Bundle::load(&bundle_dir()).expect("the standard bundle loads");
    bundle.limits.timeout_ms = 60_000;
    let rhai = Engine::new()
        .from_bundle(bundle)
        .expect("the standard bundle compiles");
    let native = standard_native::policy(&rhai);

    let cases = generate::cases(0x5EED_2026, 5_000);
    // Both policies are `Send + Sync`: decide in parallel, one chunk of cases per thread.
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get());
    let outcomes: Vec<Result<String, String>> = std::thread::scope(|s| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(threads))
            .map(|chunk| {
                let (rhai, native) = (&rhai, &native);
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(case, now)| {
                            // the same decision; only the policy's digest differs
                            let json = |mut d: pacto::Decision| {
                                d.policy.digest.clear();
                                serde_json::to_string(&d).expect("serializes")
                            };
                            let a = rhai.decide(case, *now).map(json);
                            let b = native.decide(case, *now).map(json);
                            match (a, b) {
                                (Ok(a), Ok(b)) if a == b => Ok(a),
                                (a, b) => Err(format!(
                                    "{} at {now}:\n  rhai:   {a:?}\n  native: {b:?}",
                                    case.id
                                )),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker panicked"))
            .collect()
    });
    let differences: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    let decisions: Vec<&String> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    let escalated = decisions
        .iter()
        .filter(|d| d.contains("\"escalation\":{"))
        .count();
    let compensated = decisions
        .iter()
        .filter(|d| !d.contains("\"compensation\":[]"))
        .count();
    assert!(
        differences.is_empty(),
        "{} of {} decisions differ; first ones:\n{}",
        differences.len(),
        cases.len(),
        differences
            .iter()
            .take(5)
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generated cases reach the interesting branches, not only the quiet ones.
    assert!(escalated > cases.len() / 10, "only {escalated} escalations");
    assert!(
        compensated > cases.len() / 20,
        "only {compensated} compensations"
    );
}

/// Rewrites a copy of the standard bundle's two calendars into `zone`, the business one
/// open every day (10:00-14:00 at weekends), so that the offset changes the generator
/// aims at (most of them on Sundays) fall on open days.
pub fn rezone(bundle: &Path, zone: &str) {
    let weekday = "[\"09:00-13:00\", \"14:00-18:00\"]";
    let business = format!(
        "timezone = \"{zone}\"\nmon = {weekday}\ntue = {weekday}\nwed = {weekday}\nthu = {weekday}\nfri = [\"09:00-15:00\"]\nsat = [\"10:00-14:00\"]\nsun = [\"02:30-14:00\"]\nholidays = [\"01-01\", \"12-25\"]\n\n[overrides]\n\"2026-12-24\" = [\"09:00-13:00\"]\n"
    );
    let all = "[\"00:00-24:00\"]";
    let always = format!(
        "timezone = \"{zone}\"\nmon = {all}\ntue = {all}\nwed = {all}\nthu = {all}\nfri = {all}\nsat = {all}\nsun = {all}\n"
    );
    std::fs::write(bundle.join("calendars/business.toml"), business).unwrap();
    std::fs::write(bundle.join("calendars/24x7.toml"), always).unwrap();
}

/// A copy of the Rhai standard bundle (fixtures left out) with its calendars in `zone`.
pub fn rhai_in(zone: &str) -> (tempfile::TempDir, pacto::Policy) {
    let dir = tempfile::tempdir().unwrap();
    let src = bundle_dir();
    for sub in ["", "calendars"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, dir.path().join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    rezone(dir.path(), zone);
    let mut bundle = pacto::Bundle::load(dir.path()).expect("the copy loads");
    bundle.limits.timeout_ms = 60_000;
    let policy = Engine::new()
        .from_bundle(bundle)
        .expect("the copy compiles");
    (dir, policy)
}

#[test]
fn generated_cases_are_deterministic_and_varied() {
    use pacto::case::{Event, Status};
    use std::collections::BTreeSet;
    let a = generate::cases(7, 1_000);
    let b = generate::cases(7, 1_000);
    assert_eq!(a, b);
    let set = |f: &dyn Fn(&pacto::Case) -> String| -> BTreeSet<String> {
        a.iter().map(|(c, _)| f(c)).collect()
    };
    assert_eq!(set(&|c| format!("{:?}", c.priority)).len(), 4);
    assert_eq!(
        set(&|c| format!("{:?}", c.channel)).len(),
        7,
        "every channel"
    );
    assert_eq!(set(&|c| format!("{:?}", c.kind)).len(), 6, "every kind");
    assert_eq!(
        set(&|c| c.customer.tier.clone()),
        ["gold", "platinum", "silver", "standard"]
            .map(String::from)
            .into(),
        "every tier"
    );
    let statuses: BTreeSet<Status> = a
        .iter()
        .flat_map(|(c, _)| &c.events)
        .filter_map(|e| match e {
            Event::Status { status, .. } => Some(*status),
            _ => None,
        })
        .collect();
    assert_eq!(
        statuses,
        [
            Status::Open,
            Status::Pending,
            Status::OnHold,
            Status::Solved,
            Status::Closed
        ]
        .into(),
        "every status"
    );
    assert!(a.iter().any(|(c, _)| c.customer.internal));
    assert!(a.iter().any(|(c, _)| c.order.is_some()) && a.iter().any(|(c, _)| c.order.is_none()));
    let (mut between, mut before_open, mut after) = (0, 0, 0);
    for (case, now) in &a {
        case.validate().expect("generated cases are valid");
        assert_eq!(
            case.opened_at.to_zoned(jiff::tz::TimeZone::UTC).year(),
            2026
        );
        if *now < case.opened_at {
            before_open += 1;
        } else if case.events.iter().any(|e| e.at() > *now) {
            between += 1;
        } else {
            after += 1;
        }
    }
    assert!(
        between > 30 && before_open > 10 && after > 700,
        "{between} {before_open} {after}"
    );
    // three cases in ten open within 36 hours of an offset change, of every zone aimed at
    let changes = generate::dst_changes_2026();
    assert_eq!(changes.len(), 2 * generate::DST_ZONES.len());
    let near = |t: i64, x: i64| (t - x).abs() <= 36 * 3600;
    let aimed = a
        .iter()
        .filter(|(c, _)| changes.iter().any(|&x| near(c.opened_at.as_second(), x)))
        .count();
    assert!(aimed > 200, "only {aimed} near a change");
    for &x in &changes {
        assert!(
            a.iter().any(|(c, _)| near(c.opened_at.as_second(), x)),
            "no case near the change at {x}"
        );
    }
}

/// The parity of Rhai and native again, on calendars in each zone the generator aims at
/// and open on the days of their offset changes.
#[test]
fn rhai_and_native_agree_across_offset_changes_in_every_zone() {
    let cases = generate::cases(0xD57_2026, 1_500);
    for zone in generate::DST_ZONES {
        let (_dir, rhai) = rhai_in(zone);
        let native = standard_native::policy(&rhai);
        let mut differ = Vec::new();
        for (case, now) in &cases {
            let json = |mut d: pacto::Decision| {
                d.policy.digest.clear();
                serde_json::to_string(&d).expect("serializes")
            };
            let r = rhai.decide(case, *now).map(json).map_err(|e| e.to_string());
            let n = native
                .decide(case, *now)
                .map(json)
                .map_err(|e| e.to_string());
            if r != n {
                differ.push(format!(
                    "{} at {now}:\n  rhai:   {r:?}\n  native: {n:?}",
                    case.id
                ));
            }
        }
        assert!(
            differ.is_empty(),
            "{zone}: {} of {} decisions differ; first:\n{}",
            differ.len(),
            cases.len(),
            differ.first().map_or("", String::as_str)
        );
    }
}
