//! Bundles from memory (`Bundle::from_files`) and from a folder agree, and every path
//! `policy.toml` names stays inside the bundle: no absolute path, no `..`, no symlink out.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use pacto::{Bundle, BundleError, Engine, Location};
use sha2::{Digest, Sha256};

use crate::generate;

fn standard_rhai() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/standard-rhai")
}

/// Every file under `dir`, by `/`-separated relative name.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let name: Vec<_> = rel.iter().map(|p| p.to_str().unwrap()).collect();
                out.insert(name.join("/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The digest as DESIGN.md records it: SHA-256 over `policy.toml`, the entry and each
/// calendar (by calendar name), each as name length, name, data length, data.
fn recorded_digest(files: &BTreeMap<String, Vec<u8>>, named: &[&str]) -> String {
    let mut sha = Sha256::new();
    for name in named {
        let data = &files[*name];
        sha.update((name.len() as u64).to_le_bytes());
        sha.update(name.as_bytes());
        sha.update((data.len() as u64).to_le_bytes());
        sha.update(data);
    }
    format!("sha256:{:x}", sha.finalize())
}

#[test]
fn from_files_gives_the_digest_and_decisions_of_load_for_standard_rhai() {
    let dir = standard_rhai();
    let files = files_under(&dir);
    assert!(files.keys().any(|k| k.starts_with("fixtures/")));
    let from_dir = Bundle::load(&dir).unwrap();
    let from_memory = Bundle::from_files(files.clone()).unwrap();
    assert_eq!(from_memory.digest, from_dir.digest);
    assert_eq!(
        from_dir.digest,
        recorded_digest(
            &files,
            &[
                "policy.toml",
                "standard.rhai",
                "calendars/24x7.toml",
                "calendars/business.toml"
            ]
        ),
        "the digest is computed as before"
    );
    assert_eq!(from_memory.dir, PathBuf::new());
    assert_eq!(from_memory.entry, PathBuf::from("standard.rhai"));
    assert_eq!(from_dir.entry, dir.join("standard.rhai"));
    assert_eq!(from_memory.entry_bytes, from_dir.entry_bytes);
    assert!(from_memory.calendars.keys().eq(from_dir.calendars.keys()));
    assert_eq!(from_memory.limits, from_dir.limits);

    // fixtures and READMEs do not change the digest
    let mut fewer = files.clone();
    fewer.retain(|k, _| !k.starts_with("fixtures/") && k != "README.md");
    assert_eq!(Bundle::from_files(fewer).unwrap().digest, from_dir.digest);

    let engine = Engine::new();
    let (mut a, mut b) = (from_dir, from_memory);
    a.limits.timeout_ms = 60_000; // about what is decided, not how fast
    b.limits.timeout_ms = 60_000;
    let (a, b) = (
        engine.from_bundle(a).unwrap(),
        engine.from_bundle(b).unwrap(),
    );
    for (case, now) in generate::cases(14, 300) {
        let x = serde_json::to_value(a.decide(&case, now).unwrap()).unwrap();
        let y = serde_json::to_value(b.decide(&case, now).unwrap()).unwrap();
        assert_eq!(x, y, "{}", case.id);
    }
}

const POLICY: &str = "name = \"p\"\nversion = \"1.0.0\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n";
const SCRIPT: &str = "fn decide(ticket, now) { #{ deadlines: [], notes: [] } }";
const CALENDAR: &str = "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\n";

/// A bundle folder in `dir` with `policy` as `policy.toml`, `p.rhai` and
/// `calendars/office.toml`.
fn write(dir: &Path, policy: &str) {
    fs::create_dir_all(dir.join("calendars")).unwrap();
    fs::write(dir.join("policy.toml"), policy).unwrap();
    fs::write(dir.join("p.rhai"), SCRIPT).unwrap();
    fs::write(dir.join("calendars/office.toml"), CALENDAR).unwrap();
}

/// The load must fail with a manifest error pointing at the line of policy.toml that
/// holds `value`, whose message names `key`; returns the message.
fn refused(result: Result<Bundle, BundleError>, policy: &str, key: &str, value: &str) -> String {
    let (location, message): (Location, String) = match result {
        Err(BundleError::Manifest { location, message }) => (location, message),
        other => panic!("{key}: expected a manifest error, got {other:?}"),
    };
    assert!(location.file.ends_with("policy.toml"), "{location}");
    let line = policy.lines().position(|l| l.contains(value)).unwrap() + 1;
    assert_eq!(location.line, line, "{key}: {message}");
    assert!(
        message.starts_with(&format!("`{key}`: `{value}` is ")),
        "{key}: {message}"
    );
    assert!(
        message.ends_with("paths must be relative and stay inside the bundle folder"),
        "{message}"
    );
    message
}

#[test]
fn absolute_and_parent_paths_are_refused_naming_the_key() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("x.toml");
    fs::write(&secret, CALENDAR).unwrap();
    let secret = secret.to_str().unwrap().replace('\\', "/");
    let cases = [
        (
            POLICY.replace("\"p.rhai\"", &format!("\"{secret}\"")),
            "entry",
            secret.clone(),
        ),
        (
            POLICY.replace("\"p.rhai\"", "\"../p.rhai\""),
            "entry",
            "../p.rhai".into(),
        ),
        (
            format!("{POLICY}[calendars]\nsupport = \"../x.toml\"\n"),
            "calendars.support",
            "../x.toml".into(),
        ),
        (
            format!("{POLICY}[calendars]\nsupport = \"calendars/../../x.toml\"\n"),
            "calendars.support",
            "calendars/../../x.toml".into(),
        ),
        (
            format!("{POLICY}[calendars]\nsupport = \"{secret}\"\n"),
            "calendars.support",
            secret.clone(),
        ),
        (
            format!("{POLICY}source = \"../guest\"\n"),
            "source",
            "../guest".into(),
        ),
    ];
    for (policy, key, value) in cases {
        let dir = tempfile::tempdir().unwrap();
        let bundle = dir.path().join("b");
        write(&bundle, &policy);
        let message = refused(Bundle::load(&bundle), &policy, key, &value);
        assert!(
            message.contains("is an absolute path") || message.contains("is outside the bundle"),
            "{message}"
        );
        // the same files from memory are refused the same way
        let files = files_under(&bundle);
        let from_memory = refused(Bundle::from_files(files), &policy, key, &value);
        assert_eq!(from_memory, message);
        // and `pacto build`'s loader too
        refused(Bundle::load_with(&bundle, false), &policy, key, &value);
    }
}

#[cfg(unix)]
#[test]
fn symlinks_escaping_the_folder_are_refused_naming_the_key() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.toml"), CALENDAR).unwrap();
    fs::write(outside.path().join("p.rhai"), SCRIPT).unwrap();
    fs::create_dir(outside.path().join("cals")).unwrap();
    fs::write(outside.path().join("cals/y.toml"), CALENDAR).unwrap();

    // a calendar file that is a symlink out
    let dir = tempfile::tempdir().unwrap();
    let policy = format!("{POLICY}[calendars]\nsupport = \"calendars/support.toml\"\n");
    write(dir.path(), &policy);
    symlink(
        outside.path().join("x.toml"),
        dir.path().join("calendars/support.toml"),
    )
    .unwrap();
    let message = refused(
        Bundle::load(dir.path()),
        &policy,
        "calendars.support",
        "calendars/support.toml",
    );
    assert!(message.contains("(it resolves to `"), "{message}");

    // a folder on the way that is a symlink out
    let dir = tempfile::tempdir().unwrap();
    let policy = format!("{POLICY}[calendars]\nsupport = \"linked/y.toml\"\n");
    write(dir.path(), &policy);
    symlink(outside.path().join("cals"), dir.path().join("linked")).unwrap();
    refused(
        Bundle::load(dir.path()),
        &policy,
        "calendars.support",
        "linked/y.toml",
    );

    // the entry as a symlink out, also for `pacto build`
    let dir = tempfile::tempdir().unwrap();
    let policy = POLICY.replace("\"p.rhai\"", "\"q.rhai\"");
    write(dir.path(), &policy);
    symlink(outside.path().join("p.rhai"), dir.path().join("q.rhai")).unwrap();
    refused(Bundle::load(dir.path()), &policy, "entry", "q.rhai");
    refused(
        Bundle::load_with(dir.path(), false),
        &policy,
        "entry",
        "q.rhai",
    );
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_folder_and_a_symlinked_folder_load() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    let policy = format!("{POLICY}[calendars]\nsupport = \"calendars/alias.toml\"\n");
    write(&real, &policy);
    symlink(
        real.join("calendars/office.toml"),
        real.join("calendars/alias.toml"),
    )
    .unwrap();
    let bundle = Bundle::load(&real).unwrap();
    assert!(bundle.calendars.contains_key("support"));
    // the bundle folder itself reached through a symlink
    let link = dir.path().join("link");
    symlink(&real, &link).unwrap();
    let through_link = Bundle::load(&link).unwrap();
    assert_eq!(through_link.digest, bundle.digest);
    assert_eq!(through_link.entry, link.join("p.rhai"));
}
