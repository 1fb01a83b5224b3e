//! The Rhai sandbox under attack: every misbehaving script ends in a typed error in
//! bounded time, and the same `Policy` then decides the next case correctly.

use std::path::Path;

use pacto::{BundleError, DecideError, Engine, LimitExceeded, Policy, PolicyFailed};

use crate::harness::{self, case};

/// A bundle whose `decide` runs `bad` for the case `bad` and a correct policy otherwise.
fn bundle(dir: &Path, bad: &str, limits: &str) {
    harness::write_bundle(dir, "sandbox", "rhai", "p.rhai", limits);
    let script = format!(
        r#"
fn misbehave(ticket, now) {{
{bad}
}}

fn decide(ticket, now) {{
    if ticket.id == "bad" {{
        return misbehave(ticket, now);
    }}
    let fr = ticket.clock("first_response", "office", 60);
    #{{ deadlines: [fr], escalation: (), compensation: [], notes: ["good"] }}
}}
"#
    );
    std::fs::write(dir.join("p.rhai"), script).unwrap();
}

fn load(bad: &str, limits: &str) -> (tempfile::TempDir, Policy) {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), bad, limits);
    let policy = Engine::new()
        .load(dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, policy)
}

/// Runs the bad case (bounded in time), then checks the good one still decides right.
fn attack(bad: &str, limits: &str) -> DecideError {
    let (_dir, policy) = load(bad, limits);
    harness::attack(&policy, "bad")
}

#[test]
fn an_endless_loop_runs_out_of_operations() {
    // a generous wall clock, so the operation count is what stops it even in debug builds
    let e = attack(
        "loop { }",
        "[limits]\nmax_operations = 100_000\ntimeout_ms = 60_000\n",
    );
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Operations(100_000))),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "policy stopped: more than 100000 operations (`max_operations`)"
    );
}

#[test]
fn an_endless_loop_hits_the_wall_clock_timeout_when_operations_allow() {
    let e = attack(
        "let x = 0; loop { x += 1; }",
        "[limits]\nmax_operations = 1_000_000_000_000\ntimeout_ms = 30\n",
    );
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Timeout(30))),
        "{e:?}"
    );
}

/// Limits under which only the size caps can stop a growing value, even in debug builds.
const GENEROUS: &str = "[limits]\nmax_operations = 1_000_000_000\ntimeout_ms = 60_000\n";

#[test]
fn a_huge_string_is_stopped() {
    let e = attack("let s = \"x\"; loop { s += s; }", GENEROUS);
    assert!(
        matches!(&e, DecideError::Limit(LimitExceeded::StringSize(65536))),
        "{e:?}"
    );
}

#[test]
fn a_huge_array_is_stopped() {
    let e = attack("let a = []; loop { a.push(1); }", GENEROUS);
    assert!(
        matches!(&e, DecideError::Limit(LimitExceeded::ArraySize(10000))),
        "{e:?}"
    );
}

#[test]
fn a_map_that_grows_without_end_is_stopped() {
    // a small cap: Rhai re-measures the whole map on each growth, quadratic in debug builds
    let grow = "let m = #{}; let i = 0; loop { let n = #{}; n[`k${i}`] = i; m.mixin(n); i += 1; }";
    let limits =
        "[limits]\nmax_operations = 1_000_000_000\ntimeout_ms = 60_000\nmax_map_size = 500\n";
    let e = attack(grow, limits);
    assert!(
        matches!(&e, DecideError::Limit(LimitExceeded::MapSize(500))),
        "{e:?}"
    );
    // Rhai 1.27 does not size-check a map grown by index assignment (`m[k] = v`); the
    // operation limit stops it instead (a wall clock generous enough for debug builds,
    // so it is the operation count and nothing else)
    let e = attack(
        "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
        "[limits]\nmax_operations = 100_000\ntimeout_ms = 60_000\n",
    );
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::Operations(100_000))),
        "{e:?}"
    );
}

#[test]
fn endless_recursion_hits_the_call_depth() {
    let e = attack("misbehave(ticket, now)", "");
    assert!(
        matches!(e, DecideError::Limit(LimitExceeded::CallDepth(64))),
        "{e:?}"
    );
}

#[test]
fn an_unknown_function_is_a_policy_error_with_its_line() {
    let e = attack("    let x = 1;\n    frobnicate(x)", "");
    let DecideError::Policy(PolicyFailed { location, message }) = &e else {
        panic!("{e:?}")
    };
    assert!(message.contains("frobnicate"), "{message}");
    let location = location.as_ref().expect("a location");
    assert_eq!((location.line, location.column), (4, 5), "{e}");
    assert!(location.file.ends_with("p.rhai"));
}

#[test]
fn an_unknown_calendar_is_named() {
    let e = attack("ticket.clock(\"first_response\", \"night-shift\", 60)", "");
    assert!(
        e.to_string()
            .contains("unknown calendar `night-shift`; the bundle has `office`"),
        "{e}"
    );
    let e = attack("ticket.clock(\"lunch\", \"office\", 60)", "");
    assert!(e.to_string().contains("unknown metric `lunch`"), "{e}");
}

#[test]
fn a_thrown_error_carries_its_message() {
    let e = attack("throw \"no rule for this case\";", "");
    assert!(e.to_string().contains("no rule for this case"), "{e}");
}

