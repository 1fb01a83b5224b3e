//! `pacto serve` over real HTTP on 127.0.0.1: decide, batch, listing, the error bodies,
//! limits, hot reload under load, metrics, graceful shutdown.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{pacto, path, repo, stdout};

/// A running `pacto serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Server {
    fn start(policies: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pacto"))
            .args(["serve", "--policies", path(policies)])
            .args(["--listen", "127.0.0.1:0", "--settle-ms", "50"])
            .args(extra)
            .env("PACTO_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Server {
            child,
            base: format!("http://{addr}"),
            agent,
        }
    }

    /// Status, `Content-Type` and body of a request.
    fn call(&self, method: &str, route: &str, body: Option<&str>) -> (u16, String, String) {
        let url = format!("{}{route}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.unwrap_or("")),
        };
        let mut response = response.unwrap();
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap();
        (status, kind, body)
    }

    fn json(&self, method: &str, route: &str, body: Option<&str>) -> (u16, Value) {
        let (status, kind, text) = self.call(method, route, body);
        assert!(
            kind.starts_with("application/json"),
            "{route}: {kind}: {text}"
        );
        (status, serde_json::from_str(&text).unwrap())
    }

    fn metric(&self, line_prefix: &str) -> f64 {
        let (_, _, text) = self.call("GET", "/metrics", None);
        text.lines()
            .find_map(|l| l.strip_prefix(line_prefix))
            .map_or(0.0, |v| v.trim().parse().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn gold_case() -> String {
    std::fs::read_to_string(repo().join("examples/cases/gold-complaint-phone.json")).unwrap()
}

const NOW: &str = "2026-03-03T12:00:00+01:00";

fn decide_body() -> String {
    format!(r#"{{"case": {}, "now": "{NOW}"}}"#, gold_case())
}

/// A copy of the standard Rhai bundle, which a test may edit. Its time cap is raised: the
/// test build decides slowly, and the test loads the machine on purpose.
fn standard_copy(into: &Path) -> std::path::PathBuf {
    let dir = into.join("standard");
    copy_dir(&repo().join("rules/standard-rhai"), &dir);
    let manifest = std::fs::read_to_string(dir.join("policy.toml")).unwrap();
    std::fs::write(
        dir.join("policy.toml"),
        format!("{manifest}\n[limits]\ntimeout_ms = 60000\n"),
    )
    .unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn decide_answers_what_the_command_line_decides() {
    let server = Server::start(&repo().join("rules/standard-rhai"), &[]);
    let (status, decision) =
        server.json("POST", "/v1/policies/standard/decide", Some(&decide_body()));
    assert_eq!(status, 200, "{decision}");
    let case = repo().join("examples/cases/gold-complaint-phone.json");
    let cli = pacto(&[
        "decide",
        "--policy",
        path(&repo().join("rules/standard-rhai")),
        "--case",
        path(&case),
        "--now",
        NOW,
    ]);
    let expected: Value = serde_json::from_str(&stdout(&cli)).unwrap();
    assert_eq!(decision, expected);

    // `now` is optional: the case's last event
    let body = format!(r#"{{"case": {}}}"#, gold_case());
    let (status, decision) = server.json("POST", "/v1/policies/standard/decide", Some(&body));
    assert_eq!(status, 200);
    assert_eq!(decision["policy"]["name"], "standard");

    let (status, listed) = server.json("GET", "/v1/policies", None);
    assert_eq!(status, 200);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "standard");
    assert_eq!(listed[0]["engine"], "rhai");
    assert_eq!(listed[0]["digest"], expected["policy"]["digest"]);
    listed[0]["loaded_at"]
        .as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap();

    assert_eq!(server.call("GET", "/healthz", None).2, "ok");
    let (status, spec) = server.json("GET", "/openapi.json", None);
    assert_eq!(status, 200);
    for route in [
        "/v1/policies/{name}/decide",
        "/v1/policies/{name}/decide-batch",
        "/v1/policies/{name}/explain",
        "/v1/policies",
        "/healthz",
        "/metrics",
        "/openapi.json",
    ] {
        assert!(
            spec["paths"].get(route).is_some(),
            "{route} is not described"
        );
    }
}

#[test]
fn explain_answers_html_svg_or_text_as_the_client_accepts() {
    let server = Server::start(&repo().join("rules/standard-rhai"), &[]);
    let case =
        std::fs::read_to_string(repo().join("examples/cases/gold-complaint-phone.json")).unwrap();
    let body = format!(r#"{{"case": {case}, "now": "2026-03-03T12:00:00+01:00"}}"#);
    let url = format!("{}/v1/policies/standard/explain", server.base);
    let ask = |accept: Option<&str>, body: &str| {
        let mut request = server
            .agent
            .post(&url)
            .header("content-type", "application/json");
        if let Some(accept) = accept {
            request = request.header("accept", accept);
        }
        let mut response = request.send(body).unwrap();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let text = response.body_mut().read_to_string().unwrap();
        (response.status().as_u16(), kind, text)
    };
    let (status, kind, html) = ask(None, &body);
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<svg"),
        "{html}"
    );
    let (status, kind, svg) = ask(Some("image/svg+xml, text/html;q=0.5"), &body);
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
    assert!(svg.starts_with("<svg"));
    // the same picture as the command line draws
    let cli = pacto(&[
        "explain",
        "--policy",
        path(&repo().join("rules/standard-rhai")),
        "--case",
        path(&repo().join("examples/cases/gold-complaint-phone.json")),
        "--now",
        "2026-03-03T12:00:00+01:00",
        "--format",
        "svg",
    ]);
    assert_eq!(svg, String::from_utf8(cli.stdout).unwrap());
    let (status, _, text) = ask(Some("text/plain"), &body);
    assert_eq!(status, 200);
    assert!(
        text.contains("next response: breached by 105 business minutes"),
        "{text}"
    );
    let (status, _, error) = ask(Some("application/pdf"), &body);
    assert_eq!(status, 406, "{error}");
    assert!(error.contains("not_acceptable"), "{error}");
    let (status, _, error) = ask(None, "{\"case\": 3}");
    assert_eq!(status, 400, "{error}");
    let missing = format!("{}/v1/policies/nope/explain", server.base);
    let response = server.agent.post(&missing).send(body.as_str()).unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[test]
fn a_batch_answers_every_line_in_order_bad_lines_in_place() {
    let server = Server::start(&repo().join("rules/standard-rhai"), &[]);
    let corpus = std::fs::read_to_string(repo().join("examples/corpus.jsonl")).unwrap();
    let mut lines: Vec<&str> = corpus.lines().take(5).collect();
    lines.insert(2, r#"{"id": "broken", "opened_at": "#);
    lines.insert(4, "");
    let body = lines.join("\n");
    let (status, kind, text) =
        server.call("POST", "/v1/policies/standard/decide-batch", Some(&body));
    assert_eq!(status, 200, "{text}");
    assert_eq!(kind, "application/x-ndjson");
    let out: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // one line out per non-blank line in
    assert_eq!(out.len(), 6);
    assert_eq!(out[2]["error"]["kind"], "input");
    assert!(
        out[2]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("batch:3: "),
        "{}",
        out[2]
    );
    let ids: Vec<&Value> = out.iter().map(|o| &o["id"]).collect();
    let expected: Vec<Value> = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or(Value::Null);
            if v.is_null() {
                return Value::Null;
            }
            v.get("case").unwrap_or(&v)["id"].clone()
        })
        .collect();
    assert_eq!(ids, expected.iter().collect::<Vec<_>>());
    assert!(out.iter().filter(|o| o.get("decision").is_some()).count() == 5);
}

#[test]
fn client_mistakes_get_a_4xx_with_a_json_error_naming_the_field() {
    let server = Server::start(&repo().join("rules/standard-rhai"), &["--max-body", "4096"]);
    let check = |route: &str, body: &str, status: u16, kind: &str, says: &str| {
        let (got, error) = server.json("POST", route, Some(body));
        assert_eq!(got, status, "{route} {body}: {error}");
        assert_eq!(error["error"]["kind"], kind, "{error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message} lacks {says}");
    };
    let decide = "/v1/policies/standard/decide";
    check(decide, "{\"case\": ", 400, "input", "EOF");
    let typo = decide_body().replace("\"priority\"", "\"priorty\"");
    check(decide, &typo, 400, "input", "priorty");
    let no_offset = decide_body().replace(NOW, "2026-03-03T12:00:00");
    check(decide, &no_offset, 400, "input", "`now`");
    check(
        "/v1/policies/nope/decide",
        &decide_body(),
        404,
        "unknown_policy",
        "serving: standard",
    );
    let big = format!(r#"{{"case": {{"id": "{}"}}}}"#, "x".repeat(10_000));
    check(decide, &big, 413, "body_too_large", "--max-body");
    check(
        "/v1/policies/standard/decide-batch",
        &big,
        413,
        "body_too_large",
        "--max-body",
    );
    let (status, error) = server.json("GET", "/v2/nothing", None);
    assert_eq!(
        (status, &error["error"]["kind"]),
        (404, &json!("not_found"))
    );
    // the counters saw the bad input and the unknown policy
    assert!(
        server.metric("pacto_decision_errors_total{policy=\"standard\",kind=\"input\"}") >= 2.0
    );
    // an unknown name is counted without its name: a client picks it
    assert_eq!(server.metric("pacto_unknown_policy_requests_total"), 1.0);
    let metrics = server.call("GET", "/metrics", None).2;
    assert!(!metrics.contains("nope"), "{metrics}");
    let (status, error) = server.json("GET", decide, None);
    assert_eq!(
        (status, &error["error"]["kind"]),
        (405, &json!("method_not_allowed"))
    );
    let (status, error) = server.json("POST", "/v1/policies/%FF/decide", Some("{}"));
    assert_eq!((status, &error["error"]["kind"]), (400, &json!("input")));
}

#[test]
fn an_edit_on_disk_serves_under_load_with_no_failed_request_and_a_broken_one_never_serves() {
    let temp = tempfile::tempdir().unwrap();
    let dir = standard_copy(temp.path());
    let server = Arc::new(Server::start(temp.path(), &[]));
    let swaps_before = server.metric("pacto_swaps_total{policy=\"standard\"}");
    assert_eq!(swaps_before, 1.0);

    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let server = Arc::clone(&server);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let body = decide_body();
                let mut versions = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let (status, d) =
                        server.json("POST", "/v1/policies/standard/decide", Some(&body));
                    assert_eq!(status, 200, "{d}");
                    versions.push(d["policy"]["version"].as_str().unwrap().to_owned());
                }
                versions
            })
        })
        .collect();

    let manifest = std::fs::read_to_string(dir.join("policy.toml")).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(
        dir.join("policy.toml"),
        manifest.replace("version = \"1.0.0\"", "version = \"1.0.1\""),
    )
    .unwrap();
    let written = Instant::now();
    let version = || {
        let (_, listed) = server.json("GET", "/v1/policies", None);
        listed[0]["version"].as_str().unwrap().to_owned()
    };
    while version() != "1.0.1" {
        assert!(
            written.elapsed() < Duration::from_secs(10),
            "the edit never served"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    // a broken script is refused: 1.0.1 keeps serving, the failure is counted
    let script = std::fs::read_to_string(dir.join("standard.rhai")).unwrap();
    std::fs::write(
        dir.join("standard.rhai"),
        format!("{script}\nfn broken( {{"),
    )
    .unwrap();
    std::fs::write(
        dir.join("policy.toml"),
        manifest.replace("version = \"1.0.0\"", "version = \"1.0.2\""),
    )
    .unwrap();
    let refused = Instant::now();
    while server.metric("pacto_swap_failures_total{policy=\"standard\"}") < 1.0 {
        assert!(
            refused.elapsed() < Duration::from_secs(10),
            "the broken version was not refused"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);

    let mut seen = std::collections::BTreeSet::new();
    for client in clients {
        seen.extend(client.join().unwrap());
    }
    assert_eq!(version(), "1.0.1");
    assert!(seen.contains("1.0.1"), "{seen:?}");
    assert!(!seen.contains("1.0.2"), "a broken version served");
    assert_eq!(server.metric("pacto_swaps_total{policy=\"standard\"}"), 2.0);
    assert!(server.metric("pacto_decisions_total{policy=\"standard\",version=\"1.0.1\"}") >= 1.0);
}

/// A corpus long enough that deciding it takes a while.
fn long_batch() -> String {
    let corpus = std::fs::read_to_string(repo().join("examples/corpus.jsonl")).unwrap();
    let mut body = String::new();
    while body.len() < 4 * 1024 * 1024 {
        body.push_str(&corpus);
    }
    body
}

#[test]
fn a_saturated_server_answers_503_with_retry_after() {
    let server = Arc::new(Server::start(
        &repo().join("rules/standard-rhai"),
        &["--max-in-flight", "1"],
    ));
    let batch = {
        let server = Arc::clone(&server);
        std::thread::spawn(move || {
            server
                .call(
                    "POST",
                    "/v1/policies/standard/decide-batch",
                    Some(&long_batch()),
                )
                .0
        })
    };
    // once the batch holds the one place (it is being decided), a decision is turned
    // away; asking before then could take the place first and shed the batch itself
    let started = Instant::now();
    while server.metric("pacto_decisions_total{policy=\"standard\",version=\"1.0.0\"}") < 1.0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the batch never started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let response = loop {
        let response = server
            .agent
            .post(format!("{}/v1/policies/standard/decide", server.base))
            .send(decide_body())
            .unwrap();
        if response.status() == 503 {
            break response;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "never saturated"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(batch.join().unwrap(), 200);
    assert!(server.metric("pacto_requests_shed_total") >= 1.0);
}

#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    let server = Arc::new(Server::start(&repo().join("rules/standard-rhai"), &[]));
    let body = long_batch();
    let lines = body.lines().filter(|l| !l.trim().is_empty()).count();
    let batch = {
        let server = Arc::clone(&server);
        std::thread::spawn(move || {
            server.call("POST", "/v1/policies/standard/decide-batch", Some(&body))
        })
    };
    // wait until the batch is being decided, then ask the server to stop
    let started = Instant::now();
    while server.metric("pacto_decisions_total{policy=\"standard\",version=\"1.0.0\"}") < 1.0 {
        assert!(started.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(5));
    }
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let (status, _, text) = batch.join().unwrap();
    assert_eq!(status, 200);
    assert_eq!(text.lines().count(), lines);
    let mut server = Arc::into_inner(server).unwrap();
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn a_conservative_fallback_answers_a_case_the_policy_fails_on_and_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("p");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("policy.toml"),
        "name = \"p\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("p.rhai"),
        "fn decide(ticket, now) {\n  if ticket.priority == \"high\" { throw \"high is not handled\" }\n  #{ notes: [\"p\"] }\n}\n",
    )
    .unwrap();
    let conservative = repo().join("rules/fallback");
    let server = Server::start(
        temp.path(),
        &["--fallback", "previous", "--fallback", path(&conservative)],
    );
    let (status, d) = server.json("POST", "/v1/policies/p/decide", Some(&decide_body()));
    assert_eq!(status, 200, "{d}");
    // the library's conservative bundle decided: deadlines, a person, never money
    assert_eq!(d["policy"]["name"], "fallback");
    assert!(
        !d["deadlines"].as_array().unwrap().is_empty(),
        "no deadlines: {d}"
    );
    assert_eq!(d["escalation"]["team"], "duty-manager", "{d}");
    assert_eq!(d["compensation"], json!([]), "{d}");
    assert_eq!(d["fallback"]["instead_of"]["name"], "p");
    assert_eq!(d["fallback"]["error"]["kind"], "policy");
    assert_eq!(server.metric("pacto_fallbacks_total{policy=\"p\"}"), 1.0);

    // without a fallback the failure is a 422 naming it
    let server = Server::start(temp.path(), &[]);
    let (status, e) = server.json("POST", "/v1/policies/p/decide", Some(&decide_body()));
    assert_eq!(status, 422);
    assert_eq!(e["error"]["kind"], "policy");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("high is not handled")
    );
}

#[test]
fn hostile_bodies_get_a_4xx_and_the_server_keeps_serving() {
    let server = Server::start(&repo().join("rules/standard-rhai"), &[]);
    let decide = "/v1/policies/standard/decide";
    let case: Value = serde_json::from_str(&gold_case()).unwrap();
    let with = |key: &str, value: Value| {
        let mut case = case.clone();
        case[key] = value;
        json!({"case": case, "now": NOW}).to_string()
    };
    let depth = 100_000;
    let nested = format!(
        r#"{{"case": {{"attributes": {{"deep": {}1{}}}}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let events: Vec<Value> = (0..100_000)
        .map(|i| json!({"at": format!("2026-03-02T10:{:02}:{:02}+01:00", i / 60 % 60, i % 60), "type": "internal_note"}))
        .collect();
    let hostile = [
        ("nested", nested, 400),
        ("100,000 events", with("events", Value::Array(events)), 422),
        (
            "a 5 MB string",
            with("category", json!("x".repeat(5 << 20))),
            422,
        ),
    ];
    for (what, body, status) in &hostile {
        let (got, error) = server.json("POST", decide, Some(body));
        assert_eq!(got, *status, "{what}: {error}");
        let kind = error["error"]["kind"].as_str().unwrap();
        assert!(["input", "limit"].contains(&kind), "{what}: {error}");
    }
    // bytes that are not UTF-8, to both decide routes
    for route in [decide, "/v1/policies/standard/decide-batch"] {
        let mut response = server
            .agent
            .post(format!("{}{route}", server.base))
            .send(&[b'{', 0xff, 0xfe, b'}'][..])
            .unwrap();
        assert_eq!(response.status(), 400, "{route}");
        let error: Value =
            serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("UTF-8"),
            "{error}"
        );
    }
    // and it still serves
    assert_eq!(server.call("GET", "/healthz", None).2, "ok");
    let (status, _) = server.json("POST", decide, Some(&decide_body()));
    assert_eq!(status, 200);
}

/// A bundle of the sandbox guest (`test-programs/guests/sandbox`), which misbehaves as
/// the case id asks, with time enough for a debug build.
fn sandbox_bundle(dir: &Path, component: &[u8]) {
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::write(
        dir.join("calendars/office.toml"),
        "timezone = \"UTC\"\nmon = [\"09:00-17:00\"]\ntue = [\"09:00-17:00\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("policy.toml"),
        "name = \"sandbox\"\nversion = \"0.0.1\"\nengine = \"wasm\"\nentry = \"p.wasm\"\n[calendars]\noffice = \"calendars/office.toml\"\n[limits]\ntimeout_ms = 60000\nfuel = 100_000_000_000\n",
    )
    .unwrap();
    std::fs::write(dir.join("p.wasm"), component).unwrap();
}

#[test]
fn hostile_policies_get_their_typed_errors_and_the_server_keeps_serving_the_others() {
    let root = tempfile::tempdir().unwrap();
    standard_copy(root.path());
    let component = std::fs::read(test_programs::SANDBOX).unwrap();
    sandbox_bundle(&root.path().join("sandbox"), &component);
    // a Rhai policy that nests maps past its limit and loops on host calls
    let rhai = root.path().join("nester");
    std::fs::create_dir_all(&rhai).unwrap();
    std::fs::write(
        rhai.join("policy.toml"),
        "name = \"nester\"\nversion = \"1\"\nengine = \"rhai\"\nentry = \"n.rhai\"\n[limits]\nmax_operations = 100_000_000\ntimeout_ms = 60000\nmax_map_size = 2000\n",
    )
    .unwrap();
    std::fs::write(
        rhai.join("n.rhai"),
        "fn decide(ticket, now) {\n  if ticket.priority == \"high\" { let m = #{}; loop { m = #{ inner: m }; } }\n  loop { try { is_business_time(\"none\", now); } catch {} }\n}\n",
    )
    .unwrap();
    let server = Server::start(root.path(), &["--no-watch"]);
    let body = |id: &str| {
        let mut case: Value = serde_json::from_str(&gold_case()).unwrap();
        case["id"] = json!(id);
        json!({"case": case, "now": NOW}).to_string()
    };
    let standard = || {
        let (status, d) = server.json("POST", "/v1/policies/standard/decide", Some(&decide_body()));
        assert_eq!(status, 200, "{d}");
    };
    for (id, kind, says) in [
        ("grow", "limit", "memory_mb"),
        ("alloc", "limit", "memory_mb"),
        ("host_calls", "limit", "max_host_calls"),
        ("huge_note", "limit", "memory_mb"),
        ("recurse", "limit", "stack"),
        ("panic", "policy", "panicked"),
    ] {
        let (status, error) = server.json("POST", "/v1/policies/sandbox/decide", Some(&body(id)));
        assert_eq!(status, 422, "{id}: {error}");
        assert_eq!(error["error"]["kind"], kind, "{id}: {error}");
        let message = error["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{id}: {message}");
        standard();
    }
    // the gold case is high priority: nesting; a low one: the host-call loop
    let (status, error) = server.json("POST", "/v1/policies/nester/decide", Some(&decide_body()));
    assert_eq!(
        (status, error["error"]["kind"].as_str()),
        (422, Some("limit")),
        "{error}"
    );
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("max_map_size"),
        "{error}"
    );
    let mut low: Value = serde_json::from_str(&gold_case()).unwrap();
    low["priority"] = json!("low");
    let low = json!({"case": low, "now": NOW}).to_string();
    let (status, error) = server.json("POST", "/v1/policies/nester/decide", Some(&low));
    assert_eq!(status, 422, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("max_host_calls"),
        "{error}"
    );
    // the same guest decides an ordinary case afterwards, and the server is healthy
    let (status, d) = server.json("POST", "/v1/policies/sandbox/decide", Some(&body("good")));
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["notes"], json!(["good"]));
    standard();
    assert_eq!(server.call("GET", "/healthz", None).2, "ok");
}

