//! A policy bundle: a folder with `policy.toml`, the policy (a Rhai script or a Wasm
//! component), its calendars and fixtures.
//!
//! ```toml
//! name = "standard"
//! version = "1.0.0"
//! engine = "rhai"                     # or "wasm"
//! entry = "standard.rhai"             # or "standard.wasm"
//! [calendars]
//! support = "calendars/support.toml"
//! [limits]                            # optional; defaults are safe
//! fuel = 10_000_000
//! memory_mb = 16
//! max_operations = 1_000_000
//! timeout_ms = 50
//! max_host_calls = 10_000
//! max_case_bytes = 1_048_576
//! ```
//!
//! Every key of [`Limits`] can be set; SECURITY.md lists them with their defaults.
//!
//! Everything is read and checked at load; a decision reads no file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::calendar::Calendar;
use crate::error::{CalendarLoadError, Location};

/// Which sandbox runs the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// A Rhai script.
    Rhai,
    /// A WebAssembly component.
    Wasm,
}

impl EngineKind {
    /// `rhai` or `wasm`, as `policy.toml` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Rhai => "rhai",
            EngineKind::Wasm => "wasm",
        }
    }
}

/// Resource limits per decision; every field has a safe default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Wasm: instructions of fuel per decision.
    pub fuel: u64,
    /// Wasm: linear memory cap, MiB.
    pub memory_mb: u64,
    /// Rhai: operations per decision.
    pub max_operations: u64,
    /// Wall-clock cap per decision, both engines, milliseconds.
    pub timeout_ms: u64,
    /// Rhai: nested function calls.
    pub max_call_depth: usize,
    /// Rhai: bytes in one string.
    pub max_string_size: usize,
    /// Both engines: events in a case; a case with more is refused before the policy
    /// runs.
    pub max_events: usize,
    /// Both engines: entries in each list of a decision (deadlines, compensation, notes,
    /// an escalation's notify).
    pub max_output_items: usize,
    /// Both engines: bytes in each string of a decision (a note, a reason, a team).
    pub max_output_string: usize,
    /// Both engines: calls of the host functions (`clock`, `add_business_minutes`,
    /// `business_minutes_between`, `is_business_time`) in one decision.
    pub max_host_calls: u64,
    /// Both engines: the case's size as [`Case::size_bytes`](crate::Case::size_bytes)
    /// measures it; a larger case is refused before the policy runs.
    pub max_case_bytes: usize,
    /// Rhai: items in one array.
    pub max_array_size: usize,
    /// Rhai: entries in one map.
    pub max_map_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 10_000_000,
            memory_mb: 16,
            max_operations: 1_000_000,
            timeout_ms: 50,
            max_call_depth: 64,
            max_string_size: 64 * 1024,
            max_array_size: 10_000,
            max_map_size: 10_000,
            max_events: 10_000,
            max_output_items: 100,
            max_output_string: 4 * 1024,
            max_host_calls: 10_000,
            max_case_bytes: 1 << 20,
        }
    }
}

impl Limits {
    /// The first limit set to 0, which would refuse every decision (or, for
    /// `max_events`, every case with an event): a mistake, refused at load.
    fn zero(&self) -> Option<&'static str> {
        [
            ("fuel", self.fuel == 0),
            ("memory_mb", self.memory_mb == 0),
            ("max_operations", self.max_operations == 0),
            ("timeout_ms", self.timeout_ms == 0),
            ("max_call_depth", self.max_call_depth == 0),
            ("max_string_size", self.max_string_size == 0),
            ("max_array_size", self.max_array_size == 0),
            ("max_map_size", self.max_map_size == 0),
            ("max_events", self.max_events == 0),
            ("max_output_items", self.max_output_items == 0),
            ("max_output_string", self.max_output_string == 0),
            ("max_host_calls", self.max_host_calls == 0),
            ("max_case_bytes", self.max_case_bytes == 0),
        ]
        .into_iter()
        .find_map(|(key, zero)| zero.then_some(key))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: Spanned<String>,
    version: Spanned<String>,
    engine: Spanned<EngineKind>,
    entry: Spanned<String>,
    #[serde(default)]
    calendars: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    limits: Limits,
    /// Wasm: the guest crate that `pacto build` compiles into `entry`.
    #[serde(default)]
    source: Option<Spanned<String>>,
}

