//! Case values every backend carries exactly: integers beyond `i64` (Rhai's integer) are
//! refused when the case is parsed, naming their JSON path; values at the bounds reach a
//! policy unchanged.

use pacto::{Bundle, Case, CaseError, Engine};
use serde_json::{Value, json};

fn case() -> Value {
    json!({
        "id": "C-1", "opened_at": "2026-03-02T10:00:00Z", "priority": "normal",
        "channel": "email", "kind": "question",
        "customer": {"id": "K", "tier": "gold", "lifetime_value": 125000},
        "order": {"value": 49900, "currency": "EUR"},
        "attributes": {"region": "es"}
    })
}

/// Parses `v` both ways (from its text and as a value); both must fail on the same path.
fn refused(v: &Value) -> CaseError {
    let from_json = Case::from_json(&v.to_string()).unwrap_err();
    let from_value = Case::from_value(v.clone()).unwrap_err();
    assert_eq!(from_json.path, from_value.path);
    assert_eq!(from_json.message, from_value.message);
    assert!(
        from_json.line > 0,
        "the text gives a position: {from_json:?}"
    );
    from_json
}

#[test]
fn lifetime_value_above_i64_max_is_refused_with_its_path() {
    let mut v = case();
    v["customer"]["lifetime_value"] = json!(i64::MAX as u64 + 1);
    let e = refused(&v);
    assert_eq!(e.path, "customer.lifetime_value");
    assert_eq!(
        e.to_string(),
        "`customer.lifetime_value`: `9223372036854775808` is out of range; expected an \
         integer from 0 to 9223372036854775807, the largest every backend carries exactly"
    );
}

#[test]
fn order_value_above_i64_max_is_refused_with_its_path() {
    let mut v = case();
    v["order"]["value"] = json!(u64::MAX);
    let e = refused(&v);
    assert_eq!(e.path, "order.value");
    assert!(
        e.message.contains("`18446744073709551615` is out of range"),
        "{e}"
    );
}

#[test]
fn nested_attribute_integers_above_i64_max_are_refused_with_their_path() {
    let mut v = case();
    v["attributes"]["limits"] = json!({"min": 1, "max": u64::MAX});
    let e = refused(&v);
    assert_eq!(e.path, "attributes.limits.max");
    assert!(e.message.contains("send larger numbers as strings"), "{e}");

    let mut v = case();
    v["attributes"]["codes"] = json!([1, -2, i64::MAX as u64 + 1]);
    assert_eq!(refused(&v).path, "attributes.codes[2]");

    let mut v = case();
    v["attributes"]["rows"] = json!([{"ok": 1}, {"ids": [0, u64::MAX]}]);
    assert_eq!(refused(&v).path, "attributes.rows[1].ids[1]");
}

#[test]
fn integers_beyond_u64_in_the_text_are_refused_too() {
    // a JSON value would hold these only as rounded floats: the text is checked
    let text = case().to_string().replace(
        r#""region":"es""#,
        r#""region":"es","n":[-99999999999999999999]"#,
    );
    let e = Case::from_json(&text).unwrap_err();
    assert_eq!(e.path, "attributes.n[0]");
    assert!(
        e.message
            .contains("`-99999999999999999999` is out of range"),
        "{e}"
    );
    let text = case()
        .to_string()
        .replace("125000", "100000000000000000000");
    assert_eq!(
        Case::from_json(&text).unwrap_err().path,
        "customer.lifetime_value"
    );
}

#[test]
fn values_at_the_bounds_reach_a_rhai_policy_exactly() {
    let mut v = case();
    v["customer"]["lifetime_value"] = json!(i64::MAX);
    v["order"]["value"] = json!(i64::MAX);
    v["attributes"] =
        json!({"min": i64::MIN, "max": i64::MAX, "ratio": 0.25, "as_text": "18446744073709551615"});
    let case = Case::from_value(v).unwrap();
    let script = r#"fn decide(ticket, now) {
        let a = ticket.attributes;
        #{ deadlines: [], notes: [
            `${ticket.customer.lifetime_value}`, `${ticket.order.value}`,
            `${a.min} ${type_of(a.min)}`, `${a.max} ${type_of(a.max)}`,
            `${a.ratio} ${type_of(a.ratio)}`, a.as_text
        ] }
    }"#;
    let bundle = Bundle::from_files([
        (
            "policy.toml",
            "name = \"values\"\nversion = \"1.0.0\"\nengine = \"rhai\"\nentry = \"p.rhai\"\n",
        ),
        ("p.rhai", script),
    ])
    .unwrap();
    let policy = Engine::new().from_bundle(bundle).unwrap();
    let decision = policy
        .decide(&case, "2026-03-02T10:30:00Z".parse().unwrap())
        .unwrap();
    assert_eq!(
        decision.notes,
        [
            "9223372036854775807",
            "9223372036854775807",
            "-9223372036854775808 i64",
            "9223372036854775807 i64",
            "0.25 f64",
            "18446744073709551615",
        ]
    );
}
