//! The hostile-policy suite (issue 17, item 3): policies that attack the host on
//! purpose. Each attack ends in its typed error within its limit; the same policy then
//! decides the next case (through `harness::attack`), and the same engine loads and
//! decides with other policies. Wasm guest: `test-programs/guests/sandbox`.

use std::sync::Arc;

use pacto::{Bundle, BundleError, DecideError, Engine, LimitExceeded, Policy};

use crate::harness::{self, case};

const CALENDAR: &str = "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\n";

fn rhai(script: &str, limits: &str) -> Result<Policy, BundleError> {
    let manifest = format!(
        "name = \"h\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"h.rhai\"\n[calendars]\noffice = \"office.toml\"\n[limits]\n{limits}\n"
    );
    Engine::new().from_bundle(Bundle::from_files([
        ("policy.toml", manifest),
        ("h.rhai", script.to_owned()),
        ("office.toml", CALENDAR.to_owned()),
    ])?)
}

/// A Rhai policy that runs `attack` on the case `bad` and decides `good` as every
/// sandbox test expects.
fn rhai_attacker(attack: &str, limits: &str) -> Policy {
    let script = format!(
        "fn decide(ticket, now) {{\n  if ticket.id == \"bad\" {{ {attack} }}\n  let fr = clock(ticket, \"first_response\", \"office\", 60);\n  #{{ deadlines: [fr], notes: [\"good\"] }}\n}}\n"
    );
    rhai(&script, limits).unwrap_or_else(|e| panic!("{e}"))
}

fn wasm(component: &str, limits: &str) -> (tempfile::TempDir, Result<Policy, BundleError>) {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(
        dir.path(),
        "sandbox",
        "wasm",
        "p.wasm",
        &format!("[limits]\n{limits}\n"),
    );
    std::fs::copy(component, dir.path().join("p.wasm")).unwrap();
    let policy = Engine::new().load(dir.path());
    (dir, policy)
}

fn sandbox(limits: &str) -> (tempfile::TempDir, Policy) {
    let (dir, policy) = wasm(test_programs::SANDBOX, limits);
    (dir, policy.unwrap_or_else(|e| panic!("{e}")))
}

fn limit(e: DecideError) -> LimitExceeded {
    match e {
        DecideError::Limit(l) => l,
        other => panic!("expected a limit, got {other:?}"),
    }
}

/// The engine still loads a good policy and decides with it.
fn engine_still_serves() {
    let (_dir, p) = sandbox("");
    let d = p
        .decide(&case("good"), "2026-03-02T10:30:00Z".parse().unwrap())
        .unwrap();
    assert_eq!(d.notes, ["good"]);
}

// ---- Rhai ----

/// Runs the attack on a thread with a 256 KiB stack: Rhai clones, compares, formats and
/// drops nested values recursively, and the decision must not overflow whatever stack
/// its caller has.
fn on_a_small_stack(policy: Policy) -> DecideError {
    let policy = Arc::new(policy);
    std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || harness::attack(&policy, "bad"))
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn maps_nested_as_deep_as_the_limits_allow_are_stopped_by_the_map_limit_on_any_stack() {
    // 1,000 levels need 8 to 16 MiB of stack in a debug build, far past the 256 KiB
    // caller; more would only cost time (Rhai copies the map at every level)
    let limits = "max_operations = 100_000_000\ntimeout_ms = 600_000\nmax_map_size = 1000";
    let nest = "let m = #{}; for i in 0..100000 { m = #{ inner: m }; }";
    // each way Rhai walks a nested value: clone and drop, return it, format it, compare
    for tail in [
        "throw \"x\"",
        "return #{ notes: [\"x\"], escalation: m };",
        "let s = m.to_string(); throw s",
        "if m == m { throw \"eq\" }",
        "let a = [m, m]; throw \"x\"",
    ] {
        let p = rhai_attacker(&format!("{nest} {tail}"), limits);
        assert_eq!(
            limit(on_a_small_stack(p)),
            LimitExceeded::MapSize(1000),
            "{tail}"
        );
    }
}