#[test]
fn broken_components_in_the_folder_are_refused_and_the_others_serve() {
    let root = tempfile::tempdir().unwrap();
    standard_copy(root.path());
    let component = std::fs::read(test_programs::SANDBOX).unwrap();
    sandbox_bundle(&root.path().join("sandbox"), &component);
    let server = Server::start(root.path(), &[]);
    let (_, listed) = server.json("GET", "/v1/policies", None);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    // replace the component by a core module, then by truncated bytes: each version is
    // refused, the loaded one keeps serving, and so does the other policy
    let before = server.metric("pacto_swap_failures_total{policy=\"sandbox\"} ");
    for bytes in [
        b"\0asm\x01\0\0\0".to_vec(),
        component[..component.len() / 3].to_vec(),
    ] {
        std::fs::write(root.path().join("sandbox/p.wasm"), &bytes).unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let seen = server.metric("pacto_swap_failures_total{policy=\"sandbox\"} ");
        while server.metric("pacto_swap_failures_total{policy=\"sandbox\"} ") <= seen {
            assert!(
                Instant::now() < deadline,
                "the broken version was never refused"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut case: Value = serde_json::from_str(&gold_case()).unwrap();
        case["id"] = json!("good");
        let good = json!({"case": case, "now": NOW}).to_string();
        let (status, d) = server.json("POST", "/v1/policies/sandbox/decide", Some(&good));
        assert_eq!((status, d["notes"].clone()), (200, json!(["good"])), "{d}");
        let (status, _) = server.json("POST", "/v1/policies/standard/decide", Some(&decide_body()));
        assert_eq!(status, 200);
    }
    assert!(server.metric("pacto_swap_failures_total{policy=\"sandbox\"} ") >= before + 2.0);
}

#[test]
fn the_defaults_security_md_documents_are_the_servers() {
    let out = Command::new(env!("CARGO_BIN_EXE_pacto"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for (flag, default) in [
        ("--listen", "127.0.0.1:8080"),
        ("--max-in-flight", "256"),
        ("--max-body", "16777216"),
        ("--shutdown-timeout", "30"),
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("{flag} is not in --help:\n{help}"));
        assert!(line.contains(&format!("[default: {default}]")), "{line}");
    }
}