#[test]
fn invalid_decisions_name_the_field() {
    let cases = [
        (
            r#"#{ deadlines: [#{ metric: "lunch", calendar: "office", target: 5, due: 0, status: "pending" }] }"#,
            "`deadlines[0].metric`: unknown variant `lunch`",
        ),
        (
            r#"#{ compensation: [#{ kind: "refund", amount: -5, currency: "EUR" }] }"#,
            "`compensation[0].amount`: must be ≥ 0, got -5",
        ),
        (
            r#"#{ escalation: #{ level: 9, reason: "x" } }"#,
            "`escalation.level`: must be between 0 and 5, got 9",
        ),
        (
            r#"#{ compensation: [#{ kind: "voucher", amount: 500 }] }"#,
            "`compensation[0].currency`: missing",
        ),
        (
            r#"#{ compensation: [#{ kind: "refund", amount: 4.5, currency: "EUR" }] }"#,
            "`compensation[0].amount`: invalid type: floating point",
        ),
        ("\"approved\"", "it returned a string"),
        ("42", "it returned a number"),
        ("()", "it returned nothing"),
    ];
    for (bad, want) in cases {
        let e = attack(bad, "");
        assert!(matches!(e, DecideError::Invalid(_)), "{bad}: {e:?}");
        assert!(
            e.to_string().contains(want),
            "{bad}: wanted `{want}` in `{e}`"
        );
    }
}

/// `print` and `debug` run without effect on the decision (the policy's own return
/// value is what is judged) and `eval` is refused at load. That their output goes nowhere
/// is checked on the process's real stdout and stderr by the CLI test
/// `print_and_debug_do_not_reach_stdout_or_stderr`.
#[test]
fn print_and_debug_run_and_eval_is_refused() {
    let (_dir, policy) = load("print(\"leak\"); debug(\"leak\"); 1", "");
    let e = policy
        .decide(&case("bad"), "2026-03-02T10:30:00Z".parse().unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("it returned a number"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), "eval(\"1 + 1\")", "");
    let err = Engine::new().load(dir.path()).unwrap_err();
    assert!(matches!(err, BundleError::Policy { .. }), "{err:?}");
}

fn load_err(edit: impl FnOnce(&Path)) -> BundleError {
    let dir = tempfile::tempdir().unwrap();
    bundle(dir.path(), "1", "");
    edit(dir.path());
    Engine::new().load(dir.path()).unwrap_err()
}

#[test]
fn a_syntax_error_points_at_line_and_column() {
    let e = load_err(|d| {
        std::fs::write(
            d.join("p.rhai"),
            "fn decide(ticket, now) {\n    let x = ;\n}\n",
        )
        .unwrap()
    });
    let loc = e.location().expect("location").clone();
    assert_eq!((loc.line, loc.column), (2, 13), "{e}");
    assert!(
        loc.file.ends_with("p.rhai") && e.to_string().starts_with(&format!("{}:2:13: ", loc.file)),
        "{e}"
    );
}

#[test]
fn bad_bundles_name_the_file_and_line() {
    let e = load_err(|d| std::fs::remove_file(d.join("p.rhai")).unwrap());
    assert!(
        e.to_string().contains("policy.toml:4:9: entry")
            && e.to_string().contains("cannot be read"),
        "{e}"
    );

    let e = load_err(|d| {
        let t = std::fs::read_to_string(d.join("policy.toml"))
            .unwrap()
            .replace("\"rhai\"", "\"lua\"");
        std::fs::write(d.join("policy.toml"), t).unwrap();
    });
    assert!(
        e.to_string()
            .contains("policy.toml:3:10: unknown variant `lua`, expected `rhai` or `wasm`"),
        "{e}"
    );

    let e = load_err(|d| {
        let t = format!(
            "colour = \"blue\"\n{}",
            std::fs::read_to_string(d.join("policy.toml")).unwrap()
        );
        std::fs::write(d.join("policy.toml"), t).unwrap();
    });
    assert!(
        e.to_string()
            .contains("policy.toml:1:1: unknown field `colour`"),
        "{e}"
    );

    let e = load_err(|d| {
        std::fs::write(
            d.join("calendars/office.toml"),
            "timezone = \"UTC\"\nmon = [\"09:00-25:00\"]\n",
        )
        .unwrap()
    });
    assert!(
        e.to_string()
            .contains("office.toml:2:8: invalid interval `09:00-25:00`"),
        "{e}"
    );

    let e = load_err(|d| {
        let t = std::fs::read_to_string(d.join("policy.toml")).unwrap() + "[limits]\nfuel = -1\n";
        std::fs::write(d.join("policy.toml"), t).unwrap();
    });
    assert!(
        e.to_string()
            .contains("policy.toml:8:8: invalid value: integer `-1`, expected u64"),
        "{e}"
    );

    let e = load_err(|d| std::fs::write(d.join("p.rhai"), "fn decide(ticket) { 1 }").unwrap());
    assert!(e.to_string().contains("no `fn decide(ticket, now)`"), "{e}");
}

#[test]
fn a_policy_is_shared_across_threads() {
    let (_dir, policy) = load("1", "");
    let policy = std::sync::Arc::new(policy);
    let now = "2026-03-02T10:30:00Z".parse().unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = std::sync::Arc::clone(&policy);
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| p.decide(&case("good"), now).unwrap().notes)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        assert!(
            h.join()
                .unwrap()
                .iter()
                .all(|n| n == &vec!["good".to_owned()])
        );
    }
}