#[test]
fn maps_and_arrays_nested_just_inside_the_limits_are_decided_on_any_stack() {
    let limits = "max_operations = 100_000_000\ntimeout_ms = 600_000\nmax_map_size = 800\nmax_array_size = 800";
    // 799 maps in arrays in maps …: each level counts once against each limit
    let nest = "let m = #{}; for i in 0..799 { m = [#{ inner: m }]; }";
    let p = rhai_attacker(
        &format!("{nest} let s = m.to_string(); if m == m {{ throw \"deep \" + s.len() }}"),
        limits,
    );
    let e = on_a_small_stack(p);
    assert!(
        matches!(&e, DecideError::Policy(f) if f.message.starts_with("deep ")),
        "{e}"
    );
}

#[test]
fn data_limits_that_would_allow_nesting_past_the_stack_are_refused_at_load() {
    let e = rhai(
        "fn decide(ticket, now) { #{} }",
        "max_map_size = 150_000\nmax_array_size = 60_000",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("max_map_size` + `limits.max_array_size` is 210000"),
        "{e}"
    );
}

#[test]
fn a_host_call_loop_that_catches_every_error_stops_at_max_host_calls() {
    let attack = "let n = 0; loop { try { clock(ticket, \"first_response\", \"office\", 60); n += 1; } catch { n += 1; } }";
    let p = rhai_attacker(attack, "max_operations = 100_000_000\ntimeout_ms = 600_000");
    assert_eq!(
        limit(harness::attack(&p, "bad")),
        LimitExceeded::HostCalls(10_000)
    );
    let p = rhai_attacker(attack, "max_host_calls = 100");
    let e = harness::attack(&p, "bad");
    assert_eq!(
        e.to_string(),
        "policy stopped: more than 100 host calls (`max_host_calls`)"
    );
    // a policy within its budget decides: the good case makes one call
    let p = rhai_attacker("", "max_host_calls = 1");
    assert!(
        p.decide(&case("good"), "2026-03-02T10:30:00Z".parse().unwrap())
            .is_ok()
    );
}

#[test]
fn import_is_refused_at_load_naming_the_line() {
    let e = rhai("import \"os\" as os;\nfn decide(ticket, now) { #{} }", "").unwrap_err();
    let text = e.to_string();
    assert!(text.contains("h.rhai:1:"), "{text}");
}

#[test]
fn eval_is_refused_at_load() {
    let e = rhai("fn decide(ticket, now) { eval(\"40 + 2\") }", "").unwrap_err();
    assert!(e.to_string().contains("h.rhai:1:"), "{e}");
}

#[test]
fn decide_with_the_wrong_arity_is_refused_at_load() {
    for script in [
        "fn decide(ticket) { #{} }",
        "fn decide(ticket, now, extra) { #{} }",
        "fn decide() { #{} }",
    ] {
        let e = rhai(script, "").unwrap_err();
        assert!(
            e.to_string().contains("no `fn decide(ticket, now)`"),
            "{script}: {e}"
        );
    }
}

#[test]
fn an_expression_nested_too_deep_is_refused_at_load() {
    let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
    let e = rhai(
        &format!("fn decide(ticket, now) {{ let x = {deep}; #{{}} }}"),
        "",
    )
    .unwrap_err();
    assert!(e.to_string().contains("h.rhai:1:"), "{e}");
}

#[test]
fn there_is_no_clock_in_rhai() {
    for call in ["timestamp()", "now()"] {
        let p = rhai_attacker(&format!("let t = {call}; throw \"read \" + t;"), "");
        let e = harness::attack(&p, "bad");
        assert!(
            matches!(&e, DecideError::Policy(f) if f.message.contains("not found")),
            "{call}: {e}"
        );
    }
}

