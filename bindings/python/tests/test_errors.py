"""Each error kind is its own exception class with `.kind`; bad input raises a typed
exception, never crashes the interpreter."""

from __future__ import annotations

import datetime
import json

import pytest

import pacto
from conftest import CASE, REPO, rhai_bundle

KINDS = {
    pacto.InputError: "input",
    pacto.LimitError: "limit",
    pacto.PolicyError: "policy",
    pacto.InvalidDecisionError: "invalid_decision",
    pacto.TimeError: "time",
    pacto.BundleError: "bundle",
}

EMPTY = "#{ deadlines: [], escalation: (), compensation: [], notes: [] }"


def test_every_kind_is_a_pacto_error_with_its_kind() -> None:
    for cls, kind in KINDS.items():
        assert issubclass(cls, pacto.PactoError)
        assert cls.kind == kind
        e = cls("boom")
        assert e.kind == kind and e.message == "boom" and str(e) == "boom"
    assert issubclass(pacto.InputError, ValueError)


@pytest.mark.parametrize(
    ("script", "limits", "cls"),
    [
        ("fn decide(ticket, now) { loop { } }", "", pacto.LimitError),
        ('fn decide(ticket, now) { throw "declined" }', "", pacto.PolicyError),
        (
            'fn decide(ticket, now) { ticket.clock("first_response", "night-shift", 60); '
            + EMPTY
            + " }",
            "",
            pacto.PolicyError,
        ),
        (
            'fn decide(ticket, now) { #{ compensation: [#{ kind: "refund", amount: -5, '
            'currency: "EUR" }] } }',
            "",
            pacto.InvalidDecisionError,
        ),
        (
            'fn decide(ticket, now) { add_business_minutes("office", -5000000000, 1); '
            + EMPTY
            + " }",
            "",
            pacto.TimeError,
        ),
    ],
    ids=["limit", "policy", "policy-calendar", "invalid_decision", "time"],
)
def test_a_failing_policy_raises_its_kind(script: str, limits: str, cls: type) -> None:
    policy = pacto.load(rhai_bundle(script, limits))
    with pytest.raises(cls) as info:
        policy.decide(CASE)
    assert info.value.kind == KINDS[cls]
    assert isinstance(info.value, pacto.PactoError)
    assert info.value.message
    # the same failure in a batch is an error row of that kind, as `replay --out`
    (row,) = policy.decide_batch([json.dumps(CASE)])
    assert row == {"id": "C-1", "error": {"kind": KINDS[cls], "message": info.value.message}}


def test_a_policy_decides_the_next_case_after_a_failure() -> None:
    policy = pacto.load(
        rhai_bundle('fn decide(ticket, now) { if ticket.id == "bad" { loop {} } ' + EMPTY + " }")
    )
    with pytest.raises(pacto.LimitError):
        policy.decide(dict(CASE, id="bad"))
    assert policy.decide(CASE)["deadlines"] == []


@pytest.mark.parametrize(
    "source",
    [
        REPO / "no-such-bundle",
        str(REPO / "examples"),
        42,
        None,
    ],
)
def test_a_bundle_that_cannot_load_is_a_bundle_error(source: object) -> None:
    with pytest.raises(pacto.BundleError) as info:
        pacto.load(source)  # type: ignore[arg-type]
    assert info.value.kind == "bundle"


def test_bundle_errors_from_memory_name_the_file() -> None:
    with pytest.raises(pacto.BundleError, match="policy.toml"):
        pacto.Bundle.from_files({"p.rhai": b""})
    with pytest.raises(pacto.BundleError, match="p.rhai"):
        pacto.load(rhai_bundle("fn decide(ticket, now) { let = ; }"))
    with pytest.raises(pacto.BundleError):
        pacto.Bundle.from_files({"policy.toml": 5})  # type: ignore[dict-item]
    with pytest.raises(pacto.BundleError):
        pacto.Bundle.from_files({7: b""})  # type: ignore[dict-item]
    with pytest.raises(pacto.BundleError):
        pacto.Bundle.from_files([("policy.toml", b"")])  # type: ignore[arg-type]
    with pytest.raises(pacto.BundleError):
        pacto.Bundle.from_dir(3.5)  # type: ignore[arg-type]
    with pytest.raises(pacto.BundleError):
        pacto.Bundle.from_files({"policy.toml": "\ud800"})


@pytest.fixture(scope="module")
def standard() -> pacto.Policy:
    return pacto.load(REPO / "rules" / "standard-rhai")


@pytest.mark.parametrize(
    ("case", "now"),
    [
        ("not json", None),
        ("", None),
        ("[1, 2]", None),
        (json.dumps(dict(CASE, priorty="high")), None),
        (json.dumps(dict(CASE, priority="whenever")), None),
        (json.dumps(CASE).replace('"tier": "standard"}', '"tier": "standard", "lifetime_value": 9223372036854775808}'), None),
        (dict(CASE, customer={"id": "K", "tier": "gold", "lifetime_value": 2**70}), None),
        (dict(CASE, opened_at=datetime.datetime.now(datetime.timezone.utc)), None),
        (dict(CASE, attributes={"x": float("nan")}), None),
        (b"\xff", None),
        ("\ud800", None),
        (42, None),
        (None, None),
        (["a"], None),
        (CASE, "yesterday"),
        (CASE, "2026-03-02T10:00:00"),
        (CASE, datetime.datetime(2026, 3, 2, 10, 0)),
        (CASE, 1700000000),
        (CASE, "\ud800"),
        (CASE, datetime.date(2026, 3, 2)),
    ],
)
def test_bad_input_is_an_input_error(standard: pacto.Policy, case: object, now: object) -> None:
    with pytest.raises(pacto.InputError) as info:
        standard.decide(case, now)  # type: ignore[arg-type]
    assert info.value.kind == "input"


@pytest.mark.parametrize(
    "lines",
    [
        ["{}", 5],
        [None],
        [{"case": {}}],
        "a single string",
        b"bytes",
        42,
        None,
    ],
)
def test_a_batch_that_is_not_lines_is_an_input_error(standard: pacto.Policy, lines: object) -> None:
    with pytest.raises(pacto.InputError) as info:
        standard.decide_batch(lines)  # type: ignore[arg-type]
    assert info.value.kind == "input"


def test_an_iterable_that_raises_passes_its_exception(standard: pacto.Policy) -> None:
    def lines():
        yield json.dumps(CASE)
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError, match="source failed"):
        standard.decide_batch(lines())


def test_decide_arrow_refuses_what_is_not_a_string_array(standard: pacto.Policy) -> None:
    pa = pytest.importorskip("pyarrow")
    for bad in (pa.array([1, 2, 3]), ["a"], None, 3):
        with pytest.raises(pacto.InputError):
            standard.decide_arrow(bad)


def test_an_empty_batch_is_an_empty_list(standard: pacto.Policy) -> None:
    assert standard.decide_batch([]) == []


def test_a_line_without_utf8_is_an_error_row(standard: pacto.Policy) -> None:
    rows = standard.decide_batch(["\ud800", b"\xc3", "", "   "])
    assert [r["id"] for r in rows] == [None] * 4
    assert [r["error"]["kind"] for r in rows] == ["input"] * 4
    assert rows[0]["error"]["message"].startswith("batch:1: the line is not UTF-8")
    assert rows[1]["error"]["message"] == "batch:2: the line is not UTF-8 (invalid byte at column 1)"