/// A bundle that cannot be loaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BundleError {
    /// A file could not be read.
    #[error("{path}: cannot read: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// `policy.toml` (or another bundle file) is malformed.
    #[error("{location}: {message}")]
    Manifest {
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
    /// A calendar of the bundle is malformed.
    #[error(transparent)]
    Calendar(#[from] CalendarLoadError),
    /// The policy itself does not compile.
    #[error("{location}: {message}")]
    Policy {
        /// Where in the policy's source.
        location: Location,
        /// The compiler's message.
        message: String,
    },
}

impl miette::Diagnostic for BundleError {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.location()?.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.location()?.labels()
    }
}

impl BundleError {
    /// Where the problem is, when it is at a place in a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            BundleError::Read { .. } => None,
            BundleError::Manifest { location, .. } | BundleError::Policy { location, .. } => {
                Some(location)
            }
            BundleError::Calendar(e) => Some(&e.location),
        }
    }
}

/// A loaded, checked bundle.
///
/// From a folder ([`load`](Self::load)), `dir` is the folder as given and `entry`,
/// `source` are `dir` joined with the paths `policy.toml` names. From memory
/// ([`from_files`](Self::from_files)) there is no folder: `dir` is empty and `entry`,
/// `source` are the bundle-relative names (`standard.rhai`), which is also what errors
/// name as the file.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The folder (empty for a bundle loaded from memory).
    pub dir: PathBuf,
    /// `name` from `policy.toml`.
    pub name: String,
    /// `version` from `policy.toml`.
    pub version: String,
    /// Which sandbox runs it.
    pub engine: EngineKind,
    /// The entry file (its bundle-relative name for a bundle loaded from memory).
    pub entry: PathBuf,
    /// The entry file's bytes.
    pub entry_bytes: Vec<u8>,
    /// The Wasm guest's source crate, if named.
    pub source: Option<PathBuf>,
    /// Calendars by the name policies use.
    pub calendars: BTreeMap<String, Calendar>,
    /// Per-decision limits.
    pub limits: Limits,
    /// `sha256:` + hex over `policy.toml`, the entry and the calendars.
    pub digest: String,
}

fn read(path: &Path) -> Result<Vec<u8>, BundleError> {
    std::fs::read(path).map_err(|e| BundleError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Why a path in `policy.toml` is not a file inside the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotInside {
    /// `/x`, `\x` or `C:x`.
    Absolute,
    /// Has a `..` component.
    Parent,
    /// Names no file (empty, `.`).
    Empty,
}

/// `path` as a bundle-relative name: `/`-separated (a `\` separates too, so a bundle
/// means the same on every system), without `.` components; or why it cannot be one.
fn relative_name(path: &str) -> Result<String, NotInside> {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    // every absolute path on any system: `/x`, `\\server\x`, `C:\x` (and `C:x`)
    if path.starts_with(['/', '\\']) || drive {
        return Err(NotInside::Absolute);
    }
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err(NotInside::Parent),
            _ => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(NotInside::Empty);
    }
    Ok(parts.join("/"))
}

const STAY_INSIDE: &str = "paths must be relative and stay inside the bundle folder";

/// What reading one named file gave.
enum Fetched {
    Bytes(Vec<u8>),
    /// Not there, or not readable: why.
    Missing(String),
    /// A symlink (or a path through one) that resolves outside the folder.
    Escapes(PathBuf),
}

/// Where a bundle's files come from.
enum Files<'a> {
    /// A folder: as given, and canonical (to check that files resolve inside it).
    Dir { dir: &'a Path, root: PathBuf },
    /// Bundle-relative names to bytes.
    Memory(BTreeMap<String, Vec<u8>>),
}

impl Files<'_> {
    /// The path a [`Bundle`] field holds, and errors and calendars name, for the file
    /// `raw` (as written in `policy.toml`) whose bundle-relative name is `rel`.
    fn path(&self, raw: &str, rel: &str) -> PathBuf {
        match self {
            Files::Dir { dir, .. } => dir.join(raw),
            Files::Memory(_) => PathBuf::from(rel),
        }
    }

    fn fetch(&self, raw: &str, rel: &str) -> Fetched {
        match self {
            Files::Dir { dir, root } => match std::fs::canonicalize(dir.join(raw)) {
                Err(e) => Fetched::Missing(e.to_string()),
                Ok(real) if !real.starts_with(root) => Fetched::Escapes(real),
                Ok(real) => match std::fs::read(&real) {
                    Ok(bytes) => Fetched::Bytes(bytes),
                    Err(e) => Fetched::Missing(e.to_string()),
                },
            },
            Files::Memory(files) => match files.get(rel) {
                Some(bytes) => Fetched::Bytes(bytes.clone()),
                None => Fetched::Missing("not among the bundle's files".into()),
            },
        }
    }

    /// Where `raw` resolves when that is outside the folder (a folder's symlink); for a
    /// path that does not exist (yet), or a bundle in memory, nothing.
    fn escapes(&self, raw: &str) -> Option<PathBuf> {
        match self {
            Files::Dir { dir, root } => std::fs::canonicalize(dir.join(raw))
                .ok()
                .filter(|real| !real.starts_with(root)),
            Files::Memory(_) => None,
        }
    }
}