#[test]
fn a_script_keeps_no_state_across_decisions() {
    // the top level never runs; a mutated argument is the decision's own copy
    let script = "throw \"the top level ran\";\nfn decide(ticket, now) {\n  let seen = ticket.customer.tier;\n  ticket.customer.tier = \"changed\";\n  #{ notes: [seen] }\n}\n";
    let p = rhai(script, "").unwrap();
    for _ in 0..3 {
        let d = p
            .decide(&case("x"), "2026-03-02T10:30:00Z".parse().unwrap())
            .unwrap();
        assert_eq!(d.notes, ["standard"]);
    }
}

// ---- Wasm ----

#[test]
fn a_guest_growing_memory_a_page_at_a_time_stops_at_memory_mb() {
    let (_dir, p) = sandbox("fuel = 1_000_000_000_000\ntimeout_ms = 600_000");
    assert_eq!(
        limit(harness::attack(&p, "grow")),
        LimitExceeded::Memory(16)
    );
}

#[test]
fn a_guest_calling_the_host_a_million_times_stops_at_max_host_calls() {
    // fuel and time allow a million calls: the call budget stops it, and the guest
    // cannot catch that
    let (_dir, p) = sandbox("fuel = 1_000_000_000_000\ntimeout_ms = 600_000");
    assert_eq!(
        limit(harness::attack(&p, "host_calls")),
        LimitExceeded::HostCalls(10_000)
    );
    let (_dir, p) = sandbox("max_host_calls = 50");
    assert_eq!(
        limit(harness::attack(&p, "host_calls")),
        LimitExceeded::HostCalls(50)
    );
}

#[test]
fn a_fifty_megabyte_note_stops_at_memory_mb_or_at_max_output_string() {
    let (_dir, p) = sandbox("timeout_ms = 600_000");
    assert_eq!(
        limit(harness::attack(&p, "huge_note")),
        LimitExceeded::Memory(16)
    );
    // with room for it, the note reaches the host, which refuses it by size
    let (_dir, p) = sandbox("timeout_ms = 600_000\nmemory_mb = 256\nfuel = 1_000_000_000_000");
    assert_eq!(
        limit(harness::attack(&p, "huge_note")),
        LimitExceeded::OutputString {
            path: "notes[0]".into(),
            len: 50 << 20,
            limit: 4096
        }
    );
}

#[test]
fn a_guest_reaches_no_file_variable_argument_or_socket_and_reads_fixed_clocks_and_randomness() {
    let (_dir, p) = sandbox("");
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let first = p.decide(&case("wasi"), now).unwrap().notes;
    let [fs, env, args, net, wall, monotonic, random] = &first[..] else {
        panic!("{first:?}")
    };
    assert!(fs.starts_with("fs: denied"), "{fs}");
    assert_eq!(env, "env: 0 variables");
    assert_eq!(args, "args: 0");
    assert!(net.starts_with("net: denied"), "{net}");
    assert_eq!(wall, "wall clock: 0");
    assert_eq!(monotonic, "monotonic elapsed: 0");
    assert!(random.starts_with("random hash: "), "{random}");
    // the same on every decision, on another thread, and with another policy instance
    let again = std::thread::scope(|s| s.spawn(|| p.decide(&case("wasi"), now)).join())
        .unwrap()
        .unwrap()
        .notes;
    assert_eq!(again, first);
    let (_dir2, other) = sandbox("fuel = 20_000_000");
    assert_eq!(other.decide(&case("wasi"), now).unwrap().notes, first);
}

/// Loading `bytes` as the component fails with a `policy` bundle error naming the file.
fn refused(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    harness::write_bundle(dir.path(), "sandbox", "wasm", "p.wasm", "");
    std::fs::write(dir.path().join("p.wasm"), bytes).unwrap();
    let e = Engine::new()
        .load(dir.path())
        .expect_err("these bytes must be refused");
    let text = e.to_string();
    assert!(text.contains("p.wasm"), "{text}");
    text
}

#[test]
fn a_component_exporting_another_world_is_refused_at_load() {
    let (_dir, e) = wasm(test_programs::COMMAND, "");
    let e = e.unwrap_err().to_string();
    assert!(e.contains("pacto:policy"), "{e}");
    engine_still_serves();
}

