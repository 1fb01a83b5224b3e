"""The binding decides as the command line does: `decide` as `pacto decide` prints,
`decide_batch` and `decide_arrow` as `pacto replay --out` writes, on the standard
policy (Rhai, and Wasm built from source) and examples/corpus.jsonl."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pyarrow as pa
import pytest

import pacto
from conftest import CORPUS, REPO, run_pacto

CASES = sorted((REPO / "examples" / "cases").glob("*.json"))


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """`pacto replay --out` lines of the corpus, per bundle, computed once."""
    cache: dict[str, list[str]] = {}
    out_dir = tmp_path_factory.mktemp("replay")

    def get(bundle_dir: str) -> list[str]:
        if bundle_dir not in cache:
            out = out_dir / (Path(bundle_dir).name + ".jsonl")
            run_pacto("replay", "--policy", bundle_dir, "--cases", CORPUS, "--out", out)
            cache[bundle_dir] = out.read_text().splitlines()
        return cache[bundle_dir]

    return get  # type: ignore[return-value]


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("now", [None, "2026-03-03T12:00:00+01:00"])
def test_decide_is_what_pacto_decide_prints(
    policy: pacto.Policy, bundle_dir: str, case_file: Path, now: str | None
) -> None:
    args = ["decide", "--policy", bundle_dir, "--case", case_file]
    if now is not None:
        args += ["--now", now]
    expected = json.loads(run_pacto(*args))
    text = case_file.read_text()
    assert policy.decide(text, now=now) == expected
    # a dict, bytes, and an aware datetime decide the same
    assert policy.decide(json.loads(text), now) == expected
    assert policy.decide(text.encode(), now) == expected
    if now is not None:
        aware = datetime.datetime.fromisoformat(now)
        assert policy.decide(text, now=aware) == expected
        utc = aware.astimezone(datetime.timezone.utc)
        assert policy.decide(text, now=utc) == expected


def test_decide_batch_is_what_replay_writes(
    policy: pacto.Policy, bundle_dir: str, corpus_lines: list[str], replayed
) -> None:
    expected = replayed(bundle_dir)
    assert len(expected) == len(corpus_lines) == 1000
    rows = policy.decide_batch(corpus_lines)
    assert rows == [json.loads(line) for line in expected]
    # any iterable, and bytes lines
    assert policy.decide_batch(iter(corpus_lines[:20])) == rows[:20]
    assert policy.decide_batch(line.encode() for line in corpus_lines[:20]) == rows[:20]
    # every decision is as `decide` gives it for the line's case and now
    for line, row in list(zip(corpus_lines, rows))[:50]:
        wrapper = json.loads(line)
        assert policy.decide(wrapper["case"], wrapper.get("now")) == row["decision"]


def test_decide_arrow_is_byte_for_byte_what_replay_writes(
    policy: pacto.Policy, bundle_dir: str, corpus_lines: list[str], replayed
) -> None:
    expected = replayed(bundle_dir)
    out = policy.decide_arrow(pa.array(corpus_lines, pa.string()))
    assert out.type == pa.string()
    assert out.to_pylist() == expected  # the text itself, not only its JSON
    for arr in (
        pa.array(corpus_lines, pa.large_string()),
        pa.array(corpus_lines, pa.string_view()),
        pa.chunked_array([corpus_lines[:300], corpus_lines[300:]], pa.string()),
    ):
        assert policy.decide_arrow(arr).to_pylist() == expected


def test_decide_arrow_keeps_nulls_and_reports_bad_lines(
    corpus_lines: list[str],
) -> None:
    policy = pacto.load(REPO / "rules" / "standard-rhai")
    out = policy.decide_arrow(pa.array([corpus_lines[0], None, "{oops"]))
    first, null, bad = out.to_pylist()
    assert json.loads(first) == policy.decide_batch(corpus_lines[:1])[0]
    assert null is None
    assert json.loads(bad)["error"]["kind"] == "input"
    assert json.loads(bad)["error"]["message"].startswith("batch:3: ")
    assert policy.decide_arrow(pa.array([], pa.string())).to_pylist() == []


def test_a_bad_line_is_an_error_row_as_replay_writes_it(
    corpus_lines: list[str], tmp_path: Path
) -> None:
    policy = pacto.load(REPO / "rules" / "standard-rhai")
    case = json.loads(corpus_lines[0])["case"]
    unknown = dict(case, id="X-9", priorty="high")
    lines = [corpus_lines[0], "not json", json.dumps(unknown), b"\xff\xfe"]
    rows = policy.decide_batch(lines)
    assert len(rows) == 4 and "decision" in rows[0]
    assert [r.get("id") for r in rows] == [case["id"], None, "X-9", None]
    for row in rows[1:]:
        assert row["error"]["kind"] == "input"
    # the same messages as `replay` gives, but for the source it names (`batch`)
    corpus = tmp_path / "bad.jsonl"
    corpus.write_bytes(b"\n".join(ln if isinstance(ln, bytes) else ln.encode() for ln in lines) + b"\n")
    out = tmp_path / "out.jsonl"
    run_pacto("replay", "--policy", "rules/standard-rhai", "--cases", corpus, "--out", out)
    replayed = [json.loads(line) for line in out.read_text().splitlines()]
    for row, want in zip(rows, replayed):
        if "error" in want:
            want["error"]["message"] = want["error"]["message"].replace(str(corpus), "batch", 1)
        assert row == want


def test_info_is_what_every_decision_names(policy: pacto.Policy, bundle_dir: str) -> None:
    info = policy.info
    assert set(info) == {"name", "version", "digest"}
    assert info["digest"].startswith("sha256:")
    decision = policy.decide((REPO / "examples/cases/gold-complaint-phone.json").read_text())
    assert decision["policy"] == info
    assert pacto.Bundle.from_dir(REPO / bundle_dir).digest == info["digest"]


def test_bundle_from_files_is_the_bundle_from_dir(corpus_lines: list[str]) -> None:
    folder = REPO / "rules" / "standard-rhai"
    files = {
        str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    from_files = pacto.Bundle.from_files(files)
    from_dir = pacto.Bundle.from_dir(folder)
    assert (from_files.name, from_files.version, from_files.digest, from_files.engine) == (
        from_dir.name,
        from_dir.version,
        from_dir.digest,
        "rhai",
    )
    a, b = pacto.load(from_files), pacto.load(from_dir)
    assert a.info == b.info == pacto.load(str(folder)).info
    assert a.decide_batch(corpus_lines[:200]) == b.decide_batch(corpus_lines[:200])
    assert "standard" in repr(from_files) and "standard" in repr(a)