impl Bundle {
    /// Reads and checks the bundle in `dir` (everything but compiling the policy).
    ///
    /// It reads the files `policy.toml` names and checks them as
    /// [`from_files`](Self::from_files) does; besides, each must resolve inside `dir`
    /// (a symlink that leads out of the folder is refused).
    pub fn load(dir: &Path) -> Result<Bundle, BundleError> {
        Self::load_with(dir, true)
    }

    /// Like [`load`](Self::load); when `need_entry` is false a missing entry file is
    /// allowed (for `pacto build`, which creates it).
    pub fn load_with(dir: &Path, need_entry: bool) -> Result<Bundle, BundleError> {
        let manifest_path = dir.join("policy.toml");
        let manifest = read(&manifest_path)?;
        let root = std::fs::canonicalize(dir).map_err(|e| BundleError::Read {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let files = Files::Dir { dir, root };
        Self::check(
            &files,
            &manifest_path.display().to_string(),
            manifest,
            need_entry,
        )
    }

    /// Checks a bundle held in memory: file names (bundle-relative, `/`-separated, such
    /// as `policy.toml` or `calendars/support.toml`) to their bytes. The same files give
    /// the same bundle, and the same digest, as [`load`](Self::load) of a folder holding
    /// them; files `policy.toml` does not name (fixtures, READMEs) are ignored.
    ///
    /// The bundle has no folder: `dir` is empty, and `entry` and `source` are the names
    /// `policy.toml` gives (errors name files that way too).
    ///
    /// ```
    /// let bundle = pacto::Bundle::from_files([
    ///     ("policy.toml", "name = \"p\"\nversion = \"1.0.0\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n"),
    ///     ("p.rhai", "fn decide(ticket, now) { #{ deadlines: [], notes: [] } }"),
    /// ])?;
    /// assert_eq!(bundle.entry, std::path::Path::new("p.rhai"));
    /// assert!(bundle.digest.starts_with("sha256:"));
    /// # Ok::<(), pacto::BundleError>(())
    /// ```
    pub fn from_files<N, B>(files: impl IntoIterator<Item = (N, B)>) -> Result<Bundle, BundleError>
    where
        N: Into<String>,
        B: Into<Vec<u8>>,
    {
        let mut by_name = BTreeMap::new();
        for (name, bytes) in files {
            let name: String = name.into();
            let whole_file = |message: String| BundleError::Manifest {
                location: Location::file(name.clone()),
                message,
            };
            let rel = relative_name(&name).map_err(|_| {
                whole_file(format!(
                    "file name `{name}` is not a path inside the bundle; use a relative \
                     path with `/`, such as `calendars/support.toml`"
                ))
            })?;
            if by_name.insert(rel.clone(), bytes.into()).is_some() {
                return Err(whole_file(format!(
                    "file `{rel}` is given twice; give each file once"
                )));
            }
        }
        let manifest = by_name
            .get("policy.toml")
            .cloned()
            .ok_or_else(|| BundleError::Read {
                path: "policy.toml".into(),
                message: "not among the bundle's files; a bundle needs a `policy.toml`".into(),
            })?;
        Self::check(&Files::Memory(by_name), "policy.toml", manifest, true)
    }

    /// Parses `policy.toml` (`manifest`, named `file` in errors), reads and checks what it
    /// names from `files`.
    fn check(
        files: &Files<'_>,
        file: &str,
        bytes: Vec<u8>,
        need_entry: bool,
    ) -> Result<Bundle, BundleError> {
        let text = String::from_utf8(bytes.clone()).map_err(|_| BundleError::Read {
            path: file.to_owned(),
            message: "not UTF-8".into(),
        })?;
        let at = |span: std::ops::Range<usize>, message: String| BundleError::Manifest {
            location: Location::in_text(file, &text, span),
            message,
        };
        let m: Manifest = toml::from_str(&text)
            .map_err(|e| at(e.span().unwrap_or(0..0), e.message().trim_end().to_owned()))?;
        for (field, value) in [
            ("name", &m.name),
            ("version", &m.version),
            ("entry", &m.entry),
        ] {
            if value.get_ref().trim().is_empty() {
                return Err(at(value.span(), format!("`{field}` must not be empty")));
            }
        }
        // Every path `policy.toml` names stays inside the bundle.
        let resolves_outside = |key: &str, value: &Spanned<String>, real: &Path| {
            at(
                value.span(),
                format!(
                    "`{key}`: `{}` is outside the bundle (it resolves to `{}`); {STAY_INSIDE}",
                    value.get_ref(),
                    real.display()
                ),
            )
        };
        let inside = |key: &str, value: &Spanned<String>| {
            let raw = value.get_ref();
            let outside = |how: String| at(value.span(), format!("`{key}`: `{raw}` {how}"));
            let rel = relative_name(raw).map_err(|problem| {
                outside(match problem {
                    NotInside::Absolute => format!("is an absolute path; {STAY_INSIDE}"),
                    NotInside::Parent => format!("is outside the bundle; {STAY_INSIDE}"),
                    NotInside::Empty => "names no file; give a path relative to the bundle \
                                         folder, such as `calendars/support.toml`"
                        .to_owned(),
                })
            })?;
            if let Some(real) = files.escapes(raw) {
                return Err(resolves_outside(key, value, &real));
            }
            Ok(rel)
        };
        let entry_rel = inside("entry", &m.entry)?;
        let source = match &m.source {
            Some(s) => Some(files.path(s.get_ref(), &inside("source", s)?)),
            None => None,
        };
        let mut calendar_rels = Vec::with_capacity(m.calendars.len());
        for (name, rel) in &m.calendars {
            calendar_rels.push(inside(&format!("calendars.{name}"), rel)?);
        }

        let entry_raw = m.entry.get_ref();
        let entry_bytes = match files.fetch(entry_raw, &entry_rel) {
            Fetched::Bytes(b) => b,
            Fetched::Missing(_) if !need_entry => Vec::new(),
            Fetched::Missing(why) => {
                let hint = if *m.engine.get_ref() == EngineKind::Wasm {
                    "; build it with `pacto build`"
                } else {
                    ""
                };
                return Err(at(
                    m.entry.span(),
                    format!(
                        "entry `{}` cannot be read: {why}{hint}",
                        files.path(entry_raw, &entry_rel).display()
                    ),
                ));
            }
            // resolved outside after the check above: the folder changed meanwhile
            Fetched::Escapes(real) => return Err(resolves_outside("entry", &m.entry, &real)),
        };
        let mut digest = Sha256::new();
        let mut feed = |name: &str, data: &[u8]| {
            digest.update((name.len() as u64).to_le_bytes());
            digest.update(name.as_bytes());
            digest.update((data.len() as u64).to_le_bytes());
            digest.update(data);
        };
        feed("policy.toml", &bytes);
        feed(entry_raw, &entry_bytes);
        let mut calendars = BTreeMap::new();
        for ((name, raw), rel) in m.calendars.iter().zip(&calendar_rels) {
            let shown = files.path(raw.get_ref(), rel).display().to_string();
            let cal_bytes = match files.fetch(raw.get_ref(), rel) {
                Fetched::Bytes(b) => b,
                Fetched::Missing(why) => {
                    return Err(at(
                        raw.span(),
                        format!("calendar `{name}`: `{shown}` cannot be read: {why}"),
                    ));
                }
                Fetched::Escapes(real) => {
                    return Err(resolves_outside(&format!("calendars.{name}"), raw, &real));
                }
            };
            let cal_text = String::from_utf8_lossy(&cal_bytes);
            calendars.insert(name.clone(), Calendar::from_toml(&shown, &cal_text)?);
            feed(raw.get_ref(), &cal_bytes);
        }
        let limits = m.limits;
        if let Some(key) = limits.zero() {
            let span = text
                .find("[limits]")
                .and_then(|i| text[i..].find(key).map(|j| i + j..i + j + key.len()))
                .or_else(|| text.find("[limits]").map(|i| i..i + 8))
                .unwrap_or(0..0);
            return Err(at(span, format!("`limits.{key}` must be greater than 0")));
        }
        let dir = match files {
            Files::Dir { dir, .. } => dir.to_path_buf(),
            Files::Memory(_) => PathBuf::new(),
        };
        Ok(Bundle {
            entry: files.path(entry_raw, &entry_rel),
            dir,
            name: m.name.into_inner(),
            version: m.version.into_inner(),
            engine: m.engine.into_inner(),
            entry_bytes,
            source,
            calendars,
            limits,
            digest: format!("sha256:{:x}", digest.finalize()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str =
        "name = \"p\"\nversion = \"1.0.0\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n";
    const SCRIPT: &str = "fn decide(ticket, now) { #{ deadlines: [], notes: [] } }";
    const CALENDAR: &str = "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\n";

    fn manifest_error(result: Result<Bundle, BundleError>) -> (Location, String) {
        match result {
            Err(BundleError::Manifest { location, message }) => (location, message),
            other => panic!("expected a manifest error, got {other:?}"),
        }
    }

    #[test]
    fn relative_names_are_normalized_and_escapes_refused() {
        assert_eq!(relative_name("a/./b.toml"), Ok("a/b.toml".into()));
        assert_eq!(relative_name("./p.rhai"), Ok("p.rhai".into()));
        assert_eq!(relative_name("a\\b.toml"), Ok("a/b.toml".into()));
        assert_eq!(relative_name("/etc/x"), Err(NotInside::Absolute));
        assert_eq!(relative_name("\\x"), Err(NotInside::Absolute));
        assert_eq!(relative_name("C:x"), Err(NotInside::Absolute));
        assert_eq!(relative_name("../x"), Err(NotInside::Parent));
        assert_eq!(relative_name("a/../../x"), Err(NotInside::Parent));
        assert_eq!(relative_name("a\\..\\x"), Err(NotInside::Parent));
        assert_eq!(relative_name("."), Err(NotInside::Empty));
        assert_eq!(relative_name(""), Err(NotInside::Empty));
    }

    #[test]
    fn from_files_loads_a_bundle_with_relative_names() {
        let policy = format!("{POLICY}[calendars]\nsupport = \"./calendars/s.toml\"\n");
        let bundle = Bundle::from_files([
            ("policy.toml", policy.as_str()),
            ("p.rhai", SCRIPT),
            ("calendars/s.toml", CALENDAR),
            ("fixtures/ignored.json", "not even json"),
        ])
        .unwrap();
        assert_eq!(bundle.dir, PathBuf::new());
        assert_eq!(bundle.entry, PathBuf::from("p.rhai"));
        assert_eq!(bundle.entry_bytes, SCRIPT.as_bytes());
        assert!(bundle.calendars.contains_key("support"));
        assert_eq!(bundle.source, None);
    }

    #[test]
    fn from_files_names_what_is_missing() {
        let e = Bundle::from_files([("p.rhai", SCRIPT)]).unwrap_err();
        assert!(
            matches!(&e, BundleError::Read { path, .. } if path == "policy.toml"),
            "{e}"
        );
        let (location, message) = manifest_error(Bundle::from_files([("policy.toml", POLICY)]));
        assert_eq!((location.file.as_str(), location.line), ("policy.toml", 4));
        assert!(
            message.contains("entry `p.rhai` cannot be read: not among the bundle's files"),
            "{message}"
        );
        let (location, message) = manifest_error(Bundle::from_files([
            ("policy.toml", POLICY),
            ("../p.rhai", SCRIPT),
        ]));
        assert_eq!(location.file, "../p.rhai");
        assert!(
            message.contains("file name `../p.rhai` is not a path inside"),
            "{message}"
        );
        let (_, message) = manifest_error(Bundle::from_files([
            ("policy.toml", POLICY),
            ("p.rhai", SCRIPT),
            ("./p.rhai", SCRIPT),
        ]));
        assert!(
            message.contains("file `p.rhai` is given twice"),
            "{message}"
        );
    }

    #[test]
    fn paths_in_policy_toml_must_stay_inside_the_bundle() {
        for (policy, key, value) in [
            (
                POLICY.replace("\"p.rhai\"", "\"/etc/p.rhai\""),
                "entry",
                "/etc/p.rhai",
            ),
            (
                POLICY.replace("\"p.rhai\"", "\"../p.rhai\""),
                "entry",
                "../p.rhai",
            ),
            (
                format!("{POLICY}source = \"../guest\"\n"),
                "source",
                "../guest",
            ),
            (
                format!("{POLICY}[calendars]\nsupport = \"../x.toml\"\n"),
                "calendars.support",
                "../x.toml",
            ),
        ] {
            let (location, message) = manifest_error(Bundle::from_files([
                ("policy.toml", policy.as_str()),
                ("p.rhai", SCRIPT),
            ]));
            assert!(
                message.starts_with(&format!("`{key}`: `{value}` is ")),
                "{key}: {message}"
            );
            assert!(
                message.contains("paths must be relative and stay inside"),
                "{message}"
            );
            let line = policy.lines().position(|l| l.contains(value)).unwrap() + 1;
            assert_eq!(location.line, line, "{key}: {message}");
        }
    }
}