#[test]
fn a_core_module_is_refused_at_load() {
    // the smallest core module, and one with a function and an export
    let empty = b"\0asm\x01\0\0\0".to_vec();
    let mut with_fn = empty.clone();
    with_fn.extend_from_slice(&[
        1, 4, 1, 0x60, 0, 0, // type section: one () -> ()
        3, 2, 1, 0, // function section
        7, 5, 1, 1, b'f', 0, 0, // export "f"
        10, 4, 1, 2, 0, 0x0b, // code: an empty body
    ]);
    for bytes in [empty, with_fn] {
        let e = refused(&bytes);
        assert!(e.contains("not a usable WebAssembly component"), "{e}");
    }
    engine_still_serves();
}

#[test]
fn truncated_and_random_bytes_are_refused_at_load_without_a_panic() {
    let component = std::fs::read(test_programs::SANDBOX).unwrap();
    // 40 truncations spread over the file, and the first bytes alone
    let cuts: Vec<usize> = (0..40)
        .map(|i| component.len() * i / 40)
        .chain([1, 4, 8, 9, 12])
        .collect();
    for cut in cuts {
        refused(&component[..cut]);
    }
    // random bytes, bare and behind a component header (xorshift, fixed seed)
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..40 {
        let len = (next() % 4096) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        if i % 2 == 0 {
            let mut framed = b"\0asm\x0d\0\x01\0".to_vec();
            framed.append(&mut bytes);
            bytes = framed;
        }
        refused(&bytes);
    }
    // bytes of the real component flipped here and there
    for i in 0..6 {
        let mut bytes = component.clone();
        for _ in 0..8 {
            let at = (next() as usize) % bytes.len();
            bytes[at] ^= 1 << (i % 8);
        }
        let dir = tempfile::tempdir().unwrap();
        harness::write_bundle(dir.path(), "sandbox", "wasm", "p.wasm", "");
        std::fs::write(dir.path().join("p.wasm"), &bytes).unwrap();
        // a flip may land where it changes nothing that matters: loading or deciding
        // must then work, and otherwise fail with a typed error
        if let Ok(p) = Engine::new().load(dir.path()) {
            let _ = p.decide(&case("good"), "2026-03-02T10:30:00Z".parse().unwrap());
        }
    }
    engine_still_serves();
}

#[test]
fn an_older_wit_version_is_refused_at_load_naming_both_versions() {
    let (_dir, e) = wasm(test_programs::V02, "");
    let e = e.unwrap_err().to_string();
    assert!(e.contains("pacto:policy@0.2") && e.contains("0.3"), "{e}");
    engine_still_serves();
}

/// The guest's decisions that make WASI calls: a panic writes its message to stderr,
/// `wasi` reads the clocks and randomness.
fn chatty_decisions(p: &Policy) {
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let e = p.decide(&case("panic"), now).unwrap_err();
    assert!(e.to_string().contains("no rule for case panic"), "{e}");
    assert_eq!(p.decide(&case("wasi"), now).unwrap().notes.len(), 7);
    assert_eq!(p.decide(&case("good"), now).unwrap().notes, ["good"]);
}

#[test]
fn a_guest_using_wasi_decides_inside_an_async_runtime_of_either_flavor() {
    // wasmtime-wasi runs each WASI call through the ambient tokio runtime; an async
    // handler deciding directly must not make it panic ("Cannot start a runtime from
    // within a runtime"), as `pacto serve` did
    let (_dir, p) = sandbox("");
    let p = Arc::new(p);
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let on_worker = Arc::clone(&p);
    multi
        .block_on(multi.spawn(async move { chatty_decisions(&on_worker) }))
        .unwrap();
    multi.block_on(async { chatty_decisions(&p) });
    let on_blocking = Arc::clone(&p);
    multi
        .block_on(multi.spawn_blocking(move || chatty_decisions(&on_blocking)))
        .unwrap();
    let single = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    single.block_on(async { chatty_decisions(&p) });
    // and loading inside a runtime works too
    multi.block_on(async {
        let (_dir, again) = sandbox("");
        chatty_decisions(&again);
    });
}
